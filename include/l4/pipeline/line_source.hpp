#pragma once
// LineSource: the lines of a job or of some files, with their headers split — ingestion (io) and
// the header parser the options choose (format): `--log-format` alone, else the user's formats
// files before the known formats. Every command that reads logs (diagnose, history add, parse,
// extract) reads them through one, so that choice and the input discovery are made in one place.
//
//   pipeline::LineSource source(paths, {ingest_options, format_options});
//   source.read_all([&](const io::LineRecord& line, const format::Header& header) { ... });
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "l4/format/header_parser.hpp"
#include "l4/io/ingestor.hpp"

namespace l4::pipeline {

struct SourceOptions {
  io::IngestOptions ingest;
  format::FormatOptions formats;  // --log-format, --formats; default: the known formats
};

using HeaderVisitor = std::function<void(const io::LineRecord& line, const format::Header& header)>;
// A line of a sample with its header, and the number (0 .. threads-1) of the thread reading it.
using SampleVisitor = std::function<void(const io::LineRecord& line, const format::Header& header, unsigned worker)>;

class LineSource {
 public:
  // Discovers the inputs of `paths` (io::Ingestor::discover) and compiles the formats. Throws
  // l4::InputError for unusable paths and for a --log-format or formats file that is not valid.
  LineSource(std::span<const std::string> paths, SourceOptions options);

  [[nodiscard]] const std::vector<io::InputFile>& inputs() const { return inputs_; }
  [[nodiscard]] const io::Ingestor& ingestor() const { return ingestor_; }
  [[nodiscard]] const SourceOptions& options() const { return options_; }
  // Whether an input can be read only once (stdin, a FIFO, a process substitution).
  [[nodiscard]] bool has_stream() const;

  // A header parser as the options say: one per thread (split is const, but a thread keeps its own
  // format hint per stream).
  [[nodiscard]] format::HeaderParser header_parser() const { return format::HeaderParser(options_.formats); }
  // The fields of --log-format (Date, Time, ..., Content): Loghub's CSV columns; none without one.
  [[nodiscard]] std::vector<std::string> log_format_fields() const;

  // Every line of every input, in input order, with its header split (a format hint per file).
  io::IngestSummary read_all(const HeaderVisitor& visit) const;
  // The raw lines (no header split), in input order.
  io::IngestSummary read_all(const io::LineVisitor& visit) const { return ingestor_.read_all(inputs_, visit); }
  // The first `lines_per_file` lines of every input that is not a stream, with their headers
  // split; no progress and no warnings (the full read that follows reports both). On `threads`
  // threads, the inputs dealt out in turn: `visit` is called from several threads at once, each
  // file's lines in order on one of them. Rethrows a thread's error.
  void read_sample(std::uint64_t lines_per_file, unsigned threads, const SampleVisitor& visit) const;

 private:
  SourceOptions options_;
  io::Ingestor ingestor_;
  std::vector<io::InputFile> inputs_;
  format::HeaderParser headers_;
};

}  // namespace l4::pipeline
