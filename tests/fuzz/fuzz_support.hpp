#pragma once
// Shared by the libFuzzer targets in tests/fuzz/: splitting an input into lines, and the checks
// that turn a broken property into a crash libFuzzer reports (abort, with the reason on stderr).
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace l4::fuzz {

// Aborts with `what` when `ok` is false: a finding.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
  }
}

// True when `part` is a view into `whole` (or empty).
inline bool within(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

// Calls visit(line) for each '\n'-separated line of `input` (the last one may lack the '\n').
template <typename Visit>
void for_each_line(std::string_view input, Visit&& visit, std::size_t max_lines = 4096) {
  std::size_t pos = 0, n = 0;
  while (pos < input.size() && n++ < max_lines) {
    std::size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    visit(input.substr(pos, end - pos));
    pos = end + 1;
  }
}

// Silences l4's diagnostics (spdlog) for the whole run: a fuzzer's stderr is for findings.
// LLVMFuzzerInitialize (fuzz_support.cpp, linked into every target) calls it.
void quiet();

}  // namespace l4::fuzz
