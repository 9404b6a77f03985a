// The catalogue loader (`--catalog FILE`): any bytes either load or throw l4::InputError; a
// catalogue that loads matches text and answers for every category. The public file constructor
// loads the embedded catalogue first (60 ms under ASan, over 100 times a from_json of a small
// input), so it takes 1 input in 256 (by size, so a finding reproduces; at 1 in 64 it was 70% of
// the run and the target made 740 execs/s); the others go through the public from_json, the same
// loader and reference check without the embedded table.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "l4/diagnose/category_catalog.hpp"
#include "l4/error.hpp"

namespace {
std::string scratch_file() {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/l4-fuzz-catalogue-" + std::to_string(getpid()) + ".json";
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = scratch_file();
  const bool from_file = size % 256 == 0;
  if (from_file) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto catalog = from_file ? l4::diagnose::CategoryCatalog({path})
                                   : l4::diagnose::CategoryCatalog::from_json(
                                         std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    for (const auto& m : catalog.match("CUDA error: uncorrectable ECC error encountered")) {
      l4::fuzz::require(m.weight > 0 && m.weight == m.weight, "a match has a finite positive weight");
      l4::fuzz::require(catalog.contains(m.category), "a match names a category of the catalogue");
    }
    for (const auto& c : catalog.categories()) (void)catalog.about(c);
  } catch (const l4::InputError&) {
  }
  return 0;
}
