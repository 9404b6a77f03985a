#pragma once
// Number formatting for the simulator's hot path: what printf("%d", "%0Nd", "%.Nf", "%.NE")
// prints, appended to a line buffer without fmt's general floating-point path (which dominated
// generation time), and the civil date of a day count.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace l4::simulate {

inline constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

inline void put_int(std::string& out, std::int64_t v) {
  const fmt::format_int f(v);
  out.append(f.data(), f.size());
}

// Zero-padded to `width` digits; v >= 0.
inline void put_pad(std::string& out, std::int64_t v, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 20);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

// Writes what printf writes for a non-finite value (and returns false), or the sign of a
// negative one, leaving `v` its magnitude.
inline bool put_sign(std::string& out, double& v) {
  if (!std::isfinite(v)) {
    out += std::isnan(v) ? "nan" : "inf";
    return false;
  }
  if (v < 0) {
    out.push_back('-');
    v = -v;
  }
  return true;
}

// printf("%.<decimals>f").
inline void put_fixed(std::string& out, double v, int decimals) {
  if (!put_sign(out, v)) return;
  const auto scaled = static_cast<std::int64_t>(std::llround(v * static_cast<double>(kPow10[decimals])));
  put_int(out, scaled / kPow10[decimals]);
  if (decimals > 0) {
    out.push_back('.');
    put_pad(out, scaled % kPow10[decimals], decimals);
  }
}

// printf("%.<digits>E").
inline void put_sci(std::string& out, double v, int digits) {
  if (!put_sign(out, v)) return;
  int e = v == 0 ? 0 : static_cast<int>(std::floor(std::log10(v)));
  auto m = static_cast<std::int64_t>(std::llround(v / std::pow(10.0, e) * static_cast<double>(kPow10[digits])));
  if (m >= kPow10[digits + 1]) {
    m /= 10;
    ++e;
  }
  put_int(out, m / kPow10[digits]);
  out.push_back('.');
  put_pad(out, m % kPow10[digits], digits);
  out.push_back('E');
  out.push_back(e < 0 ? '-' : '+');
  put_pad(out, e < 0 ? -e : e, 2);
}

// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
inline void civil(std::int64_t days, int& y, int& m, int& d) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace l4::simulate
