#include "storage/internal/group_commit.h"

#include <utility>

#include "rocksdb/db.h"
#include "storage/internal/rocksdb_status.h"

namespace socio::storage::internal {
namespace {

// Copies the puts and deletes of one batch into another: RocksDB has no
// public way to append a batch to a batch.
class Copier : public rocksdb::WriteBatch::Handler {
 public:
  Copier(const absl::flat_hash_map<uint32_t, rocksdb::ColumnFamilyHandle*>& families,
         rocksdb::WriteBatch* out)
      : families_(families), out_(out) {}

  rocksdb::Status PutCF(uint32_t family, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* handle = Family(family);
    return handle == nullptr ? Unknown(family) : out_->Put(handle, key, value);
  }
  rocksdb::Status DeleteCF(uint32_t family, const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* handle = Family(family);
    return handle == nullptr ? Unknown(family) : out_->Delete(handle, key);
  }

 private:
  rocksdb::ColumnFamilyHandle* Family(uint32_t id) const {
    auto it = families_.find(id);
    return it == families_.end() ? nullptr : it->second;
  }
  static rocksdb::Status Unknown(uint32_t family) {
    return rocksdb::Status::InvalidArgument("group commit: unknown column family",
                                            std::to_string(family));
  }

  const absl::flat_hash_map<uint32_t, rocksdb::ColumnFamilyHandle*>& families_;
  rocksdb::WriteBatch* const out_;
};

}  // namespace

GroupCommit::GroupCommit(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                         bool sync, absl::Mutex* mu, std::string what, Callbacks callbacks)
    : db_(db), sync_(sync), mu_(mu), what_(std::move(what)), callbacks_(std::move(callbacks)) {
  for (rocksdb::ColumnFamilyHandle* family : families) families_[family->GetID()] = family;
}

void GroupCommit::AwaitKeys(const std::vector<std::string>& keys) {
  struct Wait {
    const GroupCommit* self;
    const std::vector<std::string>* keys;
  } wait{this, &keys};
  // absl evaluates the condition when the lock is let go, and wakes this
  // thread only once it holds: writers of other keys sleep on.
  mu_->Await(absl::Condition(
      +[](Wait* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        for (const std::string& key : *w->keys) {
          if (w->self->held_.contains(key)) return false;
        }
        return true;
      },
      &wait));
}

absl::Status GroupCommit::Commit(rocksdb::WriteBatch batch, std::vector<std::string> keys,
                                 uint64_t first_sequence, uint64_t last_sequence) {
  Queued queued;
  queued.batch = std::move(batch);
  queued.keys = std::move(keys);
  queued.first_sequence = first_sequence;
  queued.last_sequence = last_sequence;
  for (const std::string& key : queued.keys) ++held_[key];
  queue_.push_back(&queued);
  struct Wait {
    const GroupCommit* self;
    const Queued* queued;
  } wait{this, &queued};
  while (!queued.done) {
    if (!writing_ && (next_leader_ == nullptr || next_leader_ == &queued)) {
      next_leader_ = nullptr;
      WriteQueued();
      continue;
    }
    // Woken only when done, or named to write the queue next.
    mu_->Await(absl::Condition(
        +[](Wait* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return w->queued->done || (!w->self->writing_ && w->self->next_leader_ == w->queued);
        },
        &wait));
  }
  return queued.status;
}

void GroupCommit::WriteQueued() {
  std::vector<Queued*> group(queue_.begin(), queue_.end());
  queue_.clear();
  writing_ = true;
  ++writes_;
  batches_ += group.size();
  mu_->Unlock();
  rocksdb::Status status;
  rocksdb::WriteBatch merged;
  rocksdb::WriteBatch* write = &group.front()->batch;
  if (group.size() > 1) {
    write = &merged;
    Copier copier(families_, &merged);
    for (Queued* q : group) {
      status = q->batch.Iterate(&copier);
      if (!status.ok()) break;
    }
  }
  if (status.ok()) {
    rocksdb::WriteOptions options;
    options.sync = sync_;
    status = db_->Write(options, write);
  }
  mu_->Lock();
  writing_ = false;
  const absl::Status result = FromRocksDb(status, what_);
  if (result.ok()) {
    uint64_t last = 0;
    for (Queued* q : group) {
      if (q->last_sequence != 0) last = q->last_sequence;
      Finish(q, result);
    }
    if (last != 0 && callbacks_.on_written) callbacks_.on_written(last);
  } else {
    // Batches queued meanwhile carry sequence numbers after the failed
    // ones: they fail too, so that the numbers are handed out again in order.
    uint64_t first = 0;
    for (Queued* q : group) {
      if (first == 0) first = q->first_sequence;
      Finish(q, result);
    }
    for (Queued* q : queue_) {
      if (first == 0) first = q->first_sequence;
      Finish(q, result);
    }
    queue_.clear();
    if (first != 0 && callbacks_.on_failed) callbacks_.on_failed(first);
  }
  // The oldest writer queued meanwhile writes the next group.
  next_leader_ = queue_.empty() ? nullptr : queue_.front();
}

void GroupCommit::Finish(Queued* q, const absl::Status& status) {
  q->done = true;
  q->status = status;
  for (const std::string& key : q->keys) {
    auto it = held_.find(key);
    if (--it->second == 0) held_.erase(it);
  }
}

}  // namespace socio::storage::internal
