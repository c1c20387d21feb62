// The machine's file system with syncs that take a while, as on a disk that
// really flushes: writers then arrive while one waits, and a test can act in
// the window between a write being prepared and its being durable.
//
//   auto fs = std::make_shared<SlowSyncFileSystem>(absl::Milliseconds(1));
//   std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
//   // ... open RocksDB with options.env = env.get() ...
//   fs->set_delay(absl::Milliseconds(100));  // from here, each sync waits
//
// The delay applies to Sync and Fsync of files opened for writing (the
// write-ahead log among them); it may be changed at any time.
#ifndef SOCIO_TESTS_SUPPORT_SLOW_SYNC_FILE_SYSTEM_H_
#define SOCIO_TESTS_SUPPORT_SLOW_SYNC_FILE_SYSTEM_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rocksdb/file_system.h"

namespace socio::testing {

class SlowSyncFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit SlowSyncFileSystem(absl::Duration delay)
      : FileSystemWrapper(rocksdb::FileSystem::Default()),
        delay_(std::make_shared<std::atomic<int64_t>>(absl::ToInt64Microseconds(delay))) {}
  const char* Name() const override { return "SlowSyncFileSystem"; }

  void set_delay(absl::Duration delay) { delay_->store(absl::ToInt64Microseconds(delay)); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, debug);
    if (s.ok()) *file = std::make_unique<SlowFile>(std::move(*file), delay_);
    return s;
  }

 private:
  class SlowFile : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    SlowFile(std::unique_ptr<rocksdb::FSWritableFile> file,
             std::shared_ptr<std::atomic<int64_t>> delay)
        : FSWritableFileOwnerWrapper(std::move(file)), delay_(std::move(delay)) {}
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
      Wait();
      return FSWritableFileOwnerWrapper::Sync(options, debug);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* debug) override {
      Wait();
      return FSWritableFileOwnerWrapper::Fsync(options, debug);
    }

   private:
    void Wait() const { absl::SleepFor(absl::Microseconds(delay_->load())); }
    const std::shared_ptr<std::atomic<int64_t>> delay_;
  };

  // Shared with the files, which may outlive a change of delay but not the
  // RocksDB that holds them.
  const std::shared_ptr<std::atomic<int64_t>> delay_;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_SLOW_SYNC_FILE_SYSTEM_H_
