// Unit tests of the job generator through its library API: determinism, layouts, gzip, normal
// jobs, and the truth of every fault type checked against the lines actually written.
#include "l4/simulate/job_simulator.hpp"

#include <catch2/catch.hpp>

#include "l4/error.hpp"
#include "l4/simulate/sim_catalogue.hpp"
#include "sim_test_support.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using l4::simulate::SimOptions;
using namespace l4::test::sim;

namespace {


// Every file under dir/logs with its bytes, sorted by path.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_bytes(e.path());
  }
  return out;
}

// The truth of a failed job agrees with the fault and the variant it drew, and its lines carry
// the fault's evidence. Returns the variant index.
int check_variant_truth(const l4::simulate::FaultInfo& f, const std::string& out_dir) {
  const auto truth = read_json(out_dir + "/truth.json");
  const auto& fault = truth["fault"];
  CHECK(fault["simulated"] == f.type);
  const int index = fault["variant"].get<int>();
  REQUIRE(index >= 0);
  REQUIRE(static_cast<std::size_t>(index) < f.variants.size());
  const auto& v = f.variants[static_cast<std::size_t>(index)];
  INFO("variant " << index << " " << v.type);
  CHECK(fault["type"] == v.type);
  CHECK(fault["category"] == v.category);
  CHECK(fault["source"] == nlohmann::json(v.source));
  CHECK(std::find(v.stages.begin(), v.stages.end(), truth["stage"].get<std::string>()) != v.stages.end());
  CHECK(std::find(f.stages.begin(), f.stages.end(), truth["stage"].get<std::string>()) != f.stages.end());
  CHECK_FALSE(truth["faulty_nodes"].empty());
  CHECK_FALSE(truth["lines"].empty());
  const bool has_root = std::any_of(truth["lines"].begin(), truth["lines"].end(),
                                    [](const auto& l) { return l["role"] == "root"; });
  // Hangs and lost nodes print no root text; a silent kill (SIGKILL, SIGSEGV with nothing
  // printed) leaves only the launcher's report.
  if (f.root_keywords.empty()) CHECK_FALSE(has_root);
  if (v.prints_root) CHECK(has_root);
  const auto problems = check_truth(out_dir, truth);
  CAPTURE(problems);
  CHECK(problems.empty());
  return index;
}

}  // namespace

TEST_CASE("same seed gives identical bytes, another seed different ones", "[simulate]") {
  l4::test::TempDir tmp;
  for (const std::string layout : {"per-node", "merged"}) {
    auto a = small(tmp.path() / ("a" + layout), "hardware/network/ib", 5);
    a.layout = layout;
    auto b = a;
    b.out_dir = (tmp.path() / ("b" + layout)).string();
    auto c = a;
    c.out_dir = (tmp.path() / ("c" + layout)).string();
    c.seed = 6;
    l4::simulate::simulate_job(a);
    l4::simulate::simulate_job(b);
    l4::simulate::simulate_job(c);
    const auto ta = tree(a.out_dir), tb = tree(b.out_dir), tc = tree(c.out_dir);
    CHECK(ta == tb);
    CHECK(ta != tc);
    CHECK(ta.size() >= 2);
  }
}

TEST_CASE("layouts write the documented file names", "[simulate]") {
  l4::test::TempDir tmp;
  auto o = small(tmp.path() / "pn", "none");
  const auto t1 = l4::simulate::simulate_job(o);
  for (const auto& host : t1.nodes) CHECK(fs::exists(tmp.path() / "pn/logs" / (host + ".log")));
  CHECK(fs::exists(tmp.path() / "pn/truth.json"));
  CHECK_FALSE(fs::exists(tmp.path() / "pn/logs/truth.json"));

  o = small(tmp.path() / "pr", "none");
  o.layout = "per-rank";
  const auto t2 = l4::simulate::simulate_job(o);
  for (int r = 0; r < 8; ++r) {
    const auto& host = t2.nodes[static_cast<std::size_t>(r / 2)];
    CHECK(fs::exists(tmp.path() / "pr/logs" / host / ("rank_" + std::to_string(r) + ".log")));
  }

  o = small(tmp.path() / "m", "none");
  o.layout = "merged";
  o.style = "deepspeed";
  const auto t3 = l4::simulate::simulate_job(o);
  const auto lines = split_lines(read_text(tmp.path() / "m/logs/job.log"));
  REQUIRE(lines.size() > 100);
  std::set<std::string> hosts;
  for (const auto& l : lines) hosts.insert(l.substr(0, l.find(": ")));
  CHECK(hosts == std::set<std::string>(t3.nodes.begin(), t3.nodes.end()));

  // Host names are unique and contain a digit.
  std::set<std::string> unique(t1.nodes.begin(), t1.nodes.end());
  CHECK(unique.size() == t1.nodes.size());
  for (const auto& h : t1.nodes) CHECK(h.find_first_of("0123456789") != std::string::npos);
}

TEST_CASE("megatron merged logs carry host and rank prefixes", "[simulate]") {
  l4::test::TempDir tmp;
  auto o = small(tmp.path(), "none");
  o.layout = "merged";
  l4::simulate::simulate_job(o);
  const auto lines = split_lines(read_text(tmp.path() / "logs/job.log"));
  const auto with_rank = std::count_if(lines.begin(), lines.end(),
                                       [](const std::string& l) { return l.find(": [rank") != std::string::npos; });
  CHECK(with_rank > static_cast<long>(lines.size() / 2));
}

TEST_CASE("gzip output decompresses to the plain output", "[simulate]") {
  l4::test::TempDir tmp;
  auto plain = small(tmp.path() / "p", "framework/segfault");
  auto gz = plain;
  gz.out_dir = (tmp.path() / "g").string();
  gz.gzip = true;
  const auto t = l4::simulate::simulate_job(plain);
  l4::simulate::simulate_job(gz);
  for (const auto& host : t.nodes) {
    const auto gz_path = tmp.path() / "g/logs" / (host + ".log.gz");
    REQUIRE(fs::exists(gz_path));
    CHECK(read_bytes(gz_path).substr(0, 2) == "\x1f\x8b");
    CHECK(read_text(gz_path) == read_bytes(tmp.path() / "p/logs" / (host + ".log")));
  }
  // The same truth, naming the .gz files.
  auto plain_truth = read_json(tmp.path() / "p/truth.json");
  for (auto& l : plain_truth["lines"]) l["file"] = l["file"].get<std::string>() + ".gz";
  CHECK(plain_truth == read_json(tmp.path() / "g/truth.json"));
}

TEST_CASE("normal jobs have no fault and no truth lines", "[simulate]") {
  l4::test::TempDir tmp;
  for (const std::string style : {"megatron", "deepspeed", "hf"}) {
    auto o = small(tmp.path() / style, "none");
    o.style = style;
    l4::simulate::simulate_job(o);
    const auto truth = read_json(tmp.path() / style / "truth.json");
    CHECK(truth["fault"]["type"] == "none");
    CHECK(truth["fault"]["category"] == "none");
    CHECK(truth["lines"].empty());
    CHECK(truth["faulty_nodes"].empty());
    // The job ran to the end: the last planned iteration was logged.
    const auto logs = tree(tmp.path() / style / "logs");
    bool finished = false;
    for (const auto& [name, text] : logs) finished |= text.find("/ 60 |") != std::string::npos ||
                                                       text.find("step=60,") != std::string::npos ||
                                                       text.find("60/60 [") != std::string::npos;
    CHECK(finished);
  }
}

TEST_CASE("every fault type's truth lines point at evidence, in every style", "[simulate]") {
  const auto& cat = l4::simulate::SimCatalogue::instance();
  REQUIRE(cat.faults().size() >= 14);
  l4::test::TempDir tmp;
  int i = 0;
  for (const auto& f : cat.faults()) {
    for (const std::string style : {"megatron", "deepspeed", "hf"}) {
      const auto layout = l4::simulate::SimCatalogue::layouts()[static_cast<std::size_t>(i++ % 3)];
      auto o = small(tmp.path() / std::to_string(i), f.type, static_cast<std::uint64_t>(100 + i));
      o.style = style;
      o.layout = layout;
      INFO(f.type << " " << style << " " << layout);
      l4::simulate::simulate_job(o);
      check_variant_truth(f, o.out_dir);
    }
  }
}

TEST_CASE("every variant of every fault is drawn in its styles, and its truth is the variant's", "[simulate]") {
  // Variants are drawn per job; small jobs over successive seeds reach each one, and each must
  // print evidence that carries the fault's keywords and record its own type in truth.json.
  const auto& cat = l4::simulate::SimCatalogue::instance();
  l4::test::TempDir tmp;
  int job = 0;
  for (const auto& f : cat.faults()) {
    for (const std::string style : {"megatron", "deepspeed", "hf"}) {
      std::set<int> want;
      for (std::size_t i = 0; i < f.variants.size(); ++i) {
        const auto& st = f.variants[i].styles;
        if (st.empty() || std::find(st.begin(), st.end(), style) != st.end()) want.insert(static_cast<int>(i));
      }
      std::set<int> seen;
      for (std::uint64_t seed = 1; seed <= 400 && seen != want; ++seed) {
        auto o = small(tmp.path() / std::to_string(job++), f.type, seed);
        o.nodes = 2;
        o.iterations = 30;
        o.style = style;
        o.layout = l4::simulate::SimCatalogue::layouts()[seed % 3];
        INFO(f.type << " " << style << " seed " << seed);
        l4::simulate::simulate_job(o);
        seen.insert(check_variant_truth(f, o.out_dir));
        std::filesystem::remove_all(o.out_dir);
      }
      INFO(f.type << " " << style);
      CHECK(seen == want);
    }
  }
}

TEST_CASE("bad options are input errors", "[simulate]") {
  l4::test::TempDir tmp;
  auto o = small(tmp.path(), "no/such/fault");
  CHECK_THROWS_AS(l4::simulate::simulate_job(o), l4::InputError);
  o = small(tmp.path(), "none");
  o.style = "jax";
  CHECK_THROWS_AS(l4::simulate::simulate_job(o), l4::InputError);
  o = small(tmp.path(), "none");
  o.layout = "flat";
  CHECK_THROWS_AS(l4::simulate::simulate_job(o), l4::InputError);
}

TEST_CASE("a hang: every other rank times out on one SeqNum, the stuck rank prints nothing", "[simulate]") {
  l4::test::TempDir tmp;
  auto o = small(tmp.path(), "platform/hang", 9);
  o.layout = "per-rank";
  const auto t = l4::simulate::simulate_job(o);
  REQUIRE(t.faulty_ranks.size() == 1);
  const int stuck = t.faulty_ranks[0];
  std::set<std::string> seqs;
  int timed_out = 0;
  for (int r = 0; r < 8; ++r) {
    const auto& host = t.nodes[static_cast<std::size_t>(r / 2)];
    const auto text = read_text(tmp.path() / "logs" / host / ("rank_" + std::to_string(r) + ".log"));
    const auto at = text.find("Watchdog caught collective operation timeout: WorkNCCL(SeqNum=");
    if (r == stuck) {
      CHECK(at == std::string::npos);
      continue;
    }
    REQUIRE(at != std::string::npos);
    ++timed_out;
    const auto start = text.find('=', at) + 1;
    seqs.insert(text.substr(start, text.find(',', start) - start));
  }
  CHECK(timed_out == 7);
  CHECK(seqs.size() == 1);
  CHECK(t.lines.size() >= 14);  // two evidence lines per timed-out rank, plus teardown
  for (const auto& l : t.lines) CHECK(l.role == "symptom");
  REQUIRE(t.last_completed.has_value());
  // In training the stall is in the next iteration; in evaluation/checkpoint, in that of the last.
  CHECK(*t.failed_at == *t.last_completed + (t.stage == "training" ? 1 : 0));
}

TEST_CASE("a straggler: only the slow node's step timer is root evidence and it rises", "[simulate]") {
  l4::test::TempDir tmp;
  auto o = small(tmp.path(), "platform/straggler", 4);
  o.iterations = 120;
  const auto t = l4::simulate::simulate_job(o);
  REQUIRE(t.faulty_nodes.size() == 1);
  std::vector<std::uint64_t> root_lines;
  for (const auto& l : t.lines) {
    if (l.role == "root") {
      CHECK(l.node == t.faulty_nodes[0]);
      root_lines.push_back(l.line);
    }
  }
  REQUIRE(root_lines.size() >= 5);
  const auto lines = split_lines(read_text(tmp.path() / "logs" / (t.faulty_nodes[0] + ".log")));
  auto step_ms = [&](std::uint64_t n) {
    const auto& s = lines[n - 1];
    const auto at = s.find("time (ms): ");
    return std::stod(s.substr(at + 11));
  };
  CHECK(step_ms(root_lines.back()) > 1.5 * step_ms(root_lines.front()));
}

TEST_CASE("tiny jobs (one node, one rank, few iterations) still show every fault", "[simulate]") {
  l4::test::TempDir tmp;
  int i = 0;
  for (const auto& f : l4::simulate::SimCatalogue::instance().faults()) {
    for (const int iterations : {1, 3, 13}) {
      for (const int nodes : {1, 2}) {
        ++i;
        auto o = small(tmp.path() / std::to_string(i), f.type, static_cast<std::uint64_t>(i));
        o.nodes = nodes;
        o.ranks_per_node = 1;
        o.iterations = iterations;
        INFO(f.type << " iterations=" << iterations << " nodes=" << nodes);
        if (nodes == 1 && (f.type == "hardware/node/lost" || f.type == "platform/hang")) {
          CHECK_THROWS_AS(l4::simulate::simulate_job(o), l4::InputError);  // nobody would notice
          continue;
        }
        const auto t = l4::simulate::simulate_job(o);
        CHECK_FALSE(t.lines.empty());
        const auto problems = check_truth(o.out_dir, read_json(o.out_dir + "/truth.json"));
        CAPTURE(problems);
        CHECK(problems.empty());
      }
    }
  }
}
