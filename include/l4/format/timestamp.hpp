#pragma once
// Timestamps as printed by training stacks, turned into seconds so events on different nodes —
// and in different formats on one node (Python logging, c10d/glog, syslog) — can be ordered.
// The year is ignored on purpose: glog and syslog stamps do not print it, and ordering within one
// job only needs time of year.
#include <optional>
#include <string_view>

namespace l4::format {

// Seconds since the start of the year (month/day/time, fractional seconds kept), or nullopt when
// the text is not a recognised absolute timestamp ("1843.308145" uptime stamps are not absolute).
// Recognised: "2023-06-02 00:34:14,470", "2023-06-02T00:34:14.470Z", "0321 02:07:08.408271"
// (glog MMDD, also 3-digit "321"), "Jun  2 00:34:14", "081109 203615" (YYMMDD HHMMSS).
std::optional<double> parse_timestamp(std::string_view text);

}  // namespace l4::format
