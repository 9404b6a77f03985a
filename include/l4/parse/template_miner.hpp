#pragma once
// TemplateMiner: learns log templates from message contents and assigns lines to them.
//
//   l4::parse::TemplateMiner miner;
//   miner.mine(contents);                        // batch: learn from a whole input
//   auto r = miner.match_or_add("took 12 ms");   // incremental: id, template text, parameters
//
// Batch mining keeps only distinct masked lines (MaskedLines: memory grows with templates and their
// variants, not with lines) and runs ContrastiveGrouper on them; `observe` + `build` do the same in
// a streaming way, and `assign` then gives each observed line the template it was mined into.
// Several miners may observe parts of an input on different threads and be combined with
// `absorb` before `build`: the result depends only on the lines, not on how they were split.
//
// Incremental learning (`match_or_add`) keeps every line no final template matched in the same
// table and re-mines all of them, all four grouping steps, whenever the lines that missed since the
// last re-mine reach a quarter of them: the re-mines cost O(n) grouping work in total, and
// between them a missed line gets its own masked form as a template. Templates learned this way
// are provisional and may be replaced (new id) by later lines; `finish` re-mines once more, so the
// templates a stream ends with are the batch templates of its lines.
//
// Mining never holds more than MinerOptions::max_templates templates from one build; the lines of
// the least frequent templates beyond it are counted under one overflow template (overflow_text)
// that no line matches by its text — a log of a million unrelated lines cannot make a million
// events downstream.
//
// Thread use: `match` is const and safe from many threads while nobody calls a non-const member
// (mine once, then share); or use one miner per thread and `absorb` them.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/miner_options.hpp"
#include "l4/parse/parse_result.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/parse/token_masker.hpp"

namespace l4::parse {

struct MinedTemplate;  // src/parse/contrastive_grouper.hpp

// Scratch memory of one thread's TemplateMiner::assign on a miner nobody modifies.
struct AssignScratch {
  std::vector<std::uint32_t> ids;  // token ids
  std::string shape;
  std::string masked;
};

class TemplateMiner {
 public:
  // The text of the template that takes the lines beyond MinerOptions::max_templates.
  static constexpr std::string_view overflow_text = "[l4: template limit reached] <*>";

  explicit TemplateMiner(MinerOptions options = {});
  // Starts from known templates (e.g. TemplateStore::load).
  explicit TemplateMiner(TemplateStore store, MinerOptions options = {});
  TemplateMiner(TemplateMiner&&) noexcept;
  TemplateMiner& operator=(TemplateMiner&&) noexcept;
  ~TemplateMiner();

  // Batch: observe all contents, then build.
  void mine(std::span<const std::string_view> contents);
  // Streaming batch: remember the masked form of a line (no reference to `content` is kept).
  // Returns the line's number among the distinct masked lines (see assign_observed).
  std::uint32_t observe(std::string_view content);
  // Adds the lines another miner observed (and did not build yet), e.g. a thread's share. Returns
  // the numbers of `other`'s masked lines in this miner (by `other`'s number; unbuilt ones only).
  std::vector<std::uint32_t> absorb(const TemplateMiner& other);
  // Mines the lines observed since the last build into the store (final templates).
  void build();
  // The template the line was mined into by build() (it must have been observed), with its
  // parameters; false for a line never observed (then use match or match_or_add).
  bool assign(std::string_view content, ParseResult& out);
  // The same without changing the miner: thread-safe while nobody calls a non-const member.
  bool assign(std::string_view content, ParseResult& out, AssignScratch& scratch) const;
  // The same for a line whose number observe() returned (kept by the caller): the masked line is
  // not looked up again, only the parameters are taken. Thread-safe like assign. A content that no
  // longer fits that line's template (the file changed between the passes) is matched instead.
  bool assign_observed(std::uint32_t line, std::string_view content, ParseResult& out) const;

  // Incremental: the matching template, learning a provisional one when none matches.
  ParseResult match_or_add(std::string_view content);
  // Re-mines the provisional templates from all lines match_or_add learned from (see above).
  void finish();
  // Lookup only.
  [[nodiscard]] std::optional<ParseResult> match(std::string_view content) const;
  // Lookup reusing `out` (no allocation once out.parameters has capacity). Thread-safe.
  bool match(std::string_view content, ParseResult& out) const;

  [[nodiscard]] const TemplateStore& store() const { return store_; }
  TemplateStore& store() { return store_; }
  [[nodiscard]] const TokenMasker& masker() const;
  // Distinct masked lines observed and not built yet.
  [[nodiscard]] std::size_t observed_distinct() const;
  // Templates over max_templates that went to the overflow template, and their lines, so far.
  [[nodiscard]] std::uint64_t overflow_templates() const {
    return batch_overflow_.templates + learned_overflow_.templates;
  }
  [[nodiscard]] std::uint64_t overflow_lines() const { return batch_overflow_.lines + learned_overflow_.lines; }
  // Heap bytes of the mining tables (distinct lines, vocabulary), for memory accounting.
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  struct Tables;
  struct Overflow {
    std::uint64_t templates = 0;
    std::uint64_t lines = 0;
  };
  bool masked_ids(std::string_view content, bool add);
  std::vector<MinedTemplate> capped(std::vector<MinedTemplate> mined, Overflow& overflow);
  void count_overflow();
  void add_mined(const std::vector<MinedTemplate>& mined, bool provisional);
  void remine();
  bool parameters_of(std::size_t index, std::string_view content, ParseResult& out) const;
  std::size_t overflow_index();

  MinerOptions options_;
  TemplateStore store_;
  std::unique_ptr<Tables> tables_;
  Overflow batch_overflow_;    // from build(): adds up
  Overflow learned_overflow_;  // from the last re-mine of match_or_add's lines: replaced each time
};

}  // namespace l4::parse
