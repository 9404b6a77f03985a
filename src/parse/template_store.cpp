#include "l4/parse/template_store.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <atomic>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "l4/error.hpp"
#include "parse/token_hash.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/token_masker.hpp"
#include "parse/token_vocabulary.hpp"

namespace l4::parse {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return static_cast<std::size_t>(token_hash(s)); }
};

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

}  // namespace

struct TemplateStore::Index {
  Trie trie;
  std::vector<std::size_t> runs;  // templates with run slots, most specific first (see index_runs)
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> by_text;
  std::unordered_map<TemplateId, std::size_t> by_id;
  // which templates the walk returns whenever they match (for match with a hint); computed on the
  // first such match after a change
  mutable std::mutex hints_mutex;
  mutable std::atomic<bool> hints_ready{false};
  mutable std::vector<bool> uncontested;
};

TemplateStore::TemplateStore() : index_(std::make_unique<Index>()) {}
TemplateStore::TemplateStore(TemplateStore&&) noexcept = default;
TemplateStore& TemplateStore::operator=(TemplateStore&&) noexcept = default;
TemplateStore::~TemplateStore() = default;

std::size_t TemplateStore::add(std::string_view text, std::uint64_t count, bool provisional,
                               std::span<const TokenRun> runs) {
  if (auto it = index_->by_text.find(text); it != index_->by_text.end()) {
    auto& t = templates_[it->second];
    t.count += count;
    if (!provisional) t.provisional = false;
    const bool had_runs = !t.runs.empty();
    for (const TokenRun& r : runs) {
      if (r.position >= t.tokens.size() || !is_wildcard(t.tokens[r.position])) continue;
      const auto same = std::find_if(t.runs.begin(), t.runs.end(),
                                     [&](const TokenRun& x) { return x.position == r.position; });
      if (same == t.runs.end()) t.runs.push_back(r);
      else same->min_tokens = std::min(same->min_tokens, r.min_tokens);
    }
    std::sort(t.runs.begin(), t.runs.end());
    if (!had_runs && !t.runs.empty()) index_runs(it->second);
    return it->second;
  }
  Template t;
  t.text = std::string(text);
  t.id = template_id(t.text);
  std::vector<std::string_view> toks;
  tokenize(t.text, toks);
  t.tokens.assign(toks.begin(), toks.end());
  t.count = count;
  t.provisional = provisional;
  for (const TokenRun& r : runs) {
    if (r.position < t.tokens.size() && is_wildcard(t.tokens[r.position])) {
      t.runs.push_back({r.position, std::min<std::size_t>(r.min_tokens, 1)});
    }
  }
  std::sort(t.runs.begin(), t.runs.end());
  t.runs.erase(std::unique(t.runs.begin(), t.runs.end(),
                           [](const TokenRun& a, const TokenRun& b) { return a.position == b.position; }),
               t.runs.end());
  const std::size_t index = templates_.size();
  index_->trie.insert(t.tokens, index);
  index_->hints_ready = false;
  index_->by_text.emplace(t.text, index);
  index_->by_id.emplace(t.id, index);
  const bool has_runs = !t.runs.empty();
  templates_.push_back(std::move(t));
  ++live_;
  if (has_runs) index_runs(index);
  return index;
}

void TemplateStore::index_runs(std::size_t index) {
  // most specific first: more literal tokens, then more tokens, then by text (deterministic)
  auto literals = [this](std::size_t i) {
    const auto& toks = templates_[i].tokens;
    return std::count_if(toks.begin(), toks.end(), [](const std::string& tok) { return !has_wildcard(tok); });
  };
  auto before = [&](std::size_t a, std::size_t b) {
    const auto la = literals(a);
    const auto lb = literals(b);
    if (la != lb) return la > lb;
    if (templates_[a].tokens.size() != templates_[b].tokens.size()) {
      return templates_[a].tokens.size() > templates_[b].tokens.size();
    }
    return templates_[a].text < templates_[b].text;
  };
  auto& list = index_->runs;
  list.insert(std::upper_bound(list.begin(), list.end(), index, before), index);
}

void TemplateStore::erase(const std::vector<std::size_t>& indexes) {
  bool any = false;
  for (const std::size_t i : indexes) {
    auto& t = templates_.at(i);
    if (t.erased) continue;
    t.erased = true;
    --live_;
    index_->by_text.erase(t.text);
    index_->by_id.erase(t.id);
    any = true;
  }
  if (!any) return;
  std::erase_if(index_->runs, [&](std::size_t i) { return templates_[i].erased; });
  index_->trie.clear();
  for (std::size_t i = 0; i < templates_.size(); ++i) {
    if (!templates_[i].erased) index_->trie.insert(templates_[i].tokens, i);
  }
  index_->hints_ready = false;
}

namespace {

// The scratch of one thread's matching: the line's tokens, their hashes and trie ids.
struct MatchScratch {
  std::vector<std::string_view> tokens;
  std::vector<std::uint64_t> hashes;
  std::vector<TokenId> ids;
};
MatchScratch& match_scratch() {
  thread_local MatchScratch scratch;
  return scratch;
}

}  // namespace

bool TemplateStore::fill(std::size_t index, std::span<const std::string_view> tokens, bool by_runs,
                         ParseResult& out) const {
  const auto& t = templates_[index];
  out.id = t.id;
  out.index = index;
  out.template_text = t.text;
  out.parameters.clear();
  if (by_runs) {
    runs_match(t.tokens, t.runs, tokens, &out.parameters);
    return true;
  }
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    const auto& pat = t.tokens[i];
    if (is_wildcard(pat)) {
      out.parameters.push_back(tokens[i]);
    } else if (has_wildcard(pat)) {
      glob_match(pat, tokens[i], &out.parameters);
    }
  }
  return true;
}

bool TemplateStore::match_ids(std::span<const std::string_view> tokens, std::span<const TokenId> ids,
                              ParseResult& out) const {
  const std::int64_t found = index_->trie.find(tokens, ids);
  if (found >= 0) return fill(static_cast<std::size_t>(found), tokens, false, out);
  // templates with run slots, at other lengths than their own
  for (const std::size_t i : index_->runs) {
    const auto& t = templates_[i];
    if (runs_match(t.tokens, t.runs, tokens, nullptr)) return fill(i, tokens, true, out);
  }
  return false;
}

bool TemplateStore::match_tokens(std::span<const std::string_view> tokens, ParseResult& out) const {
  auto& s = match_scratch();
  s.hashes.resize(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) s.hashes[i] = token_hash(tokens[i]);
  index_->trie.ids(tokens, s.hashes, s.ids);
  return match_ids(tokens, s.ids, out);
}

bool TemplateStore::match(std::string_view content, ParseResult& out) const {
  return match(content, out, std::numeric_limits<std::size_t>::max());
}

bool TemplateStore::match(std::string_view content, ParseResult& out, std::size_t hint) const {
  auto& s = match_scratch();
  tokenize(content, s.tokens);
  if (hint < templates_.size() && hint_fits(hint, s.tokens)) return fill(hint, s.tokens, false, out);
  s.hashes.resize(s.tokens.size());
  for (std::size_t i = 0; i < s.tokens.size(); ++i) s.hashes[i] = token_hash(s.tokens[i]);
  index_->trie.ids(s.tokens, s.hashes, s.ids);
  return match_ids(s.tokens, s.ids, out);
}

bool TemplateStore::hint_fits(std::size_t hint, std::span<const std::string_view> tokens) const {
  const Template& t = templates_[hint];
  if (t.erased || t.tokens.size() != tokens.size()) return false;
  Index& ix = *index_;
  if (!ix.hints_ready.load(std::memory_order_acquire)) {
    std::lock_guard lock(ix.hints_mutex);
    if (!ix.hints_ready.load(std::memory_order_relaxed)) {
      ix.uncontested.assign(templates_.size(), false);
      ix.trie.uncontested(ix.uncontested);
      ix.hints_ready.store(true, std::memory_order_release);
    }
  }
  if (hint >= ix.uncontested.size() || !ix.uncontested[hint]) return false;
  // the walk would return this template for the line exactly when it matches
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& pat = t.tokens[i];
    if (is_wildcard(pat)) continue;
    if (has_wildcard(pat)) {
      if (!glob_match(pat, tokens[i], nullptr)) return false;
    } else if (pat.size() != tokens[i].size() || std::memcmp(pat.data(), tokens[i].data(), pat.size()) != 0) {
      return false;
    }
  }
  return true;
}

std::optional<std::size_t> TemplateStore::find(TemplateId id) const {
  const auto it = index_->by_id.find(id);
  if (it == index_->by_id.end()) return std::nullopt;
  return it->second;
}

void TemplateStore::reset_counts() {
  for (auto& t : templates_) t.count = 0;
}

namespace {

std::string hex_bytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

std::optional<std::string> bytes_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

std::string TemplateStore::to_json() const {
  std::vector<const Template*> live;
  for (const auto& t : templates_) {
    if (!t.erased) live.push_back(&t);
  }
  std::sort(live.begin(), live.end(), [](const Template* a, const Template* b) { return a->id < b->id; });
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["templates"] = nlohmann::ordered_json::array();
  for (const Template* t : live) {
    nlohmann::ordered_json e;
    e["id"] = to_hex(t->id);
    if (io::is_valid_utf8(t->text)) {
      e["template"] = t->text;
    } else {
      // JSON holds only UTF-8: the text for people, with U+FFFD, and its exact bytes in hex, which
      // loading uses, so the template still matches the lines it came from.
      e["template"] = io::to_valid_utf8(t->text);
      e["template_bytes"] = hex_bytes(t->text);
    }
    e["count"] = t->count;
    if (!t->runs.empty()) {
      auto runs = nlohmann::ordered_json::array();
      for (const TokenRun& r : t->runs) runs.push_back({r.position, r.min_tokens});
      e["runs"] = std::move(runs);
    }
    doc["templates"].push_back(std::move(e));
  }
  return doc.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

TemplateStore TemplateStore::from_json(std::string_view json, std::string_view origin) {
  const std::string where(origin);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw l4::InputError(where + ": not a templates file: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("templates") || !doc["templates"].is_array()) {
    throw l4::InputError(where + ": not a templates file: no \"templates\" array");
  }
  TemplateStore store;
  for (const auto& e : doc["templates"]) {
    if (!e.is_object() || !e.contains("template") || !e["template"].is_string()) {
      throw l4::InputError(where + ": template entry without a \"template\" string");
    }
    std::string text = e["template"].get<std::string>();
    if (e.contains("template_bytes")) {
      auto bytes = e["template_bytes"].is_string() ? bytes_from_hex(e["template_bytes"].get<std::string>()) : std::nullopt;
      if (!bytes) throw l4::InputError(where + ": \"template_bytes\" must be an even number of hex digits: " + text);
      text = std::move(*bytes);
    }
    std::vector<std::string_view> toks;
    tokenize(text, toks);
    std::string normal;
    for (const auto& tok : toks) {
      if (!normal.empty()) normal.push_back(' ');
      normal.append(tok);
    }
    if (e.contains("id")) {
      const auto id = e["id"].is_string() ? parse_template_id(e["id"].get<std::string>()) : std::nullopt;
      if (!id || *id != template_id(normal)) {
        throw l4::InputError(where + ": template id does not match its text: " + normal);
      }
    }
    const std::uint64_t count = e.value("count", std::uint64_t{0});
    std::vector<TokenRun> runs;
    if (e.value("tail", false) && !toks.empty()) runs.push_back({toks.size() - 1, 1});
    if (e.contains("runs")) {
      const auto& list = e["runs"];
      const bool well_formed = list.is_array() && std::all_of(list.begin(), list.end(), [&](const auto& r) {
        return r.is_array() && r.size() == 2 && r[0].is_number_unsigned() && r[1].is_number_unsigned() &&
               r[0].template get<std::size_t>() < toks.size() && is_wildcard(toks[r[0].template get<std::size_t>()]) &&
               r[1].template get<std::size_t>() <= 1;
      });
      if (!well_formed) {
        throw l4::InputError(where + ": \"runs\" must be [[position of a <*>, 0 or 1], ...]: " + normal);
      }
      for (const auto& r : list) runs.push_back({r[0].get<std::size_t>(), r[1].get<std::size_t>()});
    }
    store.add(normal, count, false, runs);
  }
  return store;
}

void TemplateStore::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw l4::InputError(path.string() + ": cannot write templates file");
  out << to_json();
  out.flush();
  if (!out) throw l4::Error(path.string() + ": write failed");
}

TemplateStore TemplateStore::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw l4::InputError(path.string() + ": cannot read templates file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path.string());
}

namespace {
bool glob_rec(std::string_view pat, std::string_view text, std::vector<std::string_view>* params) {
  const auto star = pat.find("<*>");
  if (star == std::string_view::npos) return pat == text;
  if (text.substr(0, star) != pat.substr(0, star)) return false;
  if (text.size() < star) return false;
  text.remove_prefix(star);
  pat.remove_prefix(star + 3);
  if (pat.empty()) {
    if (params != nullptr) params->push_back(text);
    return true;
  }
  for (std::size_t e = 0; e <= text.size(); ++e) {
    // quick reject: the next literal must start here
    if (pat.substr(0, 3) != "<*>" && (e >= text.size() || text[e] != pat[0])) continue;
    const std::size_t mark = params != nullptr ? params->size() : 0;
    if (params != nullptr) params->push_back(text.substr(0, e));
    if (glob_rec(pat, text.substr(e), params)) return true;
    if (params != nullptr) params->resize(mark);
  }
  return false;
}
}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, std::vector<std::string_view>* params) {
  return glob_rec(pattern, text, params);
}

namespace {

// Backtracking over run lengths: fixed tokens are matched in a loop, recursion happens only at
// run slots (depth = number of runs).
class RunMatcher {
 public:
  RunMatcher(std::span<const std::string> pattern, std::span<const TokenRun> runs,
             std::span<const std::string_view> tokens, std::vector<std::string_view>* params)
      : pat_(pattern), runs_(runs), toks_(tokens), params_(params) {}

  bool from(std::size_t i, std::size_t j, std::size_t r) {
    const std::size_t mark = params_ != nullptr ? params_->size() : 0;
    if (step(i, j, r)) return true;
    if (params_ != nullptr) params_->resize(mark);
    return false;
  }

 private:
  // Tokens the pattern from position i needs at least (runs from index r on may be empty).
  [[nodiscard]] std::size_t need(std::size_t i, std::size_t r) const {
    std::size_t n = pat_.size() - i;
    for (std::size_t k = r; k < runs_.size(); ++k) n -= 1 - runs_[k].min_tokens;
    return n;
  }

  [[nodiscard]] std::string_view span(std::size_t j, std::size_t len) const {
    if (len == 0) {
      if (j < toks_.size()) return toks_[j].substr(0, 0);
      return toks_.empty() ? std::string_view() : toks_.back().substr(toks_.back().size());
    }
    const std::string_view last = toks_[j + len - 1];
    return {toks_[j].data(), static_cast<std::size_t>(last.data() + last.size() - toks_[j].data())};
  }

  bool step(std::size_t i, std::size_t j, std::size_t r) {
    for (; i < pat_.size(); ++i, ++j) {
      if (budget_ == 0) return false;
      --budget_;
      if (r < runs_.size() && runs_[r].position == i) {
        const std::size_t rest = need(i + 1, r + 1);
        if (toks_.size() < j + rest) return false;
        const std::size_t longest = toks_.size() - j - rest;
        for (std::size_t len = runs_[r].min_tokens; len <= longest; ++len) {
          if (params_ != nullptr) params_->push_back(span(j, len));
          if (from(i + 1, j + len, r + 1)) return true;
          if (params_ != nullptr) params_->pop_back();
          if (budget_ == 0) return false;
        }
        return false;
      }
      if (j >= toks_.size()) return false;
      const std::string& p = pat_[i];
      if (is_wildcard(p)) {
        if (params_ != nullptr) params_->push_back(toks_[j]);
      } else if (has_wildcard(p)) {
        if (!glob_match(p, toks_[j], params_)) return false;
      } else if (p != toks_[j]) {
        return false;
      }
    }
    return j == toks_.size();
  }

  std::span<const std::string> pat_;
  std::span<const TokenRun> runs_;
  std::span<const std::string_view> toks_;
  std::vector<std::string_view>* params_;
  std::size_t budget_ = 1U << 14U;  // steps; a line needing more is no match
};

}  // namespace

bool runs_match(std::span<const std::string> pattern, std::span<const TokenRun> runs,
                std::span<const std::string_view> tokens, std::vector<std::string_view>* params) {
  return RunMatcher(pattern, runs, tokens, params).from(0, 0, 0);
}

}  // namespace l4::parse
