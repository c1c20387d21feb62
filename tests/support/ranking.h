// Partners among a crowd: the quality tests place hand-written profiles
// among generated members and ask where a partner ranks.
//
//   MatchIndex index(tables);
//   index.UpsertMany(GeneratedCrowd(2026, 2000));
//   index.Upsert(ProfileFromJson(R"({"id": "a", ...})"));
//   std::string top;
//   EXPECT_GT(RankOf(index, "a", "b", 5, kNow, &top), 0) << top;
//
// Every search uses the default factor weights; a failed call is a test
// failure (gtest) and answers as if nothing was found.
#ifndef SOCIO_TESTS_SUPPORT_RANKING_H_
#define SOCIO_TESTS_SUPPORT_RANKING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "matcher/match_index.h"
#include "socio/v1/profile.pb.h"

namespace socio::testing {

// The first `count` members ProfileGenerator makes from `seed`, each at
// version 1.
std::vector<socio::v1::Profile> GeneratedCrowd(uint64_t seed, int count);

// The profile `json` (proto JSON mapping) writes, at version 1; a test
// failure naming the text if it does not parse.
socio::v1::Profile ProfileFromJson(absl::string_view json);

// The ids of `member`'s top `k` partners at `now_seconds`, best first;
// `*scores` (when not null) gets "id score; " for each, for messages.
std::vector<std::string> TopPartners(const matcher::MatchIndex& index, const std::string& member,
                                     int k, int64_t now_seconds, std::string* scores = nullptr);

// The 1-based rank of `partner` among `member`'s top `k`, or 0.
int RankOf(const matcher::MatchIndex& index, const std::string& member, const std::string& partner,
           int k, int64_t now_seconds, std::string* scores = nullptr);

// How often partners found each other, each direction counted once.
struct PairTally {
  int directions = 0;
  int found = 0;  // in the top k
  int first = 0;
};

// Ranks b among a's top `k` and a among b's, adding both to `*tally`; a
// test failure naming the pair and the top k for each direction that
// misses.
void RankBothWays(const matcher::MatchIndex& index, const std::string& a, const std::string& b,
                  int k, int64_t now_seconds, PairTally* tally);

// The reasons ExplainMatch gives for a -> b, joined with " | ".
std::string ReasonsOf(const matcher::MatchIndex& index, const std::string& a, const std::string& b,
                      int64_t now_seconds);

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_RANKING_H_
