#include "l4/io/node_identity.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "text/chars.hpp"

namespace l4::io {
namespace {

using text::is_digit;

// Parses decimal digits at s[pos...]; returns the count consumed (0 when none).
std::size_t parse_int(std::string_view s, std::size_t pos, int& value) {
  std::size_t i = pos;
  long v = 0;
  while (i < s.size() && is_digit(s[i]) && i - pos < 9) {
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i > pos) value = static_cast<int>(v);
  return i - pos;
}

// "[rank3]:" / "[default3]:" (torchrun --tee / --local-ranks-filter output).
std::size_t match_torchrun(std::string_view s, int& rank) {
  for (std::string_view head : {std::string_view("[rank"), std::string_view("[default")}) {
    if (s.starts_with(head)) {
      const std::size_t digits = parse_int(s, head.size(), rank);
      const std::size_t end = head.size() + digits;
      if (digits > 0 && s.size() >= end + 2 && s[end] == ']' && s[end + 1] == ':') return end + 2;
    }
  }
  return 0;
}

// "[gpu-a07:0]:" (launchers that label each line with its host and local rank): host, rank.
std::size_t match_host_rank(std::string_view s, std::string_view& host, int& rank) {
  if (s.empty() || s[0] != '[') return 0;
  std::size_t i = 1;
  bool alpha = false;
  while (i < s.size() && i < 64 && (text::is_alnum(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_')) {
    alpha |= text::is_alpha(s[i]);
    ++i;
  }
  if (i == 1 || !alpha || i >= s.size() || s[i] != ':') return 0;
  const std::size_t digits = parse_int(s, i + 1, rank);
  const std::size_t end = i + 1 + digits;
  if (digits == 0 || s.size() < end + 2 || s[end] != ']' || s[end + 1] != ':') return 0;
  host = s.substr(1, i - 1);
  return end + 2;
}

// "[1,0]<stdout>:" / "[1,0]<stderr>:" (mpirun --tag-output): job id, rank. "[13]<stderr>:" is
// horovodrun's form of the same tag (horovod/runner/common/util/safe_shell_exec.py): the rank alone.
std::size_t match_openmpi(std::string_view s, int& rank) {
  if (s.empty() || s[0] != '[') return 0;
  int first = 0;
  std::size_t i = 1;
  const std::size_t d1 = parse_int(s, i, first);
  if (d1 == 0) return 0;
  i += d1;
  if (i < s.size() && s[i] == ',') {
    ++i;
    const std::size_t d2 = parse_int(s, i, rank);
    if (d2 == 0) return 0;
    i += d2;
  } else {
    rank = first;
  }
  if (i >= s.size() || s[i] != ']') return 0;
  ++i;
  for (std::string_view tag : {std::string_view("<stdout>:"), std::string_view("<stderr>:"),
                               std::string_view("<stddiag>:")}) {
    if (s.substr(i).starts_with(tag)) return i + tag.size();
  }
  return 0;
}

// "Tue Mar 19 04:12:08 2024" directly before a tag: mpirun --timestamp-output and horovodrun
// --prefix-output-with-timestamp stamp each line with ctime's form ("%a %b %e %H:%M:%S %Y").
// Its length, or 0.
std::size_t ctime_stamp(std::string_view s) {
  constexpr std::string_view shape = "AAA AAA dd dd:dd:dd dddd";  // A a letter, d a digit (the day may be " 9")
  if (s.size() < shape.size()) return 0;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const char c = s[i];
    const bool ok = shape[i] == 'A' ? text::is_alpha(c)
                    : shape[i] == 'd' ? is_digit(c) || (i == 8 && c == ' ')
                                      : c == shape[i];
    if (!ok) return 0;
  }
  return shape.size();
}

// "11: " (srun -l task label).
std::size_t match_slurm(std::string_view s, int& task) {
  const std::size_t digits = parse_int(s, 0, task);
  if (digits == 0 || digits > 5 || s.size() < digits + 2) return 0;
  if (s[digits] != ':' || s[digits + 1] != ' ') return 0;
  return digits + 2;
}

bool host_char(char c) {
  return text::is_alnum(c) || c == '-' || c == '.' || c == '_';
}

// "(WorkerDict pid=44152) ", "(pid=7, ip=10.0.0.5) ", "(raylet) ", "(raylet, ip=10.0.0.5) " (Ray
// forwards each worker's output with the actor or task name, its pid and, from another node, the
// node's address). The address names the node; a pid is a process, not a node.
std::size_t match_ray(std::string_view s, std::string_view& host) {
  if (s.size() < 4 || s[0] != '(') return 0;
  const std::size_t close = s.find(')');
  if (close == std::string_view::npos || close > 160 || close + 1 >= s.size() || s[close + 1] != ' ') return 0;
  const std::string_view inside = s.substr(1, close - 1);
  const bool raylet = inside == "raylet" || inside.starts_with("raylet, ");
  const std::size_t pid = inside.find("pid=");
  if (!raylet && (pid == std::string_view::npos || (pid > 0 && inside[pid - 1] != ' ') || pid + 4 >= inside.size() ||
                  !is_digit(inside[pid + 4]))) {
    return 0;
  }
  // The name before "pid=" is one word (an actor or task name).
  if (!raylet && pid > 0 && inside.substr(0, pid - 1).find_first_of(" ,()") != std::string_view::npos) return 0;
  if (const std::size_t ip = inside.find("ip="); ip != std::string_view::npos) {
    std::size_t end = ip + 3;
    while (end < inside.size() && host_char(inside[end])) ++end;
    if (end > ip + 3) host = inside.substr(ip + 3, end - ip - 3);
  }
  return close + 2;
}

// "worker-3: " / "10.0.0.5: " (pdsh, DeepSpeed's multi-node runner). A host must hold a digit
// and a letter-or-dot so that plain words ("Traceback: ") and numbers ("11: ") are not hosts.
std::size_t match_pdsh(std::string_view s, std::string_view& host) {
  std::size_t i = 0;
  bool digit = false, alpha_or_dot = false;
  while (i < s.size() && i < 64 && host_char(s[i])) {
    digit |= is_digit(s[i]);
    alpha_or_dot |= !is_digit(s[i]);
    ++i;
  }
  if (i == 0 || !digit || !alpha_or_dot || s.size() < i + 2) return 0;
  if (s[i] != ':' || s[i + 1] != ' ') return 0;
  if (!text::is_alnum(s[0])) return 0;
  host = s.substr(0, i);
  return i + 2;
}

bool is_generic_stem(std::string_view stem) {
  static constexpr std::array<std::string_view, 16> generic{
      "stdout", "stderr", "output", "log", "logs", "console", "std", "out", "err",
      "messages", "syslog", "dmesg", "kern", "train", "training", "job"};
  std::string lower(stem);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(generic.begin(), generic.end(), lower) != generic.end();
}

std::string_view strip_log_extensions(std::string_view name) {
  static constexpr std::array<std::string_view, 9> exts{".gz", ".log", ".txt", ".out", ".err",
                                                        ".stdout", ".stderr", ".gzip", ".jsonl"};
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto ext : exts) {
      if (name.size() > ext.size() && name.ends_with(ext)) {
        name.remove_suffix(ext.size());
        changed = true;
      }
    }
    // Rotation suffix ".1", ".2" ... after a log extension was removed or before one.
    const auto dot = name.rfind('.');
    if (dot != std::string_view::npos && dot > 0 && dot + 1 < name.size() &&
        std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dot) + 1, name.end(), is_digit) &&
        name.size() - dot <= 4) {
      name = name.substr(0, dot);
      changed = true;
    }
  }
  return name;
}

}  // namespace

std::optional<LauncherPrefix> parse_launcher_prefix(std::string_view line, bool allow_ambiguous) {
  LauncherPrefix prefix;
  bool found = false;
  // Peel nested prefixes, outermost first: pdsh wraps torchrun ("worker-3: [rank13]:...").
  for (int depth = 0; depth < 3; ++depth) {
    const std::string_view rest = line.substr(prefix.length);
    int number = -1;
    std::string_view host;
    std::size_t n = 0;
    NodeRule rule = NodeRule::path;
    if (const std::size_t stamp = ctime_stamp(rest); stamp != 0 && (n = match_openmpi(rest.substr(stamp), number)) != 0) {
      rule = NodeRule::openmpi;
      n += stamp;
    } else if (!rest.empty() && rest[0] == '[') {
      if ((n = match_torchrun(rest, number)) != 0) {
        rule = NodeRule::torchrun;
      } else if ((n = match_openmpi(rest, number)) != 0) {
        rule = NodeRule::openmpi;
      } else if ((n = match_host_rank(rest, host, number)) != 0) {
        rule = NodeRule::host_rank;
      }
    } else if (!rest.empty() && rest[0] == '(') {
      if ((n = match_ray(rest, host)) != 0) rule = NodeRule::ray;
    } else if (allow_ambiguous && !rest.empty() && text::is_alnum(rest[0])) {
      if ((n = match_slurm(rest, number)) != 0) {
        rule = NodeRule::slurm;
      } else if ((n = match_pdsh(rest, host)) != 0) {
        rule = NodeRule::pdsh;
      }
    }
    if (n == 0) break;
    if (!found) prefix.rule = rule;
    found = true;
    prefix.length += n;
    if (!host.empty() && prefix.host.empty()) prefix.host = host;
    if (number >= 0 && prefix.rank < 0) prefix.rank = number;
  }
  if (!found) return std::nullopt;
  return prefix;
}

std::string node_from_prefix(const LauncherPrefix& prefix) {
  if (prefix.names_host()) return std::string(prefix.host);
  return "rank" + std::to_string(prefix.rank);
}

std::string node_from_path(std::string_view relative_path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= relative_path.size()) {
    const std::size_t slash = relative_path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? relative_path.size() : slash;
    if (end > start && relative_path.substr(start, end - start) != ".") {
      parts.push_back(relative_path.substr(start, end - start));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.empty()) return "-";
  parts.back() = strip_log_extensions(parts.back());
  for (auto part : parts) {
    if (std::any_of(part.begin(), part.end(), is_digit)) return std::string(part);
  }
  if (!is_generic_stem(parts.back()) || parts.size() == 1) return std::string(parts.back());
  return std::string(parts[parts.size() - 2]);
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
      // Compare numerically: strip leading zeros, then by length, then lexically.
      std::size_t is = i, js = j;
      while (is + 1 < ie && a[is] == '0') ++is;
      while (js + 1 < je && b[js] == '0') ++js;
      if (ie - is != je - js) return ie - is < je - js;
      const int cmp = a.substr(is, ie - is).compare(b.substr(js, je - js));
      if (cmp != 0) return cmp < 0;
      if (ie - i != je - j) return ie - i < je - j;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace l4::io
