// Steps 4-6 of the analysis: the failure's onset, the spatial ranking of nodes (L4: the nodes of
// one job behave alike, so the faulty node is the one whose events deviate), and the role of each
// event — root evidence is local to the faulty node or comes first; the rest are symptoms.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <numeric>

#include "diagnose/analysis.hpp"
#include "diagnose/spatial_evidence.hpp"

namespace l4::diagnose {

void find_onset(Analysis& a) {
  // The earliest strong statement: a line with a fault signature or one a process died of; else
  // the earliest strong line at all (a quoted source line or a warning is no statement).
  for (const bool statements_only : {true, false}) {
    for (const auto& c : a.candidates) {
      if (c.score < a.options.onset_score || c.framing || c.drift) continue;
      if (statements_only && ((c.signatures.empty() && !c.process_died) || c.first_outlived)) continue;
      if (a.onset == nullptr || c.event->first.before(a.onset->event->first)) a.onset = &c;
      if (!c.about_peer && (a.node_onset == nullptr || c.event->first.before(a.node_onset->event->first))) a.node_onset = &c;
    }
    if (a.onset != nullptr) return;
  }
  for (const auto& c : a.candidates) {
    if (!c.framing && !c.drift) {
      a.onset = &c;
      return;
    }
  }
  if (!a.candidates.empty()) a.onset = &a.candidates.front();
}

namespace {

// Each node's score from the events it shows: an event on one node singles it out; an event on
// every node says nothing about which. The node with the earliest evidence counts double.
void score_own_events(Analysis& a) {
  const std::size_t node_count = a.scan.nodes.size();
  for (std::size_t ci = 0; ci < a.candidates.size(); ++ci) {
    const Candidate& c = a.candidates[ci];
    if (c.about_peer) continue;
    const auto& e = *c.event;
    const double k = static_cast<double>(e.node_spread());
    const double spatial = node_count <= 1 ? 1.0 : (static_cast<double>(node_count) - k + 1) / static_cast<double>(node_count);
    for (std::size_t n = 0; n < e.node_counts.size(); ++n) {
      if (e.node_counts[n] == 0) continue;
      double w = c.score * spatial * spatial;
      if (a.node_onset != nullptr && e.node_first[n].valid() && !a.node_onset->event->first.before(e.node_first[n])) {
        w *= a.options.onset_bonus;
      }
      a.node_score[n] += w;
      a.node_events[n].emplace_back(w, c.event);
    }
  }
}

// Nodes short of the widespread symptoms, and nodes other nodes' failure lines name. A node that
// reported (almost) none of what every other node did, and no failure of its own, went silent:
// lost, powered off, cut from the network.
void score_absence_and_names(Analysis& a) {
  std::vector<WeightedEvent> weighted;
  for (const auto& c : a.candidates) weighted.push_back({c.event, c.score});
  const auto missing = missing_symptom_scores(a.scan, weighted);
  const auto named = named_node_scores(a.scan, weighted);
  for (std::size_t n = 0; n < a.scan.nodes.size(); ++n) {
    a.node_score[n] += a.options.missing_weight * missing[n] + a.options.named_weight * std::min(2.0, named[n]);
  }
  const auto most = std::max_element(missing.begin(), missing.end());
  if (most == missing.end() || *most < a.options.silent_shortfall) return;
  const auto n = static_cast<std::size_t>(most - missing.begin());
  spdlog::debug("largest symptom shortfall: {:.2f} on {}", *most, a.scan.nodes[n].id);
  const bool says_something = std::any_of(a.candidates.begin(), a.candidates.end(), [&](const Candidate& c) {
    return !c.signatures.empty() && n < c.event->node_counts.size() && c.event->node_counts[n] > 0 &&
           c.spread <= a.options.local_spread;
  });
  if (!says_something) {
    a.features.node_went_silent = true;
    a.features.silent_node = n;
  }
}

// The L4 paper's baselines: earliest first error line, or most error lines.
void score_baseline(Analysis& a, NodeRanking ranking) {
  const auto& nodes = a.scan.nodes;
  std::vector<std::size_t> by(nodes.size());
  std::iota(by.begin(), by.end(), 0);
  if (ranking == NodeRanking::first_error) {
    std::stable_sort(by.begin(), by.end(), [&](auto x, auto y) {
      const auto& p = nodes[x].first_error;
      const auto& q = nodes[y].first_error;
      if (p.valid() != q.valid()) return p.valid();
      return p.valid() && p.before(q);
    });
  } else {
    std::stable_sort(by.begin(), by.end(), [&](auto x, auto y) { return nodes[x].errors > nodes[y].errors; });
  }
  for (std::size_t r = 0; r < by.size(); ++r) a.node_score[by[r]] = static_cast<double>(by.size() - r);
}

}  // namespace

void rank_nodes(Analysis& a, NodeRanking ranking) {
  const std::size_t node_count = a.scan.nodes.size();
  a.node_score.assign(node_count, 0.0);
  a.node_events.assign(node_count, {});
  score_own_events(a);
  score_absence_and_names(a);
  if (a.features.iteration_slowdown) a.node_score[a.features.slow_node] += a.options.slowdown_bonus;
  if (ranking != NodeRanking::l4) score_baseline(a, ranking);
  a.node_order.resize(node_count);
  std::iota(a.node_order.begin(), a.node_order.end(), 0);
  std::stable_sort(a.node_order.begin(), a.node_order.end(), [&](auto x, auto y) { return a.node_score[x] > a.node_score[y]; });
}

namespace {
// Local: an event of few nodes singles them out. Within one node, ranks play the nodes' part: an
// event of few of its ranks is local; without ranks, only the onset is (one process's last words
// follow from its first).
bool is_local(const Analysis& a, const Candidate& c) {
  const auto& e = *c.event;
  if (a.scan.nodes.size() >= 2) return c.spread <= a.options.local_spread || e.node_spread() <= 1;
  if (a.scan.ranks < 2 || e.ranks.empty()) return false;
  const double share = static_cast<double>(e.ranks.size()) / static_cast<double>(a.scan.ranks);
  return share <= a.options.local_spread || e.ranks.size() == 1;
}

// Within one node, the lines of the onset's incident (its block of lines, on its rank) state the
// failure together: a wrapper and its detail ("NCCL error ..., internal error" and
// "ncclInternalError: Internal check failed"), an import failure and the undefined symbol it hit.
bool in_onset_block(const Analysis& a, const Candidate& c) {
  if (a.scan.nodes.size() >= 2 || a.onset == nullptr) return false;
  const Occurrence& o = a.onset->event->first;
  const Occurrence& f = c.event->first;
  const auto block = static_cast<std::uint64_t>(a.options.block_lines);
  return f.file == o.file && f.line + block >= o.line && f.line <= o.line + block &&
         (f.rank == o.rank || f.rank < 0 || o.rank < 0);
}
}  // namespace

void assign_roles(Analysis& a) {
  const std::size_t top = a.top_node();
  for (auto& c : a.candidates) {
    const auto& e = *c.event;
    const bool on_top = top < e.node_counts.size() && e.node_counts[top] > 0;
    const bool first = a.onset != nullptr && &c == a.onset;
    const bool root = (on_top && is_local(a, c)) || first || c.drift || in_onset_block(a, c);
    c.role = root && !c.framing ? EventRole::root : EventRole::symptom;
    if (c.role == EventRole::root) c.score *= a.options.root_boost;
  }
  // Sorting moves candidates: the onset is found again by its event.
  const EventStats* onset = a.onset != nullptr ? a.onset->event : nullptr;
  const EventStats* node_onset = a.node_onset != nullptr ? a.node_onset->event : nullptr;
  std::stable_sort(a.candidates.begin(), a.candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.role != y.role) return x.role == EventRole::root;
    if (x.score != y.score) return x.score > y.score;
    return x.event->first.before(y.event->first);
  });
  a.onset = a.node_onset = nullptr;
  for (const auto& c : a.candidates) {
    if (c.event == onset) a.onset = &c;
    if (c.event == node_onset) a.node_onset = &c;
  }
  // The earliest strong statement on the top node.
  const std::size_t top_n = a.top_node();
  for (const auto& c : a.candidates) {
    const auto& e = *c.event;
    if (c.framing || c.drift || c.first_outlived || (c.signatures.empty() && !c.process_died)) continue;
    if (c.score < a.options.onset_score || top_n >= e.node_first.size() || !e.node_first[top_n].valid()) continue;
    if (a.top_onset == nullptr || e.node_first[top_n].before(a.top_onset->event->node_first[top_n])) a.top_onset = &c;
  }
  if (a.top_onset == nullptr) a.top_onset = a.onset;
  // The first root evidence: where and when the failure shows.
  for (const auto& c : a.candidates) {
    if (c.drift || c.framing) continue;  // drift spans the whole run and has its own onset
    if (c.role == EventRole::root && (a.root == nullptr || c.event->first.before(a.root->event->first))) a.root = &c;
  }
  if (a.root != nullptr) return;
  for (const auto& c : a.candidates) {
    if (!c.drift && !c.framing) {
      a.root = &c;
      return;
    }
  }
}

}  // namespace l4::diagnose
