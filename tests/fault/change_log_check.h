// ChangeLogCheck: the crash harness's view of sociod's change log, read
// through WatchProfiles after every restart.
//
// It remembers a hash of every change it has read and the profiles the log
// replays to, so each restart can be checked against all restarts before it:
// the log is numbered 1..N without a hole, what was read before is unchanged,
// it ends where the writers' ledgers say it must, and replaying it (the last
// change of each id) gives exactly the stored profiles.
//
//   ChangeLogCheck log;
//   log.Verify(stub, /*from_start=*/true, expected_last, stored, &violations);
//
// Thread safety: one thread.
#ifndef SOCIO_TESTS_FAULT_CHANGE_LOG_CHECK_H_
#define SOCIO_TESTS_FAULT_CHANGE_LOG_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::fault {

class ChangeLogCheck {
 public:
  // Reads the log from its start (`from_start`) or from a little before the
  // last change verified, and appends what is wrong to `violations`. The log
  // must end at `expected_last`; `accounting` says where that figure comes
  // from, for the message.
  void Verify(socio::v1::ProfileService::Stub& stub, bool from_start, uint64_t expected_last,
              const std::string& accounting,
              const absl::btree_map<std::string, socio::v1::Profile>& stored,
              std::vector<std::string>* violations);

  // Whether `change` is the one read before with its sequence number.
  bool SameAsRead(const socio::v1::ProfileChange& change) const;

  // The last change verified; 0 before the first Verify.
  uint64_t verified() const { return hashes_.size(); }
  // Changes read over all Verify calls.
  int64_t entries_read() const { return entries_read_; }

 private:
  // Hash of change i + 1's serialized form.
  std::vector<size_t> hashes_;
  // The log replayed up to verified(): each id's last change, if not a delete.
  absl::flat_hash_map<std::string, socio::v1::Profile> replay_;
  int64_t entries_read_ = 0;
};

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CHANGE_LOG_CHECK_H_
