#pragma once
// FaultExtractor: LoFI's two stages (ISSRE'24) made deterministic, for one set of parsed lines
// (a job, a node or a session).
//  1. Coarse filter: every line gets a score from the fault lexicon and its level, plus a bonus
//     when its template is rare in the set; lines at or above ExtractOptions::keep_threshold are
//     fault-indicating candidates.
//  2. Fine extraction on the candidates, in named steps (src/extract/description.hpp): locate
//     the parameters (the template's and the typed entities), split the message into clauses at
//     its own separators, score the clauses (fault words, hand-over from labels and cause markers,
//     position, nesting), pick the clause and its words (the description), pick the parameter
//     the description is about (the FIP).
// Findings are ranked by score (coarse score, rarity, the first error's onset bonus, the entity
// named). A line that states no fault of its own (a stack frame or the source it quotes, a line
// framing an error told elsewhere, a one-label header; LineForms) is ranked without its fault
// words, and the line after a header inherits them. By default one finding per template (the
// first occurrence).
//
//   l4::extract::FaultExtractor ex;                 // embedded lexicon and types
//   auto findings = ex.extract(lines, {.top = 5});
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "l4/extract/extract_line.hpp"
#include "l4/extract/fault_lexicon.hpp"
#include "l4/extract/finding.hpp"
#include "l4/extract/line_forms.hpp"
#include "l4/extract/parameter_typer.hpp"

namespace l4::extract {

struct ExtractOptions {
  std::size_t top = 0;            // keep at most this many findings (0 = all)
  double keep_threshold = 2.5;    // coarse score a line needs to be a candidate
  double rarity_bonus = 1.5;      // added for a template seen once, decaying with its count
  double entity_bonus = 1.0;      // times the best FIP type's fip_priority / 10
  // Added to the first candidate at the highest severity when that is error or above: the first
  // error of a cascade is its root; the errors after it are its consequences and wrappers. A line
  // with no level (stderr) is not known to be below that severity and can take it too.
  double onset_bonus = 3.0;
  bool one_per_template = true;   // report each template once (its first line)
};

class FaultExtractor {
 public:
  FaultExtractor();
  FaultExtractor(FaultLexicon lexicon, ParameterTyper typer, LineForms forms = {});

  // Ranked findings (best first; ties keep input order).
  [[nodiscard]] std::vector<Finding> extract(std::span<const ExtractLine> lines,
                                             const ExtractOptions& options = {}) const;

  // Stage 1 for one line, without the set-dependent bonuses (the filter benchmark's unit).
  [[nodiscard]] double coarse_score(const ExtractLine& line) const {
    return lexicon_.score(line.content, line.level);
  }

  // Stage 2 for one line: description and parameters (score left 0).
  [[nodiscard]] Finding describe(const ExtractLine& line) const;

  [[nodiscard]] const FaultLexicon& lexicon() const { return lexicon_; }
  [[nodiscard]] const ParameterTyper& typer() const { return typer_; }

 private:
  FaultLexicon lexicon_;
  ParameterTyper typer_;
  LineForms forms_;
};

}  // namespace l4::extract
