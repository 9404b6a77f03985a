#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "parse/contrastive_grouper.hpp"
#include "parse/contrastive_steps.hpp"
#include "l4/parse/token_masker.hpp"

using namespace l4::parse;

namespace {

// Distinct masked lines, in input order (a repeated line adds to its count).
MaskedLines masked_lines(const std::vector<std::string>& contents) {
  const TokenMasker m;
  MaskedLines out;
  std::vector<std::string_view> toks;
  for (const auto& c : contents) {
    tokenize(c, toks);
    std::vector<std::string> masked;
    for (const auto t : toks) masked.push_back(m.mask(t));
    const std::vector<std::string_view> views(masked.begin(), masked.end());
    out.add_texts(views);
  }
  return out;
}

// A template from its tokens' texts (ids in `v`).
MinedTemplate tpl(TokenVocabulary& v, std::vector<std::string_view> tokens, std::uint64_t count,
                  std::vector<std::uint32_t> members) {
  MinedTemplate t;
  for (const auto tok : tokens) t.tokens.push_back(v.intern(tok));
  t.count = count;
  t.members = std::move(members);
  return t;
}

std::set<std::string> texts(const std::vector<MinedTemplate>& ts, const TokenVocabulary& v) {
  std::set<std::string> out;
  for (const auto& t : ts) out.insert(template_text(t, v));
  return out;
}

std::vector<std::uint32_t> all(std::size_t n) {
  std::vector<std::uint32_t> v(n);
  for (std::uint32_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

}  // namespace

TEST_CASE("grouping: lines are grouped by their frequent anchor tokens", "[parse][group]") {
  auto lines = masked_lines({
      "Received block a1 of size 9", "Received block b2 of size 8", "Received block c3 of size 7",
      "Deleting block x from disk", "Deleting block y from disk",
  });
  const ContrastiveGrouper g;
  const auto five = std::vector<std::uint32_t>{0, 1, 2};
  const auto groups_a = g.anchor_groups(lines, five);
  REQUIRE(groups_a.size() == 1);
  CHECK(groups_a[0].size() == 3);
  const auto other = std::vector<std::uint32_t>{3, 4};
  CHECK(g.anchor_groups(lines, other).size() == 1);
  // same token count, different anchors: never one group
  auto mixed_lines = masked_lines({"open file a ok", "open file b ok", "close socket 3 now", "close socket 4 now"});
  CHECK(g.anchor_groups(mixed_lines, all(mixed_lines.size())).size() == 2);
}

TEST_CASE("contrastive units: varying positions are parameters, few varying words split", "[parse][group]") {
  const ContrastiveGrouper g;
  SECTION("a position holding masked variables is a parameter") {
    auto lines = masked_lines({"took 12 ms on gpu0", "took 7 ms on gpu0", "took 300 ms on gpu0"});
    CHECK(texts(g.contrast(lines, all(lines.size())), lines.vocabulary()) == std::set<std::string>{"took <*> ms on gpu0"});
  }
  SECTION("a position taking a few plain words separates templates") {
    auto lines = masked_lines({"peer 1 state LEADING", "peer 2 state FOLLOWING", "peer 3 state LEADING",
                                     "peer 4 state FOLLOWING"});
    CHECK(texts(g.contrast(lines, all(lines.size())), lines.vocabulary()) ==
          std::set<std::string>{"peer <*> state LEADING", "peer <*> state FOLLOWING"});
  }
  SECTION("a position taking many different words is a parameter") {
    auto lines = masked_lines({"login by alice ok", "login by bob ok", "login by carol ok", "login by dave ok",
                                     "login by erin ok"});
    CHECK(texts(g.contrast(lines, all(lines.size())), lines.vocabulary()) == std::set<std::string>{"login by <*> ok"});
  }
  SECTION("parameters keep their shared shape") {
    auto lines = masked_lines({"connect a.example:80 done", "connect b.example:443 done",
                                     "connect c.example:80 done", "connect d.example:8080 done"});
    CHECK(texts(g.contrast(lines, all(lines.size())), lines.vocabulary()) == std::set<std::string>{"connect <*>:<*> done"});
  }
  SECTION("different words around a masked variable separate templates") {
    auto lines = masked_lines({"caused by dcbf......0", "caused by icbi......1", "caused by dcbf......1"});
    CHECK(texts(g.contrast(lines, all(lines.size())), lines.vocabulary()) ==
          std::set<std::string>{"caused by dcbf......<*>", "caused by icbi......<*>"});
  }
  SECTION("many words that co-vary with another position are template text") {
    auto lines = masked_lines({"interrupt: illegal instruction..1", "interrupt: privileged instruction.2",
                                     "interrupt: imprecise exception...3", "interrupt: unknown trap.4",
                                     "interrupt: illegal instruction..5"});
    CHECK(g.contrast(lines, all(lines.size())).size() == 4);
  }
  SECTION("units after a parameter belong to it") {
    auto lines = masked_lines({"size 877.0 B, free 838.2 KB", "size 6.0 KB, free 874.3 KB",
                                     "size 12 MB, free 1.5 GB"});
    CHECK(texts(g.contrast(lines, all(lines.size())), lines.vocabulary()) == std::set<std::string>{"size <*> <*>, free <*> <*>"});
    auto words = masked_lines({"unit B ready", "unit KB ready"});  // not after a parameter
    CHECK(g.contrast(words, all(words.size())).size() == 2);
  }
  SECTION("the word threshold is an option") {
    GrouperOptions two;
    two.word_param_values = 2;
    const ContrastiveGrouper strict(two);
    auto lines = masked_lines({"peer x state LEADING", "peer x state FOLLOWING"});
    CHECK(texts(strict.contrast(lines, all(lines.size())), lines.vocabulary()) == std::set<std::string>{"peer x state <*>"});
  }
}

TEST_CASE("merging: templates differing only where one has <*> merge", "[parse][group]") {
  const ContrastiveGrouper g;
  TokenVocabulary v;
  std::vector<MinedTemplate> ts;
  ts.push_back(tpl(v, {"user", "<*>", "logged", "in", "from", "<*>"}, 5, {0}));
  ts.push_back(tpl(v, {"user", "root", "logged", "in", "from", "<*>"}, 2, {1}));
  ts.push_back(tpl(v, {"user", "<*>", "logged", "out", "from", "<*>"}, 1, {2}));
  const auto merged = g.merge(ts, v);
  REQUIRE(merged.size() == 2);
  CHECK(texts(merged, v) == std::set<std::string>{"user <*> logged in from <*>", "user <*> logged out from <*>"});
  for (const auto& t : merged) {
    if (v.text(t.tokens[3]) == "in") {
      CHECK(t.count == 7);
      CHECK(t.members == std::vector<std::uint32_t>{0, 1});
    }
  }
  // a fully general template does not swallow unrelated ones
  std::vector<MinedTemplate> wild;
  wild.push_back(tpl(v, {"<*>", "<*>", "<*>", "<*>"}, 1, {0}));
  wild.push_back(tpl(v, {"data", "TLB", "error", "interrupt"}, 1, {1}));
  CHECK(g.merge(wild, v).size() == 2);
}

TEST_CASE("merging: one word with a different number in it is a parameter", "[parse][group]") {
  CHECK(contrastive::same_word_other_number("bglio716", "bglio91"));
  CHECK(contrastive::same_word_other_number("U11", "U01"));
  CHECK_FALSE(contrastive::same_word_other_number("alt0", "ee0"));   // different words
  CHECK_FALSE(contrastive::same_word_other_number("ssh2", "ssh2"));  // the same token
  CHECK_FALSE(contrastive::same_word_other_number("opened", "closed"));
  CHECK_FALSE(contrastive::same_word_other_number("node1a", "node1b"));
  const ContrastiveGrouper g;
  TokenVocabulary v;
  std::vector<MinedTemplate> ts;
  ts.push_back(tpl(v, {"NFS", "mount", "failed", "on", "bglio716,", "retrying"}, 1, {0}));
  ts.push_back(tpl(v, {"NFS", "mount", "failed", "on", "bglio91,", "retrying"}, 1, {1}));
  ts.push_back(tpl(v, {"link", "up", "on", "interface", "alt0", "now"}, 3, {2}));
  ts.push_back(tpl(v, {"link", "up", "on", "interface", "ee0", "now"}, 2, {3}));
  CHECK(texts(g.merge(ts, v), v) == std::set<std::string>{"NFS mount failed on <*>, retrying",
                                                            "link up on interface alt0 now",
                                                            "link up on interface ee0 now"});
}

TEST_CASE("mining: a word holding a number that one line alone holds is a value", "[parse][group]") {
  CHECK(contrastive::numbers_as_variables("storage442") == "<*>");
  CHECK(contrastive::numbers_as_variables("NodeCard(mLctn(R25-M1-N2),") == "NodeCard(mLctn(<*>),");
  CHECK(contrastive::numbers_as_variables("QuorumServer@33557fe4") == "QuorumServer@<*>");
  CHECK(contrastive::numbers_as_variables("closed") == "closed");
  // digits inside a name are not an appended number
  CHECK(contrastive::numbers_as_variables("mlx5_core") == "mlx5_core");
  CHECK(contrastive::numbers_as_variables("ens5f1np1") == "ens5f1np1");
  const ContrastiveGrouper g;
  auto lines = masked_lines({"panic has occurred on storage442", "password for root from 10.0.0.1 port 22 ssh2",
                             "password for root from 10.0.0.2 port 23 ssh2", "link up on alt0"});
  // ssh2 recurs (template text); storage442 and alt0 are each held by one line only
  CHECK(texts(g.mine(lines), lines.vocabulary()) ==
        std::set<std::string>{"panic has occurred on <*>", "password for root from <*> port <*> ssh2", "link up on <*>"});
}

TEST_CASE("merging: a shape covers a token only where its <*> take the token's variables", "[parse][group]") {
  const ContrastiveGrouper g;
  TokenVocabulary v;
  // "eth0:<*><<*>>" read as a glob matches the text "eth0:<*>" (its <*> taking "", then '<', '*',
  // '>'), but not the lines of that template ("eth0:10.0.0.2<0<"): the general shape must win.
  // The specific template comes first in text order ('3' < '<'), so it is the one merged into.
  std::vector<MinedTemplate> ts;
  ts.push_back(tpl(v, {"<*>:<*>:<*>", "[<*>]", "NCCL", "INFO", "Bootstrap", ":", "Using", "eth0:<*>"}, 3, {0, 1, 2}));
  ts.push_back(tpl(v, {"3de-<*>:<*>:<*>", "[<*>]", "NCCL", "INFO", "Bootstrap", ":", "Using", "eth0:<*><<*>>"}, 1, {3}));
  const auto merged = g.merge(ts, v);
  REQUIRE(merged.size() == 1);
  CHECK(template_text(merged[0], v) == "<*>:<*>:<*> [<*>] NCCL INFO Bootstrap : Using eth0:<*>");
  CHECK(merged[0].members == std::vector<std::uint32_t>{0, 1, 2, 3});
}

TEST_CASE("merging: the comparisons are bounded, merges still found among many templates", "[parse][group]") {
  // 20,000 unrelated all-literal templates of one length and a few that merge: each template is
  // compared with a bounded number of neighbours, and the mergeable pair is still found
  const ContrastiveGrouper g;
  TokenVocabulary v;
  std::vector<MinedTemplate> ts;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const std::string a = "w" + std::to_string(i * 7919 % 20011);
    const std::string b = "x" + std::to_string(i);
    ts.push_back(tpl(v, {"job", a, b, "moved", "to", "queue"}, 1, {i}));
  }
  ts.push_back(tpl(v, {"user", "<*>", "logged", "in", "from", "<*>"}, 5, {20000}));
  ts.push_back(tpl(v, {"user", "root", "logged", "in", "from", "<*>"}, 2, {20001}));
  const auto merged = g.merge(ts, v);
  CHECK(merged.size() == 20001);
  CHECK(texts(merged, v).count("user <*> logged in from <*>") == 1);
}

TEST_CASE("merging runs: templates differing only in parameter runs between anchors merge", "[parse][group]") {
  const ContrastiveGrouper g;
  TokenVocabulary v;
  std::vector<MinedTemplate> ts;
  ts.push_back(tpl(v, {"<*>", "done,", "<*>", "bytes", "sent,", "lifetime", "<*>:<*>"}, 4, {0}));
  ts.push_back(tpl(v, {"<*>", "done,", "<*>", "bytes", "(<*>", "KB)", "sent,", "lifetime", "<*>:<*>"}, 2, {1}));
  ts.push_back(tpl(v, {"<*>", "done,", "<*>", "bytes", "sent,", "lifetime", "<<*>", "sec"}, 1, {2}));
  const auto merged = g.merge_runs(ts, v);
  REQUIRE(merged.size() == 1);
  CHECK(texts(merged, v) == std::set<std::string>{"<*> done, <*> bytes <*> sent, lifetime <*>"});
  CHECK(merged[0].runs == std::vector<TokenRun>{{4, 0}, {7, 1}});
  CHECK(merged[0].count == 7);
  CHECK(merged[0].members == std::vector<std::uint32_t>{0, 1, 2});
  // order does not matter
  std::reverse(ts.begin(), ts.end());
  CHECK(texts(g.merge_runs(ts, v), v) == texts(merged, v));
}

TEST_CASE("merging runs: different template text stays apart", "[parse][group]") {
  const ContrastiveGrouper g;
  TokenVocabulary v;
  // a key=<*> token is template text: an optional "user=<*>" makes another template
  std::vector<MinedTemplate> keys;
  keys.push_back(tpl(v, {"failure;", "rhost=<*>", "user=<*>"}, 1, {0}));
  keys.push_back(tpl(v, {"failure;", "rhost=<*>"}, 1, {1}));
  CHECK(g.merge_runs(keys, v).size() == 2);
  // different anchors
  std::vector<MinedTemplate> words;
  words.push_back(tpl(v, {"open", "<*>", "via", "<*>"}, 1, {0}));
  words.push_back(tpl(v, {"open", "<*>", "<*>", "from", "<*>"}, 1, {1}));
  CHECK(g.merge_runs(words, v).size() == 2);
  // only unit words differ: no parameter run
  std::vector<MinedTemplate> units;
  units.push_back(tpl(v, {"limit", "KB", "reached"}, 1, {0}));
  units.push_back(tpl(v, {"limit", "MB", "GB", "reached"}, 1, {1}));
  CHECK(g.merge_runs(units, v).size() == 2);
  // same length without runs: step 3 decided
  std::vector<MinedTemplate> same;
  same.push_back(tpl(v, {"took", "<*>", "ms"}, 1, {0}));
  same.push_back(tpl(v, {"took", "<*>", "<*>"}, 1, {1}));
  CHECK(g.merge_runs(same, v).size() == 2);
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
  auto lines = masked_lines(contents);
  const auto first = texts(g.mine(lines), lines.vocabulary());
  std::mt19937 rng(1);
  std::shuffle(contents.begin(), contents.end(), rng);
  auto shuffled = masked_lines(contents);
  CHECK(texts(g.mine(shuffled), shuffled.vocabulary()) == first);
  CHECK(first == std::set<std::string>{"PacketResponder <*> for block <*> terminating", "Worker <*> state RUNNING",
                                       "Worker <*> state STOPPED", "Verification succeeded for <*>"});
}

TEST_CASE("contrastive units: unique names masking missed are a parameter, not one template each", "[parse][group]") {
  // two positions with a different word on every line co-vary one-to-one only vacuously
  std::vector<std::string> contents;
  std::mt19937 rng(7);
  auto word = [&] {
    std::string w;
    for (int k = 0; k < 8; ++k) w.push_back(static_cast<char>('a' + rng() % 26));
    return w;
  };
  for (int i = 0; i < 200; ++i) contents.push_back("session " + word() + " opened for user " + word());
  const ContrastiveGrouper g;
  auto lines = masked_lines(contents);
  CHECK(texts(g.mine(lines), lines.vocabulary()) == std::set<std::string>{"session <*> opened for user <*>"});
}
