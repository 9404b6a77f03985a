#include "diagnose/event_evidence.hpp"

#include <algorithm>

namespace l4::diagnose {

double EventEvidence::fault_score(std::string_view, format::Level level, bool catalog_hit) const {
  double by_level = 0.25;
  switch (level) {
    case format::Level::fatal: by_level = 1.0; break;
    case format::Level::error: by_level = 0.9; break;
    case format::Level::warn: by_level = 0.6; break;
    case format::Level::notice: by_level = 0.3; break;
    case format::Level::info: by_level = 0.2; break;
    case format::Level::debug:
    case format::Level::trace: by_level = 0.1; break;
    case format::Level::unknown: by_level = 0.25; break;
  }
  return std::max(by_level, catalog_hit ? 0.9 : 0.0);
}

std::vector<TypedValue> EventEvidence::parameters(std::string_view) const { return {}; }

}  // namespace l4::diagnose
