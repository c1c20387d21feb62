// CrashLedger: what the crash harness's writers know for sure about the
// profiles they wrote, and the check of a restarted server's profiles
// against it.
//
// Every profile id belongs to one writer, which writes it one call at a time,
// so an id has one acknowledged state (absent, or present at a version with
// known content) and at most one write in flight whose answer never came
// (the server was killed). After a restart each id must be in its
// acknowledged state or, if a write to it was in flight, in the state that
// write would have left; an in-flight import must have landed as a prefix of
// whole batches of its stream.
//
//   WriterLedger ledger;                 // one per writer thread
//   ledger.Begin(write);                 // before the call
//   ledger.Acknowledge();                // the call returned OK
//   ...                                  // server killed, restarted
//   LedgerCheck check = CheckLedgers({&ledger, ...}, stored_profiles);
//   // check.violations empty; the ledgers now hold what was stored
//
// Thread safety: a WriterLedger belongs to one thread at a time; CheckLedgers
// runs when the writers have stopped.
#ifndef SOCIO_TESTS_FAULT_CRASH_LEDGER_H_
#define SOCIO_TESTS_FAULT_CRASH_LEDGER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "socio/v1/profile.pb.h"

namespace socio::fault {

// What the store holds for one id.
struct ProfileState {
  bool exists = false;
  int64_t version = 0;         // when exists
  socio::v1::Profile content;  // when exists: without version, times and handle
};

// `profile` as a state: present, its version, content without output fields.
ProfileState StateOf(const socio::v1::Profile& profile);
// Whether `a` and `b` are the same state (content compared field by field).
bool SameState(const ProfileState& a, const ProfileState& b);
// For messages: "absent", "version 3 (chamber ihk-muenchen)".
std::string Describe(const ProfileState& state);

// One write call: the state it leaves for each id it touches, in stream order.
struct Write {
  enum Kind { kCreate, kUpdate, kDelete, kImport };
  Kind kind = kCreate;
  std::vector<std::pair<std::string, ProfileState>> outcomes;
  // Imports: the server commits items in atomic batches of this many, in
  // stream order; 0 for single writes.
  int batch_size = 0;
};
const char* KindName(Write::Kind kind);

class WriterLedger {
 public:
  // Records `write` as in flight. REQUIRES: nothing is in flight; every id of
  // `write` is new to all ledgers or belongs to this one.
  void Begin(Write write);
  // The write in flight was acknowledged: its outcomes are now known states.
  void Acknowledge();
  bool has_in_flight() const { return in_flight_.has_value(); }
  const std::optional<Write>& in_flight() const { return in_flight_; }

  // Acknowledged state of every id this writer ever wrote.
  const absl::flat_hash_map<std::string, ProfileState>& known() const { return known_; }
  // Ids present / absent in their acknowledged state, for choosing writes.
  std::vector<std::string> PresentIds() const;
  std::vector<std::string> AbsentIds() const;
  // Takes the state a check found for an id after a restart.
  void Settle(const std::string& id, ProfileState state) { known_[id] = std::move(state); }
  void ClearInFlight() { in_flight_.reset(); }

 private:
  absl::flat_hash_map<std::string, ProfileState> known_;
  std::optional<Write> in_flight_;
};

// What a check found of the writes in flight; a harness adds them up over
// its cycles.
struct LedgerFigures {
  int64_t in_flight_writes = 0;  // writes whose answer never came
  int64_t in_flight_items = 0;   // ids those writes touched
  int64_t landed_items = 0;      // of those, ids in the state the write would leave
  int64_t landed_writes = 0;     // in-flight writes that landed whole
  int64_t partial_imports = 0;   // in-flight imports of which some whole batches landed
  // By Write::Kind: writes in flight, and those of which something landed.
  std::array<int64_t, 4> in_flight_by_kind{};
  std::array<int64_t, 4> landed_by_kind{};

  void Add(const LedgerFigures& other);
};

struct LedgerCheck : LedgerFigures {
  std::vector<std::string> violations;
};

// Compares `stored` (every profile the restarted server holds, by id) with
// the ledgers and, when it agrees, settles every in-flight write: the ledgers
// then hold the stored states and nothing in flight.
LedgerCheck CheckLedgers(const std::vector<WriterLedger*>& ledgers,
                         const absl::btree_map<std::string, socio::v1::Profile>& stored);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CRASH_LEDGER_H_
