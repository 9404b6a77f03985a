#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "text/chars.hpp"
#include "text/token_scan.hpp"

TEST_CASE("token_end: the first whitespace and whether a digit comes before it, as byte by byte", "[text][token]") {
  std::mt19937 rng(23);
  // every whitespace byte, digits, their neighbours in ASCII, and bytes >= 0x80
  const std::string alphabet = std::string("a0 9\t\n\v\f\r\x08\x0e\x1f!/:\x80\xb0\xff", 18);
  for (int round = 0; round < 50000; ++round) {
    std::string s;
    const std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) s.push_back(rng() % 3 == 0 ? alphabet[rng() % alphabet.size()] : 'x');
    const std::size_t from = n == 0 ? 0 : rng() % (n + 1);
    std::size_t expected_end = from;
    bool expected_digits = false;
    for (; expected_end < n && !l4::text::is_space(s[expected_end]); ++expected_end) {
      expected_digits = expected_digits || l4::text::is_digit(s[expected_end]);
    }
    bool digits = false;
    INFO(round);
    REQUIRE(l4::text::token_end(s, from, digits) == expected_end);
    REQUIRE(digits == expected_digits);
  }
}

TEST_CASE("holds_any: whether one of the given bytes occurs, as byte by byte", "[text][token]") {
  std::mt19937 rng(29);
  // the bytes looked for, their neighbours (carries and borrows), and bytes >= 0x80
  const std::string alphabet = std::string(",\"\n\r+-!#\x0b\x0c\x80\xac\xa2\xff\x00", 15);
  for (int round = 0; round < 50000; ++round) {
    std::string s;
    const std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) s.push_back(rng() % 4 == 0 ? alphabet[rng() % alphabet.size()] : 'x');
    const bool expected = s.find_first_of(std::string_view(",\"\n\r", 4)) != std::string::npos;
    INFO(round);
    REQUIRE(l4::text::holds_any<',', '"', '\n', '\r'>(s) == expected);
  }
}
