#pragma once
// LogFiles: where a job's lines go. The layout decides the files (one per node, one per rank, or
// one merged file) and what each process's lines start with: the host in a merged file ("host: ",
// as a launcher that collects output prefixes it), "[rankN]:" for styles whose launcher tags
// rank output. Content generation never sees a path; it writes to a rank's or a node agent's
// stream.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_sink.hpp"

namespace l4::simulate {

// The log layouts of SimCatalogue::layouts(), in its order.
enum class Layout : std::uint8_t { per_node, per_rank, merged };
std::optional<Layout> parse_layout(std::string_view name);

// One writer's output: its file and the text before each of its lines.
struct Stream {
  int sink = 0;
  std::string prefix;
};

// What the files of a job need to know about it.
struct LogShape {
  std::string logs_dir;             // DIR/logs (emptied and created)
  Layout layout = Layout::per_node;
  std::vector<std::string> hosts;   // per node
  int ranks_per_node = 1;
  bool rank_prefix = false;         // the style's launcher prefixes rank output with "[rankN]:"
  bool gzip = false;
};

class LogFiles {
 public:
  // Creates the logs directory (throws l4::Error when it cannot) and plans the files.
  explicit LogFiles(const LogShape& shape);

  [[nodiscard]] const Stream& rank_stream(int rank) const { return rank_stream_[static_cast<std::size_t>(rank)]; }
  // The node's launcher agent (torchrun) writes here.
  [[nodiscard]] const Stream& node_stream(int node) const { return node_stream_[static_cast<std::size_t>(node)]; }
  [[nodiscard]] FileSink& sink(const Stream& s) { return *sinks_[static_cast<std::size_t>(s.sink)]; }

  // Writes and closes every file; returns the log bytes (uncompressed) and lines written.
  std::pair<std::uint64_t, std::uint64_t> close();

 private:
  int add(const std::string& rel);

  std::string logs_;
  std::string ext_;
  bool gzip_ = false;
  std::size_t flush_bytes_ = 0;
  std::vector<std::unique_ptr<FileSink>> sinks_;
  std::vector<Stream> rank_stream_, node_stream_;
};

}  // namespace l4::simulate
