#pragma once
// l4/format.hpp — Header formats: a line split into timestamp, level, component and content, by the known
// formats (data/formats.json), a user's formats file, or one Loghub-style --log-format.
//
//   const l4::format::HeaderParser headers;                 // the known formats
//   const l4::format::Header h = headers.split(line);       // h.level, h.timestamp, h.content
#include "l4/format/format_table.hpp"
#include "l4/format/header.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/format/level.hpp"
#include "l4/format/log_format.hpp"
#include "l4/format/timestamp.hpp"
