// Header and format parsing (data/formats.json through HeaderParser), timestamps and levels: any
// line splits without a crash, every part is a view into the line, and a line no format matches
// keeps the whole line as content.
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/format/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const l4::format::HeaderParser parser;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t hint = 0;
  l4::fuzz::for_each_line(input, [&](std::string_view line) {
    const auto h = parser.split(line, hint);
    using l4::fuzz::require, l4::fuzz::within;
    require(hint < parser.formats().size(), "hint stays a format index");
    require(within(h.content, line) && within(h.timestamp, line) && within(h.level_text, line) &&
                within(h.component, line),
            "header parts are views into the line");
    if (h.format.empty()) require(h.content == line, "an unmatched line is all content");
    const auto unhinted = parser.split(line);
    require(unhinted.content.size() <= line.size(), "content never longer than the line");
    if (auto t = l4::format::parse_timestamp(h.timestamp)) require(*t == *t, "a timestamp is a number");
    (void)l4::format::parse_level(h.level_text);
  });
  return 0;
}
