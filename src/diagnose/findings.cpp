// Step 9 of the analysis: what the report lists — ranked faulty nodes with the ranks that logged
// their root evidence, one event per statement of the incident, the parameters that matter (the
// hardware first), the deviating iterations, and the job's course in time: when each thing was
// first seen, the stage and progress timeline, and the node × time heatmap.
#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "diagnose/analysis.hpp"
#include "diagnose/event_grouping.hpp"
#include "l4/format/timestamp.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {

namespace {

// Times of the job for people: seconds since its first stamp, and ISO-8601 dates with the year a
// line of the job prints beside its time (parse_timestamp keeps time of year only).
class TimeScale {
 public:
  explicit TimeScale(const JobScan& scan) {
    for (const auto& e : scan.events) {
      if (!std::isnan(e.first.time)) start_ = std::isnan(start_) ? e.first.time : std::min(start_, e.first.time);
      const double last = e.last.estimated_time();
      if (!std::isnan(last)) end_ = std::isnan(end_) ? last : std::max(end_, last);
      if (!reference_year_ && e.first.stamped && !std::isnan(e.first.time)) {
        reference_year_ = format::stamped_year(e.first_text, e.first.time);
        reference_time_ = e.first.time;
      }
    }
  }

  [[nodiscard]] double start() const { return start_; }
  [[nodiscard]] double end() const { return end_; }
  // Seconds since the job's first stamp (NaN when unplaced).
  [[nodiscard]] double offset(const Occurrence& o) const { return o.estimated_time() - start_; }
  [[nodiscard]] Moment at_time(double time) const {
    if (std::isnan(time) || std::isnan(start_)) return {};
    return Moment{time - start_, format::iso_timestamp(time, year_of(time))};
  }
  [[nodiscard]] Moment at(const Occurrence& o) const { return o.valid() ? at_time(o.estimated_time()) : Moment{}; }

 private:
  // A job that runs across New Year prints times of year that jump back: half a year away from
  // the dated line is the neighbouring year.
  [[nodiscard]] std::optional<int> year_of(double time) const {
    if (!reference_year_) return std::nullopt;
    constexpr double kHalfYear = 182.5 * 86400;
    if (time < reference_time_ - kHalfYear) return *reference_year_ + 1;
    if (time > reference_time_ + kHalfYear) return *reference_year_ - 1;
    return reference_year_;
  }

  double start_ = kNoTime, end_ = kNoTime;
  std::optional<int> reference_year_;
  double reference_time_ = 0;
};

Citation cite_at(const Occurrence& o, const std::string& text, const Analysis& a, const TimeScale& times) {
  Citation c = cite(o, text, a.scan);
  c.time = times.at(o);
  return c;
}

// Whether a candidate is failure evidence placed on nodes: not a drift (numbers spanning the run).
bool placed_evidence(const Candidate& c) { return !c.drift; }

// Whether a candidate shows the failure itself: evidence the report lists (a root event, or a
// symptom that says "failure" plainly) that the job did not outlive. When a node "lit up" is its
// first such event, not a deprecation warning it printed at start-up.
bool shows_failure(const Analysis& a, const Candidate& c) {
  const bool listed = c.role == EventRole::root || c.fault >= a.options.listed_symptom_fault;
  return placed_evidence(c) && listed && c.terminal >= 1;
}

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

// The earliest occurrence on node n of an event that shows the failure (invalid when none).
Occurrence first_on_node(const Analysis& a, std::size_t n) {
  Occurrence first;
  for (const auto& c : a.candidates) {
    if (!shows_failure(a, c) || n >= c.event->node_first.size()) continue;
    const auto& o = c.event->node_first[n];
    if (o.valid() && (!first.valid() || o.before(first))) first = o;
  }
  return first;
}

void list_nodes(const Analysis& a, const TimeScale& times, std::size_t top_nodes, Diagnosis& d) {
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
    for (std::size_t j = 0; j < std::min<std::size_t>(5, evs.size()); ++j) f.events.push_back(evs[j].second->id);
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
    f.first_seen = times.at(first_on_node(a, n));
    d.faulty_nodes.push_back(std::move(f));
  }
}

EventFinding finding_of(const Analysis& a, const TimeScale& times, const Candidate& c, EventRole role) {
  EventFinding f;
  f.event_id = c.event->id;
  f.template_text = c.event->text;
  f.role = role;
  f.score = std::round(c.score * 1000) / 1000;
  f.level = level_name(c.event->level);
  f.nodes = nodes_of(*c.event, a.scan);
  f.count = c.event->count;
  f.first = cite_at(c.event->first, c.event->first_text, a, times);
  return f;
}

// One event per statement: the lines that frame or restate it (a wrapper, a stack-trace header,
// a launcher's summary) are its related events. A statement is listed at the rank of its
// strongest line, as root when any of its lines is. Every root event; symptoms only when their
// text says "failure" plainly, and a few of them: a teardown cascade prints many lines that say
// nothing new.
void list_events(const Analysis& a, const TimeScale& times, std::size_t max_events, Diagnosis& d) {
  const auto& candidates = a.candidates;
  std::vector<const EventStats*> listed;
  for (const auto& c : candidates) listed.push_back(c.event);
  auto rep = EventGrouper::embedded().representatives(listed);
  // Quoted source code with no statement near it states nothing — unless the analysis made it root
  // evidence (a traceback cut before its exception line: the `raise` it quotes is all there is),
  // and the report lists what the verdict rests on.
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (rep[i] == EventGrouper::kNone && candidates[i].role == EventRole::root) rep[i] = i;
  }
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
    EventFinding f = finding_of(a, times, c, role);
    f.score = std::round(score * 1000) / 1000;
    for (auto m : members[r]) {
      if (m == r) continue;
      const auto& e = *candidates[m].event;
      f.related.push_back(e.id);
      if (f.related_lines.size() < EventFinding::kMaxRelatedLines) f.related_lines.push_back(cite_at(e.first, e.first_text, a, times));
      d.related_events.push_back(finding_of(a, times, candidates[m], candidates[m].role));
    }
    d.events.push_back(std::move(f));
  }
}

// What a parameter identifies, most useful first to whoever must act on the failure: the hardware
// to pull (PCI bus id, GPU index, Xid, HCA port, device), then what the failure said (error codes),
// then where in the job (hosts, addresses, ranks), then anything else; process paths, signals and
// source locations last (the teardown prints them for every failure alike). By parameter type
// (data/parameter_types.json).
int parameter_kind(std::string_view type) {
  static constexpr std::array<std::pair<std::string_view, int>, 20> kKinds{{
      {"pci_bus_id", 0}, {"gpu", 0}, {"xid", 0}, {"hca", 0}, {"uuid", 0},
      {"cuda_error", 1}, {"nccl_error", 1}, {"hccl_error_code", 1}, {"errno", 1}, {"error_code", 1},
      {"http_status", 1}, {"exit_code", 1},
      {"host", 2}, {"ip", 2}, {"ip_port", 2}, {"host_port", 2}, {"rank", 2}, {"local_rank", 2},
      {"path", 4}, {"signal", 4}}};
  for (const auto& [name, kind] : kKinds) {
    if (name == type) return kind;
  }
  return type == "source_location" ? 4 : 3;
}

// The parameters of the root events (and, while the list is short of half its length, of the
// strongest symptoms), in their events' order, then stably by what they identify; at most
// max_parameters. Every root event is read first, so a hardware id in a later root line is not
// crowded out by an earlier line's process details.
void list_parameters(const Analysis& a, Diagnosis& d) {
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<ParameterFinding> found;
  for (const auto& c : a.candidates) {
    if (c.role != EventRole::root && found.size() >= a.options.max_parameters / 2) break;
    const std::string node = a.scan.nodes[c.event->first.node].id;
    for (const auto& p : a.evidence.parameters(c.event->first_content)) {
      if (seen.insert({p.type, p.value}).second) found.push_back(ParameterFinding{p.type, p.value, node});
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& x, const auto& y) { return parameter_kind(x.type) < parameter_kind(y.type); });
  if (found.size() > a.options.max_parameters) found.resize(a.options.max_parameters);
  d.parameters = std::move(found);
}

// Iteration anomalies (L4's DTW check), earliest first. Cross-job: an iteration that only adds
// what normal jobs also do (a periodic checkpoint, an evaluation) is routine, not a deviation.
void list_anomalies(const Analysis& a, Diagnosis& d) {
  const auto& scan = a.scan;
  for (const auto& an : scan.iteration_anomalies) {
    if (d.iteration_anomalies.size() >= a.options.max_iteration_anomalies) break;
    if (a.use_history && !an.novel.empty() && std::all_of(an.novel.begin(), an.novel.end(), [&](auto id) {
          return a.history->job_fraction(id) >= a.options.history_cutoff;
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
    f.events.assign(an.novel.begin(), an.novel.end());
    d.iteration_anomalies.push_back(std::move(f));
  }
}

// The event's content on node n, from its template and that occurrence's parameters, when the
// template's wildcards and the parameters agree; else the template itself.
std::string content_on_node(const EventStats& e, std::size_t n) {
  if (n >= e.node_first_parameters.size()) return e.text;
  const auto& params = e.node_first_parameters[n];
  std::string out;
  std::size_t from = 0, used = 0;
  for (auto at = e.text.find("<*>"); at != std::string::npos; at = e.text.find("<*>", from)) {
    if (used == params.size()) return e.text;
    out.append(e.text, from, at - from).append(params[used++]);
    from = at + 3;
  }
  return used == params.size() ? out.append(e.text, from) : e.text;
}

// The first evidence: the earliest root event on the top node — where the failure shows on the
// node it happened to, not a symptom on another — else the analysis's first root event.
void cite_first_evidence(const Analysis& a, const TimeScale& times, Diagnosis& d) {
  const std::size_t top = a.top_node();
  const Candidate* best = nullptr;
  for (const auto& c : a.candidates) {
    if (c.role != EventRole::root || c.framing || !placed_evidence(c) || top >= c.event->node_first.size()) continue;
    const auto& o = c.event->node_first[top];
    if (o.valid() && (best == nullptr || o.before(best->event->node_first[top]))) best = &c;
  }
  if (best != nullptr) {
    const auto& e = *best->event;
    const auto& o = e.node_first[top];
    d.first_evidence = cite_at(o, e.first.node == top ? e.first_text : content_on_node(e, top), a, times);
    d.first_evidence_event = e.id;
  } else if (a.root != nullptr) {
    d.first_evidence = cite_at(a.root->event->first, a.root->event->first_text, a, times);
    d.first_evidence_event = a.root->event->id;
  }
}

bool is_setup(Stage s) { return s == Stage::init || s == Stage::loading; }

// Merges spans shorter than `shortest` seconds into the span before them, then neighbours of
// one stage into one.
std::vector<Timeline::StageSpan> merge_spans(const std::vector<Timeline::StageSpan>& spans, double shortest) {
  std::vector<Timeline::StageSpan> out;
  for (const auto& s : spans) {
    if (!out.empty() && (s.to - s.from < shortest || out.back().stage == s.stage)) {
      out.back().to = s.to;
      continue;
    }
    out.push_back(s);
  }
  return out;
}

// The job-wide stage over time, by the rule the temporal step places events with
// (temporal.cpp): stage changes of every stream by time; setup stages do not return once the job
// is past setup, nor init once it is loading.
std::vector<Timeline::StageSpan> stage_spans(const JobScan& scan, const TimeScale& times) {
  std::vector<Timeline::StageSpan> spans;
  std::optional<Stage> stage;
  for (const auto& change : scan.stage_changes) {
    if (std::isnan(change.time)) continue;
    const bool setup = is_setup(change.stage);
    if (setup && stage && !is_setup(*stage)) continue;
    if (setup && stage == Stage::loading && change.stage == Stage::init) continue;
    if (stage == change.stage) continue;
    const double at = change.time - times.start();
    if (!spans.empty()) spans.back().to = at;
    spans.push_back({change.stage, at, at});
    stage = change.stage;
  }
  if (!spans.empty()) spans.back().to = std::max(spans.back().from, times.end() - times.start());
  spans = merge_spans(spans, 0);
  // Bounded: a long run checkpoints thousands of times; spans too short to see merge away.
  const double span = times.end() - times.start();
  for (double shortest = span / 2000; spans.size() > Timeline::kMaxStages && shortest > 0; shortest *= 2) {
    spans = merge_spans(spans, shortest);
  }
  return spans;
}

// The highest iteration any stream had reported, over time: at most kMaxProgress samples, the
// last report always among them.
std::vector<Timeline::Progress> progress_samples(const JobScan& scan, const TimeScale& times) {
  std::vector<Timeline::Progress> reports;
  for (const auto& node : scan.nodes) {
    for (const auto& [iteration, time] : node.iterations) {
      if (!std::isnan(time)) reports.push_back({time - times.start(), iteration});
    }
  }
  std::sort(reports.begin(), reports.end(), [](auto& x, auto& y) { return x.offset < y.offset; });
  std::vector<Timeline::Progress> highest;
  for (const auto& r : reports) {
    if (highest.empty() || r.iteration > highest.back().iteration) highest.push_back(r);
  }
  if (highest.size() <= Timeline::kMaxProgress) return highest;
  std::vector<Timeline::Progress> out;
  const double step = static_cast<double>(highest.size() - 1) / static_cast<double>(Timeline::kMaxProgress - 1);
  for (std::size_t i = 0; i < Timeline::kMaxProgress; ++i) {
    out.push_back(highest[static_cast<std::size_t>(std::llround(static_cast<double>(i) * step))]);
  }
  return out;
}

void describe_timeline(const Analysis& a, const TimeScale& times, Diagnosis& d) {
  if (std::isnan(times.start())) return;
  d.timeline.start = times.at_time(times.start());
  d.timeline.end = times.at_time(times.end());
  d.timeline.stages = stage_spans(a.scan, times);
  d.timeline.progress = progress_samples(a.scan, times);
}

// The heatmap's time window: from the earliest to the latest first sighting on any node of the
// events that show the failure. What the job recovered from, and weak signs such as a deprecation
// warning printed at start-up, come before; they are counted as `earlier`.
std::optional<std::pair<double, double>> heatmap_window(const Analysis& a, const TimeScale& times) {
  double from = kNoTime, to = kNoTime;
  for (const auto& c : a.candidates) {
    if (!shows_failure(a, c)) continue;
    for (const auto& o : c.event->node_first) {
      const double t = o.valid() ? times.offset(o) : kNoTime;
      if (std::isnan(t)) continue;
      from = std::isnan(from) ? t : std::min(from, t);
      to = std::isnan(to) ? t : std::max(to, t);
    }
  }
  if (std::isnan(from)) return std::nullopt;
  return std::pair(from, to);
}

// Rows of the heatmap: each node by score while they fit, beyond that bands of nodes of like rank.
std::vector<std::vector<std::size_t>> heatmap_rows(const Analysis& a) {
  const auto& order = a.node_order;
  std::vector<std::vector<std::size_t>> rows;
  const bool banded = order.size() > Heatmap::kMaxRows;
  const std::size_t singles = banded ? Heatmap::kMaxSingleRows : order.size();
  for (std::size_t i = 0; i < singles; ++i) rows.push_back({order[i]});
  if (!banded) return rows;
  const std::size_t rest = order.size() - singles, bands = Heatmap::kMaxRows - singles;
  for (std::size_t b = 0; b < bands; ++b) {
    const std::size_t begin = singles + rest * b / bands, end = singles + rest * (b + 1) / bands;
    if (begin < end) rows.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(begin), order.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return rows;
}

// The bucket holding offset t (t >= map.from); a time on a bucket's edge belongs to the later one.
std::size_t bucket_of(const Heatmap& map, double t) {
  const double index = std::floor((t - map.from) / map.bucket + 1e-9);
  return std::min(Heatmap::kMaxBuckets - 1, static_cast<std::size_t>(std::max(0.0, index)));
}

Heatmap::Row heatmap_row(const Analysis& a, const TimeScale& times, const std::vector<std::size_t>& nodes,
                         const Heatmap& map) {
  const auto& scan = a.scan;
  Heatmap::Row row;
  row.nodes = static_cast<std::uint32_t>(nodes.size());
  row.label = nodes.size() == 1 ? scan.nodes[nodes[0]].id : scan.nodes[nodes.front()].id + " … " + scan.nodes[nodes.back()].id;
  row.counts.assign(Heatmap::kMaxBuckets, 0);
  const double top = a.node_score[a.top_node()];
  Occurrence first;
  for (auto n : nodes) {
    if (top > 0) row.score = std::max(row.score, a.node_score[n] / top);
    const auto o = first_on_node(a, n);
    if (o.valid() && (!first.valid() || o.before(first))) first = o;
    for (const auto& c : a.candidates) {
      if (!placed_evidence(c) || n >= c.event->node_first.size() || !c.event->node_first[n].valid()) continue;
      const double t = times.offset(c.event->node_first[n]);
      if (std::isnan(t)) ++row.unplaced;
      else if (t < map.from) ++row.earlier;
      else ++row.counts[bucket_of(map, t)];
    }
  }
  row.first_seen = times.at(first);
  return row;
}

void fill_heatmap(const Analysis& a, const TimeScale& times, Diagnosis& d) {
  const auto window = heatmap_window(a, times);
  if (!window) return;
  auto& map = d.heatmap;
  const auto [from, to] = *window;
  // One empty bucket in front, so the first cell to light up stands out.
  map.bucket = std::max(1.0, (to - from) / static_cast<double>(Heatmap::kMaxBuckets - 2));
  map.from = from - map.bucket;
  for (const auto& nodes : heatmap_rows(a)) map.rows.push_back(heatmap_row(a, times, nodes, map));
  std::size_t last = 0;  // trailing empty buckets are dropped
  for (const auto& row : map.rows) {
    for (std::size_t b = 0; b < row.counts.size(); ++b) last = row.counts[b] > 0 ? std::max(last, b + 1) : last;
  }
  for (auto& row : map.rows) row.counts.resize(std::max<std::size_t>(last, 2));
  if (d.first_evidence && d.first_evidence->time.placed() && !map.rows.empty() && d.first_evidence->node == map.rows.front().label) {
    const double t = d.first_evidence->time.offset;
    if (t >= map.from) {
      map.first_evidence_row = 0;
      map.first_evidence_bucket = std::min(map.rows.front().counts.size() - 1, bucket_of(map, t));
    }
  }
}

}  // namespace

void list_findings(const Analysis& a, std::size_t top_nodes, std::size_t max_events, Diagnosis& d) {
  const TimeScale times(a.scan);
  list_nodes(a, times, top_nodes, d);
  list_events(a, times, max_events, d);
  list_parameters(a, d);
  list_anomalies(a, d);
  cite_first_evidence(a, times, d);
  describe_timeline(a, times, d);
  fill_heatmap(a, times, d);
}

void describe_course(const Analysis& a, Diagnosis& d) {
  const TimeScale times(a.scan);
  describe_timeline(a, times, d);
  // A completed job's markers are the progress or completion lines of its nodes: date them.
  for (auto& c : d.completion) {
    for (const auto& node : a.scan.nodes) {
      for (const auto* o : {&node.completed, &node.reached_total}) {
        if (o->valid() && o->line == c.line && o->file < a.scan.ingest.files.size() && a.scan.ingest.files[o->file].path == c.file) {
          c.time = times.at(*o);
        }
      }
    }
  }
}

}  // namespace l4::diagnose
