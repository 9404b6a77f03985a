// Step 1 of the analysis: which events are failure-indicating, and how strongly.
//   cross-job — events that normal jobs (the history) also show are not failure-indicating;
//   semantics — the event's words and level say "failure" (extract's lexicon) or a catalogue
//               signature matches it;
//   temporal  — an event the job outlived (progress followed it) was recovered from.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "diagnose/analysis.hpp"
#include "diagnose/event_grouping.hpp"
#include "diagnose/median.hpp"
#include "diagnose/spatial_evidence.hpp"
#include "l4/parse/template_id.hpp"
#include "l4/io/utf8.hpp"

namespace l4::diagnose {

double last_progress_time(const JobScan& scan) {
  double t = kNoTime;
  for (const auto& n : scan.nodes) {
    if (n.last_progress.valid() && !std::isnan(n.last_progress.time) && !(n.last_progress.time <= t)) {
      t = n.last_progress.time;
    }
  }
  return t;
}

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

Citation cite(const Occurrence& o, const std::string& text, const JobScan& scan) {
  Citation c;
  if (!o.valid()) return c;
  c.node = scan.nodes[o.node].id;
  c.file = o.file < scan.ingest.files.size() ? scan.ingest.files[o.file].path : "";
  c.line = o.line;
  c.text = text;
  return c;
}

namespace {

// True when the job went on after the event: its last occurrence lies well before the job's last
// progress (by time: its own stamp, or for an unstamped line the next stamp of its stream, which
// bounds when it was written), or — without times — every node showing it made progress after
// it. Failures end jobs, so an event the job outlived did not cause the failure.
bool followed_by_progress(const Occurrence& last, const EventStats& e, const JobScan& scan, double progress_time,
                          double margin) {
  // An unstamped line that ended its stream (a traceback at the very end) has no upper bound in
  // time: only its own file can tell whether progress followed it.
  if (last.valid() && !last.stamped && std::isnan(last.next_stamp) && last.file < scan.file_last_progress.size()) {
    return scan.file_last_progress[last.file] > last.line;
  }
  // The margin allows for iterations in flight when an error strikes; setup has none: its steps
  // are taken one after another, so before training any later progress anywhere (a new stage) means
  // the job went on.
  const double when = last.estimated_time();
  if (last.valid() && !std::isnan(when) && !std::isnan(progress_time)) {
    return when < progress_time - (scan.last_iteration >= 0 ? margin : 0.0);
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

// The line says its process died: an uncaught exception, a fatal signal, a non-zero exit report.
bool says_process_died(const EventStats& e) {
  if (e.raised > 0) return true;
  switch (e.stage_info.process_end) {
    case ProcessEnd::exception:
    case ProcessEnd::signal:
      return true;
    case ProcessEnd::exit_report:
      return e.exits_nonzero > 0;
    case ProcessEnd::none:
      break;
  }
  return false;
}

bool informational(format::Level level) {
  return level != format::Level::unknown && level <= format::Level::info;
}

// One line, one statement: when signatures of several categories match it, a program's own
// message wins over generic text, then the most specific — a category under another, or one that
// refines another, rather than that other ("NVRM: ... fallen off the bus" is the GPU falling off,
// not just the GPU driver speaking; an IB-verbs error naming a GID is RoCE's), then the more
// diagnostic category (its catalogue weight: "DataLoader worker (pid 7) is killed by signal: Bus
// error" is shared memory running out, not just a data loader failing), then the signature that
// matched the most text.
void keep_most_specific(std::vector<SignatureMatch>& matches, const CategoryCatalog& catalog) {
  // A program's own message says what failed; a text many programs print (an OS error string it
  // quotes: "ssh: Could not resolve hostname n7: Name or service not known") only why, below it.
  if (std::any_of(matches.begin(), matches.end(), [](const SignatureMatch& m) { return !m.generic; })) {
    std::erase_if(matches, [](const SignatureMatch& m) { return m.generic; });
  }
  const auto refinements = catalog.refinements();
  const auto more_specific = [&](const SignatureMatch& o, const SignatureMatch& m) {
    if (o.category.size() > m.category.size() && o.category.starts_with(m.category + "/")) return true;
    return std::find(refinements.begin(), refinements.end(), std::pair(o.category, m.category)) != refinements.end();
  };
  std::erase_if(matches, [&](const SignatureMatch& m) {
    return std::any_of(matches.begin(), matches.end(), [&](const SignatureMatch& o) { return more_specific(o, m); });
  });
  // The categories that stand for "no signature" (a hang: only a timeout was seen) yield to any
  // other on the same line: a line that names what timed out ("Call to ibv_modify_qp failed with
  // 110 Connection timed out") is about that.
  const auto hangs = catalog.feature(JobFeature::no_root_text);
  const auto is_hang = [&](const SignatureMatch& m) {
    return std::any_of(hangs.begin(), hangs.end(), [&](const auto& cw) { return cw.first == m.category; });
  };
  if (!std::all_of(matches.begin(), matches.end(), is_hang)) std::erase_if(matches, is_hang);
  const auto better = [](const SignatureMatch& x, const SignatureMatch& y) {
    return x.length != y.length ? x.length > y.length : x.weight > y.weight;
  };
  const auto best = std::min_element(matches.begin(), matches.end(), better);
  if (best == matches.end()) return;
  const SignatureMatch top = *best;
  std::erase_if(matches, [&](const SignatureMatch& m) { return better(top, m); });
}

// What a negative exit code says: the process was killed by that signal. POSIX/Linux numbering.
std::string killed_by(long code) {
  static constexpr std::pair<long, const char*> kSignals[] = {{1, "SIGHUP"},  {2, "SIGINT"},  {4, "SIGILL"},
                                                              {6, "SIGABRT"}, {7, "SIGBUS"},  {8, "SIGFPE"},
                                                              {9, "SIGKILL"}, {11, "SIGSEGV"}, {15, "SIGTERM"}};
  const long signal = -code;
  for (const auto& [number, name] : kSignals) {
    if (number == signal) return "killed by signal " + std::to_string(signal) + " (" + name + ")";
  }
  return "killed by signal " + std::to_string(signal);
}

// Signatures of what an exit report states: the exit code is the evidence ("exitcode: -9" is a
// process killed by SIGKILL, whatever words the launcher wraps it in).
void add_exit_signatures(const CategoryCatalog& catalog, const EventStats& e, std::vector<SignatureMatch>& out) {
  if (e.stage_info.process_end != ProcessEnd::exit_report || e.exits_nonzero == 0 || e.first_nonzero_exit >= 0) return;
  for (auto& m : catalog.match(killed_by(e.first_nonzero_exit))) {
    const bool known = std::any_of(out.begin(), out.end(), [&](const SignatureMatch& o) { return o.category == m.category; });
    if (!known) out.push_back(std::move(m));
  }
}

// A launcher's report that a process exited with code 0 and never otherwise: news of success.
bool reports_clean_exit(const EventStats& e) {
  return e.stage_info.process_end == ProcessEnd::exit_report && e.exits_zero > 0 && e.exits_nonzero == 0;
}

// The catalogue's matches in an event's template and in a line of it: the template keeps the
// words all its lines share, the line its values (the Xid number that says which fault).
struct EventMatches {
  std::vector<SignatureMatch> in_template, in_line;

  // A list of possible causes on the line ("There are some potential root causes. (1) ...") names
  // hypotheses: signatures are matched on the text before it.
  EventMatches(const CategoryCatalog& catalog, const EventStats& e, const EventGrouper& grouper)
      : in_template(catalog.match(grouper.before_hedge(e.text))), in_line(catalog.match(grouper.before_hedge(e.first_content))) {}

  // A signature matches the line but not its template: the line's values carry it.
  [[nodiscard]] bool values_carry_signature() const {
    return std::any_of(in_line.begin(), in_line.end(), [&](const SignatureMatch& m) {
      return std::none_of(in_template.begin(), in_template.end(), [&](const auto& t) { return t.category == m.category; });
    });
  }

  // Both, one match per category (the longer where both have it).
  [[nodiscard]] std::vector<SignatureMatch> merged() && {
    std::vector<SignatureMatch> out = std::move(in_template);
    for (auto& m : in_line) {
      auto same = std::find_if(out.begin(), out.end(), [&](auto& o) { return o.category == m.category; });
      if (same == out.end()) {
        out.push_back(std::move(m));
      } else if (m.length > same->length) {
        *same = std::move(m);
      }
    }
    return out;
  }
};

}  // namespace

void weigh_events(Analysis& a) {
  const JobScan& scan = a.scan;
  const auto& opt = a.options;
  const std::size_t node_count = scan.nodes.size();
  const EventGrouper& grouper = EventGrouper::embedded();
  for (const auto& e : scan.events) {
    Candidate c;
    c.event = &e;
    EventMatches matches(a.catalog, e, grouper);
    if (a.use_history) {
      const double frac = a.history->job_fraction(e.id);
      // Normal jobs have the template: not failure-indicating — unless the fault is in the values
      // of this job's line, which normal jobs did not print ("'grad_norm': nan" in a report
      // template every run has).
      if (frac >= opt.history_cutoff && !matches.values_carry_signature()) {
        spdlog::trace("event {} in {:.0f}% of normal jobs: '{}'", parse::to_hex(e.id), frac * 100, io::utf8_prefix(e.text, 100));
        continue;
      }
      c.novelty = 1.0 - frac;
    }
    if (reports_clean_exit(e)) continue;
    c.signatures = std::move(matches).merged();
    keep_most_specific(c.signatures, a.catalog);
    // A line the program logged as INFO or DEBUG is not an error in its own eyes ("NCCL INFO
    // [Service thread] Connection closed by localRank 0" at teardown): only signs that are values
    // of the job's reports (a NaN loss) count there.
    if (informational(e.level)) {
      std::erase_if(c.signatures, [&](const SignatureMatch& m) { return !a.catalog.in_reports(m.category); });
    }
    add_exit_signatures(a.catalog, e, c.signatures);
    c.process_died = says_process_died(e);
    // Iteration reports are the job's heartbeat: failure-indicating only when a fault signature
    // shows in them ("grad norm: nan").
    if (e.stage_info.iteration_pattern >= 0 && c.signatures.empty()) continue;
    c.fault = a.evidence.fault_score(e.first_content, e.level, !c.signatures.empty() || c.process_died);
    // What a program logs as INFO or DEBUG it does not consider an error, whatever words it holds
    // ("NCCL_IB_TIMEOUT set by environment to 22"); a progress report with a fault value is the
    // exception (its signature kept it).
    if (informational(e.level) && c.signatures.empty()) c.fault *= opt.informational_factor;
    c.terminal = followed_by_progress(e.last, e, scan, a.progress_time, a.margin) ? opt.outlived_factor : 1.0;
    // A condition that recurs — the job outlived its first occurrence — did not start the failure,
    // whatever its last occurrence did.
    c.first_outlived = c.terminal == 1.0 && e.count > 1 && followed_by_progress(e.first, e, scan, a.progress_time, a.margin);
    c.spread = node_count == 0 ? 0 : static_cast<double>(e.node_spread()) / static_cast<double>(node_count);
    c.score = c.novelty * c.fault * c.terminal;
    spdlog::trace("event {} novelty {:.2f} fault {:.2f} terminal {:.2f} spread {:.2f}: '{}'", parse::to_hex(e.id),
                  c.novelty, c.fault, c.terminal, c.spread, io::utf8_prefix(e.text, 100));
    if (c.fault < opt.keep_fault || c.score < opt.keep_score) continue;
    for (std::size_t n = 0; n < node_count && !c.about_peer; ++n) {
      c.about_peer = n != e.first.node && names_node(e.first_content, scan.nodes[n].id);
    }
    a.candidates.push_back(std::move(c));
  }
  // Framing is a line's relation to the others of its block (a launcher's report of its
  // command's failure frames the error printed before it).
  std::vector<const EventStats*> events;
  for (const auto& c : a.candidates) events.push_back(c.event);
  const auto framing = grouper.framing(events);
  for (std::size_t i = 0; i < a.candidates.size(); ++i) a.candidates[i].framing = framing[i];
}

}  // namespace l4::diagnose
