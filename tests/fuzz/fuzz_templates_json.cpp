// The templates JSON loader (`--templates F`): any bytes either load or throw l4::InputError; what
// loads saves to JSON that loads back to itself.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "l4/error.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/template_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using l4::fuzz::require;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string saved;
  try {
    saved = l4::parse::TemplateStore::from_json(input, "fuzz").to_json();
  } catch (const l4::InputError&) {
    return 0;
  }
  require(l4::io::is_valid_utf8(saved), "saved templates are valid UTF-8");
  const auto again = l4::parse::TemplateStore::from_json(saved, "resaved");
  require(again.to_json() == saved, "a loaded store saves and loads to itself");
  l4::parse::ParseResult r;
  for (const auto& t : again.templates()) {
    if (!t.erased && t.text.find("<*>") == std::string::npos) {
      require(again.match(t.text, r), "a constant template matches its own text");
    }
  }
  return 0;
}
