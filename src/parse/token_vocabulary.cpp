#include "parse/token_vocabulary.hpp"

#include <algorithm>

namespace l4::parse {

std::string_view TokenVocabulary::store(std::string_view text) {
  constexpr std::size_t kBlock = 64 * 1024;
  if (text.empty()) return {};
  if (blocks_.empty() || block_used_ + text.size() > block_size_) {
    block_size_ = std::max(kBlock, text.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_bytes_ += block_size_;
    block_used_ = 0;
  }
  char* at = blocks_.back().get() + block_used_;
  std::copy(text.begin(), text.end(), at);
  block_used_ += text.size();
  return {at, text.size()};
}

void TokenVocabulary::grow() {
  const std::size_t size = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<TokenId> fresh(size, kNoToken);
  const std::size_t mask = size - 1;
  for (TokenId id = 0; id < texts_.size(); ++id) {
    std::size_t at = hashes_[id] & mask;
    while (fresh[at] != kNoToken) at = (at + 1) & mask;
    fresh[at] = id;
  }
  slots_ = std::move(fresh);
}

TokenId TokenVocabulary::find(std::string_view text, std::uint64_t hash) const {
  if (slots_.empty()) return kNoToken;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    const TokenId id = slots_[at];
    if (id == kNoToken) return kNoToken;
    if (hashes_[id] == hash && texts_[id] == text) return id;
  }
}

TokenId TokenVocabulary::intern(std::string_view text, std::uint64_t hash) {
  if ((texts_.size() + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash & mask;
  for (;; at = (at + 1) & mask) {
    const TokenId id = slots_[at];
    if (id == kNoToken) break;
    if (hashes_[id] == hash && texts_[id] == text) return id;
  }
  const auto id = static_cast<TokenId>(texts_.size());
  texts_.push_back(store(text));
  hashes_.push_back(hash);
  std::uint8_t flags = 0;
  if (text.find("<*>") != std::string_view::npos) flags |= kHasWildcard;
  if (text == "<*>") flags |= kIsWildcard;
  flags_.push_back(flags);
  slots_[at] = id;
  return id;
}

std::size_t TokenVocabulary::memory_bytes() const {
  return block_bytes_ + texts_.capacity() * sizeof(std::string_view) +
         hashes_.capacity() * sizeof(std::uint64_t) + flags_.capacity() + slots_.capacity() * sizeof(TokenId);
}

}  // namespace l4::parse
