#include "l4/format/timestamp.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "text/chars.hpp"

namespace l4::format {
namespace {

constexpr std::array<int, 12> kDaysBefore{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!text::is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  value = v;
  return true;
}

std::optional<double> seconds(int month, int day, int h, int m, int s, double frac) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return std::nullopt;
  const int days = kDaysBefore[static_cast<std::size_t>(month - 1)] + day - 1;
  return days * 86400.0 + h * 3600.0 + m * 60.0 + s + frac;
}

// Parses "HH:MM:SS[.,frac]" at pos.
bool clock(std::string_view t, std::size_t pos, int& h, int& m, int& s, double& frac) {
  if (!digits(t, pos, 2, h) || pos + 8 > t.size() || t[pos + 2] != ':' || !digits(t, pos + 3, 2, m) ||
      t[pos + 5] != ':' || !digits(t, pos + 6, 2, s)) {
    return false;
  }
  frac = 0;
  std::size_t i = pos + 8;
  if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
    double scale = 0.1;
    for (++i; i < t.size() && text::is_digit(t[i]); ++i) {
      frac += (t[i] - '0') * scale;
      scale /= 10;
    }
  }
  return true;
}

int month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (name == names[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

}  // namespace

std::optional<double> parse_timestamp(std::string_view t) {
  int year, month, day, h, m, s;
  double frac;
  // ISO-8601: YYYY-MM-DD[ T]HH:MM:SS
  if (t.size() >= 19 && digits(t, 0, 4, year) && t[4] == '-' && digits(t, 5, 2, month) && t[7] == '-' &&
      digits(t, 8, 2, day) && (t[10] == ' ' || t[10] == 'T') && clock(t, 11, h, m, s, frac)) {
    return seconds(month, day, h, m, s, frac);
  }
  // glog: MMDD HH:MM:SS.frac (PyTorch prints 3 digits for months < 10: "321")
  for (std::size_t n : {std::size_t{4}, std::size_t{3}}) {
    int mmdd;
    if (t.size() >= n + 9 && digits(t, 0, n, mmdd) && t[n] == ' ' && clock(t, n + 1, h, m, s, frac)) {
      return seconds(mmdd / 100, mmdd % 100, h, m, s, frac);
    }
  }
  // syslog: "Jun  2 00:34:14"
  if (t.size() >= 15 && t[3] == ' ') {
    const int mon = month_from_name(t.substr(0, 3));
    std::size_t pos = 4;
    if (mon > 0 && pos < t.size() && t[pos] == ' ') ++pos;
    int d;
    std::size_t dl = (pos + 1 < t.size() && text::is_digit(t[pos + 1])) ? 2 : 1;
    if (mon > 0 && digits(t, pos, dl, d) && pos + dl < t.size() && t[pos + dl] == ' ' &&
        clock(t, pos + dl + 1, h, m, s, frac)) {
      return seconds(mon, d, h, m, s, frac);
    }
  }
  // YYMMDD HHMMSS (HDFS-style)
  if (t.size() >= 13 && digits(t, 0, 2, year) && digits(t, 2, 2, month) && digits(t, 4, 2, day) &&
      t[6] == ' ' && digits(t, 7, 2, h) && digits(t, 9, 2, m) && digits(t, 11, 2, s)) {
    return seconds(month, day, h, m, s, 0);
  }
  return std::nullopt;
}

std::optional<int> stamped_year(std::string_view line, double seconds_of_year) {
  for (std::size_t pos = line.find('-'); pos != std::string_view::npos; pos = line.find('-', pos + 1)) {
    if (pos < 4) continue;
    const auto candidate = line.substr(pos - 4);
    int year;
    if (!digits(candidate, 0, 4, year)) continue;
    const auto time = parse_timestamp(candidate);
    if (time && std::fabs(*time - seconds_of_year) < 1.0) return year;
  }
  return std::nullopt;
}

std::string iso_timestamp(double seconds_of_year, std::optional<int> year) {
  if (!std::isfinite(seconds_of_year) || seconds_of_year < 0) return "";
  const auto millis = static_cast<long long>(std::llround(seconds_of_year * 1000));
  auto days = static_cast<int>(millis / 86'400'000);
  const long long in_day = millis % 86'400'000;
  if (days >= 365) {  // the last moment of 31 December rounded up: the next year's first day
    days -= 365;
    if (year) ++*year;
  }
  int month = 12;
  while (month > 1 && kDaysBefore[static_cast<std::size_t>(month - 1)] > days) --month;
  const int day = days - kDaysBefore[static_cast<std::size_t>(month - 1)] + 1;
  const auto clock = fmt::format("{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", month, day, in_day / 3'600'000,
                                 in_day / 60'000 % 60, in_day / 1000 % 60, in_day % 1000);
  return year ? fmt::format("{:04}-{}", *year, clock) : "--" + clock;
}

}  // namespace l4::format
