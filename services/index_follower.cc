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
  return absl::OkStatus();
}

absl::Status IndexFollower::Start(int threads) {
  const absl::Time start = absl::Now();
  const uint64_t sequence = store_->LastSequence();
  if (absl::Status s = LoadIndex(*store_, index_, threads); !s.ok()) return s;
  build_stats_ = {index_->size(), absl::Now() - start};
  applied_.store(sequence, std::memory_order_release);
  thread_ = std::thread([this] { Follow(); });
  return absl::OkStatus();
}

void IndexFollower::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
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
    const uint64_t after = applied_sequence();
    if (!store_->WaitForChangeAfter(after, kWakeUp)) continue;
    absl::StatusOr<std::vector<socio::v1::ProfileChange>> changes =
        store_->ReadChanges(after, kChangeBatch);
    if (!changes.ok()) {
      // The log cannot shrink, so this is an I/O error: say so and retry.
      std::fprintf(stderr, "sociod: reading the change log after %llu: %s\n",
                   static_cast<unsigned long long>(after), changes.status().ToString().c_str());
      absl::SleepFor(kWakeUp);
      continue;
    }
    if (changes->empty()) continue;
    for (const socio::v1::ProfileChange& change : *changes) {
      if (change.kind() == socio::v1::ProfileChange::DELETED) {
        index_->Remove(change.profile().id());
      } else {
        index_->Upsert(change.profile());
      }
    }
    applied_.store(changes->back().sequence(), std::memory_order_release);
  }
}

}  // namespace socio::services
