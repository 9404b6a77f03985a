#pragma once
// IterationSequence: L4's iteration-level anomaly detection for one stream. Each iteration's
// events (the lines between two iteration reports) form a sequence; an iteration whose sequence
// lies far from those of the previous ten — mean DTW distance more than three standard deviations
// above the distances the stream has shown so far — deviates, even when none of its lines says
// "error" (a retry loop, a skipped step, a missing all-reduce).
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace l4::diagnose {

class IterationSequence {
 public:
  static constexpr std::size_t kHistory = 10;      // previous iterations compared against (L4: 10)
  static constexpr std::size_t kMaxLength = 48;    // events kept per iteration (the rest are dropped)
  static constexpr std::uint32_t kWarmup = 10;     // scored iterations before any can deviate
  static constexpr double kSigmas = 3.0;
  static constexpr double kMinSpread = 0.05;       // standard deviation floor: identical iterations

  // How the iteration just closed compares with its predecessors.
  struct Outcome {
    double distance = 0;      // mean normalised DTW distance to the previous iterations (0..1)
    double sigmas = 0;        // how far above the stream's usual distance
    bool deviates = false;
    std::vector<std::uint32_t> novel;  // its events absent from every compared iteration (≤ 5)
  };

  // One event (template index) of the current iteration.
  void add(std::uint32_t event) {
    if (current_.size() < kMaxLength) current_.push_back(event);
  }
  [[nodiscard]] bool empty() const { return current_.empty(); }
  // Ends the current iteration. nullopt while there are too few predecessors to compare with.
  std::optional<Outcome> close();

  // Normalised DTW distance (0: same sequence, 1: nothing in common) with unit mismatch cost.
  static double distance(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

 private:
  std::vector<std::uint32_t> current_;
  std::array<std::vector<std::uint32_t>, kHistory> previous_;
  std::size_t stored_ = 0;  // previous iterations kept (≤ kHistory)
  std::size_t next_ = 0;    // ring position of the next one
  // Welford statistics of the distances of iterations that did not deviate.
  std::uint32_t scored_ = 0;
  double mean_ = 0, m2_ = 0;
};

}  // namespace l4::diagnose
