#pragma once
// UTF-8 validity check used on every line; ASCII is checked eight bytes at a time.
#include <string_view>

namespace l4::io {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace l4::io
