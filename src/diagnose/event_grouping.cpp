#include "diagnose/event_grouping.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "l4/embedded_data.hpp"
#include "l4/extract/line_forms.hpp"

namespace l4::diagnose {

// The vocabulary and the constants are data/event_grouping.json's, read and validated once by
// extract::LineForms (l4 extract ranks lines with the same forms).
struct EventGrouper::Impl {
  extract::LineForms forms;
  explicit Impl(std::string_view json) : forms(json) {}
};

namespace {

// Template characters a quoted line must have to be recognised inside another.
constexpr std::size_t kMinQuoted = 24;


// A parameter value as a fact: signs aside ("exitcode: -6" and "Signal 6" state one number).
std::string fact(std::string_view v) {
  while (!v.empty() && (v.front() == '-' || v.front() == '+')) v.remove_prefix(1);
  return std::string(v);
}

// `text` contains the template `other` with literal text of its own around it.
bool quotes(std::string_view text, std::string_view other) {
  return other.size() >= kMinQuoted && text.size() > other.size() && text.find(other) != std::string_view::npos;
}

}  // namespace

EventGrouper::EventGrouper() : EventGrouper(embedded::data("event_grouping.json")) {}
EventGrouper::EventGrouper(std::string_view json) : impl_(std::make_unique<Impl>(json)) {}
EventGrouper::~EventGrouper() = default;
EventGrouper::EventGrouper(EventGrouper&&) noexcept = default;
EventGrouper& EventGrouper::operator=(EventGrouper&&) noexcept = default;

bool EventGrouper::framing(std::string_view content) const { return impl_->forms.framing(content); }

bool EventGrouper::chain_separator(std::string_view content) const {
  return impl_->forms.chain_separator(content);
}

bool EventGrouper::command_report(std::string_view content) const { return impl_->forms.command_report(content); }

std::optional<std::string_view> EventGrouper::traceback_frame(std::string_view content) const {
  // Frames are indented under their traceback's header.
  if (content.empty() || (content.front() != ' ' && content.front() != '\t')) return std::nullopt;
  return impl_->forms.frame_function(content);
}

std::size_t EventGrouper::frame_prefix(std::string_view content) const {
  const auto file = content.find("File \"");
  if (file == std::string_view::npos) return 0;
  auto indent = file;
  while (indent > 0 && (content[indent - 1] == ' ' || content[indent - 1] == '\t')) --indent;
  if (indent == 0 || indent == file) return 0;  // no prefix, or "File" not indented after it
  return traceback_frame(content.substr(indent)) ? indent : 0;
}

std::string_view EventGrouper::before_hedge(std::string_view content) const { return impl_->forms.before_hedge(content); }

std::size_t EventGrouper::block_lines() const { return impl_->forms.block_lines(); }

const EventGrouper& EventGrouper::embedded() {
  static const EventGrouper grouper;
  return grouper;
}

namespace {

// The facts a line states: its parameter values, signs aside; and whether one of them is
// distinctive (long enough to identify something: a pid, a sequence number, an address).
struct Facts {
  std::set<std::string> values;
  bool distinctive = false;
};

Facts facts_of(const std::vector<std::string>& params, std::size_t min_chars) {
  Facts f;
  for (const auto& p : params) {
    auto v = fact(p);
    if (v.empty()) continue;
    if (v.size() >= min_chars) f.distinctive = true;
    f.values.insert(std::move(v));
  }
  return f;
}

const std::vector<std::string>& node_parameters(const EventStats& e, std::uint32_t node) {
  return node < e.node_first_parameters.size() ? e.node_first_parameters[node] : e.first_parameters;
}


// Where two events of a job meet: the node whose file shows both (the node of a's first
// occurrence when b is there too), and each one's first line there.
class Blocks {
 public:
  static constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();
  explicit Blocks(std::span<const EventStats* const> events) : events_(events) {}

  [[nodiscard]] std::uint32_t node(std::size_t i, std::size_t j) const {
    const EventStats& a = *events_[i];
    const EventStats& b = *events_[j];
    const std::uint32_t home = a.first.node;
    if (home < b.node_first.size() && b.node_first[home].valid()) return home;
    for (std::uint32_t k = 0; k < a.node_first.size() && k < b.node_first.size(); ++k) {
      if (a.node_first[k].valid() && b.node_first[k].valid()) return k;
    }
    return kNoNode;
  }
  [[nodiscard]] const Occurrence& at(std::size_t i, std::uint32_t node) const {
    return node < events_[i]->node_first.size() ? events_[i]->node_first[node] : events_[i]->first;
  }
  // j's first line in the file where i's is, on the node both show: nullptr when none is.
  [[nodiscard]] const Occurrence* beside(std::size_t i, std::size_t j, std::uint32_t& node) const {
    node = this->node(i, j);
    if (node == kNoNode) return nullptr;
    const Occurrence& x = at(i, node);
    const Occurrence& y = at(j, node);
    return x.valid() && y.valid() && x.file == y.file ? &y : nullptr;
  }

 private:
  std::span<const EventStats* const> events_;
};

std::uint64_t lines_apart(const Occurrence& x, const Occurrence& y) { return x.line > y.line ? x.line - y.line : y.line - x.line; }

}  // namespace

std::vector<EventGrouper::Kind> EventGrouper::kinds(std::span<const EventStats* const> events) const {
  const std::size_t n = events.size();
  std::vector<Kind> kind(n, Kind::statement);
  std::vector<bool> report(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const EventStats& e = *events[i];
    if (e.quoted * 2 > e.count) {
      kind[i] = Kind::code;
    } else if (framing(e.first_content)) {
      kind[i] = Kind::framing;
    } else {
      report[i] = command_report(e.first_content);
    }
  }
  // A launcher's report that its command failed frames the statement its command printed before
  // it in the block; with none before it, it is the statement of the failure.
  const Blocks blocks(events);
  for (std::size_t i = 0; i < n; ++i) {
    if (!report[i]) continue;
    for (std::size_t j = 0; j < n && kind[i] == Kind::statement; ++j) {
      if (j == i || kind[j] != Kind::statement || report[j]) continue;
      std::uint32_t node = 0;
      const Occurrence* y = blocks.beside(i, j, node);
      const Occurrence& x = blocks.at(i, node);
      if (y != nullptr && y->line < x.line && lines_apart(x, *y) <= block_lines()) kind[i] = Kind::framing;
    }
  }
  return kind;
}

std::vector<bool> EventGrouper::framing(std::span<const EventStats* const> events) const {
  const auto kind = kinds(events);
  std::vector<bool> out(kind.size());
  for (std::size_t i = 0; i < kind.size(); ++i) out[i] = kind[i] == Kind::framing || framing(events[i]->first_content);
  return out;
}

std::vector<std::size_t> EventGrouper::representatives(std::span<const EventStats* const> events) const {
  const std::size_t n = events.size();
  const std::vector<Kind> kind = kinds(events);
  const Blocks blocks(events);

  std::vector<std::size_t> parent(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best = kind[i] == Kind::code ? kNone : i;
    std::uint64_t best_distance = kNone;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || kind[j] != Kind::statement) continue;
      std::uint32_t node = 0;
      const Occurrence* near = blocks.beside(i, j, node);
      if (near == nullptr) continue;
      const Occurrence& x = blocks.at(i, node);
      const Occurrence& y = *near;
      const std::uint64_t d = lines_apart(x, y);
      if (d > block_lines() || d >= best_distance) continue;
      bool joins = kind[i] != Kind::statement;
      // A line that quotes another line of its block whole restates it ("what(): <the message>").
      if (!joins && quotes(events[i]->text, events[j]->text)) joins = true;
      if (!joins) {
        const Facts fi = facts_of(node_parameters(*events[i], node), impl_->forms.min_value_chars());
        const Facts fj = facts_of(node_parameters(*events[j], node), impl_->forms.min_value_chars());
        if (fj.distinctive && std::includes(fi.values.begin(), fi.values.end(), fj.values.begin(), fj.values.end())) {
          // Every fact of j is one of i's: i restates j (with more context), or — the same facts —
          // the later of the two restates the earlier.
          joins = fi.values.size() > fj.values.size() || y.before(x);
        }
      }
      if (joins) {
        best = j;
        best_distance = d;
      }
    }
    parent[i] = best;
  }
  // Follow restatements of restatements to the statement itself.
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t r = i;
    for (std::size_t steps = 0; steps < n && r != kNone && parent[r] != r; ++steps) r = parent[r];
    out[i] = r;
  }
  return out;
}

}  // namespace l4::diagnose
