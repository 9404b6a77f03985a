#include "l4/report/diagnosis_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "l4/io/utf8.hpp"
#include "l4/parse/template_id.hpp"
#include "l4/report/ingest_report.hpp"

namespace l4::report {
namespace {

// Template ids as the report spells them: 16 hex digits.
Json hex_ids(const std::vector<parse::TemplateId>& ids) {
  Json out = Json::array();
  for (const auto id : ids) out.push_back(parse::to_hex(id));
  return out;
}
Json optional_int(const std::optional<long>& v) { return v ? Json(*v) : Json(nullptr); }

double seconds(double s) { return std::round(s * 1000) / 1000; }

Json citation(const diagnose::Citation& c) {
  return {{"node", c.node}, {"file", c.file}, {"line", c.line}, {"time", to_json(c.time)}, {"text", c.text}};
}

Json event_json(const diagnose::EventFinding& e) {
  return {{"event_id", parse::to_hex(e.event_id)},
          {"template", e.template_text},
          {"role", diagnose::to_string(e.role)},
          {"score", e.score},
          {"level", e.level},
          {"nodes", e.nodes},
          {"count", e.count},
          {"first", citation(e.first)},
          {"related", hex_ids(e.related)}};
}

Json first_evidence_json(const diagnose::Diagnosis& d) {
  const auto& c = *d.first_evidence;
  return {{"event_id", parse::to_hex(d.first_evidence_event)}, {"node", c.node}, {"file", c.file}, {"line", c.line}, {"time", to_json(c.time)},
          {"text", c.text}};
}

Json timeline_json(const diagnose::Timeline& t) {
  Json stages = Json::array();
  for (const auto& s : t.stages) {
    stages.push_back({{"stage", diagnose::to_string(s.stage)}, {"from_s", seconds(s.from)}, {"to_s", seconds(s.to)}});
  }
  Json progress = Json::array();
  for (const auto& p : t.progress) progress.push_back(Json::array({seconds(p.offset), p.iteration}));
  return {{"start", to_json(t.start)}, {"end", to_json(t.end)}, {"stages", stages}, {"progress", progress}};
}

Json heatmap_json(const diagnose::Heatmap& h) {
  Json rows = Json::array();
  for (const auto& r : h.rows) {
    rows.push_back({{"label", r.label},
                    {"nodes", r.nodes},
                    {"score", std::round(r.score * 1000) / 1000},
                    {"first_seen", to_json(r.first_seen)},
                    {"earlier", r.earlier},
                    {"unplaced", r.unplaced},
                    {"counts", r.counts}});
  }
  Json first = h.first_evidence_row && h.first_evidence_bucket
                   ? Json{{"row", *h.first_evidence_row}, {"bucket", *h.first_evidence_bucket}}
                   : Json(nullptr);
  return {{"from_s", seconds(h.from)}, {"bucket_s", seconds(h.bucket)}, {"first_evidence", first}, {"rows", rows}};
}

// A log line quoted in prose: whole when short, else cut at a word boundary (on a character
// boundary at worst) and marked with an ellipsis, so a quote never ends mid-word ("CUDA error: un").
std::string quote(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::string_view cut = io::utf8_prefix(text, max);
  const auto space = cut.find_last_of(' ');
  if (space != std::string_view::npos && space >= max * 3 / 4) cut = cut.substr(0, space);
  return std::string(cut) + "…";
}

std::string at_text(const diagnose::Moment& m) { return m.placed() ? " at " + moment_text(m) : ""; }

std::string ranks_text(const std::vector<long>& ranks) {
  if (ranks.empty()) return "";
  std::string out = ranks.size() == 1 ? " (rank " : " (ranks ";
  for (std::size_t i = 0; i < ranks.size(); ++i) out += (i ? ", " : "") + std::to_string(ranks[i]);
  return out + ")";
}

std::string failure_summary(const diagnose::Diagnosis& d) {
  const bool unknown = d.verdict.category == "unknown";
  std::string where = d.faulty_nodes.empty() ? "no single node"
                                             : "node " + d.faulty_nodes.front().node + ranks_text(d.faulty_nodes.front().ranks);
  std::string when = d.stage ? std::string(diagnose::to_string(*d.stage)) : "a stage the logs do not mark";
  if (d.failed_at) when += fmt::format(" (iteration {})", *d.failed_at);
  else if (d.last_completed) when += fmt::format(" (after iteration {})", *d.last_completed);
  std::string out = unknown ? fmt::format("The job failed on {}, during {}; the evidence does not single out a cause.", where, when)
                            : fmt::format("The job most likely failed because of {}{} on {}, during {}.", d.verdict.category,
                                          d.verdict.exception.empty() ? "" : " (" + d.verdict.exception + ")", where, when);
  if (d.first_evidence) {
    const auto& c = *d.first_evidence;
    out += fmt::format(" First evidence: {}:{} on {}{}: \"{}\".", c.file, c.line, c.node, at_text(c.time), quote(c.text, 160));
  }
  const auto symptoms = std::count_if(d.events.begin(), d.events.end(), [](auto& e) { return e.role == diagnose::EventRole::symptom; });
  if (symptoms > 0) {
    out += fmt::format(" {} further event{} look{} like consequences (symptoms).", symptoms, symptoms == 1 ? "" : "s",
                       symptoms == 1 ? "s" : "");
  }
  return out;
}
}  // namespace

std::string moment_text(const diagnose::Moment& m) {
  if (!m.placed()) return "";
  if (!m.iso.empty()) return m.iso;
  const auto millis = static_cast<long long>(std::llround(std::fabs(m.offset) * 1000));
  const long long days = millis / 86'400'000;
  return fmt::format("{}{}{:02}:{:02}:{:02}.{:03}", m.offset < 0 ? "-" : "+", days > 0 ? std::to_string(days) + "d" : "",
                     millis / 3'600'000 % 24, millis / 60'000 % 60, millis / 1000 % 60, millis % 1000);
}

Json to_json(const diagnose::Moment& m) {
  if (!m.placed()) return nullptr;
  return {{"iso", m.iso.empty() ? Json(nullptr) : Json(m.iso)}, {"offset_s", seconds(m.offset)}};
}

std::string summary(const diagnose::Diagnosis& d) {
  if (d.failure_found) return failure_summary(d);
  if (!d.completion.empty()) {
    const auto& c = d.completion.front();
    return fmt::format("The job completed: {}:{} on {}{}: \"{}\". What it printed before that it outlived, and what "
                       "followed is teardown.", c.file, c.line, c.node, at_text(c.time), quote(c.text, 160));
  }
  return "No failure evidence found: no event that normal jobs lack carries fault semantics, and no stall or "
         "slowdown was seen.";
}

Json to_json(const diagnose::Diagnosis& d) {
  Json nodes = Json::array();
  for (const auto& n : d.faulty_nodes) {
    nodes.push_back({{"node", n.node},
                     {"ranks", n.ranks},
                     {"score", std::round(n.score * 1000) / 1000},
                     {"first_seen", to_json(n.first_seen)},
                     {"events", hex_ids(n.events)}});
  }
  Json events = Json::array();
  for (const auto& e : d.events) events.push_back(event_json(e));
  Json related = Json::array();
  for (const auto& e : d.related_events) {
    Json r = event_json(e);
    r.erase("related");
    r.erase("score");
    related.push_back(std::move(r));
  }
  Json params = Json::array();
  for (const auto& p : d.parameters) params.push_back({{"type", p.type}, {"value", p.value}, {"node", p.node}});
  Json anomalies = Json::array();
  for (const auto& a : d.iteration_anomalies) {
    anomalies.push_back({{"iteration", a.iteration},
                         {"unfinished", a.unfinished},
                         {"distance", std::round(a.distance * 1000) / 1000},
                         {"sigmas", std::round(a.sigmas * 10) / 10},
                         {"node", a.node},
                         {"file", a.file},
                         {"line", a.line},
                         {"events", hex_ids(a.events)}});
  }
  Json completion = Json::array();
  for (const auto& c : d.completion) completion.push_back(citation(c));
  return {{"failure_found", d.failure_found},
          {"verdict",
           {{"category", d.verdict.category},
            {"confidence", std::round(d.verdict.confidence * 100) / 100},
            {"strength", std::round(d.verdict.strength * 1000) / 1000},
            {"basis", d.verdict.basis.empty() ? Json(nullptr) : Json(d.verdict.basis)},
            {"exception", d.verdict.exception.empty() ? Json(nullptr) : Json(d.verdict.exception)},
            {"summary", summary(d)},
            {"evidence", d.verdict.evidence}}},
          {"completion", completion},
          {"faulty_nodes", nodes},
          {"stage", d.stage ? Json{{"name", diagnose::to_string(*d.stage)}} : Json(nullptr)},
          {"iteration", {{"last_completed", optional_int(d.last_completed)}, {"failed_at", optional_int(d.failed_at)}}},
          {"first_evidence", d.first_evidence ? first_evidence_json(d) : Json(nullptr)},
          {"events", events},
          {"related_events", related},
          {"parameters", params},
          {"iteration_anomalies", anomalies},
          {"timeline", timeline_json(d.timeline)},
          {"heatmap", heatmap_json(d.heatmap)},
          {"inputs",
           {{"files", d.inputs.files.size()},
            {"nodes", d.inputs.nodes.size()},
            {"lines", to_json(d.inputs.total)},
            {"skipped", skipped_inputs_json(d.inputs)},
            {"unreadable", unreadable_inputs_json(d.inputs)}}},
          {"history", d.history ? Json{{"db", d.history->db}, {"normal_jobs", d.history->normal_jobs}}
                                : Json(nullptr)},
          {"notes", d.notes}};
}

std::string render_text(const diagnose::Diagnosis& d, bool colour) {
  std::string out;
  auto it = std::back_inserter(out);
  const char* bold = colour ? "\033[1m" : "";
  const char* red = colour ? "\033[31m" : "";
  const char* reset = colour ? "\033[0m" : "";
  if (!d.failure_found) {
    fmt::format_to(it, "{}{}{}\n{}\n", bold, d.completion.empty() ? "no failure evidence found" : "the job completed", reset,
                   summary(d));
  } else {
    fmt::format_to(it, "{}{}{}{} (confidence {:.2f})\n", bold, red, d.verdict.category, reset, d.verdict.confidence);
    fmt::format_to(it, "{}\n\n", summary(d));
    if (!d.faulty_nodes.empty()) {
      fmt::format_to(it, "{}faulty nodes{}  ", bold, reset);
      for (std::size_t i = 0; i < std::min<std::size_t>(5, d.faulty_nodes.size()); ++i) {
        const auto& n = d.faulty_nodes[i];
        fmt::format_to(it, "{}{}{} ({:.2f}{})", i ? ", " : "", n.node, ranks_text(n.ranks), n.score,
                       n.first_seen.placed() ? ", first seen " + moment_text(n.first_seen) : "");
      }
      fmt::format_to(it, "\n");
    }
    fmt::format_to(it, "{}stage{}         {}", bold, reset, d.stage ? diagnose::to_string(*d.stage) : "unknown");
    if (d.last_completed) fmt::format_to(it, ", last completed iteration {}", *d.last_completed);
    if (d.failed_at) fmt::format_to(it, ", failed at iteration {}", *d.failed_at);
    if (!d.iteration_anomalies.empty()) {
      const auto& first = d.iteration_anomalies.front();
      const auto& strongest = *std::max_element(d.iteration_anomalies.begin(), d.iteration_anomalies.end(),
                                                [](const auto& a, const auto& b) { return a.sigmas < b.sigmas; });
      fmt::format_to(it, "\n{}anomalies{}     {} iteration{} deviate{} from the ones before; strongest: iteration {} on {} "
                     "({:.1f} sigma, {}:{})",
                     bold, reset, d.iteration_anomalies.size(), d.iteration_anomalies.size() == 1 ? "" : "s",
                     d.iteration_anomalies.size() == 1 ? "s" : "", strongest.iteration, strongest.node,
                     strongest.sigmas, strongest.file, strongest.line);
      if (&first != &strongest) fmt::format_to(it, "; first: iteration {} on {}", first.iteration, first.node);
    }
    fmt::format_to(it, "\n\n{}evidence{}\n", bold, reset);
    for (std::size_t i = 0; i < std::min<std::size_t>(8, d.events.size()); ++i) {
      const auto& e = d.events[i];
      fmt::format_to(it, "  [{}] {}:{}{} ({} node{}, {}x)\n      {}\n", diagnose::to_string(e.role), e.first.file,
                     e.first.line, at_text(e.first.time), e.nodes.size(), e.nodes.size() == 1 ? "" : "s", e.count,
                     quote(e.first.text, 200));
    }
    if (!d.parameters.empty()) {
      fmt::format_to(it, "\n{}parameters{}    ", bold, reset);
      for (std::size_t i = 0; i < d.parameters.size(); ++i) {
        fmt::format_to(it, "{}{}={}", i ? ", " : "", d.parameters[i].type, d.parameters[i].value);
      }
      fmt::format_to(it, "\n");
    }
  }
  fmt::format_to(it, "\ninputs: {} files, {} nodes, {} lines used of {} read", d.inputs.files.size(),
                 d.inputs.nodes.size(), d.inputs.total.used, d.inputs.total.read);
  const auto skipped = std::count_if(d.inputs.files.begin(), d.inputs.files.end(),
                                     [](const auto& f) { return io::is_skipped(f.status); });
  const auto unreadable = std::count_if(d.inputs.files.begin(), d.inputs.files.end(),
                                        [](const auto& f) { return f.status == io::FileStatus::unreadable; });
  if (skipped > 0) fmt::format_to(it, "; {} not logs (skipped)", skipped);
  if (unreadable > 0) fmt::format_to(it, "; {} unreadable", unreadable);
  if (d.history) fmt::format_to(it, "; history: {} normal jobs\n", d.history->normal_jobs);
  else fmt::format_to(it, "; no history\n");
  for (const auto& note : d.notes) fmt::format_to(it, "note: {}\n", note);
  return out;
}

}  // namespace l4::report
