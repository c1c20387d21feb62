#include "tests/support/shared_data.h"

#include <filesystem>
#include <system_error>

namespace socio::testing {

std::string SharedDataDir() {
  const std::filesystem::path dir =
      std::filesystem::path(SOCIO_SOURCE_DIR).parent_path() / "shared" / "data";
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir.string() : "";
}

}  // namespace socio::testing
