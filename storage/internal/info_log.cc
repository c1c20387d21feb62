#include "storage/internal/info_log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace socio::storage::internal {

absl::StatusOr<std::shared_ptr<InfoLog>> InfoLog::Open(const std::string& dir) {
  const std::string path = dir + "/LOG";
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    struct timeval now;
    gettimeofday(&now, nullptr);
    const std::string old =
        absl::StrCat(path, ".old.", static_cast<int64_t>(now.tv_sec) * 1'000'000 + now.tv_usec);
    // A log that cannot be moved aside is started anew: it is for reading only.
    std::filesystem::rename(path, old, error);
  }
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) {
    const int errno_saved = errno;
    return absl::Status(absl::ErrnoToStatusCode(errno_saved),
                        absl::StrCat("create ", path, ": ", std::strerror(errno_saved)));
  }
  return std::shared_ptr<InfoLog>(new InfoLog(file));
}

InfoLog::~InfoLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void InfoLog::Logv(const char* format, va_list ap) {
  if (file_ == nullptr) return;
  struct timeval now;
  gettimeofday(&now, nullptr);
  struct tm local;
  localtime_r(&now.tv_sec, &local);
  char line[4096];
  int length = std::snprintf(line, sizeof(line), "%04d/%02d/%02d-%02d:%02d:%02d.%06ld %d ",
                             local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour,
                             local.tm_min, local.tm_sec, static_cast<long>(now.tv_usec),
                             static_cast<int>(gettid()));
  va_list copy;
  va_copy(copy, ap);
  const int body = std::vsnprintf(line + length, sizeof(line) - length - 1, format, copy);
  va_end(copy);
  if (body > 0) length = std::min<int>(length + body, sizeof(line) - 2);
  line[length++] = '\n';
  // One call per line (stdio locks the stream for it); a line that does not
  // fit on a full disk is lost, which is all a full disk may cost here.
  std::fwrite(line, 1, length, file_);
  std::fflush(file_);
}

void InfoLog::Flush() {
  if (file_ != nullptr) std::fflush(file_);
}

rocksdb::Status InfoLog::CloseImpl() {
  if (file_ == nullptr) return rocksdb::Status::OK();
  const int result = std::fclose(file_);
  file_ = nullptr;
  return result == 0 ? rocksdb::Status::OK() : rocksdb::Status::IOError("close LOG");
}

}  // namespace socio::storage::internal
