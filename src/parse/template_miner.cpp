#include "l4/parse/template_miner.hpp"

#include <algorithm>

namespace l4::parse {
namespace {

std::string join_tokens(const std::vector<std::string>& tokens) {
  std::string text;
  for (const auto& t : tokens) {
    if (!text.empty()) text.push_back(' ');
    text.append(t);
  }
  return text;
}

}  // namespace

TemplateMiner::TemplateMiner(MinerOptions options) : options_(options) {}
TemplateMiner::TemplateMiner(TemplateStore store, MinerOptions options)
    : options_(options), store_(std::move(store)) {}

MaskedLine TemplateMiner::masked(std::string_view content) const {
  thread_local std::vector<std::string_view> tokens;
  tokenize(content, tokens);
  MaskedLine line;
  line.tokens.reserve(tokens.size());
  for (const auto& tok : tokens) line.tokens.push_back(masker_.mask(tok));
  return line;
}

void TemplateMiner::mine(std::span<const std::string_view> contents) {
  for (const auto& c : contents) observe(c);
  build();
}

void TemplateMiner::observe(std::string_view content) {
  // the masked tokens go straight into one reused key buffer: no allocation for a line seen before
  thread_local std::vector<std::string_view> tokens;
  thread_local std::string key;
  tokenize(content, tokens);
  key.clear();
  for (const auto& tok : tokens) {
    masker_.mask_into(tok, key);
    key.push_back('\x1f');
  }
  const auto it = observed_index_.find(std::string_view(key));
  if (it != observed_index_.end()) {
    ++observed_[it->second].count;
    return;
  }
  observed_index_.emplace(key, observed_.size());
  observed_.push_back(masked(content));
}

void TemplateMiner::build() {
  const ContrastiveGrouper grouper(options_.grouping);
  // lists ("delete <*>" over "delete blk_1 blk_2 ...") and other parameter runs of different
  // lengths come out of the grouper as run slots (its step 4)
  for (const auto& t : grouper.mine(observed_)) store_.add(join_tokens(t.tokens), t.count, false, t.runs);
  observed_.clear();
  observed_index_.clear();
}

bool TemplateMiner::match(std::string_view content, ParseResult& out) const { return store_.match(content, out); }

std::optional<ParseResult> TemplateMiner::match(std::string_view content) const {
  ParseResult r;
  if (!store_.match(content, r)) return std::nullopt;
  return r;
}

ParseResult TemplateMiner::match_or_add(std::string_view content) {
  ParseResult r;
  if (store_.match(content, r)) {
    store_.add_count(r.index, 1);
    return r;
  }
  MaskedLine line = masked(content);
  const std::size_t n = line.tokens.size();
  auto& pending = pending_[n];
  auto same = std::find_if(pending.begin(), pending.end(),
                           [&](const MaskedLine& p) { return p.tokens == line.tokens; });
  if (same != pending.end()) {
    ++same->count;
  } else {
    pending.push_back(line);
  }
  remine_pending(n);
  if (!store_.match(content, r)) {
    // cannot happen (a line matches the template mined from it); keep the line's own template
    r.index = store_.add(join_tokens(line.tokens), 1, true);
    provisional_[n].push_back(r.index);
    store_.match(content, r);
    return r;
  }
  if (!store_.templates()[r.index].provisional) store_.add_count(r.index, 1);
  return r;
}

void TemplateMiner::remine_pending(std::size_t token_count) {
  auto& prov = provisional_[token_count];
  std::vector<std::size_t> to_erase;
  for (const std::size_t i : prov) {
    if (store_.templates()[i].provisional) to_erase.push_back(i);
  }
  store_.erase(to_erase);
  prov.clear();
  const ContrastiveGrouper grouper(options_.grouping);
  const auto& lines = pending_[token_count];
  std::vector<std::size_t> members(lines.size());
  for (std::size_t i = 0; i < members.size(); ++i) members[i] = i;
  std::vector<MinedTemplate> mined;
  for (const auto& group : grouper.anchor_groups(lines, members)) {
    for (auto& u : grouper.contrast(lines, group)) mined.push_back(std::move(u));
  }
  for (const auto& t : ContrastiveGrouper::merge(std::move(mined))) {
    const std::string text = join_tokens(t.tokens);
    const auto existing = store_.find(template_id(text));
    if (existing && !store_.templates()[*existing].provisional) continue;  // a final template covers it
    // provisional counts are the pending lines they cover (this line included)
    prov.push_back(store_.add(text, t.count, true));
  }
}

}  // namespace l4::parse
