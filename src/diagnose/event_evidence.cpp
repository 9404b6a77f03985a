#include "diagnose/event_evidence.hpp"

#include <algorithm>

namespace l4::diagnose {

namespace {
// A lexicon score at which a line is clearly about a failure (an error-level line naming one).
constexpr double kClearFailure = 5.0;
}  // namespace

double EventEvidence::fault_score(std::string_view text, format::Level level, bool catalog_hit) const {
  const double lexical = std::clamp(lexicon_.score(text, level) / kClearFailure, 0.0, 1.0);
  return std::max(lexical, catalog_hit ? 0.9 : 0.0);
}

std::vector<TypedValue> EventEvidence::parameters(std::string_view content) const {
  auto found = typer_.find(content);
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.fip_priority > b.fip_priority; });
  std::vector<TypedValue> out;
  for (auto& p : found) {
    // Types whose role (data/parameter_types.json) is an entity or a FIP candidate, but not the
    // generic shapes (key=value, an identifier): GPU, rank, IP, HCA, exit code, path ...
    if (p.role == extract::ParameterRole::none || p.generic) continue;
    out.push_back(TypedValue{std::move(p.type), std::move(p.value)});
  }
  return out;
}

}  // namespace l4::diagnose
