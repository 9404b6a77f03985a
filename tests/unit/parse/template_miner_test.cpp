#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "l4/format/log_format.hpp"
#include "l4/parse/sharded_observer.hpp"
#include "l4/parse/template_miner.hpp"
#include "support/test_support.hpp"

using namespace l4::parse;

namespace {

std::vector<std::string> hdfs_like(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back("Receiving block blk_" + std::to_string(1000 + i * 37) + " src: /10.250." + std::to_string(i % 200) +
                  ".5:50010 dest: /10.250.1." + std::to_string(i % 17) + ":50010");
    out.push_back("PacketResponder " + std::to_string(i % 3) + " for block blk_-" + std::to_string(i * 91) +
                  " terminating");
  }
  return out;
}

std::vector<std::string_view> views(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

}  // namespace

TEST_CASE("miner: batch mining then lookup", "[parse][miner]") {
  const auto lines = hdfs_like(50);
  TemplateMiner miner;
  miner.mine(views(lines));
  CHECK(miner.store().size() == 2);
  const auto r = miner.match(lines[0]);
  REQUIRE(r.has_value());
  CHECK(r->template_text == "Receiving block <*> src: <*>:<*> dest: <*>:<*>");
  CHECK(r->parameters.size() == 5);
  CHECK(r->parameters[0] == "blk_1000");
  const auto p = miner.match("PacketResponder 2 for block blk_5 terminating");
  REQUIRE(p.has_value());
  CHECK(p->template_text == "PacketResponder <*> for block <*> terminating");
  CHECK_FALSE(miner.match("completely new line").has_value());
  // counts come from mining
  std::uint64_t total = 0;
  for (const auto& t : miner.store().templates()) total += t.count;
  CHECK(total == lines.size());
}

TEST_CASE("miner: incremental match_or_add learns and generalizes", "[parse][miner]") {
  TemplateMiner miner;
  const auto a = miner.match_or_add("Worker 1 joined group alpha");
  CHECK(a.template_text == "Worker <*> joined group alpha");
  const auto b = miner.match_or_add("Worker 2 joined group alpha");
  CHECK(b.id == a.id);
  CHECK(b.parameters == std::vector<std::string_view>{"2"});
  // a new template with the same token count
  const auto c = miner.match_or_add("Disk 3 is nearly full");
  CHECK(c.template_text == "Disk <*> is nearly full");
  CHECK(miner.store().size() == 2);
  // incremental and batch agree on the same lines
  TemplateMiner batch;
  const std::vector<std::string> lines = {"Worker 1 joined group alpha", "Worker 2 joined group alpha",
                                          "Disk 3 is nearly full"};
  batch.mine(views(lines));
  std::set<std::string> inc_texts;
  std::set<std::string> batch_texts;
  for (const auto& t : miner.store().templates()) {
    if (!t.erased) inc_texts.insert(t.text);
  }
  for (const auto& t : batch.store().templates()) batch_texts.insert(t.text);
  CHECK(inc_texts == batch_texts);
}

TEST_CASE("miner: known templates are reused and new lines still learned", "[parse][miner]") {
  TemplateStore store;
  store.add("Verification succeeded for <*>");
  TemplateMiner miner(std::move(store));
  const auto r = miner.match_or_add("Verification succeeded for blk_77");
  CHECK(r.template_text == "Verification succeeded for <*>");
  CHECK_FALSE(miner.store().templates()[r.index].provisional);
  const auto n = miner.match_or_add("Deleting block blk_1 file /data/x");
  CHECK(n.template_text == "Deleting block <*> file <*>");
  CHECK(miner.store().templates()[n.index].provisional);
}

TEST_CASE("miner: a frozen miner matches from two threads with identical results", "[parse][miner]") {
  const auto lines = hdfs_like(400);
  TemplateMiner miner;
  miner.mine(views(lines));
  const TemplateMiner& frozen = miner;
  auto work = [&](std::vector<TemplateId>& ids) {
    ParseResult r;
    for (const auto& l : lines) ids.push_back(frozen.match(l, r) ? r.id : 0);
  };
  std::vector<TemplateId> one;
  std::vector<TemplateId> two;
  std::thread t1(work, std::ref(one));
  std::thread t2(work, std::ref(two));
  t1.join();
  t2.join();
  CHECK(one == two);
  CHECK(std::count(one.begin(), one.end(), TemplateId{0}) == 0);
}

TEST_CASE("miner: every mined template matches the lines it was mined from", "[parse][miner]") {
  // From fuzz finding tests/fuzz/corpus/miner/finding-late-template: two damaged NCCL lines were
  // mined with intact ones into a template whose last token took the shape of one intact line
  // ("eth0:<*><<*>>"), which the damaged lines do not have; match_or_add then gave them the
  // overflow template ("template limit reached" with 8 templates) and no template matched them.
  const std::vector<std::string> contents = {
      "node-02:1000:1000 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>",
      std::string("3\0de-02:1001:1001 [1] NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>", 66),
      "node-02:1002:1002 [2] NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>",
      std::string("\0node-02:1004:1004 [4] NCCL INFO Bootstrap : Using eth0:10.0.0.2<0<", 67),
      "node-02:1006:1006 [6] NCCL INFO Bootstrap : Using eth0:10.\xff\xff\xff\xff",
  };
  TemplateMiner miner;
  for (const auto& c : contents) miner.observe(c);
  miner.build();
  ParseResult r;
  for (const auto& c : contents) {
    INFO(c);
    REQUIRE(miner.assign(c, r));
    CHECK(r.template_text != TemplateMiner::overflow_text);
    CHECK(miner.match(c, r));
  }
  CHECK(miner.overflow_templates() == 0);
}

TEST_CASE("miner: lists of different lengths after one prefix become one list template", "[parse][miner]") {
  std::vector<std::string> lines;
  for (int n : {1, 3, 9, 3, 1, 5}) {
    std::string l = "ask 10.0.0." + std::to_string(n) + ":50010 to delete";
    for (int i = 0; i < n; ++i) l += " blk_" + std::to_string(n * 100 + i);
    lines.push_back(l);
  }
  TemplateMiner miner;
  miner.mine(views(lines));
  REQUIRE(miner.store().size() == 1);
  const auto& t = miner.store().templates()[0];
  CHECK(t.text == "ask <*>:<*> to delete <*>");
  REQUIRE(t.runs.size() == 1);
  CHECK(t.runs[0].position == t.tokens.size() - 1);
  CHECK(t.runs[0].min_tokens == 1);
  CHECK(t.count == lines.size());
  const auto r = miner.match("ask 10.0.0.7:50010 to delete blk_1 blk_2 blk_3 blk_4");
  REQUIRE(r.has_value());
  CHECK(r->parameters.back() == "blk_1 blk_2 blk_3 blk_4");
  // the list flag survives save/load
  const auto loaded = TemplateStore::from_json(miner.store().to_json());
  ParseResult p;
  REQUIRE(loaded.match("ask 10.0.0.7:50010 to delete blk_1 blk_2", p));
  CHECK(p.template_text == "ask <*>:<*> to delete <*>");
  CHECK_FALSE(loaded.match("ask 10.0.0.7:50010 to keep blk_1 blk_2", p));
}

TEST_CASE("miner: a parameter spanning a variable number of tokens mid-line is one template", "[parse][miner]") {
  std::vector<std::string> lines;
  const char* sizes[] = {"", " (1.2 KB)", " (3.40 MB)"};
  const char* lifetimes[] = {"00:01", "<1 sec", "01:02:03"};
  for (int i = 0; i < 30; ++i) {
    lines.push_back("conn-" + std::to_string(i) + " done, " + std::to_string(100 + i * 37) + " bytes" + sizes[i % 3] +
                    " sent, lifetime " + lifetimes[(i / 3) % 3]);
    lines.push_back("conn-" + std::to_string(i) + " opened via gw" + std::to_string(i % 4) + ".example.com:8080");
  }
  TemplateMiner miner;
  miner.mine(views(lines));
  std::set<std::string> texts;
  for (const auto& t : miner.store().templates()) texts.insert(t.text);
  CHECK(texts == std::set<std::string>{"conn-<*> done, <*> bytes <*> sent, lifetime <*>", "conn-<*> opened via <*>:<*>"});
  ParseResult r;
  for (const auto& l : lines) {
    INFO(l);
    REQUIRE(miner.match(l, r));
  }
  REQUIRE(miner.match("conn-9 done, 5 bytes (9.9 GB) sent, lifetime <1 sec", r));
  CHECK(r.template_text == "conn-<*> done, <*> bytes <*> sent, lifetime <*>");
  CHECK(r.parameters == std::vector<std::string_view>{"9", "5", "(9.9 GB)", "<1 sec"});
}

namespace {

// The live templates of a store: text -> (count, run slots).
std::map<std::string, std::pair<std::uint64_t, std::vector<TokenRun>>> live(const TemplateStore& store) {
  std::map<std::string, std::pair<std::uint64_t, std::vector<TokenRun>>> out;
  for (const auto& t : store.templates()) {
    if (!t.erased) out[t.text] = {t.count, t.runs};
  }
  return out;
}

// Mines `contents` as a batch and as a stream through match_or_add; both must end with the same
// templates, counts and run slots, and every line must get a template on the way.
void check_stream_equals_batch(const std::vector<std::string>& contents) {
  TemplateMiner batch;
  batch.mine(views(contents));
  TemplateMiner stream;
  for (const auto& c : contents) {
    const ParseResult r = stream.match_or_add(c);
    REQUIRE_FALSE(r.template_text.empty());
  }
  stream.finish();
  CHECK(live(stream.store()) == live(batch.store()));
  // after finish, every line is matched by a live template
  ParseResult r;
  for (const auto& c : contents) {
    INFO(c);
    REQUIRE(stream.match(c, r));
  }
}

std::vector<std::string> contents_of(const std::filesystem::path& log, const std::string& log_format) {
  const auto format = l4::format::LogFormat::from_loghub(log_format);
  std::ifstream in(log, std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    l4::format::Header h;
    out.emplace_back(format.split(line, h) ? h.content : std::string_view(line));
  }
  return out;
}

}  // namespace

TEST_CASE("miner: incremental mining learns run slots like batch mining", "[parse][miner]") {
  std::vector<std::string> lines;
  for (int n : {1, 3, 9, 3, 1, 5, 2, 7}) {
    std::string l = "ask 10.0.0." + std::to_string(n) + ":50010 to delete";
    for (int i = 0; i < n; ++i) l += " blk_" + std::to_string(n * 100 + i);
    lines.push_back(l);
  }
  TemplateMiner stream;
  for (const auto& l : lines) stream.match_or_add(l);
  stream.finish();
  const auto templates = live(stream.store());
  REQUIRE(templates.size() == 1);
  CHECK(templates.begin()->first == "ask <*>:<*> to delete <*>");
  CHECK(templates.begin()->second.first == lines.size());
  CHECK_FALSE(templates.begin()->second.second.empty());
  // a list length never seen matches the run slot
  ParseResult r;
  REQUIRE(stream.match("ask 10.0.0.4:50010 to delete blk_1 blk_2 blk_3 blk_4 blk_5 blk_6 blk_7 blk_8 blk_9 blk_10 blk_11", r));
  CHECK(r.template_text == "ask <*>:<*> to delete <*>");
}

TEST_CASE("miner: a stream through match_or_add ends with the batch templates (fixture)", "[parse][miner]") {
  check_stream_equals_batch(
      contents_of(l4::test::fixture("parse/train.log"), "<Date> <Time> <Level> <Component>: <Content>"));
}

TEST_CASE("miner: stream and batch agree on every shared Loghub system", "[parse][miner][loghub]") {
  const char* env = std::getenv("L4_LOGHUB");
  const std::filesystem::path data = env != nullptr ? std::filesystem::path(env)
                                                    : std::filesystem::path(L4_SOURCE_DIR) / ".." / "shared" / "data" / "loghub2k";
  if (!std::filesystem::is_directory(data)) {
    WARN("skipped: no Loghub data at " << data.string() << " (set L4_LOGHUB)");
    return;
  }
  std::ifstream fin(std::filesystem::path(L4_SOURCE_DIR) / "tools" / "loghub-formats.json");
  const auto formats = nlohmann::json::parse(fin)["formats"];
  std::size_t systems = 0;
  for (const auto& [system, log_format] : formats.items()) {
    const auto log = data / system / (system + "_2k.log");
    if (!std::filesystem::exists(log)) continue;
    INFO(system);
    check_stream_equals_batch(contents_of(log, log_format.get<std::string>()));
    ++systems;
  }
  CHECK(systems > 0);
}

TEST_CASE("miner: the template limit sends the rarest templates' lines to one overflow template", "[parse][miner]") {
  MinerOptions options;
  options.max_templates = 3;
  TemplateMiner miner(options);
  std::vector<std::string> lines;
  const char* words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};
  // six templates of different lengths, seen 1 .. 6 times
  for (int w = 0; w < 6; ++w) {
    std::string text = words[w];
    for (int k = 0; k < w; ++k) text += " step";
    for (int i = 0; i <= w; ++i) lines.push_back(text + " " + std::to_string(i));
  }
  miner.mine(views(lines));
  CHECK(miner.overflow_templates() == 3);
  CHECK(miner.overflow_lines() == 1 + 2 + 3);
  const auto templates = live(miner.store());
  CHECK(templates.size() == 4);
  REQUIRE(templates.count(std::string(TemplateMiner::overflow_text)) == 1);
  CHECK(templates.at(std::string(TemplateMiner::overflow_text)).first == 6);
  CHECK(templates.count("foxtrot step step step step step <*>") == 1);
  // a line of an overflowed template is assigned the overflow template, its whole text the parameter
  ParseResult r;
  REQUIRE(miner.assign("alpha 0", r));
  CHECK(r.template_text == TemplateMiner::overflow_text);
  CHECK(r.parameters == std::vector<std::string_view>{"alpha 0"});
  REQUIRE(miner.assign("foxtrot step step step step step 3", r));
  CHECK(r.template_text == "foxtrot step step step step step <*>");
}

TEST_CASE("miner: observing on several miners and absorbing gives the same templates", "[parse][miner]") {
  const auto lines = hdfs_like(300);
  TemplateMiner one;
  one.mine(views(lines));
  TemplateMiner a;
  TemplateMiner b;
  TemplateMiner into;
  for (std::size_t i = 0; i < lines.size(); ++i) (i % 3 == 0 ? a : b).observe(lines[i]);
  into.absorb(b);
  into.absorb(a);
  into.build();
  CHECK(live(into.store()) == live(one.store()));
  // the absorbed masking caches serve assign on the combined miner
  ParseResult r;
  AssignScratch scratch;
  const TemplateMiner& frozen = into;
  for (const auto& l : lines) REQUIRE(frozen.assign(l, r, scratch));
}

TEST_CASE("miner: the line numbers pass 1 keeps give every line the template assign gives it", "[parse][miner]") {
  // > 256 KB of lines: several batches per worker on 3 threads
  auto lines = hdfs_like(6000);
  for (int i = 0; i < 500; ++i) lines.push_back("disk slow write on sd" + std::string(1, static_cast<char>('a' + i % 5)));
  for (const unsigned threads : {1U, 3U}) {
    INFO(threads << " threads");
    TemplateMiner miner;
    ObservedLines observed;
    {
      ShardedObserver observer(miner, threads, [](std::string_view line, unsigned) { return line; });
      observer.record_lines(observed, lines.size() - 100);  // the last 100 lines are not kept
      for (const auto& l : lines) observer.add(l);
      observer.finish();
    }
    miner.build();
    REQUIRE(observed.size() >= lines.size() - 100);
    CHECK_FALSE(observed.at(lines.size()).has_value());
    const TemplateMiner& frozen = miner;
    AssignScratch scratch;
    ParseResult by_number;
    ParseResult by_text;
    for (std::size_t i = 0; i < observed.size(); ++i) {
      REQUIRE(frozen.assign_observed(*observed.at(i), lines[i], by_number));
      REQUIRE(frozen.assign(lines[i], by_text, scratch));
      CHECK(by_number.id == by_text.id);
      CHECK(by_number.parameters == by_text.parameters);
    }
    // a line that is not the one observed under that number is matched by its text instead
    REQUIRE(frozen.assign_observed(*observed.at(0), lines.back(), by_number));
    CHECK(by_number.template_text == "disk slow write on <*>");
  }
}
