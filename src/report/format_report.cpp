#include "l4/report/format_report.hpp"

#include <fmt/format.h>

namespace l4::report {
namespace {
std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }
}  // namespace

Json formats_json(std::span<const format::KnownFormat> formats) {
  Json list = Json::array();
  for (const auto& f : formats) {
    Json samples = Json::array();
    for (const auto& s : f.samples) {
      samples.push_back({{"line", s.line},
                         {"timestamp", s.timestamp},
                         {"level", s.level},
                         {"component", s.component},
                         {"content", s.content},
                         {"severity", s.severity}});
    }
    list.push_back({{"name", f.name},
                    {"source", f.source},
                    {"description", f.description},
                    {"regex", f.regex},
                    {"default_level", f.default_level},
                    {"samples", std::move(samples)}});
  }
  return {{"formats", std::move(list)}};
}

std::string formats_text(std::span<const format::KnownFormat> formats) {
  std::string out;
  auto it = std::back_inserter(out);
  for (const auto& f : formats) {
    fmt::format_to(it, "{} ({})\n", f.name, f.source);
    if (!f.description.empty()) fmt::format_to(it, "  {}\n", f.description);
    fmt::format_to(it, "  regex: {}\n", f.regex);
    if (!f.default_level.empty()) fmt::format_to(it, "  level of a line that states none: {}\n", f.default_level);
    for (const auto& s : f.samples) {
      fmt::format_to(it, "  sample: {}\n", s.line);
      fmt::format_to(it, "          timestamp {:?}  level {:?}  component {:?}\n", s.timestamp, s.level, s.component);
    }
  }
  fmt::format_to(it, "{}, tried in this order; a line none matches is used whole as its content\n",
                 plural(formats.size(), "format"));
  return out;
}

Json check_json(const format::FormatTableCheck& check, std::string_view source) {
  Json problems = Json::array();
  for (const auto& p : check.problems) problems.push_back({{"path", p.path}, {"message", p.message}});
  return {{"source", source},
          {"ok", check.ok()},
          {"formats", check.formats.size()},
          {"samples", check.samples},
          {"problems", std::move(problems)}};
}

std::string check_text(const format::FormatTableCheck& check, std::string_view source) {
  std::string out;
  auto it = std::back_inserter(out);
  for (const auto& p : check.problems) {
    fmt::format_to(it, "{}: {}{}{}\n", source, p.path, p.path.empty() ? "" : ": ", p.message);
  }
  fmt::format_to(it, "{}: {}, {}: {}\n", source, plural(check.formats.size(), "format"),
                 plural(check.samples, "sample line"), check.ok() ? "ok" : plural(check.problems.size(), "problem"));
  return out;
}

}  // namespace l4::report
