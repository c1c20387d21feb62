#include "services/watch_follower.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/profile_service.h"

namespace socio::services {
namespace {

// Upserts applied to the index at once while a backlog streams in.
constexpr size_t kApplyBatch = 4096;

unsigned long long ForPrint(uint64_t n) { return static_cast<unsigned long long>(n); }

}  // namespace

WatchFollower::WatchFollower(std::shared_ptr<const clients::Channel> profiles,
                             matcher::MatchIndex* index, const WatchFollowerOptions& options)
    : profiles_(std::move(profiles)), index_(index), options_(options) {}

void WatchFollower::Start() {
  if (thread_.joinable()) return;
  from_snapshot_ = LoadSnapshot();
  snapshot_due_ = options_.snapshots != nullptr && !from_snapshot_;
  start_sequence_ = applied_sequence();
  thread_ = std::thread([this] { Follow(); });
}

bool WatchFollower::LoadSnapshot() {
  if (options_.snapshots == nullptr) return false;
  absl::StatusOr<storage::Snapshot> snapshot = options_.snapshots->Get(kSnapshotName);
  if (absl::IsNotFound(snapshot.status())) return false;
  absl::Status status = snapshot.status();
  if (status.ok()) status = index_->Load(snapshot->data);
  if (!status.ok()) {
    std::fprintf(stderr,
                 "sociod: not using the saved match index (%s); following the profile role "
                 "from the start of its log\n",
                 status.ToString().c_str());
    return false;
  }
  applied_.store(snapshot->sequence, std::memory_order_release);
  saved_sequence_ = snapshot->sequence;
  return true;
}

void WatchFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (stream_ != nullptr) stream_->Cancel();
  }
  if (!thread_.joinable()) return;
  thread_.join();
  MaybeSaveSnapshot(/*final=*/true);
}

bool WatchFollower::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

bool WatchFollower::WaitForSequence(uint64_t sequence, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (applied_sequence() < sequence) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Microseconds(200));
  }
  return true;
}

bool WatchFollower::WaitUntilCurrent(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (!heard_.load() || applied_sequence() < source_sequence_.load()) {
    // Nothing will arrive before the next attempt.
    if (state_.load() == State::kWaiting || absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Microseconds(200));
  }
  return true;
}

bool WatchFollower::WaitForCatchUp(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (!heard_.load() || applied_sequence() < source_sequence_.load()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

void WatchFollower::Follow() {
  absl::Duration backoff = options_.min_backoff;
  while (!stopping()) {
    state_ = State::kConnecting;
    const bool opened = WatchOnce();
    state_ = State::kWaiting;
    if (opened) backoff = options_.min_backoff;
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
    if (!opened) backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

bool WatchFollower::WatchOnce() {
  uint64_t received = applied_sequence();
  socio::v1::WatchProfilesRequest request;
  request.set_after_sequence(received);
  absl::StatusOr<std::unique_ptr<clients::WatchStream>> opening = profiles_.WatchProfiles(request);
  if (!opening.ok()) return false;  // the channel's options are wrong: Start checked them
  clients::WatchStream& stream = **opening;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) stream.Cancel();
    stream_ = &stream;
  }

  bool opened = false;
  std::string rebuild;  // why the index must be rebuilt, if it must
  const auto on_open = [&](uint64_t source_sequence) {
    opened = true;
    source_sequence_.store(std::max(source_sequence, received));
    heard_ = true;
    state_ = State::kStreaming;
    std::fprintf(stderr, "sociod: following the profile role's changes after sequence %llu\n",
                 ForPrint(received));
  };
  stream.WaitForInitialMetadata();
  const auto& metadata = stream.initial_metadata();
  if (auto it = metadata.find(ProfileServiceImpl::kLastSequenceMetadata); it != metadata.end()) {
    uint64_t last = 0;
    if (absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &last)) {
      if (last < received) {
        rebuild = absl::StrCat("its change log ends at sequence ", last);
      } else {
        on_open(last);
      }
    }
  }

  std::vector<socio::v1::Profile> pending;
  socio::v1::ProfileChange change;
  while (rebuild.empty() && stream.Read(&change)) {
    if (!opened) on_open(received);  // a profile role that sends no last sequence
    if (change.sequence() != received + 1) {
      rebuild =
          absl::StrCat("its change log went from sequence ", received, " to ", change.sequence());
      break;
    }
    received = change.sequence();
    if (received > source_sequence_.load()) source_sequence_.store(received);
    if (change.kind() == socio::v1::ProfileChange::DELETED) {
      Flush(&pending, received - 1);
      index_->Remove(change.profile().id());
      applied_.store(received, std::memory_order_release);
      ++changes_applied_;
    } else {
      pending.push_back(std::move(*change.mutable_profile()));
      // Batched while catching up, one by one once live.
      if (pending.size() < kApplyBatch && received < source_sequence_.load()) continue;
      Flush(&pending, received);
    }
    MaybeSaveSnapshot(/*final=*/false);
  }
  Flush(&pending, received);
  if (!rebuild.empty()) stream.Cancel();
  const absl::Status status = stream.Finish();
  {
    absl::MutexLock lock(&mu_);
    stream_ = nullptr;
  }
  if (rebuild.empty() && absl::IsOutOfRange(status)) rebuild = std::string(status.message());
  if (!rebuild.empty()) {
    Rebuild(rebuild);
    return true;  // try again at once, from the start of the log
  }
  if (stopping()) return opened;
  // Said once per outage, not once per attempt.
  const std::string error = absl::StrCat(static_cast<int>(status.code()), ": ", status.message());
  if (opened || error != last_error_) {
    std::fprintf(stderr,
                 "sociod: the profile role's change stream %s after sequence %llu (%s); "
                 "retrying\n",
                 opened ? "ended" : "cannot be opened", ForPrint(applied_sequence()),
                 error.c_str());
  }
  last_error_ = opened ? "" : error;
  return opened;
}

void WatchFollower::Flush(std::vector<socio::v1::Profile>* pending, uint64_t sequence) {
  if (pending->empty()) return;
  index_->UpsertMany(*pending, options_.threads);
  applied_.store(sequence, std::memory_order_release);
  changes_applied_ += pending->size();
  pending->clear();
}

void WatchFollower::Rebuild(const std::string& why) {
  std::fprintf(stderr,
               "sociod: the profile role cannot continue from sequence %llu, which the match "
               "index reflects (%s; restored from an older backup?): rebuilding the index from "
               "the start of its log\n",
               ForPrint(applied_sequence()), why.c_str());
  heard_ = false;
  index_->Clear();
  applied_.store(0, std::memory_order_release);
  source_sequence_.store(0);
  saved_sequence_ = 0;
  snapshot_due_ = options_.snapshots != nullptr;
  ++rebuilds_;
}

void WatchFollower::MaybeSaveSnapshot(bool final) {
  if (options_.snapshots == nullptr) return;
  const uint64_t sequence = applied_sequence();
  const bool caught_up = heard_.load() && sequence >= source_sequence_.load();
  const bool due = final ? sequence != saved_sequence_ || snapshot_due_
                         : sequence - saved_sequence_ >= options_.snapshot_after_changes ||
                               (snapshot_due_ && caught_up);
  if (!due) return;
  if (absl::Status s = options_.snapshots->Put(kSnapshotName, sequence, index_->Save()); !s.ok()) {
    // The index itself is fine; the next start just replays more.
    std::fprintf(stderr, "sociod: saving the match index: %s\n", s.ToString().c_str());
    return;
  }
  saved_sequence_ = sequence;
  snapshot_due_ = false;
  ++snapshots_saved_;
}

}  // namespace socio::services
