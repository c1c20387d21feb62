#include "services/etcd/election.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace socio::etcd {
namespace {

// How long the campaigner waits between attempts after an error.
constexpr absl::Duration kRetryPause = absl::Milliseconds(200);
// How long one wait for the holder's key to go lasts.
constexpr absl::Duration kPoll = absl::Milliseconds(100);

}  // namespace

Election::Election(EtcdClient* etcd, ElectionOptions options)
    : etcd_(etcd), options_(std::move(options)) {}

Election::~Election() { Stop(); }

void Election::Start() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = false;
  }
  campaigner_ = std::thread([this] { Campaign(); });
}

void Election::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (campaigner_.joinable()) campaigner_.join();
}

bool Election::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stop_;
}

bool Election::Holding() const {
  absl::MutexLock lock(&mu_);
  return holding_ && absl::Now() < sure_until_;
}

absl::Status Election::AwaitHolding(absl::Duration timeout) const {
  const absl::Time give_up = absl::Now() + timeout;
  while (!Holding()) {
    if (absl::Now() >= give_up) {
      return absl::DeadlineExceededError(
          absl::StrCat("election '", options_.key, "': ", options_.node, " does not hold it after ",
                       absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Election::Holder() const {
  absl::StatusOr<std::optional<KeyValue>> kv = etcd_->Get(options_.key);
  if (!kv.ok()) return kv.status();
  return kv->has_value() ? (*kv)->value : std::string();
}

void Election::Campaign() {
  while (!Stopping()) Term();
}

void Election::Term() {
  const absl::Duration keep_alive_every = std::max(options_.ttl / 3, absl::Milliseconds(100));
  auto pause = [this](absl::Duration d) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stop_), d);
  };
  const absl::Time granted_at = absl::Now();
  absl::StatusOr<int64_t> lease = etcd_->GrantLease(options_.ttl);
  if (!lease.ok()) {
    pause(kRetryPause);
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    lease_ = *lease;
  }
  absl::Time alive_at = granted_at;  // the lease was alive at least until then + ttl
  // Keeps the lease alive if it is time; false once it has expired.
  auto keep_alive = [&]() {
    if (absl::Now() - alive_at < keep_alive_every) return true;
    const absl::Time asked_at = absl::Now();
    absl::Status alive = etcd_->KeepAlive(*lease);
    if (absl::IsNotFound(alive)) return false;
    if (alive.ok()) {
      alive_at = asked_at;
      absl::MutexLock lock(&mu_);
      sure_until_ = asked_at + options_.ttl / 2;
    }
    return true;
  };

  bool expired = false;
  while (!Stopping() && !expired) {
    absl::StatusOr<CommitResult> taken =
        etcd_->Commit({{options_.key, 0}}, {{options_.key, options_.node, *lease}});
    std::optional<KeyValue> holder;
    if (taken.ok() && !taken->committed) holder = taken->current.front();
    if (!taken.ok()) {
      // The create may or may not have been applied: look.
      absl::StatusOr<std::optional<KeyValue>> now = etcd_->Get(options_.key);
      if (!now.ok()) {
        pause(kRetryPause);
        expired = !keep_alive();
        continue;
      }
      holder = *now;
    }
    if ((taken.ok() && taken->committed) || (holder.has_value() && holder->lease == *lease)) {
      {
        absl::MutexLock lock(&mu_);
        holding_ = true;
        sure_until_ = alive_at + options_.ttl / 2;
      }
      while (!Stopping() && (expired = !keep_alive()) == false) pause(kPoll);
      break;
    }
    if (!holder.has_value() || holder->mod_revision == 0) continue;  // gone meanwhile
    // Another node holds it: wait for its key to go, keeping our lease.
    std::unique_ptr<WatchStream> watch = etcd_->Watch(options_.key, holder->mod_revision + 1);
    bool gone = false;
    while (!gone && !Stopping()) {
      absl::StatusOr<std::vector<WatchEvent>> events = watch->Next(kPoll);
      if (!events.ok()) break;  // compacted or refused: look again
      for (const WatchEvent& event : *events) {
        gone |= event.kv.key == options_.key && event.type == WatchEvent::Type::kDelete;
      }
      if (!keep_alive()) {
        expired = true;
        break;
      }
    }
  }
  const bool revoke = !expired;
  {
    absl::MutexLock lock(&mu_);
    holding_ = false;
    lease_ = 0;
  }
  // Hands the duty on at once (and frees the lease) when stopping.
  if (revoke && Stopping()) etcd_->RevokeLease(*lease).IgnoreError();
}

}  // namespace socio::etcd
