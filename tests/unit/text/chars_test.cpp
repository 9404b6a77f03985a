#include <catch2/catch.hpp>

#include <cctype>
#include <clocale>

#include "text/chars.hpp"

// The character classes are ASCII's whatever the locale: checked against the C library in the
// "C" locale for every byte, and above 0x7f nothing is a letter, digit, hex digit or space.
TEST_CASE("character classes: the C locale's for ASCII, nothing above 0x7f", "[text][chars]") {
  std::setlocale(LC_CTYPE, "C");
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    INFO(b);
    const bool ascii = b < 0x80;
    REQUIRE(l4::text::is_space(c) == (ascii && std::isspace(b) != 0));
    REQUIRE(l4::text::is_digit(c) == (ascii && std::isdigit(b) != 0));
    REQUIRE(l4::text::is_alpha(c) == (ascii && std::isalpha(b) != 0));
    REQUIRE(l4::text::is_alnum(c) == (ascii && std::isalnum(b) != 0));
    REQUIRE(l4::text::is_xdigit(c) == (ascii && std::isxdigit(b) != 0));
    REQUIRE(l4::text::is_word_char(c) == (ascii && (std::isalnum(b) != 0 || c == '_')));
  }
}

TEST_CASE("hex_value: a hex digit's value in either case, -1 otherwise", "[text][chars]") {
  REQUIRE(l4::text::hex_value('0') == 0);
  REQUIRE(l4::text::hex_value('9') == 9);
  REQUIRE(l4::text::hex_value('a') == 10);
  REQUIRE(l4::text::hex_value('F') == 15);
  REQUIRE(l4::text::hex_value('g') == -1);
  REQUIRE(l4::text::hex_value('/') == -1);
  REQUIRE(l4::text::hex_value(':') == -1);
  REQUIRE(l4::text::hex_value('@') == -1);
  REQUIRE(l4::text::hex_value('`') == -1);
  REQUIRE(l4::text::hex_value(static_cast<char>(0xe1)) == -1);
}
