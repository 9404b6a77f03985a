// Step 3 of the analysis: job-level patterns that have no error text of their own — every node
// stopped at the same iteration (a stall), one node's iterations took markedly longer (a
// slowdown), one node's own numbers drifted unlike everyone else's (a straggler). The silent
// node is found with the spatial evidence (node_ranking.cpp).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "diagnose/analysis.hpp"
#include "diagnose/median.hpp"
#include "diagnose/spatial_evidence.hpp"

namespace l4::diagnose {

namespace {

// Every reporting node stopped at the same iteration.
bool iteration_stall(const JobScan& scan) {
  std::set<long> finals;
  std::size_t reporting = 0;
  for (const auto& node : scan.nodes) {
    if (node.last_iteration >= 0) {
      finals.insert(node.last_iteration);
      ++reporting;
    }
  }
  return reporting >= 1 && finals.size() == 1;
}

// A node whose recent iteration intervals are far above the other nodes' (robust: median and
// MAD over nodes), or nullopt.
std::optional<std::size_t> slow_iterations(const JobScan& scan) {
  std::vector<std::pair<double, std::size_t>> recent;
  for (std::size_t i = 0; i < scan.nodes.size(); ++i) {
    const auto& it = scan.nodes[i].iterations;
    if (it.size() < 6) continue;
    std::vector<double> d;
    for (std::size_t k = it.size() - 5; k < it.size(); ++k) {
      const double dt = (it[k].second - it[k - 1].second) / static_cast<double>(std::max(1L, it[k].first - it[k - 1].first));
      if (!std::isnan(dt)) d.push_back(dt);
    }
    if (!d.empty()) recent.emplace_back(median(d), i);
  }
  if (recent.size() < 3) return std::nullopt;
  std::vector<double> values;
  for (auto& r : recent) values.push_back(r.first);
  const double med = median(values);
  std::vector<double> dev;
  for (double v : values) dev.push_back(std::abs(v - med));
  const double mad = std::max(median(dev), 0.05 * med);
  const auto worst = std::max_element(recent.begin(), recent.end());
  if (med > 0 && worst->first > med * 1.3 && (worst->first - med) / mad > 6) return worst->second;
  return std::nullopt;
}

}  // namespace

void detect_features(Analysis& a) {
  const JobScan& scan = a.scan;
  Features& f = a.features;
  if (scan.nodes.size() < 2) return;
  f.iteration_stall = iteration_stall(scan);
  if (auto slow = slow_iterations(scan)) {
    f.iteration_slowdown = true;
    f.slow_node = *slow;
  }
  // Synchronous training slows every rank to the straggler's pace, so iteration times alike
  // across nodes do not clear it; the numbers its lines carry (compute times, waits) do.
  const auto drift = a.options.detect_drift ? drifting_node(scan, a.options) : std::nullopt;
  if (drift && (!f.iteration_slowdown || f.slow_node == drift->node)) {
    spdlog::debug("node {} drifts in {} parameters since iteration {}", scan.nodes[drift->node].id, drift->votes, drift->since);
    f.iteration_slowdown = true;
    f.slow_node = drift->node;
    f.slow_since = drift->since;
    f.slow_event = drift->event;
  }
  if (f.slow_event == nullptr) return;
  // The drifting event joins the candidates: evidence for a node, not an onset (its first line is
  // the first step of the run).
  auto it = std::find_if(a.candidates.begin(), a.candidates.end(), [&](auto& c) { return c.event == f.slow_event; });
  if (it == a.candidates.end()) {
    Candidate c;
    c.event = f.slow_event;
    c.fault = 0.5;
    c.spread = static_cast<double>(c.event->node_spread()) / static_cast<double>(scan.nodes.size());
    c.score = 0.45;
    a.candidates.push_back(std::move(c));
    it = std::prev(a.candidates.end());
  }
  it->drift = true;
}

}  // namespace l4::diagnose
