// ProfileBatchWriter: writes batches of profiles into a ProfileStore one
// after another on a thread of its own, so that whoever hands them over (an
// import reading its stream) reads and prepares the next batch while the
// store writes the one before.
//
//   ProfileBatchWriter writer(store);
//   writer.Write(store->Prepare(std::move(items), upsert),
//                [&](const std::vector<Profile>& items, const BatchResults& results) {
//                  ... count results[i] for items[i] ...
//                });
//   ...
//   writer.Flush();  // every batch handed over is written and reported
//   if (!writer.store_failure().ok()) ...  // the disk filled on the way
//
// Ordering: batches are written in the order they are handed over, one at a
// time, each as one ProfileStore::PutPrepared (one atomic, synced batch). At
// most one batch is in hand: Write waits until the batch before it is
// written and reported. A batch's `done` runs on the writer's thread as soon
// as its write returns and before the next batch is written, so the `done`s
// run one at a time, in hand-over order.
//
// Errors: results are per item, as PutPrepared gives them. A batch that
// cannot be committed (the disk is full: RESOURCE_EXHAUSTED on every item
// it accepted; on a cluster node, etcd unreachable, UNAVAILABLE, or the
// outcome not learnt, DEADLINE_EXCEEDED) does not stop the writer: later
// batches are still tried. The first such result is kept for
// store_failure(); whether to hand over more is the caller's call.
//
// Shutdown: the destructor waits until the batch in hand is written and
// reported, then stops the thread. Nothing handed over is dropped.
//
// Thread safety: Write, Flush and storage_full are for one thread at a time
// (the owner's). `done` runs on the writer's thread; what it writes may be
// read by the owner once Flush (or the destructor) returns.
#ifndef SOCIO_STORAGE_PROFILE_BATCH_WRITER_H_
#define SOCIO_STORAGE_PROFILE_BATCH_WRITER_H_

#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "socio/v1/profile.pb.h"
#include "storage/profile_store.h"

namespace socio::storage {

// What became of each item of a batch, by position; see PutPrepared.
using BatchResults = std::vector<absl::StatusOr<socio::v1::ProfileChange::Kind>>;

class ProfileBatchWriter {
 public:
  // Called once per batch with its items (in their stored form where
  // written) and their results.
  using Done = std::function<void(const std::vector<socio::v1::Profile>& items,
                                  const BatchResults& results)>;

  // Starts the writer's thread. `store` is not owned and must outlive the
  // writer.
  explicit ProfileBatchWriter(ProfileStore* store);
  // Writes and reports the batch in hand, if any, then stops the thread.
  ~ProfileBatchWriter();

  ProfileBatchWriter(const ProfileBatchWriter&) = delete;
  ProfileBatchWriter& operator=(const ProfileBatchWriter&) = delete;

  // Hands `batch` over to be written once the batch before it is written
  // and reported (blocking until then), and `done` to be called with its
  // results. Returns without waiting for `batch` itself.
  void Write(PreparedProfiles batch, Done done);

  // Blocks until every batch handed over is written and reported.
  void Flush();

  // The first result of the batches written that is the store's failure,
  // not an item's (RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED), or
  // OK. Complete for the batches handed over once Flush returns.
  absl::Status store_failure() const;

 private:
  struct Job {
    PreparedProfiles batch;
    Done done;
  };

  // The writer's thread: takes each job in turn until stopped with none left.
  void Run();
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !job_.has_value() && !writing_; }
  bool HasJobOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return job_.has_value() || stopping_;
  }

  ProfileStore* const store_;
  mutable absl::Mutex mu_;
  std::optional<Job> job_ ABSL_GUARDED_BY(mu_);  // handed over, not yet taken
  bool writing_ ABSL_GUARDED_BY(mu_) = false;    // a job is being written or reported
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status store_failure_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_PROFILE_BATCH_WRITER_H_
