#include "tests/support/small_file_system.h"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace socio::testing {

SmallFileSystem::SmallFileSystem(int64_t bytes) {
  const std::string data = absl::StrCat("size=", bytes);
  if (mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, data.c_str()) != 0) {
    why_not_ = absl::StrCat("cannot mount a tmpfs on ", dir_.path(), " (", std::strerror(errno),
                            "); run as root to test a full disk");
    return;
  }
  mounted_ = true;
}

SmallFileSystem::~SmallFileSystem() {
  // MNT_DETACH: gone from the tree even if something still has a file open;
  // TempDir then removes the empty mount point.
  if (mounted_) umount2(dir_.path().c_str(), MNT_DETACH);
}

absl::Status SmallFileSystem::Resize(int64_t bytes) {
  const std::string data = absl::StrCat("size=", bytes);
  if (mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_REMOUNT, data.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("remount ", dir_.path(), ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

int64_t SmallFileSystem::FreeBytes() const {
  struct statvfs stats;
  if (statvfs(dir_.path().c_str(), &stats) != 0) return -1;
  return static_cast<int64_t>(stats.f_bavail) * static_cast<int64_t>(stats.f_frsize);
}

absl::StatusOr<int64_t> SmallFileSystem::FillLeaving(const std::string& name, int64_t leave) {
  std::FILE* file = std::fopen(Join(name).c_str(), "a");
  if (file == nullptr) return absl::InternalError(absl::StrCat("create ", name));
  const std::vector<char> block(4096, 'f');
  int64_t written = 0;
  while (FreeBytes() > leave) {
    if (std::fwrite(block.data(), 1, block.size(), file) != block.size()) break;
    if (std::fflush(file) != 0) break;
    written += static_cast<int64_t>(block.size());
  }
  std::fclose(file);
  return written;
}

}  // namespace socio::testing
