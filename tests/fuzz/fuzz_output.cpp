// The output path: any bytes, as text and inside a JSON report, come out as valid UTF-8 (invalid
// bytes replaced and counted, each exactly once); quotes cut with utf8_prefix stay valid; escaped
// file names are valid UTF-8 on one line.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "l4/io/utf8.hpp"
#include "l4/report/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using l4::fuzz::require;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::uint64_t replaced = 0;
  const std::string valid = l4::io::to_valid_utf8(input, &replaced);
  require(l4::io::is_valid_utf8(valid), "to_valid_utf8 gives valid UTF-8");
  require((replaced == 0) == l4::io::is_valid_utf8(input), "replacements only for invalid input");
  require(valid.size() == input.size() + 2 * replaced, "each bad byte becomes one U+FFFD");
  for (std::size_t cut : {std::size_t{0}, size / 3, size / 2, size > 0 ? size - 1 : 0}) {
    const auto prefix = l4::io::utf8_prefix(valid, cut);
    require(prefix.size() <= cut && l4::io::is_valid_utf8(prefix), "a cut quote stays valid UTF-8");
    require(cut < 3 || prefix.size() + 3 >= cut, "a cut backs off at most three bytes");
  }
  const std::string escaped = l4::io::escape_path(input);
  require(l4::io::is_valid_utf8(escaped) && escaped.find('\n') == std::string::npos, "an escaped path is one valid line");
  const l4::report::Json doc = {{"text", std::string(input)}, {std::string(input.substr(0, 8)), {std::string(input), 1}}};
  std::uint64_t in_json = 0;
  const std::string text = l4::report::dump(doc, size % 3 == 0 ? -1 : 2, &in_json);
  require(l4::io::is_valid_utf8(text), "a JSON report is valid UTF-8");
  (void)nlohmann::json::parse(text);  // and it parses (throws, i.e. crashes, otherwise)
  return 0;
}
