// WatchFollower: keeps a MatchIndex equal to the profiles of a profile role
// in another process by following its WatchProfiles stream; what the
// matcher role's index is fed by (IndexFollower does the same job when the
// profile store is local).
//
//   WatchFollower follower(clients::Channel::Open({.address = profiles_address,
//                                                  .token = operator_token}),
//                          &index, {.snapshots = snapshots});
//   follower.Start();                            // loads the saved index, never blocks on the peer
//   follower.WaitForCatchUp(absl::Seconds(30));  // optional: give it time to catch up
//   ...
//   follower.Stop();                             // saves a snapshot if the index changed
//
// The stream asks for the changes after applied_sequence(); whenever it
// fails or ends (the profile role restarts, the network drops) the follower
// opens it again after a backoff (min_backoff, doubling up to max_backoff
// while attempts fail) and resumes after the last change it applied, so no
// change is missed or applied twice. Start never waits for the profile role:
// while it is down, the index keeps what it has and the follower keeps
// trying in the background.
//
// A profile role whose change log ends before the follower's applied
// sequence (restored from an older backup, or another one altogether) is
// noticed when the stream opens (its last sequence, from the stream's
// initial metadata, is lower, or it answers OUT_OF_RANGE) or by a gap in the
// sequence numbers: the follower then empties the index and rebuilds it from
// the start of that role's log. While it rebuilds, searches see a partial
// index and WaitUntilCurrent is false. A restored log that has since grown
// past the applied sequence cannot be told apart from the original.
//
// Snapshots are saved from the following thread, after snapshot_after_changes
// changes, once caught up after starting without one (or after a rebuild),
// and at Stop; each reflects exactly the changes up to its sequence. One
// that cannot be loaded (other reference data, damage) is ignored.
//
// Thread safety: Start and Stop from one thread; the accessors from any.
#ifndef SOCIO_SERVICES_WATCH_FOLLOWER_H_
#define SOCIO_SERVICES_WATCH_FOLLOWER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/channel.h"
#include "clients/profile_client.h"
#include "matcher/match_index.h"
#include "services/index_feed.h"
#include "storage/snapshot_store.h"

namespace socio::services {

struct WatchFollowerOptions {
  // Where the index is saved and loaded from: the matcher's own data
  // directory. Not owned; must outlive the follower. Default: null, no
  // snapshots (the index is always rebuilt from the start of the log).
  storage::SnapshotStore* snapshots = nullptr;
  // Wait before opening the stream again after it failed or ended; doubles
  // while attempts fail. Defaults: 50 ms, up to 2 s.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
  // A snapshot is saved after this many changes since the last one. Default:
  // 100,000.
  uint64_t snapshot_after_changes = 100000;
  // Threads that extract features when a backlog of changes is applied.
  // Default: 2.
  int threads = 2;
};

class WatchFollower final : public IndexFeed {
 public:
  // The name of the index's snapshot in the SnapshotStore.
  static constexpr char kSnapshotName[] = "watched_match_index";

  // `profiles`: a channel to the profile role, with an operator's token
  // (WatchProfiles streams every chamber's changes). `index` is not owned
  // and must outlive the follower.
  WatchFollower(std::shared_ptr<const clients::Channel> profiles, matcher::MatchIndex* index,
                const WatchFollowerOptions& options);
  ~WatchFollower() override { Stop(); }
  WatchFollower(const WatchFollower&) = delete;
  WatchFollower& operator=(const WatchFollower&) = delete;

  // Loads the saved index if there is a usable one (REQUIRES: `index` is
  // empty) and starts following in the background. Returns at once.
  void Start();
  // Stops following and saves a snapshot if the index changed since the
  // last one; the index keeps what it has. Safe to call more than once.
  void Stop();

  // The last change of the profile role's log the index reflects.
  uint64_t applied_sequence() const override { return applied_.load(std::memory_order_acquire); }
  // Blocks until the index reflects `sequence` or `timeout` passes; whether it does.
  bool WaitForSequence(uint64_t sequence, absl::Duration timeout) const;
  // Blocks until the index reflects the profile role's last change as of the
  // stream's latest opening (and every change received since), or `timeout`
  // passes; whether it does. False until the profile role has been reached
  // once since Start, and false at once (no wait) while it cannot be
  // reached: a search then answers from what the index has.
  bool WaitUntilCurrent(absl::Duration timeout) const override;
  // The same, but waits through reconnection attempts: for start-up, to give
  // the follower time to reach the profile role and catch up.
  bool WaitForCatchUp(absl::Duration timeout) const;

  // Whether the stream from the profile role is open.
  bool connected() const { return state_.load() == State::kStreaming; }
  // Whether Start loaded a saved index, and the sequence it started from.
  bool from_snapshot() const { return from_snapshot_; }
  uint64_t start_sequence() const { return start_sequence_; }
  // Changes applied to the index since Start (each exactly once).
  uint64_t changes_applied() const { return changes_applied_.load(); }
  // Times the index was emptied and rebuilt since Start.
  int rebuilds() const { return rebuilds_.load(); }
  // Snapshots saved since Start.
  int snapshots_saved() const { return snapshots_saved_.load(); }

 private:
  enum class State { kConnecting, kStreaming, kWaiting };

  // Loads the snapshot; false (index left empty) if there is none or it
  // cannot be used.
  bool LoadSnapshot();
  void Follow();
  // Opens the stream once and applies what it brings until it ends; whether
  // it opened.
  bool WatchOnce();
  // Applies `pending` (upserts, in log order) whose last one is `sequence`.
  void Flush(std::vector<socio::v1::Profile>* pending, uint64_t sequence);
  // Empties the index to follow the log again from its start.
  void Rebuild(const std::string& why);
  void MaybeSaveSnapshot(bool final);
  bool stopping() const;

  const clients::ProfileClient profiles_;
  matcher::MatchIndex* const index_;
  const WatchFollowerOptions options_;

  std::atomic<uint64_t> applied_ = 0;
  // The profile role's last sequence as far as known; meaningful once heard_.
  std::atomic<uint64_t> source_sequence_ = 0;
  std::atomic<bool> heard_ = false;
  std::atomic<State> state_ = State::kConnecting;
  bool from_snapshot_ = false;
  uint64_t start_sequence_ = 0;
  std::atomic<uint64_t> changes_applied_ = 0;
  std::atomic<int> rebuilds_ = 0;
  std::atomic<int> snapshots_saved_ = 0;
  // Touched by the following thread, or by Start and Stop when it is not
  // running.
  uint64_t saved_sequence_ = 0;
  bool snapshot_due_ = false;
  std::string last_error_;  // of the last attempt that failed to open, if it did

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The open stream, for Stop to cancel.
  clients::WatchStream* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_WATCH_FOLLOWER_H_
