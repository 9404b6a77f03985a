#include "l4/parse/template_miner.hpp"

#include <algorithm>
#include <numeric>
#include <type_traits>
#include <utility>

#include "parse/glob_match.hpp"
#include "parse/contrastive_grouper.hpp"
#include "text/chars.hpp"
#include "text/token_scan.hpp"

namespace l4::parse {
namespace {

constexpr std::uint32_t kNotMined = 0xffffffffU;

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), text::is_digit);
}

// A bounded cache from token text to its masked token id: raw tokens (words recur) and digit
// shapes (fresh numbers recur in shape: "blk_-1608999687919862906" and every other block id).
// A full table takes no more entries; only speed depends on it, never a result.
class TextCache {
 public:
  static constexpr std::size_t kMaxEntries = 1U << 14U;  // 400 KB of slots: stays in cache
  static constexpr std::size_t kMaxKeyBytes = 96;

  [[nodiscard]] TokenId find(std::string_view key, std::uint64_t hash) const {
    if (slots_.empty()) return kNoToken;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
      const Slot& s = slots_[at];
      if (s.id == kNoToken) return kNoToken;
      if (s.hash == hash && std::string_view(arena_).substr(s.offset, s.length) == key) return s.id;
    }
  }
  void insert(std::string_view key, std::uint64_t hash, TokenId id) {
    if (entries_ >= kMaxEntries || key.size() > kMaxKeyBytes) return;
    if ((entries_ + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = hash & mask;
    while (slots_[at].id != kNoToken) {
      if (slots_[at].hash == hash && std::string_view(arena_).substr(slots_[at].offset, slots_[at].length) == key) return;
      at = (at + 1) & mask;
    }
    slots_[at] = Slot{hash, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(key.size()), id};
    arena_.append(key);
    ++entries_;
  }
  [[nodiscard]] std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot) + arena_.capacity(); }
  // (key, id) of every entry
  template <typename F>
  void each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.id != kNoToken) f(std::string_view(arena_).substr(s.offset, s.length), s.hash, s.id);
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    TokenId id = kNoToken;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kNoToken) continue;
      std::size_t at = s.hash & mask;
      while (slots_[at].id != kNoToken) at = (at + 1) & mask;
      slots_[at] = s;
    }
  }
  std::vector<Slot> slots_;
  std::string arena_;
  std::size_t entries_ = 0;
};

using text::is_space;

}  // namespace

struct TemplateMiner::Tables {
  TokenMasker masker;
  MaskedLines lines;                     // distinct masked lines (observed, or learned incrementally)
  std::vector<std::uint32_t> template_of;  // per line: the store index it was mined into
  std::vector<std::uint32_t> unbuilt;    // lines observed since the last build
  std::vector<std::uint32_t> learned;    // lines match_or_add learned from
  std::vector<std::size_t> provisional;  // store indexes of the current provisional templates
  std::size_t missed = 0;                // learned lines no template matched since the last re-mine
  std::optional<std::size_t> overflow;   // store index of the overflow template
  TextCache by_token;
  TextCache by_shape;
  AssignScratch scratch;  // of the line being masked by the non-const members
};

TemplateMiner::TemplateMiner(MinerOptions options)
    : options_(std::move(options)), tables_(std::make_unique<Tables>()) {}
TemplateMiner::TemplateMiner(TemplateStore store, MinerOptions options)
    : options_(std::move(options)), store_(std::move(store)), tables_(std::make_unique<Tables>()) {}
TemplateMiner::TemplateMiner(TemplateMiner&&) noexcept = default;
TemplateMiner& TemplateMiner::operator=(TemplateMiner&&) noexcept = default;
TemplateMiner::~TemplateMiner() = default;

const TokenMasker& TemplateMiner::masker() const { return tables_->masker; }
std::size_t TemplateMiner::observed_distinct() const { return tables_->unbuilt.size(); }
std::size_t TemplateMiner::memory_bytes() const {
  const Tables& t = *tables_;
  return t.lines.memory_bytes() + t.template_of.capacity() * 4 + t.unbuilt.capacity() * 4 + t.learned.capacity() * 4 +
         t.by_token.memory_bytes() + t.by_shape.memory_bytes();
}

// The masked token ids of a line into `scratch.ids`. With `add` (non-const callers) new masked
// tokens join the vocabulary and the caches learn; without, a token no observed line had ends
// the lookup (false) and nothing changes, so any number of threads may look up at once.
template <typename TablesT>
bool scan_ids(TablesT& t, std::string_view content, AssignScratch& scratch, bool add) {
  constexpr bool kMutable = !std::is_const_v<TablesT>;
  scratch.ids.clear();
  const bool shapes = t.masker.digit_blind();
  const std::size_t n = content.size();
  std::size_t i = 0;
  for (;;) {
    while (i < n && is_space(content[i])) ++i;
    if (i == n) break;
    bool digits = false;
    const std::size_t j = text::token_end(content, i, digits);
    const std::string_view tok = content.substr(i, j - i);
    i = j;
    // a token with digits is looked up by its digit shape first (fresh numbers recur in shape),
    // then, like a word, as it is (a masked form that keeps digits: "v2")
    const bool by_shape = shapes && digits && tok.size() <= TextCache::kMaxKeyBytes;
    std::uint64_t shape_hash = 0;
    TokenId id = kNoToken;
    if (by_shape) {
      digit_shape(tok, scratch.shape);
      shape_hash = token_hash(scratch.shape);
      id = t.by_shape.find(scratch.shape, shape_hash);
    }
    if (id == kNoToken) {
      const std::uint64_t hash = token_hash(tok);
      id = t.by_token.find(tok, hash);
      if (id == kNoToken) {
        scratch.masked.clear();
        t.masker.mask_into(tok, scratch.masked);
        if constexpr (kMutable) {
          id = add ? t.lines.vocabulary().intern(scratch.masked) : t.lines.vocabulary().find(scratch.masked);
          if (id == kNoToken) return false;
          // a masked form without digits is the same for every token of its digit shape
          if (by_shape && !has_digit(scratch.masked)) t.by_shape.insert(scratch.shape, shape_hash, id);
          else t.by_token.insert(tok, hash, id);
        } else {
          id = t.lines.vocabulary().find(scratch.masked);
          if (id == kNoToken) return false;  // a token no observed line had
        }
      }
    }
    scratch.ids.push_back(id);
  }
  return true;
}

bool TemplateMiner::masked_ids(std::string_view content, bool add) {
  return scan_ids(*tables_, content, tables_->scratch, add);
}

void TemplateMiner::mine(std::span<const std::string_view> contents) {
  for (const auto& c : contents) observe(c);
  build();
}

std::uint32_t TemplateMiner::observe(std::string_view content) {
  Tables& t = *tables_;
  masked_ids(content, true);
  const std::uint32_t line = t.lines.add(t.scratch.ids);
  if (line == t.template_of.size()) {
    t.template_of.push_back(kNotMined);
    t.unbuilt.push_back(line);
  }
  return line;
}

std::vector<std::uint32_t> TemplateMiner::absorb(const TemplateMiner& other) {
  Tables& t = *tables_;
  const Tables& o = *other.tables_;
  const TokenVocabulary& from = o.lines.vocabulary();
  std::vector<TokenId> remap(from.size(), kNoToken);
  std::vector<std::uint32_t> lines(o.template_of.size(), kNotMined);
  for (const std::uint32_t line : o.unbuilt) {
    t.scratch.ids.clear();
    for (const TokenId id : o.lines.tokens(line)) {
      if (remap[id] == kNoToken) remap[id] = t.lines.vocabulary().intern(from.text(id), from.hash(id));
      t.scratch.ids.push_back(remap[id]);
    }
    const std::uint32_t mine = t.lines.add(t.scratch.ids, o.lines.count(line));
    lines[line] = mine;
    if (mine == t.template_of.size()) {
      t.template_of.push_back(kNotMined);
      t.unbuilt.push_back(mine);
    }
  }
  // the shard's masking caches serve this miner's later lookups (assign) too
  auto import = [&](const TextCache& from_cache, TextCache& into) {
    from_cache.each([&](std::string_view key, std::uint64_t hash, TokenId id) {
      if (id < remap.size() && remap[id] != kNoToken) into.insert(key, hash, remap[id]);
    });
  };
  import(o.by_token, t.by_token);
  import(o.by_shape, t.by_shape);
  return lines;
}

std::size_t TemplateMiner::overflow_index() {
  Tables& t = *tables_;
  if (!t.overflow) t.overflow = store_.add(overflow_text, 0);
  return *t.overflow;
}

std::vector<MinedTemplate> TemplateMiner::capped(std::vector<MinedTemplate> mined, Overflow& overflow) {
  overflow = {};
  if (mined.size() <= options_.max_templates) return mined;
  // keep the most frequent templates (ties: text order, which `mined` is in)
  std::vector<std::size_t> order(mined.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return mined[a].count > mined[b].count; });
  std::vector<bool> keep(mined.size(), false);
  for (std::size_t i = 0; i < options_.max_templates; ++i) keep[order[i]] = true;
  const std::size_t index = overflow_index();
  std::vector<MinedTemplate> kept;
  for (std::size_t i = 0; i < mined.size(); ++i) {
    if (keep[i]) {
      kept.push_back(std::move(mined[i]));
      continue;
    }
    ++overflow.templates;
    overflow.lines += mined[i].count;
    for (const std::uint32_t m : mined[i].members) tables_->template_of[m] = static_cast<std::uint32_t>(index);
  }
  return kept;
}

void TemplateMiner::count_overflow() {
  const Overflow total{batch_overflow_.templates + learned_overflow_.templates,
                       batch_overflow_.lines + learned_overflow_.lines};
  if (total.templates == 0) return;
  const std::size_t index = overflow_index();
  const std::uint64_t now = store_.templates()[index].count;
  // lines learned incrementally and then assigned to the overflow template counted there since
  if (total.lines > now) store_.add_count(index, total.lines - now);
}

void TemplateMiner::add_mined(const std::vector<MinedTemplate>& mined, bool provisional) {
  Tables& t = *tables_;
  for (const auto& m : mined) {
    const std::string text = template_text(m, t.lines.vocabulary());
    std::size_t index = 0;
    if (provisional) {
      // a final template with this text covers the lines already
      const auto existing = store_.find(template_id(text));
      if (existing && !store_.templates()[*existing].provisional) {
        index = *existing;
      } else {
        index = store_.add(text, m.count, true, m.runs);
        t.provisional.push_back(index);
      }
    } else {
      index = store_.add(text, m.count, false, m.runs);
    }
    for (const std::uint32_t member : m.members) t.template_of[member] = static_cast<std::uint32_t>(index);
  }
}

void TemplateMiner::build() {
  Tables& t = *tables_;
  if (t.unbuilt.empty()) return;
  std::sort(t.unbuilt.begin(), t.unbuilt.end());
  const ContrastiveGrouper grouper(options_.grouping);
  // lists ("delete <*>" over "delete blk_1 blk_2 ...") and other parameter runs of different
  // lengths come out of the grouper as run slots (its step 4)
  Overflow overflow;
  add_mined(capped(grouper.mine(t.lines, t.unbuilt), overflow), false);
  batch_overflow_.templates += overflow.templates;
  batch_overflow_.lines += overflow.lines;
  count_overflow();
  t.unbuilt.clear();
  t.unbuilt.shrink_to_fit();
}

bool TemplateMiner::parameters_of(std::size_t index, std::string_view content, ParseResult& out) const {
  const Template& t = store_.templates()[index];
  thread_local std::vector<std::string_view> tokens;
  tokenize(content, tokens);
  out.parameters.clear();
  bool ok = true;
  if (t.text == overflow_text) {
    out.parameters.push_back(content);
  } else if (t.runs.empty() && tokens.size() == t.tokens.size()) {
    ok = store_.fits(index, tokens, &out.parameters);
  } else {
    ok = runs_match(t.tokens, t.runs, tokens, &out.parameters);
  }
  if (!ok) return false;
  out.id = t.id;
  out.index = index;
  out.template_text = t.text;
  return true;
}

bool TemplateMiner::assign(std::string_view content, ParseResult& out) {
  return std::as_const(*this).assign(content, out, tables_->scratch);
}

bool TemplateMiner::assign(std::string_view content, ParseResult& out, AssignScratch& scratch) const {
  const Tables& t = *tables_;
  if (!scan_ids(t, content, scratch, false)) return false;
  const auto line = t.lines.find(scratch.ids);
  return line && assign_observed(*line, content, out);
}

bool TemplateMiner::assign_observed(std::uint32_t line, std::string_view content, ParseResult& out) const {
  const Tables& t = *tables_;
  if (line >= t.template_of.size() || t.template_of[line] == kNotMined) return false;
  const std::size_t index = t.template_of[line];
  if (store_.templates()[index].erased) return false;
  // the mined template normally takes its own lines; should a shape not cover a raw token (or the
  // line not be the one observed), the matching index decides
  return parameters_of(index, content, out) || store_.match(content, out);
}

ParseResult TemplateMiner::match_or_add(std::string_view content) {
  Tables& t = *tables_;
  ParseResult r;
  const bool matched = store_.match(content, r);
  if (matched && !store_.templates()[r.index].provisional) {
    store_.add_count(r.index, 1);
    return r;
  }
  // every line no final template takes is kept (as its distinct masked form) for re-mining
  masked_ids(content, true);
  const std::uint32_t line = t.lines.add(t.scratch.ids);
  if (line == t.template_of.size()) {
    t.template_of.push_back(kNotMined);
    t.learned.push_back(line);
  }
  std::uint32_t& mined = t.template_of[line];
  if (mined != kNotMined && !store_.templates()[mined].erased) {
    store_.add_count(mined, 1);
    if (parameters_of(mined, content, r)) return r;
  } else if (matched) {
    mined = static_cast<std::uint32_t>(r.index);
    store_.add_count(r.index, 1);
    return r;
  } else {
    ++t.missed;
    if (t.missed * 4 >= t.learned.size()) {
      remine();
    } else {
      // until the next re-mine the line's own masked form stands for its template
      std::string text;
      for (const TokenId id : t.scratch.ids) {
        if (!text.empty()) text.push_back(' ');
        text.append(t.lines.vocabulary().text(id));
      }
      mined = static_cast<std::uint32_t>(store_.add(text, 1, true));
      t.provisional.push_back(mined);
    }
    if (parameters_of(t.template_of[line], content, r)) return r;
  }
  if (store_.match(content, r)) return r;
  // a line its own mined template does not cover (cannot happen for a masked form; kept safe)
  parameters_of(overflow_index(), content, r);
  return r;
}

void TemplateMiner::remine() {
  Tables& t = *tables_;
  std::vector<std::size_t> old;
  for (const std::size_t i : t.provisional) {
    if (store_.templates()[i].provisional) old.push_back(i);
  }
  store_.erase(old);
  t.provisional.clear();
  std::sort(t.learned.begin(), t.learned.end());
  const ContrastiveGrouper grouper(options_.grouping);
  add_mined(capped(grouper.mine(t.lines, t.learned), learned_overflow_), true);
  count_overflow();
  t.missed = 0;
}

void TemplateMiner::finish() {
  if (tables_->missed > 0) remine();
}

bool TemplateMiner::match(std::string_view content, ParseResult& out) const { return store_.match(content, out); }

std::optional<ParseResult> TemplateMiner::match(std::string_view content) const {
  ParseResult r;
  if (!store_.match(content, r)) return std::nullopt;
  return r;
}

}  // namespace l4::parse
