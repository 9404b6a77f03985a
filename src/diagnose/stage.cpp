#include "l4/diagnose/stage.hpp"

#include <array>

namespace l4::diagnose {
namespace {
constexpr std::array<std::string_view, kStageCount> kNames{"init", "loading", "training", "checkpoint",
                                                           "evaluation"};
}

std::string_view to_string(Stage stage) { return kNames[static_cast<std::size_t>(stage)]; }

std::optional<Stage> parse_stage(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Stage>(i);
  }
  return std::nullopt;
}

}  // namespace l4::diagnose
