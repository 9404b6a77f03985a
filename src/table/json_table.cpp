#include "table/json_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>

#include "l4/error.hpp"

namespace l4::table {

void Value::fail(const std::string& message) const { throw TableError{path_, message}; }

void Value::keys(std::initializer_list<std::string_view> allowed) const {
  if (!value_->is_object()) fail("expected an object");
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      throw TableError{path_ + "/" + it.key(), fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", "))};
    }
  }
}

bool Value::has(std::string_view key) const { return value_->is_object() && value_->contains(key); }

Value Value::operator[](std::string_view key) const {
  if (!value_->is_object()) fail("expected an object");
  const auto it = value_->find(key);
  if (it == value_->end()) throw TableError{path_ + "/" + std::string(key), "missing"};
  return Value(*it, path_ + "/" + std::string(key));
}

std::optional<Value> Value::find(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return (*this)[key];
}

std::vector<Value> Value::items() const {
  if (!value_->is_array()) fail("expected an array");
  std::vector<Value> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) out.emplace_back((*value_)[i], fmt::format("{}/{}", path_, i));
  return out;
}

std::vector<std::pair<std::string, Value>> Value::members() const {
  if (!value_->is_object()) fail("expected an object");
  std::vector<std::pair<std::string, Value>> out;
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    out.emplace_back(it.key(), Value(it.value(), path_ + "/" + it.key()));
  }
  return out;
}

std::string Value::any_text() const {
  if (!value_->is_string()) fail("expected a string");
  return value_->get<std::string>();
}

std::string Value::text() const {
  std::string s = any_text();
  if (s.empty()) fail("expected a non-empty string");
  return s;
}

std::vector<std::string> Value::texts() const {
  std::vector<std::string> out;
  for (const auto& v : items()) out.push_back(v.text());
  return out;
}

bool Value::boolean() const {
  if (!value_->is_boolean()) fail("expected true or false");
  return value_->get<bool>();
}

double Value::number(double min, double max) const {
  if (!value_->is_number()) fail("expected a number");
  const double v = value_->get<double>();
  if (!std::isfinite(v) || v < min || v > max) fail(fmt::format("{} is not in [{}, {}]", v, min, max));
  return v;
}

long Value::integer(long min, long max) const {
  if (!value_->is_number_integer()) fail("expected an integer");
  const auto v = value_->get<long>();
  if (v < min || v > max) fail(fmt::format("{} is not in [{}, {}]", v, min, max));
  return v;
}

double Value::weight() const {
  if (!value_->is_number()) fail("expected a number");
  const double w = value_->get<double>();
  if (!std::isfinite(w) || w <= 0 || w > 1e6) fail(fmt::format("weight {} is not in (0, 1e6]", w));
  return w;
}

std::string Value::pattern(bool may_match_empty, std::string_view wrap) const {
  std::string p = text();
  std::string used(wrap);
  used.replace(used.find("{}"), 2, p);
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 re(used, options);
  if (!re.ok()) fail("pattern does not compile: " + re.error());
  if (!may_match_empty && RE2::PartialMatch("", re)) fail("pattern matches the empty string, so every text");
  return p;
}

void rethrow_as_input_error(const std::string& origin) {
  try {
    throw;
  } catch (const TableError& e) {
    throw InputError(fmt::format("{}: {}: {}", origin, e.path.empty() ? "/" : e.path, e.message));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(origin + ": malformed JSON: " + e.what());
  }
}

}  // namespace l4::table
