#pragma once
// TokenVocabulary: every distinct token text once, numbered in the order first seen. Mining and
// matching work on these ids — integer compares, 4 bytes per token of a stored line — instead of
// strings: a million distinct lines of ten tokens take 40 MB of ids, not 400 MB of strings.
// Texts live in an arena and their views stay valid for the vocabulary's life (moves included).
// Lookups are const and thread-safe while nobody interns.
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "parse/token_hash.hpp"

namespace l4::parse {

using TokenId = std::uint32_t;
constexpr TokenId kNoToken = 0xffffffffU;

class TokenVocabulary {
 public:
  TokenVocabulary() = default;
  TokenVocabulary(TokenVocabulary&&) noexcept = default;
  TokenVocabulary& operator=(TokenVocabulary&&) noexcept = default;
  TokenVocabulary(const TokenVocabulary&) = delete;
  TokenVocabulary& operator=(const TokenVocabulary&) = delete;

  // The id of `text`, added when new. `hash` must be token_hash(text).
  TokenId intern(std::string_view text, std::uint64_t hash);
  TokenId intern(std::string_view text) { return intern(text, token_hash(text)); }
  // The id of `text`, or kNoToken.
  [[nodiscard]] TokenId find(std::string_view text, std::uint64_t hash) const;
  [[nodiscard]] TokenId find(std::string_view text) const { return find(text, token_hash(text)); }

  [[nodiscard]] std::string_view text(TokenId id) const { return texts_[id]; }
  [[nodiscard]] std::uint64_t hash(TokenId id) const { return hashes_[id]; }
  // The token holds "<*>" somewhere / is "<*>" exactly (template text conventions).
  [[nodiscard]] bool has_wildcard(TokenId id) const { return (flags_[id] & kHasWildcard) != 0; }
  [[nodiscard]] bool is_wildcard(TokenId id) const { return (flags_[id] & kIsWildcard) != 0; }
  [[nodiscard]] std::size_t size() const { return texts_.size(); }
  // Bytes held (texts, tables): for the memory accounting of long-lived structures.
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  static constexpr std::uint8_t kHasWildcard = 1;
  static constexpr std::uint8_t kIsWildcard = 2;
  std::string_view store(std::string_view text);
  void grow();

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0;
  std::size_t block_size_ = 0;
  std::size_t block_bytes_ = 0;
  std::vector<std::string_view> texts_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint8_t> flags_;
  std::vector<TokenId> slots_;  // open addressing, power-of-two size, kNoToken = empty
};

}  // namespace l4::parse
