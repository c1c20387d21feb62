# socio_add_test(NAME SOURCES src... DEPS target...)
# Builds one GoogleTest binary and registers each of its tests with ctest.
include(GoogleTest)

function(socio_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} socio_test_support GTest::gmock GTest::gtest_main)
  # Tests find ../shared/data (when present) and the built binaries through these.
  target_compile_definitions(${name} PRIVATE
    SOCIO_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SOCIO_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 300)
endfunction()
