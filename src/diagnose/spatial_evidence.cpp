#include "diagnose/spatial_evidence.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace l4::diagnose {
namespace {

double median_count(std::vector<std::uint32_t> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (static_cast<double>(v[m - 1]) + v[m]) / 2;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// `id` occurs in `text` with no letter or digit glued to either end ("dgx-b23" in
// "'dgx-b23_91007_0'", not in "dgx-b230").
bool names(std::string_view text, std::string_view id) {
  if (id.size() < 3) return false;  // "n1"-style ids would match too much
  for (std::size_t pos = text.find(id); pos != std::string_view::npos; pos = text.find(id, pos + 1)) {
    const bool left = pos == 0 || !word_char(text[pos - 1]);
    const std::size_t end = pos + id.size();
    const bool right = end >= text.size() || !word_char(text[end]);
    if (left && right) return true;
  }
  return false;
}

}  // namespace

std::vector<double> missing_symptom_scores(const JobScan& scan, std::span<const WeightedEvent> events) {
  const std::size_t n = scan.nodes.size();
  std::vector<double> score(n, 0.0);
  if (n < 3) return score;
  double total = 0;
  std::vector<std::uint32_t> counts(n);
  for (const auto& [e, weight] : events) {
    if (2 * static_cast<std::size_t>(e->node_spread()) < n) continue;
    std::fill(counts.begin(), counts.end(), 0);
    std::copy(e->node_counts.begin(), e->node_counts.begin() + std::min(n, e->node_counts.size()), counts.begin());
    const double typical = median_count(counts);
    if (typical <= 0) continue;
    total += weight;
    for (std::size_t i = 0; i < n; ++i) {
      if (counts[i] < typical) score[i] += weight * (typical - counts[i]) / typical;
    }
  }
  if (total > 0) {
    for (auto& s : score) s /= total;
  }
  return score;
}

std::vector<double> named_node_scores(const JobScan& scan, std::span<const WeightedEvent> events) {
  const std::size_t n = scan.nodes.size();
  std::vector<double> score(n, 0.0);
  if (n < 2) return score;
  for (const auto& [e, weight] : events) {
    for (std::size_t i = 0; i < n; ++i) {
      // Only what others say of a node counts: every node names itself in its own banners.
      if (e->first.node == i) continue;
      if (names(e->first_content, scan.nodes[i].id)) score[i] += weight;
    }
  }
  return score;
}

}  // namespace l4::diagnose
