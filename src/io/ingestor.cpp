#include "l4/io/ingestor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "io/byte_source.hpp"
#include "io/line_splitter.hpp"
#include "l4/error.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/utf8.hpp"

namespace l4::io {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBinarySniffBytes = 8192;  // like git and grep: judged on the first block
constexpr std::size_t kPrefixSampleLines = 200;
constexpr std::size_t kWindowBytes = std::size_t{1} << 20;  // of a chunk, taken at a time (cache-sized)

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

// Binary data, judged on the first block of text (after a leading NUL run): more than one byte in
// ten is a NUL or a control character that text does not use (text has tabs, line ends, form
// feeds, backspaces and the escapes of colour codes), or more than one in three is that or part of
// no UTF-8 character. Compressed data, executables, pickles and UTF-16 are far above; a log with a
// stray NUL (counted per line instead) or written in Latin-1 is below.
bool looks_binary(std::string_view head) {
  std::size_t control = 0, not_utf8 = 0;
  for (std::size_t i = 0; i < head.size();) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence_length(head, i);
      if (len == 0) ++not_utf8;
      i += len == 0 ? 1 : len;
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != '\b' && c != 0x1b) ||
        c == 0x7f) {
      ++control;
    }
    ++i;
  }
  return control * 10 > head.size() || (control + not_utf8) * 3 > head.size();
}


// How much of a file's first text is examined to recognise a JSON document.
constexpr std::size_t kDocumentSniffBytes = 1 << 20;

// A SAX handler that accepts every value: used to learn where (if anywhere) parsing fails.
struct SyntaxOnly : nlohmann::json_sax<nlohmann::json> {
  std::size_t error_at = std::string_view::npos;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error_at = position;
    return false;
  }
};

// True when `text` is one JSON object or array, or the beginning of one (a pretty-printed
// truth.json, a config): a document, not a log. JSON Lines logs (one object per line) are not:
// parsing fails where the second value starts. Neither are logs that merely start with "["
// ("[2023-06-02 00:34:14,470] [INFO] ...", "[rank0]: ..."): they fail within a few bytes.
bool is_json_document(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) return false;
  text = text.substr(0, kDocumentSniffBytes);
  SyntaxOnly sax;
  const bool complete = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true);
  // Failing only at the end of the examined text means: a value that goes on past it.
  return complete || sax.error_at >= text.size();
}

// Reads one file: turns lines into LineRecords and keeps the accounting.
class FileReader {
 public:
  FileReader(const InputFile& input, std::uint32_t index, const IngestOptions& options,
             const LineVisitor& visit)
      : input_(input), visit_(visit), splitter_(options.max_line_bytes),
        stop_after_(options.stop_after_lines), progress_(options.progress), warn_(options.warnings) {
    summary_.path = input.display;
    summary_.node = input.node;
    record_.file = summary_.path;
    record_.file_index = index;
  }

  FileSummary read() {
    ByteSource source(input_.path);
    summary_.gzip = source.gzip();
    bool more = true;
    for (std::string_view chunk = source.next(); more && !chunk.empty(); chunk = source.next()) {
      summary_.counts.bytes += chunk.size();
      if (progress_ != nullptr) progress_->add_bytes(chunk.size());
      // a mapped file is one chunk: it is taken a window at a time, so that each window's bytes
      // are still in cache when its lines are cut, and a sample stops reading where it stops
      for (std::size_t at = 0; more && at < chunk.size(); at += kWindowBytes) more = take(chunk.substr(at, kWindowBytes));
    }
    splitter_.finish([this](std::string_view text, std::uint64_t offset, bool truncated) {
      if (!stopped()) on_line(text, offset, truncated);
    });
    if (progress_ != nullptr) progress_->file_done();
    finish_status(source);
    for (auto& [node, entry] : nodes_) {
      summary_.counts += entry;
      summary_.nodes.push_back(NodeSummary{node, 1, entry});
    }
    // Lines of a binary file and NULs before the first text belong to the file, not to a node.
    summary_.counts.skipped_binary += binary_lines_;
    summary_.counts.read += binary_lines_;
    summary_.counts.nul_bytes_skipped += leading_nul_;
    std::sort(summary_.nodes.begin(), summary_.nodes.end(),
              [](const NodeSummary& a, const NodeSummary& b) { return natural_less(a.node, b.node); });
    return std::move(summary_);
  }

 private:
  [[nodiscard]] bool stopped() const { return stop_after_ != 0 && used_ >= stop_after_; }

  // The lines of one piece of the file; false when reading stops here.
  bool take(std::string_view chunk) {
    if (!text_started_) {
      // A run of NUL bytes before the first text (copytruncate): skipped and counted.
      const std::size_t text = chunk.find_first_not_of('\0');
      if (text == std::string_view::npos) {
        leading_nul_ += chunk.size();
        return true;
      }
      leading_nul_ += text;
      chunk.remove_prefix(text);
      text_started_ = true;
      if (!sniff(chunk)) return false;
    }
    if (binary_) {
      binary_lines_ += count_lines(chunk);
      last_byte_newline_ = chunk.back() == '\n';
      return true;
    }
    // NULs in lines are rare: one memchr over the chunk decides whether its lines (and a line
    // carried over from the previous chunk) need looking at.
    const bool nul_here = chunk.find('\0') != std::string_view::npos;
    nul_possible_ = nul_here || nul_in_previous_;
    nul_in_previous_ = nul_here;
    splitter_.feed(chunk, [this](std::string_view text, std::uint64_t offset, bool truncated) {
      if (!stopped()) on_line(text, offset, truncated);
      if (stopped()) splitter_.stop();
    });
    return !stopped();
  }

  // Decides from the first text whether this is a log; false when the file is not read further.
  bool sniff(std::string_view head) {
    if (is_json_document(head)) {
      summary_.status = FileStatus::document;
      summary_.message = "JSON document, not a log; skipped";
      summary_.node.clear();
      return false;
    }
    if (looks_binary(head.substr(0, kBinarySniffBytes))) {
      binary_ = true;
      summary_.status = FileStatus::binary;
      summary_.message = "binary data (NUL, control or non-UTF-8 bytes); file skipped";
      summary_.node.clear();
      return true;  // its lines are counted
    }
    policy_ = decide_prefix_policy(head.substr(0, 1 << 16), input_.single_input);
    return true;
  }

  void finish_status(const ByteSource& source) {
    if (binary_) {
      if (!last_byte_newline_) ++binary_lines_;
      warn("{}: binary data (NUL, control or non-UTF-8 bytes), {} lines skipped", summary_.path, binary_lines_);
    }
    if (summary_.status == FileStatus::document) warn("{}: {}", summary_.path, summary_.message);
    if (source.damage()) {
      summary_.status = FileStatus::truncated_gzip;
      summary_.message = *source.damage() + "; lines before the damage were used";
      warn("{}: {}", summary_.path, summary_.message);
    }
    if (summary_.status == FileStatus::ok && !text_started_) {
      summary_.status = FileStatus::empty;
      summary_.message = leading_nul_ == 0 ? "empty file" : std::to_string(leading_nul_) + " NUL bytes and no text";
    } else if (leading_nul_ > 0) {
      warn("{}: {} NUL bytes before the first text skipped (a file truncated while written?)", summary_.path,
           leading_nul_);
    }
  }

  template <typename... Args>
  void warn(fmt::format_string<Args...> format, Args&&... args) const {
    if (warn_) spdlog::warn(format, std::forward<Args>(args)...);
  }

  LineCounts& counts_for(std::string_view node) {
    if (last_node_ != nullptr && last_node_->first == node) return last_node_->second;
    auto it = nodes_.find(node);
    if (it == nodes_.end()) it = nodes_.emplace(std::string(node), LineCounts{}).first;
    last_node_ = &*it;
    return it->second;
  }

  void on_line(std::string_view text, std::uint64_t offset, bool truncated) {
    ++line_no_;
    offset += leading_nul_;
    std::uint8_t flags = 0;
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
      flags |= kCrlf;
    }
    if (truncated) flags |= kTruncated;
    // A NUL run where a line starts (copytruncate met again later) is not part of the line.
    std::uint64_t nul_run = 0;
    if (!text.empty() && text.front() == '\0') {
      nul_run = std::min(text.find_first_not_of('\0'), text.size());
      text.remove_prefix(nul_run);
      offset += nul_run;
    }

    record_.raw = text;
    record_.content = text;
    record_.rank = -1;
    record_.rule = names_stdin(input_.path) ? NodeRule::stdin_input : NodeRule::path;
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
    counts.nul_bytes_skipped += nul_run;
    if (is_blank(record_.content)) {
      ++counts.skipped_blank;
      return;
    }
    if (!is_valid_utf8(text)) {
      flags |= kInvalidUtf8;
      ++counts.invalid_utf8;
    }
    if (nul_possible_ && std::memchr(text.data(), '\0', text.size()) != nullptr) {
      flags |= kNul;
      ++counts.nul;
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
  std::uint64_t leading_nul_ = 0;
  std::uint64_t stop_after_ = 0;
  ReadProgress* progress_ = nullptr;
  std::uint64_t used_ = 0;
  bool warn_ = true;
  bool text_started_ = false;
  bool nul_possible_ = false;    // the chunk being split (or the one before it) holds a NUL
  bool nul_in_previous_ = false;
  bool binary_ = false;
  bool last_byte_newline_ = true;
};


}  // namespace

LineCounts& LineCounts::operator+=(const LineCounts& o) {
  read += o.read;
  used += o.used;
  skipped_blank += o.skipped_blank;
  skipped_binary += o.skipped_binary;
  invalid_utf8 += o.invalid_utf8;
  truncated += o.truncated;
  crlf += o.crlf;
  nul += o.nul;
  nul_bytes_skipped += o.nul_bytes_skipped;
  bytes += o.bytes;
  return *this;
}

Ingestor::Ingestor(IngestOptions options) : options_(options) {
  if (options_.max_line_bytes == 0) throw InputError("the line-length cap must be at least 1 byte");
}


FileSummary Ingestor::read_file(const InputFile& input, const LineVisitor& visit,
                                std::uint32_t file_index) const {
  const auto without_lines = [&](FileStatus status, std::string message) {
    FileSummary summary;
    summary.path = input.display;
    summary.node = input.node;
    summary.status = status;
    summary.message = std::move(message);
    if (options_.progress != nullptr) options_.progress->file_done();
    return summary;
  };
  if (input.skip != FileStatus::ok) return without_lines(input.skip, input.skip_reason);
  FileReader reader(input, file_index, options_, visit);
  if (!input.from_directory) return reader.read();
  try {
    return reader.read();
  } catch (const InputError& e) {
    // A file met while walking a directory does not stop the run; it is reported and counted.
    if (options_.warnings) spdlog::warn("{}", e.what());
    return without_lines(FileStatus::unreadable, e.what());
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

std::vector<std::string> IngestSummary::nodes_missing_logs() const {
  std::vector<std::string> out;
  for (const auto& f : files) {
    if (f.status == FileStatus::unreadable && !f.node.empty()) out.push_back(f.node);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return natural_less(a, b); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void require_usable_lines(const IngestSummary& summary, std::span<const std::string> paths) {
  if (summary.total.used > 0) return;
  std::string named;
  for (std::size_t i = 0; i < paths.size() && i < 3; ++i) {
    named += (i ? ", " : "") + (names_stdin(paths[i]) ? std::string("standard input") : escape_path(paths[i]));
  }
  if (paths.size() > 3) named += fmt::format(" and {} more", paths.size() - 3);
  std::string why;
  std::size_t shown = 0;
  for (const auto& f : summary.files) {
    if (shown == 4) {
      why += fmt::format("; {} more", summary.files.size() - shown);
      break;
    }
    const std::string reason =
        f.status == FileStatus::ok ? fmt::format("{} blank lines", f.counts.skipped_blank) : f.message;
    why += fmt::format("{}{}: {}", shown++ ? "; " : "", f.path, reason);
  }
  throw InputError(fmt::format("no usable log line in {} ({})", named, why));
}

bool is_skipped(FileStatus status) {
  return status == FileStatus::binary || status == FileStatus::document || status == FileStatus::checkpoint ||
         status == FileStatus::special;
}

std::string_view to_string(FileStatus status) {
  switch (status) {
    case FileStatus::ok: return "ok";
    case FileStatus::empty: return "empty";
    case FileStatus::binary: return "binary";
    case FileStatus::truncated_gzip: return "truncated-gzip";
    case FileStatus::unreadable: return "unreadable";
    case FileStatus::document: return "document";
    case FileStatus::checkpoint: return "checkpoint";
    case FileStatus::special: return "special";
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
