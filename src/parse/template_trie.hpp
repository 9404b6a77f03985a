#pragma once
// Trie: TemplateStore's index for matching a line's tokens to a template (internal to parse).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "l4/parse/template_store.hpp"
#include "parse/glob_match.hpp"
#include "parse/token_vocabulary.hpp"

namespace l4::parse {

// The matching trie of all templates, one root per token count. Literal edges live in one flat
// table keyed by (node, token id in the trie's vocabulary): a line's tokens are looked up in the
// vocabulary once (with the hash computed while tokenizing), then every step is an integer probe.
// Tokens with "<*>" are glob edges of their node, tried after the literal one (specific first).
class Trie {
 public:
  void clear() { *this = Trie(); }

  void insert(const std::vector<std::string>& tokens, std::size_t index) {
    std::uint32_t at = root(tokens.size());
    for (const auto& tok : tokens) {
      std::uint32_t next = 0;
      if (!has_wildcard(tok)) {
        const TokenId id = vocabulary_.intern(tok);
        const std::uint32_t found = literal(at, id);
        if (found != kNone) {
          next = found;
        } else {
          next = new_node();
          add_edge(at, id, next);
          ++nodes_[at].literals;
        }
      } else {
        auto& globs = nodes_[at].globs;
        auto it = std::find_if(globs.begin(), globs.end(), [&](const auto& g) { return g.first == tok; });
        if (it == globs.end()) {
          next = new_node();
          nodes_[at].globs.emplace_back(tok, next);
          // specific globs first, the bare wildcard last, otherwise by text (deterministic)
          std::sort(nodes_[at].globs.begin(), nodes_[at].globs.end(), [](const auto& a, const auto& b) {
            const bool wa = is_wildcard(a.first);
            const bool wb = is_wildcard(b.first);
            if (wa != wb) return wb;
            return a.first < b.first;
          });
        } else {
          next = it->second;
        }
      }
      at = next;
    }
    if (nodes_[at].leaf < 0) nodes_[at].leaf = static_cast<std::int64_t>(index);
  }

  // The token ids of a line's tokens in this trie's vocabulary (kNoToken: no literal edge has it).
  void ids(std::span<const std::string_view> tokens, std::span<const std::uint64_t> hashes,
           std::vector<TokenId>& out) const {
    out.resize(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) out[i] = vocabulary_.find(tokens[i], hashes[i]);
  }

  // Iterative backtracking walk; literal children first, then globs in order.
  [[nodiscard]] std::int64_t find(std::span<const std::string_view> tokens, std::span<const TokenId> ids) const {
    struct Frame {
      std::uint32_t node;
      std::uint32_t choice;  // 0 = literal, 1.. = globs[choice-1]
    };
    const std::size_t n = tokens.size();
    const auto r = roots_.find(n);
    if (r == roots_.end()) return -1;
    if (n == 0) return nodes_[r->second].leaf;
    // the walk needs one frame per token: on the stack for ordinary lines, on the heap for long ones
    constexpr std::size_t kInline = 128;
    std::array<Frame, kInline> inline_frames;
    std::vector<Frame> heap_frames;
    Frame* stack = inline_frames.data();
    if (n > kInline) {
      heap_frames.resize(n);
      stack = heap_frames.data();
    }
    std::size_t size = 0;
    stack[size++] = {r->second, 0};
    while (size > 0) {
      Frame& f = stack[size - 1];
      const std::size_t depth = size - 1;
      const Node& node = nodes_[f.node];
      std::int64_t next = -1;
      while (next < 0) {
        const std::uint32_t c = f.choice++;
        if (c == 0) {
          if (node.literals > 0 && ids[depth] != kNoToken) {
            const std::uint32_t found = literal(f.node, ids[depth]);
            if (found != kNone) next = found;
          }
        } else if (c - 1 < node.globs.size()) {
          const auto& g = node.globs[c - 1];
          if (is_wildcard(g.first) || glob_match(g.first, tokens[depth], nullptr)) next = g.second;
        } else {
          break;
        }
      }
      if (next < 0) {
        --size;
        continue;
      }
      if (depth + 1 == n) {
        const std::int64_t leaf = nodes_[static_cast<std::size_t>(next)].leaf;
        if (leaf >= 0) return leaf;
        continue;
      }
      stack[size++] = {static_cast<std::uint32_t>(next), 0};
    }
    return -1;
  }

  // Templates the walk returns for every line they match (see TemplateStore::match with a hint):
  // on their path, every glob edge they take is the first thing the walk tries at that node (no
  // literal child, no glob before it). Indexed by template index.
  void uncontested(std::vector<bool>& out) const {
    struct Step {
      std::uint32_t node;
      bool contested;
    };
    std::vector<Step> todo;
    for (const auto& [count, root] : roots_) todo.push_back({root, false});
    std::vector<std::vector<std::pair<TokenId, std::uint32_t>>> literal_children(nodes_.size());
    for (std::size_t k = 0; k < edge_keys_.size(); ++k) {
      if (edge_keys_[k] == kEmptyKey) continue;
      literal_children[edge_keys_[k] >> 32U].emplace_back(static_cast<TokenId>(edge_keys_[k]), edge_values_[k]);
    }
    while (!todo.empty()) {
      const Step s = todo.back();
      todo.pop_back();
      const Node& node = nodes_[s.node];
      if (node.leaf >= 0) {
        const auto t = static_cast<std::size_t>(node.leaf);
        if (t >= out.size()) out.resize(t + 1, false);
        out[t] = !s.contested;
      }
      for (const auto& [id, child] : literal_children[s.node]) todo.push_back({child, s.contested});
      for (std::size_t g = 0; g < node.globs.size(); ++g) {
        todo.push_back({node.globs[g].second, s.contested || node.literals > 0 || g > 0});
      }
    }
  }

 private:
  static constexpr std::uint32_t kNone = 0xffffffffU;
  static constexpr std::uint64_t kEmptyKey = ~std::uint64_t{0};
  struct Node {
    std::vector<std::pair<std::string, std::uint32_t>> globs;  // "<*>" last
    std::int64_t leaf = -1;
    std::uint32_t literals = 0;  // literal children
  };

  std::uint32_t new_node() {
    nodes_.emplace_back();
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  std::uint32_t root(std::size_t count) {
    const auto it = roots_.find(count);
    if (it != roots_.end()) return it->second;
    const std::uint32_t r = new_node();
    roots_.emplace(count, r);
    return r;
  }
  static std::uint64_t key(std::uint32_t node, TokenId id) { return (std::uint64_t{node} << 32U) | id; }
  [[nodiscard]] std::uint32_t literal(std::uint32_t node, TokenId id) const {
    if (edge_keys_.empty()) return kNone;
    const std::uint64_t k = key(node, id);
    const std::size_t mask = edge_keys_.size() - 1;
    for (std::size_t at = hash_combine(0, k) & mask;; at = (at + 1) & mask) {
      if (edge_keys_[at] == k) return edge_values_[at];
      if (edge_keys_[at] == kEmptyKey) return kNone;
    }
  }
  void add_edge(std::uint32_t node, TokenId id, std::uint32_t child) {
    if ((edges_ + 1) * 2 > edge_keys_.size()) {
      const std::vector<std::uint64_t> keys = std::move(edge_keys_);
      const std::vector<std::uint32_t> values = std::move(edge_values_);
      edge_keys_.assign(std::max<std::size_t>(64, keys.size() * 2), kEmptyKey);
      edge_values_.assign(edge_keys_.size(), kNone);
      edges_ = 0;
      for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keys[k] != kEmptyKey) put(keys[k], values[k]);
      }
    }
    put(key(node, id), child);
  }
  void put(std::uint64_t k, std::uint32_t value) {
    const std::size_t mask = edge_keys_.size() - 1;
    std::size_t at = hash_combine(0, k) & mask;
    while (edge_keys_[at] != kEmptyKey) at = (at + 1) & mask;
    edge_keys_[at] = k;
    edge_values_[at] = value;
    ++edges_;
  }

  TokenVocabulary vocabulary_;
  std::vector<Node> nodes_;
  std::unordered_map<std::size_t, std::uint32_t> roots_;
  std::vector<std::uint64_t> edge_keys_;
  std::vector<std::uint32_t> edge_values_;
  std::size_t edges_ = 0;
};

}  // namespace l4::parse
