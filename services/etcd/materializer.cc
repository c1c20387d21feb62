#include "services/etcd/materializer.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

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
  if (absl::Status s = view_->Replace(records, revision); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  ++full_reads_;
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
  // Catch up: the events since the view's revision, until the watch has
  // nothing more for a moment (etcd sends a watch's backlog at once). A
  // compacted revision means a full read first.
  std::unique_ptr<WatchStream> watch = etcd_->Watch(options_.prefix, from + 1);
  for (;;) {
    absl::StatusOr<std::vector<WatchEvent>> events = watch->Next(kPoll);
    if (absl::IsOutOfRange(events.status())) {
      absl::StatusOr<int64_t> read = FullRead();
      if (!read.ok()) return read.status();
      watch = etcd_->Watch(options_.prefix, *read + 1);
      continue;
    }
    if (!events.ok()) return events.status();
    if (events->empty()) break;
    if (absl::Status s = view_->Apply(ChangesOf(*events), events->back().kv.mod_revision);
        !s.ok()) {
      return s;
    }
  }
  // Everything after comes from the same watch.
  follower_ = std::thread([this, w = std::move(watch)]() mutable { Follow(std::move(w)); });
  return absl::OkStatus();
}

void Materializer::Follow(std::unique_ptr<WatchStream> watch) {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    absl::StatusOr<std::vector<WatchEvent>> events = watch->Next(kPoll);
    absl::Status failed;
    if (absl::IsOutOfRange(events.status())) {
      // Compacted past what the view holds: read everything again and
      // watch from there.
      absl::StatusOr<int64_t> read = FullRead();
      if (read.ok()) {
        watch = etcd_->Watch(options_.prefix, *read + 1);
        continue;
      }
      failed = read.status();
    } else if (!events.ok()) {
      failed = events.status();
    } else if (!events->empty()) {
      failed = view_->Apply(ChangesOf(*events), events->back().kv.mod_revision);
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
