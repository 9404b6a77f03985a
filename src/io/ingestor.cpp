#include "l4/io/ingestor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "io/byte_source.hpp"
#include "io/line_splitter.hpp"
#include "l4/error.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/utf8.hpp"

namespace l4::io {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBinarySniffBytes = 8192;  // like git and grep: NUL in the first block
constexpr std::size_t kPrefixSampleLines = 200;

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::uint64_t count_lines(std::string_view chunk) {
  return static_cast<std::uint64_t>(std::count(chunk.begin(), chunk.end(), '\n'));
}

// How a file's launcher prefixes are treated, decided from a sample of its first lines.
struct PrefixPolicy {
  bool allow_ambiguous = false;  // pdsh/srun forms are trusted (most sampled lines carry them)
  bool host_nodes = false;       // host prefixes name nodes (>= 2 hosts, or the only input)
  bool rank_nodes = false;       // rank prefixes name nodes (the only input: a merged job log)
};

PrefixPolicy decide_prefix_policy(std::string_view sample, bool single_input) {
  PrefixPolicy policy;
  std::size_t sampled = 0, ambiguous = 0;
  std::vector<std::string_view> hosts;
  std::size_t pos = 0;
  while (pos < sample.size() && sampled < kPrefixSampleLines) {
    std::size_t end = sample.find('\n', pos);
    if (end == std::string_view::npos) end = sample.size();
    const std::string_view line = sample.substr(pos, end - pos);
    pos = end + 1;
    if (is_blank(line)) continue;
    ++sampled;
    if (auto p = parse_launcher_prefix(line, true)) {
      ++ambiguous;
      if (p->names_host() && std::find(hosts.begin(), hosts.end(), p->host) == hosts.end() &&
          hosts.size() < 4) {
        hosts.push_back(p->host);
      }
    }
  }
  policy.allow_ambiguous = sampled > 0 && ambiguous * 2 >= sampled;
  policy.host_nodes = policy.allow_ambiguous && (hosts.size() >= 2 || single_input);
  // Ranks are not nodes: a rank prefix names a process; the node is the host a prefix names, else
  // the file.
  policy.rank_nodes = false;
  return policy;
}

// Reads one file: turns lines into LineRecords and keeps the accounting.
class FileReader {
 public:
  FileReader(const InputFile& input, std::uint32_t index, const IngestOptions& options,
             const LineVisitor& visit)
      : input_(input), visit_(visit), splitter_(options.max_line_bytes),
        stop_after_(options.stop_after_lines), progress_(options.progress) {
    summary_.path = input.display;
    summary_.node = input.node;
    record_.file = summary_.path;
    record_.file_index = index;
  }

  FileSummary read() {
    ByteSource source(input_.path);
    summary_.gzip = source.gzip();
    bool first = true;
    for (std::string_view chunk = source.next(); !chunk.empty(); chunk = source.next()) {
      summary_.counts.bytes += chunk.size();
      if (progress_ != nullptr) progress_->add_bytes(chunk.size());
      if (first) {
        first = false;
        const auto head = chunk.substr(0, kBinarySniffBytes);
        if (head.find('\0') != std::string_view::npos) {
          binary_ = true;
          summary_.status = FileStatus::binary;
          summary_.message = "binary data (NUL bytes); file skipped";
        } else {
          policy_ = decide_prefix_policy(chunk.substr(0, 1 << 16), input_.single_input);
        }
      }
      if (binary_) {
        binary_lines_ += count_lines(chunk);
        last_byte_newline_ = chunk.back() == '\n';
        continue;
      }
      splitter_.feed(chunk, [this](std::string_view text, std::uint64_t offset, bool truncated) {
        if (!stopped()) on_line(text, offset, truncated);
      });
      if (stopped()) break;
    }
    splitter_.finish([this](std::string_view text, std::uint64_t offset, bool truncated) {
      if (!stopped()) on_line(text, offset, truncated);
    });
    if (progress_ != nullptr) progress_->file_done();
    if (binary_) {
      if (!last_byte_newline_) ++binary_lines_;
      counts_for(input_.node).skipped_binary += binary_lines_;
      counts_for(input_.node).read += binary_lines_;
      spdlog::warn("{}: binary data (NUL bytes), {} lines skipped", summary_.path, binary_lines_);
    }
    if (source.damage()) {
      summary_.status = FileStatus::truncated_gzip;
      summary_.message = *source.damage() + "; lines before the damage were used";
      spdlog::warn("{}: {}", summary_.path, summary_.message);
    }
    if (summary_.counts.bytes == 0 && summary_.status == FileStatus::ok) {
      summary_.status = FileStatus::empty;
      summary_.message = "empty file";
    }
    for (auto& [node, entry] : nodes_) {
      summary_.counts += entry;
      summary_.nodes.push_back(NodeSummary{node, 1, entry});
    }
    std::sort(summary_.nodes.begin(), summary_.nodes.end(),
              [](const NodeSummary& a, const NodeSummary& b) { return natural_less(a.node, b.node); });
    return std::move(summary_);
  }

 private:
  [[nodiscard]] bool stopped() const { return stop_after_ != 0 && used_ >= stop_after_; }

  LineCounts& counts_for(std::string_view node) {
    if (last_node_ != nullptr && last_node_->first == node) return last_node_->second;
    auto it = nodes_.find(node);
    if (it == nodes_.end()) it = nodes_.emplace(std::string(node), LineCounts{}).first;
    last_node_ = &*it;
    return it->second;
  }

  void on_line(std::string_view text, std::uint64_t offset, bool truncated) {
    ++line_no_;
    std::uint8_t flags = 0;
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
      flags |= kCrlf;
    }
    if (truncated) flags |= kTruncated;

    record_.raw = text;
    record_.content = text;
    record_.rank = -1;
    record_.rule = input_.path == "-" ? NodeRule::stdin_input : NodeRule::path;
    std::string_view node = input_.node;
    if (auto prefix = parse_launcher_prefix(text, policy_.allow_ambiguous)) {
      record_.content = text.substr(prefix->length);
      record_.rank = prefix->rank;
      if (prefix->names_host() ? policy_.host_nodes : policy_.rank_nodes) {
        scratch_node_ = node_from_prefix(*prefix);
        node = scratch_node_;
        record_.rule = prefix->rule;
        summary_.merged = true;
      }
    }
    LineCounts& counts = counts_for(node);
    ++counts.read;
    if (is_blank(record_.content)) {
      ++counts.skipped_blank;
      return;
    }
    if (!is_valid_utf8(text)) {
      flags |= kInvalidUtf8;
      ++counts.invalid_utf8;
    }
    if (truncated) ++counts.truncated;
    if ((flags & kCrlf) != 0) ++counts.crlf;
    ++counts.used;
    ++used_;
    record_.node = last_node_->first;  // stable storage of the node id
    record_.line_no = line_no_;
    record_.offset = offset;
    record_.flags = flags;
    visit_(record_);
  }

  const InputFile& input_;
  const LineVisitor& visit_;
  LineSplitter splitter_;
  FileSummary summary_;
  LineRecord record_;
  PrefixPolicy policy_;
  std::map<std::string, LineCounts, std::less<>> nodes_;
  std::pair<const std::string, LineCounts>* last_node_ = nullptr;
  std::string scratch_node_;
  std::uint64_t line_no_ = 0;
  std::uint64_t binary_lines_ = 0;
  std::uint64_t stop_after_ = 0;
  ReadProgress* progress_ = nullptr;
  std::uint64_t used_ = 0;
  bool binary_ = false;
  bool last_byte_newline_ = true;
};

void add_directory(const fs::path& root, const std::string& shown_root, std::vector<InputFile>& out) {
  std::vector<InputFile> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw InputError("cannot read directory " + shown_root + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw InputError("cannot read directory " + shown_root + ": " + ec.message());
    const auto name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    const std::string relative = it->path().lexically_relative(root).generic_string();
    InputFile file;
    file.path = it->path().string();
    file.display = relative;
    file.node = node_from_path(relative);
    file.from_directory = true;
    found.push_back(std::move(file));
  }
  if (found.empty()) throw InputError("no log files found in directory " + shown_root);
  std::sort(found.begin(), found.end(),
            [](const InputFile& a, const InputFile& b) { return natural_less(a.display, b.display); });
  std::move(found.begin(), found.end(), std::back_inserter(out));
}

}  // namespace

LineCounts& LineCounts::operator+=(const LineCounts& o) {
  read += o.read;
  used += o.used;
  skipped_blank += o.skipped_blank;
  skipped_binary += o.skipped_binary;
  invalid_utf8 += o.invalid_utf8;
  truncated += o.truncated;
  crlf += o.crlf;
  bytes += o.bytes;
  return *this;
}

Ingestor::Ingestor(IngestOptions options) : options_(options) {
  if (options_.max_line_bytes == 0) throw InputError("the line-length cap must be at least 1 byte");
}

std::vector<InputFile> Ingestor::discover(std::span<const std::string> paths) const {
  std::vector<InputFile> inputs;
  for (const auto& path : paths) {
    if (path == "-") {
      inputs.push_back(InputFile{"-", "-", "stdin", false, false});
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw InputError("no such file or directory: " + path);
    if (fs::is_directory(status)) {
      add_directory(path, path, inputs);
    } else {
      const fs::path p(path);
      inputs.push_back(InputFile{path, path, node_from_path(p.filename().string()), false, false});
    }
  }
  if (inputs.size() == 1) inputs.front().single_input = true;
  if (options_.progress != nullptr) options_.progress->expect_files(inputs.size());
  return inputs;
}

FileSummary Ingestor::read_file(const InputFile& input, const LineVisitor& visit,
                                std::uint32_t file_index) const {
  FileReader reader(input, file_index, options_, visit);
  if (!input.from_directory) return reader.read();
  try {
    return reader.read();
  } catch (const InputError& e) {
    // A file met while walking a directory does not stop the run; it is reported and counted.
    spdlog::warn("{}", e.what());
    FileSummary summary;
    summary.path = input.display;
    summary.node = input.node;
    summary.status = FileStatus::unreadable;
    summary.message = e.what();
    return summary;
  }
}

IngestSummary Ingestor::read_all(std::span<const InputFile> inputs, const LineVisitor& visit) const {
  std::vector<FileSummary> files;
  files.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    files.push_back(read_file(inputs[i], visit, static_cast<std::uint32_t>(i)));
  }
  return summarize(std::move(files));
}

IngestSummary summarize(std::vector<FileSummary> files) {
  IngestSummary summary;
  std::map<std::string, NodeSummary, std::less<>> nodes;
  for (const auto& file : files) {
    summary.total += file.counts;
    for (const auto& n : file.nodes) {
      auto& entry = nodes[n.node];
      entry.node = n.node;
      entry.files += 1;
      entry.counts += n.counts;
    }
  }
  for (auto& [name, node] : nodes) summary.nodes.push_back(std::move(node));
  std::sort(summary.nodes.begin(), summary.nodes.end(),
            [](const NodeSummary& a, const NodeSummary& b) { return natural_less(a.node, b.node); });
  summary.files = std::move(files);
  return summary;
}

std::string_view to_string(FileStatus status) {
  switch (status) {
    case FileStatus::ok: return "ok";
    case FileStatus::empty: return "empty";
    case FileStatus::binary: return "binary";
    case FileStatus::truncated_gzip: return "truncated-gzip";
    case FileStatus::unreadable: return "unreadable";
  }
  return "unknown";
}

std::string_view to_string(NodeRule rule) {
  switch (rule) {
    case NodeRule::path: return "path";
    case NodeRule::stdin_input: return "stdin";
    case NodeRule::torchrun: return "torchrun";
    case NodeRule::pdsh: return "pdsh";
    case NodeRule::slurm: return "slurm";
    case NodeRule::openmpi: return "openmpi";
    case NodeRule::ray: return "ray";
    case NodeRule::host_rank: return "host_rank";
  }
  return "unknown";
}

}  // namespace l4::io
