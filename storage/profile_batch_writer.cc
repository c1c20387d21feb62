#include "storage/profile_batch_writer.h"

#include <utility>

namespace socio::storage {

ProfileBatchWriter::ProfileBatchWriter(ProfileStore* store)
    : store_(store), thread_([this] { Run(); }) {}

ProfileBatchWriter::~ProfileBatchWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void ProfileBatchWriter::Write(PreparedProfiles batch, Done done) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &ProfileBatchWriter::Idle));
  job_ = Job{std::move(batch), std::move(done)};
}

void ProfileBatchWriter::Flush() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &ProfileBatchWriter::Idle));
}

absl::Status ProfileBatchWriter::store_failure() const {
  absl::MutexLock lock(&mu_);
  return store_failure_;
}

void ProfileBatchWriter::Run() {
  while (true) {
    std::optional<Job> job;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &ProfileBatchWriter::HasJobOrStopping));
      if (!job_.has_value()) return;  // stopping, with nothing left
      job = std::move(job_);
      job_.reset();
      writing_ = true;
    }
    const BatchResults results = store_->PutPrepared(&job->batch);
    absl::Status failure;
    for (const absl::StatusOr<socio::v1::ProfileChange::Kind>& result : results) {
      if (absl::IsResourceExhausted(result.status()) || absl::IsUnavailable(result.status()) ||
          absl::IsDeadlineExceeded(result.status())) {
        failure = result.status();
        break;
      }
    }
    job->done(job->batch.items(), results);
    absl::MutexLock lock(&mu_);
    if (store_failure_.ok()) store_failure_ = failure;
    writing_ = false;
  }
}

}  // namespace socio::storage
