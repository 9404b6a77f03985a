#pragma once
// token_hash: the in-memory hash of a token's bytes used by every parse table (vocabulary, distinct
// lines, the matching trie), computed once per token while a line is tokenized and then reused.
// It reads 8 bytes per step. Only used in memory, never stored: ids in files use template_id().
#include <cstdint>
#include <cstring>
#include <string_view>

namespace l4::parse {

constexpr std::uint64_t kHashMul = 0x9E3779B97F4A7C15ULL;

// The last `n` (1..7) bytes of a short string as one word, without reading past it.
inline std::uint64_t load_short(const char* p, std::size_t n) noexcept {
  std::uint64_t w = 0;
  std::size_t at = 0;
  if (n & 4U) {
    std::uint32_t x = 0;
    std::memcpy(&x, p, 4);
    w = x;
    at = 4;
  }
  if (n & 2U) {
    std::uint16_t x = 0;
    std::memcpy(&x, p + at, 2);
    w |= std::uint64_t{x} << (8 * at);
    at += 2;
  }
  if (n & 1U) w |= std::uint64_t{static_cast<unsigned char>(p[at])} << (8 * at);
  return w;
}

inline std::uint64_t token_hash(std::string_view s) noexcept {
  std::uint64_t h = s.size() * kHashMul;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * kHashMul;
    h ^= h >> 29U;
  }
  if (const std::size_t rest = s.size() - i; rest > 0) {
    std::uint64_t w = 0;
    if (s.size() >= 8) {
      // the last 8 bytes, shifted so that only the `rest` new ones remain
      std::memcpy(&w, s.data() + s.size() - 8, 8);
      w >>= 8 * (8 - rest);
    } else {
      w = load_short(s.data(), rest);
    }
    h = (h ^ w) * kHashMul;
    h ^= h >> 29U;
  }
  return h ^ (h >> 32U);
}

// Mixes one more 64-bit value into a running hash (sequences of token ids, trie edges).
constexpr std::uint64_t hash_combine(std::uint64_t h, std::uint64_t v) noexcept {
  h = (h ^ (v + 0x632BE59BD9B4E019ULL)) * kHashMul;
  return h ^ (h >> 31U);
}

}  // namespace l4::parse
