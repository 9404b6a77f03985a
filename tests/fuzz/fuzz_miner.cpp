// Template mining with the save/load round trip: lines (any bytes) are mined, build gives every
// line a template that matches it, and the store saved as JSON (always valid UTF-8) loads back to
// the same JSON and matches every line with the same template id. Incremental mining
// (match_or_add) on the loaded store never fails either.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/template_miner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using l4::fuzz::require;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  l4::fuzz::for_each_line(input, [&](std::string_view line) { lines.push_back(line); }, 256);
  l4::parse::TemplateMiner miner;
  for (auto line : lines) miner.observe(line);
  miner.build();
  l4::parse::ParseResult r;
  for (auto line : lines) {
    require(miner.assign(line, r), "build gives every observed line a template that matches it");
  }
  for (auto line : lines) {
    if (!miner.match(line, r)) (void)miner.match_or_add(line);
  }
  // The ids of the final store: a provisional template learned later may be re-mined and take
  // over earlier lines, so ids taken while the store grew are no reference for the round trip.
  // (tests/fuzz/corpus/miner/finding-late-template was first read that way; its cause was a merge
  // that let a specific shape stand for a general one, fixed in ContrastiveGrouper::merge.)
  std::vector<l4::parse::TemplateId> ids;
  for (auto line : lines) {
    require(miner.store().match(line, r), "the final store matches every line");
    ids.push_back(r.id);
  }
  const std::string json = miner.store().to_json();
  require(l4::io::is_valid_utf8(json), "saved templates are valid UTF-8");
  auto loaded = l4::parse::TemplateStore::from_json(json);  // must not throw
  require(loaded.to_json() == json, "save(load(save)) == save");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    require(loaded.match(lines[i], r), "a loaded store matches every line it was mined from");
    require(r.id == ids[i], "the same template id after save/load");
  }
  l4::parse::TemplateMiner again(std::move(loaded));  // (parsed once: the second parse was 9% of the run)
  for (auto line : lines) (void)again.match_or_add(line);
  return 0;
}
