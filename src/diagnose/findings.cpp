// Step 9 of the analysis: what the report lists — ranked faulty nodes with the ranks that logged
// their root evidence, one event per statement of the incident, the parameters that matter, and
// the deviating iterations.
#include <algorithm>
#include <cmath>
#include <set>

#include "diagnose/analysis.hpp"
#include "diagnose/event_grouping.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {

namespace {

std::vector<std::string> nodes_of(const EventStats& e, const JobScan& scan) {
  std::vector<std::string> out;
  for (std::size_t n = 0; n < e.node_counts.size(); ++n) {
    if (e.node_counts[n] > 0) out.push_back(scan.nodes[n].id);
  }
  return out;
}

std::string level_name(format::Level level) {
  const auto s = format::to_string(level);
  return s.empty() ? "" : std::string(s);
}

// The rank a root event's line on `node` was logged by: its launcher prefix, else the rank the
// line names as its own ("[Rank 3]", "rank 3" as a typed parameter). -1 when neither says.
long rank_of(const Analysis& a, const EventStats& e, std::size_t node) {
  if (node < e.node_first.size() && e.node_first[node].rank >= 0) return e.node_first[node].rank;
  if (e.first.node != node) return -1;
  for (const auto& p : a.evidence.parameters(e.first_content)) {
    if (p.type != "rank") continue;
    long value = -1;
    const auto digits = p.value.find_first_of("0123456789");
    if (digits != std::string::npos) value = std::strtol(p.value.c_str() + digits, nullptr, 10);
    return value;
  }
  return -1;
}

void list_nodes(const Analysis& a, std::size_t top_nodes, Diagnosis& d) {
  const auto& scan = a.scan;
  const double top = scan.nodes.empty() ? 0 : a.node_score[a.top_node()];
  for (std::size_t i = 0; i < std::min(top_nodes, a.node_order.size()); ++i) {
    const auto n = a.node_order[i];
    if (a.node_score[n] <= 0) break;
    NodeFinding f;
    f.node = scan.nodes[n].id;
    f.score = top > 0 ? a.node_score[n] / top : 0;
    auto evs = a.node_events[n];
    std::stable_sort(evs.begin(), evs.end(), [](auto& x, auto& y) { return x.first > y.first; });
    for (std::size_t j = 0; j < std::min<std::size_t>(5, evs.size()); ++j) f.events.push_back(parse::to_hex(evs[j].second->id));
    // Ranks of the node's root evidence, earliest first.
    std::vector<std::pair<Occurrence, long>> ranks;
    for (const auto& c : a.candidates) {
      if (c.role != EventRole::root || c.framing || n >= c.event->node_first.size() || !c.event->node_first[n].valid()) continue;
      const long r = rank_of(a, *c.event, n);
      if (r >= 0) ranks.emplace_back(c.event->node_first[n], r);
    }
    std::sort(ranks.begin(), ranks.end(), [](auto& x, auto& y) { return x.first.before(y.first); });
    for (const auto& [at, r] : ranks) {
      if (std::find(f.ranks.begin(), f.ranks.end(), r) == f.ranks.end() && f.ranks.size() < 8) f.ranks.push_back(r);
    }
    d.faulty_nodes.push_back(std::move(f));
  }
}

// One event per statement: the lines that frame or restate it (a wrapper, a stack-trace header,
// a launcher's summary) are its related events. A statement is listed at the rank of its
// strongest line, as root when any of its lines is. Every root event; symptoms only when their
// text says "failure" plainly, and a few of them: a teardown cascade prints many lines that say
// nothing new.
void list_events(const Analysis& a, std::size_t max_events, Diagnosis& d) {
  const auto& candidates = a.candidates;
  std::vector<const EventStats*> listed;
  for (const auto& c : candidates) listed.push_back(c.event);
  const auto rep = EventGrouper::embedded().representatives(listed);
  std::vector<std::vector<std::size_t>> members(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (rep[i] != EventGrouper::kNone) members[rep[i]].push_back(i);
  }
  std::vector<bool> emitted(candidates.size(), false);
  std::size_t symptoms = 0;
  for (std::size_t i = 0; i < candidates.size() && d.events.size() < max_events; ++i) {
    const std::size_t r = rep[i];
    if (r == EventGrouper::kNone || emitted[r]) continue;
    emitted[r] = true;
    const auto& c = candidates[r];
    EventRole role = EventRole::symptom;
    double score = 0, fault = 0;
    for (auto m : members[r]) {
      if (candidates[m].role == EventRole::root) role = EventRole::root;
      score = std::max(score, candidates[m].score);
      fault = std::max(fault, candidates[m].fault);
    }
    if (role == EventRole::symptom) {
      if (fault < a.options.listed_symptom_fault || symptoms >= a.options.max_symptoms_listed) continue;
      ++symptoms;
    }
    EventFinding f;
    f.event_id = parse::to_hex(c.event->id);
    f.template_text = c.event->text;
    f.role = role;
    f.score = std::round(score * 1000) / 1000;
    f.level = level_name(c.event->level);
    f.nodes = nodes_of(*c.event, a.scan);
    f.count = c.event->count;
    f.first = cite(c.event->first, c.event->first_text, a.scan);
    for (auto m : members[r]) {
      if (m != r) f.related.push_back(parse::to_hex(candidates[m].event->id));
    }
    d.events.push_back(std::move(f));
  }
}

void list_parameters(const Analysis& a, Diagnosis& d) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& c : a.candidates) {
    if (c.role != EventRole::root && d.parameters.size() >= a.options.max_parameters / 2) break;
    const std::string node = a.scan.nodes[c.event->first.node].id;
    for (const auto& p : a.evidence.parameters(c.event->first_content)) {
      if (seen.insert({p.type, p.value}).second) d.parameters.push_back(ParameterFinding{p.type, p.value, node});
    }
    if (d.parameters.size() >= a.options.max_parameters) break;
  }
}

// Iteration anomalies (L4's DTW check), earliest first. Cross-job: an iteration that only adds
// what normal jobs also do (a periodic checkpoint, an evaluation) is routine, not a deviation.
void list_anomalies(const Analysis& a, Diagnosis& d) {
  const auto& scan = a.scan;
  for (const auto& an : scan.iteration_anomalies) {
    if (d.iteration_anomalies.size() >= a.options.max_iteration_anomalies) break;
    if (a.use_history && !an.novel.empty() && std::all_of(an.novel.begin(), an.novel.end(), [&](auto id) {
          return a.history->job_fraction(parse::to_hex(id)) >= a.options.history_cutoff;
        })) {
      continue;
    }
    IterationAnomalyFinding f;
    f.iteration = an.iteration;
    f.unfinished = an.unfinished;
    f.distance = an.distance;
    f.sigmas = an.sigmas;
    f.node = an.node < scan.nodes.size() ? scan.nodes[an.node].id : "";
    f.file = an.file < scan.ingest.files.size() ? scan.ingest.files[an.file].path : "";
    f.line = an.line;
    for (auto id : an.novel) f.events.push_back(parse::to_hex(id));
    d.iteration_anomalies.push_back(std::move(f));
  }
}

}  // namespace

void list_findings(const Analysis& a, std::size_t top_nodes, std::size_t max_events, Diagnosis& d) {
  list_nodes(a, top_nodes, d);
  list_events(a, max_events, d);
  list_parameters(a, d);
  list_anomalies(a, d);
}

}  // namespace l4::diagnose
