#pragma once
// Timestamps as printed by training stacks, turned into seconds so events on different nodes —
// and in different formats on one node (Python logging, c10d/glog, syslog) — can be ordered.
// The year is ignored on purpose: glog and syslog stamps do not print it, and ordering within one
// job only needs time of year.
#include <optional>
#include <string>
#include <string_view>

namespace l4::format {

// Seconds since the start of the year (month/day/time, fractional seconds kept), or nullopt when
// the text is not a recognised absolute timestamp ("1843.308145" uptime stamps are not absolute).
// Recognised: "2023-06-02 00:34:14,470", "2023-06-02T00:34:14.470Z", "0321 02:07:08.408271"
// (glog MMDD, also 3-digit "321"), "Jun  2 00:34:14", "081109 203615" (YYMMDD HHMMSS).
std::optional<double> parse_timestamp(std::string_view text);

// The year a line prints with its timestamp: the first "YYYY-MM-DD[ T]HH:MM:SS" in `line` whose
// time of year is `seconds_of_year` (within a second: a format may keep its stamp without fractions). nullopt when the line prints no such
// stamp (glog and syslog stamps carry no year). Lets a report date the times parse_timestamp keeps.
std::optional<int> stamped_year(std::string_view line, double seconds_of_year);

// The inverse of parse_timestamp, in ISO-8601 with milliseconds: "2024-02-09T22:46:06.667" in
// `year`, or without a year ("--02-09T22:46:06.667", ISO 8601:2000's truncated form) when `year`
// is nullopt. Months and days come from the same non-leap calendar parse_timestamp counts with,
// so the date is the one the log printed (29 February of a leap year reads as 1 March).
std::string iso_timestamp(double seconds_of_year, std::optional<int> year);

}  // namespace l4::format
