#include "tests/fault/server_checks.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "matcher/match_index.h"
#include "matcher/scoring.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"

namespace socio::fault {
namespace {

using socio::v1::Profile;

constexpr int kPageSize = 1000;
// Scores are computed the same way on both sides; only the clock may differ
// by a second, which moves the freshness factor by far less than this.
constexpr double kScoreTolerance = 1e-9;
constexpr size_t kMaxListed = 10;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return context;
}

std::string Ranking(const std::vector<socio::v1::Match>& matches, size_t from) {
  std::vector<std::string> parts;
  for (size_t i = from; i < matches.size() && parts.size() < 3; ++i) {
    parts.push_back(absl::StrCat(matches[i].partner_id(), " ", matches[i].score()));
  }
  return parts.empty() ? "(nothing)" : absl::StrJoin(parts, ", ");
}

// The first difference between two rankings, or "" if there is none.
std::string FirstDifference(const std::vector<socio::v1::Match>& server,
                            const std::vector<socio::v1::Match>& scratch) {
  for (size_t i = 0; i < std::max(server.size(), scratch.size()); ++i) {
    if (i >= server.size() || i >= scratch.size()) {
      return absl::StrCat("the server returns ", server.size(), " partners, the rebuilt index ",
                          scratch.size());
    }
    const socio::v1::Match& a = server[i];
    const socio::v1::Match& b = scratch[i];
    if (a.partner_id() != b.partner_id() || a.partner_chamber_id() != b.partner_chamber_id() ||
        a.partner_name() != b.partner_name() || std::abs(a.score() - b.score()) > kScoreTolerance ||
        std::abs(a.forward_score() - b.forward_score()) > kScoreTolerance ||
        std::abs(a.backward_score() - b.backward_score()) > kScoreTolerance) {
      return absl::StrCat("at rank ", i + 1, " the server has ", Ranking(server, i), " (chamber ",
                          a.partner_chamber_id(), "), the rebuilt index ", Ranking(scratch, i),
                          " (chamber ", b.partner_chamber_id(), ")");
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<StoredProfiles> ListAllProfiles(socio::v1::ProfileService::Stub& stub) {
  StoredProfiles stored;
  socio::v1::ListProfilesRequest request;
  request.set_page_size(kPageSize);
  do {
    socio::v1::ListProfilesResponse page;
    grpc::Status status = stub.ListProfiles(Context().get(), request, &page);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("ListProfiles: ", status.error_message()));
    }
    for (Profile& profile : *page.mutable_profiles()) {
      std::string id = profile.id();
      if (!stored.try_emplace(id, std::move(profile)).second) {
        return absl::DataLossError(absl::StrCat("ListProfiles returned '", id, "' twice"));
      }
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return stored;
}

int64_t CheckChamberIndex(socio::v1::ProfileService::Stub& stub, const StoredProfiles& stored,
                          const absl::btree_set<std::string>& chambers,
                          std::vector<std::string>* violations) {
  absl::btree_map<std::string, absl::btree_set<std::string>> expected;
  for (const auto& [id, profile] : stored) expected[profile.chamber_id()].insert(id);
  absl::btree_set<std::string> all = chambers;
  for (const auto& [chamber, ids] : expected) all.insert(chamber);

  int64_t listed = 0;
  size_t reported = 0;
  const auto report = [&](std::string message) {
    if (reported++ < kMaxListed) violations->push_back(std::move(message));
  };
  for (const std::string& chamber : all) {
    absl::btree_set<std::string> found;
    socio::v1::ListProfilesRequest request;
    request.set_chamber_id(chamber);
    request.set_page_size(kPageSize);
    do {
      socio::v1::ListProfilesResponse page;
      grpc::Status status = stub.ListProfiles(Context().get(), request, &page);
      if (!status.ok()) {
        report(absl::StrCat("ListProfiles of chamber ", chamber, " failed: ", status.error_code(),
                            ": ", status.error_message(),
                            " (an index entry without its profile?)"));
        break;
      }
      for (const Profile& profile : page.profiles()) {
        ++listed;
        found.insert(profile.id());
        if (profile.chamber_id() != chamber) {
          report(absl::StrCat("the chamber index lists '", profile.id(), "' under ", chamber,
                              " but its profile says chamber ", profile.chamber_id()));
        }
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    const absl::btree_set<std::string>& want = expected[chamber];
    for (const std::string& id : want) {
      if (!found.contains(id)) {
        report(absl::StrCat("profile '", id, "' of chamber ", chamber,
                            " is missing from the chamber index"));
      }
    }
    for (const std::string& id : found) {
      if (!want.contains(id) && !stored.contains(id)) {
        report(absl::StrCat("the chamber index of ", chamber, " lists '", id,
                            "', which is not stored"));
      }
    }
  }
  if (reported > kMaxListed) {
    violations->push_back(absl::StrCat(reported - kMaxListed, " more chamber index differences"));
  }
  return listed;
}

int CheckMatcher(const std::shared_ptr<grpc::Channel>& channel, const StoredProfiles& stored,
                 const std::shared_ptr<const matcher::ScoringTables>& tables,
                 const MatcherCheckOptions& options, std::vector<std::string>* violations) {
  // The server's own figures first: the index holds every stored profile and
  // reflects the whole log.
  socio::v1::Stats stats;
  grpc::Status status =
      socio::v1::AdminService::NewStub(channel)->GetStats(Context().get(), {}, &stats);
  if (!status.ok()) {
    violations->push_back(
        absl::StrCat("GetStats failed: ", status.error_code(), ": ", status.error_message()));
    return 0;
  }
  if (stats.index_profiles() != static_cast<int64_t>(stored.size()) ||
      stats.index_sequence() != options.last_sequence ||
      stats.last_sequence() != options.last_sequence) {
    violations->push_back(
        absl::StrCat("the match index holds ", stats.index_profiles(), " profiles at change ",
                     stats.index_sequence(), "; the store holds ", stored.size(), " at change ",
                     stats.last_sequence(), ", the log read ends at ", options.last_sequence));
  }

  std::vector<Profile> profiles;
  profiles.reserve(stored.size());
  for (const auto& [id, profile] : stored) profiles.push_back(profile);
  matcher::MatchIndex scratch(tables);
  scratch.UpsertMany(profiles, /*threads=*/2);
  if (profiles.empty()) return 0;

  auto stub = socio::v1::MatchService::NewStub(channel);
  const socio::v1::FactorWeights weights = matcher::DefaultFactorWeights();
  matcher::PartnerQuery query;
  query.k = options.k;
  query.weights = *matcher::NormalizeWeights(weights, "weights");
  query.staff_view = true;  // operators see PRIVATE members of the member's chamber too
  int compared = 0;
  for (int i = 0; i < options.sample; ++i) {
    const Profile& member = profiles[(*options.rng)() % profiles.size()];
    socio::v1::FindPartnersRequest request;
    request.set_member_id(member.id());
    request.set_k(options.k);
    *request.mutable_weights() = weights;
    socio::v1::FindPartnersResponse response;
    const int64_t before = absl::ToUnixSeconds(absl::Now());
    status = stub->FindPartners(Context().get(), request, &response);
    const int64_t after = absl::ToUnixSeconds(absl::Now());
    if (!status.ok()) {
      violations->push_back(absl::StrCat("FindPartners for stored member '", member.id(),
                                         "' failed: ", status.error_code(), ": ",
                                         status.error_message()));
      continue;
    }
    if (response.index_sequence() != options.last_sequence) {
      violations->push_back(
          absl::StrCat("FindPartners for '", member.id(), "' answered from the index at change ",
                       response.index_sequence(), ", the log ends at ", options.last_sequence));
    }
    const std::vector<socio::v1::Match> served(response.matches().begin(),
                                               response.matches().end());
    std::string difference;
    // The server read its clock between `before` and `after`.
    for (int64_t now = before; now <= after; ++now) {
      query.member_id = member.id();
      query.now_seconds = now;
      absl::StatusOr<matcher::PartnerResult> rebuilt = scratch.FindPartners(query);
      if (!rebuilt.ok()) {
        difference = rebuilt.status().ToString();
        continue;
      }
      difference = FirstDifference(served, rebuilt->matches);
      if (difference.empty()) break;
    }
    ++compared;
    if (!difference.empty()) {
      violations->push_back(absl::StrCat("the match index differs from one rebuilt from the ",
                                         "stored profiles: FindPartners for '", member.id(),
                                         "': ", difference));
    }
  }
  return compared;
}

}  // namespace socio::fault
