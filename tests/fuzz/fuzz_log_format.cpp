// --log-format compilation: the first line of the input is a Loghub-style format string, the
// rest are lines. Compiling either succeeds or throws l4::InputError (never anything else, never a
// crash); a compiled format splits any line into views of it.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "l4/error.hpp"
#include "l4/format/log_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string_view spec = input.substr(0, nl);
  const std::string_view lines = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  std::optional<l4::format::LogFormat> format;
  try {
    format.emplace(l4::format::LogFormat::from_loghub(spec));
  } catch (const l4::InputError&) {
    return 0;
  }
  using l4::fuzz::require, l4::fuzz::within;
  std::vector<std::string_view> values;
  l4::fuzz::for_each_line(lines, [&](std::string_view line) {
    l4::format::Header h;
    if (format->split(line, h)) {
      require(within(h.content, line) && within(h.timestamp, line) && within(h.level_text, line) &&
                  within(h.component, line),
              "header parts are views into the line");
    }
    if (format->split_fields(line, values)) {
      require(values.size() == format->fields().size(), "one value per field");
      for (auto v : values) require(within(v, line), "field values are views into the line");
    }
  }, 64);
  return 0;
}
