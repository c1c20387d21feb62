#include "planner/internal/lock_placement.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "planner/internal/slot_assignment.h"

namespace socio::planner::internal {
namespace {

std::string Quoted(const std::string& id) { return absl::StrCat("\"", id, "\""); }

// Why a company cannot take one more lock.
std::string CapReason(const char* kind, const Company& company, int cap) {
  if (company.max_meetings >= 0 && company.max_meetings <= cap) {
    return absl::StrCat(kind, " ", Quoted(company.id), "'s max_meetings (", cap,
                        ") are all taken by earlier locks");
  }
  return absl::StrCat(kind, " ", Quoted(company.id), " can meet in only ", cap,
                      " slots, all taken by earlier locks");
}

}  // namespace

std::vector<UnplacedLock> PlaceLocks(const PlanProblem& problem, Schedule* schedule) {
  const SlotInstance& in = schedule->instance();
  const int nh = in.hosts;
  std::vector<UnplacedLock> unplaced;
  std::map<int, int> lock_of_pair;  // placed pair -> the lock that placed it
  auto lock_name = [&](int pair) { return absl::StrCat("locks[", lock_of_pair[pair], "]"); };

  std::vector<int> order;
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    if (problem.locks[i].slot >= 0) order.push_back(static_cast<int>(i));
  }
  for (size_t i = 0; i < problem.locks.size(); ++i) {
    if (problem.locks[i].slot < 0) order.push_back(static_cast<int>(i));
  }
  for (int i : order) {
    const Lock& lock = problem.locks[i];
    const int d = lock.delegate;
    const int h = lock.host;
    const int pair = d * nh + h;
    const Company& delegate = problem.delegates[d];
    const Company& host = problem.hosts[h];
    auto refuse = [&](const std::string& why) {
      unplaced.push_back({i, absl::StrCat("locks[", i, "]: ", why)});
    };
    if (schedule->SlotOf(pair) >= 0) {
      if (lock.slot >= 0 && lock.slot != schedule->SlotOf(pair)) {
        refuse(absl::StrCat("delegate ", Quoted(delegate.id), " and host ", Quoted(host.id),
                            " are already locked in slot ", schedule->SlotOf(pair), " by ",
                            lock_name(pair)));
      }
      continue;
    }
    if (schedule->DelegateDegree(d) >= in.delegate_cap[d]) {
      refuse(CapReason("delegate", delegate, in.delegate_cap[d]));
      continue;
    }
    if (schedule->HostDegree(h) >= in.host_cap[h]) {
      refuse(CapReason("host", host, in.host_cap[h]));
      continue;
    }
    if (lock.slot >= 0) {
      const int t = lock.slot;
      if (const int other = schedule->DelegateAt(d, t); other >= 0) {
        refuse(absl::StrCat("delegate ", Quoted(delegate.id), " already meets host ",
                            Quoted(problem.hosts[other].id), " in slot ", t, " (",
                            lock_name(d * nh + other), ")"));
        continue;
      }
      if (const int other = schedule->HostAt(h, t); other >= 0) {
        refuse(absl::StrCat("host ", Quoted(host.id), " already meets delegate ",
                            Quoted(problem.delegates[other].id), " in slot ", t, " (",
                            lock_name(other * nh + h), ")"));
        continue;
      }
      if (!schedule->TableFree(t)) {
        refuse(absl::StrCat("all ", in.tables[t], " tables of slot ", t,
                            " are taken by earlier locks"));
        continue;
      }
      schedule->SetPin(pair, Pin::kFixedSlot);
      schedule->Add(pair, t);
    } else {
      schedule->SetPin(pair, Pin::kAnySlot);
      if (!PlaceWithoutLoss(pair, schedule)) {
        schedule->SetPin(pair, Pin::kNone);
        refuse(absl::StrCat("every slot delegate ", Quoted(delegate.id), " and host ",
                            Quoted(host.id),
                            " can both attend is taken by one of their earlier locks or has "
                            "all its tables taken by locks"));
        continue;
      }
    }
    lock_of_pair[pair] = i;
  }
  schedule->Commit();
  std::sort(unplaced.begin(), unplaced.end(),
            [](const UnplacedLock& a, const UnplacedLock& b) { return a.lock < b.lock; });
  return unplaced;
}

}  // namespace socio::planner::internal
