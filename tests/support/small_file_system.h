// A small file system of its own (a tmpfs of a few MiB) for tests of what a
// full disk does: mounted in a fresh temporary directory, unmounted and
// removed when the object goes away.
//
//   SmallFileSystem disk(16 << 20);
//   if (!disk.mounted()) GTEST_SKIP() << disk.why_not();
//   // ... write into disk.path() until it is full ...
//   disk.Resize(256 << 20);  // room again
//
// Mounting needs root (or CAP_SYS_ADMIN); elsewhere mounted() is false and
// why_not() says why, for the test to skip with.
#ifndef SOCIO_TESTS_SUPPORT_SMALL_FILE_SYSTEM_H_
#define SOCIO_TESTS_SUPPORT_SMALL_FILE_SYSTEM_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/support/temp_dir.h"

namespace socio::testing {

class SmallFileSystem {
 public:
  explicit SmallFileSystem(int64_t bytes);
  ~SmallFileSystem();
  SmallFileSystem(const SmallFileSystem&) = delete;
  SmallFileSystem& operator=(const SmallFileSystem&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }
  // The mount point. REQUIRES: mounted().
  const std::string& path() const { return dir_.path(); }
  std::string Join(const std::string& name) const { return dir_.Join(name); }

  // Changes the size (the data stays). REQUIRES: mounted().
  absl::Status Resize(int64_t bytes);
  // Writes a file `name` that leaves at most `leave` bytes free; its size.
  absl::StatusOr<int64_t> FillLeaving(const std::string& name, int64_t leave);
  // Bytes free now.
  int64_t FreeBytes() const;

 private:
  TempDir dir_;
  bool mounted_ = false;
  std::string why_not_;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_SMALL_FILE_SYSTEM_H_
