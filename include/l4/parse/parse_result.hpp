#pragma once
// ParseResult: what matching one line against the template store gives — the template's id and
// text, and the parameter values (the text at the template's <*> places).
#include <string_view>
#include <vector>

#include "l4/parse/template_id.hpp"

namespace l4::parse {

struct ParseResult {
  TemplateId id = 0;
  // Template text with "<*>" for parameters; storage owned by the miner/store, valid until the
  // store is modified (templates are never freed while the store lives, except by re-mining the
  // provisional templates of match_or_add, see TemplateMiner).
  std::string_view template_text;
  // One view into the matched content per "<*>" of the template, in order.
  std::vector<std::string_view> parameters;
  // Index of the template in TemplateStore::templates().
  std::size_t index = 0;
};

}  // namespace l4::parse
