#pragma once
// Ingestor: turns the paths a user gives (files, directories searched recursively, "-" for stdin)
// into LineRecords, in a deterministic order, with complete line accounting.
//
//   l4::io::Ingestor ingestor;                       // default options
//   auto inputs = ingestor.discover({"job_dir/"});   // throws l4::InputError on a missing path
//   auto summary = ingestor.read_all(inputs, [](const l4::io::LineRecord& line) { ... });
//
// Plain files are memory-mapped; gzip is recognised by its magic bytes, not its name. Reading one
// InputFile touches no shared state, so callers may read different files on different threads
// with read_file() and combine the FileSummaries with summarize() (ingest_summary.hpp).
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/io/ingest_summary.hpp"
#include "l4/io/line_record.hpp"
#include "l4/io/read_progress.hpp"

namespace l4::io {

struct IngestOptions {
  std::size_t max_line_bytes = 64 * 1024;  // longer lines are truncated and counted
  // For sampling only: stop reading a file after this many used lines (0 = read everything).
  // The file's summary then covers just the lines read.
  std::uint64_t stop_after_lines = 0;
  // When set, discover() adds the files it finds and read_file() the bytes it reads (uncompressed),
  // from any thread. Not owned.
  ReadProgress* progress = nullptr;
  // Warn (spdlog) about each file that is skipped, damaged or unreadable. Off for a second read of
  // the same files (a sample), which would repeat them; the summaries say the same either way.
  bool warnings = true;
};

// One input to read, with the node identity its path gives.
// The path that names standard input on a command line ("-"). Past discovery, an input knows
// what it is (InputFile::stream); this is for paths not yet discovered.
constexpr bool names_stdin(std::string_view path) { return path == "-"; }

struct InputFile {
  std::string path;      // filesystem path, or "-" for stdin
  std::string display;   // path as shown in reports (relative to the job root when found in one),
                         // escaped (escape_path): valid UTF-8, one line
  std::string node;      // node id from the path (NodeIdentity::from_path)
  bool single_input = false;  // the only file of the job: rank prefixes may name nodes
  bool from_directory = false;// found by walking a directory: unreadable means skipped, not fatal
  // A stream (stdin, a FIFO, a process substitution such as <(zcat f.gz)): it can be read only
  // once, so callers that read files twice (sampling first) must not sample it.
  bool stream = false;
  // Decided while discovering, without reading: not a log (document, checkpoint, special) or
  // unreadable (a directory that cannot be listed, a broken link). read_file() returns its summary
  // with this status and `skip_reason` as message. FileStatus::ok means: read it.
  FileStatus skip = FileStatus::ok;
  std::string skip_reason;
};

using LineVisitor = std::function<void(const LineRecord&)>;

class Ingestor {
 public:
  explicit Ingestor(IngestOptions options = {});

  // Expands paths into files: directories recursively (hidden entries skipped, symbolic links to
  // directories followed once: a directory reached again by its device and inode is not read
  // again), sorted by path. What a directory holds that is not a log (by name: checkpoints, YAML;
  // FIFOs and devices) and what cannot be listed or opened is returned too, marked with `skip`,
  // so the accounting names it. Throws l4::InputError naming the path when it does not exist or a
  // directory holds no files.
  [[nodiscard]] std::vector<InputFile> discover(std::span<const std::string> paths) const;

  // Reads one file, calling `visit` for every used line in order. Thread-safe across files.
  // A JSON document (one JSON value, e.g. truth.json) is recognised by its content and not read as
  // a log; a leading run of NUL bytes is skipped and counted. Throws l4::InputError when a file
  // named by the user cannot be opened.
  FileSummary read_file(const InputFile& input, const LineVisitor& visit,
                        std::uint32_t file_index = 0) const;

  // Reads all inputs in order; per-node totals included.
  IngestSummary read_all(std::span<const InputFile> inputs, const LineVisitor& visit) const;

  [[nodiscard]] const IngestOptions& options() const { return options_; }

 private:
  IngestOptions options_;
};

}  // namespace l4::io
