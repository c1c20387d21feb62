#include "services/index_follower.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace socio::services {
namespace {

constexpr size_t kScanBatch = 8192;
constexpr size_t kChangeBatch = 4096;
// How long the follower sleeps on the store's signal before checking whether
// it should stop.
constexpr absl::Duration kWakeUp = absl::Milliseconds(100);

}  // namespace

absl::Status LoadIndex(const storage::ProfileStore& store, matcher::MatchIndex* index,
                       int threads) {
  std::vector<socio::v1::Profile> batch;
  batch.reserve(kScanBatch);
  absl::Status status = store.ForEachProfile([&](const socio::v1::Profile& profile) {
    batch.push_back(profile);
    if (batch.size() == kScanBatch) {
      index->UpsertMany(batch, threads);
      batch.clear();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  index->UpsertMany(batch, threads);
  index->Cluster();
  return absl::OkStatus();
}

absl::Status IndexFollower::Start() {
  const absl::Time start = absl::Now();
  if (LoadSnapshot()) {
    build_stats_.from_snapshot = true;
  } else if (absl::Status s = Rebuild(); !s.ok()) {
    return s;
  }
  // Up to the last change committed before Start returns.
  const uint64_t target = store_->LastSequence();
  while (applied_sequence() < target) {
    absl::StatusOr<size_t> applied = ApplyChanges(kChangeBatch);
    if (!applied.ok()) return applied.status();
    if (build_stats_.from_snapshot) build_stats_.replayed += *applied;
  }
  build_stats_.profiles = index_->size();
  build_stats_.elapsed = absl::Now() - start;
  thread_ = std::thread([this] { Follow(); });
  return absl::OkStatus();
}

bool IndexFollower::LoadSnapshot() {
  if (snapshots_ == nullptr) return false;
  absl::StatusOr<storage::Snapshot> snapshot = snapshots_->Get(kSnapshotName);
  if (absl::IsNotFound(snapshot.status())) return false;
  absl::Status status = snapshot.status();
  if (status.ok() && snapshot->sequence > store_->LastSequence()) {
    status = absl::FailedPreconditionError("it is ahead of the change log");
  }
  if (status.ok() && snapshot->sequence < store_->LogStart()) {
    status = absl::FailedPreconditionError("the change log no longer holds the changes after it");
  }
  if (status.ok()) status = index_->Load(snapshot->data);
  if (!status.ok()) {
    std::fprintf(stderr,
                 "sociod: not using the saved match index (%s); building it from the "
                 "profiles\n",
                 status.ToString().c_str());
    return false;
  }
  applied_.store(snapshot->sequence, std::memory_order_release);
  saved_sequence_ = snapshot->sequence;
  return true;
}

absl::StatusOr<size_t> IndexFollower::ApplyChanges(size_t max_count) {
  absl::StatusOr<std::vector<socio::v1::ProfileChange>> changes =
      store_->ReadChanges(applied_sequence(), max_count);
  if (!changes.ok()) return changes.status();
  for (const socio::v1::ProfileChange& change : *changes) {
    if (change.kind() == socio::v1::ProfileChange::DELETED) {
      index_->Remove(change.profile().id());
    } else {
      index_->Upsert(change.profile());
    }
  }
  if (!changes->empty()) applied_.store(changes->back().sequence(), std::memory_order_release);
  changes_since_snapshot_ += changes->size();
  return changes->size();
}

void IndexFollower::SaveSnapshot() {
  const uint64_t sequence = applied_sequence();
  if (absl::Status s = snapshots_->Put(kSnapshotName, sequence, index_->Save()); !s.ok()) {
    // The index itself is fine; the next start-up just scans or replays more.
    std::fprintf(stderr, "sociod: saving the match index: %s\n", s.ToString().c_str());
    return;
  }
  saved_sequence_ = sequence;
  changes_since_snapshot_ = 0;
  snapshot_due_ = false;
  ++snapshots_saved_;
}

absl::Status IndexFollower::Rebuild() {
  const uint64_t sequence = store_->LastSequence();
  index_->Clear();
  if (absl::Status s = LoadIndex(*store_, index_, options_.threads); !s.ok()) return s;
  applied_.store(sequence, std::memory_order_release);
  snapshot_due_ = snapshots_ != nullptr;
  return absl::OkStatus();
}

void IndexFollower::Stop() {
  stopping_ = true;
  if (!thread_.joinable()) return;
  thread_.join();
  if (snapshots_ != nullptr && (snapshot_due_ || applied_sequence() != saved_sequence_)) {
    SaveSnapshot();
  }
}

bool IndexFollower::WaitForSequence(uint64_t sequence, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (applied_sequence() < sequence) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Microseconds(200));
  }
  return true;
}

void IndexFollower::Follow() {
  while (!stopping_) {
    if (snapshots_ != nullptr &&
        (snapshot_due_ || changes_since_snapshot_ >= options_.snapshot_after_changes)) {
      SaveSnapshot();
    }
    if (!store_->WaitForChangeAfter(applied_sequence(), kWakeUp)) continue;
    absl::StatusOr<size_t> applied = ApplyChanges(kChangeBatch);
    if (absl::IsOutOfRange(applied.status()) && applied_sequence() < store_->LogStart()) {
      std::fprintf(stderr,
                   "sociod: the profiles were read afresh from the cluster; rebuilding the match "
                   "index\n");
      absl::Status rebuilt = Rebuild();
      if (rebuilt.ok()) continue;
      applied = rebuilt;
    }
    if (!applied.ok()) {
      // The log cannot shrink, so this is an I/O error: say so and retry.
      std::fprintf(stderr, "sociod: reading the change log after %llu: %s\n",
                   static_cast<unsigned long long>(applied_sequence()),
                   applied.status().ToString().c_str());
      absl::SleepFor(kWakeUp);
    }
  }
}

}  // namespace socio::services
