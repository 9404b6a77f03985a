#pragma once
// l4/parse.hpp — Template mining: log messages become templates (events) with stable 64-bit ids, mined
// deterministically (contrastive grouping, docs/parse.md), saved and reused.
//
//   l4::parse::TemplateMiner miner;
//   for (auto content : contents) miner.observe(content);
//   miner.build();
//   l4::parse::ParseResult r;
//   if (miner.match(content, r)) { /* r.id, r.template_text, r.parameters */ }
#include "l4/parse/miner_options.hpp"
#include "l4/parse/parse_result.hpp"
#include "l4/parse/sharded_observer.hpp"
#include "l4/parse/template_id.hpp"
#include "l4/parse/template_miner.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/parse/token_masker.hpp"
