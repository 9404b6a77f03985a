#include "l4/report/diagnosis_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "l4/io/utf8.hpp"
#include "l4/report/ingest_report.hpp"

namespace l4::report {
namespace {
nlohmann::json optional_int(const std::optional<long>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json to_json(const diagnose::Diagnosis& d) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : d.faulty_nodes) {
    nodes.push_back({{"node", n.node}, {"score", std::round(n.score * 1000) / 1000}, {"events", n.events}});
  }
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : d.events) {
    events.push_back({{"event_id", e.event_id},
                      {"template", e.template_text},
                      {"role", diagnose::to_string(e.role)},
                      {"score", e.score},
                      {"level", e.level},
                      {"nodes", e.nodes},
                      {"count", e.count},
                      {"first", {{"node", e.first.node}, {"file", e.first.file}, {"line", e.first.line}, {"text", e.first.text}}},
                      {"related", e.related}});
  }
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : d.parameters) params.push_back({{"type", p.type}, {"value", p.value}, {"node", p.node}});
  nlohmann::json anomalies = nlohmann::json::array();
  for (const auto& a : d.iteration_anomalies) {
    anomalies.push_back({{"iteration", a.iteration},
                         {"unfinished", a.unfinished},
                         {"distance", std::round(a.distance * 1000) / 1000},
                         {"sigmas", std::round(a.sigmas * 10) / 10},
                         {"node", a.node},
                         {"file", a.file},
                         {"line", a.line},
                         {"events", a.events}});
  }
  return {{"failure_found", d.failure_found},
          {"verdict",
           {{"category", d.verdict.category},
            {"confidence", std::round(d.verdict.confidence * 100) / 100},
            {"summary", d.verdict.summary},
            {"evidence", d.verdict.evidence}}},
          {"faulty_nodes", nodes},
          {"stage", d.stage ? nlohmann::json{{"name", diagnose::to_string(*d.stage)}} : nlohmann::json(nullptr)},
          {"iteration", {{"last_completed", optional_int(d.last_completed)}, {"failed_at", optional_int(d.failed_at)}}},
          {"events", events},
          {"parameters", params},
          {"iteration_anomalies", anomalies},
          {"inputs",
           {{"files", d.inputs.files.size()},
            {"nodes", d.inputs.nodes.size()},
            {"lines", to_json(d.inputs.total)},
            {"skipped", skipped_inputs_json(d.inputs)},
            {"unreadable", unreadable_inputs_json(d.inputs)}}},
          {"history", d.history ? nlohmann::json{{"db", d.history->db}, {"normal_jobs", d.history->normal_jobs}}
                                : nlohmann::json(nullptr)},
          {"notes", d.notes}};
}

std::string render_text(const diagnose::Diagnosis& d, bool colour) {
  std::string out;
  auto it = std::back_inserter(out);
  const char* bold = colour ? "\033[1m" : "";
  const char* red = colour ? "\033[31m" : "";
  const char* reset = colour ? "\033[0m" : "";
  if (!d.failure_found) {
    fmt::format_to(it, "{}no failure evidence found{}\n{}\n", bold, reset, d.verdict.summary);
  } else {
    fmt::format_to(it, "{}{}{}{} (confidence {:.2f})\n", bold, red, d.verdict.category, reset, d.verdict.confidence);
    fmt::format_to(it, "{}\n\n", d.verdict.summary);
    if (!d.faulty_nodes.empty()) {
      fmt::format_to(it, "{}faulty nodes{}  ", bold, reset);
      for (std::size_t i = 0; i < std::min<std::size_t>(5, d.faulty_nodes.size()); ++i) {
        fmt::format_to(it, "{}{} ({:.2f})", i ? ", " : "", d.faulty_nodes[i].node, d.faulty_nodes[i].score);
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
      fmt::format_to(it, "  [{}] {}:{} ({} node{}, {}x)\n      {}\n", diagnose::to_string(e.role), e.first.file,
                     e.first.line, e.nodes.size(), e.nodes.size() == 1 ? "" : "s", e.count,
                     io::utf8_prefix(e.first.text, 200));
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
