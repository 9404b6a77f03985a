#include "diagnose/event_recording.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include "l4/io/utf8.hpp"

namespace l4::diagnose {
namespace {

// "-12.5"-like text of at most 15 digits as a double, exactly as from_chars reads it; nullopt for
// anything else. Most numeric parameters (step times, counts) are this shape: the digits make an
// integer below 2^53 and a power of ten up to 10^15 divides it, both exact in a double, so the one
// rounding of the division is the correctly rounded value (Clinger's fast path).
std::optional<double> simple_decimal(std::string_view p) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = !p.empty() && p[0] == '-';
  std::uint64_t mantissa = 0;
  int digits = 0, fraction = -1;  // fraction: digits after the '.', -1 before one
  for (std::size_t i = negative ? 1 : 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '.' && fraction < 0) {
      fraction = 0;
      continue;
    }
    if (c < '0' || c > '9' || ++digits > 15) return std::nullopt;
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
    if (fraction >= 0) ++fraction;
  }
  if (digits == 0) return std::nullopt;
  const double v = static_cast<double>(mantissa) / kPow10[std::max(fraction, 0)];
  return negative ? -v : v;
}

}  // namespace

double as_number(std::string_view p) {
  double v = std::nan("");
  if (p.empty() || p.size() > 24) return v;
  // from_chars takes a digit, '-' or '.' first (no '+'; "inf" and "nan" are rejected below anyway)
  const char c = p[0];
  if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return v;
  if (const auto simple = simple_decimal(p)) return *simple;
  const char* end = p.data() + p.size();
  const auto [ptr, ec] = std::from_chars(p.data(), end, v);
  return ec == std::errc() && ptr == end && std::isfinite(v) ? v : std::nan("");
}

namespace {

void track_numbers(EventStats& e, const Occurrence& at, std::span<const std::string_view> params) {
  std::array<double, NumericTrack::kWidth> numbers;
  const std::size_t width = std::min(params.size(), NumericTrack::kWidth);
  // A parameter that was once not a number in this node's track never gets a baseline there
  // (NumericTrack::baseline needs it numeric on every occurrence): it is not parsed again.
  const NumericTrack* track = at.node < e.node_numbers.size() ? &e.node_numbers[at.node] : nullptr;
  bool any = false;
  for (std::size_t p = 0; p < width; ++p) {
    const bool hopeless = track != nullptr && track->numeric[p] < track->seen;
    numbers[p] = hopeless ? std::nan("") : as_number(params[p]);
    any = any || !std::isnan(numbers[p]);
  }
  if (!any && e.node_numbers.empty()) return;
  if (e.node_numbers.size() <= at.node) e.node_numbers.resize(at.node + 1);
  e.node_numbers[at.node].observe(std::span<const double>(numbers.data(), width), at.iteration, at.time);
}

// The steps an occurrence (a line's, or the earliest of a worker's) goes through: it may be the
// event's first on its node, its first in the job, its last in the job. `keep` copies or moves the
// texts and parameters that go with it.
template <typename Keep>
void keep_node_first(EventStats& e, std::uint32_t node, const Occurrence& at, Keep&& keep) {
  Occurrence& nf = e.node_first[node];
  if (at.valid() && (!nf.valid() || at.before(nf))) {
    nf = at;
    keep(e.node_first_parameters[node]);
  }
}

template <typename Keep>
void keep_first(EventStats& e, const Occurrence& at, Keep&& keep) {
  if (!e.first.valid() || at.before(e.first)) {
    e.first = at;
    keep();
  }
}

void keep_last(EventStats& e, const Occurrence& at) {
  if (!e.last.valid() || e.last.before(at)) e.last = at;
}

}  // namespace

void reserve_nodes(EventStats& e, std::size_t nodes) {
  if (e.node_counts.size() < nodes) {
    e.node_counts.resize(nodes, 0);
    e.node_first.resize(nodes);
  }
  if (e.node_first_parameters.size() < e.node_first.size()) e.node_first_parameters.resize(e.node_first.size());
}

void record_event(EventStats& e, const Occurrence& at, format::Level level, std::string_view raw,
                  std::string_view content, std::span<const std::string_view> params, bool quoted) {
  ++e.count;
  add_rank(e.ranks, at.rank);
  if (quoted) ++e.quoted;
  track_numbers(e, at, params);
  reserve_nodes(e, at.node + 1);
  ++e.node_counts[at.node];
  keep_node_first(e, at.node, at, [&](std::vector<std::string>& p) { p.assign(params.begin(), params.end()); });
  keep_first(e, at, [&] {
    e.first_text.assign(io::utf8_prefix(raw, kMaxTextBytes));
    e.first_content.assign(io::utf8_prefix(content, kMaxTextBytes));
    e.first_parameters.assign(params.begin(), params.end());
  });
  keep_last(e, at);
  if (at.stage) e.stages |= stage_bit(*at.stage);
  if (level > e.level) e.level = level;
}

void merge_event(EventStats& into, EventStats& from, std::span<const std::uint32_t> remap, std::size_t nodes) {
  if (from.count == 0) return;
  into.count += from.count;
  into.quoted += from.quoted;
  if (into.exits_nonzero == 0 && from.exits_nonzero > 0) into.first_nonzero_exit = from.first_nonzero_exit;
  into.exits_zero += from.exits_zero;
  if (into.raised == 0 && from.raised > 0) into.raised_class = from.raised_class;
  for (int r : from.ranks) add_rank(into.ranks, r);
  into.raised += from.raised;
  into.max_collective = std::max(into.max_collective, from.max_collective);
  into.exits_nonzero += from.exits_nonzero;
  into.stages |= from.stages;
  into.level = std::max(into.level, from.level);
  reserve_nodes(into, nodes);
  for (std::size_t local = 0; local < from.node_counts.size(); ++local) {
    const auto g = remap[local];
    into.node_counts[g] += from.node_counts[local];
    if (local < from.node_numbers.size() && from.node_numbers[local].seen > 0) {
      if (into.node_numbers.size() < nodes) into.node_numbers.resize(nodes);
      into.node_numbers[g].merge(from.node_numbers[local]);
    }
    Occurrence o = from.node_first[local];
    o.node = g;
    keep_node_first(into, g, o, [&](std::vector<std::string>& p) {
      if (local < from.node_first_parameters.size()) p = std::move(from.node_first_parameters[local]);
    });
  }
  Occurrence l = from.last;
  l.node = remap[l.node];
  keep_last(into, l);
  Occurrence f = from.first;
  f.node = remap[f.node];
  keep_first(into, f, [&] {
    into.first_text = std::move(from.first_text);
    into.first_content = std::move(from.first_content);
    into.first_parameters = std::move(from.first_parameters);
  });
}

void record_raised(EventStats& e, const std::string& cls) {
  if (cls.empty()) return;
  if (e.raised++ == 0) e.raised_class = cls;
}

void record_exit(EventStats& e, const TemplateStageInfo& info, std::string_view content, const StageClassifier& stages) {
  if (info.process_end != ProcessEnd::exit_report) return;
  const auto code = stages.exit_code(content);
  if (!code) return;
  if (*code == 0) {
    ++e.exits_zero;
  } else {
    if (e.exits_nonzero++ == 0) e.first_nonzero_exit = *code;
  }
}

void record_collective(EventStats& e, const TemplateStageInfo& info, std::span<const std::string_view> params,
                       const StageClassifier& stages) {
  if (const auto n = stages.collective(info, params)) e.max_collective = std::max(e.max_collective, *n);
}

void bound_unstamped(EventStats& e, std::uint32_t node, std::uint32_t file, std::uint64_t line, double stamp) {
  const auto bound = [&](Occurrence& o) {
    if (o.valid() && !o.stamped && o.file == file && o.node == node && o.line < line && std::isnan(o.next_stamp)) {
      o.next_stamp = stamp;
    }
  };
  bound(e.first);
  bound(e.last);
  if (node < e.node_first.size()) bound(e.node_first[node]);
}

void add_rank(std::vector<int>& ranks, int rank) {
  if (rank < 0) return;
  const auto it = std::lower_bound(ranks.begin(), ranks.end(), rank);
  if ((it == ranks.end() || *it != rank) && ranks.size() < EventStats::kMaxRanks) ranks.insert(it, rank);
}

}  // namespace l4::diagnose
