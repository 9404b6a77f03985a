#include "log_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "l4/error.hpp"
#include "l4/simulate/sim_catalogue.hpp"

namespace l4::simulate {

namespace fs = std::filesystem;

std::optional<Layout> parse_layout(std::string_view name) {
  const auto& names = SimCatalogue::layouts();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<Layout>(it - names.begin());
}

int LogFiles::add(const std::string& rel) {
  sinks_.push_back(std::make_unique<FileSink>((fs::path(logs_) / rel).string(), rel, gzip_, flush_bytes_));
  return static_cast<int>(sinks_.size() - 1);
}

LogFiles::LogFiles(const LogShape& shape) : logs_(shape.logs_dir), gzip_(shape.gzip) {
  const fs::path logs = logs_;
  std::error_code ec;
  fs::remove_all(logs, ec);
  fs::create_directories(logs, ec);
  if (ec) throw Error("cannot create " + logs.string() + ": " + ec.message());
  ext_ = shape.gzip ? ".log.gz" : ".log";
  const auto n = static_cast<int>(shape.hosts.size());
  const int k = shape.ranks_per_node;
  const Layout layout = shape.layout;
  const std::size_t files = layout == Layout::per_rank ? static_cast<std::size_t>(n * k)
                            : layout == Layout::per_node ? static_cast<std::size_t>(n) : 1;
  // A 96 MiB budget of buffers shared by the files, each between 64 KiB and 8 MiB.
  flush_bytes_ = std::clamp<std::size_t>((std::size_t{96} << 20) / files, 64 << 10, 8 << 20);
  rank_stream_.resize(static_cast<std::size_t>(n * k));
  node_stream_.resize(static_cast<std::size_t>(n));
  const int merged = layout == Layout::merged ? add("job" + ext_) : -1;
  for (int node = 0; node < n; ++node) {
    const auto& host = shape.hosts[static_cast<std::size_t>(node)];
    auto& agent = node_stream_[static_cast<std::size_t>(node)];
    int node_sink = merged;
    if (layout == Layout::per_node) node_sink = add(host + ext_);
    if (layout == Layout::per_rank) fs::create_directories(logs / host, ec);
    for (int l = 0; l < k; ++l) {
      const int r = node * k + l;
      auto& s = rank_stream_[static_cast<std::size_t>(r)];
      if (layout == Layout::per_rank) {
        s.sink = add(fmt::format("{}/rank_{}{}", host, r, ext_));
        if (l == 0) agent.sink = s.sink;  // the agent's lines go to the node's first rank file
      } else {
        s.sink = node_sink;
        if (layout == Layout::merged) s.prefix = host + ": ";
        if (shape.rank_prefix) s.prefix += fmt::format("[rank{}]:", r);
      }
    }
    if (layout != Layout::per_rank) {
      agent.sink = node_sink;
      if (layout == Layout::merged) agent.prefix = host + ": ";
    }
  }
}

std::pair<std::uint64_t, std::uint64_t> LogFiles::close() {
  std::uint64_t bytes = 0, lines = 0;
  for (auto& s : sinks_) {
    bytes += s->bytes();
    lines += s->lines();
    s->close();
  }
  return {bytes, lines};
}

}  // namespace l4::simulate
