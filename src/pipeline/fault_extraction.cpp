#include "l4/pipeline/fault_extraction.hpp"

#include <map>

#include "l4/parse/template_miner.hpp"

namespace l4::pipeline {
namespace {

// A line kept for extraction (ingestion's views die with the visitor callback).
struct StoredLine {
  std::string node, file, content;
  std::uint64_t line_no = 0;
  format::Level level = format::Level::unknown;
  int rank = -1;
};

std::string set_key(const StoredLine& l, ExtractionSet group) {
  switch (group) {
    case ExtractionSet::node: return l.node;
    case ExtractionSet::file: return l.file;
    case ExtractionSet::job: break;
  }
  return {};
}

// The lines with their templates, grouped into extraction sets by key.
std::map<std::string, std::vector<extract::ExtractLine>> group_lines(const std::vector<StoredLine>& lines,
                                                                     parse::TemplateMiner& miner,
                                                                     ExtractionSet group) {
  std::map<std::string, std::vector<extract::ExtractLine>> groups;
  parse::ParseResult r;
  for (const auto& l : lines) {
    extract::ExtractLine e;
    e.node = l.node;
    e.file = l.file;
    e.line_no = l.line_no;
    e.rank = l.rank;
    e.level = l.level;
    e.content = l.content;
    if (miner.assign(l.content, r) || miner.match(l.content, r)) {
      e.template_id = r.id;
      e.template_text = r.template_text;
      e.parameters = r.parameters;
    } else {
      e.template_id = parse::template_id(l.content);  // unmatched: the line is its own template
    }
    groups[set_key(l, group)].push_back(std::move(e));
  }
  return groups;
}

}  // namespace

FaultExtraction extract_faults(const LineSource& source, std::span<const std::string> paths,
                               const FaultExtractionOptions& options) {
  std::vector<StoredLine> lines;
  const auto summary = source.read_all([&](const io::LineRecord& rec, const format::Header& h) {
    lines.push_back(StoredLine{std::string(rec.node), std::string(rec.file), std::string(h.content), rec.line_no,
                               h.level, rec.rank});
  });
  if (options.on_read) options.on_read();
  io::require_usable_lines(summary, paths);

  parse::TemplateMiner miner = options.templates_file.empty()
                                   ? parse::TemplateMiner()
                                   : parse::TemplateMiner(parse::TemplateStore::load(options.templates_file).anchored());
  for (const auto& l : lines) miner.observe(l.content);
  miner.build();

  const auto groups = group_lines(lines, miner, options.group);
  const extract::FaultExtractor extractor;
  FaultExtraction out;
  out.lines = lines.size();
  out.groups = groups.size();
  for (const auto& [key, group_lines] : groups) {
    for (auto& f : extractor.extract(group_lines, options.extract)) out.findings.emplace_back(key, std::move(f));
  }
  return out;
}

}  // namespace l4::pipeline
