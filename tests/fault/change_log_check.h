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
// The cluster harness checks its nodes' logs with the reader and the replay
// below, which ChangeLogCheck is built on.
//
// Thread safety: one thread.
#ifndef SOCIO_TESTS_FAULT_CHANGE_LOG_CHECK_H_
#define SOCIO_TESTS_FAULT_CHANGE_LOG_CHECK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::fault {

// One WatchProfiles call reading the change log after a sequence number, up
// to the end the log had when the call began (the socio-last-sequence
// metadata); deadline 5 minutes.
//
//   ChangeLogReader reader(stub, after);
//   if (!reader.has_last()) return reader.Finish();
//   while (... && reader.Read(&change)) ...
//   reader.Cancel();                        // the stream would wait for more
//   grpc::Status ended = reader.Finish();   // CANCELLED, as asked
class ChangeLogReader {
 public:
  // Starts the call and waits for its initial metadata.
  ChangeLogReader(socio::v1::ProfileService::Stub& stub, uint64_t after);
  ChangeLogReader(const ChangeLogReader&) = delete;
  ChangeLogReader& operator=(const ChangeLogReader&) = delete;

  // Whether the answer named the log's end; if not, the call was cancelled
  // and Finish() says how it ended.
  bool has_last() const { return has_last_; }
  // The log's end when the call began. REQUIRES: has_last().
  uint64_t last() const { return last_; }
  // The next change; false once the stream has ended.
  bool Read(socio::v1::ProfileChange* change) { return stream_->Read(change); }
  // Asks the server to end the call.
  void Cancel() { context_.TryCancel(); }
  // The call's status. Call once.
  grpc::Status Finish();

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<socio::v1::ProfileChange>> stream_;
  bool has_last_ = false;
  uint64_t last_ = 0;
  std::optional<grpc::Status> ended_;  // when the call was ended at the start
};

// What a change log replays to: each id's last change, unless a delete.
using ReplayedProfiles = absl::flat_hash_map<std::string, socio::v1::Profile>;

// Applies `change` to `replay`.
void Replay(const socio::v1::ProfileChange& change, ReplayedProfiles* replay);

// Appends to `violations` how `replay` differs from `stored` (every profile
// the server holds, by id): the first ten differences, the rest counted.
void CheckReplay(const ReplayedProfiles& replay,
                 const absl::btree_map<std::string, socio::v1::Profile>& stored,
                 std::vector<std::string>* violations);

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
  // The log replayed up to verified().
  ReplayedProfiles replay_;
  int64_t entries_read_ = 0;
};

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CHANGE_LOG_CHECK_H_
