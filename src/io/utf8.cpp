#include "l4/io/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace l4::io {
namespace {

// Skips ASCII eight bytes at a time from `i`; returns the index of the first non-ASCII byte (or n).
std::size_t skip_ascii(const unsigned char* s, std::size_t i, std::size_t n) noexcept {
  while (i + 8 <= n) {
    std::uint64_t word;
    std::memcpy(&word, s + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
    i += 8;
  }
  while (i < n && s[i] < 0x80) ++i;
  return i;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  if (pos >= n) return 0;
  const unsigned char c = s[pos];
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlongs
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // no overlongs
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (pos + len > n) return 0;
  if (s[pos + 1] < lo || s[pos + 1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((s[pos + k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = skip_ascii(s, 0, n);
  while (i < n) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    i = skip_ascii(s, i + len, n);
  }
  return true;
}

std::string to_valid_utf8(std::string_view text, std::uint64_t* replaced) {
  std::string out;
  out.reserve(text.size() + 8);
  std::uint64_t bad = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t done = 0;  // text[0, done) is in `out`
  std::size_t i = skip_ascii(s, 0, text.size());
  while (i < text.size()) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out.append(text.substr(done, i - done));
      out.append(kReplacement);
      ++bad;
      done = ++i;
    } else {
      i += len;
    }
    i = skip_ascii(s, i, text.size());
  }
  out.append(text.substr(done));
  if (replaced != nullptr) *replaced += bad;
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  // Back off over continuation bytes (at most three) to the start of the character that the cut
  // would split.
  for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++k) --cut;
  if ((static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) cut = max_bytes;  // not UTF-8 anyway
  return text.substr(0, cut);
}

std::string escape_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  std::size_t i = 0;
  while (i < path.size()) {
    const auto c = static_cast<unsigned char>(path[i]);
    const std::size_t len = utf8_sequence_length(path, i);
    if (len == 0 || c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else if (c == '\\') {
      out += "\\\\";
      ++i;
    } else {
      out.append(path.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace l4::io
