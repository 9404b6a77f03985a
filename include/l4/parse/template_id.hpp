#pragma once
// TemplateId: the identity of a log template — a 64-bit FNV-1a hash of the template text, so the
// same template gets the same id in every run, on every machine and in every saved template file.
// std::hash is not used because its value is implementation-defined.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace l4::parse {

using TemplateId = std::uint64_t;

// FNV-1a (64 bit) of `text`; stable across platforms and compilers.
constexpr TemplateId template_id(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// 16 lowercase hex digits, zero-padded ("00af...").
std::string to_hex(TemplateId id);
// Parses 16 hex digits back into an id; nullopt when `text` is not exactly that.
std::optional<TemplateId> parse_template_id(std::string_view text);

}  // namespace l4::parse
