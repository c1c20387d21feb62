#include "services/etcd/cluster_records.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace socio::etcd {
namespace {

constexpr absl::string_view kApplied = "applied";
constexpr absl::string_view kAbandoned = "abandoned";
constexpr absl::Duration kRetryPause = absl::Milliseconds(100);

// 16 random bytes, hex: a transaction's receipt name.
std::string NewReceiptId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  const uint64_t a = random(), b = random();
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(&a), 8)) +
         absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(&b), 8));
}

// Whether a failed call's transaction may have been applied anyway.
bool MayHaveApplied(const absl::Status& status) {
  return !absl::IsInvalidArgument(status) && !absl::IsResourceExhausted(status) &&
         !absl::IsFailedPrecondition(status) && !absl::IsPermissionDenied(status);
}

}  // namespace

ClusterRecords::ClusterRecords(EtcdClient* etcd, storage::MaterializedView* view,
                               ClusterRecordsOptions options)
    : etcd_(etcd), view_(view), options_(std::move(options)) {}

absl::StatusOr<int64_t> ClusterRecords::Lease(absl::Duration ttl, absl::Duration reuse_for) {
  absl::MutexLock lock(&mu_);
  Granted& granted = leases_[absl::ToInt64Nanoseconds(ttl)];
  if (granted.lease != 0 && absl::Now() - granted.at < reuse_for) return granted.lease;
  const absl::Time asked = absl::Now();
  absl::StatusOr<int64_t> lease = etcd_->GrantLease(ttl);
  if (!lease.ok()) return lease.status();
  granted = {*lease, asked};
  return granted.lease;
}

absl::StatusOr<int64_t> ClusterRecords::ReceiptLease() {
  return Lease(options_.receipt_ttl, options_.receipt_ttl / 2);
}

absl::StatusOr<int64_t> ClusterRecords::RecordLease(absl::Duration expires_after) {
  return Lease(expires_after + expires_after / 24, expires_after / 24);
}

absl::StatusOr<int64_t> ClusterRecords::Write(const std::vector<RecordWrite>& writes) {
  if (writes.empty()) return absl::InvalidArgumentError("write: no keys to write");
  absl::flat_hash_set<absl::string_view> keys;
  std::vector<Expect> expects;
  std::vector<Change> changes;
  for (const RecordWrite& write : writes) {
    if (!keys.insert(write.key).second) {
      return absl::InvalidArgumentError(absl::StrCat("write: key '", write.key, "' named twice"));
    }
    expects.push_back({write.key, write.expected_revision});
    if (write.compare_only) continue;
    if (write.expires_after < absl::ZeroDuration() ||
        (write.expires_after > absl::ZeroDuration() && !write.value.has_value())) {
      return absl::InvalidArgumentError(
          absl::StrCat("write: key '", write.key, "': expires_after is for a value written"));
    }
    int64_t lease = 0;
    if (write.expires_after > absl::ZeroDuration()) {
      absl::StatusOr<int64_t> granted = RecordLease(write.expires_after);
      if (!granted.ok()) return granted.status();  // nothing was sent
      lease = *granted;
    }
    changes.push_back({write.key, write.value, lease});
  }
  const absl::Time deadline = absl::Now() + options_.deadline;
  expects.emplace_back();
  changes.emplace_back();
  int64_t revision = 0;
  absl::StatusOr<CommitResult> done;
  while (true) {
    // Each try with a receipt of its own: a fenced try's never lands.
    absl::StatusOr<int64_t> lease = ReceiptLease();
    if (!lease.ok()) {
      // Nothing was sent: wait for etcd while there is time.
      if (absl::Now() + kRetryPause >= deadline) return lease.status();
      absl::SleepFor(kRetryPause);
      continue;
    }
    const std::string receipt = absl::StrCat(options_.receipt_prefix, NewReceiptId());
    expects.back() = {receipt, 0};
    changes.back() = {receipt, std::string(kApplied), *lease};
    done = etcd_->Commit(expects, changes,
                         std::max(absl::Milliseconds(1),
                                  std::min(options_.attempt_timeout, deadline - absl::Now())));
    if (done.ok() || !MayHaveApplied(done.status())) break;
    absl::StatusOr<int64_t> resolved = Resolve(receipt, done.status(), deadline);
    if (resolved.ok()) {
      revision = *resolved;
      break;
    }
    // Certainly not applied: try again while there is time.
    if (!absl::IsUnavailable(resolved.status()) || absl::Now() + kRetryPause >= deadline) {
      return resolved.status();
    }
    absl::SleepFor(kRetryPause);
  }
  if (revision != 0) {
    // Applied, as the receipt showed.
  } else if (done.ok() && done->committed) {
    revision = done->revision;
  } else if (done.ok()) {
    // A key moved on since it was read. Let the view catch up to what
    // won, so that the caller's next read sees it.
    for (size_t i = 0; i + 1 < expects.size(); ++i) {
      if (done->current[i].mod_revision != expects[i].mod_revision) {
        (void)view_->AwaitRevision(done->current[i].mod_revision, deadline - absl::Now());
        return absl::AbortedError(
            absl::StrCat("'", expects[i].key, "' is at revision ", done->current[i].mod_revision,
                         ", not ", expects[i].mod_revision, "; read it again and retry"));
      }
    }
    return absl::InternalError(
        absl::StrCat("write: receipt '", expects.back().key, "' existed already"));
  } else {
    return done.status();
  }
  if (absl::Status s = view_->AwaitRevision(revision, deadline - absl::Now()); !s.ok()) {
    return absl::DeadlineExceededError(absl::StrCat(
        "written at revision ", revision, ", but this node has not applied it yet: ", s.message()));
  }
  return revision;
}

absl::StatusOr<int64_t> ClusterRecords::Resolve(const std::string& receipt,
                                                const absl::Status& cause, absl::Time deadline) {
  absl::Status last = cause;  // what the answer quotes: the latest failure
  while (absl::Now() < deadline) {
    absl::StatusOr<int64_t> lease = ReceiptLease();
    if (!lease.ok()) {
      last = lease.status();
      absl::SleepFor(kRetryPause);
      continue;
    }
    // Fence: take the receipt ourselves. The lost transaction requires it
    // to be absent, so once this lands that one never can.
    absl::StatusOr<CommitResult> fence =
        etcd_->Commit({{receipt, 0}}, {{receipt, std::string(kAbandoned), *lease}},
                      std::max(absl::Milliseconds(1),
                               std::min(options_.attempt_timeout, deadline - absl::Now())));
    if (!fence.ok()) {
      last = fence.status();
      absl::SleepFor(kRetryPause);
      continue;  // the fence's own outcome is unknown: look again
    }
    // Not applied: the fence landed now, or an earlier fence of ours landed
    // though its call failed.
    if (fence->committed || fence->current.front().value == kAbandoned) {
      return absl::UnavailableError(
          absl::StrCat("write: etcd did not answer, and the write was not applied: retry (",
                       last.message(), ")"));
    }
    const KeyValue& found = fence->current.front();
    if (found.value == kApplied) return found.mod_revision;
    return absl::InternalError(
        absl::StrCat("write: receipt '", receipt, "' holds '", absl::CEscape(found.value), "'"));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("write: etcd could not be reached to learn whether the write was applied; it "
                   "may have been: read it back before retrying (",
                   last.message(), ")"));
}

}  // namespace socio::etcd
