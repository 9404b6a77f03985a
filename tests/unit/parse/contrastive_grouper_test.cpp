#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "l4/parse/contrastive_grouper.hpp"
#include "l4/parse/token_masker.hpp"

using namespace l4::parse;

namespace {

std::vector<MaskedLine> masked_lines(const std::vector<std::string>& contents) {
  const TokenMasker m;
  std::vector<MaskedLine> out;
  std::vector<std::string_view> toks;
  for (const auto& c : contents) {
    tokenize(c, toks);
    MaskedLine line;
    for (const auto t : toks) line.tokens.push_back(m.mask(t));
    out.push_back(std::move(line));
  }
  return out;
}

std::set<std::string> texts(const std::vector<MinedTemplate>& ts) {
  std::set<std::string> out;
  for (const auto& t : ts) {
    std::string s;
    for (const auto& tok : t.tokens) s += (s.empty() ? "" : " ") + tok;
    out.insert(s);
  }
  return out;
}

std::vector<std::size_t> all(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

}  // namespace

TEST_CASE("grouping: lines are grouped by their frequent anchor tokens", "[parse][group]") {
  const auto lines = masked_lines({
      "Received block a1 of size 9", "Received block b2 of size 8", "Received block c3 of size 7",
      "Deleting block x from disk", "Deleting block y from disk",
  });
  const ContrastiveGrouper g;
  const auto five = std::vector<std::size_t>{0, 1, 2};
  const auto groups_a = g.anchor_groups(lines, five);
  REQUIRE(groups_a.size() == 1);
  CHECK(groups_a[0].size() == 3);
  const auto other = std::vector<std::size_t>{3, 4};
  CHECK(g.anchor_groups(lines, other).size() == 1);
  // same token count, different anchors: never one group
  const auto mixed_lines = masked_lines({"open file a ok", "open file b ok", "close socket 3 now", "close socket 4 now"});
  CHECK(g.anchor_groups(mixed_lines, all(4)).size() == 2);
}

TEST_CASE("contrastive units: varying positions are parameters, few varying words split", "[parse][group]") {
  const ContrastiveGrouper g;
  SECTION("a position holding masked variables is a parameter") {
    const auto lines = masked_lines({"took 12 ms on gpu0", "took 7 ms on gpu0", "took 300 ms on gpu0"});
    CHECK(texts(g.contrast(lines, all(3))) == std::set<std::string>{"took <*> ms on gpu0"});
  }
  SECTION("a position taking a few plain words separates templates") {
    const auto lines = masked_lines({"peer 1 state LEADING", "peer 2 state FOLLOWING", "peer 3 state LEADING",
                                     "peer 4 state FOLLOWING"});
    CHECK(texts(g.contrast(lines, all(4))) ==
          std::set<std::string>{"peer <*> state LEADING", "peer <*> state FOLLOWING"});
  }
  SECTION("a position taking many different words is a parameter") {
    const auto lines = masked_lines({"login by alice ok", "login by bob ok", "login by carol ok", "login by dave ok",
                                     "login by erin ok"});
    CHECK(texts(g.contrast(lines, all(5))) == std::set<std::string>{"login by <*> ok"});
  }
  SECTION("parameters keep their shared shape") {
    const auto lines = masked_lines({"connect a.example:80 done", "connect b.example:443 done",
                                     "connect c.example:80 done", "connect d.example:8080 done"});
    CHECK(texts(g.contrast(lines, all(4))) == std::set<std::string>{"connect <*>:<*> done"});
  }
  SECTION("different words around a masked variable separate templates") {
    const auto lines = masked_lines({"caused by dcbf......0", "caused by icbi......1", "caused by dcbf......1"});
    CHECK(texts(g.contrast(lines, all(3))) ==
          std::set<std::string>{"caused by dcbf......<*>", "caused by icbi......<*>"});
  }
  SECTION("many words that co-vary with another position are template text") {
    const auto lines = masked_lines({"interrupt: illegal instruction..1", "interrupt: privileged instruction.2",
                                     "interrupt: imprecise exception...3", "interrupt: unknown trap.4",
                                     "interrupt: illegal instruction..5"});
    CHECK(g.contrast(lines, all(5)).size() == 4);
  }
  SECTION("units after a parameter belong to it") {
    const auto lines = masked_lines({"size 877.0 B, free 838.2 KB", "size 6.0 KB, free 874.3 KB",
                                     "size 12 MB, free 1.5 GB"});
    CHECK(texts(g.contrast(lines, all(3))) == std::set<std::string>{"size <*> <*>, free <*> <*>"});
    const auto words = masked_lines({"unit B ready", "unit KB ready"});  // not after a parameter
    CHECK(g.contrast(words, all(2)).size() == 2);
  }
  SECTION("the word threshold is an option") {
    GrouperOptions two;
    two.word_param_values = 2;
    const ContrastiveGrouper strict(two);
    const auto lines = masked_lines({"peer x state LEADING", "peer x state FOLLOWING"});
    CHECK(texts(strict.contrast(lines, all(2))) == std::set<std::string>{"peer x state <*>"});
  }
}

TEST_CASE("merging: templates differing only where one has <*> merge", "[parse][group]") {
  std::vector<MinedTemplate> ts;
  ts.push_back({{"user", "<*>", "logged", "in", "from", "<*>"}, 5, {0}, {}});
  ts.push_back({{"user", "root", "logged", "in", "from", "<*>"}, 2, {1}, {}});
  ts.push_back({{"user", "<*>", "logged", "out", "from", "<*>"}, 1, {2}, {}});
  const auto merged = ContrastiveGrouper::merge(ts);
  REQUIRE(merged.size() == 2);
  CHECK(texts(merged) == std::set<std::string>{"user <*> logged in from <*>", "user <*> logged out from <*>"});
  for (const auto& t : merged) {
    if (t.tokens[3] == "in") {
      CHECK(t.count == 7);
      CHECK(t.members == std::vector<std::size_t>{0, 1});
    }
  }
  // a fully general template does not swallow unrelated ones
  std::vector<MinedTemplate> wild;
  wild.push_back({{"<*>", "<*>", "<*>", "<*>"}, 1, {0}, {}});
  wild.push_back({{"data", "TLB", "error", "interrupt"}, 1, {1}, {}});
  CHECK(ContrastiveGrouper::merge(wild).size() == 2);
}

TEST_CASE("merging runs: templates differing only in parameter runs between anchors merge", "[parse][group]") {
  const ContrastiveGrouper g;
  std::vector<MinedTemplate> ts;
  ts.push_back({{"<*>", "done,", "<*>", "bytes", "sent,", "lifetime", "<*>:<*>"}, 4, {0}, {}});
  ts.push_back({{"<*>", "done,", "<*>", "bytes", "(<*>", "KB)", "sent,", "lifetime", "<*>:<*>"}, 2, {1}, {}});
  ts.push_back({{"<*>", "done,", "<*>", "bytes", "sent,", "lifetime", "<<*>", "sec"}, 1, {2}, {}});
  const auto merged = g.merge_runs(ts);
  REQUIRE(merged.size() == 1);
  CHECK(texts(merged) == std::set<std::string>{"<*> done, <*> bytes <*> sent, lifetime <*>"});
  CHECK(merged[0].runs == std::vector<TokenRun>{{4, 0}, {7, 1}});
  CHECK(merged[0].count == 7);
  CHECK(merged[0].members == std::vector<std::size_t>{0, 1, 2});
  // order does not matter
  std::reverse(ts.begin(), ts.end());
  CHECK(texts(g.merge_runs(ts)) == texts(merged));
}

TEST_CASE("merging runs: different template text stays apart", "[parse][group]") {
  const ContrastiveGrouper g;
  // a key=<*> token is template text: an optional "user=<*>" makes another template
  std::vector<MinedTemplate> keys;
  keys.push_back({{"failure;", "rhost=<*>", "user=<*>"}, 1, {0}, {}});
  keys.push_back({{"failure;", "rhost=<*>"}, 1, {1}, {}});
  CHECK(g.merge_runs(keys).size() == 2);
  // different anchors
  std::vector<MinedTemplate> words;
  words.push_back({{"open", "<*>", "via", "<*>"}, 1, {0}, {}});
  words.push_back({{"open", "<*>", "<*>", "from", "<*>"}, 1, {1}, {}});
  CHECK(g.merge_runs(words).size() == 2);
  // only unit words differ: no parameter run
  std::vector<MinedTemplate> units;
  units.push_back({{"limit", "KB", "reached"}, 1, {0}, {}});
  units.push_back({{"limit", "MB", "GB", "reached"}, 1, {1}, {}});
  CHECK(g.merge_runs(units).size() == 2);
  // same length without runs: step 3 decided
  std::vector<MinedTemplate> same;
  same.push_back({{"took", "<*>", "ms"}, 1, {0}, {}});
  same.push_back({{"took", "<*>", "<*>"}, 1, {1}, {}});
  CHECK(g.merge_runs(same).size() == 2);
}

TEST_CASE("mining is deterministic: input order does not matter", "[parse][group]") {
  std::vector<std::string> contents;
  for (int i = 0; i < 30; ++i) {
    contents.push_back("PacketResponder " + std::to_string(i % 3) + " for block blk_" + std::to_string(i * 7919) +
                       " terminating");
    contents.push_back("Worker " + std::to_string(i) + (i % 2 != 0 ? " state RUNNING" : " state STOPPED"));
    contents.push_back("Verification succeeded for blk_" + std::to_string(i * 31));
  }
  const ContrastiveGrouper g;
  const auto first = texts(g.mine(masked_lines(contents)));
  std::mt19937 rng(1);
  std::shuffle(contents.begin(), contents.end(), rng);
  CHECK(texts(g.mine(masked_lines(contents))) == first);
  CHECK(first == std::set<std::string>{"PacketResponder <*> for block <*> terminating", "Worker <*> state RUNNING",
                                       "Worker <*> state STOPPED", "Verification succeeded for <*>"});
}
