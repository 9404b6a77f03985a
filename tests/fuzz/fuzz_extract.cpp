// Extraction: lines (any bytes) with their headers split and templates mined go through the fault
// extractor; every finding points at an input line, its description is a part of the content and
// its parameters lie inside it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "l4/extract/fault_extractor.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/parse/template_miner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using l4::fuzz::require;
  static const l4::format::HeaderParser headers;
  static const l4::extract::FaultExtractor extractor;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<l4::format::Header> parts;
  l4::fuzz::for_each_line(input, [&](std::string_view line) { parts.push_back(headers.split(line)); }, 256);
  l4::parse::TemplateMiner miner;
  for (const auto& h : parts) miner.observe(h.content);
  miner.build();
  std::vector<l4::extract::ExtractLine> lines(parts.size());
  std::vector<l4::parse::ParseResult> parsed(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto& e = lines[i];
    e.node = i % 2 ? "node-1" : "node-2";
    e.file = "f.log";
    e.line_no = i + 1;
    e.level = parts[i].level;
    e.content = parts[i].content;
    if (miner.match(parts[i].content, parsed[i])) {
      e.template_id = parsed[i].id;
      e.template_text = parsed[i].template_text;
      e.parameters = parsed[i].parameters;
    }
  }
  l4::extract::ExtractOptions options;
  options.one_per_template = size % 2 == 0;
  for (const auto& f : extractor.extract(lines, options)) {
    require(f.index < lines.size() && f.line_no == f.index + 1, "a finding points at an input line");
    require(f.content == lines[f.index].content, "a finding's content is its line's");
    require(f.description_begin <= f.description_end && f.description_end <= f.content.size(),
            "the description is a part of the content");
    require(f.score == f.score, "the score is a number");
  }
  return 0;
}
