#pragma once
// The line accounting of an ingestion run: every line read is either used or skipped for a named
// reason, per file and per node, and every file met is listed with what happened to it, so nothing
// is ever dropped silently.
#include <cstdint>
#include <span>
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
  std::uint64_t nul = 0;           // used lines holding NUL bytes (kept byte-exact)
  // NUL bytes skipped where a line starts: the run logrotate's copytruncate leaves at the start of
  // a file (a writer kept its offset), or such a run met later. Not part of any line.
  std::uint64_t nul_bytes_skipped = 0;
  std::uint64_t bytes = 0;         // bytes read (after decompression)

  LineCounts& operator+=(const LineCounts& o);
  [[nodiscard]] std::uint64_t skipped() const { return skipped_blank + skipped_binary; }
};

struct NodeSummary {
  std::string node;
  std::uint32_t files = 0;  // files that contributed lines to this node
  LineCounts counts;        // read/used/... of the lines attributed to this node
};

// What happened to one input (a file, or a directory that could not be listed). Every status but
// ok, empty and truncated_gzip means the input gave no lines; its reason is in the message.
enum class FileStatus : std::uint8_t {
  ok,
  empty,           // no text: zero bytes, or only NUL bytes
  binary,          // NUL bytes in its first block of text: skipped, its lines counted as skipped_binary
  truncated_gzip,  // gzip stream ended early: lines before the cut are used
  unreadable,      // could not be opened, listed or read (only inside a directory walk; a named path throws)
  document,        // a JSON or YAML document (configs, truth.json, metadata): not a log, not read further
  checkpoint,      // a model checkpoint or archive by its name (.pt, .safetensors, ...): not read
  special,         // a FIFO, socket or device met in a directory walk: not read (it may block)
};

std::string_view to_string(FileStatus status);

// True for the statuses of inputs that are not logs (document, checkpoint, binary, special): they
// are listed with their reason and belong to no node.
bool is_skipped(FileStatus status);

struct FileSummary {
  std::string path;      // display path ("-" for stdin; escaped, see escape_path)
  std::string node;      // node id from the path ("" when lines carry their own via prefixes, or
                         // the input is not a log)
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

  // Nodes some of whose logs could not be read (unreadable files or directories, named by path),
  // in natural order, each once.
  [[nodiscard]] std::vector<std::string> nodes_missing_logs() const;
};

// Combines per-file summaries (in input order) into per-node and total counts.
IngestSummary summarize(std::vector<FileSummary> files);

// Throws l4::InputError naming `paths` (and why each input gave nothing) when `summary` holds no
// usable line at all: every command that reads logs stops there (exit 2) rather than report on
// nothing.
void require_usable_lines(const IngestSummary& summary, std::span<const std::string> paths);

}  // namespace l4::io
