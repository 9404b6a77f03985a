#pragma once
// EventEvidence: how strongly an event's text and level say "failure", and the typed parameters of
// a line — the bridge from diagnosis to the extract module's lexicon and parameter typing.
#include <string>
#include <string_view>
#include <vector>

#include "l4/format/level.hpp"

namespace l4::diagnose {

struct TypedValue {
  std::string type, value;
};

class EventEvidence {
 public:
  // 0..1: the level's weight, raised when the text matches a known fault signature.
  [[nodiscard]] double fault_score(std::string_view template_text, format::Level level, bool catalog_hit) const;
  // Typed parameters (gpu, rank, ip, hca, exit code, ...) found in a line's content.
  [[nodiscard]] std::vector<TypedValue> parameters(std::string_view content) const;
};

}  // namespace l4::diagnose
