#include "services/etcd/materializer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace socio::etcd {
namespace {

// How long one wait for events lasts before the follower checks whether it
// should stop.
constexpr absl::Duration kPoll = absl::Milliseconds(200);

std::vector<storage::ViewChange> ChangesOf(const std::vector<WatchEvent>& events) {
  std::vector<storage::ViewChange> changes;
  changes.reserve(events.size());
  for (const WatchEvent& event : events) {
    storage::ViewChange change;
    change.key = event.kv.key;
    if (event.type == WatchEvent::Type::kPut) change.value = event.kv.value;
    change.revision = event.kv.mod_revision;
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace

Materializer::Materializer(EtcdClient* etcd, storage::MaterializedView* view,
                           MaterializerOptions options)
    : etcd_(etcd), view_(view), options_(std::move(options)) {}

Materializer::~Materializer() { Stop(); }

absl::StatusOr<int64_t> Materializer::FullRead() {
  const std::string end = EtcdClient::PrefixEnd(options_.prefix);
  std::vector<storage::ViewRecord> records;
  std::string begin = options_.prefix;
  int64_t revision = 0;  // the first page's, for every page
  for (;;) {
    absl::StatusOr<RangePage> page = etcd_->Range(begin, end, revision, options_.page_size);
    if (!page.ok()) return page.status();
    if (revision == 0) revision = page->revision;
    for (KeyValue& kv : page->kvs) {
      records.push_back({std::move(kv.key), std::move(kv.value), kv.mod_revision});
    }
    if (!page->more || records.empty()) break;
    begin = records.back().key + '\0';
  }
  {
    // Counted before the view shows it, so that whoever sees the view
    // caught up sees the count too.
    absl::MutexLock lock(&mu_);
    ++full_reads_;
  }
  if (absl::Status s = view_->Replace(records, revision); !s.ok()) return s;
  return revision;
}

absl::Status Materializer::Start() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = false;
    error_ = absl::OkStatus();
  }
  int64_t from = view_->applied_revision();
  if (from == 0) {
    absl::StatusOr<int64_t> read = FullRead();
    if (!read.ok()) return read.status();
    from = *read;
  }
  {
    absl::MutexLock lock(&mu_);
    watch_ = etcd_->Watch(options_.prefix, from + 1);
  }
  follower_ = std::thread([this] { Follow(); });
  if (absl::Status s = Sync(options_.start_timeout); !s.ok()) {
    Stop();
    return s;
  }
  return absl::OkStatus();
}

absl::Status Materializer::Sync(absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  // etcd's revision now (a linearizable read).
  absl::StatusOr<RangePage> now =
      etcd_->Range(options_.prefix, EtcdClient::PrefixEnd(options_.prefix), 0, 1);
  if (!now.ok()) return now.status();
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (!error_.ok()) return error_;
      if (watch_ != nullptr) watch_->RequestProgress();
    }
    const absl::Duration left = give_up - absl::Now();
    absl::Status reached = view_->AwaitRevision(now->revision, std::min(left, kPoll));
    if (reached.ok()) return reached;
    if (left <= kPoll) return reached;
  }
}

void Materializer::Follow() {
  for (;;) {
    WatchStream* watch;
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
      watch = watch_.get();
    }
    int64_t complete_through = 0;
    absl::StatusOr<std::vector<WatchEvent>> events = watch->Next(kPoll, &complete_through);
    absl::Status failed;
    if (absl::IsOutOfRange(events.status())) {
      // Compacted past what the view holds: read everything again and
      // watch from there.
      absl::StatusOr<int64_t> read = FullRead();
      if (read.ok()) {
        std::unique_ptr<WatchStream> fresh = etcd_->Watch(options_.prefix, *read + 1);
        {
          absl::MutexLock lock(&mu_);
          std::swap(watch_, fresh);
        }
        continue;  // the old watch goes here, outside the lock
      }
      failed = read.status();
    } else if (!events.ok()) {
      failed = events.status();
    } else if (!events->empty() || complete_through > view_->applied_revision()) {
      // Every event up to complete_through has been returned: the view
      // holds etcd's state at that revision.
      failed = view_->Apply(ChangesOf(*events), complete_through);
    }
    if (!failed.ok()) {
      absl::MutexLock lock(&mu_);
      error_ = failed;
      return;
    }
  }
}

void Materializer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (follower_.joinable()) follower_.join();
  std::unique_ptr<WatchStream> watch;
  {
    absl::MutexLock lock(&mu_);
    watch = std::move(watch_);
  }
}

absl::Status Materializer::error() const {
  absl::MutexLock lock(&mu_);
  return error_;
}

int64_t Materializer::full_reads() const {
  absl::MutexLock lock(&mu_);
  return full_reads_;
}

}  // namespace socio::etcd
