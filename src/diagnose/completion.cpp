// Step 2 of the analysis: success is recognised, not inferred from silence. A job that completed
// says so — a completion marker ("Training completed.", "exits successfully", "worker group
// successfully finished"), or a progress report that reached the total the run counts to
// ("iteration 3000/ 3000") — and everything before that the job outlived. What it prints after
// the last marker is teardown (peers closing connections, communicators aborted, rendezvous
// shutting down), unless a process dies there doing work: an uncaught exception the job's code
// raised, or a death a stage marker places (a final save, a test run, after "Training
// completed"), is a failure of its own. A fatal signal or a non-zero exit in unmarked teardown
// (an abort while threads and communicators are destroyed) does not undo the work the job said
// it completed: the job completed, and the report notes the teardown crash.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "diagnose/analysis.hpp"
#include "l4/io/utf8.hpp"

namespace l4::diagnose {

namespace {

// A line that says the job completed: a completion marker, or progress at the run's total.
struct Marker {
  Occurrence at;
  const std::string* text;
  bool progress_total;  // training counted to its end; the stream's stage still reads training
};

std::vector<Marker> completion_markers(const JobScan& scan) {
  std::vector<Marker> out;
  for (const auto& n : scan.nodes) {
    if (n.completed.valid()) out.push_back({n.completed, &n.completed_text, false});
    // Progress at its total completes the run only when that total is the run's length (the
    // largest any report counts to), not an evaluation loop's.
    if (n.reached_total.valid() && n.reached_total_of == scan.progress_total) {
      out.push_back({n.reached_total, &n.reached_total_text, true});
    }
  }
  std::sort(out.begin(), out.end(), [](const Marker& a, const Marker& b) { return b.at.before(a.at); });
  return out;
}

// The death undoes the completion: the process was doing work when it died (a stage marker placed
// the line: the stream's stage after the completion marker is unmarked until one does — after
// progress at its total the stage still reads training, which that progress finished), or the
// job's code raised an uncaught exception (a launcher's summary of the exit frames, it raises
// nothing of the job's).
bool died_working(const Candidate& c, bool training_finished) {
  if (!c.process_died) return false;
  const EventStats& e = *c.event;
  if (e.last.stage && !(training_finished && *e.last.stage == Stage::training)) return true;
  return !c.framing && (e.raised > 0 || e.stage_info.process_end == ProcessEnd::exception);
}

}  // namespace

void recognise_completion(Analysis& a) {
  if (!a.options.recognise_success) return;
  auto markers = completion_markers(a.scan);
  if (markers.empty()) return;
  const Occurrence& latest = markers.front().at;
  const Candidate* teardown_death = nullptr;
  for (const auto& c : a.candidates) {
    if (!c.process_died || !latest.before(c.event->last)) continue;
    if (died_working(c, markers.front().progress_total)) {
      spdlog::debug("the job said it finished, but a process died after that: '{}'", io::utf8_prefix(c.event->text, 100));
      return;
    }
    if (teardown_death == nullptr || c.event->last.before(teardown_death->event->last)) teardown_death = &c;
  }
  a.completion.completed = true;
  if (teardown_death != nullptr) {
    const EventStats& e = *teardown_death->event;
    a.completion.teardown_death = latest.before(e.first) ? cite(e.first, e.first_content, a.scan) : cite(e.last, e.text, a.scan);
  }
  for (std::size_t i = 0; i < std::min<std::size_t>(3, markers.size()); ++i) {
    a.completion.markers.push_back(cite(markers[i].at, *markers[i].text, a.scan));
  }
}

namespace {

// Neither completed nor failed by what the logs say: a job that is still running, or one that
// stopped without a word (killed, hung). Where its logs end, not a guess at why.
std::string where_logs_end(const JobScan& scan) {
  const NodeStats* latest = nullptr;
  for (const auto& n : scan.nodes) {
    if (n.last_line.valid() && (latest == nullptr || latest->last_line.before(n.last_line))) latest = &n;
  }
  std::string where;
  if (latest != nullptr && latest->last_line.stage) where = fmt::format(" during {}", to_string(*latest->last_line.stage));
  if (scan.last_iteration >= 0) where += fmt::format(" after iteration {}", scan.last_iteration);
  return "the logs do not say the job completed" + (where.empty() ? std::string() : ": they end" + where);
}

}  // namespace

void note_outcome(const Analysis& a, std::vector<std::string>& notes) {
  if (a.completion.markers.empty() && !a.scan.nodes.empty()) notes.push_back(where_logs_end(a.scan));
  if (const auto& death = a.completion.teardown_death) {
    notes.push_back(fmt::format("a process died in teardown after the job said it completed ({}:{} on {}: \"{}\"); "
                                "nothing marked new work after the completion, so the work it reported stands",
                                death->file, death->line, death->node, io::utf8_prefix(death->text, 120)));
  }
}

}  // namespace l4::diagnose
