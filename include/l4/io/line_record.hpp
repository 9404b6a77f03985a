#pragma once
// LineRecord: one log line as ingestion hands it to the rest of l4 — where it came from (node,
// file, line number, byte offset) and its bytes. Views point into ingestion's buffers and are valid
// only inside the visitor callback that receives the record; copy what you keep.
#include <cstdint>
#include <string_view>

namespace l4::io {

// Which rule decided a line's node id. Recorded so a misattribution can be traced.
enum class NodeRule : std::uint8_t {
  path,       // from the file's path relative to the job root (node-03.log, worker-7/stdout.log)
  stdin_input,// from standard input with no launcher prefix
  torchrun,   // "[rank3]:" or "[default3]:" prefix
  pdsh,       // "worker-3: " or "10.0.0.5: " prefix (pdsh, DeepSpeed multi-node launcher)
  slurm,      // "11: " prefix (srun -l)
  openmpi,    // "[1,0]<stdout>:" prefix (mpirun --tag-output)
  host_rank,  // "[gpu-a07:0]:" prefix: host and local rank
  ray,        // "(WorkerDict pid=44152) " / "(pid=7, ip=10.0.0.5) " / "(raylet) " prefix (Ray's log forwarding)
};

std::string_view to_string(NodeRule rule);

// Per-line facts ingestion noticed; the line is still used.
enum LineFlag : std::uint8_t {
  kInvalidUtf8 = 1U << 0,  // bytes kept as they are, counted in the summary
  kTruncated = 1U << 1,    // longer than IngestOptions::max_line_bytes; cut there
  kCrlf = 1U << 2,         // ended in "\r\n"; the "\r" is not part of raw/content
  kNul = 1U << 3,          // holds NUL bytes (kept as they are, counted in the summary)
};

struct LineRecord {
  std::string_view node;       // normalized node id (see NodeIdentity)
  std::string_view file;       // the source file's display path ("-" for stdin)
  std::uint32_t file_index = 0;// index of the file in IngestSummary::files
  std::uint64_t line_no = 0;   // 1-based line number within the (decompressed) file
  std::uint64_t offset = 0;    // byte offset of the line's first byte in the (decompressed) file
  std::string_view raw;        // the line without its terminator, launcher prefix included
  std::string_view content;    // raw with the launcher prefix stripped
  int rank = -1;               // global rank named by a launcher prefix, -1 when none
  NodeRule rule = NodeRule::path;
  std::uint8_t flags = 0;      // LineFlag bits

  [[nodiscard]] bool has(LineFlag f) const { return (flags & f) != 0; }
};

}  // namespace l4::io
