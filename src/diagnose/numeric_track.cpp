// NumericTrack (declared in job_scan.hpp): per node and event, where the numbers started and where
// they are now.
#include <cmath>

#include "diagnose/job_scan.hpp"

namespace l4::diagnose {
namespace {
constexpr double kSmoothing = 0.3;    // weight of the newest value in the recent level
constexpr double kDeparture = 1.3;    // a value this far (ratio) from the early level has departed
}  // namespace

void NumericTrack::observe(std::span<const double> values, long iteration, double time) {
  const std::size_t width = std::min(values.size(), kWidth);
  ++seen;
  if (!std::isnan(time)) last_time = time;
  if (iteration > last_iteration) last_iteration = iteration;
  for (std::size_t p = 0; p < width; ++p) {
    const double v = values[p];
    if (std::isnan(v)) continue;
    ++numeric[p];
    if (seen <= kBaseline) {
      base_sum[p] += v;
      recent[p] = base_sum[p] / numeric[p];
      continue;
    }
    recent[p] = kSmoothing * v + (1 - kSmoothing) * recent[p];
    const double base = baseline(p);
    const bool departed = base > 0 && v > 0 && (v > base * kDeparture || v * kDeparture < base);
    if (!departed) {
      departed_at[p] = -1;
      departed_time[p] = kNoTime;
    } else if (departed_at[p] < 0 && std::isnan(departed_time[p])) {
      departed_at[p] = iteration;
      departed_time[p] = time;
    }
  }
}

double NumericTrack::baseline(std::size_t p) const {
  if (p >= kWidth || seen < kBaseline || numeric[p] < seen) return std::nan("");
  return base_sum[p] / kBaseline;
}

double NumericTrack::recent_ratio(std::size_t p) const {
  const double base = baseline(p);
  if (std::isnan(base) || base <= 0 || recent[p] <= 0) return std::nan("");
  return recent[p] / base;
}

void NumericTrack::merge(const NumericTrack& other) {
  if (other.seen == 0) return;
  if (seen == 0) {
    *this = other;
    return;
  }
  // Keep the track that has the baseline (the longer one); average the recent levels.
  const bool mine = seen >= other.seen;
  const NumericTrack& longer = mine ? *this : other;
  const NumericTrack& shorter = mine ? other : *this;
  NumericTrack out = longer;
  for (std::size_t p = 0; p < kWidth; ++p) {
    if (shorter.numeric[p] > 0 && shorter.seen > kBaseline) out.recent[p] = (longer.recent[p] + shorter.recent[p]) / 2;
    if (shorter.departed_at[p] >= 0 && (out.departed_at[p] < 0 || shorter.departed_at[p] < out.departed_at[p])) {
      out.departed_at[p] = shorter.departed_at[p];
    }
    if (!std::isnan(shorter.departed_time[p]) && !(out.departed_time[p] <= shorter.departed_time[p])) {
      out.departed_time[p] = shorter.departed_time[p];
    }
    out.numeric[p] = longer.numeric[p] + shorter.numeric[p];
  }
  out.seen = longer.seen + shorter.seen;
  if (!std::isnan(shorter.last_time) && !(out.last_time >= shorter.last_time)) out.last_time = shorter.last_time;
  out.last_iteration = std::max(out.last_iteration, shorter.last_iteration);
  *this = out;
}

}  // namespace l4::diagnose
