// IterationSequence (src/diagnose/iteration_sequence.hpp): DTW over per-iteration event sequences.
#include "diagnose/iteration_sequence.hpp"

#include <algorithm>
#include <cmath>

namespace l4::diagnose {

double IterationSequence::distance(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a == b) return 0;
  if (a.empty() || b.empty()) return 1;
  // Classic DTW with a rolling row: cost 0 for the same event, 1 otherwise. The warping path is
  // at least max(n, m) long, so dividing by it keeps the distance in 0..1.
  const std::size_t m = b.size();
  constexpr double kInf = 1e18;
  std::vector<double> prev(m + 1, kInf), row(m + 1, kInf);
  prev[0] = 0;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = kInf;
    for (std::size_t j = 1; j <= m; ++j) {
      const double cost = a[i - 1] == b[j - 1] ? 0.0 : 1.0;
      row[j] = cost + std::min({prev[j], row[j - 1], prev[j - 1]});
    }
    std::swap(prev, row);
  }
  return std::min(1.0, prev[m] / static_cast<double>(std::max(a.size(), m)));
}

std::optional<IterationSequence::Outcome> IterationSequence::close() {
  std::optional<Outcome> out;
  if (stored_ >= 3) {
    Outcome o;
    double sum = 0;
    for (std::size_t k = 0; k < stored_; ++k) sum += distance(current_, previous_[k]);
    o.distance = sum / static_cast<double>(stored_);
    const double sd = scored_ > 1 ? std::sqrt(m2_ / static_cast<double>(scored_ - 1)) : 0.0;
    o.sigmas = (o.distance - mean_) / std::max(sd, kMinSpread);
    o.deviates = scored_ >= kWarmup && o.sigmas > kSigmas;
    if (o.deviates) {
      for (auto e : current_) {
        const bool seen = std::any_of(previous_.begin(), previous_.begin() + static_cast<std::ptrdiff_t>(stored_),
                                      [&](const auto& p) { return std::find(p.begin(), p.end(), e) != p.end(); });
        if (!seen && std::find(o.novel.begin(), o.novel.end(), e) == o.novel.end() && o.novel.size() < 5) {
          o.novel.push_back(e);
        }
      }
    } else {
      ++scored_;
      const double delta = o.distance - mean_;
      mean_ += delta / scored_;
      m2_ += delta * (o.distance - mean_);
    }
    out = std::move(o);
  }
  previous_[next_] = std::move(current_);
  current_.clear();
  next_ = (next_ + 1) % kHistory;
  stored_ = std::min(stored_ + 1, kHistory);
  return out;
}

}  // namespace l4::diagnose
