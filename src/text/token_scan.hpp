#pragma once
// Scans of log text eight bytes at a time (SWAR: the bytes of a 64-bit word tested at once), for
// the loops that run over every byte written or masked.
//   token_end: where a whitespace-delimited token that starts at `i` ends, and whether it holds a
//   digit — the inner loop of masking every line. Per byte, "is whitespace" (0x20, 0x09..0x0d:
//   text::is_space) and "is a digit" are found with carry-free arithmetic on the word (each byte's
//   low seven bits plus a constant below 0x80 never carries into the next byte; bytes >= 0x80 are
//   neither), so the first whitespace is the lowest flagged byte.
//   holds_any: whether a text holds one of a few given bytes (a CSV field that needs quoting): a
//   byte equal to c is a zero byte of the word XORed with c, which the classic test finds. Where
//   SSE2 is there (every x86-64), sixteen bytes are compared at once first.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/chars.hpp"

namespace l4::text {

namespace detail {
constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
// High bit of each byte b of `w` with m < b < n (0 <= m <= 127, 0 <= n <= 128).
constexpr std::uint64_t between(std::uint64_t w, unsigned m, unsigned n) {
  const std::uint64_t low = w & kLow7;
  return ((kOnes * (127 + n) - low) & ~w & (low + kOnes * (127 - m))) & kHigh;
}
// Whether a byte of `w` equals `c`.
constexpr bool has_byte(std::uint64_t w, char c) {
  const std::uint64_t x = w ^ (kOnes * static_cast<unsigned char>(c));
  return ((x - kOnes) & ~x & kHigh) != 0;
}
}  // namespace detail

// The index of the first whitespace byte at or after `i` in `s` (s.size() when none); `digits`
// is set when a byte in between is '0'..'9' (left as it was otherwise).
inline std::size_t token_end(std::string_view s, std::size_t i, bool& digits) {
  const std::size_t n = s.size();
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);  // little-endian: byte k is bits 8k..8k+7
    const std::uint64_t space = detail::between(w, 8, 14) | detail::between(w, 31, 33);
    const std::uint64_t digit = detail::between(w, 47, 58);
    if (space != 0) {
      const int first = std::countr_zero(space);  // the high bit of the first whitespace byte
      if ((digit & ((std::uint64_t{1} << first) - 1)) != 0) digits = true;
      return i + static_cast<std::size_t>(first / 8);
    }
    if (digit != 0) digits = true;
  }
  for (; i < n && !is_space(s[i]); ++i) digits = digits || is_digit(s[i]);
  return i;
}

// Whether `s` holds one of the bytes `Cs`.
template <char... Cs>
bool holds_any(std::string_view s) {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i hit = (_mm_cmpeq_epi8(v, _mm_set1_epi8(Cs)) | ...);
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    if ((detail::has_byte(w, Cs) || ...)) return true;
  }
  for (; i < s.size(); ++i) {
    if (((s[i] == Cs) || ...)) return true;
  }
  return false;
}

}  // namespace l4::text
