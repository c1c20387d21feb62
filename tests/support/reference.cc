#include "tests/support/reference.h"

#include <cstdio>
#include <cstdlib>

namespace socio::testing {

std::shared_ptr<const reference::ReferenceData> TestReference() {
  static const std::shared_ptr<const reference::ReferenceData> data = [] {
    absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> loaded =
        reference::ReferenceData::Load({});
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load reference data: %s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return *std::move(loaded);
  }();
  return data;
}

}  // namespace socio::testing
