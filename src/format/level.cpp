#include "l4/format/level.hpp"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace l4::format {

Level parse_level(std::string_view token) {
  std::string t;
  for (char c : token) {
    if (c == '[' || c == ']' || c == ':' || c == ' ') continue;
    t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  static const std::array<std::pair<std::string_view, Level>, 24> table{{
      {"T", Level::trace},       {"TRACE", Level::trace},     {"FINEST", Level::trace},
      {"D", Level::debug},       {"DEBUG", Level::debug},     {"FINE", Level::debug},
      {"I", Level::info},        {"INFO", Level::info},       {"INFORMATION", Level::info},
      {"N", Level::notice},      {"NOTICE", Level::notice},   {"W", Level::warn},
      {"WARN", Level::warn},     {"WARNING", Level::warn},    {"E", Level::error},
      {"ERROR", Level::error},   {"ERR", Level::error},       {"SEVERE", Level::error},
      {"F", Level::fatal},       {"FATAL", Level::fatal},     {"CRITICAL", Level::fatal},
      {"CRIT", Level::fatal},    {"EMERG", Level::fatal},     {"ALERT", Level::fatal},
  }};
  for (const auto& [name, level] : table) {
    if (t == name) return level;
  }
  return Level::unknown;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::unknown: return "";
    case Level::trace: return "TRACE";
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::notice: return "NOTICE";
    case Level::warn: return "WARN";
    case Level::error: return "ERROR";
    case Level::fatal: return "FATAL";
  }
  return "";
}

}  // namespace l4::format
