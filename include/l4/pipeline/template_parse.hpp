#pragma once
// Template parsing of whole inputs (`l4 parse`): every line's template and parameters, written in
// input order, and the templates with their counts.
//
// Without known templates, pass 1 mines all lines (their counts are the templates' counts, header
// split and masking on `threads` workers) and, when rows are wanted, pass 2 gives each line the
// template it was mined into. A stream (stdin, a FIFO, <(zcat f.gz)) cannot be read twice, so its
// lines are kept in memory; files are read again. With known templates: one pass, matching; lines
// no template matches are learned on the way and join the store. Nothing depends on `threads`.
//
//   pipeline::LineSource source(paths, options);
//   auto parsed = pipeline::parse_templates(source, {}, [&](const ParsedRow& row, std::string& out) {
//     out += ...;  // on worker threads
//   }, {.begin = [&] { open(); }, .write = [&](std::string_view bytes) { write(bytes); }});
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/io/ingest_summary.hpp"
#include "l4/parse/miner_options.hpp"
#include "l4/parse/parse_result.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/pipeline/line_source.hpp"

namespace l4::pipeline {

struct TemplateParseOptions {
  unsigned threads = 2;
  std::size_t max_templates = parse::MinerOptions{}.max_templates;
  std::optional<parse::TemplateStore> known;  // start from these templates (one matching pass)
  bool rows = true;                           // a row per line; false: only the templates
};

// One line's parse, as the row formatter sees it.
struct ParsedRow {
  std::string_view file;  // as reported (InputFile::display)
  std::uint64_t line_no = 0;
  std::string_view content;
  const parse::ParseResult& result;
  // The values of LineSource::log_format_fields() in this line; nullptr without --log-format.
  const std::vector<std::string_view>* fields = nullptr;
};

// Appends a line's row to `out`; called on several threads at once (must only read shared state).
using RowFormatter = std::function<void(const ParsedRow& row, std::string& out)>;
// Where the rows go, on the calling thread.
struct RowOutput {
  std::function<void()> begin;                         // once, after mining and before any row
  std::function<void(std::string_view bytes)> write;   // the rows, in input order
};

struct TemplateParse {
  io::IngestSummary summary;
  parse::TemplateStore store;                // the templates, with the counts of these inputs
  std::uint64_t unmatched_format = 0;        // lines no header format matched (parsed whole)
  std::uint64_t overflow_templates = 0;      // templates beyond max_templates ...
  std::uint64_t overflow_lines = 0;          // ... and their lines, counted under the overflow one
};

// Parses every line of `source`. `format` is used only when options.rows.
TemplateParse parse_templates(const LineSource& source, TemplateParseOptions options, const RowFormatter& format,
                              const RowOutput& output);

// Logs what the parse left to say (lines that matched no --log-format, the template limit) and
// throws l4::InputError when the inputs held no usable line (io::require_usable_lines).
void report_outcome(const TemplateParse& parsed, std::size_t max_templates, const LineSource& source,
                    std::span<const std::string> paths, double seconds);

}  // namespace l4::pipeline
