// Ingestion of a byte buffer as a file (plain, gzip, NUL runs, CRLF, launcher prefixes, binary,
// JSON documents ...): written to a scratch job directory and read as every command reads it. The
// accounting holds for every file and node: read = used + blank + binary, the nodes add up to the
// file, and every record is a view with a valid line number and node.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "l4/error.hpp"
#include "l4/io/ingestor.hpp"

namespace {
std::filesystem::path scratch_dir() {
  const char* dir = std::getenv("TMPDIR");
  auto p = std::filesystem::path(dir != nullptr ? dir : "/tmp") / ("l4-fuzz-ingest-" + std::to_string(getpid()));
  std::filesystem::create_directories(p);
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using l4::fuzz::require;
  static const auto dir = scratch_dir();
  // The first byte picks the file name (a node log, a merged job log, a .json name) and a small
  // line cap now and then, so truncation is met too.
  const std::uint8_t pick = size > 0 ? data[0] : 0;
  static const char* const kNames[] = {"node-03.log", "job.log", "truth.json", "rank_7.log.1"};
  const auto file = dir / kNames[pick % 4];
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  l4::io::IngestOptions options;
  options.max_line_bytes = pick & 0x10 ? 16 : 64 * 1024;
  options.warnings = false;
  const l4::io::Ingestor ingestor(options);
  l4::io::IngestSummary summary;
  std::uint64_t seen = 0;
  try {
    const std::string paths[] = {(pick & 0x20) ? dir.string() : file.string()};
    const auto inputs = ingestor.discover(paths);
    summary = ingestor.read_all(inputs, [&](const l4::io::LineRecord& r) {
      ++seen;
      require(!r.node.empty(), "every used line has a node");
      require(r.line_no >= 1, "line numbers start at 1");
      require(r.content.size() <= r.raw.size(), "content is raw without its prefix");
      require(r.raw.size() <= options.max_line_bytes, "lines are cut at the cap");
    });
  } catch (const l4::InputError&) {
    std::filesystem::remove(file);
    return 0;
  }
  std::filesystem::remove(file);
  const auto& t = summary.total;
  require(t.used == seen, "used counts the lines visited");
  require(t.read == t.used + t.skipped_blank + t.skipped_binary, "read = used + blank + binary");
  require(t.invalid_utf8 <= t.used && t.truncated <= t.used && t.crlf <= t.used && t.nul <= t.used,
          "flag counts never exceed the used lines");
  l4::io::LineCounts nodes;
  for (const auto& n : summary.nodes) nodes += n.counts;
  require(nodes.used == t.used && nodes.skipped_blank == t.skipped_blank, "the nodes add up to the files");
  for (const auto& f : summary.files) {
    if (l4::io::is_skipped(f.status)) require(f.nodes.empty() && f.counts.used == 0, "a skipped input is no node");
  }
  return 0;
}
