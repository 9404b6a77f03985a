#pragma once
// Character classes of log text, defined once for every layer (ASCII only, never the C locale's:
// a byte above 0x7f is never a letter, digit or space here, whatever the environment says).
//   whitespace — what tokens, header fields and descriptions are split on: space, \t, \n, \v,
//                \f, \r (C's isspace in the "C" locale);
//   word characters — letters, digits and '_' (a regex's \w): what names, keys and words are made of;
//   hexadecimal digits — 0-9, a-f, A-F (ids, addresses, escaped bytes).
namespace l4::text {

constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_word_char(char c) { return is_alnum(c) || c == '_'; }
// A hexadecimal digit's value (either case), -1 for any other character.
constexpr int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr bool is_xdigit(char c) { return hex_value(c) >= 0; }

}  // namespace l4::text
