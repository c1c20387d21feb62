// Fuzzes PlanDelegation (planner/plan.h) on small problems decoded from the
// bytes: up to 12 delegates, 20 hosts, 3 days of up to 8 slots, tables,
// availability, caps, minimums, excluded pairs, locks and a previous plan;
// now and then one field breaks the contract on purpose.
//
// Invariants: a problem ValidateProblem refuses is INVALID_ARGUMENT, one
// with a lock that could never be placed FAILED_PRECONDITION; any other is
// planned, and the plan keeps every promise of PlanResult (checked from
// scratch by tests/planner/plan_test_support.h: nobody twice in a slot,
// availability, tables, caps, exclusions, locks, total <= bound, loads);
// planning again from that plan gives a valid plan too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "planner/internal/plan_validation.h"
#include "planner/plan.h"
#include "tests/fuzz/byte_reader.h"
#include "tests/planner/plan_test_support.h"

namespace socio::fuzz {
namespace {

using planner::Company;
using planner::Lock;
using planner::Meeting;
using planner::PlanOptions;
using planner::PlanProblem;
using planner::PlanResult;

Company DecodeCompany(ByteReader& in, const std::string& id, int slots, bool delegate) {
  Company c{.id = id};
  for (int t = 0; t < slots; ++t) c.available.push_back(in.Chance(200));
  c.max_meetings = in.Chance(100) ? in.Range(0, delegate ? 8 : 4) : -1;
  if (delegate && in.Chance(100)) c.min_meetings = in.Range(1, 6);
  return c;
}

// Breaks one field of `p` as the byte says; ValidateProblem must then refuse it.
void BreakOneField(ByteReader& in, PlanProblem& p) {
  switch (in.Range(0, 7)) {
    case 0:
      if (!p.tables.empty()) p.tables[in.Byte() % p.tables.size()] = -1;
      break;
    case 1:
      if (!p.scores.empty()) {
        p.scores[in.Byte() % p.scores.size()] =
            in.Chance(128) ? std::numeric_limits<double>::quiet_NaN() : 1.5;
      }
      break;
    case 2:
      if (p.slot_day.size() > 1) p.slot_day.front() = p.slot_day.back() + 1;
      break;
    case 3:
      if (!p.delegates.empty()) p.delegates[0].available.push_back(true);
      break;
    case 4:
      p.locks.push_back({static_cast<int>(p.delegates.size()), 0, -1});
      break;
    case 5:
      p.previous.push_back({0, static_cast<int>(p.hosts.size()), 0});
      break;
    case 6:
      if (!p.hosts.empty()) p.hosts[0].max_meetings = -2;
      break;
    default:
      p.excluded.push_back({-1, 0});
      break;
  }
}

PlanProblem Decode(ByteReader& in) {
  PlanProblem p;
  const int days = in.Range(1, 3);
  for (int day = 0; day < days; ++day) {
    const int slots = in.Range(1, 8);
    for (int i = 0; i < slots; ++i) p.slot_day.push_back(day);
  }
  const int slots = static_cast<int>(p.slot_day.size());
  for (int t = 0; t < slots; ++t) p.tables.push_back(in.Chance(20) ? 0 : in.Range(1, 6));
  const int nd = in.Range(0, 12);
  const int nh = in.Range(0, 20);
  for (int d = 0; d < nd; ++d)
    p.delegates.push_back(DecodeCompany(in, absl::StrCat("d", d), slots, true));
  for (int h = 0; h < nh; ++h)
    p.hosts.push_back(DecodeCompany(in, absl::StrCat("h", h), slots, false));
  for (int i = 0; i < nd * nh; ++i) p.scores.push_back(in.Chance(30) ? 0.0 : in.Byte() / 255.0);
  if (nd > 0 && nh > 0) {
    for (int i = in.Range(0, 4); i > 0; --i)
      p.excluded.push_back({in.Range(0, nd - 1), in.Range(0, nh - 1)});
    for (int i = in.Range(0, 4); i > 0; --i) {
      p.locks.push_back(
          {in.Range(0, nd - 1), in.Range(0, nh - 1), in.Chance(128) ? -1 : in.Range(0, slots - 1)});
    }
    for (int i = in.Range(0, 6); i > 0; --i) {
      p.previous.push_back({.delegate = in.Range(0, nd - 1),
                            .host = in.Range(0, nh - 1),
                            .slot = in.Range(0, slots - 1),
                            .table = in.Range(0, 5)});
    }
  }
  if (in.Chance(16)) BreakOneField(in, p);
  return p;
}

[[noreturn]] void Violated(const std::string& what) {
  std::fprintf(stderr, "planner: %s\n", what.c_str());
  std::abort();
}

// Plans `problem` and checks the outcome against what the checks predict;
// the plan, or nullopt when the problem was refused as predicted.
std::optional<PlanResult> PlanAndCheck(const PlanProblem& problem, const PlanOptions& options) {
  absl::Status expected = planner::internal::ValidateProblem(problem, options);
  if (expected.ok()) expected = planner::internal::CheckLocksPlaceable(problem);
  absl::StatusOr<PlanResult> result = planner::PlanDelegation(problem, options);
  if (result.status().code() != expected.code()) {
    Violated(absl::StrCat("planned with status ", result.status().ToString(), ", expected ",
                          expected.ToString()));
  }
  if (!result.ok()) return std::nullopt;
  const ::testing::AssertionResult valid = planner::testing::ValidPlan(problem, *result);
  if (!valid) Violated(absl::StrCat("invalid plan: ", valid.message()));
  return *std::move(result);
}

}  // namespace
}  // namespace socio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  socio::fuzz::ByteReader in(data, size);
  // Few rounds, so that the round limit (not the clock) ends the search and
  // an input replays the same way.
  const socio::planner::PlanOptions options{.search_time_limit = absl::Seconds(5),
                                            .search_rounds = in.Range(0, 40),
                                            .seed = in.Byte(),
                                            .candidate_hosts = in.Range(0, 3)};
  socio::planner::PlanProblem problem = socio::fuzz::Decode(in);
  std::optional<socio::planner::PlanResult> first = socio::fuzz::PlanAndCheck(problem, options);
  if (!first.has_value()) return 0;
  problem.previous = first->meetings;
  socio::fuzz::PlanAndCheck(problem, options);
  return 0;
}
