#pragma once
// TemplateMiner: learns log templates from message contents and assigns lines to them.
//
//   l4::parse::TemplateMiner miner;
//   miner.mine(contents);                        // batch: learn from a whole input
//   auto r = miner.match_or_add("took 12 ms");   // incremental: id, template text, parameters
//
// Batch mining keeps only distinct masked lines (memory grows with templates and their variants,
// not with lines) and runs ContrastiveGrouper on them; `observe` + `build` do the same in a
// streaming way. Lines that no template matches in match_or_add are collected as pending lines
// and their token-count group is re-mined; the templates learned that way are provisional and may
// be replaced (new id) by later lines. Thread use: `match` is const and safe from many threads
// while nobody calls a non-const member (mine once, then share); or use one miner per thread and
// merge their stores by adding templates (ids are text hashes, so merging is deterministic).
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "l4/parse/contrastive_grouper.hpp"
#include "l4/parse/parse_result.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/parse/token_masker.hpp"

namespace l4::parse {

struct MinerOptions {
  GrouperOptions grouping;
};

class TemplateMiner {
 public:
  explicit TemplateMiner(MinerOptions options = {});
  // Starts from known templates (e.g. TemplateStore::load).
  explicit TemplateMiner(TemplateStore store, MinerOptions options = {});

  // Batch: observe all contents, then build.
  void mine(std::span<const std::string_view> contents);
  // Streaming batch: remember the masked form of a line (no reference to `content` is kept).
  void observe(std::string_view content);
  // Mines the observed lines into the store (final templates) and forgets them.
  void build();

  // Incremental: the matching template, learning a provisional one when none matches.
  ParseResult match_or_add(std::string_view content);
  // Lookup only.
  [[nodiscard]] std::optional<ParseResult> match(std::string_view content) const;
  // Lookup reusing `out` (no allocation once out.parameters has capacity). Thread-safe.
  bool match(std::string_view content, ParseResult& out) const;

  [[nodiscard]] const TemplateStore& store() const { return store_; }
  TemplateStore& store() { return store_; }
  [[nodiscard]] const TokenMasker& masker() const { return masker_; }
  [[nodiscard]] std::size_t observed_distinct() const { return observed_.size(); }

 private:
  MaskedLine masked(std::string_view content) const;
  void remine_pending(std::size_t token_count);

  MinerOptions options_;
  TokenMasker masker_;
  TemplateStore store_;
  // observed distinct masked lines (batch), key = tokens each followed by '\x1f'
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::size_t, KeyHash, std::equal_to<>> observed_index_;
  std::vector<MaskedLine> observed_;
  // pending lines of match_or_add per token count, and the provisional templates built from them
  std::unordered_map<std::size_t, std::vector<MaskedLine>> pending_;
  std::unordered_map<std::size_t, std::vector<std::size_t>> provisional_;
};

}  // namespace l4::parse
