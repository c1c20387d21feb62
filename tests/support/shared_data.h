// The shared reference tables (../shared/data beside the repository) that
// tests compare against. CI has them; a user's clone may not, and then the
// tests that need them skip:
//
//   std::string dir = socio::testing::SharedDataDir();
//   if (dir.empty()) GTEST_SKIP() << socio::testing::kNoSharedData;
#ifndef SOCIO_TESTS_SUPPORT_SHARED_DATA_H_
#define SOCIO_TESTS_SUPPORT_SHARED_DATA_H_

#include <string>

namespace socio::testing {

inline constexpr char kNoSharedData[] =
    "../shared/data is not beside this clone; this test compares against its reference tables";

// The folder's path, or "" when it is absent.
std::string SharedDataDir();

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_SHARED_DATA_H_
