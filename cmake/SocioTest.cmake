# socio_add_test(NAME SOURCES src... DEPS target...)
# Builds one GoogleTest binary and registers each of its tests with ctest.
include(GoogleTest)

function(socio_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} socio_test_support GTest::gmock GTest::gtest_main)
  # Tests find the source tree, ../shared/data and the built binaries through
  # socio_test_support (tests/support/process.h); their own objects name no
  # path, so another clone's build takes them from the compiler cache.
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 300)
endfunction()
