#include "l4/format/log_format.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <optional>

#include "format/fixed_splitter.hpp"
#include "l4/error.hpp"
#include "text/chars.hpp"
#include "text/token_scan.hpp"

namespace l4::format {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_time_field(std::string_view name) {
  static constexpr std::array<std::string_view, 8> names{"time", "date", "timestamp", "day",
                                                         "month", "year", "datetime", "ts"};
  return std::any_of(names.begin(), names.end(), [&](auto n) { return iequals(n, name); });
}

// Literal text of a Loghub format with only plain characters, backslash escapes and spaces can be
// split without a regex engine; anything else (groups, '?', classes) goes through RE2.
bool plain_literal(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (std::string_view("()[]{}?*+|^$.").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

// Loghub: the text between fields is regex as written, except that runs of spaces match any run
// of whitespace.
std::string literal_regex(std::string_view literal) {
  std::string out;
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (literal[i] == ' ') {
      while (i + 1 < literal.size() && literal[i + 1] == ' ') ++i;
      out += "\\s+";
    } else {
      out.push_back(literal[i]);
    }
  }
  return out;
}

using text::is_space;

}  // namespace

struct LogFormat::Impl {
  std::string name;
  std::vector<std::string> fields;
  std::unique_ptr<RE2> regex;
  // Plain splitter: literal[i] precedes field i; literal[fields.size()] follows the last field.
  bool plain = false;
  std::vector<std::string> literals;
  int timestamp_first = -1, timestamp_last = -1, level = -1, component = -1, content = -1;
  Level unstated = Level::unknown;  // the level of a line that states none
  // The pattern ended in "(?P<content>.*)": the regex matches only the header and the content is
  // the rest of the line, so submatch extraction never walks the message.
  bool content_is_rest = false;
  // The same pattern without a regex engine, when it fits FixedSplitter's subset (RE2 decides the
  // lines it leaves undecided).
  std::optional<FixedSplitter> fixed;

  void compile_fixed(std::string_view pattern, bool dot_nl) {
    fixed = FixedSplitter::compile(pattern, dot_nl);
    if (fixed && fixed->group_count() != regex->NumberOfCapturingGroups()) fixed.reset();
  }

  void index_fields() {
    for (int i = 0; i < static_cast<int>(fields.size()); ++i) {
      const auto& f = fields[static_cast<std::size_t>(i)];
      if (is_time_field(f)) {
        if (timestamp_first < 0) timestamp_first = i;
        timestamp_last = i;
      } else if (iequals(f, "level") || iequals(f, "severity")) {
        level = i;
      } else if (iequals(f, "component") || iequals(f, "logger") || iequals(f, "source")) {
        component = i;
      } else if (iequals(f, "content") || iequals(f, "message")) {
        content = i;
      }
    }
  }

  // Matches `literal` (runs of spaces match any whitespace run) at s[pos]; returns end or npos.
  static std::size_t match_literal(std::string_view lit, std::string_view s, std::size_t pos) {
    std::size_t i = 0;
    while (i < lit.size()) {
      if (lit[i] == ' ') {
        while (i < lit.size() && lit[i] == ' ') ++i;
        if (pos >= s.size() || !is_space(s[pos])) return std::string_view::npos;
        while (pos < s.size() && is_space(s[pos])) ++pos;
      } else {
        if (pos >= s.size() || s[pos] != lit[i]) return std::string_view::npos;
        ++pos;
        ++i;
      }
    }
    return pos;
  }

  bool split_plain(std::string_view line, std::vector<std::string_view>& values) const {
    std::size_t pos = match_literal(literals[0], line, 0);
    if (pos == std::string_view::npos) return false;
    const std::size_t n = fields.size();
    for (std::size_t f = 0; f < n; ++f) {
      const std::string& next = literals[f + 1];
      if (f + 1 == n && next.empty()) {
        values[f] = line.substr(pos);
        return true;
      }
      // Lazy: the field ends at the first place where the next literal matches (tried only where
      // its first character is: a whitespace character for a space, else that character).
      std::size_t start = pos, end = std::string_view::npos, after = 0;
      for (std::size_t k = start; k <= line.size(); ++k) {
        if (next.empty()) {
          end = k;
          after = k;
          break;
        }
        if (next[0] == ' ') {
          bool digits = false;  // not needed here
          k = text::token_end(line, k, digits);  // eight bytes at a time
        } else {
          k = line.find(next[0], k);
          if (k == std::string_view::npos) break;
        }
        const std::size_t m = match_literal(next, line, k);
        if (m != std::string_view::npos) {
          end = k;
          after = m;
          break;
        }
      }
      if (end == std::string_view::npos) return false;
      values[f] = line.substr(start, end - start);
      pos = after;
    }
    return pos == line.size();
  }

  bool split_regex(std::string_view line, std::vector<std::string_view>& values) const {
    if (fixed) {
      thread_local std::vector<std::pair<std::size_t, std::size_t>> spans;
      const auto result = fixed->match(line, !content_is_rest, spans);
      if (result == FixedSplitter::Result::no_match) return false;
      if (result == FixedSplitter::Result::match) {
        if (content_is_rest) values[static_cast<std::size_t>(content)] = line.substr(spans[0].second);
        const auto& names = regex->CapturingGroupNames();
        std::size_t f = 0;
        for (std::size_t g = 1; g < spans.size() && f < fields.size(); ++g) {
          if (names.count(static_cast<int>(g)) == 0) continue;
          // a group that took no part is a null view, as RE2 gives it
          values[f++] = spans[g].first == std::string_view::npos
                            ? std::string_view()
                            : std::string_view(line.data() + spans[g].first, spans[g].second - spans[g].first);
        }
        return true;
      }
    }
    const int n = regex->NumberOfCapturingGroups();
    thread_local std::vector<re2::StringPiece> groups;
    groups.assign(static_cast<std::size_t>(n) + 1, re2::StringPiece());
    if (!regex->Match(re2::StringPiece(line.data(), line.size()), 0, line.size(),
                      content_is_rest ? RE2::ANCHOR_START : RE2::ANCHOR_BOTH, groups.data(), n + 1)) {
      return false;
    }
    if (content_is_rest) {
      const std::size_t end = static_cast<std::size_t>(groups[0].data() + groups[0].size() - line.data());
      values[static_cast<std::size_t>(content)] = line.substr(end);
    }
    const auto& names = regex->CapturingGroupNames();
    std::size_t f = 0;
    for (int g = 1; g <= n && f < fields.size(); ++g) {
      if (names.count(g) == 0) continue;
      values[f++] = std::string_view(groups[static_cast<std::size_t>(g)].data(),
                                     groups[static_cast<std::size_t>(g)].size());
    }
    return true;
  }
};

LogFormat::LogFormat(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogFormat::LogFormat(LogFormat&&) noexcept = default;
LogFormat& LogFormat::operator=(LogFormat&&) noexcept = default;
LogFormat::~LogFormat() = default;

LogFormat LogFormat::from_loghub(std::string_view format_string) {
  auto impl = std::make_unique<Impl>();
  impl->name = std::string(format_string);
  std::string pattern = "^";
  std::vector<std::string> literal_parts;
  std::string literal;
  bool plain = true;
  std::size_t pos = 0;
  while (pos < format_string.size()) {
    const std::size_t open = format_string.find('<', pos);
    const std::size_t close = open == std::string_view::npos ? open : format_string.find('>', open);
    const bool field = open != std::string_view::npos && close != std::string_view::npos &&
                       format_string.substr(open + 1, close - open - 1).find_first_of("<> ") ==
                           std::string_view::npos &&
                       close > open + 1;
    const std::size_t lit_end = field ? open : format_string.size();
    const std::string_view lit = format_string.substr(pos, lit_end - pos);
    literal += std::string(lit);
    if (!field) break;
    plain = plain && plain_literal(literal);
    literal_parts.push_back(literal);
    pattern += literal_regex(literal);
    literal.clear();
    const std::string name(format_string.substr(open + 1, close - open - 1));
    for (char c : name) {
      if (!text::is_word_char(c)) {
        throw InputError("log format field <" + name + "> must be letters, digits or '_'");
      }
    }
    impl->fields.push_back(name);
    pattern += "(?P<" + name + ">.*?)";
    pos = close + 1;
  }
  plain = plain && plain_literal(literal);
  literal_parts.push_back(literal);
  pattern += literal_regex(literal) + "$";
  impl->index_fields();
  if (impl->content < 0) {
    throw InputError("log format '" + std::string(format_string) + "' has no <Content> field");
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_dot_nl(true);
  impl->regex = std::make_unique<RE2>(pattern, options);
  if (!impl->regex->ok()) {
    throw InputError("log format '" + std::string(format_string) + "' does not compile: " +
                     impl->regex->error());
  }
  impl->compile_fixed(pattern, true);
  impl->plain = plain;
  if (plain) {
    for (auto& part : literal_parts) impl->literals.push_back(unescape(part));
  }
  return LogFormat(std::move(impl));
}

LogFormat LogFormat::from_regex(std::string name, std::string_view pattern, Level unstated) {
  auto impl = std::make_unique<Impl>();
  impl->name = std::move(name);
  impl->unstated = unstated;
  constexpr std::string_view kRestIsContent = "(?P<content>.*)";
  if (pattern.ends_with(kRestIsContent)) {
    pattern.remove_suffix(kRestIsContent.size());
    impl->content_is_rest = true;
  }
  RE2::Options options;
  options.set_log_errors(false);
  impl->regex = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!impl->regex->ok()) {
    throw InputError("format '" + impl->name + "' does not compile: " + impl->regex->error());
  }
  impl->compile_fixed(pattern, false);
  for (const auto& [index, group] : impl->regex->CapturingGroupNames()) {
    (void)index;
    impl->fields.push_back(group);  // std::map: ordered by group index
  }
  if (impl->content_is_rest) impl->fields.emplace_back("content");
  impl->index_fields();
  if (impl->content < 0) throw InputError("format '" + impl->name + "' has no content group");
  return LogFormat(std::move(impl));
}

const std::string& LogFormat::name() const { return impl_->name; }
const std::vector<std::string>& LogFormat::fields() const { return impl_->fields; }
std::size_t LogFormat::content_field() const { return static_cast<std::size_t>(impl_->content); }

bool LogFormat::split_fields(std::string_view line, std::vector<std::string_view>& values) const {
  values.assign(impl_->fields.size(), std::string_view{});
  if (impl_->plain && impl_->split_plain(line, values)) return true;
  return impl_->split_regex(line, values);
}

bool LogFormat::split(std::string_view line, Header& out) const {
  thread_local std::vector<std::string_view> values;
  if (!split_fields(line, values)) return false;
  Header h;
  const auto& im = *impl_;
  if (im.timestamp_first >= 0) {
    const auto first = values[static_cast<std::size_t>(im.timestamp_first)];
    const auto last = values[static_cast<std::size_t>(im.timestamp_last)];
    if (first.data() != nullptr && last.data() != nullptr && last.data() >= first.data()) {
      h.timestamp = std::string_view(first.data(),
                                     static_cast<std::size_t>(last.data() + last.size() - first.data()));
    }
  }
  if (im.level >= 0) {
    h.level_text = values[static_cast<std::size_t>(im.level)];
    h.level = parse_level(h.level_text);
  }
  if (h.level_text.empty()) h.level = im.unstated;
  if (im.component >= 0) h.component = values[static_cast<std::size_t>(im.component)];
  h.content = values[static_cast<std::size_t>(im.content)];
  h.format = im.name;
  out = h;
  return true;
}

}  // namespace l4::format
