#include "line_template.hpp"

#include <array>

#include "l4/error.hpp"

namespace l4::simulate {
namespace {

constexpr std::array kVarNames = {
#define L4_SIM_NAME(name) std::string_view(#name),
    L4_SIM_VARS(L4_SIM_NAME)
#undef L4_SIM_NAME
};

}  // namespace

LineTemplate compile_line(std::string_view text, std::string_view where) {
  LineTemplate t;
  if (!text.empty() && text.front() == '!') {
    t.evidence = true;
    text.remove_prefix(1);
  }
  std::string literal;
  auto push_literal = [&] {
    if (!literal.empty()) t.segments.push_back(Segment{Var::literal, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal.push_back(c);
      ++i;
      continue;
    }
    if (c == '}') throw Error(std::string("simulate table ") + std::string(where) + ": stray '}' in: " + std::string(text));
    if (c != '{') {
      literal.push_back(c);
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string_view::npos) {
      throw Error(std::string("simulate table ") + std::string(where) + ": unclosed '{' in: " + std::string(text));
    }
    const auto name = text.substr(i + 1, close - i - 1);
    std::size_t id = 0;
    while (id < kVarNames.size() && kVarNames[id] != name) ++id;
    if (id == kVarNames.size()) {
      throw Error(std::string("simulate table ") + std::string(where) + ": unknown variable {" + std::string(name) +
                  "}");
    }
    push_literal();
    t.segments.push_back(Segment{static_cast<Var>(id), {}});
    i = close;
  }
  push_literal();
  return t;
}

Block compile_block(const nlohmann::json& j, std::string_view where) {
  Block b;
  if (j.is_string()) {
    b.push_back(compile_line(j.get<std::string>(), where));
  } else if (j.is_array()) {
    for (const auto& line : j) {
      if (!line.is_string()) throw Error(std::string("simulate table ") + std::string(where) + ": block lines must be strings");
      b.push_back(compile_line(line.get<std::string>(), where));
    }
  } else if (!j.is_null()) {
    throw Error(std::string("simulate table ") + std::string(where) + ": expected a string or an array of strings");
  }
  return b;
}

std::vector<Block> compile_blocks(const nlohmann::json& j, std::string_view where) {
  std::vector<Block> out;
  if (j.is_null()) return out;
  if (!j.is_array()) throw Error(std::string("simulate table ") + std::string(where) + ": expected an array of blocks");
  for (const auto& b : j) out.push_back(compile_block(b, where));
  return out;
}

}  // namespace l4::simulate
