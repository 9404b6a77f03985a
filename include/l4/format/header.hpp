#pragma once
// Header: the parts of a log line before its message — timestamp, level, component — and the
// message itself (content), which is what templates are mined from.
#include <string_view>

#include "l4/format/level.hpp"

namespace l4::format {

struct Header {
  std::string_view timestamp;  // as printed, empty when none
  std::string_view level_text; // as printed ("E", "WARN"), empty when none
  std::string_view component;  // source file, logger, component or host:pid:tid; may be empty
  std::string_view content;    // the message; the whole line when no format matched
  std::string_view format;     // name of the format that matched, empty when none did
  Level level = Level::unknown;
};

}  // namespace l4::format
