// Step 8 of the analysis (L4's temporal pattern): the stage and iteration where the failure
// shows — those of the first root event. A stage comes only from what the logs mark (stage
// markers, iteration reports); when nothing marks one, the stage is unknown (null), never a
// default. A failure inside an iteration sequence is in training.
#include <algorithm>
#include <cmath>

#include "diagnose/analysis.hpp"
#include "diagnose/event_grouping.hpp"

namespace l4::diagnose {

namespace {

bool is_setup(Stage s) { return s == Stage::init || s == Stage::loading; }


// Of the stage-naming frames [first, last) of one traceback (outermost first): the innermost that
// names a stage outright, else the innermost fallback one (a constructor, when nothing else says).
template <typename It>
std::optional<Stage> innermost_stage(It first, It last) {
  std::optional<Stage> fallback;
  for (auto i = last; i != first;) {
    --i;
    if (!i->fallback) return i->stage;
    if (!fallback) fallback = i->stage;
  }
  return fallback;
}

// What the traceback around a line says the process was doing: the innermost stage-naming frame
// of the traceback just before it (its own: frames each within `block` lines of the next; the
// line itself counts when it names one, a refused constructor call), else of the one just after
// it (a chained exception's, or the launcher's around it), within one block of lines.
std::optional<Stage> traceback_stage(const JobScan& scan, const Occurrence& at, std::uint64_t block) {
  const auto& frames = scan.frame_stages;
  auto it = std::upper_bound(frames.begin(), frames.end(), std::pair(at.file, at.line), [](auto key, const FrameStage& f) {
    return key.first != f.file ? key.first < f.file : key.second < f.line;
  });
  if (it != frames.begin() && std::prev(it)->file == at.file && std::prev(it)->line + block >= at.line) {
    auto first = std::prev(it);
    while (first != frames.begin() && std::prev(first)->file == at.file && std::prev(first)->line + block >= first->line) {
      --first;
    }
    return innermost_stage(first, it);
  }
  auto last = it;
  while (last != frames.end() && last->file == at.file && last->line <= at.line + block) ++last;
  return innermost_stage(it, last);
}

// The job's stage at an occurrence: what its traceback says, else the job-wide timeline of stage
// changes (every stream, by time; stages only move forward past setup) when the occurrence is
// stamped, else its stream's.
// `own`: the stage the line's own words mark, if any (a "{'loss': nan, ...}" report is training).
std::optional<Stage> stage_at(const JobScan& scan, const Occurrence& at, double progress_time, std::optional<Stage> own) {
  // The process's own stack says what it was doing when it raised.
  if (auto frame = traceback_stage(scan, at, EventGrouper::embedded().block_lines())) return frame;
  double time = at.estimated_time();
  // An unstamped line that ends its stream (a rank's final traceback) was written when the job
  // broke, which is no earlier than the job's last progress anywhere.
  const bool ends_stream = !at.stamped && std::isnan(at.next_stamp);
  if (ends_stream && !std::isnan(progress_time) && !(progress_time <= time)) time = progress_time;
  if (std::isnan(time) || scan.stage_changes.empty()) {
    if (at.stage) return at.stage;
    if (own) return own;
    // A stream that says nothing of its stage and ends with the failure broke where the job was:
    // training, when the job reported iterations.
    if (ends_stream && scan.last_iteration >= 0) return Stage::training;
    return std::nullopt;
  }
  std::optional<Stage> stage;
  for (const auto& change : scan.stage_changes) {
    if (change.time > time) break;
    const bool setup = is_setup(change.stage);
    const bool past_setup = stage && !is_setup(*stage);
    if (setup && past_setup) continue;
    if (setup && stage == Stage::loading && change.stage == Stage::init) continue;
    stage = change.stage;
  }
  if (stage) return stage;
  return at.stage ? at.stage : own;
}

// The collective a line names is numbered in its process group ("WorkNCCL(SeqNum=469508"): set-up
// (the first barrier, a model's broadcast) runs a few dozen at most, the training loop one or more
// per iteration, so a number past stages.json's 'collectives' threshold says the job was training.
// The highest any line of the event names counts: process groups number apart (a pipeline group
// at 33 while the data-parallel group is at 1796), and one past setup says the job was.
bool past_setup_by_collectives(const EventStats& e) {
  return e.stage_info.collective_parameter >= 0 && e.max_collective >= e.stage_info.past_setup_collectives;
}

}  // namespace

void locate_in_time(const Analysis& a, Diagnosis& d) {
  const JobScan& scan = a.scan;
  if (a.root != nullptr) {
    const Occurrence& at = a.root->event->first;
    // A report that is itself the failure ("{'loss': nan, ...}") marks its own stage; an error's
    // words do not (a DataLoader worker dying is not setup work).
    const auto& e = *a.root->event;
    const bool report = e.level < format::Level::warn && !a.root->process_died;
    d.stage = stage_at(scan, at, a.progress_time, report ? e.stage_info.marks : std::nullopt);
    if (!d.stage && past_setup_by_collectives(e)) d.stage = Stage::training;
    // Iterations only mean something once training started. The last one reported anywhere is
    // the last completed: nothing completes after a failure, and the final report is often
    // logged a moment after the root event. A failure in training breaks the next iteration;
    // one in evaluation or checkpointing, the iteration being evaluated or saved.
    long last = scan.last_iteration;
    if (last < 0) last = at.iteration;
    if (last >= 0 && d.stage && !is_setup(*d.stage)) {
      d.last_completed = last;
      d.failed_at = d.stage == Stage::training ? last + 1 : last;
    }
  } else if (a.features.iteration_slowdown) {
    d.stage = Stage::training;
    if (scan.last_iteration >= 0) d.last_completed = scan.last_iteration;
  }
}

namespace {

// The stage the root evidence's own message places the failure in: a signature of the verdict's
// category (or one under it) whose source says where the program prints it.
std::optional<Stage> stage_of_message(const Analysis& a, const Diagnosis& d) {
  const std::string& verdict = d.verdict.category;
  for (const auto& c : a.candidates) {
    if (c.role != EventRole::root || c.framing) continue;
    for (const auto& m : c.signatures) {
      if (m.stage && CategoryCatalog::within(m.category, verdict)) return m.stage;
    }
  }
  return std::nullopt;
}

}  // namespace

void stage_from_kind(const Analysis& a, Diagnosis& d) {
  // Nothing in the logs marks the stage, but the failure's message does (DeepSpeed checks its
  // batch settings while the engine is initialised), or its kind (a rendezvous fails in init).
  if (d.stage || !d.failure_found) return;
  d.stage = stage_of_message(a, d);
  if (!d.stage) d.stage = a.catalog.stage(d.verdict.category);
}

void explain_slowdown(const Analysis& a, Diagnosis& d) {
  const JobScan& scan = a.scan;
  // A failure the catalogue explains by a slowdown broke where the slow node's numbers departed.
  if (a.features.iteration_slowdown && a.features.slow_since >= 0) {
    const auto explained = a.catalog.feature(JobFeature::iteration_slowdown);
    if (std::any_of(explained.begin(), explained.end(), [&](auto& cw) { return cw.first == d.verdict.category; })) {
      d.stage = Stage::training;
      d.failed_at = a.features.slow_since;
      if (scan.last_iteration >= 0) d.last_completed = scan.last_iteration;
    }
  }
}

}  // namespace l4::diagnose
