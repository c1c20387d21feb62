// IndexFollower: keeps a MatchIndex equal to the profile store. It builds
// the index from a scan of the store, then applies the store's change log as
// it grows, so a committed write reaches FindPartners within milliseconds.
//
//   IndexFollower follower(store, index);
//   absl::Status s = follower.Start();  // returns once the index is built
//   ...
//   follower.Stop();
//
// The scan and the log meet without a gap: the sequence number is read
// before the scan, every change after it is replayed, and the index ignores a
// profile version it already holds.
//
// Thread safety: Start and Stop from one thread; applied_sequence from any.
#ifndef SOCIO_SERVICES_INDEX_FOLLOWER_H_
#define SOCIO_SERVICES_INDEX_FOLLOWER_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "matcher/match_index.h"
#include "storage/profile_store.h"

namespace socio::services {

struct IndexBuildStats {
  size_t profiles = 0;
  absl::Duration elapsed;
};

// Adds every stored profile to `index`, extracting features on `threads`
// threads. Errors of the scan.
absl::Status LoadIndex(const storage::ProfileStore& store, matcher::MatchIndex* index, int threads);

class IndexFollower {
 public:
  // Neither is owned; both must outlive the follower.
  IndexFollower(const storage::ProfileStore* store, matcher::MatchIndex* index)
      : store_(store), index_(index) {}
  ~IndexFollower() { Stop(); }
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Builds the index from the store, on `threads` threads, then starts
  // following the change log in the background. Errors of the scan.
  absl::Status Start(int threads = 2);
  // Stops following; the index keeps what it has.
  void Stop();

  // The last change-log sequence the index reflects.
  uint64_t applied_sequence() const { return applied_.load(std::memory_order_acquire); }
  // Blocks until the index reflects `sequence` or `timeout` passes; whether it does.
  bool WaitForSequence(uint64_t sequence, absl::Duration timeout) const;
  const IndexBuildStats& build_stats() const { return build_stats_; }

 private:
  void Follow();

  const storage::ProfileStore* const store_;
  matcher::MatchIndex* const index_;
  std::atomic<uint64_t> applied_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
  IndexBuildStats build_stats_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_INDEX_FOLLOWER_H_
