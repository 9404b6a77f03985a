#include "l4/extract/parameter_typer.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "table/json_table.hpp"
#include "text/chars.hpp"

namespace l4::extract {

namespace {

// A match before overlap resolution.
struct Candidate {
  std::size_t type;
  std::size_t begin, end;            // whole match (leading delimiter skipped)
  std::size_t value_begin, value_end;// value group
  bool generic = false;              // its type's (a generic type yields to any specific one)
};

}  // namespace

struct ParameterTyper::Impl {
  struct Type {
    std::string name;
    std::unique_ptr<RE2> re;
    int groups = 0;
    ParameterRole role = ParameterRole::none;
    int fip_priority = 0;
    bool fip_with_key = false;
    bool generic = false;  // key=value, number: yield to any specific type they overlap
    std::vector<std::pair<long long, long long>> failure_values;  // value ranges that mean a failure
  };
  std::vector<Type> types;
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> examples;
  std::unique_ptr<RE2> field_key_before;  // "{field_key}{field_sep}" anchored at the end
  std::unique_ptr<RE2> context_key;       // keys of request context (trace id): never a FIP
  std::unique_ptr<RE2> statement_sep;     // key and value read as a sentence ("is"), anchored at the end

  // Every match of type `ti` in `text`, appended to `out`.
  void collect(std::size_t ti, std::string_view text, std::vector<Candidate>& out) const;
  // Where a field key ends exactly at `pos` (ParameterTyper::field_key_before).
  [[nodiscard]] std::size_t key_before(std::string_view text, std::size_t pos) const;
  // The parameter a kept match makes: its value, its shown text (with a field key naming it), its
  // role (none for a request-context key), whether it states a failure.
  [[nodiscard]] TypedParameter parameter(const Candidate& c, std::string_view text) const;
};

namespace {

// The integer `value`, or nullopt when it is not one (or out of range).
std::optional<long long> integer_of(std::string_view value) {
  long long v = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return v;
}

// "failure_values": a list of [min, max] integer ranges.
std::vector<std::pair<long long, long long>> ranges_of(const table::Value& list) {
  std::vector<std::pair<long long, long long>> out;
  for (const auto& r : list.items()) {
    const auto bounds = r.items();
    if (bounds.size() != 2) r.fail("expected [min, max]");
    const auto lo = static_cast<long long>(bounds[0].integer(-1000000, 1000000));
    const auto hi = static_cast<long long>(bounds[1].integer(-1000000, 1000000));
    if (lo > hi) r.fail("min is above max");
    out.emplace_back(lo, hi);
  }
  return out;
}

using Ranges = std::vector<std::pair<long long, long long>>;

// True when the match `c` of `text` is a value in `failure` written as a sentence, its key and
// value joined by `statement_sep` ("Exit code is 137"; not the field "exitCode: 10").
bool states_failure(std::string_view text, const Candidate& c, const Ranges& failure, const RE2* statement_sep) {
  if (failure.empty() || statement_sep == nullptr || c.value_begin <= c.begin) return false;
  const auto v = integer_of(text.substr(c.value_begin, c.value_end - c.value_begin));
  if (!v || std::none_of(failure.begin(), failure.end(), [&](const auto& r) { return r.first <= *v && *v <= r.second; })) {
    return false;
  }
  return RE2::PartialMatch(re2::StringPiece(text.data() + c.begin, c.value_begin - c.begin), *statement_sep);
}

// Characters a pattern may match just before its value ("(?:^|[\\s=:,])/path") that are no part
// of the parameter's text.
using text::is_space;
bool is_leading_delimiter(char c) { return c == ' ' || c == '\t' || c == '=' || c == ':' || c == ','; }

// Patterns name the shared field syntax as {field_key} and {field_sep}.
std::string expand_fields(std::string pattern, const std::string& key, const std::string& sep) {
  for (const auto& [name, value] : {std::pair<std::string_view, const std::string&>{"{field_key}", key},
                                    std::pair<std::string_view, const std::string&>{"{field_sep}", sep}}) {
    for (auto at = pattern.find(name); at != std::string::npos; at = pattern.find(name, at + value.size())) {
      pattern = pattern.substr(0, at) + value + pattern.substr(at + name.size());
    }
  }
  return pattern;
}

// The "role" of a type; absent means none.
ParameterRole role_of(const table::Value& type) {
  const auto role = type.find("role");
  if (!role) return ParameterRole::none;
  const auto name = role->text();
  if (name == "entity") return ParameterRole::entity;
  if (name == "candidate") return ParameterRole::candidate;
  if (name != "none") role->fail("expected entity, candidate or none");
  return ParameterRole::none;
}

}  // namespace

ParameterTyper::ParameterTyper(std::string_view json) : impl_(std::make_unique<Impl>()) {
  const std::string_view text = json.empty() ? embedded::data("parameter_types.json") : json;
  table::load(text, json.empty() ? "parameter_types.json" : "parameter types", [&](const table::Value& doc) {
    doc.keys({"description", "types", "field_key", "field_sep", "context_key", "statement_sep"});
    RE2::Options opts;
    opts.set_encoding(RE2::Options::EncodingLatin1);  // log bytes need not be valid UTF-8
    opts.set_log_errors(false);
    // Compiles `pattern` (the table's text at `at`, fields expanded) or fails naming `at`.
    const auto compile = [&](const table::Value& at, const std::string& pattern, const std::string& what = "pattern") {
      auto re = std::make_unique<RE2>(pattern, opts);
      if (!re->ok()) at.fail(what + " does not compile: " + re->error());
      if (RE2::FullMatch("", *re)) at.fail(what + " matches the empty string");
      return re;
    };
    const auto field_key = doc.has("field_key") ? doc["field_key"].text() : std::string("(?!)");
    const auto field_sep = doc.has("field_sep") ? doc["field_sep"].text() : std::string("(?!)");
    if (doc.has("field_key")) {
      impl_->field_key_before = compile(doc["field_key"], "(" + field_key + field_sep + ")$");
    }
    if (auto key = doc.find("context_key")) impl_->context_key = compile(*key, key->text());
    if (auto sep = doc.find("statement_sep")) impl_->statement_sep = compile(*sep, "(?:" + sep->text() + ")$");
    for (const auto& t : doc["types"].items()) {
      t.keys({"name", "regex", "examples", "role", "fip_priority", "fip_text", "generic", "failure_values"});
      Impl::Type type;
      type.name = t["name"].text();
      type.re = compile(t["regex"], expand_fields(t["regex"].text(), field_key, field_sep),
                        "pattern of '" + type.name + "'");
      type.groups = type.re->NumberOfCapturingGroups();
      type.role = role_of(t);
      if (auto p = t.find("fip_priority")) type.fip_priority = static_cast<int>(p->integer(0, 100));
      if (auto f = t.find("fip_text")) {
        const auto how = f->text();
        if (how != "value" && how != "text") f->fail("expected \"value\" or \"text\"");
        type.fip_with_key = how == "text";
      }
      if (auto g = t.find("generic")) type.generic = g->boolean();
      if (auto f = t.find("failure_values")) type.failure_values = ranges_of(*f);
      impl_->names.push_back(type.name);
      impl_->examples.push_back(t.has("examples") ? t["examples"].texts() : std::vector<std::string>{});
      impl_->types.push_back(std::move(type));
    }
  });
}

ParameterTyper::ParameterTyper(ParameterTyper&&) noexcept = default;
ParameterTyper& ParameterTyper::operator=(ParameterTyper&&) noexcept = default;
ParameterTyper::~ParameterTyper() = default;

std::optional<std::string> ParameterTyper::type_of(std::string_view value) const {
  for (const auto& t : impl_->types) {
    if (RE2::FullMatch(value, *t.re)) return t.name;
  }
  return std::nullopt;
}

void ParameterTyper::Impl::collect(std::size_t ti, std::string_view text, std::vector<Candidate>& out) const {
  constexpr int kMaxGroups = 4;
  re2::StringPiece groups[kMaxGroups + 1];
  const re2::StringPiece whole(text.data(), text.size());
  const auto& t = types[ti];
  const int ngroups = std::min(t.groups, kMaxGroups);
  std::size_t pos = 0;
  while (pos <= text.size() && t.re->Match(whole, pos, text.size(), RE2::UNANCHORED, groups, ngroups + 1)) {
    const std::size_t b = static_cast<std::size_t>(groups[0].data() - text.data());
    const std::size_t e = b + groups[0].size();
    // The value is the first non-empty capturing group, else the whole match.
    std::size_t vb = b, ve = e;
    for (int g = 1; g <= ngroups; ++g) {
      if (groups[g].data() != nullptr && !groups[g].empty()) {
        vb = static_cast<std::size_t>(groups[g].data() - text.data());
        ve = vb + groups[g].size();
        break;
      }
    }
    std::size_t mb = b;
    while (mb < vb && is_leading_delimiter(text[mb])) ++mb;
    // A full stop that ends the sentence is no part of the value ("url is /x/y. Next").
    std::size_t me = e;
    while (ve > vb + 1 && ve == me && text[ve - 1] == '.' && (me == text.size() || is_space(text[me]))) {
      --ve;
      --me;
    }
    if (ve > vb) out.push_back(Candidate{ti, mb, me, vb, ve, t.generic});
    pos = e > pos ? e : pos + 1;
  }
}

namespace {

// The matches that stand, ordered by position. A specific type wins over a generic one
// (PCI:0000:db:00 is a bus id, not a key=value); then the longer match (a tuple over the UUID
// inside it); then the earlier type. Two specific types may share words of context as long as
// their values do not overlap ("Xid (PCI:0000:db:00): 48" is an Xid, 48, and a bus id,
// 0000:db:00); a generic type yields to anything its match touches.
std::vector<Candidate> non_overlapping(std::vector<Candidate> cands) {
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.generic != b.generic) return !a.generic;
    if ((a.end - a.begin) != (b.end - b.begin)) return (a.end - a.begin) > (b.end - b.begin);
    return a.type < b.type;
  });
  std::vector<Candidate> kept;
  for (const auto& c : cands) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) {
      if (c.generic || k.generic) return c.begin < k.end && k.begin < c.end;
      return c.value_begin < k.value_end && k.value_begin < c.value_end;
    });
    if (!overlaps) kept.push_back(c);
  }
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
  return kept;
}

}  // namespace

TypedParameter ParameterTyper::Impl::parameter(const Candidate& c, std::string_view text) const {
  const auto& t = types[c.type];
  TypedParameter p;
  p.type = t.name;
  p.value = std::string(text.substr(c.value_begin, c.value_end - c.value_begin));
  p.role = t.role;
  p.fip_priority = t.fip_priority;
  p.fip_with_key = t.fip_with_key;
  p.generic = t.generic;
  p.begin = t.fip_with_key ? c.begin : c.value_begin;
  p.end = t.fip_with_key ? c.end : c.value_end;
  // A value a field key names ("url is /path", "targetPath=/x") is shown as the field, key and
  // all, whether its own match holds a key (a path's match starts at the space before it) or not.
  if (!t.generic) {
    if (const auto key = key_before(text, c.value_begin); key < p.begin) p.begin = key;
  }
  p.text = std::string(text.substr(p.begin, p.end - p.begin));
  // A value named by a request-context key (traceid is …, x-request-id:…) identifies the
  // request, not the fault.
  if (context_key) {
    const auto context = [&](std::size_t from, std::size_t to) {
      return RE2::PartialMatch(re2::StringPiece(text.data() + from, to - from), *context_key);
    };
    const std::size_t key = key_before(text, c.begin);
    if (context(c.begin, c.end) || (key != std::string_view::npos && context(key, c.begin))) {
      p.role = ParameterRole::none;
    }
  }
  p.states_failure = states_failure(text, c, t.failure_values, statement_sep.get());
  p.value_begin = c.value_begin;
  p.match_begin = c.begin;
  p.match_end = c.end;
  return p;
}

std::vector<TypedParameter> ParameterTyper::find(std::string_view text) const {
  std::vector<Candidate> cands;
  for (std::size_t ti = 0; ti < impl_->types.size(); ++ti) impl_->collect(ti, text, cands);
  std::vector<TypedParameter> out;
  for (const auto& c : non_overlapping(std::move(cands))) out.push_back(impl_->parameter(c, text));
  return out;
}

std::size_t ParameterTyper::Impl::key_before(std::string_view text, std::size_t pos) const {
  if (!field_key_before || pos > text.size()) return std::string_view::npos;
  constexpr std::size_t kWindow = 64;  // keys are short; bound the work on long lines
  const std::size_t from = pos > kWindow ? pos - kWindow : 0;
  re2::StringPiece key;
  const re2::StringPiece window(text.data() + from, pos - from);
  if (!RE2::PartialMatch(window, *field_key_before, &key)) return std::string_view::npos;
  const auto b = static_cast<std::size_t>(key.data() - text.data());
  // The key must start a word: not the tail of a longer token ("x-request-id").
  if (b > 0 && (text::is_word_char(text[b - 1]) || text[b - 1] == '-' || text[b - 1] == '.')) {
    return std::string_view::npos;
  }
  return b;
}

std::size_t ParameterTyper::field_key_before(std::string_view text, std::size_t pos) const {
  return impl_->key_before(text, pos);
}

const std::vector<std::string>& ParameterTyper::type_names() const { return impl_->names; }
const std::vector<std::vector<std::string>>& ParameterTyper::examples() const { return impl_->examples; }

}  // namespace l4::extract
