#include "fuzz_support.hpp"

#include <spdlog/spdlog.h>

namespace l4::fuzz {
void quiet() { spdlog::set_level(spdlog::level::off); }
}  // namespace l4::fuzz

// libFuzzer calls this once before the first input: l4's warnings (a skipped file, a damaged
// gzip) are expected for fuzzed input and would drown the findings.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  l4::fuzz::quiet();
  return 0;
}
