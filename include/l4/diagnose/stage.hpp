#pragma once
// Stage: the phases a training job moves through. The temporal pattern of L4 localises a failure
// to one of them (and, in training, to an iteration).
#include <cstdint>
#include <optional>
#include <string_view>

namespace l4::diagnose {

enum class Stage : std::uint8_t { init, loading, training, checkpoint, evaluation };
inline constexpr int kStageCount = 5;

std::string_view to_string(Stage stage);
std::optional<Stage> parse_stage(std::string_view name);

// A set of stages as a bit mask (bit i = Stage(i)), as stored in the job history.
using StageMask = std::uint32_t;
constexpr StageMask stage_bit(Stage s) { return StageMask{1} << static_cast<int>(s); }

}  // namespace l4::diagnose
