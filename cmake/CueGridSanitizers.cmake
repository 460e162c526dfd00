# Sanitizer and fuzzer builds (docs/testing.md). Included before any target is defined, so
# the flags reach every target, JUCE's modules included.
#   CUEGRID_SANITIZE=address  ASan + UBSan (-fno-sanitize-recover: any UB aborts)   build-asan/
#   CUEGRID_SANITIZE=thread   TSan                                                 build-tsan/
#   CUEGRID_SANITIZE=fuzzer   libFuzzer + ASan + UBSan: only the fuzz harnesses     build-fuzz/
# Use clang (scripts/test.sh --sanitize and scripts/fuzz.sh configure clang-14).
set(CUEGRID_SANITIZE "" CACHE STRING "Sanitizer build: address, thread, fuzzer, or empty for none")
set_property(CACHE CUEGRID_SANITIZE PROPERTY STRINGS "" address thread fuzzer)

if(CUEGRID_SANITIZE STREQUAL "")
  return()
endif()

set(_ubsan -fsanitize=undefined -fno-sanitize-recover=undefined)
if(CUEGRID_SANITIZE STREQUAL "address")
  set(_compile -fsanitize=address ${_ubsan})
  set(_link -fsanitize=address ${_ubsan})
elseif(CUEGRID_SANITIZE STREQUAL "thread")
  set(_compile -fsanitize=thread)
  set(_link -fsanitize=thread)
elseif(CUEGRID_SANITIZE STREQUAL "fuzzer")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CUEGRID_SANITIZE=fuzzer needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Coverage for every object; the libFuzzer driver (-fsanitize=fuzzer) only on the harnesses.
  set(_compile -fsanitize=fuzzer-no-link,address ${_ubsan})
  set(_link -fsanitize=address ${_ubsan})
else()
  message(FATAL_ERROR "CUEGRID_SANITIZE must be address, thread, fuzzer or empty, not '${CUEGRID_SANITIZE}'")
endif()

# Debug info names the build folder as ".", so that with CCACHE_NOHASHDIR (set by the scripts)
# a clean clone elsewhere hits the cache and its reports still name the right files.
add_compile_options(${_compile} -fno-omit-frame-pointer -g -fdebug-compilation-dir=.)
add_link_options(${_link})
message(STATUS "CueGrid sanitizer build: ${CUEGRID_SANITIZE} (${_compile})")
