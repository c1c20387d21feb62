// socio-bench-quality: how often the right partner comes first and in the
// top five, for pairs of profiles a chamber's staff would pair at once,
// hidden among generated members.
//
//   socio-bench-quality --pairs bench/quality/pairs_as_written.jsonl
//                       [--members 20000] [--seed 2026] [--json] [--verbose]
//                       [--dictionary_dir /usr/share/dictd]
//
// A pairs file holds one profile per line (the JSON of socio.v1.Profile).
// Ids "NAME-a" and "NAME-b" are a pair; each side searches (FindPartners,
// default weights, top 5) and the other side's rank is noted. A profile
// "NAME-x..." is a look-alike of NAME-b: it must not rank above NAME-b for
// NAME-a. Everything but the id's prefix up to its first digit ("vc" of
// "vc01-a") names the pair's kind, reported on its own line.
//
// The figures are shares of directions (two per pair): first, in the top 5,
// and the look-alikes that rose above the partner.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/profile_generator.h"
#include "google/protobuf/util/json_util.h"
#include "matcher/match_index.h"
#include "matcher/scoring.h"
#include "reference/reference_data.h"

namespace socio::bench {
namespace {

using socio::v1::Profile;

constexpr int64_t kNow = 1795000000;  // 2026-11-18, as socio-bench-match

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "socio-bench-quality: " << what << "\n";
  std::exit(1);
}

struct Tally {
  int directions = 0;
  int first = 0;
  int top5 = 0;
  int lookalikes = 0;
  int lookalikes_risen = 0;
};

std::string KindOf(const std::string& id) {
  size_t end = 0;
  while (end < id.size() && std::isalpha(static_cast<unsigned char>(id[end]))) ++end;
  return id.substr(0, end);
}

int Run(const std::vector<std::string>& files, const std::string& dictionary_dir, int members,
        int seed, bool json, bool verbose) {
  std::vector<Profile> given;
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) Fail(absl::StrCat(file, ": cannot read"));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.empty() || line[0] == '#') continue;
      Profile p;
      if (!google::protobuf::util::JsonStringToMessage(line, &p).ok()) {
        Fail(absl::StrCat(file, ":", number, ": not a profile"));
      }
      p.set_version(1);
      given.push_back(p);
    }
  }
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load({.dictionary_dir = dictionary_dir});
  if (!reference.ok()) Fail("reference data: " + reference.status().ToString());
  matcher::MatchIndex index(std::make_shared<matcher::ScoringTables>(*reference));
  ProfileGenerator generator({.seed = static_cast<uint64_t>(seed)});
  std::vector<Profile> all;
  for (int i = 0; i < members; ++i) {
    all.push_back(generator.Next());
    all.back().set_version(1);
  }
  all.insert(all.end(), given.begin(), given.end());
  index.UpsertMany(all);

  matcher::PartnerQuery query;
  query.k = 5;
  query.weights = *matcher::NormalizeWeights(matcher::DefaultFactorWeights(), "weights");
  query.now_seconds = kNow;
  auto ranks = [&](const std::string& member) {
    query.member_id = member;
    absl::StatusOr<matcher::PartnerResult> result = index.FindPartners(query);
    if (!result.ok()) Fail(absl::StrCat(member, ": ", result.status().ToString()));
    std::map<std::string, int> out;
    for (const socio::v1::Match& m : result->matches) {
      out.emplace(m.partner_id(), m.rank());
      if (verbose) std::printf("  %d %s %.4f\n", m.rank(), m.partner_id().c_str(), m.score());
    }
    return out;
  };

  std::map<std::string, Tally> by_kind;
  Tally total;
  for (const Profile& p : given) {
    if (!absl::EndsWith(p.id(), "-a")) continue;
    const std::string name = p.id().substr(0, p.id().size() - 2);
    const std::string a = name + "-a", b = name + "-b";
    Tally& kind = by_kind[KindOf(name)];
    for (const auto& [member, partner] : {std::pair(a, b), std::pair(b, a)}) {
      const std::map<std::string, int> top = ranks(member);
      auto it = top.find(partner);
      const int rank = it == top.end() ? 0 : it->second;
      for (Tally* t : {&kind, &total}) {
        ++t->directions;
        t->first += rank == 1;
        t->top5 += rank > 0;
      }
      if (!json) {
        std::printf("%-8s %s finds %s %s\n", KindOf(name).c_str(), member.c_str(), partner.c_str(),
                    rank > 0 ? absl::StrCat("at ", rank).c_str() : "not in top 5");
      }
      if (member != a) continue;
      for (const Profile& x : given) {
        if (!absl::StartsWith(x.id(), name + "-x")) continue;
        auto lx = top.find(x.id());
        const bool risen = lx != top.end() && (rank == 0 || lx->second < rank);
        for (Tally* t : {&kind, &total}) {
          ++t->lookalikes;
          t->lookalikes_risen += risen;
        }
        if (!json && risen)
          std::printf("         look-alike %s rises above %s\n", x.id().c_str(), b.c_str());
      }
    }
  }
  auto share = [](int n, int of) { return of == 0 ? 0.0 : 100.0 * n / of; };
  if (json) {
    std::string kinds;
    for (const auto& [name, t] : by_kind) {
      absl::StrAppendFormat(&kinds, "%s\"%s\": {\"directions\": %d, \"first\": %d, \"top5\": %d}",
                            kinds.empty() ? "" : ", ", name, t.directions, t.first, t.top5);
    }
    std::printf(
        "{\"members\": %d, \"pairs\": %d, \"directions\": %d, \"first_percent\": %.1f, "
        "\"top5_percent\": %.1f, \"lookalikes\": %d, \"lookalikes_risen\": %d, \"kinds\": {%s}}\n",
        members, total.directions / 2, total.directions, share(total.first, total.directions),
        share(total.top5, total.directions), total.lookalikes, total.lookalikes_risen,
        kinds.c_str());
  } else {
    for (const auto& [name, t] : by_kind) {
      std::printf("%-8s %2d directions: first %5.1f %%, top 5 %5.1f %%\n", name.c_str(),
                  t.directions, share(t.first, t.directions), share(t.top5, t.directions));
    }
    std::printf(
        "all      %2d directions among %d members: first %.1f %%, top 5 %.1f %%; "
        "look-alikes above the partner: %d of %d\n",
        total.directions, members, share(total.first, total.directions),
        share(total.top5, total.directions), total.lookalikes_risen, total.lookalikes);
  }
  return 0;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) {
  CLI::App app{"How often the right partner ranks first and in the top five"};
  std::vector<std::string> files;
  int members = 20000;
  int seed = 2026;
  bool json = false;
  bool verbose = false;
  std::string dictionary_dir = socio::reference::kDebianDictionaryDir;
  app.add_option("--pairs", files, "JSONL files of profiles: NAME-a, NAME-b, NAME-x...")
      ->required();
  app.add_option("--members", members, "generated members to hide the pairs among");
  app.add_option("--seed", seed, "generator seed");
  app.add_flag("--json", json, "one JSON line");
  app.add_flag("--verbose", verbose, "each search's top 5 with scores");
  app.add_option("--dictionary_dir", dictionary_dir,
                 "FreeDict dictionaries for text in other languages, as sociod's flag");
  CLI11_PARSE(app, argc, argv);
  return socio::bench::Run(files, dictionary_dir, members, seed, json, verbose);
}
