#pragma once
// NodeIdentity: decides which node a line belongs to — from a file's path relative to the job root
// (node-03.log, worker-7/stdout.log, rank_12.log, gpu-a17.log.gz) or from the launcher prefix a
// merged log carries on each line (torchrun, pdsh/DeepSpeed, srun -l, OpenMPI). Spatial diagnosis
// depends on this being right, so every rule is explicit and named (NodeRule).
#include <optional>
#include <string>
#include <string_view>

#include "l4/io/line_record.hpp"

namespace l4::io {

// A launcher prefix found at the start of a line (possibly nested: "worker-3: [rank13]:").
struct LauncherPrefix {
  std::size_t length = 0;      // bytes to strip from the line to get its content
  NodeRule rule = NodeRule::path;  // the outermost prefix's rule
  std::string_view host;       // pdsh/DeepSpeed host or IP, empty when none
  int rank = -1;               // rank (torchrun, OpenMPI) or task (srun -l), -1 when none

  // True for prefixes that name a machine (pdsh host/IP) rather than a process rank.
  [[nodiscard]] bool names_host() const { return !host.empty(); }
};

// Parses the launcher prefixes at the start of `line`; nullopt when there are none.
// `allow_ambiguous` enables the pdsh "host: " and srun "11: " forms, which can collide with
// ordinary text and are therefore only trusted when most of a file carries them.
std::optional<LauncherPrefix> parse_launcher_prefix(std::string_view line, bool allow_ambiguous);

// Node id of a file from its path relative to the job root: the first path component containing a
// digit (node-03/, worker-7/, rank_12.log), else the file stem unless it is generic (stdout, log,
// ...), else the parent directory. Compression and log extensions are removed (.gz, .log, .txt,
// .out, .err, rotation suffixes like .1).
std::string node_from_path(std::string_view relative_path);

// The node id a launcher prefix assigns: the host for pdsh/DeepSpeed, "rank<N>" for rank prefixes.
std::string node_from_prefix(const LauncherPrefix& prefix);

// Natural ordering for node ids ("node-2" < "node-10").
bool natural_less(std::string_view a, std::string_view b);

}  // namespace l4::io
