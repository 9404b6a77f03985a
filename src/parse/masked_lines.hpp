#pragma once
// MaskedLines: the distinct masked lines of an input, each a sequence of token ids, with how many
// input lines had it. Mining works on this table, not on lines: memory and mining time grow with
// the distinct lines (templates and their variants), not with the input. The table owns the
// vocabulary its ids refer to; mining adds template tokens ("<*>", "user=<*>") to it.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "parse/token_vocabulary.hpp"

namespace l4::parse {

class MaskedLines {
 public:
  MaskedLines() = default;
  MaskedLines(MaskedLines&&) noexcept = default;
  MaskedLines& operator=(MaskedLines&&) noexcept = default;

  // Adds `count` occurrences of a line; returns its index (the existing one for a line seen before).
  std::uint32_t add(std::span<const TokenId> tokens, std::uint64_t count = 1);
  // Same for a line given as token texts (interned first).
  std::uint32_t add_texts(std::span<const std::string_view> tokens, std::uint64_t count = 1);
  // The index of a line, if present.
  [[nodiscard]] std::optional<std::uint32_t> find(std::span<const TokenId> tokens) const;
  // Adds every line of `other` (its own vocabulary) with its count.
  void add_all(const MaskedLines& other);

  [[nodiscard]] std::span<const TokenId> tokens(std::uint32_t line) const {
    const Entry& e = entries_[line];
    return {ids_.data() + e.offset, e.length};
  }
  [[nodiscard]] std::uint64_t count(std::uint32_t line) const { return entries_[line].count; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  // Tokens held over all distinct lines.
  [[nodiscard]] std::size_t token_count() const { return ids_.size(); }

  [[nodiscard]] TokenVocabulary& vocabulary() { return vocabulary_; }
  [[nodiscard]] const TokenVocabulary& vocabulary() const { return vocabulary_; }

  // Forgets the lines (the vocabulary stays).
  void clear();
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  struct Entry {
    std::uint64_t offset = 0;
    std::uint64_t count = 0;
    std::uint64_t hash = 0;
    std::uint32_t length = 0;
  };
  static std::uint64_t hash_of(std::span<const TokenId> tokens);
  void grow();

  TokenVocabulary vocabulary_;
  std::vector<TokenId> ids_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;  // open addressing over entries_, 0xffffffff = empty
};

}  // namespace l4::parse
