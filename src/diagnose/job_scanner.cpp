#include "l4/diagnose/job_scanner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "diagnose/event_grouping.hpp"
#include "diagnose/iteration_sequence.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/format/timestamp.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/template_miner.hpp"

namespace l4::diagnose {
namespace {

constexpr std::size_t kMaxTextBytes = 2000;
// Traceback frames that name a stage, kept per job (tracebacks are rare; a runaway one is capped).
constexpr std::size_t kMaxFrameStages = 100000;

format::HeaderParser make_header_parser(const ScanOptions& options) { return format::HeaderParser(options.formats); }

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
  // The template of the stream's previous matched line, tried first for the next (TemplateStore::match).
  std::size_t last_template = static_cast<std::size_t>(-1);
};

// The sequence symbol of a line no template of the sample matched.
constexpr std::uint32_t kUnmatchedLine = 0xffffffffU;

constexpr std::size_t kMaxUnstampedRun = 4096;

// Gives the unstamped occurrences of `e` at or before line `line` of `file` the stream's next stamp.
void bound_unstamped(EventStats& e, std::uint32_t node, std::uint32_t file, std::uint64_t line, double stamp) {
  const auto bound = [&](Occurrence& o) {
    if (o.valid() && !o.stamped && o.file == file && o.node == node && o.line < line && std::isnan(o.next_stamp)) {
      o.next_stamp = stamp;
    }
  };
  bound(e.first);
  bound(e.last);
  if (node < e.node_first.size()) bound(e.node_first[node]);
}

// A line no template matched during the parallel pass; mined afterwards.
struct PendingLine {
  std::string node;
  Occurrence where;
  std::string raw, content;
  format::Level level = format::Level::unknown;
  bool quoted = false;
  std::string raised;  // the exception class it names when it ends a traceback
};

bool contains_error_word(std::string_view text) {
  // one pass over the bytes (a set search such as find_first_of("eE") calls memchr per byte)
  const std::size_t n = text.size();
  for (std::size_t pos = 0; pos + 5 <= n; ++pos) {
    if ((text[pos] | 0x20) != 'e') continue;
    if ((text[pos + 1] | 0x20) == 'r' && (text[pos + 2] | 0x20) == 'r' && (text[pos + 3] | 0x20) == 'o' &&
        (text[pos + 4] | 0x20) == 'r') {
      return true;
    }
  }
  return false;
}

// A launcher's rank prefix in the middle of a line: a record glued to the previous one (a progress
// bar redrawn with a carriage return, then the next line of the merged output).
struct Glued {
  std::size_t at = 0;
  io::LauncherPrefix prefix;
};

std::optional<Glued> glued_record(std::string_view content) {
  for (std::string_view head : {std::string_view("[rank"), std::string_view("[default")}) {
    for (std::size_t p = content.find(head, 1); p != std::string_view::npos; p = content.find(head, p + 1)) {
      const auto prefix = io::parse_launcher_prefix(content.substr(p), false);
      if (prefix && prefix->rule == io::NodeRule::torchrun) return Glued{p, *prefix};
    }
  }
  return std::nullopt;
}

bool is_error_line(const format::Header& h) {
  if (h.level != format::Level::unknown) return h.level >= format::Level::error;
  return contains_error_word(h.content);
}

// Per-thread aggregation; nodes are local indexes until merged.
struct Partial {
  std::vector<std::string> node_names;
  std::unordered_map<std::string, std::uint32_t> node_index;
  std::vector<NodeStats> nodes;
  std::vector<EventStats> events;  // indexed by template index in the store
  std::vector<PendingLine> pending;
  std::vector<io::FileSummary> files;  // (file index, summary) kept in `file_ids`
  std::vector<std::uint32_t> file_ids;
  long last_iteration = -1;
  std::vector<StageChange> stage_changes;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> file_last_progress;  // (file index, line)
  std::vector<IterationAnomaly> iteration_anomalies;  // node is local until the merge
  std::vector<FrameStage> frame_stages;

  std::uint32_t node(std::string_view name) {
    auto it = node_index.find(std::string(name));
    if (it != node_index.end()) return it->second;
    const auto idx = static_cast<std::uint32_t>(node_names.size());
    node_names.emplace_back(name);
    node_index.emplace(std::string(name), idx);
    NodeStats stats;
    stats.id = std::string(name);
    nodes.push_back(std::move(stats));
    return idx;
  }
};

// A parameter as a number ("5465.1", "-6", "4.8E-05"), NaN when it is anything else.
double as_number(std::string_view p) {
  double v = std::nan("");
  if (p.empty() || p.size() > 24) return v;
  // from_chars takes a digit, '-' or '.' first (no '+'; "inf" and "nan" are rejected below anyway)
  const char c = p[0];
  if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return v;
  const char* end = p.data() + p.size();
  const auto [ptr, ec] = std::from_chars(p.data(), end, v);
  return ec == std::errc() && ptr == end && std::isfinite(v) ? v : std::nan("");
}

void track_numbers(EventStats& e, const Occurrence& at, const std::vector<std::string_view>& params) {
  std::array<double, NumericTrack::kWidth> numbers;
  const std::size_t width = std::min(params.size(), NumericTrack::kWidth);
  // A parameter that was once not a number in this node's track never gets a baseline there
  // (NumericTrack::baseline needs it numeric on every occurrence): it is not parsed again.
  const NumericTrack* track = at.node < e.node_numbers.size() ? &e.node_numbers[at.node] : nullptr;
  bool any = false;
  for (std::size_t p = 0; p < width; ++p) {
    const bool hopeless = track != nullptr && track->numeric[p] < track->seen;
    numbers[p] = hopeless ? std::nan("") : as_number(params[p]);
    any = any || !std::isnan(numbers[p]);
  }
  if (!any && e.node_numbers.empty()) return;
  if (e.node_numbers.size() <= at.node) e.node_numbers.resize(at.node + 1);
  e.node_numbers[at.node].observe(std::span<const double>(numbers.data(), width), at.iteration, at.time);
}

// Adds a rank to a sorted set of at most EventStats::kMaxRanks ranks.
void add_rank(std::vector<int>& ranks, int rank) {
  if (rank < 0) return;
  const auto it = std::lower_bound(ranks.begin(), ranks.end(), rank);
  if ((it == ranks.end() || *it != rank) && ranks.size() < EventStats::kMaxRanks) ranks.insert(it, rank);
}

void record_event(EventStats& e, const Occurrence& at, format::Level level, std::string_view raw,
                  std::string_view content, const std::vector<std::string_view>& params, bool quoted) {
  ++e.count;
  add_rank(e.ranks, at.rank);
  if (quoted) ++e.quoted;
  track_numbers(e, at, params);
  if (e.node_counts.size() <= at.node) {
    e.node_counts.resize(at.node + 1, 0);
    e.node_first.resize(at.node + 1);
  }
  if (e.node_first_parameters.size() < e.node_first.size()) e.node_first_parameters.resize(e.node_first.size());
  ++e.node_counts[at.node];
  Occurrence& nf = e.node_first[at.node];
  if (!nf.valid() || at.before(nf)) {
    nf = at;
    e.node_first_parameters[at.node].assign(params.begin(), params.end());
  }
  if (!e.first.valid() || at.before(e.first)) {
    e.first = at;
    e.first_text.assign(io::utf8_prefix(raw, kMaxTextBytes));
    e.first_content.assign(io::utf8_prefix(content, kMaxTextBytes));
    e.first_parameters.assign(params.begin(), params.end());
  }
  if (!e.last.valid() || e.last.before(at)) e.last = at;
  if (at.stage) e.stages |= stage_bit(*at.stage);
  if (level > e.level) e.level = level;
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

// Counts a line that ends a traceback as the exception it raised.
void record_raised(EventStats& e, const std::string& cls) {
  if (cls.empty()) return;
  if (e.raised++ == 0) e.raised_class = cls;
}

// Counts an exit report's code (0 or not) on its event.
void record_exit(EventStats& e, const TemplateStageInfo& info, std::string_view content, const StageClassifier& stages) {
  if (info.process_end != ProcessEnd::exit_report) return;
  const auto code = stages.exit_code(content);
  if (!code) return;
  if (*code == 0) {
    ++e.exits_zero;
  } else {
    if (e.exits_nonzero++ == 0) e.first_nonzero_exit = *code;
  }
}

// Moves a stream's stage/iteration on, given what one line says. Warnings and errors never move
// the stage: a failure's own lines must not relabel the stage it happened in.
// Returns the iteration the line reports when it moves the stream past the iterations it had
// reported (an evaluation's "iter 5/10" or a repeated report does not end an iteration).
std::optional<long> advance(StreamState& st, const TemplateStageInfo& info, format::Level level,
                            std::string_view content, std::span<const std::string_view> parameters,
                            const StageClassifier& stages, NodeStats& node, const Occurrence& at,
                            long& job_iteration, std::vector<StageChange>& changes) {
  if (level >= format::Level::warn) return std::nullopt;
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
  if ((marks || completes) && (!node.last_progress.valid() || node.last_progress.before(at))) {
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

class Worker {
 public:
  Worker(const ScanOptions& options, const StageClassifier& stages, const parse::TemplateStore& store,
         const std::vector<TemplateStageInfo>& infos)
      : options_(options), stages_(stages), store_(store), infos_(infos),
        headers_(make_header_parser(options)) {
    partial_.events.resize(store.templates().size());
  }

  void read(const io::Ingestor& ingestor, const io::InputFile& input, std::uint32_t file_index) {
    FileState fs;
    fs.file = file_index;
    auto summary = ingestor.read_file(input, [&](const io::LineRecord& line) {
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

  // What reading one file keeps between its lines.
  struct FileState {
    std::uint32_t file = 0;
    std::size_t hint = 0;
    std::uint64_t last_progress_line = 0;
    std::unordered_map<std::uint32_t, StreamState> streams;
    parse::ParseResult result;
  };

  // One record of a file: its header split, its stream's state moved on, its event recorded.
  // `counts`: the record is a line of its own (not the second of two glued on one line).
  void take(const io::LineRecord& line, FileState& fs, bool counts) {
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
    const int indent = static_cast<int>(std::min(header.content.find_first_not_of(" \t"), header.content.size()));
    const bool quoted = st.frame_indent >= 0 && indent > st.frame_indent;
    const Traceback tb = follow_traceback(st, header.content, indent);
    if (tb.frame_stage && partial_.frame_stages.size() < kMaxFrameStages) {
      partial_.frame_stages.push_back(FrameStage{fs.file, line.line_no, *tb.frame_stage});
    }
    const Occurrence at{node, fs.file, line.line_no, st.time, st.stage, st.iteration, stamped, kNoTime, line.rank};
    NodeStats& ns = partial_.nodes[node];
    if (counts) ++ns.lines;
    if (!ns.first_line.valid()) ns.first_line = at;
    ns.last_line = at;
    if (header.level >= format::Level::warn) ++ns.warn_or_worse;
    if (is_error_line(header)) {
      ++ns.errors;
      if (!ns.first_error.valid() || at.before(ns.first_error)) ns.first_error = at;
    }
    std::optional<long> reported;
    std::uint32_t symbol = kUnmatchedLine;
    if (store_.match(header.content, fs.result, st.last_template)) {
      st.last_template = fs.result.index;
      symbol = static_cast<std::uint32_t>(fs.result.index);
      reported = advance(st, infos_[fs.result.index], header.level, header.content, fs.result.parameters, stages_, ns,
                         at, partial_.last_iteration, partial_.stage_changes);
      note_completion(infos_[fs.result.index], header.level, header.content, fs.result.parameters, stages_, ns, at, line.raw);
      record_event(partial_.events[fs.result.index], at, header.level, line.raw, header.content,
                   fs.result.parameters, quoted);
      record_raised(partial_.events[fs.result.index], tb.raised);
      record_exit(partial_.events[fs.result.index], infos_[fs.result.index], header.content, stages_);
      if (!stamped && st.unstamped_events.size() < kMaxUnstampedRun &&
          (st.unstamped_events.empty() || st.unstamped_events.back() != fs.result.index)) {
        st.unstamped_events.push_back(static_cast<std::uint32_t>(fs.result.index));
      }
    } else {
      // Unknown template: classify the text itself so stage and iteration still advance.
      const auto info = stages_.classify(header.content);
      reported = advance(st, info, header.level, header.content, {}, stages_, ns, at, partial_.last_iteration,
                         partial_.stage_changes);
      note_completion(info, header.level, header.content, {}, stages_, ns, at, line.raw);
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

  Partial& partial() { return partial_; }

 private:
  // What a line means for the traceback its stream may be printing: frames name what the process
  // was doing (the innermost frame that names a stage counts); the first line after the frames,
  // indented less than them, is the uncaught exception they raised.
  struct Traceback {
    std::optional<Stage> frame_stage;  // a frame line: the stage its function names
    std::string raised;  // the line that ends a traceback: the exception class it names ("" when not that shape)
  };
  Traceback follow_traceback(StreamState& st, std::string_view content, int indent) const {
    Traceback out;
    const auto frame = grouper_.traceback_frame(content);
    if (frame) {
      st.in_traceback = true;
      st.traceback_indent = indent;
      out.frame_stage = stages_.frame_stage(*frame);
    } else if (st.in_traceback && indent < st.traceback_indent) {
      out.raised = stages_.raised_class(content);
      st.in_traceback = false;
    } else {
      out.frame_stage = stages_.return_trace_stage(content);  // a C/C++ library's traceback
    }
    st.frame_indent = frame ? indent : -1;
    return out;
  }

  void close_iteration(StreamState& st, std::uint32_t node, std::uint32_t file, long iteration, bool unfinished) {
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

  const ScanOptions& options_;
  const StageClassifier& stages_;
  const parse::TemplateStore& store_;
  const std::vector<TemplateStageInfo>& infos_;
  const EventGrouper& grouper_ = EventGrouper::embedded();
  format::HeaderParser headers_;
  Partial partial_;
};

// Splits files over workers by size (largest first, to the least loaded); deterministic.
std::vector<std::vector<std::uint32_t>> assign(const std::vector<io::InputFile>& inputs, unsigned workers) {
  std::vector<std::pair<std::uintmax_t, std::uint32_t>> sized;
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    std::error_code ec;
    const auto size = inputs[i].path == "-" ? 0 : std::filesystem::file_size(inputs[i].path, ec);
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

void merge_occurrence_min(Occurrence& into, const Occurrence& from) {
  if (from.valid() && (!into.valid() || from.before(into))) into = from;
}

}  // namespace

JobScanner::JobScanner(ScanOptions options) : options_(std::move(options)) {
  if (options_.threads == 0) options_.threads = 1;
}

JobScan JobScanner::scan(std::span<const std::string> paths, const parse::TemplateStore* known) const {
  io::Ingestor ingestor(options_.ingest);
  const auto inputs = ingestor.discover(paths);

  parse::TemplateStore initial;
  std::uint64_t from_history = 0;
  if (known != nullptr) {
    for (const auto& t : known->templates()) {
      if (!t.erased) {
        initial.add(t.text, 0);
        ++from_history;
      }
    }
  }
  parse::TemplateMiner miner(std::move(initial));

  // (1) Mine a sample: the first lines of every file (stdin, FIFOs and pipes cannot be read twice:
  // they are read once, in step 2, and all of their lines are mined in step 3).
  {
    io::IngestOptions sample_options = options_.ingest;
    sample_options.stop_after_lines = options_.sample_lines_per_file;
    sample_options.progress = nullptr;  // progress counts the full read only
    sample_options.warnings = false;    // and the full read warns
    io::Ingestor sampler(sample_options);
    const auto headers = make_header_parser(options_);
    parse::ParseResult result;
    for (const auto& input : inputs) {
      if (input.stream) continue;
      std::size_t hint = 0;
      sampler.read_file(input, [&](const io::LineRecord& line) {
        const auto header = headers.split(line.content, hint);
        if (!miner.store().match(header.content, result)) miner.observe(header.content);
      });
    }
    miner.build();
  }

  // (2) Read everything in parallel against the frozen store.
  std::vector<TemplateStageInfo> infos;
  for (const auto& t : miner.store().templates()) infos.push_back(stages_.classify(t.text));
  const unsigned workers = std::max(1U, std::min<unsigned>(options_.threads, static_cast<unsigned>(inputs.size())));
  const auto plan = assign(inputs, workers);
  std::vector<std::unique_ptr<Worker>> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.push_back(std::make_unique<Worker>(options_, stages_, miner.store(), infos));
  }
  {
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> errors(workers);
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        try {
          for (auto idx : plan[w]) pool[w]->read(ingestor, inputs[idx], idx);
        } catch (...) {
          errors[w] = std::current_exception();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }

  // Global node order: natural order of ids.
  std::vector<std::string> names;
  for (auto& w : pool) {
    for (auto& n : w->partial().node_names) names.push_back(n);
  }
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return io::natural_less(a, b); });
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::unordered_map<std::string, std::uint32_t> global;
  for (std::uint32_t i = 0; i < names.size(); ++i) global.emplace(names[i], i);

  JobScan scan;
  scan.templates_from_history = from_history;
  scan.nodes.resize(names.size());
  for (std::uint32_t i = 0; i < names.size(); ++i) scan.nodes[i].id = names[i];

  // (3) Mine the lines nobody matched, in a deterministic order, then match them.
  std::vector<PendingLine> pending;
  for (auto& w : pool) {
    auto& p = w->partial();
    for (auto& line : p.pending) {
      line.where.node = global.at(line.node);
      pending.push_back(std::move(line));
    }
    p.pending.clear();
  }
  std::sort(pending.begin(), pending.end(), [](const PendingLine& a, const PendingLine& b) {
    return a.where.file != b.where.file ? a.where.file < b.where.file : a.where.line < b.where.line;
  });
  for (const auto& line : pending) miner.observe(line.content);
  if (!pending.empty()) miner.build();

  const auto& templates = miner.store().templates();
  std::vector<EventStats> events(templates.size());
  auto merge_event = [&](EventStats& into, EventStats& from, const std::vector<std::uint32_t>& remap) {
    if (from.count == 0) return;
    into.count += from.count;
    into.quoted += from.quoted;
    if (into.exits_nonzero == 0 && from.exits_nonzero > 0) into.first_nonzero_exit = from.first_nonzero_exit;
    into.exits_zero += from.exits_zero;
    if (into.raised == 0 && from.raised > 0) into.raised_class = from.raised_class;
    for (int r : from.ranks) add_rank(into.ranks, r);
    into.raised += from.raised;
    into.exits_nonzero += from.exits_nonzero;
    into.stages |= from.stages;
    into.level = std::max(into.level, from.level);
    if (into.node_counts.size() < names.size()) {
      into.node_counts.resize(names.size(), 0);
      into.node_first.resize(names.size());
      into.node_first_parameters.resize(names.size());
    }
    for (std::size_t local = 0; local < from.node_counts.size(); ++local) {
      const auto g = remap[local];
      into.node_counts[g] += from.node_counts[local];
      if (local < from.node_numbers.size() && from.node_numbers[local].seen > 0) {
        if (into.node_numbers.size() < names.size()) into.node_numbers.resize(names.size());
        into.node_numbers[g].merge(from.node_numbers[local]);
      }
      Occurrence o = from.node_first[local];
      o.node = g;
      if (o.valid() && (!into.node_first[g].valid() || o.before(into.node_first[g]))) {
        into.node_first[g] = o;
        if (local < from.node_first_parameters.size()) into.node_first_parameters[g] = std::move(from.node_first_parameters[local]);
      }
    }
    Occurrence l = from.last;
    l.node = remap[l.node];
    if (!into.last.valid() || into.last.before(l)) into.last = l;
    Occurrence f = from.first;
    f.node = remap[f.node];
    if (!into.first.valid() || f.before(into.first)) {
      into.first = f;
      into.first_text = std::move(from.first_text);
      into.first_content = std::move(from.first_content);
      into.first_parameters = std::move(from.first_parameters);
    }
  };

  std::vector<io::FileSummary> files(inputs.size());
  for (auto& w : pool) {
    auto& p = w->partial();
    std::vector<std::uint32_t> remap;
    for (const auto& n : p.node_names) remap.push_back(global.at(n));
    for (std::size_t i = 0; i < p.events.size(); ++i) merge_event(events[i], p.events[i], remap);
    for (std::size_t local = 0; local < p.nodes.size(); ++local) {
      NodeStats& into = scan.nodes[remap[local]];
      NodeStats& from = p.nodes[local];
      from.first_line.node = from.last_line.node = remap[local];
      into.lines += from.lines;
      into.warn_or_worse += from.warn_or_worse;
      into.errors += from.errors;
      from.first_error.node = remap[local];
      merge_occurrence_min(into.first_error, from.first_error);
      merge_occurrence_min(into.first_line, from.first_line);
      if (!into.last_line.valid() || into.last_line.before(from.last_line)) into.last_line = from.last_line;
      from.last_progress.node = remap[local];
      if (from.last_progress.valid() && (!into.last_progress.valid() || into.last_progress.before(from.last_progress))) {
        into.last_progress = from.last_progress;
      }
      into.last_iteration = std::max(into.last_iteration, from.last_iteration);
      from.completed.node = from.reached_total.node = remap[local];
      if (from.completed.valid() && (!into.completed.valid() || into.completed.before(from.completed))) {
        into.completed = from.completed;
        into.completed_text = std::move(from.completed_text);
      }
      if (from.reached_total.valid() && (!into.reached_total.valid() || into.reached_total.before(from.reached_total))) {
        into.reached_total = from.reached_total;
        into.reached_total_of = from.reached_total_of;
        into.reached_total_text = std::move(from.reached_total_text);
      }
      into.progress_total = std::max(into.progress_total, from.progress_total);
      scan.progress_total = std::max(scan.progress_total, from.progress_total);
      into.iterations.insert(into.iterations.end(), from.iterations.begin(), from.iterations.end());
    }
    scan.last_iteration = std::max(scan.last_iteration, p.last_iteration);
    scan.stage_changes.insert(scan.stage_changes.end(), p.stage_changes.begin(), p.stage_changes.end());
    scan.frame_stages.insert(scan.frame_stages.end(), p.frame_stages.begin(), p.frame_stages.end());
    for (std::size_t i = 0; i < p.files.size(); ++i) files[p.file_ids[i]] = std::move(p.files[i]);
    scan.file_last_progress.resize(inputs.size(), 0);
    for (const auto& [file, line] : p.file_last_progress) scan.file_last_progress[file] = line;
    for (auto& anomaly : p.iteration_anomalies) {
      anomaly.node = remap[anomaly.node];
      scan.iteration_anomalies.push_back(std::move(anomaly));
    }
  }
  parse::ParseResult result;
  std::unordered_map<std::size_t, TemplateStageInfo> pending_infos;
  for (const auto& line : pending) {
    if (!miner.store().match(line.content, result)) result = miner.match_or_add(line.content);
    if (events.size() <= result.index) events.resize(miner.store().templates().size());
    EventStats& e = events[result.index];
    auto info = pending_infos.find(result.index);
    if (info == pending_infos.end()) {
      info = pending_infos.emplace(result.index, stages_.classify(miner.store().templates()[result.index].text)).first;
    }
    record_exit(e, info->second, line.content, stages_);
    record_raised(e, line.raised);
    if (e.node_counts.size() < names.size()) {
      e.node_counts.resize(names.size(), 0);
      e.node_first.resize(names.size());
      e.node_first_parameters.resize(names.size());
    }
    record_event(e, line.where, line.level, line.raw, line.content, result.parameters, line.quoted);
  }

  // Ranks the job's launcher prefixes name.
  {
    std::vector<int> all;
    for (const auto& e : events) {
      for (int r : e.ranks) all.push_back(r);
    }
    std::sort(all.begin(), all.end());
    scan.ranks = static_cast<std::size_t>(std::unique(all.begin(), all.end()) - all.begin());
  }
  // Keep the events that occurred, with their identity.
  const auto& final_templates = miner.store().templates();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].count == 0) continue;
    events[i].id = final_templates[i].id;
    events[i].text = final_templates[i].text;
    events[i].stage_info = stages_.classify(final_templates[i].text);
    scan.events.push_back(std::move(events[i]));
  }
  std::sort(scan.events.begin(), scan.events.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(scan.iteration_anomalies.begin(), scan.iteration_anomalies.end(), [](const auto& a, const auto& b) {
    if (a.iteration != b.iteration) return a.iteration < b.iteration;
    return a.node != b.node ? a.node < b.node : a.file < b.file;
  });
  for (auto& n : scan.nodes) {
    std::sort(n.iterations.begin(), n.iterations.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      const bool an = std::isnan(a.second), bn = std::isnan(b.second);
      return an != bn ? bn : (!an && a.second < b.second);
    });
    n.iterations.erase(std::unique(n.iterations.begin(), n.iterations.end(),
                                   [](const auto& a, const auto& b) { return a.first == b.first; }),
                       n.iterations.end());
  }
  std::sort(scan.frame_stages.begin(), scan.frame_stages.end(), [](const auto& a, const auto& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  std::stable_sort(scan.stage_changes.begin(), scan.stage_changes.end(), [](const auto& a, const auto& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  scan.ingest = io::summarize(std::move(files));
  if (miner.overflow_templates() > 0) {
    spdlog::warn("more than {} templates in one mining step: the {} least frequent ({} lines) count as one event, \"{}\"",
                 parse::MinerOptions{}.max_templates, miner.overflow_templates(), miner.overflow_lines(),
                 parse::TemplateMiner::overflow_text);
  }
  io::require_usable_lines(scan.ingest, paths);
  spdlog::debug("scanned {} lines, {} nodes, {} events ({} lines mined after the sample)",
                scan.ingest.total.used, scan.nodes.size(), scan.events.size(), pending.size());
  return scan;
}

}  // namespace l4::diagnose
