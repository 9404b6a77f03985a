#pragma once
// The line accounting of an ingestion run: every line read is either used or skipped for a named
// reason, per file and per node, so nothing is ever dropped silently.
#include <cstdint>
#include <string>
#include <vector>

#include "l4/io/line_record.hpp"

namespace l4::io {

struct LineCounts {
  std::uint64_t read = 0;          // lines seen (used + skipped_blank + skipped_binary)
  std::uint64_t used = 0;          // lines handed to the visitor
  std::uint64_t skipped_blank = 0; // empty or whitespace-only lines
  std::uint64_t skipped_binary = 0;// lines of files skipped as binary
  std::uint64_t invalid_utf8 = 0;  // used lines holding invalid UTF-8 (kept byte-exact)
  std::uint64_t truncated = 0;     // used lines cut at the line-length cap
  std::uint64_t crlf = 0;          // used lines that ended in CRLF
  std::uint64_t bytes = 0;         // bytes read (after decompression)

  LineCounts& operator+=(const LineCounts& o);
  [[nodiscard]] std::uint64_t skipped() const { return skipped_blank + skipped_binary; }
};

struct NodeSummary {
  std::string node;
  std::uint32_t files = 0;  // files that contributed lines to this node
  LineCounts counts;        // read/used/... of the lines attributed to this node
};

// What happened to one input file.
enum class FileStatus : std::uint8_t {
  ok,
  empty,           // zero bytes
  binary,          // NUL bytes in its first block: skipped, its lines counted as skipped_binary
  truncated_gzip,  // gzip stream ended early: lines before the cut are used
  unreadable,      // could not be opened/read (only inside a directory walk; a named file throws)
};

std::string_view to_string(FileStatus status);

struct FileSummary {
  std::string path;      // display path ("-" for stdin)
  std::string node;      // node id from the path ("" when lines carry their own via prefixes)
  bool gzip = false;
  bool merged = false;   // lines attributed to nodes by launcher prefixes
  FileStatus status = FileStatus::ok;
  std::string message;   // why status is not ok
  LineCounts counts;
  std::vector<NodeSummary> nodes;  // this file's lines per node (one entry unless merged)
};

// Whole-run accounting; build it from per-file summaries with summarize().
struct IngestSummary {
  std::vector<FileSummary> files;  // in input order
  std::vector<NodeSummary> nodes;  // sorted by node id (natural order: node-2 before node-10)
  LineCounts total;
};

// Combines per-file summaries (in input order) into per-node and total counts.
IngestSummary summarize(std::vector<FileSummary> files);

}  // namespace l4::io
