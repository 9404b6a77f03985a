#include "l4/parse/template_store.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "l4/error.hpp"
#include "l4/parse/token_masker.hpp"

namespace l4::parse {
namespace {

// Hash for the literal-child lookups of the matching trie (hot path): 8 bytes per step. Only used
// in memory, never stored, so it need not be stable; ids use template_id().
std::uint64_t fast_hash(std::string_view s) noexcept {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = s.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29U;
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    h = (h ^ w) * kMul;
    h ^= h >> 29U;
  }
  return h ^ (h >> 32U);
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return static_cast<std::size_t>(fast_hash(s)); }
};

struct Node {
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> literal;
  std::vector<std::pair<std::string, std::uint32_t>> globs;  // "<*>" last
  std::int64_t leaf = -1;
};

struct Trie {
  std::vector<Node> nodes{1};

  void insert(const std::vector<std::string>& tokens, std::size_t index) {
    std::uint32_t at = 0;
    for (const auto& tok : tokens) {
      std::uint32_t next = 0;
      if (!has_wildcard(tok)) {
        auto it = nodes[at].literal.find(tok);
        if (it == nodes[at].literal.end()) {
          next = static_cast<std::uint32_t>(nodes.size());
          nodes[at].literal.emplace(tok, next);
          nodes.emplace_back();
        } else {
          next = it->second;
        }
      } else {
        auto& globs = nodes[at].globs;
        auto it = std::find_if(globs.begin(), globs.end(), [&](const auto& g) { return g.first == tok; });
        if (it == globs.end()) {
          next = static_cast<std::uint32_t>(nodes.size());
          globs.emplace_back(tok, next);
          // specific globs first, the bare wildcard last, otherwise by text (deterministic)
          std::sort(globs.begin(), globs.end(), [](const auto& a, const auto& b) {
            const bool wa = is_wildcard(a.first);
            const bool wb = is_wildcard(b.first);
            if (wa != wb) return wb;
            return a.first < b.first;
          });
          nodes.emplace_back();
        } else {
          next = it->second;
        }
      }
      at = next;
    }
    if (nodes[at].leaf < 0) nodes[at].leaf = static_cast<std::int64_t>(index);
  }

  // Iterative backtracking walk; literal children first, then globs in order.
  [[nodiscard]] std::int64_t find(std::span<const std::string_view> tokens) const {
    struct Frame {
      std::uint32_t node;
      std::uint32_t choice;  // 0 = literal, 1.. = globs[choice-1]
    };
    const std::size_t n = tokens.size();
    if (n == 0) return nodes[0].leaf;
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
    stack[size++] = {0, 0};
    while (size > 0) {
      Frame& f = stack[size - 1];
      const std::size_t depth = size - 1;
      const Node& node = nodes[f.node];
      const std::string_view tok = tokens[depth];
      std::int64_t next = -1;
      while (next < 0) {
        const std::uint32_t c = f.choice++;
        if (c == 0) {
          if (!node.literal.empty()) {
            auto it = node.literal.find(tok);
            if (it != node.literal.end()) next = it->second;
          }
        } else if (c - 1 < node.globs.size()) {
          const auto& g = node.globs[c - 1];
          if (is_wildcard(g.first) || glob_match(g.first, tok, nullptr)) next = g.second;
        } else {
          break;
        }
      }
      if (next < 0) {
        --size;
        continue;
      }
      if (depth + 1 == n) {
        const std::int64_t leaf = nodes[static_cast<std::size_t>(next)].leaf;
        if (leaf >= 0) return leaf;
        continue;
      }
      stack[size++] = {static_cast<std::uint32_t>(next), 0};
    }
    return -1;
  }
};

}  // namespace

struct TemplateStore::Index {
  std::unordered_map<std::size_t, Trie> by_count;
  std::vector<std::size_t> tails;  // list templates, longest first
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> by_text;
  std::unordered_map<TemplateId, std::size_t> by_id;
};

TemplateStore::TemplateStore() : index_(std::make_unique<Index>()) {}
TemplateStore::TemplateStore(TemplateStore&&) noexcept = default;
TemplateStore& TemplateStore::operator=(TemplateStore&&) noexcept = default;
TemplateStore::~TemplateStore() = default;

std::size_t TemplateStore::add(std::string_view text, std::uint64_t count, bool provisional, bool tail) {
  if (auto it = index_->by_text.find(text); it != index_->by_text.end()) {
    auto& t = templates_[it->second];
    t.count += count;
    if (!provisional) t.provisional = false;
    if (tail && !t.tail) {
      t.tail = true;
      add_tail(it->second);
    }
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
  const std::size_t index = templates_.size();
  index_->by_count[t.tokens.size()].insert(t.tokens, index);
  index_->by_text.emplace(t.text, index);
  index_->by_id.emplace(t.id, index);
  const bool is_list = tail && !t.tokens.empty() && is_wildcard(t.tokens.back());
  t.tail = is_list;
  templates_.push_back(std::move(t));
  ++live_;
  if (is_list) add_tail(index);
  return index;
}

void TemplateStore::add_tail(std::size_t index) {
  auto& tails = index_->tails;
  tails.push_back(index);
  std::stable_sort(tails.begin(), tails.end(), [this](std::size_t a, std::size_t b) {
    if (templates_[a].tokens.size() != templates_[b].tokens.size()) {
      return templates_[a].tokens.size() > templates_[b].tokens.size();
    }
    return templates_[a].text < templates_[b].text;
  });
}

void TemplateStore::erase(const std::vector<std::size_t>& indexes) {
  std::vector<std::size_t> counts;
  for (const std::size_t i : indexes) {
    auto& t = templates_.at(i);
    if (t.erased) continue;
    t.erased = true;
    --live_;
    index_->by_text.erase(t.text);
    index_->by_id.erase(t.id);
    std::erase(index_->tails, i);
    counts.push_back(t.tokens.size());
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  for (const std::size_t n : counts) {
    Trie fresh;
    for (std::size_t i = 0; i < templates_.size(); ++i) {
      if (!templates_[i].erased && templates_[i].tokens.size() == n) fresh.insert(templates_[i].tokens, i);
    }
    index_->by_count[n] = std::move(fresh);
  }
}

bool TemplateStore::match_tokens(std::span<const std::string_view> tokens, ParseResult& out) const {
  std::int64_t found = -1;
  if (const auto it = index_->by_count.find(tokens.size()); it != index_->by_count.end()) {
    found = it->second.find(tokens);
  }
  if (found < 0) {
    // list templates: the prefix matches token by token, the last <*> takes the rest
    for (const std::size_t i : index_->tails) {
      const auto& t = templates_[i];
      const std::size_t k = t.tokens.size();
      if (k > tokens.size()) continue;
      bool ok = true;
      for (std::size_t p = 0; p + 1 < k && ok; ++p) {
        const auto& pat = t.tokens[p];
        ok = is_wildcard(pat) || (has_wildcard(pat) ? glob_match(pat, tokens[p], nullptr) : pat == tokens[p]);
      }
      if (ok) {
        found = static_cast<std::int64_t>(i);
        break;
      }
    }
    if (found < 0) return false;
  }
  const auto& t = templates_[static_cast<std::size_t>(found)];
  out.id = t.id;
  out.index = static_cast<std::size_t>(found);
  out.template_text = t.text;
  out.parameters.clear();
  const std::size_t k = t.tokens.size();
  for (std::size_t i = 0; i < k; ++i) {
    const auto& pat = t.tokens[i];
    if (i + 1 == k && k < tokens.size()) {  // a list: from this token to the end of the line
      out.parameters.emplace_back(tokens[i].data(),
                                  static_cast<std::size_t>(tokens.back().data() + tokens.back().size() - tokens[i].data()));
    } else if (is_wildcard(pat)) {
      out.parameters.push_back(tokens[i]);
    } else if (has_wildcard(pat)) {
      glob_match(pat, tokens[i], &out.parameters);
    }
  }
  return true;
}

bool TemplateStore::match(std::string_view content, ParseResult& out) const {
  thread_local std::vector<std::string_view> tokens;
  tokenize(content, tokens);
  return match_tokens(tokens, out);
}

std::optional<std::size_t> TemplateStore::find(TemplateId id) const {
  const auto it = index_->by_id.find(id);
  if (it == index_->by_id.end()) return std::nullopt;
  return it->second;
}

void TemplateStore::reset_counts() {
  for (auto& t : templates_) t.count = 0;
}

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
    e["template"] = t->text;
    e["count"] = t->count;
    if (t->tail) e["tail"] = true;
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
    const std::string text = e["template"].get<std::string>();
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
    store.add(normal, count, false, e.value("tail", false));
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

}  // namespace l4::parse
