#include "time_format.hpp"

#include <fmt/format.h>

#include <iterator>
#include <string_view>

#include "number_format.hpp"

namespace l4::simulate {

bool TimeFormat::is_time(Var v) {
  switch (v) {
    case Var::py: case Var::glog: case Var::c10d: case Var::kt: case Var::iso: case Var::hms: case Var::tsu:
      return true;
    default:
      return false;
  }
}

void TimeFormat::put(std::string& out, Var v, std::int64_t time_us, std::int64_t uptime_us, Rng& rng) {
  const std::int64_t sec = time_us / kSecond;
  const auto us = static_cast<int>(time_us % kSecond);
  if (sec != cached_sec_) {
    cached_sec_ = sec;
    int y = 0;
    civil(sec / 86400, y, month_, day_);
    const auto s = sec % 86400;
    fmt::format_to_n(date_, sizeof date_, "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", y, month_, day_, s / 3600,
                     s / 60 % 60, s % 60);
  }
  const std::string_view date(date_, 10), clock(date_ + 11, 8);
  auto it = std::back_inserter(out);
  switch (v) {
    case Var::py: out.append(date_, 19); out.push_back(','); put_pad(out, us / 1000, 3); break;
    case Var::glog:
      put_pad(out, month_, 2);
      put_pad(out, day_, 2);
      out.push_back(' ');
      out += clock;
      out.push_back('.');
      put_pad(out, us, 6);
      break;
    case Var::c10d:
      put_int(out, month_);
      put_pad(out, day_, 2);
      out.push_back(' ');
      out += clock;
      out.push_back('.');
      put_pad(out, us, 6);
      put_pad(out, static_cast<std::int64_t>(rng.next() % 1000), 3);
      break;
    case Var::iso: fmt::format_to(it, "{}T{}", date, clock); break;
    case Var::tsu: fmt::format_to(it, "{}_{}", date, clock); break;
    case Var::hms: out += clock; break;
    case Var::kt: fmt::format_to(it, "{:5d}.{:06d}", uptime_us / kSecond, uptime_us % kSecond); break;
    default: break;
  }
}

}  // namespace l4::simulate
