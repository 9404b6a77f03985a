#include "l4/pipeline/line_source.hpp"

#include <algorithm>

#include "support/workers.hpp"

namespace l4::pipeline {

LineSource::LineSource(std::span<const std::string> paths, SourceOptions options)
    : options_(std::move(options)),
      ingestor_(options_.ingest),
      inputs_(ingestor_.discover(paths)),
      headers_(options_.formats) {}

bool LineSource::has_stream() const {
  return std::any_of(inputs_.begin(), inputs_.end(), [](const io::InputFile& f) { return f.stream; });
}

std::vector<std::string> LineSource::log_format_fields() const {
  if (!options_.formats.log_format) return {};
  return headers_.formats().front().fields();
}

io::IngestSummary LineSource::read_all(const HeaderVisitor& visit) const {
  std::size_t hint = 0;
  std::uint32_t last_file = ~0U;
  return ingestor_.read_all(inputs_, [&](const io::LineRecord& rec) {
    if (rec.file_index != last_file) {
      hint = 0;
      last_file = rec.file_index;
    }
    visit(rec, headers_.split(rec.content, hint));
  });
}

void LineSource::read_sample(std::uint64_t lines_per_file, unsigned threads, const SampleVisitor& visit) const {
  io::IngestOptions sample_options = options_.ingest;
  sample_options.stop_after_lines = lines_per_file;
  sample_options.progress = nullptr;  // progress counts the full read only
  sample_options.warnings = false;    // and the full read warns
  const io::Ingestor sampler(sample_options);
  threads = std::max(1U, std::min<unsigned>(threads, static_cast<unsigned>(inputs_.size())));
  const auto read_share = [&](unsigned worker) {
    const format::HeaderParser headers = header_parser();  // a thread's own (format hints)
    for (std::size_t i = worker; i < inputs_.size(); i += threads) {
      if (inputs_[i].stream) continue;
      std::size_t hint = 0;
      sampler.read_file(inputs_[i], [&](const io::LineRecord& line) { visit(line, headers.split(line.content, hint), worker); });
    }
  };
  support::run_workers(threads, read_share);
}

}  // namespace l4::pipeline
