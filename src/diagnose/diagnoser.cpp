#include "l4/diagnose/diagnoser.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "diagnose/event_evidence.hpp"
#include "diagnose/event_grouping.hpp"
#include "diagnose/input_notes.hpp"
#include "diagnose/median.hpp"
#include "diagnose/spatial_evidence.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {
namespace {

// How much the spatial evidence without an event of the node's own weighs against one root event
// on it (about 1-2): a node missing every widespread symptom, and a node others' failure lines name.
constexpr double kMissingWeight = 3.0;
constexpr double kNamedWeight = 1.5;
// The shortfall of widespread symptoms (0..1) from which a node that says nothing itself went silent.
constexpr double kSilentShortfall = 0.75;
// Each further event with a category's signature counts this much of the one before it.
constexpr double kFurtherEvidence = 0.5;
// A category score that is full support for a verdict: about one root event carrying the
// category's signature at full weight, or one job feature that defines the category.
constexpr double kStrongEvidence = 2.0;
// Deviating iterations listed in the report (earliest first).
constexpr std::size_t kMaxIterationAnomalies = 10;

// Per-event working state of the analysis.
struct Candidate {
  const EventStats* event = nullptr;
  double novelty = 1;     // cross-job: 1 - fraction of normal jobs with the event
  double fault = 0;       // how strongly its text/level says "failure" (0..1)
  double terminal = 1;    // temporal: 1 when no progress followed it on some node, else small
  double spread = 0;      // spatial: fraction of nodes that show it
  double score = 0;
  bool drift = false;     // spatial: the numbers that single out a drifting node (no error text)
  // Its line names another node ("Connection closed by remote peer gpu-a038"): evidence about that
  // peer (named_node_scores), neither about the node that logged it nor the failure's onset there.
  bool about_peer = false;
  EventRole role = EventRole::symptom;
  std::vector<std::pair<std::string, double>> categories;
};

// When the job last showed progress (an iteration report or a stage marker), job-wide.
double last_progress_time(const JobScan& scan) {
  double t = kNoTime;
  for (const auto& n : scan.nodes) {
    if (n.last_progress.valid() && !std::isnan(n.last_progress.time) && !(n.last_progress.time <= t)) {
      t = n.last_progress.time;
    }
  }
  return t;
}

// Typical seconds between iteration reports (0 when unknown).
double iteration_interval(const JobScan& scan) {
  std::vector<std::pair<long, double>> all;
  for (const auto& n : scan.nodes) all.insert(all.end(), n.iterations.begin(), n.iterations.end());
  std::sort(all.begin(), all.end());
  std::vector<double> gaps;
  for (std::size_t i = 1; i < all.size(); ++i) {
    if (all[i].first > all[i - 1].first && !std::isnan(all[i].second) && !std::isnan(all[i - 1].second)) {
      gaps.push_back((all[i].second - all[i - 1].second) / static_cast<double>(all[i].first - all[i - 1].first));
    }
  }
  const double m = median(gaps);
  return std::isnan(m) ? 0.0 : std::max(0.0, m);
}

// True when the job went on after the event: its last occurrence lies well before the job's last
// progress (time-stamped), or — without stamps — every node showing it made progress after it.
// Failures end jobs, so an event the job outlived did not cause the failure.
bool followed_by_progress(const EventStats& e, const JobScan& scan, double progress_time, double margin) {
  // An unstamped line (a traceback) happened some time after its stream's last stamp: only its
  // own file can tell whether progress followed it.
  if (e.last.valid() && !e.last.stamped && e.last.file < scan.file_last_progress.size()) {
    return scan.file_last_progress[e.last.file] > e.last.line;
  }
  // The margin allows for iterations in flight when an error strikes; setup has none, and its
  // markers are steps taken one after another, so before training their order decides.
  if (e.last.valid() && !std::isnan(e.last.time) && !std::isnan(progress_time) && scan.last_iteration >= 0) {
    return e.last.time < progress_time - margin;
  }
  bool any = false;
  for (std::size_t n = 0; n < e.node_first.size(); ++n) {
    const Occurrence& first = e.node_first[n];
    if (!first.valid()) continue;
    any = true;
    const Occurrence& progress = scan.nodes[n].last_progress;
    if (!progress.valid() || !first.before(progress)) return false;
  }
  return any;
}

std::vector<std::string> nodes_of(const EventStats& e, const JobScan& scan) {
  std::vector<std::string> out;
  for (std::size_t n = 0; n < e.node_counts.size(); ++n) {
    if (e.node_counts[n] > 0) out.push_back(scan.nodes[n].id);
  }
  return out;
}

Citation cite(const Occurrence& o, const std::string& text, const JobScan& scan) {
  Citation c;
  if (!o.valid()) return c;
  c.node = scan.nodes[o.node].id;
  c.file = o.file < scan.ingest.files.size() ? scan.ingest.files[o.file].path : "";
  c.line = o.line;
  c.text = text;
  return c;
}

// Job-level patterns that have no error text of their own.
struct Features {
  bool node_went_silent = false;        // a node lacks nearly every widespread symptom and says nothing itself
  std::size_t silent_node = 0;
  bool iteration_stall = false;
  bool iteration_slowdown = false;
  std::size_t slow_node = 0;
  long slow_since = -1;                 // iteration at which the slow node's numbers departed
  const EventStats* slow_event = nullptr;
};

Features job_features(const JobScan& scan) {
  Features f;
  const std::size_t n = scan.nodes.size();
  if (n >= 2) {
    // Iterations: every reporting node stopped at the same iteration.
    std::set<long> finals;
    std::size_t reporting = 0;
    for (const auto& node : scan.nodes) {
      if (node.last_iteration >= 0) {
        finals.insert(node.last_iteration);
        ++reporting;
      }
    }
    f.iteration_stall = reporting >= 1 && finals.size() == 1;
    // Slowdown: a node whose recent iteration intervals are far above the other nodes'.
    std::vector<std::pair<double, std::size_t>> recent;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& it = scan.nodes[i].iterations;
      if (it.size() < 6) continue;
      std::vector<double> d;
      for (std::size_t k = it.size() - 5; k < it.size(); ++k) {
        const double dt = (it[k].second - it[k - 1].second) / static_cast<double>(std::max(1L, it[k].first - it[k - 1].first));
        if (!std::isnan(dt)) d.push_back(dt);
      }
      if (!d.empty()) recent.emplace_back(median(d), i);
    }
    if (recent.size() >= 3) {
      std::vector<double> values;
      for (auto& r : recent) values.push_back(r.first);
      const double med = median(values);
      std::vector<double> dev;
      for (double v : values) dev.push_back(std::abs(v - med));
      const double mad = std::max(median(dev), 0.05 * med);
      auto worst = std::max_element(recent.begin(), recent.end());
      if (med > 0 && worst->first > med * 1.3 && (worst->first - med) / mad > 6) {
        f.iteration_slowdown = true;
        f.slow_node = worst->second;
      }
    }
    // Synchronous training slows every rank to the straggler's pace, so iteration times alike
    // across nodes do not clear it; the numbers its lines carry (compute times, waits) do.
    if (auto drift = drifting_node(scan); drift && (!f.iteration_slowdown || f.slow_node == drift->node)) {
      spdlog::debug("node {} drifts in {} parameters since iteration {}", scan.nodes[drift->node].id, drift->votes,
                    drift->since);
      f.iteration_slowdown = true;
      f.slow_node = drift->node;
      f.slow_since = drift->since;
      f.slow_event = drift->event;
    }
  }
  return f;
}

// The job's stage at an occurrence: the job-wide timeline of stage changes (every stream, by
// time; stages only move forward past setup) when the occurrence is stamped, else its stream's.
// `progress_time`: last_progress_time(scan).
Stage stage_at(const JobScan& scan, const Occurrence& at, double progress_time) {
  double time = at.estimated_time();
  // An unstamped line that ends its stream (a rank's final traceback) was written when the job
  // broke, which is no earlier than the job's last progress anywhere.
  if (!at.stamped && std::isnan(at.next_stamp) && !std::isnan(progress_time) && !(progress_time <= time)) {
    time = progress_time;
  }
  if (std::isnan(time) || scan.stage_changes.empty()) return at.stage.value_or(Stage::init);
  std::optional<Stage> stage;
  for (const auto& change : scan.stage_changes) {
    if (change.time > time) break;
    const bool setup = change.stage == Stage::init || change.stage == Stage::loading;
    const bool past_setup = stage && !(*stage == Stage::init || *stage == Stage::loading);
    if (setup && past_setup) continue;
    if (setup && stage == Stage::loading && change.stage == Stage::init) continue;
    stage = change.stage;
  }
  return stage.value_or(at.stage.value_or(Stage::init));
}

std::string level_name(format::Level level) {
  const auto s = format::to_string(level);
  return s.empty() ? "" : std::string(s);
}

}  // namespace

parse::TemplateStore known_templates(const HistoryKnowledge& history) {
  parse::TemplateStore store;
  std::vector<const std::string*> texts;
  for (const auto& [id, t] : history.templates) texts.push_back(&t.text);
  std::sort(texts.begin(), texts.end(), [](auto a, auto b) { return *a < *b; });
  for (const auto* t : texts) store.add(*t, 0);
  return store;
}

Diagnoser::Diagnoser(DiagnoseOptions options)
    : options_(std::move(options)), catalog_(options_.catalog_files) {}

Diagnosis Diagnoser::diagnose(std::span<const std::string> paths, const HistoryKnowledge* history) const {
  JobScanner scanner(options_.scan);
  if (history != nullptr && !history->templates.empty()) {
    const auto store = known_templates(*history);
    return analyze(scanner.scan(paths, &store), history);
  }
  return analyze(scanner.scan(paths), history);
}

Diagnosis Diagnoser::analyze(JobScan scan, const HistoryKnowledge* history) const {
  Diagnosis d;
  note_missing_logs(scan.ingest, d.notes);
  const bool use_history = history != nullptr && history->jobs > 0;
  if (use_history) {
    d.history = HistoryUse{history->db, history->jobs};
  } else {
    d.notes.push_back("no history of normal jobs: events were weighed by within-job evidence only "
                      "(add successful jobs with `l4 history add`)");
  }
  const std::size_t node_count = scan.nodes.size();
  const EventEvidence evidence;
  const double progress_time = last_progress_time(scan);
  // Progress within a few iterations of an event may still be the last iterations finishing.
  const double margin = std::max(10.0, 3.0 * iteration_interval(scan));

  // --- Cross-job and per-event evidence ------------------------------------------------------
  std::vector<Candidate> candidates;
  for (const auto& e : scan.events) {
    Candidate c;
    c.event = &e;
    if (use_history) {
      const double frac = history->job_fraction(parse::to_hex(e.id));
      if (frac >= options_.history_cutoff) {  // normal jobs have it: not failure-indicating
        spdlog::trace("event {} in {:.0f}% of normal jobs: '{}'", parse::to_hex(e.id), frac * 100, io::utf8_prefix(e.text, 100));
        continue;
      }
      c.novelty = 1.0 - frac;
    }
    auto matches = catalog_.match(e.text);
    if (matches.empty()) matches = catalog_.match(e.first_content);
    for (auto& m : matches) c.categories.emplace_back(std::move(m.category), m.weight);
    // Iteration reports are the job's heartbeat: failure-indicating only when a fault signature
    // shows in them ("grad norm: nan").
    if (e.stage_info.iteration_pattern >= 0 && c.categories.empty()) continue;
    c.fault = evidence.fault_score(e.first_content, e.level, !c.categories.empty());
    c.terminal = followed_by_progress(e, scan, progress_time, margin) ? 0.15 : 1.0;
    c.spread = node_count == 0 ? 0 : static_cast<double>(e.node_spread()) / static_cast<double>(node_count);
    c.score = c.novelty * c.fault * c.terminal;
    spdlog::trace("event {} novelty {:.2f} fault {:.2f} terminal {:.2f} spread {:.2f}: '{}'", parse::to_hex(e.id),
                  c.novelty, c.fault, c.terminal, c.spread, io::utf8_prefix(e.text, 100));
    if (c.fault < 0.5) continue;  // extract's keep threshold (lexicon score 2.5)
    if (c.score < 0.2) continue;
    for (std::size_t n = 0; n < node_count && !c.about_peer; ++n) {
      c.about_peer = n != e.first.node && names_node(e.first_content, scan.nodes[n].id);
    }
    candidates.push_back(std::move(c));
  }
  Features features = job_features(scan);
  if (features.slow_event != nullptr) {
    auto it = std::find_if(candidates.begin(), candidates.end(), [&](auto& c) { return c.event == features.slow_event; });
    if (it == candidates.end()) {
      Candidate c;
      c.event = features.slow_event;
      c.fault = 0.5;
      c.spread = node_count == 0 ? 0 : static_cast<double>(c.event->node_spread()) / static_cast<double>(node_count);
      c.score = 0.45;  // evidence for a node, not an onset: its first line is the first step
      candidates.push_back(std::move(c));
      it = std::prev(candidates.end());
    }
    it->drift = true;
  }
  if (candidates.empty() && !features.iteration_slowdown) {
    d.failure_found = false;
    d.verdict.category = "none";
    d.verdict.summary = "No failure evidence found: no event that normal jobs lack carries fault "
                        "semantics, and no stall or slowdown was seen.";
    d.inputs = std::move(scan.ingest);
    return d;
  }
  d.failure_found = true;

  // --- Onset: the earliest strong evidence ----------------------------------------------------
  const Candidate* onset = nullptr;
  const Candidate* node_onset = nullptr;  // the earliest about the node that logged it
  for (const auto& c : candidates) {
    if (c.score < 0.5) continue;
    if (onset == nullptr || c.event->first.before(onset->event->first)) onset = &c;
    if (!c.about_peer && (node_onset == nullptr || c.event->first.before(node_onset->event->first))) node_onset = &c;
  }
  if (onset == nullptr && !candidates.empty()) onset = &candidates.front();

  // --- Spatial: nodes whose events deviate --------------------------------------------------------
  std::vector<double> node_score(node_count, 0.0);
  std::vector<std::vector<std::pair<double, std::size_t>>> node_events(node_count);
  for (std::size_t ci = 0; ci < candidates.size(); ++ci) {
    const Candidate& c = candidates[ci];
    const auto& e = *c.event;
    const double k = static_cast<double>(e.node_spread());
    // An event on one node singles it out; an event on every node says nothing about which.
    const double spatial = node_count <= 1 ? 1.0 : (static_cast<double>(node_count) - k + 1) / static_cast<double>(node_count);
    if (c.about_peer) continue;
    for (std::size_t n = 0; n < e.node_counts.size(); ++n) {
      if (e.node_counts[n] == 0) continue;
      double w = c.score * spatial * spatial;
      if (node_onset != nullptr && e.node_first[n].valid() && !node_onset->event->first.before(e.node_first[n])) {
        w *= 2.0;  // this node shows the earliest evidence of the failure
      }
      node_score[n] += w;
      node_events[n].emplace_back(w, ci);
    }
  }
  {
    std::vector<WeightedEvent> weighted;
    for (const auto& c : candidates) weighted.push_back({c.event, c.score});
    const auto missing = missing_symptom_scores(scan, weighted);
    const auto named = named_node_scores(scan, weighted);
    for (std::size_t n = 0; n < node_count; ++n) {
      node_score[n] += kMissingWeight * missing[n] + kNamedWeight * std::min(2.0, named[n]);
    }
    // A node that reported (almost) none of what every other node did, and no failure of its own,
    // went silent: lost, powered off, cut from the network.
    const auto most = std::max_element(missing.begin(), missing.end());
    const auto n = static_cast<std::size_t>(most - missing.begin());
    if (most != missing.end()) spdlog::debug("largest symptom shortfall: {:.2f} on {}", *most, scan.nodes[n].id);
    if (most != missing.end() && *most >= kSilentShortfall) {
      const bool says_something = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
        return !c.categories.empty() && n < c.event->node_counts.size() && c.event->node_counts[n] > 0 &&
               c.spread <= 0.34;
      });
      if (!says_something) {
        features.node_went_silent = true;
        features.silent_node = n;
      }
    }
  }
  if (features.iteration_slowdown) node_score[features.slow_node] += 2.0;
  if (options_.ranking != NodeRanking::l4) {
    // The L4 paper's baselines: earliest first error line, or most error lines.
    std::vector<std::size_t> by(node_count);
    std::iota(by.begin(), by.end(), 0);
    if (options_.ranking == NodeRanking::first_error) {
      std::stable_sort(by.begin(), by.end(), [&](auto a, auto b) {
        const auto& x = scan.nodes[a].first_error;
        const auto& y = scan.nodes[b].first_error;
        if (x.valid() != y.valid()) return x.valid();
        return x.valid() && x.before(y);
      });
    } else {
      std::stable_sort(by.begin(), by.end(), [&](auto a, auto b) { return scan.nodes[a].errors > scan.nodes[b].errors; });
    }
    for (std::size_t r = 0; r < by.size(); ++r) node_score[by[r]] = static_cast<double>(by.size() - r);
  }

  std::vector<std::size_t> order(node_count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return node_score[a] > node_score[b]; });
  const double top = node_count > 0 ? node_score[order[0]] : 0;
  for (std::size_t i = 0; i < std::min(options_.top_nodes, node_count); ++i) {
    const auto n = order[i];
    if (node_score[n] <= 0) break;
    NodeFinding f;
    f.node = scan.nodes[n].id;
    f.score = top > 0 ? node_score[n] / top : 0;
    auto evs = node_events[n];
    std::stable_sort(evs.begin(), evs.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t j = 0; j < std::min<std::size_t>(5, evs.size()); ++j) {
      f.events.push_back(parse::to_hex(candidates[evs[j].second].event->id));
    }
    d.faulty_nodes.push_back(std::move(f));
  }
  const std::size_t top_node = node_count > 0 ? order[0] : 0;

  // --- Roles: root evidence is local to the faulty node or comes first; the rest are symptoms --
  for (auto& c : candidates) {
    const auto& e = *c.event;
    const bool on_top = top_node < e.node_counts.size() && e.node_counts[top_node] > 0;
    const bool local = c.spread <= 0.34 || e.node_spread() <= 1;
    const bool first = onset != nullptr && &c == onset;
    c.role = (on_top && local) || first || c.drift ? EventRole::root : EventRole::symptom;
    if (c.role == EventRole::root) c.score *= 1.25;
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.role != b.role) return a.role == EventRole::root;
    if (a.score != b.score) return a.score > b.score;
    return a.event->first.before(b.event->first);
  });

  // --- Temporal: stage and iteration of the first root evidence --------------------------------
  const Candidate* root = nullptr;
  for (const auto& c : candidates) {
    if (c.drift) continue;  // its lines span the whole run; the drift has its own onset
    if (c.role == EventRole::root && (root == nullptr || c.event->first.before(root->event->first))) root = &c;
  }
  if (root == nullptr) {
    for (const auto& c : candidates) {
      if (!c.drift) {
        root = &c;
        break;
      }
    }
  }
  if (root != nullptr) {
    const Occurrence& at = root->event->first;
    d.stage = stage_at(scan, at, progress_time);
    // Iterations only mean something once training started. The last one reported anywhere is
    // the last completed: nothing completes after a failure, and the final report is often
    // logged a moment after the root event. A failure in training breaks the next iteration;
    // one in evaluation or checkpointing, the iteration being evaluated or saved.
    long last = scan.last_iteration;
    if (last < 0) last = at.iteration;
    if (last >= 0 && d.stage != Stage::init && d.stage != Stage::loading) {
      d.last_completed = last;
      d.failed_at = d.stage == Stage::training ? last + 1 : last;
    }
  } else if (features.iteration_slowdown) {
    d.stage = Stage::training;
    if (scan.last_iteration >= 0) d.last_completed = scan.last_iteration;
  }

  // --- Verdict: catalogue signatures over events, plus job features ----------------------------
  std::map<std::string, double> category_score;
  std::map<std::string, std::vector<double>> category_votes;
  std::map<std::string, std::vector<std::string>> category_evidence;
  // Categories something positive speaks for: a signature among the events, or a job feature that
  // was seen (a stall, a slowdown, a silent node). "No known signature" alone speaks for none.
  std::set<std::string> evidenced;
  for (const auto& c : candidates) {
    const double role = c.role == EventRole::root ? 2.0 : 0.5;
    for (const auto& [category, weight] : c.categories) {
      category_votes[category].push_back(c.score * weight * role);
      evidenced.insert(category);
      auto& ev = category_evidence[category];
      if (ev.size() < 3) ev.push_back(fmt::format("'{}' ({})", io::utf8_prefix(c.event->text, 120), to_string(c.role)));
    }
  }
  // The strongest event speaks for a category; more events add less and less. One fault prints
  // its signature in several templates (a peer address the parser split), which is one piece of
  // evidence, not several.
  for (auto& [category, votes] : category_votes) {
    std::sort(votes.begin(), votes.end(), std::greater<>());
    double score = 0, share = 1;
    for (double v : votes) {
      score += share * v;
      share *= kFurtherEvidence;
    }
    category_score[category] = score;
  }
  for (const auto& [specific, general] : catalog_.refinements()) {
    auto own = category_score.find(specific);
    auto inherited = category_score.find(general);
    if (own != category_score.end() && inherited != category_score.end()) own->second += inherited->second;
  }
  auto add_feature = [&](bool on, JobFeature name, const std::string& why) {
    if (!on) return;
    for (const auto& [category, weight] : catalog_.feature(name)) {
      category_score[category] += weight;
      category_evidence[category].push_back(why);
      if (name != JobFeature::no_root_text) evidenced.insert(category);
    }
  };
  // A known fault signature anywhere among the failure events (not one of the categories that
  // stand for "no signature", such as a hang) is root text, on one node or on all of them.
  std::set<std::string> signature_free;
  for (const auto& [category, weight] : catalog_.feature(JobFeature::no_root_text)) signature_free.insert(category);
  const bool root_has_text = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
    return !c.drift && std::any_of(c.categories.begin(), c.categories.end(),
                                   [&](auto& cw) { return !signature_free.contains(cw.first); });
  });
  const bool silent = features.node_went_silent;
  add_feature(silent, JobFeature::node_went_silent,
              fmt::format("node {} reported none of what the other nodes did, and nothing of its own",
                          scan.nodes[features.silent_node].id));
  add_feature(features.iteration_stall && !root_has_text && !silent, JobFeature::iteration_stall,
              "every node stopped reporting iterations at the same one");
  add_feature(features.iteration_slowdown, JobFeature::iteration_slowdown,
              fmt::format("node {}'s iterations took markedly longer than the others'", scan.nodes[features.slow_node].id));
  add_feature(!root_has_text && !silent, JobFeature::no_root_text, "no error text with a known fault signature precedes the symptoms");

  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [category, score] : category_score) {
    spdlog::debug("category {}: {:.3f}", category, score);
    ranked.emplace_back(score, category);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.first > b.first; });
  if (ranked.empty() || !evidenced.contains(ranked[0].second)) {
    // Failure lines with no known signature and no pattern of the job: say so rather than guess.
    d.verdict.category = "unknown";
    d.verdict.confidence = 0.2;
    d.verdict.evidence = {"no event carries a signature of the catalogue, and no stall, slowdown or "
                          "silent node was seen (extend the catalogue with --catalog FILE)"};
  } else {
    d.verdict.category = ranked[0].second;
    // How far the winner leads, scaled down when even the winner has little behind it.
    const double second = ranked.size() > 1 ? ranked[1].first : 0;
    const double lead = std::clamp(0.5 + 0.5 * (ranked[0].first - second) / (ranked[0].first + 1e-9), 0.0, 1.0);
    d.verdict.confidence = lead * std::min(1.0, ranked[0].first / kStrongEvidence);
    d.verdict.evidence = category_evidence[ranked[0].second];
  }

  // A failure the catalogue explains by a slowdown broke where the slow node's numbers departed.
  if (features.iteration_slowdown && features.slow_since >= 0) {
    const auto explained = catalog_.feature(JobFeature::iteration_slowdown);
    if (std::any_of(explained.begin(), explained.end(), [&](auto& cw) { return cw.first == d.verdict.category; })) {
      d.stage = Stage::training;
      d.failed_at = features.slow_since;
      if (scan.last_iteration >= 0) d.last_completed = scan.last_iteration;
    }
  }

  // --- Events and parameters for the report -----------------------------------------------------
  // One event per statement: the lines that frame or restate it (a wrapper, a stack-trace header,
  // a launcher's summary) are its related events. A statement is listed at the rank of its
  // strongest line, as root when any of its lines is. Every root event; symptoms only when their
  // text says "failure" plainly, and a few of them: a teardown cascade prints many lines that say
  // nothing new.
  std::vector<const EventStats*> listed_events;
  for (const auto& c : candidates) listed_events.push_back(c.event);
  const auto rep = EventGrouper::embedded().representatives(listed_events);
  std::vector<std::vector<std::size_t>> members(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (rep[i] != EventGrouper::kNone) members[rep[i]].push_back(i);
  }
  std::vector<bool> emitted(candidates.size(), false);
  std::size_t symptoms_listed = 0;
  for (std::size_t i = 0; i < candidates.size() && d.events.size() < options_.max_events; ++i) {
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
      if (fault < 0.8 || symptoms_listed >= 10) continue;
      ++symptoms_listed;
    }
    EventFinding f;
    f.event_id = parse::to_hex(c.event->id);
    f.template_text = c.event->text;
    f.role = role;
    f.score = std::round(score * 1000) / 1000;
    f.level = level_name(c.event->level);
    f.nodes = nodes_of(*c.event, scan);
    f.count = c.event->count;
    f.first = cite(c.event->first, c.event->first_text, scan);
    for (auto m : members[r]) {
      if (m != r) f.related.push_back(parse::to_hex(candidates[m].event->id));
    }
    d.events.push_back(std::move(f));
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& c : candidates) {
    if (c.role != EventRole::root && d.parameters.size() >= 6) break;
    const std::string node = scan.nodes[c.event->first.node].id;
    for (const auto& p : evidence.parameters(c.event->first_content)) {
      if (seen.insert({p.type, p.value}).second) d.parameters.push_back(ParameterFinding{p.type, p.value, node});
    }
    if (d.parameters.size() >= 12) break;
  }

  // --- Iteration anomalies (L4's DTW check), earliest first -------------------------------------
  for (const auto& a : scan.iteration_anomalies) {
    if (d.iteration_anomalies.size() >= kMaxIterationAnomalies) break;
    // Cross-job: an iteration that only adds what normal jobs also do (a periodic checkpoint, an
    // evaluation) is routine, not a deviation.
    if (use_history && !a.novel.empty() && std::all_of(a.novel.begin(), a.novel.end(), [&](auto id) {
          return history->job_fraction(parse::to_hex(id)) >= options_.history_cutoff;
        })) {
      continue;
    }
    IterationAnomalyFinding f;
    f.iteration = a.iteration;
    f.unfinished = a.unfinished;
    f.distance = a.distance;
    f.sigmas = a.sigmas;
    f.node = a.node < scan.nodes.size() ? scan.nodes[a.node].id : "";
    f.file = a.file < scan.ingest.files.size() ? scan.ingest.files[a.file].path : "";
    f.line = a.line;
    for (auto id : a.novel) f.events.push_back(parse::to_hex(id));
    d.iteration_anomalies.push_back(std::move(f));
  }

  // --- Summary ------------------------------------------------------------------------------------
  std::string where = d.faulty_nodes.empty() ? "no single node" : "node " + d.faulty_nodes.front().node;
  std::string when = d.stage ? std::string(to_string(*d.stage)) : "an unknown stage";
  if (d.failed_at) when += fmt::format(" (iteration {})", *d.failed_at);
  else if (d.last_completed) when += fmt::format(" (after iteration {})", *d.last_completed);
  d.verdict.summary = fmt::format("The job most likely failed because of {} on {}, during {}.", d.verdict.category, where, when);
  if (root != nullptr) {
    const auto c = cite(root->event->first, root->event->first_text, scan);
    d.verdict.summary += fmt::format(" First evidence: {}:{} on {}: \"{}\".", c.file, c.line, c.node,
                                     io::utf8_prefix(c.text, 160));
  }
  const auto symptoms = std::count_if(candidates.begin(), candidates.end(), [](auto& c) { return c.role == EventRole::symptom; });
  if (symptoms > 0) {
    d.verdict.summary += fmt::format(" {} further event{} on other nodes look like consequences (symptoms).",
                                     symptoms, symptoms == 1 ? "" : "s");
  }
  d.inputs = std::move(scan.ingest);
  return d;
}

std::string_view to_string(EventRole role) { return role == EventRole::root ? "root" : "symptom"; }

}  // namespace l4::diagnose
