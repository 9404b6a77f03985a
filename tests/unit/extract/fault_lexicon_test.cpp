// FaultLexicon: word-start matching (CamelCase humps), prefix vs word terms, phrases, benign
// terms, level weights, and the embedded table's sanity.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "l4/error.hpp"
#include "l4/extract/fault_lexicon.hpp"

using l4::extract::FaultLexicon;
using l4::extract::TermHit;
using l4::format::Level;

namespace {
const char* kSmall = R"({
  "level_weights": {"info": 0, "warn": 1, "error": 2},
  "terms": [
    {"term": "fail", "weight": 3, "match": "prefix"},
    {"term": "timeout", "weight": 2, "match": "prefix"},
    {"term": "lost", "weight": 1, "match": "word"},
    {"term": "out of memory", "weight": 4, "match": "word"},
    {"term": "success", "weight": -2, "match": "prefix"}
  ],
  "trailing_stop_words": ["to", "took"]
})";
}  // namespace

TEST_CASE("lexicon terms match at word starts, case-insensitively", "[extract][lexicon]") {
  const FaultLexicon lex(kSmall);
  CHECK(lex.score("Task FAILED") == Approx(3));
  CHECK(lex.score("failure; failed again") == Approx(3));  // distinct terms count once
  CHECK(lex.score("nofail here") == Approx(0));            // not at a word start
  CHECK(lex.score("java.net.SocketTimeoutException") == Approx(2));  // CamelCase hump
  CHECK(lex.score("connection lost") == Approx(1));
  CHECK(lex.score("lostness") == Approx(0));  // word term needs a word end
  CHECK(lex.score("CUDA out-of-memory") == Approx(4));  // phrase across punctuation
  CHECK(lex.score("out of memory-ish") == Approx(4));
  CHECK(lex.score("Successfully connected") == Approx(-2));
  CHECK(lex.score("") == Approx(0));
}

TEST_CASE("level weights add to the text score", "[extract][lexicon]") {
  const FaultLexicon lex(kSmall);
  CHECK(lex.score("failed", Level::error) == Approx(5));
  CHECK(lex.score("failed", Level::warn) == Approx(4));
  CHECK(lex.score("hello", Level::unknown) == Approx(0));
}

TEST_CASE("hits report each match with its byte range", "[extract][lexicon]") {
  const FaultLexicon lex(kSmall);
  std::vector<TermHit> hits;
  lex.hits("read timed: TimeoutError, node lost", hits);
  REQUIRE(hits.size() == 2);
  CHECK(lex.terms()[hits[0].term].text == "timeout");
  CHECK(hits[0].begin == 12);
  CHECK(lex.terms()[hits[1].term].text == "lost");
  CHECK(hits[1].end == 35);
}

TEST_CASE("stop words are matched case-insensitively", "[extract][lexicon]") {
  const FaultLexicon lex(kSmall);
  CHECK(lex.is_trailing_stop_word("TO"));
  CHECK(lex.is_trailing_stop_word("took"));
  CHECK_FALSE(lex.is_trailing_stop_word("token"));
}

TEST_CASE("the embedded lexicon covers the issue's fault vocabulary", "[extract][lexicon]") {
  const FaultLexicon lex;
  for (const char* text : {"Connection refused", "worker killed", "NCCL communicator lost", "ECC error",
                           "Xid 79", "loss is NaN", "CUDA out of memory", "OOMKilled", "Aborted (core dumped)",
                           "exit code 1", "Watchdog timeout", "checkpoint corrupted"}) {
    INFO(text);
    CHECK(lex.score(text) >= 2.0);
  }
  CHECK(lex.score("Successfully connected to peer") < 0);
  CHECK(lex.score("loss 2.31 lr 3e-4 step 100") < 2.5);
  CHECK(lex.level_weight(Level::error) > lex.level_weight(Level::warn));
  CHECK(lex.level_weight(Level::warn) > lex.level_weight(Level::info));
  CHECK_FALSE(lex.clause_separators().empty());
  CHECK_FALSE(lex.cause_markers().empty());
}

TEST_CASE("short embedded terms do not fire inside ordinary words and names", "[extract][lexicon]") {
  const FaultLexicon lex;
  // 'oom' and 'hang' start words and place names too: an id "oomejz", the region "cn-hangzhou".
  CHECK(lex.score("imcgif vcdmez oomejz") == 0);
  CHECK(lex.score("endpoint cn-hangzhou.aliyuncs.com") == 0);
  for (const char* text : {"invoked oom-killer", "OOM", "oom_reaper: reaped process", "the job hangs", "hanging at barrier"}) {
    INFO(text);
    CHECK(lex.score(text) >= 2.0);
  }
}

TEST_CASE("a malformed lexicon is rejected", "[extract][lexicon]") {
  CHECK_THROWS_AS(FaultLexicon("{"), l4::InputError);
  CHECK_THROWS_AS(FaultLexicon(R"({"terms":[{"term":"1abc","weight":1}]})"), l4::InputError);
  CHECK_THROWS_AS(FaultLexicon(R"({"terms":[{"term":"a","weight":1},{"term":"A","weight":2}]})"), l4::InputError);
}
