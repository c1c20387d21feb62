// Fuzzes every RPC of sociod with arbitrary request messages (see
// request_rpcs.h for the input format) over a real server (fuzz_server.h).
//
// Invariants, each an abort naming the RPC, the caller and the request:
// - the server does not crash and no sanitizer reports;
// - no status is UNKNOWN, INTERNAL, DATA_LOSS or UNIMPLEMENTED, and no call
//   runs into its deadline (WatchProfiles, which streams until it, aside);
// - a rejected write changes nothing: the change log does not grow, the
//   profile, delegation, policy or token count it named reads as before;
// - an accepted write reads back as the response said; an import's summary
//   adds up; pages and match lists keep their sizes; scores lie in [0, 1].
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "tests/fuzz/fuzz_server.h"
#include "tests/fuzz/request_fixture.h"
#include "tests/fuzz/request_rpcs.h"

namespace socio::fuzz {
namespace {

using grpc::StatusCode;

// What one input calls, for the messages of a failed invariant.
struct Call {
  Rpc rpc;
  Identity who;
  const google::protobuf::Message* request = nullptr;
};

[[noreturn]] void Violated(const Call& call, const std::string& what) {
  std::fprintf(stderr, "request_validation: rpc %d as identity %d: %s\nrequest: %s\n",
               static_cast<int>(call.rpc), static_cast<int>(call.who), what.c_str(),
               call.request == nullptr ? "" : call.request->ShortDebugString().c_str());
  std::abort();
}

void CheckCode(const Call& call, const grpc::Status& status, bool streams_until_deadline = false) {
  const StatusCode code = status.error_code();
  const bool bad = code == StatusCode::UNKNOWN || code == StatusCode::INTERNAL ||
                   code == StatusCode::DATA_LOSS || code == StatusCode::UNIMPLEMENTED ||
                   (code == StatusCode::DEADLINE_EXCEEDED && !streams_until_deadline);
  if (bad) {
    Violated(call, absl::StrCat("status ", code, ": ", status.error_message()));
  }
}

void CheckUnchanged(const Call& call, const std::string& what, const std::string& before,
                    const std::string& after) {
  if (before != after) Violated(call, "a rejected write changed " + what);
}

std::string OkState(const google::protobuf::Message& response) {
  return absl::StrCat(static_cast<int>(StatusCode::OK), "|", response.SerializeAsString());
}

template <typename Request>
bool Parse(absl::string_view bytes, Request* request) {
  return request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// A profile write naming profile `id`: rejected, it changes nothing; accepted,
// `response` (if given) is what is stored, and the fixture is put back.
template <typename Stub, typename Request, typename Response>
void ProfileWrite(const Call& call, const std::string& id, const Request& request,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  bool response_is_profile) {
  FuzzServer& server = FuzzServer::Get();
  const uint64_t sequence = server.LastSequence();
  const std::string before = server.ProfileState(id);
  Response response;
  const grpc::Status status =
      (server.profiles().*method)(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  if (!status.ok()) {
    CheckUnchanged(call, "the change log", absl::StrCat(sequence),
                   absl::StrCat(server.LastSequence()));
    CheckUnchanged(call, "profile " + id, before, server.ProfileState(id));
    return;
  }
  if (response_is_profile && server.ProfileState(id) != OkState(response)) {
    Violated(call, "the stored profile differs from the response");
  }
  server.RestoreProfiles();
}

void Import(const Call& call, const socio::v1::ImportProfilesRequest& request) {
  FuzzServer& server = FuzzServer::Get();
  const uint64_t sequence = server.LastSequence();
  socio::v1::ImportProfilesSummary summary;
  auto context = server.Context(call.who);
  auto stream = server.profiles().ImportProfiles(context.get(), &summary);
  stream->Write(request);  // a refused stream says why in Finish
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  CheckCode(call, status);
  if (!status.ok()) {
    CheckUnchanged(call, "the change log", absl::StrCat(sequence),
                   absl::StrCat(server.LastSequence()));
    return;
  }
  if (summary.received() != request.profiles_size() ||
      summary.created() + summary.updated() + summary.rejected() != summary.received()) {
    Violated(call, "the summary does not add up: " + summary.ShortDebugString());
  }
  server.RestoreProfiles();
}

void Watch(const Call& call, const socio::v1::WatchProfilesRequest& request) {
  FuzzServer& server = FuzzServer::Get();
  auto context = server.Context(call.who, absl::Milliseconds(50));
  auto stream = server.profiles().WatchProfiles(context.get(), request);
  socio::v1::ProfileChange change;
  uint64_t last = request.after_sequence();
  while (stream->Read(&change)) {
    if (change.sequence() <= last) Violated(call, "change sequence numbers do not grow");
    last = change.sequence();
  }
  CheckCode(call, stream->Finish(), /*streams_until_deadline=*/true);
}

// A delegation write naming delegation `id`, like ProfileWrite.
template <typename Request, typename Response>
void DelegationWrite(const Call& call, const std::string& id, const Request& request,
                     grpc::Status (socio::v1::DelegationService::Stub::*method)(
                         grpc::ClientContext*, const Request&, Response*),
                     bool response_is_delegation) {
  FuzzServer& server = FuzzServer::Get();
  const std::string before = server.DelegationState(id);
  const std::string all_before = server.AllDelegations();
  Response response;
  const grpc::Status status =
      (server.delegations().*method)(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  if (!status.ok()) {
    CheckUnchanged(call, "delegation " + id, before, server.DelegationState(id));
    CheckUnchanged(call, "the delegations", all_before, server.AllDelegations());
    return;
  }
  if (response_is_delegation && server.DelegationState(id) != OkState(response)) {
    Violated(call, "the stored delegation differs from the response");
  }
  server.RestoreDelegations();
}

// A read-only call: only its status code is checked, and what `check` says
// about an OK response.
template <typename Stub, typename Request, typename Response, typename Check>
void Read(const Call& call, Stub& stub, const Request& request,
          grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
          Check check) {
  FuzzServer& server = FuzzServer::Get();
  Response response;
  const grpc::Status status = (stub.*method)(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  if (status.ok()) check(response);
}

template <typename Stub, typename Request, typename Response>
void Read(const Call& call, Stub& stub, const Request& request,
          grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*)) {
  Read(call, stub, request, method, [](const Response&) {});
}

// A ChamberService write naming chamber `id` (and the links of `id` and
// `partner`): rejected, it changes none of them.
template <typename Request, typename Response>
void ChamberWrite(const Call& call, const std::string& id, const std::string& partner,
                  const Request& request,
                  grpc::Status (socio::v1::ChamberService::Stub::*method)(grpc::ClientContext*,
                                                                          const Request&,
                                                                          Response*)) {
  FuzzServer& server = FuzzServer::Get();
  const std::string record = server.ChamberState(id);
  const std::string links = server.PartnerLinks(id);
  const std::string partner_links = server.PartnerLinks(partner);
  Response response;
  const grpc::Status status =
      (server.chambers().*method)(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  if (status.ok()) return;
  CheckUnchanged(call, "chamber " + id, record, server.ChamberState(id));
  CheckUnchanged(call, "the partner links of " + id, links, server.PartnerLinks(id));
  CheckUnchanged(call, "the partner links of " + partner, partner_links,
                 server.PartnerLinks(partner));
}

// The chamber a partner call acts for: as named, or the staff's own.
std::string ActingChamber(Identity who, const std::string& named) {
  return named.empty() && who == Identity::kStaff ? kStaffChamber : named;
}

void CheckScore(const Call& call, double score, const char* what) {
  if (!(score >= 0 && score <= 1)) Violated(call, absl::StrCat(what, " ", score, " not in [0, 1]"));
}

void SetPolicy(const Call& call, const socio::v1::SetMatchPolicyRequest& request) {
  FuzzServer& server = FuzzServer::Get();
  const std::string& chamber = request.policy().chamber_id();
  const std::string before = server.PolicyState(chamber);
  socio::v1::MatchPolicy response;
  const grpc::Status status =
      server.match().SetMatchPolicy(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  if (!status.ok()) {
    CheckUnchanged(call, "the policy of " + chamber, before, server.PolicyState(chamber));
    return;
  }
  if (server.PolicyState(chamber) != OkState(response)) {
    Violated(call, "the stored policy differs from the response");
  }
  server.RestorePolicy(chamber, before);
}

void IssueToken(const Call& call, const socio::v1::IssueTokenRequest& request) {
  FuzzServer& server = FuzzServer::Get();
  const int64_t before = server.ActiveTokens();
  socio::v1::IssueTokenResponse response;
  const grpc::Status status =
      server.admin().IssueToken(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  if (!status.ok()) {
    CheckUnchanged(call, "the tokens", absl::StrCat(before), absl::StrCat(server.ActiveTokens()));
    return;
  }
  server.RevokeToken(response.info().id());
}

void RevokeToken(const Call& call, const socio::v1::RevokeTokenRequest& request) {
  FuzzServer& server = FuzzServer::Get();
  const int64_t before = server.ActiveTokens();
  socio::v1::TokenInfo response;
  const grpc::Status status =
      server.admin().RevokeToken(server.Context(call.who).get(), request, &response);
  CheckCode(call, status);
  // Token ids are 64 random bits an input cannot know, so only rejections
  // are expected here.
  if (!status.ok()) {
    CheckUnchanged(call, "the tokens", absl::StrCat(before), absl::StrCat(server.ActiveTokens()));
  }
}

void Backup(const Call& call, socio::v1::BackupRequest request) {
  FuzzServer& server = FuzzServer::Get();
  // Relative and empty paths are refused before anything is written; an
  // absolute one is moved under the server's temporary directory.
  const bool writes = !request.dir().empty() && request.dir()[0] == '/';
  if (writes) request.set_dir(server.NewBackupDir());
  Read(call, server.admin(), request, &socio::v1::AdminService::Stub::Backup);
  if (writes) server.RemoveBackupDir(request.dir());
}

void Run(Rpc rpc, Identity who, absl::string_view bytes) {
  FuzzServer& server = FuzzServer::Get();
  using socio::v1::AdminService;
  using socio::v1::DelegationService;
  using socio::v1::MatchService;
  using socio::v1::ProfileService;
  switch (rpc) {
    case Rpc::kCreateProfile: {
      socio::v1::CreateProfileRequest request;
      if (!Parse(bytes, &request)) return;
      ProfileWrite({rpc, who, &request}, request.profile().id(), request,
                   &ProfileService::Stub::CreateProfile, true);
      return;
    }
    case Rpc::kGetProfile: {
      socio::v1::GetProfileRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.profiles(), request, &ProfileService::Stub::GetProfile);
      return;
    }
    case Rpc::kUpdateProfile: {
      socio::v1::UpdateProfileRequest request;
      if (!Parse(bytes, &request)) return;
      ProfileWrite({rpc, who, &request}, request.profile().id(), request,
                   &ProfileService::Stub::UpdateProfile, true);
      return;
    }
    case Rpc::kDeleteProfile: {
      socio::v1::DeleteProfileRequest request;
      if (!Parse(bytes, &request)) return;
      ProfileWrite({rpc, who, &request}, request.id(), request,
                   &ProfileService::Stub::DeleteProfile, false);
      return;
    }
    case Rpc::kListProfiles: {
      socio::v1::ListProfilesRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int page_size = request.page_size() == 0 ? 100 : request.page_size();
      Read(call, server.profiles(), request, &ProfileService::Stub::ListProfiles,
           [&](const socio::v1::ListProfilesResponse& page) {
             if (page.profiles_size() > page_size) Violated(call, "page longer than page_size");
           });
      return;
    }
    case Rpc::kImportProfiles: {
      socio::v1::ImportProfilesRequest request;
      if (!Parse(bytes, &request)) return;
      Import({rpc, who, &request}, request);
      return;
    }
    case Rpc::kWatchProfiles: {
      socio::v1::WatchProfilesRequest request;
      if (!Parse(bytes, &request)) return;
      Watch({rpc, who, &request}, request);
      return;
    }
    case Rpc::kFindPartners: {
      socio::v1::FindPartnersRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int k = request.k() == 0 ? 20 : request.k();
      Read(call, server.match(), request, &MatchService::Stub::FindPartners,
           [&](const socio::v1::FindPartnersResponse& response) {
             if (response.matches_size() > k) Violated(call, "more matches than k");
             for (const socio::v1::Match& m : response.matches())
               CheckScore(call, m.score(), "score");
           });
      return;
    }
    case Rpc::kExplainMatch: {
      socio::v1::ExplainMatchRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      Read(call, server.match(), request, &MatchService::Stub::ExplainMatch,
           [&](const socio::v1::Match& m) { CheckScore(call, m.score(), "score"); });
      return;
    }
    case Rpc::kGetMatchPolicy: {
      socio::v1::GetMatchPolicyRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.match(), request, &MatchService::Stub::GetMatchPolicy);
      return;
    }
    case Rpc::kSetMatchPolicy: {
      socio::v1::SetMatchPolicyRequest request;
      if (!Parse(bytes, &request)) return;
      SetPolicy({rpc, who, &request}, request);
      return;
    }
    case Rpc::kScorePairs: {
      socio::v1::ScorePairsRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int64_t pairs = int64_t{request.a_ids_size()} * request.b_ids_size();
      Read(call, server.match(), request, &MatchService::Stub::ScorePairs,
           [&](const socio::v1::ScorePairsResponse& response) {
             if (response.scores_size() != pairs) Violated(call, "scores for too few pairs");
             for (double score : response.scores()) CheckScore(call, score, "score");
           });
      return;
    }
    case Rpc::kCreateDelegation: {
      socio::v1::CreateDelegationRequest request;
      if (!Parse(bytes, &request)) return;
      DelegationWrite({rpc, who, &request}, request.delegation().id(), request,
                      &DelegationService::Stub::CreateDelegation, true);
      return;
    }
    case Rpc::kGetDelegation: {
      socio::v1::GetDelegationRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.delegations(), request,
           &DelegationService::Stub::GetDelegation);
      return;
    }
    case Rpc::kUpdateDelegation: {
      socio::v1::UpdateDelegationRequest request;
      if (!Parse(bytes, &request)) return;
      DelegationWrite({rpc, who, &request}, request.delegation().id(), request,
                      &DelegationService::Stub::UpdateDelegation, true);
      return;
    }
    case Rpc::kDeleteDelegation: {
      socio::v1::DeleteDelegationRequest request;
      if (!Parse(bytes, &request)) return;
      DelegationWrite({rpc, who, &request}, request.id(), request,
                      &DelegationService::Stub::DeleteDelegation, false);
      return;
    }
    case Rpc::kListDelegations: {
      socio::v1::ListDelegationsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.delegations(), request,
           &DelegationService::Stub::ListDelegations);
      return;
    }
    case Rpc::kPlanDelegation: {
      socio::v1::PlanDelegationRequest request;
      if (!Parse(bytes, &request)) return;
      DelegationWrite({rpc, who, &request}, request.id(), request,
                      &DelegationService::Stub::PlanDelegation, true);
      return;
    }
    case Rpc::kRecommendDestinations: {
      socio::v1::RecommendDestinationsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.delegations(), request,
           &DelegationService::Stub::RecommendDestinations);
      return;
    }
    case Rpc::kGetAgenda: {
      socio::v1::GetAgendaRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.delegations(), request,
           &DelegationService::Stub::GetAgenda);
      return;
    }
    case Rpc::kWhoAmI: {
      socio::v1::WhoAmIRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.admin(), request, &AdminService::Stub::WhoAmI);
      return;
    }
    case Rpc::kIssueToken: {
      socio::v1::IssueTokenRequest request;
      if (!Parse(bytes, &request)) return;
      IssueToken({rpc, who, &request}, request);
      return;
    }
    case Rpc::kRevokeToken: {
      socio::v1::RevokeTokenRequest request;
      if (!Parse(bytes, &request)) return;
      RevokeToken({rpc, who, &request}, request);
      return;
    }
    case Rpc::kListTokens: {
      socio::v1::ListTokensRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.admin(), request, &AdminService::Stub::ListTokens);
      return;
    }
    case Rpc::kBackup: {
      socio::v1::BackupRequest request;
      if (!Parse(bytes, &request)) return;
      Backup({rpc, who, &request}, request);
      return;
    }
    case Rpc::kGetStats: {
      socio::v1::GetStatsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.admin(), request, &AdminService::Stub::GetStats);
      return;
    }
    // Marks, requests, notification settings and publishing: any input is
    // answered with a code that names the caller's mistake or says no, never
    // an internal error.
    case Rpc::kSetInterest: {
      socio::v1::SetInterestRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::SetInterest);
      return;
    }
    case Rpc::kListInterests: {
      socio::v1::ListInterestsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::ListInterests);
      return;
    }
    case Rpc::kCreateMeetingRequest: {
      socio::v1::CreateMeetingRequestRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::CreateMeetingRequest);
      return;
    }
    case Rpc::kGetMeetingRequest: {
      socio::v1::GetMeetingRequestRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::GetMeetingRequest);
      return;
    }
    case Rpc::kListMeetingRequests: {
      socio::v1::ListMeetingRequestsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::ListMeetingRequests);
      return;
    }
    case Rpc::kAnswerMeetingRequest: {
      socio::v1::AnswerMeetingRequestRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::AnswerMeetingRequest);
      return;
    }
    case Rpc::kCancelMeetingRequest: {
      socio::v1::CancelMeetingRequestRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.engagement(), request,
           &socio::v1::EngagementService::Stub::CancelMeetingRequest);
      return;
    }
    case Rpc::kGetNotificationSettings: {
      socio::v1::GetNotificationSettingsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.notifications(), request,
           &socio::v1::NotificationService::Stub::GetNotificationSettings);
      return;
    }
    case Rpc::kSetNotificationSettings: {
      socio::v1::SetNotificationSettingsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.notifications(), request,
           &socio::v1::NotificationService::Stub::SetNotificationSettings);
      return;
    }
    case Rpc::kListParkedDeliveries: {
      socio::v1::ListParkedDeliveriesRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.notifications(), request,
           &socio::v1::NotificationService::Stub::ListParkedDeliveries);
      return;
    }
    case Rpc::kPublishPlan: {
      socio::v1::PublishPlanRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.delegations(), request,
           &socio::v1::DelegationService::Stub::PublishPlan);
      return;
    }
    case Rpc::kListReveals: {
      socio::v1::ListRevealsRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int page_size = request.page_size() == 0 ? 50 : request.page_size();  // its default
      Read(call, server.engagement(), request, &socio::v1::EngagementService::Stub::ListReveals,
           [&](const socio::v1::ListRevealsResponse& page) {
             if (page.reveals_size() > page_size) Violated(call, "page longer than page_size");
           });
      return;
    }
    // Partnerships: held to the status-code rule.
    case Rpc::kCreatePartnership: {
      socio::v1::CreatePartnershipRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.partnerships(), request,
           &socio::v1::PartnershipService::Stub::CreatePartnership);
      return;
    }
    case Rpc::kGetPartnership: {
      socio::v1::GetPartnershipRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.partnerships(), request,
           &socio::v1::PartnershipService::Stub::GetPartnership);
      return;
    }
    case Rpc::kListPartnerships: {
      socio::v1::ListPartnershipsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.partnerships(), request,
           &socio::v1::PartnershipService::Stub::ListPartnerships);
      return;
    }
    case Rpc::kUpdatePartnership: {
      socio::v1::UpdatePartnershipRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.partnerships(), request,
           &socio::v1::PartnershipService::Stub::UpdatePartnership);
      return;
    }
    case Rpc::kRecordReview: {
      socio::v1::RecordReviewRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.partnerships(), request,
           &socio::v1::PartnershipService::Stub::RecordReview);
      return;
    }
    case Rpc::kListReviews: {
      socio::v1::ListReviewsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.partnerships(), request,
           &socio::v1::PartnershipService::Stub::ListReviews);
      return;
    }
    // Meeting outcomes: held to the status-code rule, and lists to their page size.
    case Rpc::kRecordOutcome: {
      socio::v1::RecordOutcomeRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.outcomes(), request,
           &socio::v1::OutcomeService::Stub::RecordOutcome);
      return;
    }
    case Rpc::kGetMeetingOutcome: {
      socio::v1::GetMeetingOutcomeRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.outcomes(), request,
           &socio::v1::OutcomeService::Stub::GetMeetingOutcome);
      return;
    }
    case Rpc::kListOutcomes: {
      socio::v1::ListOutcomesRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int page_size = request.page_size() == 0 ? 50 : request.page_size();  // its default
      Read(call, server.outcomes(), request, &socio::v1::OutcomeService::Stub::ListOutcomes,
           [&](const socio::v1::ListOutcomesResponse& page) {
             if (page.outcomes_size() > page_size) Violated(call, "page longer than page_size");
           });
      return;
    }
    // Analytics: a read, held to the status-code rule; its rates are
    // fractions or absent.
    case Rpc::kGetAnalytics: {
      socio::v1::GetAnalyticsRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      Read(call, server.analytics(), request, &socio::v1::AnalyticsService::Stub::GetAnalytics,
           [&](const socio::v1::GetAnalyticsResponse& answer) {
             const socio::v1::AnalyticsFigures& f = answer.total();
             for (double rate : {f.acceptance_rate(), f.held_rate(), f.no_show_rate()}) {
               if (!(rate >= 0 && rate <= 1)) Violated(call, "a rate outside [0, 1]");
             }
           });
      return;
    }
    case Rpc::kSuggestMatchPolicy: {
      socio::v1::SuggestMatchPolicyRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      Read(call, server.match(), request, &MatchService::Stub::SuggestMatchPolicy,
           [&](const socio::v1::MatchPolicySuggestion& s) {
             if (s.enough_outcomes() && s.outcomes() < s.min_outcomes()) {
               Violated(call, "a suggestion below the minimum of outcomes");
             }
           });
      return;
    }
    // Exchanges: held to the status-code rule, and the list to its page size.
    case Rpc::kCreateExchange: {
      socio::v1::CreateExchangeRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.exchanges(), request,
           &socio::v1::ExchangeService::Stub::CreateExchange);
      return;
    }
    case Rpc::kGetExchange: {
      socio::v1::GetExchangeRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.exchanges(), request,
           &socio::v1::ExchangeService::Stub::GetExchange);
      return;
    }
    case Rpc::kUpdateExchange: {
      socio::v1::UpdateExchangeRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.exchanges(), request,
           &socio::v1::ExchangeService::Stub::UpdateExchange);
      return;
    }
    case Rpc::kDeleteExchange: {
      socio::v1::DeleteExchangeRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.exchanges(), request,
           &socio::v1::ExchangeService::Stub::DeleteExchange);
      return;
    }
    case Rpc::kGetExchangeBalance: {
      socio::v1::GetExchangeBalanceRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.exchanges(), request,
           &socio::v1::ExchangeService::Stub::GetExchangeBalance);
      return;
    }
    case Rpc::kListExchanges: {
      socio::v1::ListExchangesRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int page_size = request.page_size() == 0 ? 50 : request.page_size();  // its default
      Read(call, server.exchanges(), request, &socio::v1::ExchangeService::Stub::ListExchanges,
           [&](const socio::v1::ListExchangesResponse& page) {
             if (page.exchanges_size() > page_size) Violated(call, "page longer than page_size");
           });
      return;
    }
    // Host invitations: writes of a delegation, which a refusal leaves as it was.
    case Rpc::kInviteHosts: {
      socio::v1::InviteHostsRequest request;
      if (!Parse(bytes, &request)) return;
      DelegationWrite({rpc, who, &request}, request.delegation_id(), request,
                      &DelegationService::Stub::InviteHosts, false);
      return;
    }
    case Rpc::kAnswerHostInvitation: {
      socio::v1::AnswerHostInvitationRequest request;
      if (!Parse(bytes, &request)) return;
      DelegationWrite({rpc, who, &request}, request.delegation_id(), request,
                      &DelegationService::Stub::AnswerHostInvitation, false);
      return;
    }
    case Rpc::kListHostInvitations: {
      socio::v1::ListHostInvitationsRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.delegations(), request,
           &DelegationService::Stub::ListHostInvitations);
      return;
    }
    // Chambers: writes change nothing when rejected; reads keep their page
    // sizes.
    case Rpc::kCreateChamber: {
      socio::v1::CreateChamberRequest request;
      if (!Parse(bytes, &request)) return;
      ChamberWrite({rpc, who, &request}, request.chamber().id(), "", request,
                   &socio::v1::ChamberService::Stub::CreateChamber);
      return;
    }
    case Rpc::kGetChamber: {
      socio::v1::GetChamberRequest request;
      if (!Parse(bytes, &request)) return;
      Read({rpc, who, &request}, server.chambers(), request,
           &socio::v1::ChamberService::Stub::GetChamber);
      return;
    }
    case Rpc::kListChambers: {
      socio::v1::ListChambersRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int page_size = request.page_size() == 0 ? 50 : request.page_size();  // its default
      Read(call, server.chambers(), request, &socio::v1::ChamberService::Stub::ListChambers,
           [&](const socio::v1::ListChambersResponse& page) {
             if (page.chambers_size() > page_size) Violated(call, "page longer than page_size");
           });
      return;
    }
    case Rpc::kUpdateChamber: {
      socio::v1::UpdateChamberRequest request;
      if (!Parse(bytes, &request)) return;
      ChamberWrite({rpc, who, &request}, request.chamber().id(), "", request,
                   &socio::v1::ChamberService::Stub::UpdateChamber);
      return;
    }
    case Rpc::kDeleteChamber: {
      socio::v1::DeleteChamberRequest request;
      if (!Parse(bytes, &request)) return;
      ChamberWrite({rpc, who, &request}, request.id(), "", request,
                   &socio::v1::ChamberService::Stub::DeleteChamber);
      return;
    }
    case Rpc::kProposePartnerChamber: {
      socio::v1::ProposePartnerChamberRequest request;
      if (!Parse(bytes, &request)) return;
      ChamberWrite({rpc, who, &request}, ActingChamber(who, request.chamber_id()),
                   request.partner_chamber_id(), request,
                   &socio::v1::ChamberService::Stub::ProposePartnerChamber);
      return;
    }
    case Rpc::kAcceptPartnerChamber: {
      socio::v1::AcceptPartnerChamberRequest request;
      if (!Parse(bytes, &request)) return;
      ChamberWrite({rpc, who, &request}, ActingChamber(who, request.chamber_id()),
                   request.partner_chamber_id(), request,
                   &socio::v1::ChamberService::Stub::AcceptPartnerChamber);
      return;
    }
    case Rpc::kEndPartnerChamber: {
      socio::v1::EndPartnerChamberRequest request;
      if (!Parse(bytes, &request)) return;
      ChamberWrite({rpc, who, &request}, ActingChamber(who, request.chamber_id()),
                   request.partner_chamber_id(), request,
                   &socio::v1::ChamberService::Stub::EndPartnerChamber);
      return;
    }
    case Rpc::kListPartnerChambers: {
      socio::v1::ListPartnerChambersRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      const int page_size = request.page_size() == 0 ? 50 : request.page_size();  // its default
      Read(call, server.chambers(), request, &socio::v1::ChamberService::Stub::ListPartnerChambers,
           [&](const socio::v1::ListPartnerChambersResponse& page) {
             if (page.partners_size() > page_size) Violated(call, "page longer than page_size");
           });
      return;
    }
    case Rpc::kGetDelegationBriefing: {
      socio::v1::GetDelegationBriefingRequest request;
      if (!Parse(bytes, &request)) return;
      const Call call{rpc, who, &request};
      Read(call, server.delegations(), request, &DelegationService::Stub::GetDelegationBriefing,
           [&](const socio::v1::Briefing& b) {
             // The staff's notes are for operators and the organising staff.
             if (who == Identity::kMember && !b.staff_notes().empty()) {
               Violated(call, "a member read the staff's briefing notes");
             }
           });
      return;
    }
  }
}

}  // namespace
}  // namespace socio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using socio::fuzz::Identity;
  using socio::fuzz::Rpc;
  // Requests with strings that are not UTF-8 do not parse; protobuf would
  // log each one.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  if (size < 2) return 0;
  const Rpc rpc = static_cast<Rpc>(data[0] % socio::fuzz::kRpcCount);
  const Identity who = static_cast<Identity>(data[1] % socio::fuzz::kIdentityCount);
  socio::fuzz::Run(rpc, who, absl::string_view(reinterpret_cast<const char*>(data) + 2, size - 2));
  return 0;
}
