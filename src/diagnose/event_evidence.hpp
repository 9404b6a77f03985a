#pragma once
// EventEvidence: how strongly an event's text and level say "failure", and the typed parameters of
// a line — diagnosis's bridge to the extract module (FaultLexicon, ParameterTyper), so the
// vocabulary of failure and the parameter types live in one place (data/fault_lexicon.json,
// data/parameter_types.json).
#include <string>
#include <string_view>
#include <vector>

#include "l4/extract/fault_lexicon.hpp"
#include "l4/extract/parameter_typer.hpp"
#include "l4/format/level.hpp"

namespace l4::diagnose {

struct TypedValue {
  std::string type, value;
};

class EventEvidence {
 public:
  // 0..1 from the lexicon score of the line (its words and level), raised to 0.9 when the text
  // matches a known fault signature of the catalogue.
  [[nodiscard]] double fault_score(std::string_view text, format::Level level, bool catalog_hit) const;
  // Typed parameters (gpu, rank, ip, hca, exit code, ...) found in a line's content, most
  // fault-indicating types first.
  [[nodiscard]] std::vector<TypedValue> parameters(std::string_view content) const;

 private:
  extract::FaultLexicon lexicon_;
  extract::ParameterTyper typer_;
};

}  // namespace l4::diagnose
