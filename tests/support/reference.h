// The reference data tests validate against: Debian's CLDR and tzdata with
// the built-in NACE sections and divisions, loaded once per test binary.
#ifndef SOCIO_TESTS_SUPPORT_REFERENCE_H_
#define SOCIO_TESTS_SUPPORT_REFERENCE_H_

#include <memory>

#include "reference/reference_data.h"

namespace socio::testing {

// Aborts the test binary with the loader's message if the data cannot load.
std::shared_ptr<const reference::ReferenceData> TestReference();

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_REFERENCE_H_
