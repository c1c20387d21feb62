#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "gtest/gtest.h"

namespace socio::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "socio-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;  // A leftover directory in /tmp is not worth failing a test over.
  std::filesystem::remove_all(path_, ignored);
}

std::string SharedDataDir() {
#ifdef SOCIO_SOURCE_DIR
  std::filesystem::path dir =
      std::filesystem::path(SOCIO_SOURCE_DIR).parent_path() / "shared" / "data";
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return dir.string();
#endif
  return "";
}

}  // namespace socio::testing
