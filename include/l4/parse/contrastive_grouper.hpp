#pragma once
// ContrastiveGrouper: the batch mining algorithm, on masked lines (see TokenMasker).
//
//  1. Grouping: lines with the same token count are grouped by their anchor — the tokens whose
//     frequency (per position, within the token-count group) is the frequency most of the line's
//     tokens share, or higher. Template text recurs with the template; parameters do not.
//  2. Contrastive units: inside an anchor group, lines share most tokens and differ in a few
//     positions. A position with one value is template text. A position whose values hold digits or
//     masked variables, or take many different values, is a parameter. A position taking a few
//     different plain words (FOLLOWING / LEADING, Accepted / Failed) separates templates: the unit
//     is split on it and each part is examined again (a parameter stays a parameter).
//  3. Merging: templates of one token count that differ only where one of them has "<*>" merge.
//  4. Merging runs: templates of any token counts whose anchor text (tokens that are neither
//     bare parameters nor unit words) is the same, and which differ only in runs of parameters between
//     anchors ("sent," / "(<*> KB) sent,", "delete <*>" / "delete <*> <*>"), merge into one
//     template whose differing runs are run slots (a "<*>" covering a variable number of tokens).
// Deterministic: the result depends only on the multiset of input lines, not on their order.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/template_store.hpp"

namespace l4::parse {

// The "unit_words" of the embedded data/parse_masks.json.
std::vector<std::string> default_unit_words();

struct GrouperOptions {
  // A position with at least this many different plain-word values is a parameter; with fewer it
  // splits the unit into separate templates.
  std::size_t word_param_values = 4;
  // Unit words ("B", "KB", "ms"): a position holding only units right after a parameter is part
  // of that parameter ("877.0 B" / "6.0 KB"), not a template split. From data/parse_masks.json.
  std::vector<std::string> unit_words = default_unit_words();
};

// A distinct masked line and how many input lines had it.
struct MaskedLine {
  std::vector<std::string> tokens;
  std::uint64_t count = 1;
};

// A mined template: tokens ("<*>" = parameter), run slots, and the input lines it covers.
struct MinedTemplate {
  std::vector<std::string> tokens;
  std::uint64_t count = 0;
  std::vector<std::size_t> members;  // indexes into the input lines, ascending
  std::vector<TokenRun> runs;         // ascending by position; only from step 4
};

class ContrastiveGrouper {
 public:
  explicit ContrastiveGrouper(GrouperOptions options = {}) : options_(options) {}

  // Step 1 on lines of one token count (`members` index `lines`): the anchor groups, each sorted,
  // in a deterministic order.
  [[nodiscard]] std::vector<std::vector<std::size_t>> anchor_groups(
      std::span<const MaskedLine> lines, std::span<const std::size_t> members) const;

  // Step 2 on one anchor group: its contrastive units as templates.
  [[nodiscard]] std::vector<MinedTemplate> contrast(std::span<const MaskedLine> lines,
                                                    std::span<const std::size_t> members) const;

  // Step 3 on templates of one token count; returns the merged list (deterministic order).
  [[nodiscard]] static std::vector<MinedTemplate> merge(std::vector<MinedTemplate> templates);

  // Step 4 on templates of any token counts; returns the merged list (deterministic order).
  [[nodiscard]] std::vector<MinedTemplate> merge_runs(std::vector<MinedTemplate> templates) const;

  // All four steps over lines of any token counts.
  [[nodiscard]] std::vector<MinedTemplate> mine(std::span<const MaskedLine> lines) const;

  [[nodiscard]] const GrouperOptions& options() const { return options_; }

 private:
  void split(std::span<const MaskedLine> lines, std::vector<std::size_t> members,
             std::vector<std::string> variable, std::vector<MinedTemplate>& out) const;
  [[nodiscard]] bool is_unit(std::string_view token) const;
  // A token that can sit in a parameter run: a variable with nothing but punctuation around it
  // ("(<*>", "<*>:<*>"; not "user=<*>"), or a unit word.
  [[nodiscard]] bool parameter_like(std::string_view token) const;
  [[nodiscard]] std::optional<MinedTemplate> merged_runs(const MinedTemplate& a, const MinedTemplate& b) const;
  GrouperOptions options_;
};

}  // namespace l4::parse
