#include "diagnose/scan_worker.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "diagnose/event_recording.hpp"
#include "diagnose/iteration_sequence.hpp"
#include "l4/format/timestamp.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/utf8.hpp"

namespace l4::diagnose {

// Traceback frames that name a stage, kept per job (tracebacks are rare; a runaway one is capped).
constexpr std::size_t kMaxFrameStages = 100000;

// The state of one stream (one node's lines within one file) as it is read.
struct StreamState {
  double time = kNoTime;
  std::optional<Stage> stage;
  std::optional<Stage> resumes;  // the stage the current one interrupted (evaluation returns to training)
  long start_iteration = 0;      // the iteration the stream started from (a checkpoint it resumed)
  long iteration = -1;
  // Events whose occurrences since the stream's last stamp are unstamped; the next stamp bounds them.
  std::vector<std::uint32_t> unstamped_events;
  IterationSequence sequence;        // the events of the current iteration, against the previous ones
  std::uint64_t sequence_start = 0;  // line where the current iteration's events begin
  bool reports_iterations = false;
  // Indentation of the previous line when it was a traceback frame line, else -1: a line indented
  // deeper quotes the frame's source code.
  int frame_indent = -1;
  // Inside a traceback's frames, and their indentation.
  bool in_traceback = false;
  int traceback_indent = 0;
  // The previous frame of the traceback ran a module's top level ("in <module>"): the frame after
  // it is the program's entry function.
  bool after_module_frame = false;
  // The prefix a launcher or logger printed before the last traceback frame (EventGrouper::
  // frame_prefix): lines that carry it are indented after it.
  std::string traceback_prefix;
  // The stream said its work is done (a completion line ended training): see advance().
  bool work_done = false;
  // Between a chain separator (Python's "During handling of the above exception") and the exception
  // the chain ends with.
  bool in_chain = false;
  // A traceback ended (the line under its frames) and neither a stamped line nor another frame came
  // since: where a chain separator can follow. Only there is a line tested for one.
  bool after_raise = false;
  // The same, until the stream's next progress report: see advance().
  bool exit_redraw_possible = false;
  // The template of the stream's previous matched line, tried first for the next (TemplateStore::match).
  std::size_t last_template = static_cast<std::size_t>(-1);
};

// The sequence symbol of a line no template of the sample matched.
constexpr std::uint32_t kUnmatchedLine = 0xffffffffU;

constexpr std::size_t kMaxUnstampedRun = 4096;

namespace {


// `word` (lower case) anywhere in `text`, case ignored: one pass over the bytes (a set search such
// as find_first_of("eE") calls memchr per byte).
bool contains_icase(std::string_view text, std::string_view word) {
  const std::size_t n = text.size(), m = word.size();
  for (std::size_t pos = 0; pos + m <= n; ++pos) {
    if ((text[pos] | 0x20) != word[0]) continue;
    std::size_t i = 1;
    while (i < m && (text[pos + i] | 0x20) == word[i]) ++i;
    if (i == m) return true;
  }
  return false;
}

bool contains_error_word(std::string_view text) { return contains_icase(text, "error"); }

// A launcher's rank prefix in the middle of a line: a record glued to the previous one (a progress
// bar redrawn with a carriage return, then the next line of the merged output).
struct Glued {
  std::size_t at = 0;
  io::LauncherPrefix prefix;
};

std::optional<Glued> glued_record(std::string_view content) {
  // one pass over the '['s of the line: the first "[rank" prefix wins, else the first "[default"
  std::optional<Glued> by_default;
  for (std::size_t p = content.find('[', 1); p != std::string_view::npos; p = content.find('[', p + 1)) {
    const std::string_view rest = content.substr(p);
    const bool rank = rest.starts_with("[rank");
    if (!rank && (by_default || !rest.starts_with("[default"))) continue;
    const auto prefix = io::parse_launcher_prefix(rest, false);
    if (!prefix || prefix->rule != io::NodeRule::torchrun) continue;
    if (rank) return Glued{p, *prefix};
    by_default = Glued{p, *prefix};
  }
  return by_default;
}

bool is_error_line(const format::Header& h) {
  if (h.level != format::Level::unknown) return h.level >= format::Level::error;
  return contains_error_word(h.content);
}


// Records what a line below WARN says about the job finishing: a completion marker, or a progress
// report that reached its own total.
void note_completion(const TemplateStageInfo& info, format::Level level, std::string_view content,
                     std::span<const std::string_view> parameters, const StageClassifier& stages, NodeStats& node,
                     const Occurrence& at, std::string_view raw) {
  if (level >= format::Level::warn || (!info.completes && info.iteration_pattern < 0)) return;
  if (info.completes && (!node.completed.valid() || node.completed.before(at))) {
    node.completed = at;
    node.completed_text.assign(io::utf8_prefix(raw, kMaxTextBytes));
  }
  if (info.iteration_pattern < 0) return;
  const auto total = stages.progress_total(info, content, parameters);
  if (!total || *total <= 0) return;
  const auto iteration = stages.iteration(info, content, parameters);
  node.progress_total = std::max(node.progress_total, *total);
  if (iteration == total && (!node.reached_total.valid() || node.reached_total.before(at))) {
    node.reached_total = at;
    node.reached_total_of = *total;
    node.reached_total_text.assign(io::utf8_prefix(raw, kMaxTextBytes));
  }
}

// The work is done ("`Trainer.fit` stopped", "Training completed."): what the stream does next
// (a test run, a final save) is no longer training, and nothing says what it is until a marker
// does. After that, a progress report is the finished run's own (tqdm redraws its bar when it
// closes, after the trainer's summary): it counts, but it starts no new training; `marks` is the
// line's stage marker, cleared for such a report.
void follow_end_of_work(StreamState& st, const TemplateStageInfo& info, std::optional<Stage>& marks) {
  if (info.completes && !marks) {
    if (st.stage == Stage::training) {
      st.stage.reset();
      st.resumes.reset();
    }
    st.work_done = true;
  }
  if (st.work_done && info.iteration_pattern >= 0 && marks == Stage::training) {
    marks.reset();
  } else if (marks) {
    st.work_done = false;
  }
}

// Moves a stream's stage/iteration on, given what one line says. Warnings and errors never move
// the stage: a failure's own lines must not relabel the stage it happened in.
// Returns the iteration the line reports when it moves the stream past the iterations it had
// reported (an evaluation's "iter 5/10" or a repeated report does not end an iteration).
// `error_line` is is_error_line of the line (taken once per line by the caller).
std::optional<long> advance(StreamState& st, const TemplateStageInfo& info, format::Level level, bool error_line,
                            std::string_view content, std::span<const std::string_view> parameters,
                            const StageClassifier& stages, NodeStats& node, const Occurrence& at,
                            long& job_iteration, std::vector<StageChange>& changes) {
  if (level >= format::Level::warn) return std::nullopt;
  // Nor does a line that says its process died (an uncaught exception, a fatal signal): it is the
  // failure, not the job moving on, whatever its words name ("...a model that has been loaded with").
  if (info.process_end == ProcessEnd::exception || info.process_end == ProcessEnd::signal) return std::nullopt;
  // Nor does a line printed with no level that reports an error ("NCCL error in: ..., internal
  // error, NCCL version 2.14.3"): the level it lacks is not below WARN, and the stage words it
  // quotes are the failure's context. An iteration report keeps counting whatever it names.
  if (level == format::Level::unknown && info.iteration_pattern < 0 && error_line) return std::nullopt;
  // Nor one that reports an exception ("Exception ignored in atexit callback: <function
  // _MultiProcessingDataLoaderIter._clean_up_worker ...>", Python's unraisable-exception hook):
  // the names it quotes are the failure's context too.
  if (level == format::Level::unknown && info.iteration_pattern < 0 && info.marks && contains_icase(content, "exception")) {
    return std::nullopt;
  }
  // Continuation lines (tracebacks, stack frames, indented blocks) never mark a stage by their
  // words; an indented iteration report (a progress bar: "  1%|  | 42002/42190 [...]") still counts.
  // One leading space is a message's own style (Megatron: " validation loss at iteration ..."),
  // not a continuation.
  const bool continuation = content.starts_with('\t') || content.starts_with("  ");
  if (continuation && info.iteration_pattern < 0) return std::nullopt;
  std::optional<Stage> marks = info.marks;
  // Stages move forward: once a stream trains, init and loading markers (environment dumps in
  // failure summaries, say) do not pull it back.
  const auto past_setup = [](std::optional<Stage> s) {
    return s && (*s == Stage::training || *s == Stage::checkpoint || *s == Stage::evaluation);
  };
  if (marks && (*marks == Stage::init || *marks == Stage::loading) && past_setup(st.stage)) marks.reset();
  follow_end_of_work(st, info, marks);
  const std::optional<long> iteration =
      info.iteration_pattern >= 0 ? stages.iteration(info, content, parameters) : std::nullopt;
  // A checkpoint being loaded says where the job resumes; reporting that iteration (or 0, from
  // scratch) completes nothing: schedulers print it while the job is still setting up.
  if (marks == Stage::loading) {
    if (auto from = stages.resumed_iteration(content)) st.start_iteration = *from;
  }
  if (iteration && *iteration <= st.start_iteration && marks == Stage::training) marks.reset();
  // A stage's results are out (a validation loss, a save confirmed): the stream is back where it was.
  if (info.ends && st.stage == info.ends && st.resumes) marks = st.resumes;
  // Progress is the job moving on: any stage marker or iteration report below WARN (setup work
  // goes on, a new stage begins, an iteration completes). Lines that report an error on its way up
  // (NCCL's "misc/socket.cc:64 -> 6") mark nothing (stages.json 'unmarked').
  // A count at or below where the stream started ("0/125", a progress bar drawn before the first
  // step; the iteration a resumed job starts from) completes nothing: no progress.
  const bool stage_changes = marks && marks != st.stage;
  const bool advances = iteration && *iteration > st.iteration;
  const bool completes = advances && *iteration > st.start_iteration;
  // The first report after an uncaught traceback, with no stamped line between, may be a progress
  // bar its process draws once more as it exits (tqdm closing at interpreter shutdown, after the
  // traceback): only a further report shows the job went on.
  const bool exit_redraw = (marks || completes) && std::exchange(st.exit_redraw_possible, false);
  if ((marks || completes) && !exit_redraw && (!node.last_progress.valid() || node.last_progress.before(at))) {
    node.last_progress = at;
  }
  if (stage_changes) {
    st.resumes = st.stage;
    st.stage = marks;
    if (!std::isnan(at.time)) changes.push_back(StageChange{at.time, *marks, at.file, at.line});
  }
  if (iteration) {
    st.iteration = std::max(st.iteration, *iteration);
    if (*iteration > node.last_iteration) {
      node.last_iteration = *iteration;
      node.iterations.emplace_back(*iteration, at.time);
    }
    job_iteration = std::max(job_iteration, *iteration);
  }
  return advances ? iteration : std::nullopt;
}

}  // namespace

// What reading one file keeps between its lines.
struct ScanWorker::FileState {
  std::uint32_t file = 0;
  std::size_t hint = 0;
  std::uint64_t last_progress_line = 0;
  std::unordered_map<std::uint32_t, StreamState> streams;
  parse::ParseResult result;
};

// What a line means for the traceback its stream may be printing: frames name what the process
// was doing (the innermost frame that names a stage counts); the first line after the frames,
// indented less than them, is the uncaught exception they raised.
struct ScanWorker::Traceback {
  std::optional<Stage> frame_stage;  // a frame line: the stage its function names
  bool fallback_frame = false;       // ... only when no other frame of the traceback names one
  std::string raised;  // the line that ends a traceback: the exception class it names ("" when not that shape)
  bool quoted = false;    // the source code a frame line quotes (indented deeper than the frame)
  bool in_chain = false;  // part of a chained exception's report: no progress, whatever it names
};

ScanWorker::ScanWorker(const pipeline::LineSource& source, const StageClassifier& stages,
                     const parse::TemplateStore& store, const std::vector<TemplateStageInfo>& infos)
    : source_(source), stages_(stages), store_(store), infos_(infos), headers_(source.header_parser()) {
  partial_.events.resize(store.templates().size());
}

ScanWorker::~ScanWorker() = default;

void ScanWorker::read(const io::InputFile& input, std::uint32_t file_index) {
  FileState fs;
  fs.file = file_index;
  auto summary = source_.ingestor().read_file(input, [&](const io::LineRecord& line) {
    // A progress bar redrawn with a carriage return and no newline glues the next record of
    // the stream to it ("  1%| 24/1752 [01:08<1:22:56][rank5]:[E602 ...] Watchdog caught ..."):
    // each is read as the line it is.
    if (const auto glued = glued_record(line.content)) {
      io::LineRecord head = line;
      head.content = line.content.substr(0, glued->at);
      take(head, fs, true);
      io::LineRecord tail = line;
      tail.content = line.content.substr(glued->at + glued->prefix.length);
      tail.rank = glued->prefix.rank;
      take(tail, fs, false);
      return;
    }
    take(line, fs, true);
  }, file_index);
  // The iteration a stream ended in: where a failure usually shows.
  for (auto& [node, st] : fs.streams) {
    if (st.reports_iterations && !st.sequence.empty()) close_iteration(st, node, file_index, st.iteration + 1, true);
  }
  partial_.file_last_progress.emplace_back(file_index, fs.last_progress_line);
  partial_.files.push_back(std::move(summary));
  partial_.file_ids.push_back(file_index);
}


// One record of a file: its header split, its stream's state moved on, its event recorded.
// `counts`: the record is a line of its own (not the second of two glued on one line).
void ScanWorker::take(const io::LineRecord& line, FileState& fs, bool counts) {
  const format::Header header = headers_.split(line.content, fs.hint);
  const std::uint32_t node = partial_.node(line.node);
  StreamState& st = fs.streams[node];
  bool stamped = false;
  if (!header.timestamp.empty()) {
    if (auto t = format::parse_timestamp(header.timestamp)) {
      st.time = *t;
      stamped = true;
      for (auto idx : st.unstamped_events) bound_unstamped(partial_.events[idx], node, fs.file, line.line_no, *t);
      st.unstamped_events.clear();
    }
  }
  const Traceback tb = read_traceback(st, header.content, stamped);
  const bool quoted = tb.quoted;
  const bool in_chain = tb.in_chain;
  const auto add_frame_stage = [&](Stage stage, bool fallback) {
    if (partial_.frame_stages.size() < kMaxFrameStages) {
      partial_.frame_stages.push_back(FrameStage{fs.file, line.line_no, stage, fallback});
    }
  };
  if (tb.frame_stage) add_frame_stage(*tb.frame_stage, tb.fallback_frame);
  const Occurrence at{node, fs.file, line.line_no, st.time, st.stage, st.iteration, stamped, kNoTime, line.rank};
  NodeStats& ns = partial_.nodes[node];
  if (counts) ++ns.lines;
  if (!ns.first_line.valid()) ns.first_line = at;
  ns.last_line = at;
  if (header.level >= format::Level::warn) ++ns.warn_or_worse;
  const bool error_line = is_error_line(header);
  if (error_line) {
    ++ns.errors;
    if (!ns.first_error.valid() || at.before(ns.first_error)) ns.first_error = at;
  }
  std::optional<long> reported;
  std::uint32_t symbol = kUnmatchedLine;
  if (store_.match(header.content, fs.result, st.last_template)) {
    st.last_template = fs.result.index;
    symbol = static_cast<std::uint32_t>(fs.result.index);
    if (!in_chain) {
      reported = advance(st, infos_[fs.result.index], header.level, error_line, header.content, fs.result.parameters, stages_,
                         ns, at, partial_.last_iteration, partial_.stage_changes);
    }
    note_completion(infos_[fs.result.index], header.level, header.content, fs.result.parameters, stages_, ns, at, line.raw);
    if (const auto call = infos_[fs.result.index].refused_call) add_frame_stage(*call, true);
    record_event(partial_.events[fs.result.index], at, header.level, line.raw, header.content,
                 fs.result.parameters, quoted);
    record_raised(partial_.events[fs.result.index], tb.raised);
    record_exit(partial_.events[fs.result.index], infos_[fs.result.index], header.content, stages_);
    record_collective(partial_.events[fs.result.index], infos_[fs.result.index], fs.result.parameters, stages_);
    if (!stamped && st.unstamped_events.size() < kMaxUnstampedRun &&
        (st.unstamped_events.empty() || st.unstamped_events.back() != fs.result.index)) {
      st.unstamped_events.push_back(static_cast<std::uint32_t>(fs.result.index));
    }
  } else {
    // Unknown template: classify the text itself so stage and iteration still advance.
    const auto info = stages_.classify(header.content);
    if (!in_chain) {
      reported = advance(st, info, header.level, error_line, header.content, {}, stages_, ns, at, partial_.last_iteration,
                         partial_.stage_changes);
    }
    note_completion(info, header.level, header.content, {}, stages_, ns, at, line.raw);
    if (info.refused_call) add_frame_stage(*info.refused_call, true);
    partial_.pending.push_back(PendingLine{std::string(line.node), at,
                                           std::string(io::utf8_prefix(line.raw, kMaxTextBytes)),
                                           std::string(header.content), header.level, quoted, tb.raised});
  }
  if (reported) {
    close_iteration(st, node, fs.file, *reported, false);
    st.reports_iterations = true;
  } else {
    if (st.sequence.empty()) st.sequence_start = line.line_no;
    st.sequence.add(symbol);
  }
  if (ns.last_progress.file == fs.file && ns.last_progress.line == line.line_no) fs.last_progress_line = line.line_no;
}

ScanWorker::Traceback ScanWorker::read_traceback(StreamState& st, std::string_view content, bool stamped) const {
  const auto body = traceback_body(st, content);
  const std::string_view text = body.value_or(content);
  const int indent = static_cast<int>(std::min(text.find_first_not_of(" \t"), text.size()));
  Traceback tb;
  if (body) {
    const bool quoted = st.frame_indent >= 0 && indent > st.frame_indent;
    tb = follow_traceback(st, *body, indent, quoted);
    tb.quoted = quoted;
  }
  // A chained exception's report is no progress, whatever stage its lines name ("ray::Worker
  // .save_checkpoint() (pid=...)" opening the remote traceback after "During handling of ...").
  if (st.after_raise && grouper_.chain_separator(text)) st.in_chain = true;
  tb.in_chain = st.in_chain;
  if (!tb.raised.empty() || stamped) st.in_chain = false;
  if (stamped || st.in_traceback) st.after_raise = false;
  if (stamped) st.exit_redraw_possible = false;
  return tb;
}

std::optional<std::string_view> ScanWorker::traceback_body(StreamState& st, std::string_view content) const {
  if (!st.traceback_prefix.empty() && content.starts_with(st.traceback_prefix)) {
    return content.substr(st.traceback_prefix.size());
  }
  if (const auto prefix = grouper_.frame_prefix(content)) {
    st.traceback_prefix.assign(content.substr(0, prefix));
    return content.substr(prefix);
  }
  if (!st.traceback_prefix.empty() && st.in_traceback) {
    // Amid a relayed traceback, a line without its prefix is another process's ("stdout: n1:"
    // between "stderr: n1:" frames), or a new traceback printed without one.
    if (!grouper_.traceback_frame(content)) return std::nullopt;
    st.traceback_prefix.clear();
  }
  return content;
}

ScanWorker::Traceback ScanWorker::follow_traceback(StreamState& st, std::string_view content, int indent,
                                                   bool quoted) const {
  Traceback out;
  const auto frame = grouper_.traceback_frame(content);
  if (frame) {
    // A script's entry function (the frame its top level calls: 'train()', 'main()') runs the
    // whole program, whatever it is called: its name says nothing of what the process was doing.
    const bool entry = st.in_traceback && st.after_module_frame;
    st.in_traceback = true;
    st.traceback_indent = indent;
    st.after_module_frame = *frame == "<module>";
    if (!entry) {
      out.frame_stage = stages_.frame_stage(*frame);
      if (!out.frame_stage) {
        out.frame_stage = stages_.fallback_frame_stage(*frame);
        out.fallback_frame = out.frame_stage.has_value();
      }
    }
  } else if (st.in_traceback && indent < st.traceback_indent) {
    out.raised = stages_.raised_class(content);
    st.in_traceback = false;
    st.after_raise = true;
    st.exit_redraw_possible = true;
  } else if (const auto code = quoted ? stages_.quoted_code_stage(content) : std::nullopt) {
    out.frame_stage = code->stage;  // the source line a frame quotes: "from x import y" is set-up
    out.fallback_frame = code->fallback;
  } else {
    out.frame_stage = stages_.return_trace_stage(content);  // a C/C++ library's traceback
  }
  st.frame_indent = frame ? indent : -1;
  return out;
}

void ScanWorker::close_iteration(StreamState& st, std::uint32_t node, std::uint32_t file, long iteration,
                                 bool unfinished) {
  auto outcome = st.sequence.close();
  if (!outcome || !outcome->deviates) return;
  IterationAnomaly a;
  a.node = node;
  a.file = file;
  a.line = st.sequence_start;
  a.iteration = iteration;
  a.unfinished = unfinished;
  a.distance = outcome->distance;
  a.sigmas = outcome->sigmas;
  // Sequence symbols are indexes into the frozen store (ids never change there); lines no
  // template matched have none.
  for (auto idx : outcome->novel) {
    if (idx < store_.templates().size()) a.novel.push_back(store_.templates()[idx].id);
  }
  partial_.iteration_anomalies.push_back(std::move(a));
}

std::vector<std::vector<std::uint32_t>> plan_workers(const std::vector<io::InputFile>& inputs, unsigned workers) {
  std::vector<std::pair<std::uintmax_t, std::uint32_t>> sized;
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    std::error_code ec;
    const auto size = inputs[i].stream ? 0 : std::filesystem::file_size(inputs[i].path, ec);
    sized.emplace_back(ec ? 0 : size, i);
  }
  std::sort(sized.begin(), sized.end(), [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::vector<std::uint32_t>> plan(workers);
  std::vector<std::uintmax_t> load(workers, 0);
  for (const auto& [size, idx] : sized) {
    const auto w = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    plan[w].push_back(idx);
    load[w] += size + 1;
  }
  for (auto& p : plan) std::sort(p.begin(), p.end());
  return plan;
}

}  // namespace l4::diagnose
