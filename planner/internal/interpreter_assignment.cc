#include "planner/internal/interpreter_assignment.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace socio::planner::internal {
namespace {

// The interpreters of each slot matched to the meetings that need one, by augmenting paths.
class SlotMatching {
 public:
  SlotMatching(const PlanProblem& problem, std::vector<Meeting>* meetings,
               const std::map<std::pair<int, int>, int>& need_of)
      : problem_(problem),
        meetings_(*meetings),
        need_of_(need_of),
        holder_(problem.tables.size(), std::vector<int>(problem.interpreters.size(), -1)) {}

  // Gives meeting `m` an interpreter available in `slot`, re-assigning others of that slot
  // along an augmenting path; the meeting's slot is not read. False, with nothing changed,
  // when there is none.
  bool Cover(int m, int slot) {
    std::vector<bool> visited(problem_.interpreters.size(), false);
    return Augment(m, slot, &visited);
  }

 private:
  bool Augment(int m, int slot, std::vector<bool>* visited) {
    const InterpreterNeed& need =
        problem_.interpreter_needs[need_of_.at({meetings_[m].delegate, meetings_[m].host})];
    for (int i : need.interpreters) {
      if ((*visited)[i] || !problem_.interpreters[i].available[slot]) continue;
      (*visited)[i] = true;
      const int other = holder_[slot][i];
      if (other < 0 || Augment(other, slot, visited)) {
        holder_[slot][i] = m;
        meetings_[m].interpreter = i;
        return true;
      }
    }
    return false;
  }

  const PlanProblem& problem_;
  std::vector<Meeting>& meetings_;
  const std::map<std::pair<int, int>, int>& need_of_;
  std::vector<std::vector<int>> holder_;  // [slot][interpreter] -> meeting, -1: free
};

}  // namespace

void AssignInterpreters(const PlanProblem& problem, PlanResult* result) {
  std::vector<Meeting>& meetings = result->meetings;
  std::map<std::pair<int, int>, int> need_of;  // (delegate, host) -> interpreter_needs index
  for (size_t i = 0; i < problem.interpreter_needs.size(); ++i) {
    need_of.emplace(
        std::make_pair(problem.interpreter_needs[i].delegate, problem.interpreter_needs[i].host),
        static_cast<int>(i));
  }
  std::vector<int> flagged;
  for (size_t m = 0; m < meetings.size(); ++m) {
    meetings[m].interpreter = -1;
    meetings[m].needs_interpreter = need_of.count({meetings[m].delegate, meetings[m].host}) > 0;
    if (meetings[m].needs_interpreter) flagged.push_back(static_cast<int>(m));
  }
  if (flagged.empty()) return;

  SlotMatching matching(problem, &meetings, need_of);
  std::vector<int> uncovered;
  for (int m : flagged) {
    if (!matching.Cover(m, meetings[m].slot)) uncovered.push_back(m);
  }

  // Moves: only meetings that are neither locked nor kept from the previous plan.
  std::set<std::tuple<int, int, int>> kept;  // (delegate, host, slot) of `previous`
  for (const Meeting& p : problem.previous) kept.insert({p.delegate, p.host, p.slot});
  const int slots = static_cast<int>(problem.tables.size());
  std::vector<std::set<int>> busy(slots);  // per slot: delegates as d, hosts as -1 - h
  std::vector<std::set<int>> tables(slots);
  for (const Meeting& m : meetings) {
    busy[m.slot].insert(m.delegate);
    busy[m.slot].insert(-1 - m.host);
    tables[m.slot].insert(m.table);
  }
  for (int m : uncovered) {
    Meeting& meeting = meetings[m];
    if (meeting.locked || kept.count({meeting.delegate, meeting.host, meeting.slot}) > 0) continue;
    std::vector<int> order;
    for (int s = 0; s < slots; ++s) {
      if (s != meeting.slot) order.push_back(s);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return std::abs(a - meeting.slot) < std::abs(b - meeting.slot);
    });
    for (int s : order) {
      if (!problem.delegates[meeting.delegate].available[s] ||
          !problem.hosts[meeting.host].available[s] ||
          static_cast<int>(tables[s].size()) >= problem.tables[s] ||
          busy[s].count(meeting.delegate) > 0 || busy[s].count(-1 - meeting.host) > 0 ||
          !matching.Cover(m, s)) {
        continue;
      }
      busy[meeting.slot].erase(meeting.delegate);
      busy[meeting.slot].erase(-1 - meeting.host);
      tables[meeting.slot].erase(meeting.table);
      int table = 0;
      while (tables[s].count(table) > 0) ++table;
      meeting.slot = s;
      meeting.table = table;
      busy[s].insert(meeting.delegate);
      busy[s].insert(-1 - meeting.host);
      tables[s].insert(table);
      ++result->interpreter_moves;
      break;
    }
  }

  if (result->interpreter_moves > 0) {
    std::map<std::pair<int, int>, int> slot_of;
    for (const Meeting& m : meetings) slot_of[{m.delegate, m.host}] = m.slot;
    result->moved = 0;
    for (const Meeting& p : problem.previous) {
      const auto it = slot_of.find({p.delegate, p.host});
      if (it == slot_of.end() || it->second != p.slot) ++result->moved;
    }
    std::sort(meetings.begin(), meetings.end(), [](const Meeting& a, const Meeting& b) {
      return a.slot != b.slot ? a.slot < b.slot : a.table < b.table;
    });
  }
  result->uncovered.clear();
  for (size_t m = 0; m < meetings.size(); ++m) {
    if (meetings[m].needs_interpreter && meetings[m].interpreter < 0) {
      result->uncovered.push_back(static_cast<int>(m));
    }
  }
}

}  // namespace socio::planner::internal
