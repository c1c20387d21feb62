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

}  // namespace socio::testing
