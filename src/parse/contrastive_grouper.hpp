#pragma once
// ContrastiveGrouper: the batch mining algorithm, on distinct masked lines (MaskedLines).
//
//  1. Grouping: lines with the same token count are grouped by their anchor — the tokens whose
//     frequency (per position, within the token-count group) is the frequency most of the line's
//     tokens share, or higher. Template text recurs with the template; parameters do not.
//  2. Contrastive units: inside an anchor group, lines share most tokens and differ in a few
//     positions. A position with one value is template text. A position whose values hold digits or
//     masked variables, or take many different values, is a parameter. A position taking a few
//     different plain words (FOLLOWING / LEADING, Accepted / Failed) separates templates: the unit
//     is split on it and each part is examined again (a parameter stays a parameter).
//     A word with a number appended that one input line alone holds ("storage442") has its number
//     made a variable: template text recurs.
//  3. Merging: templates of one token count that differ only where one of them has "<*>", or
//     where both hold one word with different numbers in it ("bglio716" / "bglio91"), merge.
//  4. Merging runs: templates of any token counts whose anchor text (tokens that are neither
//     bare parameters nor unit words) is the same, and which differ only in runs of parameters between
//     anchors ("sent," / "(<*> KB) sent,", "delete <*>" / "delete <*> <*>"), merge into one
//     template whose differing runs are run slots (a "<*>" covering a variable number of tokens).
// Deterministic: the result depends only on the multiset of input lines, not on their order.
// Bounded: every step is linear or n log n in the distinct lines; the pairwise comparisons of steps
// 3 and 4 look at a bounded number of candidates per template (GrouperOptions::merge_candidates).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/miner_options.hpp"
#include "l4/parse/template_store.hpp"
#include "parse/masked_lines.hpp"
#include "parse/token_vocabulary.hpp"

namespace l4::parse {

// A mined template: tokens (ids in the lines' vocabulary; "<*>" = parameter), run slots, and the
// distinct lines it covers.
struct MinedTemplate {
  std::vector<TokenId> tokens;
  std::uint64_t count = 0;
  std::vector<std::uint32_t> members;  // indexes into the MaskedLines, ascending
  std::vector<TokenRun> runs;          // ascending by position; only from step 4
};

// The template's text: its tokens joined by one space.
std::string template_text(const MinedTemplate& t, const TokenVocabulary& vocabulary);

class ContrastiveGrouper {
 public:
  explicit ContrastiveGrouper(GrouperOptions options = {}) : options_(std::move(options)) {}

  // Step 1 on lines of one token count (`members` index `lines`): the anchor groups, each sorted.
  [[nodiscard]] std::vector<std::vector<std::uint32_t>> anchor_groups(const MaskedLines& lines,
                                                                      std::span<const std::uint32_t> members) const;

  // Step 2 on one anchor group: its contrastive units as templates (parameter shapes such as
  // "user=<*>" are added to the lines' vocabulary).
  [[nodiscard]] std::vector<MinedTemplate> contrast(MaskedLines& lines, std::span<const std::uint32_t> members) const;

  // Step 3 on templates of one token count; returns the merged list (sorted by text).
  [[nodiscard]] std::vector<MinedTemplate> merge(std::vector<MinedTemplate> templates,
                                                 TokenVocabulary& vocabulary) const;

  // Step 4 on templates of any token counts; returns the merged list (sorted by text).
  [[nodiscard]] std::vector<MinedTemplate> merge_runs(std::vector<MinedTemplate> templates,
                                                      TokenVocabulary& vocabulary) const;

  // All four steps over lines of any token counts (sorted by text).
  [[nodiscard]] std::vector<MinedTemplate> mine(MaskedLines& lines) const;
  // The same over some of the lines (`members`, ascending).
  [[nodiscard]] std::vector<MinedTemplate> mine(MaskedLines& lines, std::span<const std::uint32_t> members) const;

  [[nodiscard]] const GrouperOptions& options() const { return options_; }

 private:
  struct Context;
  void contrast(Context& cx, std::span<const std::uint32_t> members, std::vector<MinedTemplate>& out) const;
  void split(Context& cx, std::vector<std::uint32_t> members, std::vector<TokenId> variable,
             std::vector<MinedTemplate>& out) const;
  static void numbers_seen_once_as_variables(Context& cx, std::span<const std::uint64_t> lines_with,
                                             MinedTemplate& t);
  [[nodiscard]] std::optional<MinedTemplate> merged_runs(Context& cx, const MinedTemplate& a,
                                                         const MinedTemplate& b) const;
  GrouperOptions options_;
};

}  // namespace l4::parse
