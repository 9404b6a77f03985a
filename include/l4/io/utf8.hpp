#pragma once
// UTF-8 handling for text l4 reads and writes. Log lines are kept byte-exact (a line holding
// invalid UTF-8 is still a log line); everything l4 *writes* goes through the helpers here, so
// output is always valid UTF-8: invalid bytes become U+FFFD (counted), quotes are cut on
// character boundaries, and file names are escaped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace l4::io {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

// Length of the well-formed UTF-8 sequence starting at text[pos]: 1-4, or 0 when the byte there
// does not start one (a stray continuation byte, an overlong, a surrogate, a cut sequence).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept;

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD (one
// replacement per bad byte). Adds the number of replaced bytes to *replaced when given.
std::string to_valid_utf8(std::string_view text, std::uint64_t* replaced = nullptr);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// character: a quote cut to a length stays valid UTF-8 when `text` was.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

// A file name as reports show it: invalid UTF-8 bytes and control characters (C0, DEL) written as
// \xNN, a backslash as "\\"; every other character as it is. The result is valid UTF-8 on one
// line, and different names stay different.
std::string escape_path(std::string_view path);

}  // namespace l4::io
