#include "diagnose/spatial_evidence.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include "diagnose/median.hpp"
#include "text/chars.hpp"

namespace l4::diagnose {
namespace {

// Letters and digits: what an address may not be glued to.
constexpr auto word_char = text::is_alnum;

}  // namespace

bool names_node(std::string_view text, std::string_view id) {
  if (id.size() < 3) return false;  // "n1"-style ids would match too much
  for (std::size_t pos = text.find(id); pos != std::string_view::npos; pos = text.find(id, pos + 1)) {
    const bool left = pos == 0 || !word_char(text[pos - 1]);
    const std::size_t end = pos + id.size();
    const bool right = end >= text.size() || !word_char(text[end]);
    if (left && right) return true;
  }
  return false;
}

std::vector<double> missing_symptom_scores(const JobScan& scan, std::span<const WeightedEvent> events) {
  const std::size_t n = scan.nodes.size();
  std::vector<double> score(n, 0.0);
  if (n < 3) return score;
  double total = 0;
  std::vector<double> counts(n);
  for (const auto& [e, weight] : events) {
    if (2 * static_cast<std::size_t>(e->node_spread()) < n) continue;
    std::fill(counts.begin(), counts.end(), 0.0);
    std::copy(e->node_counts.begin(), e->node_counts.begin() + std::min(n, e->node_counts.size()), counts.begin());
    const double typical = median(counts);
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

std::vector<std::string_view> ipv4_addresses(std::string_view text) {
  static const RE2 quad(R"((\d{1,3}(?:\.\d{1,3}){3}))");
  std::vector<std::string_view> out;
  re2::StringPiece rest(text.data(), text.size());
  re2::StringPiece found;
  while (RE2::FindAndConsume(&rest, quad, &found)) {
    // A whole dotted quad: nothing word-like or dotted glued to either end ("v10.0.0.1",
    // "1.2.3.4.5", "2.20.5.1a" are no addresses).
    const std::size_t begin = static_cast<std::size_t>(found.data() - text.data());
    const std::size_t end = begin + found.size();
    const bool left = begin == 0 || !(word_char(text[begin - 1]) || text[begin - 1] == '.');
    const bool right = end == text.size() || !(word_char(text[end]) || (text[end] == '.' && end + 1 < text.size() &&
                                                                       text::is_digit(text[end + 1])));
    if (left && right) out.push_back(text.substr(begin, found.size()));
  }
  return out;
}

std::map<std::string, std::size_t, std::less<>> node_addresses(const JobScan& scan) {
  const std::size_t n = scan.nodes.size();
  constexpr std::size_t kNobody = static_cast<std::size_t>(-1);
  std::map<std::string, std::size_t, std::less<>> owner;
  if (n < 2) return owner;
  for (const auto& e : scan.events) {
    if (2 * static_cast<std::size_t>(e.node_spread()) < n || e.node_first_parameters.size() < n) continue;
    // Each node's addresses in this event; the event is a banner when no address is shared.
    std::map<std::string_view, std::size_t> seen;
    bool banner = true;
    for (std::size_t i = 0; i < n && banner; ++i) {
      for (const auto& p : e.node_first_parameters[i]) {
        for (auto ip : ipv4_addresses(p)) {
          auto [it, fresh] = seen.emplace(ip, i);
          if (!fresh && it->second != i) banner = false;
        }
      }
    }
    if (!banner || seen.size() < 2) continue;
    for (const auto& [ip, node] : seen) {
      auto [it, fresh] = owner.emplace(std::string(ip), node);
      if (!fresh && it->second != node) it->second = kNobody;
    }
  }
  std::erase_if(owner, [&](const auto& kv) { return kv.second == kNobody; });
  return owner;
}

std::vector<double> named_node_scores(const JobScan& scan, std::span<const WeightedEvent> events) {
  const std::size_t n = scan.nodes.size();
  std::vector<double> score(n, 0.0);
  if (n < 2) return score;
  const auto addresses = node_addresses(scan);
  std::vector<bool> named(n);
  for (const auto& [e, weight] : events) {
    for (std::size_t i = 0; i < n; ++i) {
      // Only what others say of a node counts: every node names itself in its own banners.
      if (e->first.node == i) continue;
      if (names_node(e->first_content, scan.nodes[i].id)) score[i] += weight;
    }
    if (addresses.empty()) continue;
    for (std::size_t by = 0; by < std::min(n, e->node_first_parameters.size()); ++by) {
      if (by >= e->node_counts.size() || e->node_counts[by] == 0) continue;
      std::fill(named.begin(), named.end(), false);
      for (const auto& p : e->node_first_parameters[by]) {
        for (auto ip : ipv4_addresses(p)) {
          const auto it = addresses.find(ip);
          if (it != addresses.end() && it->second != by) named[it->second] = true;
        }
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (named[i]) score[i] += weight;
      }
    }
  }
  return score;
}

namespace {

// When the job began to train: the earliest time any node reported an iteration (NaN if none).
double training_start(const JobScan& scan) {
  double from = kNoTime;
  for (const auto& node : scan.nodes) {
    for (const auto& [it, t] : node.iterations) {
      if (!std::isnan(t) && !(from <= t)) from = t;
    }
  }
  return from;
}

// The job's iteration at a time: the highest any node had reported by then (-1 before any).
long iteration_at(const JobScan& scan, double time) {
  long best = -1;
  for (const auto& node : scan.nodes) {
    for (const auto& [it, t] : node.iterations) {
      if (!std::isnan(t) && t <= time) best = std::max(best, it);
    }
  }
  return best;
}

// The node whose log ratio departs most from the median of all of them, and how far it and the
// runner-up depart.
struct Outlier {
  std::size_t node = 0;
  double log_ratio = 0;  // its own
  double top = 0, second = 0;
};
Outlier outlier_of(std::span<const std::pair<double, std::size_t>> log_ratios) {
  std::vector<double> values;
  for (const auto& [v, i] : log_ratios) values.push_back(v);
  const double typical = median(std::move(values));
  Outlier o;
  for (const auto& [v, i] : log_ratios) {
    const double d = std::abs(v - typical);
    if (d > o.top) {
      o.second = o.top;
      o.top = d;
      o.node = i;
      o.log_ratio = v;
    } else if (d > o.second) {
      o.second = d;
    }
  }
  return o;
}

// The votes one node collected across (event, parameter) pairs.
struct Vote {
  std::size_t votes = 0;
  double strength = 0, best = 0;
  long since = -1;
  const EventStats* event = nullptr;
};

}  // namespace

std::optional<DriftingNode> drifting_node(const JobScan& scan, const AnalysisOptions& options) {
  const std::size_t n = scan.nodes.size();
  if (n < 3) return std::nullopt;
  const double drift = std::log(options.drift_ratio);
  const double own_departure = std::log(options.drift_own_ratio);
  // Only measurements logged while the job trained: init-time lines (NCCL channel setup, one per
  // peer) differ between nodes by design.
  const double training_from = training_start(scan);
  const auto during_training = [&](const NumericTrack& t) {
    if (t.last_iteration >= 0) return true;
    return !std::isnan(training_from) && !std::isnan(t.last_time) && t.last_time >= training_from;
  };
  std::map<std::size_t, Vote> ballot;
  std::vector<std::pair<double, std::size_t>> lr;
  for (const auto& e : scan.events) {
    for (std::size_t p = 0; p < NumericTrack::kWidth && !e.node_numbers.empty(); ++p) {
      lr.clear();
      for (std::size_t i = 0; i < std::min(n, e.node_numbers.size()); ++i) {
        const auto& t = e.node_numbers[i];
        if (t.seen < NumericTrack::kBaseline + 4 || !during_training(t)) continue;
        const double r = t.recent_ratio(p);
        if (std::isfinite(r) && r > 0) lr.emplace_back(std::log(r), i);
      }
      if (lr.size() < 3 || 2 * lr.size() < n) continue;
      const Outlier o = outlier_of(lr);
      if (o.top < drift || o.second * options.drift_isolation > o.top) continue;
      Vote& vote = ballot[o.node];
      ++vote.votes;
      vote.strength += o.top;
      if (o.top > vote.best) {
        vote.best = o.top;
        vote.event = &e;
      }
      const auto& track = e.node_numbers[o.node];
      long since = track.departed_at[p];
      if (since < 0 && !std::isnan(track.departed_time[p])) since = iteration_at(scan, track.departed_time[p]);
      if (std::abs(o.log_ratio) > own_departure && since >= 0 && (vote.since < 0 || since < vote.since)) vote.since = since;
    }
  }
  const auto best = std::max_element(ballot.begin(), ballot.end(),
                                     [](const auto& a, const auto& b) { return a.second.strength < b.second.strength; });
  if (best == ballot.end() || best->second.votes < options.drift_min_votes) return std::nullopt;
  return DriftingNode{best->first, best->second.votes, best->second.since, best->second.event};
}

}  // namespace l4::diagnose
