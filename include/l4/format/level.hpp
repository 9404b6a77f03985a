#pragma once
// Severity levels normalised across stacks (glog "E", Python "ERROR", NCCL "WARN", syslog "err").
#include <cstdint>
#include <string_view>

namespace l4::format {

enum class Level : std::uint8_t { unknown, trace, debug, info, notice, warn, error, fatal };

// Maps a level token as printed ("E", "WARNING", "err", "CRITICAL", ...) to a Level;
// unknown when it is not a level.
Level parse_level(std::string_view token);
std::string_view to_string(Level level);

}  // namespace l4::format
