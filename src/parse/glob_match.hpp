#pragma once
// Glob matching of template tokens and run slots (internal to parse: TemplateStore, TemplateMiner
// and ContrastiveGrouper match with it).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/template_store.hpp"

namespace l4::parse {

// Matches one template token (may hold "<*>") against a line token; appends the text each "<*>"
// covers to `params` when not null. "<*>" matches any text, shortest first.
bool glob_match(std::string_view pattern, std::string_view text, std::vector<std::string_view>* params);

// True when template token `general` matches every line token that template token `specific`
// matches: a "<*>" of `specific` is covered only by a "<*>" of `general`, never by its literal
// text ("eth0:<*><<*>>" does not cover "eth0:<*>", though glob_match of the two texts says yes).
// May answer false for a cover it cannot see; never true for one that is not.
bool glob_covers(std::string_view general, std::string_view specific);

// Matches a template with run slots against a line's tokens (views into one string, as tokenize()
// gives them); appends the parameters when `params` is not null. Runs take as few tokens as they
// can, backtracking when the rest does not match; a pathological line gives up (no match) after a
// bounded number of steps.
bool runs_match(std::span<const std::string> pattern, std::span<const TokenRun> runs,
                std::span<const std::string_view> tokens, std::vector<std::string_view>* params);

}  // namespace l4::parse
