#pragma once
// MinerOptions: the settings of template mining (TemplateMiner) and of its batch algorithm, the
// contrastive grouping (src/parse/contrastive_grouper.hpp; docs/parse.md "Method").
#include <cstddef>
#include <string>
#include <vector>

namespace l4::parse {

// The "unit_words" of the embedded data/parse_masks.json.
std::vector<std::string> default_unit_words();

struct GrouperOptions {
  // A position with at least this many different plain-word values is a parameter; with fewer it
  // splits the unit into separate templates.
  std::size_t word_param_values = 4;
  // Unit words ("B", "KB", "ms"): a position holding only units right after a parameter is part
  // of that parameter ("877.0 B" / "6.0 KB"), not a template split. From data/parse_masks.json.
  std::vector<std::string> unit_words = default_unit_words();
  // Steps 3 and 4 compare a template with at most this many others (its neighbours in text order
  // among those that could merge with it). Logs have far fewer templates per token count or
  // anchor text (Loghub systems: at most a few dozen), so this only bounds the worst case: a
  // million distinct lines that share nothing cost a million times this, not a million squared.
  std::size_t merge_candidates = 256;
  // Steps 3 and 4 repeat until nothing merges, at most this many rounds (a merge makes a template
  // more general, which may let it merge again; real logs settle in two or three).
  std::size_t merge_rounds = 8;
};

struct MinerOptions {
  GrouperOptions grouping;
  // The most templates one build (or re-mine) adds; the lines of the rest go to the overflow
  // template. Loghub-2.0's largest systems have about 1,200 templates over millions of lines, so
  // this is far above real logs and only stops pathological input (every line unlike the others).
  std::size_t max_templates = 20000;
};

}  // namespace l4::parse
