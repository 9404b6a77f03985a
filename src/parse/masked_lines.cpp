#include "parse/masked_lines.hpp"

#include <algorithm>
#include <limits>

#include "l4/error.hpp"

namespace l4::parse {
namespace {
constexpr std::uint32_t kEmpty = 0xffffffffU;
}

std::uint64_t MaskedLines::hash_of(std::span<const TokenId> tokens) {
  std::uint64_t h = tokens.size();
  for (const TokenId t : tokens) h = hash_combine(h, t);
  return h;
}

void MaskedLines::grow() {
  const std::size_t size = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<std::uint32_t> fresh(size, kEmpty);
  const std::size_t mask = size - 1;
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    std::size_t at = entries_[i].hash & mask;
    while (fresh[at] != kEmpty) at = (at + 1) & mask;
    fresh[at] = i;
  }
  slots_ = std::move(fresh);
}

std::optional<std::uint32_t> MaskedLines::find(std::span<const TokenId> tokens) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t h = hash_of(tokens);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = h & mask;; at = (at + 1) & mask) {
    const std::uint32_t i = slots_[at];
    if (i == kEmpty) return std::nullopt;
    if (entries_[i].hash == h && std::ranges::equal(this->tokens(i), tokens)) return i;
  }
}

std::uint32_t MaskedLines::add(std::span<const TokenId> tokens, std::uint64_t count) {
  if ((entries_.size() + 1) * 2 > slots_.size()) grow();
  const std::uint64_t h = hash_of(tokens);
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = h & mask;
  for (;; at = (at + 1) & mask) {
    const std::uint32_t i = slots_[at];
    if (i == kEmpty) break;
    if (entries_[i].hash == h && std::ranges::equal(this->tokens(i), tokens)) {
      entries_[i].count += count;
      return i;
    }
  }
  if (entries_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw l4::Error("too many distinct masked lines");
  }
  const auto index = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back({ids_.size(), count, h, static_cast<std::uint32_t>(tokens.size())});
  ids_.insert(ids_.end(), tokens.begin(), tokens.end());
  slots_[at] = index;
  return index;
}

std::uint32_t MaskedLines::add_texts(std::span<const std::string_view> tokens, std::uint64_t count) {
  std::vector<TokenId> ids;
  ids.reserve(tokens.size());
  for (const auto t : tokens) ids.push_back(vocabulary_.intern(t));
  return add(ids, count);
}

void MaskedLines::add_all(const MaskedLines& other) {
  std::vector<TokenId> remap(other.vocabulary_.size(), kNoToken);
  std::vector<TokenId> ids;
  for (std::uint32_t i = 0; i < other.size(); ++i) {
    ids.clear();
    for (const TokenId t : other.tokens(i)) {
      if (remap[t] == kNoToken) remap[t] = vocabulary_.intern(other.vocabulary_.text(t), other.vocabulary_.hash(t));
      ids.push_back(remap[t]);
    }
    add(ids, other.count(i));
  }
}

void MaskedLines::clear() {
  ids_.clear();
  entries_.clear();
  slots_.clear();
}

std::size_t MaskedLines::memory_bytes() const {
  return vocabulary_.memory_bytes() + ids_.capacity() * sizeof(TokenId) + entries_.capacity() * sizeof(Entry) +
         slots_.capacity() * sizeof(std::uint32_t);
}

}  // namespace l4::parse
