#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "diagnose/event_recording.hpp"

using l4::diagnose::as_number;

namespace {
// What std::from_chars makes of the whole text (NaN when it does not take all of it).
double reference(const std::string& s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(v) ? v : std::nan("");
}
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;  // -0.0 differs from 0.0
}
}  // namespace

TEST_CASE("as_number reads parameters as from_chars does, bit for bit", "[diagnose][numbers]") {
  for (const char* s : {"5465.1", "-6", "4.8E-05", "0.1", "-0", "-0.0", ".5", "5.", "-.25", "123456789012345",
                        "1234567890123456", "0.000000000000001", "999999999999999.9", "1.2.3", "-", ".", "12a",
                        "0x1f", "1e400", "", "007", "3.14159265358979", "-99.99"}) {
    INFO(s);
    CHECK(same(as_number(s), s[0] == '+' ? std::nan("") : reference(s)));
  }
  // random decimals of every length up to 18 digits, with and without sign and point
  std::mt19937_64 rng(7);
  for (int n = 0; n < 20000; ++n) {
    std::string s = (rng() & 1U) != 0 ? "-" : "";
    const int digits = 1 + static_cast<int>(rng() % 18);
    const int point = static_cast<int>(rng() % (digits + 2)) - 1;  // -1: none
    for (int d = 0; d < digits; ++d) {
      if (d == point) s.push_back('.');
      s.push_back(static_cast<char>('0' + rng() % 10));
    }
    INFO(s);
    REQUIRE(same(as_number(s), reference(s)));
  }
}
