// InfoLog: RocksDB's informational log (the LOG file of a data directory),
// written so that a full disk cannot crash the process.
//
// RocksDB's own logger writes through a WritableFileWriter; in RocksDB 7.8,
// as Debian builds it (assertions on), the first line written after a write
// failed with ENOSPC trips an assertion and aborts the process. This one
// writes with stdio and drops a line it cannot write.
//
//   absl::StatusOr<std::shared_ptr<InfoLog>> log = InfoLog::Open(dir);
//   db_options.info_log = *log;
//
// Thread safety: Logv may be called from any thread; each line is written
// whole.
#ifndef SOCIO_STORAGE_INTERNAL_INFO_LOG_H_
#define SOCIO_STORAGE_INTERNAL_INFO_LOG_H_

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/env.h"

namespace socio::storage::internal {

class InfoLog final : public rocksdb::Logger {
 public:
  // Starts `dir`/LOG, the previous one kept as LOG.old.<microseconds>, as
  // RocksDB names (and eventually deletes) old logs. REQUIRES: `dir` exists.
  // Errors of the file system, with their canonical code (RESOURCE_EXHAUSTED
  // for a full disk).
  static absl::StatusOr<std::shared_ptr<InfoLog>> Open(const std::string& dir);

  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;
  void Flush() override;

 private:
  explicit InfoLog(std::FILE* file) : file_(file) {}
  rocksdb::Status CloseImpl() override;

  std::FILE* file_;  // owned; nullptr once closed
};

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_INFO_LOG_H_
