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
#include "parse/template_trie.hpp"
#include "parse/token_vocabulary.hpp"
#include "text/chars.hpp"

namespace l4::parse {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return static_cast<std::size_t>(token_hash(s)); }
};


}  // namespace

// What a template token asks of a line's token, decided once when the template is added rather
// than searched for "<*>" on every line matched (hint_fits and fill run for every line).
enum class TokenKind : std::uint8_t { literal, wildcard, glob };

struct TemplateStore::Index {
  Trie trie;
  std::vector<std::vector<TokenKind>> kinds;  // per template, per token
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
  auto& kinds = index_->kinds.emplace_back();
  for (const auto& tok : t.tokens) {
    kinds.push_back(is_wildcard(tok) ? TokenKind::wildcard : has_wildcard(tok) ? TokenKind::glob : TokenKind::literal);
  }
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

bool TemplateStore::parameters_only(std::string_view text) {
  std::vector<std::string_view> tokens;
  tokenize(text, tokens);
  return std::all_of(tokens.begin(), tokens.end(), [](std::string_view t) { return is_wildcard(t); });
}

TemplateStore TemplateStore::anchored() const {
  TemplateStore out;
  for (const auto& t : templates_) {
    if (!t.erased && !parameters_only(t.text)) out.add(t.text, t.count, t.provisional, t.runs);
  }
  return out;
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

void TemplateStore::identify(std::size_t index, ParseResult& out) const {
  const auto& t = templates_[index];
  out.id = t.id;
  out.index = index;
  out.template_text = t.text;
}

bool TemplateStore::fill(std::size_t index, std::span<const std::string_view> tokens, bool by_runs,
                         ParseResult& out) const {
  const auto& t = templates_[index];
  identify(index, out);
  out.parameters.clear();
  if (by_runs) {
    runs_match(t.tokens, t.runs, tokens, &out.parameters);
    return true;
  }
  const auto& kinds = index_->kinds[index];
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    if (kinds[i] == TokenKind::wildcard) {
      out.parameters.push_back(tokens[i]);
    } else if (kinds[i] == TokenKind::glob) {
      glob_match(t.tokens[i], tokens[i], &out.parameters);
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
  if (hint < templates_.size()) {
    // the hint's check fills the parameters as it goes: one walk over the tokens when it fits
    out.parameters.clear();
    if (hint_fits(hint, s.tokens, &out.parameters)) {
      identify(hint, out);
      return true;
    }
  }
  s.hashes.resize(s.tokens.size());
  for (std::size_t i = 0; i < s.tokens.size(); ++i) s.hashes[i] = token_hash(s.tokens[i]);
  index_->trie.ids(s.tokens, s.hashes, s.ids);
  return match_ids(s.tokens, s.ids, out);
}

bool TemplateStore::hint_fits(std::size_t hint, std::span<const std::string_view> tokens,
                              std::vector<std::string_view>* params) const {
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
  return fits(hint, tokens, params);
}

bool TemplateStore::fits(std::size_t index, std::span<const std::string_view> tokens,
                         std::vector<std::string_view>* params) const {
  const Template& t = templates_[index];
  if (t.tokens.size() != tokens.size()) return false;
  const auto& kinds = index_->kinds[index];
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& pat = t.tokens[i];
    if (kinds[i] == TokenKind::wildcard) {
      if (params != nullptr) params->push_back(tokens[i]);
    } else if (kinds[i] == TokenKind::glob) {
      if (!glob_match(pat, tokens[i], params)) return false;
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
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = text::hex_value(hex[i]), lo = text::hex_value(hex[i + 1]);
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
  std::size_t index = 0;
  for (const auto& e : doc["templates"]) {
    const std::string at = where + ": /templates/" + std::to_string(index++);
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
    // typed before they are read: a value of another type is the file's error, not l4's
    if (e.contains("count") && !e["count"].is_number_unsigned()) {
      throw l4::InputError(at + "/count must be a non-negative integer: " + normal);
    }
    if (e.contains("tail") && !e["tail"].is_boolean()) throw l4::InputError(at + "/tail must be true or false: " + normal);
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

}  // namespace l4::parse
