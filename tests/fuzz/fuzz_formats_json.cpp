// The formats table loader (`--formats FILE`, `l4 formats check`): any bytes are checked without
// an exception (every problem named by its JSON path); load_known_formats loads or throws
// l4::InputError; a table that checks clean is a HeaderParser's user formats, and each of its
// sample lines is split — by that parser, user formats first — by its own format into the parts
// the sample states.
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "l4/error.hpp"
#include "l4/format/format_table.hpp"
#include "l4/format/header_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using l4::fuzz::require, l4::fuzz::within;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto check = l4::format::check_format_table(input, "fuzz");
  for (const auto& p : check.problems) require(!p.message.empty(), "a problem says what is wrong");
  try {
    (void)l4::format::load_known_formats(input);
  } catch (const l4::InputError&) {
  }
  if (!check.ok() || check.formats.empty()) return 0;
  try {
    const l4::format::HeaderParser parser(l4::format::FormatOptions{.log_format = {}, .user_formats = check.formats});
    for (const auto& f : check.formats) {
      for (const auto& s : f.samples) {
        const auto h = parser.split(s.line);
        require(within(h.content, s.line), "content is a view into the sample line");
        require(h.format == f.name, "a clean table's sample is split by its own format, user formats first");
        // A part the sample does not state reads as empty: only stated parts are compared.
        require(s.content.empty() || h.content == s.content, "a clean table's sample splits into the content it states");
        require(s.timestamp.empty() || h.timestamp == s.timestamp, "a clean table's sample has the timestamp it states");
        require(s.component.empty() || h.component == s.component, "a clean table's sample has the component it states");
      }
    }
  } catch (const l4::InputError&) {
    require(false, "a table that checks clean builds a parser");
  }
  return 0;
}
