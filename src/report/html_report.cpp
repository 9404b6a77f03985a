// `l4 diagnose --format html`: the page template (data/report.html) filled with the parts of one
// Diagnosis — header and facts, the heatmap and timeline as inline SVG, the evidence list, tables.
// Everything a reader needs is HTML and SVG; the page's script only filters the evidence by node.
#include "l4/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/template_id.hpp"
#include "l4/report/diagnosis_report.hpp"
#include "l4/version.hpp"

namespace l4::report {

using diagnose::Diagnosis;
using diagnose::Moment;

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {  // a whole UTF-8 sequence, or U+FFFD for a broken one
      const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      const auto seq = text.substr(i, len);
      const bool ok = len > 1 && seq.size() == len && io::is_valid_utf8(seq);
      out += ok ? std::string(seq) : "\xEF\xBF\xBD";
      i += ok ? len : 1;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += (c < 0x20 && c != '\t' && c != '\n') ? ' ' : static_cast<char>(c);
    }
    ++i;
  }
  return out;
}

std::string fill_template(std::string_view page, const std::vector<std::pair<std::string, std::string>>& slots) {
  std::string out;
  out.reserve(page.size() * 2);
  std::size_t from = 0;
  for (auto open = page.find("{{"); open != std::string_view::npos; open = page.find("{{", from)) {
    const auto close = page.find("}}", open);
    if (close == std::string_view::npos) break;
    const auto name = page.substr(open + 2, close - open - 2);
    const auto slot = std::find_if(slots.begin(), slots.end(), [&](const auto& s) { return s.first == name; });
    if (slot == slots.end()) throw Error(fmt::format("report template: no value for slot {{{{{}}}}}", name), ExitCode::internal);
    out.append(page, from, open - from).append(slot->second);
    from = close + 2;
  }
  return out.append(page, from);
}

namespace {

std::string esc(std::string_view text) { return html_escape(text); }

// Job-relative time, short: "+40:58" under an hour, "+1:02:03" beyond.
std::string offset_text(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const auto s = static_cast<long long>(std::llround(std::fabs(seconds)));
  const char* sign = seconds < 0 ? "-" : "+";
  if (s < 3600) return fmt::format("{}{:02}:{:02}", sign, s / 60, s % 60);
  return fmt::format("{}{}:{:02}:{:02}", sign, s / 3600, s / 60 % 60, s % 60);
}

std::string time_html(const Moment& m) {
  if (!m.placed()) return "";
  return fmt::format("<time title=\"{} after the job's first line\">{}</time>", offset_text(m.offset),
                     esc(moment_text(m)));
}

std::string location(const diagnose::Citation& c) { return fmt::format("{}:{}", c.file, c.line); }

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? std::string(sep) : "") + items[i];
  return out;
}

std::string fact(std::string_view name, const std::string& value_html) {
  return fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", name, value_html);
}

std::string verdict_html(const Diagnosis& d) {
  const bool unknown = d.verdict.category == "unknown";
  const std::string kind = !d.failure_found ? "ok" : unknown ? "unknown" : "failed";
  const std::string headline = d.failure_found ? esc(d.verdict.category)
                                               : d.completion.empty() ? "no failure evidence found" : "the job completed";
  std::string out = fmt::format("<header class=\"verdict {}\" id=\"verdict\"><h1><span class=\"category\">{}</span>", kind, headline);
  if (d.failure_found) out += fmt::format("<span class=\"confidence\">confidence {:.2f}</span>", d.verdict.confidence);
  out += fmt::format("</h1><p class=\"summary\">{}</p><dl class=\"facts\">", esc(summary(d)));
  if (!d.faulty_nodes.empty()) {
    const auto& n = d.faulty_nodes.front();
    std::vector<std::string> ranks;
    for (auto r : n.ranks) ranks.push_back(std::to_string(r));
    out += fact("faulty node", esc(n.node) + (ranks.empty() ? "" : " (rank" + std::string(ranks.size() > 1 ? "s " : " ") + join(ranks, ", ") + ")"));
  }
  if (d.failure_found) out += fact("stage", d.stage ? std::string(diagnose::to_string(*d.stage)) : "unknown");
  if (d.failed_at) out += fact("failed at iteration", std::to_string(*d.failed_at));
  else if (d.last_completed) out += fact("last completed iteration", std::to_string(*d.last_completed));
  if (d.first_evidence && d.first_evidence->time.placed()) out += fact("first evidence at", time_html(d.first_evidence->time));
  if (d.first_evidence) out += fact("first evidence in", "<code>" + esc(location(*d.first_evidence)) + "</code>");
  if (d.timeline.start.placed()) out += fact("job ran for", offset_text(d.timeline.end.offset).substr(1));
  out += "</dl>";
  if (!d.verdict.evidence.empty()) {
    out += "<details><summary>why this category</summary><ul class=\"plain\">";
    for (const auto& e : d.verdict.evidence) out += "<li>" + esc(e) + "</li>";
    out += "</ul></details>";
  }
  return out + "</header>";
}

// --- heatmap -------------------------------------------------------------------------------------

struct HeatmapLayout {
  static constexpr double kBar = 44, kLabel = 200, kTop = 28, kRow = 18, kAxis = 34, kRight = 150;
  double cell = 12;
  std::size_t buckets = 0;
  [[nodiscard]] double left() const { return kBar + kLabel; }
  [[nodiscard]] double width() const { return left() + cell * static_cast<double>(buckets) + kRight; }
};

// Light amber to deep red; a single event stays visible beside the busiest cell.
std::string heat_colour(double share) {
  if (share <= 0) return "#eef1f4";
  const double x = 0.25 + 0.75 * std::min(1.0, share);
  const auto mix = [x](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * x)); };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(0xfd, 0x9f), mix(0xe6, 0x12), mix(0x8a, 0x0c));
}

std::string heatmap_row_svg(const diagnose::Heatmap& map, std::size_t r, double peak, const HeatmapLayout& lay) {
  const auto& row = map.rows[r];
  const double y = HeatmapLayout::kTop + HeatmapLayout::kRow * static_cast<double>(r);
  const std::string label = row.nodes > 1 ? fmt::format("{} ({})", row.label, row.nodes) : row.label;
  std::string out = fmt::format("<g class=\"hm-row\" data-label=\"{}\" data-nodes=\"{}\"><title>{} &#8212; node score {:.2f}{}</title>",
                                esc(row.label), row.nodes == 1 ? esc(row.label) : "", esc(label), row.score,
                                row.first_seen.placed() ? "; first failure event " + esc(moment_text(row.first_seen)) : "");
  out += fmt::format("<rect x=\"0\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"#0b57d0\" opacity=\"0.55\"/>", y + 4,
                     std::max(1.0, (HeatmapLayout::kBar - 8) * row.score), HeatmapLayout::kRow - 8);
  out += fmt::format("<text class=\"hm-label mono\" x=\"{:.0f}\" y=\"{:.0f}\">{}</text>", HeatmapLayout::kBar, y + 13,
                     esc(label.size() > 32 ? std::string(io::utf8_prefix(label, 31)) + "…" : label));
  for (std::size_t b = 0; b < row.counts.size(); ++b) {
    const double share = static_cast<double>(row.counts[b]) / row.nodes / peak;
    const double x = lay.left() + lay.cell * static_cast<double>(b);
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"{}\"", x, y + 1, lay.cell - 1,
                       HeatmapLayout::kRow - 2, heat_colour(share));
    if (row.counts[b] == 0) {
      out += "/>";
      continue;
    }
    const double t = map.from + map.bucket * static_cast<double>(b);
    out += fmt::format("><title>{}, {} to {}: {} failure-indicating event{} first seen</title></rect>", esc(label), offset_text(t),
                       offset_text(t + map.bucket), row.counts[b], row.counts[b] == 1 ? "" : "s");
  }
  std::string right = row.first_seen.placed() ? "first " + offset_text(row.first_seen.offset) : "no failure event";
  if (row.earlier > 0) right += fmt::format(" · {} earlier", row.earlier);
  if (row.unplaced > 0) right += fmt::format(" · {} unplaced", row.unplaced);
  out += fmt::format("<text class=\"muted\" x=\"{:.0f}\" y=\"{:.0f}\">{}</text></g>",
                     lay.left() + lay.cell * static_cast<double>(lay.buckets) + 8, y + 13, right);
  return out;
}

std::string heatmap_axis_svg(const diagnose::Heatmap& map, const HeatmapLayout& lay) {
  const double y = HeatmapLayout::kTop + HeatmapLayout::kRow * static_cast<double>(map.rows.size());
  std::string out;
  const std::size_t step = std::max<std::size_t>(1, (lay.buckets + 6) / 7);
  for (std::size_t b = 0; b <= lay.buckets; b += step) {
    const double x = lay.left() + lay.cell * static_cast<double>(b);
    out += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.0f}\" y2=\"{2:.0f}\" stroke=\"#8c959f\"/>"
                       "<text class=\"muted\" x=\"{0:.1f}\" y=\"{3:.0f}\" text-anchor=\"middle\">{4}</text>",
                       x, y, y + 5, y + 17, offset_text(map.from + map.bucket * static_cast<double>(b)));
  }
  out += fmt::format("<text class=\"muted\" x=\"{:.0f}\" y=\"{:.0f}\">time since the job's first line (each column {})</text>",
                     lay.left(), y + 31, map.bucket < 90 ? fmt::format("{:.3g} s", map.bucket) : offset_text(map.bucket).substr(1));
  return out;
}

std::string first_evidence_marker_svg(const diagnose::Heatmap& map, const HeatmapLayout& lay) {
  if (!map.first_evidence_row || !map.first_evidence_bucket) return "";
  const double x = lay.left() + lay.cell * static_cast<double>(*map.first_evidence_bucket);
  const double y = HeatmapLayout::kTop + HeatmapLayout::kRow * static_cast<double>(*map.first_evidence_row);
  return fmt::format("<g id=\"hm-first-evidence\"><rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"none\" "
                     "stroke=\"#1f2328\" stroke-width=\"2\"/><path d=\"M{:.1f} {:.0f} l-5 -8 h10 z\" fill=\"#1f2328\"/>"
                     "<text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"middle\">first evidence</text></g>",
                     x - 0.5, y + 0.5, lay.cell, HeatmapLayout::kRow - 1, x + lay.cell / 2, y - 1, x + lay.cell / 2, y - 12);
}

std::string heatmap_html(const Diagnosis& d) {
  const auto& map = d.heatmap;
  std::string out = "<section id=\"heatmap\"><h2>Nodes × time</h2>";
  if (map.rows.empty() || map.rows.front().counts.empty()) {
    out += d.failure_found ? "<p class=\"note\">The logs place no failure-indicating event in time (no timestamps).</p>"
                           : "<p class=\"note\">No failure: nothing to map.</p>";
    return out + "</section>";
  }
  HeatmapLayout lay;
  lay.buckets = map.rows.front().counts.size();
  lay.cell = std::clamp(660.0 / static_cast<double>(lay.buckets), 8.0, 28.0);
  double peak = 0;
  for (const auto& row : map.rows) {
    for (auto c : row.counts) peak = std::max(peak, static_cast<double>(c) / row.nodes);
  }
  const double height = HeatmapLayout::kTop + HeatmapLayout::kRow * static_cast<double>(map.rows.size()) + HeatmapLayout::kAxis;
  out += fmt::format("<p class=\"note\">Each row is a node, ranked by how strongly the evidence singles it out (bar), the faulty "
                     "node first{}. A cell counts the failure-indicating events first seen on the node in that interval; "
                     "darker is more. Hover for details, click a node to list only its evidence.</p>",
                     map.rows.size() < d.inputs.nodes.size() ? "; below the leading nodes, nodes of like rank share a band" : "");
  out += fmt::format("<div class=\"figure\"><svg role=\"img\" aria-label=\"node by time heatmap\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
                     "viewBox=\"0 0 {0:.0f} {1:.0f}\" xmlns=\"http://www.w3.org/2000/svg\">",
                     lay.width(), height);
  for (std::size_t r = 0; r < map.rows.size(); ++r) out += heatmap_row_svg(map, r, std::max(peak, 1e-9), lay);
  out += heatmap_axis_svg(map, lay) + first_evidence_marker_svg(map, lay) + "</svg>";
  out += "<ul class=\"legend\"><li><i style=\"background:#eef1f4\"></i>none</li>";
  for (double s : {0.0001, 0.5, 1.0}) out += fmt::format("<li><i style=\"background:{}\"></i></li>", heat_colour(s));
  out += "<li>more failure events first seen</li><li><i style=\"background:none;border:2px solid #1f2328\"></i>first evidence "
         "(earliest root event on the faulty node)</li></ul></div></section>";
  return out;
}

// --- timeline ------------------------------------------------------------------------------------

std::string stage_colour(diagnose::Stage s) {
  switch (s) {
    case diagnose::Stage::init: return "#c7d2fe";
    case diagnose::Stage::loading: return "#a5b4fc";
    case diagnose::Stage::training: return "#bbf7d0";
    case diagnose::Stage::checkpoint: return "#fde68a";
    case diagnose::Stage::evaluation: return "#f5d0fe";
  }
  return "#e5e7eb";
}

struct TimelineLayout {
  static constexpr double kLeft = 70, kWidth = 960, kStageTop = 18, kStageHeight = 24, kPlotTop = 52, kPlotHeight = 90;
  double span = 1;
  [[nodiscard]] double x(double offset) const { return kLeft + kWidth * std::clamp(offset / span, 0.0, 1.0); }
};

std::string stages_svg(const Diagnosis& d, const TimelineLayout& lay) {
  std::string out;
  for (const auto& s : d.timeline.stages) {
    const double x0 = lay.x(s.from), x1 = std::max(lay.x(s.to), x0 + 1);
    const auto name = diagnose::to_string(s.stage);
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"{}\"><title>{} {} to {}</title></rect>", x0,
                       TimelineLayout::kStageTop, x1 - x0, TimelineLayout::kStageHeight, stage_colour(s.stage), name,
                       offset_text(s.from), offset_text(s.to));
    if (x1 - x0 > 7.0 * static_cast<double>(name.size())) {
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\">{}</text>", x0 + 4, TimelineLayout::kStageTop + 16, name);
    }
  }
  out += fmt::format("<text class=\"muted\" x=\"0\" y=\"{:.0f}\">stage</text>", TimelineLayout::kStageTop + 16);
  return out;
}

std::string progress_svg(const Diagnosis& d, const TimelineLayout& lay) {
  const auto& progress = d.timeline.progress;
  if (progress.empty()) {
    return fmt::format("<text class=\"muted\" x=\"{:.0f}\" y=\"{:.0f}\">no iteration reports</text>", TimelineLayout::kLeft,
                       TimelineLayout::kPlotTop + 40);
  }
  const double top = static_cast<double>(std::max(1L, progress.back().iteration));
  const double base = TimelineLayout::kPlotTop + TimelineLayout::kPlotHeight;
  std::string points;
  for (const auto& p : progress) {
    points += fmt::format("{:.1f},{:.1f} ", lay.x(p.offset), base - TimelineLayout::kPlotHeight * static_cast<double>(p.iteration) / top);
  }
  return fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"1.5\"/>"
                     "<line x1=\"{:.0f}\" x2=\"{:.0f}\" y1=\"{:.0f}\" y2=\"{:.0f}\" stroke=\"#d1d9e0\"/>"
                     "<text class=\"muted\" x=\"0\" y=\"{:.0f}\">iteration</text>"
                     "<text class=\"muted\" x=\"0\" y=\"{:.0f}\">{}</text><text class=\"muted\" x=\"0\" y=\"{:.0f}\">0</text>",
                     points, TimelineLayout::kLeft, TimelineLayout::kLeft + TimelineLayout::kWidth, base, base,
                     TimelineLayout::kPlotTop + 40, TimelineLayout::kPlotTop + 10, progress.back().iteration, base);
}

std::string failure_marker_svg(const Diagnosis& d, const TimelineLayout& lay) {
  std::string out;
  const auto& map = d.heatmap;
  if (!map.rows.empty() && !map.rows.front().counts.empty()) {
    const double x0 = lay.x(map.from), x1 = lay.x(map.from + map.bucket * static_cast<double>(map.rows.front().counts.size()));
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"#b42318\" opacity=\"0.10\">"
                       "<title>the heatmap's window</title></rect>",
                       x0, TimelineLayout::kStageTop, std::max(1.0, x1 - x0), TimelineLayout::kPlotTop + TimelineLayout::kPlotHeight - 18);
  }
  if (!d.first_evidence || !d.first_evidence->time.placed()) return out;
  const double x = lay.x(d.first_evidence->time.offset);
  const std::string label = "first evidence" + (d.failed_at ? fmt::format(", iteration {}", *d.failed_at) : std::string());
  const bool right_side = x > TimelineLayout::kLeft + TimelineLayout::kWidth * 0.7;
  return out + fmt::format("<g id=\"tl-failure\"><line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"12\" y2=\"{1:.0f}\" stroke=\"#b42318\" stroke-width=\"2\"/>"
                           "<text x=\"{2:.1f}\" y=\"10\" text-anchor=\"{3}\" fill=\"#b42318\">{4} at {5}</text></g>",
                           x, TimelineLayout::kPlotTop + TimelineLayout::kPlotHeight, right_side ? x - 4 : x + 4,
                           right_side ? "end" : "start", label, offset_text(d.first_evidence->time.offset));
}

std::string timeline_html(const Diagnosis& d) {
  std::string out = "<section id=\"timeline\"><h2>Stages and iterations</h2>";
  if (!d.timeline.start.placed()) return out + "<p class=\"note\">The logs carry no timestamps to draw a timeline from.</p></section>";
  TimelineLayout lay;
  lay.span = std::max(1.0, d.timeline.end.offset);
  const double height = TimelineLayout::kPlotTop + TimelineLayout::kPlotHeight + 30;
  out += fmt::format("<p class=\"note\">From {} to {} ({} long): the job-wide stage and the highest iteration reported{}.</p>",
                     esc(moment_text(d.timeline.start)), esc(moment_text(d.timeline.end)), offset_text(d.timeline.end.offset).substr(1),
                     d.failure_found ? ", with the heatmap's window and where the failure shows" : "");
  out += fmt::format("<div class=\"figure\"><svg role=\"img\" aria-label=\"stage and iteration timeline\" width=\"{0:.0f}\" "
                     "height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" xmlns=\"http://www.w3.org/2000/svg\">",
                     TimelineLayout::kLeft + TimelineLayout::kWidth + 40, height);
  out += stages_svg(d, lay) + progress_svg(d, lay) + failure_marker_svg(d, lay);
  const double axis = TimelineLayout::kPlotTop + TimelineLayout::kPlotHeight + 18;
  for (int i = 0; i <= 6; ++i) {
    const double t = lay.span * i / 6;
    out += fmt::format("<text class=\"muted\" x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"middle\">{}</text>", lay.x(t), axis, offset_text(t));
  }
  out += "</svg><ul class=\"legend\">";
  for (auto s : {diagnose::Stage::init, diagnose::Stage::loading, diagnose::Stage::training, diagnose::Stage::checkpoint,
                 diagnose::Stage::evaluation}) {
    out += fmt::format("<li><i style=\"background:{}\"></i>{}</li>", stage_colour(s), diagnose::to_string(s));
  }
  return out + "</ul></div></section>";
}

// --- evidence and tables -------------------------------------------------------------------------

std::string citation_line(const diagnose::Citation& c) {
  return fmt::format("{}  {}{}\n{}", esc(location(c)), esc(c.node), c.time.placed() ? "  " + esc(moment_text(c.time)) : "", esc(c.text));
}

bool same_line(const diagnose::Citation& a, const diagnose::Citation& b) { return a.file == b.file && a.line == b.line; }

// The first evidence is a line of this event on the faulty node, or of a related event of its
// statement (the NCCL warning under "CUDA out of memory"); when it is not the event's own first
// line (which may be on another node), the item quotes it too.
std::string event_html(const diagnose::EventFinding& e, const diagnose::Citation* first) {
  const auto role = diagnose::to_string(e.role);
  std::string out = fmt::format("<li class=\"{}{}\" id=\"ev-{}\" data-nodes=\"{}\"><div class=\"meta\"><span><span class=\"badge {}\">{}</span>{}</span>",
                                role, first ? " first" : "", parse::to_hex(e.event_id), esc(join(e.nodes, " ")), role, role,
                                first ? " <span class=\"badge first\">first evidence</span>" : "");
  out += fmt::format("<code>{}</code><span>{}</span>{}<span>{}× on {} node{}</span><span>score {:.2f}</span>{}</div>",
                     esc(location(e.first)), esc(e.first.node), e.first.time.placed() ? "<span>" + time_html(e.first.time) + "</span>" : "",
                     e.count, e.nodes.size(), e.nodes.size() == 1 ? "" : "s", e.score,
                     e.level.empty() ? "" : "<span>" + esc(e.level) + "</span>");
  out += "<pre class=\"raw\">" + esc(e.first.text) + "</pre>";
  if (first != nullptr && !same_line(*first, e.first)) {
    out += "<div class=\"meta\">first evidence, on the faulty node:</div><pre class=\"raw\">" + citation_line(*first) + "</pre>";
  }
  out += e.related.empty() ? std::string("<details><summary>template and nodes</summary><pre>")
                           : fmt::format("<details><summary>{} related line{}, template and nodes</summary><pre>", e.related.size(),
                                         e.related.size() == 1 ? "" : "s");
  for (const auto& r : e.related_lines) out += citation_line(r) + "\n\n";
  if (e.related.size() > e.related_lines.size()) out += fmt::format("… and {} more related events\n\n", e.related.size() - e.related_lines.size());
  out += fmt::format("template  {}\nevent id  {}\nnodes     {}</pre></details></li>", esc(e.template_text), parse::to_hex(e.event_id), esc(join(e.nodes, ", ")));
  return out;
}

std::string evidence_html(const Diagnosis& d) {
  if (d.events.empty()) return "";
  std::string out = "<section id=\"evidence\"><h2>Evidence</h2><p class=\"note\">Failure-indicating events, strongest first: "
                    "root events state the cause on the faulty node; symptoms are its consequences elsewhere.</p>"
                    "<p class=\"filter\" id=\"evidence-filter\"></p>";
  // The listed event the first evidence belongs to: its own, else the statement it is a line of.
  const auto& id = d.first_evidence_event;
  auto first = std::find_if(d.events.begin(), d.events.end(), [&](auto& e) { return d.first_evidence && e.event_id == id; });
  if (first == d.events.end()) {
    first = std::find_if(d.events.begin(), d.events.end(), [&](auto& e) {
      return d.first_evidence && std::find(e.related.begin(), e.related.end(), id) != e.related.end();
    });
  }
  if (d.first_evidence && first == d.events.end()) {
    out += "<p class=\"note\">First evidence on the faulty node (not among the listed events):</p><pre class=\"raw\">" +
           citation_line(*d.first_evidence) + "</pre>";
  }
  out += "<ol class=\"evidence\">";
  for (auto e = d.events.begin(); e != d.events.end(); ++e) out += event_html(*e, e == first ? &*d.first_evidence : nullptr);
  return out + "</ol></section>";
}

std::string parameters_html(const Diagnosis& d) {
  if (d.parameters.empty()) return "";
  std::string out = "<section id=\"parameters\"><h2>Parameters</h2><p class=\"note\">What the root evidence names, hardware "
                    "first.</p><table><thead><tr><th>type</th><th>value</th><th>node</th></tr></thead><tbody>";
  for (const auto& p : d.parameters) {
    out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>", esc(p.type), esc(p.value), esc(p.node));
  }
  return out + "</tbody></table></section>";
}

std::string anomalies_html(const Diagnosis& d) {
  if (d.iteration_anomalies.empty()) return "";
  std::string out = "<section id=\"anomalies\"><h2>Iteration anomalies</h2><p class=\"note\">Iterations whose events deviate "
                    "from the ten before them on the same stream (earliest first).</p><table><thead><tr><th class=\"num\">"
                    "iteration</th><th>node</th><th>where</th><th class=\"num\">sigmas</th><th></th></tr></thead><tbody>";
  for (const auto& a : d.iteration_anomalies) {
    out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td><code>{}:{}</code></td><td class=\"num\">{:.1f}</td><td>{}</td></tr>",
                       a.iteration, esc(a.node), esc(a.file), a.line, a.sigmas, a.unfinished ? "unfinished" : "");
  }
  return out + "</tbody></table></section>";
}

std::string completion_html(const Diagnosis& d) {
  if (d.completion.empty()) return "";
  std::string out = "<section id=\"completion\"><h2>Completion</h2><p class=\"note\">The lines that say the job finished, latest "
                    "first.</p>";
  for (const auto& c : d.completion) out += "<pre class=\"raw\">" + citation_line(c) + "</pre>";
  return out + "</section>";
}

std::string inputs_html(const Diagnosis& d) {
  const auto& in = d.inputs;
  std::string out = fmt::format("<section id=\"inputs\"><h2>What was read</h2><p class=\"note\">{} file{}, {} node{}: {} lines read, "
                                "{} used, {} skipped ({} blank, {} in binary files); {}.</p>",
                                in.files.size(), in.files.size() == 1 ? "" : "s", in.nodes.size(), in.nodes.size() == 1 ? "" : "s",
                                in.total.read, in.total.used, in.total.skipped(), in.total.skipped_blank, in.total.skipped_binary,
                                d.history ? fmt::format("history: {} normal jobs ({})", d.history->normal_jobs, esc(d.history->db))
                                          : std::string("no history of normal jobs"));
  out += "<table><thead><tr><th>file</th><th>node</th><th class=\"num\">read</th><th class=\"num\">used</th><th class=\"num\">"
         "skipped</th><th>status</th></tr></thead><tbody>";
  constexpr std::size_t kShown = 60;  // beyond that, files that were not read in full are still listed
  std::size_t shown = 0;
  for (const auto& f : in.files) {
    const bool ok = f.status == io::FileStatus::ok;
    if (ok && shown >= kShown) continue;
    shown += ok ? 1 : 0;
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
                       "</td><td>{}{}</td></tr>",
                       esc(f.path), f.merged ? "(per line)" : esc(f.node), f.counts.read, f.counts.used, f.counts.skipped(),
                       io::to_string(f.status), f.message.empty() ? "" : ": " + esc(f.message));
  }
  out += "</tbody></table>";
  const auto ok_files = static_cast<std::size_t>(std::count_if(in.files.begin(), in.files.end(), [](auto& f) { return f.status == io::FileStatus::ok; }));
  if (ok_files > shown) out += fmt::format("<p class=\"note\">… and {} more files read in full.</p>", ok_files - shown);
  if (!d.notes.empty()) {
    out += "<ul class=\"plain\">";
    for (const auto& n : d.notes) out += "<li>" + esc(n) + "</li>";
    out += "</ul>";
  }
  return out + "</section>";
}

// The diagnosis as JSON inside the page, for scripts: "</" cannot end the script element early.
// It holds every log text the page shows, so its count of replaced bytes is the page's.
std::string embedded_json(const Diagnosis& d, std::uint64_t* replaced) {
  std::string json = dump(to_json(d), -1, replaced);
  for (auto at = json.find("</"); at != std::string::npos; at = json.find("</", at + 3)) json.replace(at, 2, "<\\/");
  return json;
}

}  // namespace

std::string render_html(const Diagnosis& d, std::uint64_t* replaced) {
  const auto page = embedded::data("report.html");
  if (page.empty()) throw Error("report template data/report.html is not compiled in", ExitCode::internal);
  const std::string title = d.failure_found ? "l4: " + d.verdict.category +
                                                  (d.faulty_nodes.empty() ? "" : " on " + d.faulty_nodes.front().node)
                                            : "l4: " + std::string(d.completion.empty() ? "no failure evidence" : "job completed");
  return fill_template(page, {{"version", std::string(version)},
                              {"title", esc(title)},
                              {"verdict", verdict_html(d)},
                              {"heatmap", heatmap_html(d)},
                              {"timeline", timeline_html(d)},
                              {"evidence", evidence_html(d)},
                              {"parameters", parameters_html(d)},
                              {"anomalies", anomalies_html(d)},
                              {"completion", completion_html(d)},
                              {"inputs", inputs_html(d)},
                              {"data", embedded_json(d, replaced)}});
}

}  // namespace l4::report
