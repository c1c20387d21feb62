#include "tests/fault/crash_ledger.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"

namespace socio::fault {
namespace {

using google::protobuf::util::MessageDifferencer;

// Up to this much of a content difference goes into a message.
constexpr size_t kMaxDiff = 400;

std::string ContentDifference(const socio::v1::Profile& expected,
                              const socio::v1::Profile& stored) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  (void)differencer.Compare(expected, stored);  // the report is what we want
  if (report.size() > kMaxDiff) report = absl::StrCat(report.substr(0, kMaxDiff), "...");
  return report;
}

// Why `stored` is neither `acknowledged` nor `in_flight` (nullptr: none).
std::string Mismatch(const std::string& id, const ProfileState& stored,
                     const ProfileState& acknowledged, const Write* write,
                     const ProfileState* in_flight) {
  std::string message = absl::StrCat("profile '", id, "': stored ", Describe(stored),
                                     "; the last acknowledged write left ", Describe(acknowledged));
  if (write == nullptr) {
    absl::StrAppend(&message, " and no write to it was in flight");
  } else {
    absl::StrAppend(&message, "; the ", KindName(write->kind),
                    " in flight at the kill would leave ", Describe(*in_flight));
  }
  const ProfileState& closest =
      in_flight != nullptr && in_flight->exists ? *in_flight : acknowledged;
  if (stored.exists && closest.exists && stored.version == closest.version) {
    absl::StrAppend(&message,
                    "; content differs: ", ContentDifference(closest.content, stored.content));
  }
  return message;
}

}  // namespace

ProfileState StateOf(const socio::v1::Profile& profile) {
  ProfileState state{.exists = true, .version = profile.version(), .content = profile};
  state.content.clear_version();
  state.content.clear_create_time();
  state.content.clear_update_time();
  state.content.clear_handle();  // assigned by the server
  return state;
}

bool SameState(const ProfileState& a, const ProfileState& b) {
  if (a.exists != b.exists) return false;
  if (!a.exists) return true;
  return a.version == b.version && MessageDifferencer::Equals(a.content, b.content);
}

std::string Describe(const ProfileState& state) {
  if (!state.exists) return "absent";
  return absl::StrCat("version ", state.version, " (chamber ", state.content.chamber_id(), ")");
}

const char* KindName(Write::Kind kind) {
  switch (kind) {
    case Write::kCreate:
      return "create";
    case Write::kUpdate:
      return "update";
    case Write::kDelete:
      return "delete";
    case Write::kImport:
      return "import";
  }
  return "write";
}

void WriterLedger::Begin(Write write) {
  for (const auto& [id, state] : write.outcomes) known_.try_emplace(id);  // new ids: absent
  in_flight_ = std::move(write);
}

void WriterLedger::Acknowledge() {
  for (auto& [id, state] : in_flight_->outcomes) known_[id] = std::move(state);
  in_flight_.reset();
}

std::vector<std::string> WriterLedger::PresentIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, state] : known_) {
    if (state.exists) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());  // the same choices for the same seed
  return ids;
}

std::vector<std::string> WriterLedger::AbsentIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, state] : known_) {
    if (!state.exists) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

void LedgerFigures::Add(const LedgerFigures& other) {
  in_flight_writes += other.in_flight_writes;
  in_flight_items += other.in_flight_items;
  landed_items += other.landed_items;
  landed_writes += other.landed_writes;
  partial_imports += other.partial_imports;
  for (size_t k = 0; k < in_flight_by_kind.size(); ++k) {
    in_flight_by_kind[k] += other.in_flight_by_kind[k];
    landed_by_kind[k] += other.landed_by_kind[k];
  }
}

LedgerCheck CheckLedgers(const std::vector<WriterLedger*>& ledgers,
                         const absl::btree_map<std::string, socio::v1::Profile>& stored) {
  LedgerCheck check;
  absl::flat_hash_set<std::string> written;
  const auto stored_state = [&](const std::string& id) {
    auto it = stored.find(id);
    return it == stored.end() ? ProfileState{} : StateOf(it->second);
  };
  for (WriterLedger* ledger : ledgers) {
    const Write* write = ledger->in_flight() ? &*ledger->in_flight() : nullptr;
    absl::flat_hash_map<std::string, size_t> position;  // id -> index in write->outcomes
    if (write != nullptr) {
      ++check.in_flight_writes;
      check.in_flight_items += static_cast<int64_t>(write->outcomes.size());
      for (size_t i = 0; i < write->outcomes.size(); ++i) position[write->outcomes[i].first] = i;
    }
    std::vector<bool> landed(write != nullptr ? write->outcomes.size() : 0, false);
    for (const auto& [id, acknowledged] : ledger->known()) {
      written.insert(id);
      const ProfileState now = stored_state(id);
      auto in_flight = position.find(id);
      if (in_flight == position.end()) {
        if (!SameState(now, acknowledged)) {
          check.violations.push_back(
              absl::StrCat("acknowledged write lost or changed: ",
                           Mismatch(id, now, acknowledged, nullptr, nullptr)));
        }
        continue;
      }
      const ProfileState& outcome = write->outcomes[in_flight->second].second;
      const bool as_acknowledged = SameState(now, acknowledged);
      const bool as_in_flight = SameState(now, outcome);
      if (!as_acknowledged && !as_in_flight) {
        check.violations.push_back(absl::StrCat("in-flight write half there or changed: ",
                                                Mismatch(id, now, acknowledged, write, &outcome)));
      }
      landed[in_flight->second] = as_in_flight && !as_acknowledged;
    }
    if (write != nullptr) {
      size_t count = 0;
      while (count < landed.size() && landed[count]) ++count;
      const size_t total = static_cast<size_t>(std::count(landed.begin(), landed.end(), true));
      check.landed_items += static_cast<int64_t>(total);
      if (total == landed.size()) ++check.landed_writes;
      if (total > 0 && total < landed.size()) ++check.partial_imports;
      ++check.in_flight_by_kind[write->kind];
      if (total > 0) ++check.landed_by_kind[write->kind];
      if (total != count) {
        std::vector<std::string> out_of_order;
        for (size_t i = count; i < landed.size() && out_of_order.size() < 5; ++i) {
          if (landed[i])
            out_of_order.push_back(absl::StrCat("#", i, " ", write->outcomes[i].first));
        }
        check.violations.push_back(
            absl::StrCat("in-flight ", KindName(write->kind), " of ", landed.size(),
                         " items landed out of order: items 0..", count, " are stored but item #",
                         count, " (", write->outcomes[count].first,
                         ") is not, while later ones are: ", absl::StrJoin(out_of_order, ", ")));
      } else if (write->batch_size > 0 && count != landed.size() &&
                 count % static_cast<size_t>(write->batch_size) != 0) {
        check.violations.push_back(absl::StrCat(
            "in-flight import of ", landed.size(), " items landed in part: its first ", count,
            " items are stored, not a whole number of batches of ", write->batch_size));
      }
      for (const auto& [id, outcome] : write->outcomes) ledger->Settle(id, stored_state(id));
      ledger->ClearInFlight();
    }
  }
  for (const auto& [id, profile] : stored) {
    if (!written.contains(id)) {
      check.violations.push_back(absl::StrCat("profile '", id, "' is stored (",
                                              Describe(StateOf(profile)),
                                              ") but no writer ever wrote it"));
    }
  }
  return check;
}

}  // namespace socio::fault
