#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "l4/error.hpp"
#include "l4/io/utf8.hpp"
#include "l4/parse/template_miner.hpp"
#include "l4/parse/template_store.hpp"
#include "parse/glob_match.hpp"
#include "support/test_support.hpp"

using namespace l4::parse;

TEST_CASE("template ids are FNV-1a of the text, printed as 16 hex digits", "[parse][store]") {
  // published FNV-1a 64 test vectors
  CHECK(template_id("") == 0xcbf29ce484222325ULL);
  CHECK(template_id("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(to_hex(template_id("a")) == "af63dc4c8601ec8c");
  CHECK(to_hex(1) == "0000000000000001");
  CHECK(parse_template_id("af63dc4c8601ec8c") == template_id("a"));
  CHECK_FALSE(parse_template_id("xyz").has_value());
  CHECK_FALSE(parse_template_id("af63dc4c8601ec8").has_value());
  TemplateStore s;
  const auto i = s.add("Verification succeeded for <*>");
  CHECK(s.templates()[i].id == template_id("Verification succeeded for <*>"));
}

TEST_CASE("glob matching of template tokens captures parameters", "[parse][store]") {
  std::vector<std::string_view> params;
  CHECK(glob_match("<*>:<*>", "10.0.0.1:50010", &params));
  REQUIRE(params.size() == 2);
  CHECK(params[0] == "10.0.0.1");
  CHECK(params[1] == "50010");
  params.clear();
  CHECK(glob_match("(HWID=<*>)", "(HWID=1973)", &params));
  CHECK(params == std::vector<std::string_view>{"1973"});
  CHECK_FALSE(glob_match("(HWID=<*>)", "(HWID=1973", nullptr));
  CHECK_FALSE(glob_match("node-<*>", "host-3", nullptr));
  CHECK(glob_match("plain", "plain", nullptr));
  // Several "<*>": each takes the shortest text that lets the rest match; adjacent ones, nothing.
  params.clear();
  CHECK(glob_match("<*>-<*>.<*>", "a-b-c.d.e", &params));
  CHECK(params == std::vector<std::string_view>{"a", "b-c", "d.e"});
  params.clear();
  CHECK(glob_match("x<*><*>y", "xaby", &params));
  CHECK(params == std::vector<std::string_view>{"", "ab"});
  CHECK(glob_match("a<*>b<*>a", "aba", nullptr));
  CHECK_FALSE(glob_match("a<*>b<*>a", "aa", nullptr));  // prefix and suffix may not overlap the middle
  CHECK(glob_match("a<*>a", "aa", nullptr));
}

// A token of many "<*>" against a long text of near-misses: each piece is found once, left to right
// (trying every split took minutes; fuzz finding tests/fuzz/corpus/extract/finding-glob-backtracking).
TEST_CASE("glob matching is linear, whatever the number of wildcards", "[parse][store]") {
  std::string pattern, text;
  for (int i = 0; i < 40; ++i) pattern += "<*>:<*<";
  pattern += "<*>!";
  for (int i = 0; i < 400; ++i) text += ":<*<:<";
  text += "?";
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(glob_match(pattern, text, nullptr));
  CHECK_FALSE(glob_covers(pattern, text));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("glob cover: a template token covers another only where its <*> take the other's", "[parse][store]") {
  CHECK(glob_covers("<*>:<*>", "node-<*>:<*>"));
  CHECK(glob_covers("eth0:<*>", "eth0:<*><<*>>"));
  CHECK(glob_covers("user=<*>", "user=root"));
  CHECK(glob_covers("a<*>b", "a<*>b"));
  CHECK(glob_covers("<*>", "<*>x<*>"));
  // glob_match reads the other token's "<*>" as text: "eth0:<*><<*>>" would "match" "eth0:<*>",
  // and a template so merged no longer matches the lines it was mined from (fuzz finding
  // tests/fuzz/corpus/miner/finding-late-template)
  REQUIRE(glob_match("eth0:<*><<*>>", "eth0:<*>", nullptr));
  CHECK_FALSE(glob_covers("eth0:<*><<*>>", "eth0:<*>"));
  CHECK_FALSE(glob_covers("a<<*>", "a<*>"));
  CHECK_FALSE(glob_covers("<*>*<*>", "<*>"));
  CHECK_FALSE(glob_covers("x<*>", "<*>"));
  CHECK_FALSE(glob_covers("node-<*>", "host-3"));
}

TEST_CASE("store matching: literals before wildcards, parameters are views into the line", "[parse][store]") {
  TemplateStore s;
  s.add("Worker <*> state <*>");
  s.add("Worker <*> state FAILED");
  s.add("<*>:<*> Served block <*> to <*>");
  ParseResult r;
  REQUIRE(s.match("Worker 3 state FAILED", r));
  CHECK(r.template_text == "Worker <*> state FAILED");
  CHECK(r.parameters == std::vector<std::string_view>{"3"});
  REQUIRE(s.match("Worker 4 state RUNNING", r));
  CHECK(r.template_text == "Worker <*> state <*>");
  const std::string line = "10.250.19.102:50010 Served block blk_-1 to /10.250.19.102";
  REQUIRE(s.match(line, r));
  CHECK(r.id == template_id("<*>:<*> Served block <*> to <*>"));
  REQUIRE(r.parameters.size() == 4);
  CHECK(r.parameters[2] == "blk_-1");
  CHECK(r.parameters[2].data() >= line.data());
  CHECK(r.parameters[2].data() < line.data() + line.size());
  CHECK_FALSE(s.match("Worker 3 state", r));
  CHECK_FALSE(s.match("something else entirely", r));
}

TEST_CASE("store: add is idempotent by text; erase stops matching", "[parse][store]") {
  TemplateStore s;
  const auto a = s.add("a <*> c", 2);
  CHECK(s.add("a <*> c", 3) == a);
  CHECK(s.templates()[a].count == 5);
  CHECK(s.size() == 1);
  const auto b = s.add("a b c", 1);
  ParseResult r;
  REQUIRE(s.match("a b c", r));
  CHECK(r.index == b);
  s.erase({b});
  CHECK(s.size() == 1);
  REQUIRE(s.match("a b c", r));
  CHECK(r.index == a);
  CHECK_FALSE(s.find(template_id("a b c")).has_value());
}

TEST_CASE("store: JSON save/load round-trip keeps ids, texts and counts", "[parse][store]") {
  TemplateStore s;
  s.add("Received block <*> of size <*> from <*>", 12);
  s.add("ciod: Error loading <*>: invalid or missing program image, \"Exec\" format error", 3);
  s.add("", 1);
  const l4::test::TempDir dir;
  const auto path = dir.path() / "t.json";
  s.save(path);
  const auto loaded = TemplateStore::load(path);
  REQUIRE(loaded.size() == s.size());
  for (const auto& t : s.templates()) {
    const auto i = loaded.find(t.id);
    REQUIRE(i.has_value());
    CHECK(loaded.templates()[*i].text == t.text);
    CHECK(loaded.templates()[*i].count == t.count);
  }
  CHECK(loaded.to_json() == s.to_json());
  ParseResult r;
  CHECK(loaded.match("Received block blk_1 of size 3 from /x", r));
}

TEST_CASE("store: templates with invalid UTF-8 are saved as valid JSON and load back exactly", "[parse][store]") {
  // Logs hold bytes that are not UTF-8; JSON cannot. The text is kept exactly (template_bytes),
  // so a template learned from such lines still matches them after save/load.
  l4::parse::TemplateMiner miner;
  const std::vector<std::string> lines{"open /data/shard-\xff\xfe.bin failed", "open /data/shard-\xc3.bin failed",
                                       "worker 3 says \xe4\xb8 bye", "worker 4 says \xe4\xb8 bye",
                                       "lone \x80 continuation", "plain ascii line"};
  for (const auto& l : lines) miner.observe(l);
  miner.build();
  const std::string json = miner.store().to_json();
  CHECK(l4::io::is_valid_utf8(json));
  const auto loaded = TemplateStore::from_json(json);
  CHECK(loaded.to_json() == json);
  ParseResult before, after;
  for (const auto& l : lines) {
    INFO(l);
    REQUIRE(miner.store().match(l, before));
    REQUIRE(loaded.match(l, after));
    CHECK(after.id == before.id);
    CHECK(after.template_text == before.template_text);
  }
  CHECK_THROWS_WITH(TemplateStore::from_json(R"({"templates": [{"template": "x", "template_bytes": "7"}]})"),
                    Catch::Contains("template_bytes"));
  CHECK_THROWS_WITH(TemplateStore::from_json(R"({"templates": [{"template": "x", "template_bytes": "zz"}]})"),
                    Catch::Contains("template_bytes"));
}

TEST_CASE("store: run slots cover a variable number of tokens", "[parse][store]") {
  // "<*> bytes <*> sent, lifetime <*>": the run after "bytes" may be empty, the last takes >= 1
  const std::vector<TokenRun> runs{{4, 0}, {7, 1}};
  TemplateStore s;
  const auto i = s.add("<*> close, <*> bytes <*> sent, lifetime <*>", 0, false, runs);
  REQUIRE(s.templates()[i].runs == runs);
  ParseResult r;
  // at its own length it is in the prefix tree: every run takes one token
  REQUIRE(s.match("h:1 close, 5 bytes x sent, lifetime 00:01", r));
  CHECK(r.parameters == std::vector<std::string_view>{"h:1", "5", "x", "00:01"});
  // shorter: the first run is empty
  REQUIRE(s.match("h:1 close, 5 bytes sent, lifetime 00:01", r));
  CHECK(r.index == i);
  CHECK(r.parameters == std::vector<std::string_view>{"h:1", "5", "", "00:01"});
  // longer: runs span several tokens, parameters keep the text between them
  const std::string line = "h:1 close, 1190 bytes (1.16  KB) sent, lifetime <1 sec";
  REQUIRE(s.match(line, r));
  CHECK(r.parameters == std::vector<std::string_view>{"h:1", "1190", "(1.16  KB)", "<1 sec"});
  // the template's own length with the runs spread differently: the tree fails, the runs match
  REQUIRE(s.match("h:1 close, 5 bytes sent, lifetime <1 sec", r));
  CHECK(r.index == i);
  CHECK(r.parameters == std::vector<std::string_view>{"h:1", "5", "", "<1 sec"});
  // a run of at least one token cannot be empty; anchors must still match
  CHECK_FALSE(s.match("h:1 close, 5 bytes sent, lifetime", r));
  CHECK_FALSE(s.match("h:1 close, 5 bytes (1 KB) received, lifetime 1", r));
  // runs only on "<*>" tokens
  const auto j = s.add("a <*> b", 0, false, std::vector<TokenRun>{{0, 0}, {1, 0}});
  CHECK(s.templates()[j].runs == std::vector<TokenRun>{{1, 0}});
  CHECK(runs_match(s.templates()[j].tokens, s.templates()[j].runs,
                   std::vector<std::string_view>{"a", "b"}, nullptr));
}

TEST_CASE("store: run slots survive save/load; old list files still load", "[parse][store]") {
  TemplateStore s;
  s.add("ask <*> to delete <*>", 3, false, std::vector<TokenRun>{{4, 1}});
  s.add("x <*> y <*>", 1, false, std::vector<TokenRun>{{1, 0}});
  const auto loaded = TemplateStore::from_json(s.to_json());
  CHECK(loaded.to_json() == s.to_json());
  ParseResult r;
  REQUIRE(loaded.match("ask h to delete b1 b2 b3", r));
  CHECK(r.parameters.back() == "b1 b2 b3");
  REQUIRE(loaded.match("x y 1", r));
  CHECK(r.template_text == "x <*> y <*>");
  const auto old = TemplateStore::from_json(R"({"templates": [{"template": "delete <*>", "tail": true}]})");
  REQUIRE(old.size() == 1);
  REQUIRE(old.match("delete b1 b2", r));
  CHECK(old.templates()[0].runs == std::vector<TokenRun>{{1, 1}});
  CHECK_THROWS_AS(TemplateStore::from_json(R"({"templates": [{"template": "a <*>", "runs": [[0, 1]]}]})"),
                  l4::InputError);
  CHECK_THROWS_AS(TemplateStore::from_json(R"({"templates": [{"template": "a <*>", "runs": [[1, 2]]}]})"),
                  l4::InputError);
}

TEST_CASE("store: malformed templates files are input errors", "[parse][store]") {
  CHECK_THROWS_AS(TemplateStore::from_json("nope"), l4::InputError);
  CHECK_THROWS_AS(TemplateStore::from_json(R"({"x": 1})"), l4::InputError);
  CHECK_THROWS_AS(TemplateStore::from_json(R"({"templates": [{"id": "0000000000000001", "template": "a"}]})"),
                  l4::InputError);
  const auto ok = TemplateStore::from_json(R"({"templates": [{"template": "a  <*>"}]})");
  REQUIRE(ok.size() == 1);
  CHECK(ok.templates()[0].text == "a <*>");
  CHECK_THROWS_AS(TemplateStore::load("/nonexistent/t.json"), l4::InputError);
}

TEST_CASE("store: a field of the wrong type is an input error naming its JSON path", "[parse][store]") {
  // fuzz finding (templates_json, tests/fuzz/corpus/templates_json/finding-tail-type): "tail" as
  // an array escaped as nlohmann's type_error, so `l4 parse --templates` exited 3, internal error
  using Catch::Matchers::Contains;
  const auto load = [](const std::string& json) { return TemplateStore::from_json(json, "t.json"); };
  CHECK_THROWS_WITH(load(R"({"templates": [{"template": "a"}, {"template": "delete <*>", "tail": [[1, 1]]}]})"),
                    Contains("t.json: /templates/1/tail must be true or false"));
  CHECK_THROWS_WITH(load(R"({"templates": [{"template": "a <*>", "count": "12"}]})"),
                    Contains("t.json: /templates/0/count must be a non-negative integer"));
  CHECK_THROWS_AS(load(R"({"templates": [{"template": "a <*>", "count": -3}]})"), l4::InputError);
  CHECK_THROWS_AS(load(R"({"templates": [{"template": "a <*>", "count": 1.5}]})"), l4::InputError);
  CHECK(load(R"({"templates": [{"template": "a <*>", "count": 12, "tail": false}]})").templates()[0].count == 12);
}

TEST_CASE("store: a hint never changes the result of matching", "[parse][store]") {
  TemplateStore store;
  // templates that contest each other at the same length: literals before globs before <*>
  for (const char* t : {"job <*> done", "job 7 done", "job <*> failed", "job x<*> done", "<*> <*> done",
                        "ask <*> to delete <*>", "worker <*> state <*>", "worker 3 state RUNNING", "a b c"}) {
    store.add(t);
  }
  store.add("ask <*> to delete <*>", 0, false, std::vector<TokenRun>{{4, 1}});
  const std::vector<std::string> lines = {"job 7 done", "job 8 done", "job x1 done", "job 8 failed", "task 9 done",
                                          "ask h to delete b1", "ask h to delete b1 b2 b3", "worker 3 state RUNNING",
                                          "worker 4 state RUNNING", "worker 3 state DEAD", "a b c", "a b d", ""};
  ParseResult plain;
  ParseResult hinted;
  for (const auto& line : lines) {
    const bool expected = store.match(line, plain);
    for (std::size_t hint = 0; hint <= store.templates().size() + 1; ++hint) {
      INFO(line << " hint " << hint);
      REQUIRE(store.match(line, hinted, hint) == expected);
      if (!expected) continue;
      CHECK(hinted.index == plain.index);
      CHECK(hinted.parameters == plain.parameters);
    }
  }
}

TEST_CASE("a store to start another source from leaves out templates of parameters only", "[parse][store]") {
  CHECK(TemplateStore::parameters_only("<*> <*> <*>"));
  CHECK_FALSE(TemplateStore::parameters_only("<*> <*> ms"));
  CHECK_FALSE(TemplateStore::parameters_only("rank<*> <*>"));
  TemplateStore learned;
  learned.add("<*> <*> <*> <*>", 12);
  learned.add("loss <*> at step <*>", 3);
  ParseResult r;
  REQUIRE(learned.match("PermissionError: Permission denied: 'out'", r));  // any four tokens
  const TemplateStore start = learned.anchored();
  CHECK(start.size() == 1);
  CHECK_FALSE(start.match("PermissionError: Permission denied: 'out'", r));
  REQUIRE(start.match("loss 0.25 at step 7", r));
  CHECK(start.templates()[r.index].count == 3);
  // Lines of the left-out shape, mined again, get the same template text and id.
  TemplateMiner miner(learned.anchored());
  miner.observe("1024 256 28.5 0");
  miner.observe("2048 512 29.1 0");
  miner.build();
  REQUIRE(miner.assign("1024 256 28.5 0", r));
  CHECK(r.id == template_id("<*> <*> <*> <*>"));
}
