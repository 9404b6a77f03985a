#include "l4/pipeline/template_parse.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "l4/parse/sharded_observer.hpp"
#include "l4/parse/template_miner.hpp"
#include "pipeline/parallel_rows.hpp"

namespace l4::pipeline {
namespace {

// Where a line's content comes from: the user's --log-format, else the known header formats (with
// --formats). With a Loghub-style --log-format it also keeps the values of the format's fields,
// which are Loghub's CSV columns.
class ContentSplitter {
 public:
  explicit ContentSplitter(const LineSource& source)
      : headers_(source.header_parser()),
        loghub_(source.options().formats.log_format ? &headers_.formats().front() : nullptr) {}
  // The message of `line`; the whole line when no format matches (counted).
  std::string_view content(std::string_view line) {
    if (loghub_) {
      if (loghub_->split_fields(line, values_)) return values_[loghub_->content_field()];
      values_.assign(loghub_->fields().size(), std::string_view{});
      values_[loghub_->content_field()] = line;
      ++unmatched_;
      return line;
    }
    const auto h = headers_.split(line);
    if (h.format.empty()) ++unmatched_;
    return h.content;
  }
  // The values of the --log-format fields in the line content() last split; nullptr without one.
  [[nodiscard]] const std::vector<std::string_view>* values() const { return loghub_ ? &values_ : nullptr; }
  [[nodiscard]] std::uint64_t unmatched() const { return unmatched_; }

 private:
  format::HeaderParser headers_;
  const format::LogFormat* loghub_;
  std::vector<std::string_view> values_;
  std::uint64_t unmatched_ = 0;
};

// One worker's state on a cache line of its own (no false sharing between workers).
template <typename T>
struct alignas(64) Padded {
  template <typename... A>
  explicit Padded(A&&... a) : value(std::forward<A>(a)...) {}
  T value;
};

// Standard input's lines, kept for the second pass (a stream cannot be read twice).
struct KeptLines {
  std::vector<std::string> text;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pos;  // line_no, file index
};

// Pass 1 keeps, per line in input order, the miner's number of its masked form, so that pass 2
// takes each line's template without masking and looking it up again (TemplateMiner::
// assign_observed). Four bytes a line, for at most this many lines (64 MB); lines beyond are
// masked again in pass 2, so memory stays bounded on inputs of any length.
constexpr std::size_t kMaxObservedLines = std::size_t{16} << 20;

// Pass 1 of mining: every line's content into the miner (header split and masking on `threads`
// workers), then build. Returns the ingest summary; `unmatched_format` counts the lines no header
// format matched.
io::IngestSummary mine_pass(const LineSource& source, parse::TemplateMiner& miner, unsigned threads,
                            std::uint64_t& unmatched_format, parse::ObservedLines* observed) {
  std::vector<Padded<ContentSplitter>> splitters;
  splitters.reserve(std::max(1U, threads));
  for (unsigned w = 0; w < std::max(1U, threads); ++w) splitters.emplace_back(source);
  parse::ShardedObserver observer(miner, threads, [&](std::string_view line, unsigned worker) {
    return splitters[worker].value.content(line);
  });
  if (observed != nullptr) observer.record_lines(*observed, kMaxObservedLines);
  auto summary = source.read_all([&](const io::LineRecord& rec) { observer.add(rec.content); });
  observer.finish();
  unmatched_format = 0;
  for (const auto& s : splitters) unmatched_format += s.value.unmatched();
  const std::size_t distinct = miner.observed_distinct();
  const double table_mb = static_cast<double>(miner.memory_bytes()) / 1e6;
  miner.build();
  spdlog::debug("mined {} templates from {} distinct masked lines ({:.1f} MB of mining tables)", miner.store().size(),
                distinct, table_mb);
  return summary;
}

// Pass 1 over a stream: its lines are mined on this thread and kept for pass 2.
io::IngestSummary mine_kept(const LineSource& source, parse::TemplateMiner& miner, KeptLines& kept,
                            std::uint64_t& unmatched_format, parse::ObservedLines& observed) {
  ContentSplitter splitter(source);
  auto summary = source.read_all([&](const io::LineRecord& rec) {
    kept.text.emplace_back(rec.content);
    kept.pos.emplace_back(rec.line_no, rec.file_index);
    observed.push_back(miner.observe(splitter.content(rec.content)));
  });
  unmatched_format = splitter.unmatched();
  miner.build();
  return summary;
}

// What the per-line pass found.
struct LinePass {
  io::IngestSummary summary;  // of the files it read (empty for kept lines)
  std::uint64_t unmatched_format = 0;
  std::uint64_t overflow_templates = 0;
  std::uint64_t overflow_lines = 0;
};

// Pass 2 (or the one pass with known templates): every line's template, on `threads` workers
// against the frozen miner, rows written in input order. A mined line gets the template it was
// mined into (already counted); other lines are matched (and counted); lines nothing matches are
// learned on this thread by a miner of their own, whose templates join the store at the end.
class LinePasser {
 public:
  LinePasser(const LineSource& source, const TemplateParseOptions& options, parse::TemplateMiner& miner,
             bool have_known, const RowFormatter& format, const parse::ObservedLines& observed)
      : source_(source), options_(options), miner_(miner), have_known_(have_known), format_(format), observed_(observed),
        learned_(miner_options(options)), serial_splitter_(source) {
    const unsigned workers = std::max(1U, options.threads);
    state_.reserve(workers);
    for (unsigned w = 0; w < workers; ++w) {
      state_.emplace_back(source);
      state_.back().value.counts.resize(miner.store().templates().size());
    }
  }

  LinePass run(const KeptLines& kept, std::vector<std::string>& file_names, const RowOutput& output) {
    file_names_ = &file_names;
    ParallelRows rows(
        static_cast<unsigned>(state_.size()),
        [&](const ParallelRows::Line& line, unsigned w, std::string& row) { return assign(line, state_[w].value, row); },
        [&](const ParallelRows::Line& line, std::string& row) {
          const std::string_view content = serial_splitter_.content(line.text);
          const parse::ParseResult r = learned_.match_or_add(content);
          format_row(line, serial_splitter_, content, r, row);
        },
        [&](std::string_view bytes) { output.write(bytes); });
    LinePass pass;
    if (!kept.text.empty()) {
      for (std::size_t i = 0; i < kept.text.size(); ++i) rows.add({kept.text[i], kept.pos[i].first, kept.pos[i].second});
      rows.finish();
    } else {
      // the second pass reads them all again
      if (source_.options().ingest.progress) source_.options().ingest.progress->expect_files(source_.inputs().size());
      pass.summary = source_.read_all([&](const io::LineRecord& rec) {
        if (file_names[rec.file_index].empty()) file_names[rec.file_index] = rec.file;
        rows.add({rec.content, rec.line_no, rec.file_index});
      });
      rows.finish();
    }
    collect(pass);
    return pass;
  }

 private:
  struct Worker {
    explicit Worker(const LineSource& source) : splitter(source) {}
    ContentSplitter splitter;
    parse::AssignScratch scratch;
    parse::ParseResult result;
    std::vector<std::uint64_t> counts;  // matches per template index
  };

  static parse::MinerOptions miner_options(const TemplateParseOptions& options) {
    parse::MinerOptions m;
    m.max_templates = options.max_templates;
    return m;
  }

  bool assign(const ParallelRows::Line& line, Worker& me, std::string& row) const {
    const parse::TemplateMiner& frozen = miner_;
    const std::string_view content = me.splitter.content(line.text);
    parse::ParseResult& r = me.result;
    const auto observed = observed_.at(line.seq);
    const bool mined = !have_known_ && (observed ? frozen.assign_observed(*observed, content, r)
                                                 : frozen.assign(content, r, me.scratch));
    if (!mined) {
      if (!frozen.store().match(content, r)) return false;
      ++me.counts[r.index];
    }
    format_row(line, me.splitter, content, r, row);
    return true;
  }

  void format_row(const ParallelRows::Line& line, const ContentSplitter& splitter, std::string_view content,
                  const parse::ParseResult& r, std::string& row) const {
    if (!options_.rows) return;
    format_(ParsedRow{(*file_names_)[line.file], line.line_no, content, r, splitter.values()}, row);
  }

  // The workers' counts and what was learned on the way join the known templates.
  void collect(LinePass& pass) {
    for (const auto& w : state_) {
      pass.unmatched_format += w.value.splitter.unmatched();
      const auto& c = w.value.counts;
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (c[i] > 0) miner_.store().add_count(i, c[i]);
      }
    }
    learned_.finish();
    pass.overflow_templates = learned_.overflow_templates();
    pass.overflow_lines = learned_.overflow_lines();
    for (const auto& t : learned_.store().templates()) {
      if (!t.erased) miner_.store().add(t.text, t.count, false, t.runs);
    }
  }

  const LineSource& source_;
  const TemplateParseOptions& options_;
  parse::TemplateMiner& miner_;
  const bool have_known_;
  const RowFormatter& format_;
  const parse::ObservedLines& observed_;  // pass 1's line numbers (see kMaxObservedLines)
  parse::TemplateMiner learned_;
  ContentSplitter serial_splitter_;  // its count is the workers' already
  std::vector<Padded<Worker>> state_;
  std::vector<std::string>* file_names_ = nullptr;
};

}  // namespace

TemplateParse parse_templates(const LineSource& source, TemplateParseOptions options, const RowFormatter& format,
                              const RowOutput& output) {
  parse::MinerOptions miner_options;
  miner_options.max_templates = options.max_templates;
  parse::TemplateMiner miner = options.known ? parse::TemplateMiner(options.known->anchored(), miner_options)
                                             : parse::TemplateMiner(miner_options);
  options.known.reset();
  const bool have_known = miner.store().size() > 0;

  TemplateParse out;
  KeptLines kept;
  parse::ObservedLines observed;
  if (!have_known && source.has_stream() && options.rows) {
    out.summary = mine_kept(source, miner, kept, out.unmatched_format, observed);
  } else if (!have_known) {
    out.summary = mine_pass(source, miner, options.threads, out.unmatched_format, options.rows ? &observed : nullptr);
  } else {
    miner.store().reset_counts();
  }

  if (output.begin) output.begin();
  if (options.rows || have_known) {
    std::vector<std::string> file_names(source.inputs().size());
    for (std::size_t i = 0; i < out.summary.files.size() && !kept.text.empty(); ++i) {
      file_names[i] = out.summary.files[i].path;
    }
    LinePass pass = LinePasser(source, options, miner, have_known, format, observed).run(kept, file_names, output);
    if (have_known) {
      out.summary = std::move(pass.summary);
      out.unmatched_format = pass.unmatched_format;
    }
    out.overflow_templates = pass.overflow_templates;
    out.overflow_lines = pass.overflow_lines;
  }
  out.overflow_templates += miner.overflow_templates();
  out.overflow_lines += miner.overflow_lines();
  out.store = std::move(miner.store());
  return out;
}

void report_outcome(const TemplateParse& parsed, std::size_t max_templates, const LineSource& source,
                    std::span<const std::string> paths, double seconds) {
  spdlog::info("parsed {} lines into {} templates in {:.2f} s ({} lines did not match the header format)",
               parsed.summary.total.used, parsed.store.size(), seconds, parsed.unmatched_format);
  if (parsed.overflow_templates > 0) {
    spdlog::warn("more than {} templates: the {} least frequent ({} lines) are counted under \"{}\" "
                 "(--max-templates raises the limit)",
                 max_templates, parsed.overflow_templates, parsed.overflow_lines,
                 parse::TemplateMiner::overflow_text);
  }
  if (parsed.unmatched_format > 0 && source.options().formats.log_format) {
    spdlog::warn("{} of {} lines did not match --log-format; they were parsed whole", parsed.unmatched_format,
                 parsed.summary.total.used);
  }
  io::require_usable_lines(parsed.summary, paths);
}

}  // namespace l4::pipeline
