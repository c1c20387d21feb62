// Damage done to a data directory on purpose, as a failing disk would do it:
//
//   std::string log = LargestWriteAheadLog(dir);
//   FlipByte(log, std::filesystem::file_size(log) / 2);
#ifndef SOCIO_TESTS_SUPPORT_FILE_DAMAGE_H_
#define SOCIO_TESTS_SUPPORT_FILE_DAMAGE_H_

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace socio::testing {

// The largest write-ahead log file (*.log) of a RocksDB directory; "" if none.
inline std::string LargestWriteAheadLog(const std::string& dir) {
  std::string largest;
  std::uintmax_t largest_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log" && entry.file_size() > largest_size) {
      largest = entry.path().string();
      largest_size = entry.file_size();
    }
  }
  return largest;
}

// Flips one bit of the byte at offset `at` of `path`.
inline void FlipByte(const std::string& path, std::uintmax_t at) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(at));
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x40);
  file.seekp(static_cast<std::streamoff>(at));
  file.write(&byte, 1);
}

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_FILE_DAMAGE_H_
