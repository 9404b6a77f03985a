# Warnings and sanitizers applied to every l4 target.
function(l4_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(L4_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 reports impossible std::string overlaps at -O3 (GCC bug 105329, fixed in GCC 13).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

if(L4_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing: every l4 source gets libFuzzer's coverage instrumentation and the sanitizers of
# L4_FUZZ_SANITIZERS (a finding must crash, so UBSan does not recover); the targets link libFuzzer
# itself (tests/fuzz). The default is ASan+UBSan. "undefined" alone is the second build OSS-Fuzz
# also runs: no memory checking, but 4-8 times the executions a second on the slow targets
# (mining, extraction), so more of the input space is reached; the fuzz properties
# (l4::fuzz::require), aborts, segfaults and undefined behaviour are still findings.
set(L4_FUZZ_SANITIZERS "address,undefined" CACHE STRING "Sanitizers of the fuzz build: address,undefined or undefined")
if(L4_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "L4_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  if(NOT L4_FUZZ_SANITIZERS MATCHES "^(address,undefined|undefined)$")
    message(FATAL_ERROR "L4_FUZZ_SANITIZERS is address,undefined or undefined, not '${L4_FUZZ_SANITIZERS}'")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,${L4_FUZZ_SANITIZERS} -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${L4_FUZZ_SANITIZERS})
endif()

# ThreadSanitizer for the threaded scanner (tools/dev.sh tsan).
if(L4_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
