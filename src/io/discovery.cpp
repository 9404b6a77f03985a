// Discovery: which inputs the paths a user gives name — files, directories walked (hidden entries
// skipped, children in natural order, links followed once), stdin and streams — and which of them
// are not logs, by their name, before anything is read (Ingestor::discover).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "io/byte_source.hpp"
#include "l4/error.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/utf8.hpp"

namespace l4::io {
namespace fs = std::filesystem;

namespace {

// Names that say a file is not a log, whatever it holds: checkpoints, model weights and archives
// (reading them would only count megabytes of binary), and YAML documents (configs; YAML has no
// reliable content signature). JSON documents are recognised by their content instead.
struct NameRule {
  std::string_view suffix;
  FileStatus status;
  std::string_view reason;
};
constexpr NameRule kNotLogNames[] = {
    {".pt", FileStatus::checkpoint, "checkpoint (.pt)"},
    {".pth", FileStatus::checkpoint, "checkpoint (.pth)"},
    {".ckpt", FileStatus::checkpoint, "checkpoint (.ckpt)"},
    {".distcp", FileStatus::checkpoint, "checkpoint shard (.distcp)"},
    {".safetensors", FileStatus::checkpoint, "model weights (.safetensors)"},
    {".bin", FileStatus::checkpoint, "binary weights (.bin)"},
    {".npy", FileStatus::checkpoint, "array data (.npy)"},
    {".npz", FileStatus::checkpoint, "array data (.npz)"},
    {".pkl", FileStatus::checkpoint, "pickle (.pkl)"},
    {".pickle", FileStatus::checkpoint, "pickle (.pickle)"},
    {".h5", FileStatus::checkpoint, "HDF5 data (.h5)"},
    {".hdf5", FileStatus::checkpoint, "HDF5 data (.hdf5)"},
    {".onnx", FileStatus::checkpoint, "ONNX model (.onnx)"},
    {".tar", FileStatus::checkpoint, "archive (.tar)"},
    {".zip", FileStatus::checkpoint, "archive (.zip)"},
    {".yaml", FileStatus::document, "YAML document"},
    {".yml", FileStatus::document, "YAML document"},
};

const NameRule* not_log_by_name(std::string_view filename) {
  std::string lower(filename);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& rule : kNotLogNames) {
    if (lower.size() > rule.suffix.size() && lower.ends_with(rule.suffix)) return &rule;
  }
  return nullptr;
}

// An input that discovery already knows gives no lines.
InputFile skipped_input(std::string path, std::string display, std::string node, FileStatus status,
                        std::string reason) {
  InputFile f;
  f.path = std::move(path);
  f.display = std::move(display);
  f.node = std::move(node);
  f.from_directory = true;
  f.skip = status;
  f.skip_reason = std::move(reason);
  return f;
}

// The file or directory at `path` as discovery sees it: what it is, and its identity (device and
// inode) so that one reached twice through links is read once.
struct Entry {
  enum class Kind { file, directory, special, broken_link, error } kind = Kind::error;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string what;  // special: "FIFO", "socket", "device"; error: the reason
};

Entry look_at(const fs::path& path) {
  Entry e;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    struct stat lst {};
    if (err == ENOENT && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      e.kind = Entry::Kind::broken_link;
      e.what = "broken symbolic link";
    } else {
      e.what = std::strerror(err);
    }
    return e;
  }
  e.dev = st.st_dev;
  e.ino = st.st_ino;
  if (S_ISREG(st.st_mode)) {
    e.kind = Entry::Kind::file;
  } else if (S_ISDIR(st.st_mode)) {
    e.kind = Entry::Kind::directory;
  } else {
    e.kind = Entry::Kind::special;
    e.what = S_ISFIFO(st.st_mode) ? "FIFO" : S_ISSOCK(st.st_mode) ? "socket" : "device";
  }
  return e;
}

// Walks a job directory: hidden entries skipped, children in natural order (so what is found, and
// which of two links to one directory is followed, does not depend on the file system), symbolic
// links followed, every directory and file read once (device and inode).
class DirectoryWalker {
 public:
  explicit DirectoryWalker(const fs::path& root) : root_(root) {}

  std::vector<InputFile> walk(const std::string& shown_root) {
    const Entry top = look_at(root_);
    seen_.insert({top.dev, top.ino});
    std::error_code ec;
    fs::directory_iterator probe(root_, ec);
    if (ec) throw InputError("cannot read directory " + escape_path(shown_root) + ": " + ec.message());
    visit(root_, "");
    return std::move(found_);
  }

 private:
  void visit(const fs::path& dir, const std::string& relative) {
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (!name.empty() && name[0] != '.') names.push_back(std::move(name));
    }
    if (ec) {
      const std::string shown = escape_path(relative) + "/";
      spdlog::warn("{}: cannot read directory: {}", shown, ec.message());
      found_.push_back(skipped_input(dir.string(), shown, node_from_path(escape_path(relative)),
                                     FileStatus::unreadable, "cannot read directory: " + ec.message()));
      return;
    }
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return natural_less(a, b); });
    for (const auto& name : names) {
      const fs::path path = dir / name;
      const std::string rel = relative.empty() ? name : relative + "/" + name;
      const std::string shown = escape_path(rel);
      const Entry e = look_at(path);
      switch (e.kind) {
        case Entry::Kind::directory:
          if (seen_.insert({e.dev, e.ino}).second) {
            visit(path, rel);
          } else {
            spdlog::debug("{}/: already read through another path (a link, or a loop); not read again", shown);
          }
          break;
        case Entry::Kind::file:
          add_file(path, rel, shown, e);
          break;
        case Entry::Kind::special:
          found_.push_back(skipped_input(path.string(), shown, "", FileStatus::special,
                                         e.what + ", not a regular file; not read"));
          break;
        case Entry::Kind::broken_link:
        case Entry::Kind::error:
          spdlog::warn("{}: {}", shown, e.what);
          found_.push_back(skipped_input(path.string(), shown, node_from_path(shown), FileStatus::unreadable, e.what));
          break;
      }
    }
  }

  void add_file(const fs::path& path, const std::string& rel, const std::string& shown, const Entry& e) {
    if (!seen_.insert({e.dev, e.ino}).second) {
      spdlog::debug("{}: already read through another path (a link); not read again", shown);
      return;
    }
    if (const NameRule* rule = not_log_by_name(rel)) {
      found_.push_back(skipped_input(path.string(), shown, "", rule->status, std::string(rule->reason) + "; not read"));
      return;
    }
    InputFile file;
    file.path = path.string();
    file.display = shown;
    file.node = node_from_path(shown);
    file.from_directory = true;
    found_.push_back(std::move(file));
  }

  fs::path root_;
  std::set<std::pair<dev_t, ino_t>> seen_;
  std::vector<InputFile> found_;
};

}  // namespace

std::vector<InputFile> Ingestor::discover(std::span<const std::string> paths) const {
  std::vector<InputFile> inputs;
  for (const auto& path : paths) {
    if (names_stdin(path)) {
      InputFile in;
      in.path = in.display = "-";
      in.node = "stdin";
      in.stream = true;
      inputs.push_back(std::move(in));
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw InputError("no such file or directory: " + escape_path(path));
    if (fs::is_directory(status)) {
      auto found = DirectoryWalker(path).walk(path);
      if (found.empty()) throw InputError("no log files found in directory " + escape_path(path));
      std::move(found.begin(), found.end(), std::back_inserter(inputs));
      continue;
    }
    InputFile in;
    in.path = path;
    in.display = escape_path(path);
    in.node = node_from_path(escape_path(fs::path(path).filename().string()));
    in.stream = ByteSource::is_stream(path);
    if (const NameRule* rule = not_log_by_name(path); rule != nullptr && !in.stream) {
      in.skip = rule->status;
      in.skip_reason = std::string(rule->reason) + "; not read";
      in.node.clear();
    }
    inputs.push_back(std::move(in));
  }
  if (inputs.size() == 1) inputs.front().single_input = true;
  if (options_.progress != nullptr) options_.progress->expect_files(inputs.size());
  return inputs;
}

}  // namespace l4::io
