#include "l4/parse/template_id.hpp"

#include "text/chars.hpp"

namespace l4::parse {

std::string to_hex(TemplateId id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[id & 0xfU];
    id >>= 4U;
  }
  return out;
}

std::optional<TemplateId> parse_template_id(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  TemplateId id = 0;
  for (const char c : text) {
    const int v = text::hex_value(c);
    if (v < 0) return std::nullopt;
    id = (id << 4U) | static_cast<unsigned>(v);
  }
  return id;
}

}  // namespace l4::parse
