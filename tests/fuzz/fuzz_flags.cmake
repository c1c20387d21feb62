# SOCIO_FUZZ builds (clang only): every target compiles with libFuzzer's
# coverage instrumentation, ASan and UBSan, so the fuzzers in tests/fuzz see
# into the libraries they call; the fuzzers link libFuzzer itself
# (tests/fuzz/CMakeLists.txt). Included by the top-level CMakeLists.txt
# before any target is defined.
if(SOCIO_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SOCIO_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
