// IndexFollower: keeps a MatchIndex equal to the profile store. At start it
// loads the index saved by an earlier run (a snapshot) and replays the
// change log from where the snapshot ends, or, without a usable snapshot,
// builds the index from a scan of the store; then it applies the change log
// as it grows, so a committed write reaches FindPartners within milliseconds.
//
//   IndexFollower follower(store, index, snapshots, {});
//   absl::Status s = follower.Start();  // returns once the index is current
//   ...
//   follower.Stop();                    // saves a snapshot if it changed
//
// The scan (or snapshot) and the log meet without a gap: the sequence number
// is read before the scan (or saved with the snapshot), every change after it
// is replayed, and the index ignores a profile version it already holds.
// Snapshots are saved from the following thread, so each one reflects exactly
// the changes up to its sequence number; one that cannot be loaded (other
// reference data, a newer feature format, damage) is ignored and replaced.
//
// On a cluster node whose view was read afresh from etcd (its change log then
// starts later; ProfileStore::LogStart), a snapshot from before is not used,
// and a follower overtaken that way rebuilds the index from a scan.
//
// Thread safety: Start and Stop from one thread; the accessors from any.
#ifndef SOCIO_SERVICES_INDEX_FOLLOWER_H_
#define SOCIO_SERVICES_INDEX_FOLLOWER_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "matcher/match_index.h"
#include "services/index_feed.h"
#include "storage/profile_store.h"
#include "storage/snapshot_store.h"

namespace socio::services {

struct IndexBuildStats {
  size_t profiles = 0;
  absl::Duration elapsed;
  bool from_snapshot = false;  // loaded from a snapshot rather than scanned
  uint64_t replayed = 0;       // changes replayed after the snapshot
};

struct IndexFollowerOptions {
  // Threads that extract features when the index is built from a scan.
  // Default: 2.
  int threads = 2;
  // A snapshot is saved after this many changes since the last one (and
  // after a build from a scan, and at Stop when anything changed). Default:
  // 100,000.
  uint64_t snapshot_after_changes = 100000;
};

// Adds every stored profile to `index`, extracting features on `threads`
// threads. Errors of the scan.
absl::Status LoadIndex(const storage::ProfileStore& store, matcher::MatchIndex* index, int threads);

class IndexFollower final : public IndexFeed {
 public:
  // The name of the index's snapshot in the SnapshotStore.
  static constexpr char kSnapshotName[] = "match_index";

  // None is owned; all must outlive the follower. `snapshots` may be null:
  // then the index is always built from a scan and never saved.
  IndexFollower(const storage::ProfileStore* store, matcher::MatchIndex* index,
                storage::SnapshotStore* snapshots, const IndexFollowerOptions& options)
      : store_(store), index_(index), snapshots_(snapshots), options_(options) {}
  ~IndexFollower() override { Stop(); }
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Loads or builds the index (REQUIRES: it is empty) and brings it up to the
  // store's last change, then starts following the change log in the
  // background. Errors of the scan or of the change log.
  absl::Status Start();
  // Stops following and saves a snapshot if the index changed since the last
  // one; the index keeps what it has. Safe to call more than once.
  void Stop();

  // The last change-log sequence the index reflects.
  uint64_t applied_sequence() const override { return applied_.load(std::memory_order_acquire); }
  // Blocks until the index reflects `sequence` or `timeout` passes; whether it does.
  bool WaitForSequence(uint64_t sequence, absl::Duration timeout) const;
  // WaitForSequence of the store's last change when called.
  bool WaitUntilCurrent(absl::Duration timeout) const override {
    return WaitForSequence(store_->LastSequence(), timeout);
  }
  const IndexBuildStats& build_stats() const { return build_stats_; }
  // Snapshots saved since Start.
  int snapshots_saved() const { return snapshots_saved_.load(); }

 private:
  // Loads the snapshot and replays the log after it; false (index left
  // empty) if there is none or it cannot be used.
  bool LoadSnapshot();
  // Applies the changes after applied_sequence(), up to `max_count` of them;
  // how many.
  absl::StatusOr<size_t> ApplyChanges(size_t max_count);
  void SaveSnapshot();
  // Empties the index and builds it again from a scan of the store: for a
  // log that no longer holds the changes after applied_sequence() (a cluster
  // node's view read afresh).
  absl::Status Rebuild();
  void Follow();

  const storage::ProfileStore* const store_;
  matcher::MatchIndex* const index_;
  storage::SnapshotStore* const snapshots_;
  const IndexFollowerOptions options_;
  std::atomic<uint64_t> applied_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
  IndexBuildStats build_stats_;
  // Touched by the following thread, or by Start and Stop when it is not
  // running.
  uint64_t saved_sequence_ = 0;
  uint64_t changes_since_snapshot_ = 0;
  bool snapshot_due_ = false;
  std::atomic<int> snapshots_saved_ = 0;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_INDEX_FOLLOWER_H_
