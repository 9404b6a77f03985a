// End-to-end: run `l4 simulate` for every fault type and check that each truth line points at a
// line carrying that fault's evidence on the named node; corpus mode and option errors.
#include <catch2/catch.hpp>

#include "l4/simulate/sim_catalogue.hpp"
#include "support/test_support.hpp"
#include "unit/simulate/sim_test_support.hpp"

namespace fs = std::filesystem;
using l4::test::run_l4;
using namespace l4::test::sim;

TEST_CASE("l4 simulate: each fault type writes logs whose truth lines carry its evidence", "[e2e][simulate]") {
  const auto& cat = l4::simulate::SimCatalogue::instance();
  l4::test::TempDir tmp;
  int i = 0;
  for (const auto& f : cat.faults()) {
    const auto dir = tmp.path() / std::to_string(i);
    const std::vector<std::string> styles = {"megatron", "deepspeed", "hf"};
    const auto r = run_l4({"simulate", "--out", dir.string(), "--fault", f.type, "--seed", std::to_string(40 + i),
                           "--nodes", "4", "--ranks-per-node", "4", "--iterations", "80", "--style",
                           styles[static_cast<std::size_t>(i % 3)], "--gzip"});
    ++i;
    INFO(f.type << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    const auto summary = nlohmann::json::parse(r.out);
    CHECK(summary["simulated"] == f.type);
    const auto truth = read_json(dir / "truth.json");
    CHECK(truth["fault"]["type"] == summary["fault"]);
    CHECK(truth["fault"]["simulated"] == f.type);
    const auto& variant = f.variants.at(truth["fault"]["variant"].get<std::size_t>());
    CHECK(truth["fault"]["type"] == variant.type);
    CHECK(truth["nodes"].size() == 4);
    CHECK(truth["lines"].size() == summary["truth_lines"].get<std::size_t>());
    const auto problems = check_truth(dir, truth);
    CAPTURE(problems);
    CHECK(problems.empty());
  }
}

TEST_CASE("l4 simulate --corpus writes jobs and corpus.json, independent of threads", "[e2e][simulate]") {
  l4::test::TempDir tmp;
  const auto a = run_l4({"simulate", "--corpus", (tmp.path() / "a").string(), "--jobs", "6", "--seed", "3", "--threads", "1"});
  const auto b = run_l4({"simulate", "--corpus", (tmp.path() / "b").string(), "--jobs", "6", "--seed", "3", "--threads", "2"});
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  const auto index = read_json(tmp.path() / "a/corpus.json");
  REQUIRE(index["jobs"].size() == 6);
  int normal = 0;
  for (const auto& job : index["jobs"]) {
    const auto dir = tmp.path() / "a" / job["job_id"].get<std::string>();
    CHECK(fs::exists(dir / "truth.json"));
    CHECK(read_bytes(dir / "truth.json") ==
          read_bytes(tmp.path() / "b" / job["job_id"].get<std::string>() / "truth.json"));
    normal += job["fault"] == "none" ? 1 : 0;
    const auto problems = check_truth(dir, read_json(dir / "truth.json"));
    CAPTURE(job.dump(), problems);
    CHECK(problems.empty());
  }
  CHECK(normal == 1);
}

TEST_CASE("l4 simulate --corpus --min-nodes keeps every job at least that large", "[e2e][simulate]") {
  l4::test::TempDir tmp;
  const auto r = run_l4({"simulate", "--corpus", (tmp.path() / "c").string(), "--jobs", "12", "--seed", "4",
                         "--min-nodes", "8"});
  REQUIRE(r.exit_code == 0);
  const auto index = read_json(tmp.path() / "c/corpus.json");
  REQUIRE(index["jobs"].size() == 12);
  for (const auto& job : index["jobs"]) CHECK(job["nodes"].get<int>() >= 8);
  CHECK(index["mix"].get<std::string>().find("60% 8-16") != std::string::npos);
  const auto alone = run_l4({"simulate", "--out", (tmp.path() / "one").string(), "--min-nodes", "8"});
  CHECK(alone.exit_code == 2);  // a corpus option without --corpus
}

TEST_CASE("l4 simulate rejects bad options with exit 2", "[e2e][simulate]") {
  l4::test::TempDir tmp;
  auto r = run_l4({"simulate", "--out", tmp.path().string(), "--fault", "hardware/gpu/nope"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("hardware/gpu/nope") != std::string::npos);
  r = run_l4({"simulate"});
  CHECK(r.exit_code == 2);
  r = run_l4({"simulate", "--list-faults"});
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).size() == l4::simulate::SimCatalogue::instance().faults().size());
}

TEST_CASE("the committed sample jobs are what l4 simulate writes", "[e2e][simulate]") {
  // data/jobs/README.md lists these commands; a table change must regenerate the samples.
  const fs::path samples = fs::path(L4_SOURCE_DIR) / "data/jobs";
  const std::vector<std::vector<std::string>> jobs = {
      {"gpu-ecc", "--fault", "hardware/gpu/ecc", "--seed", "3", "--nodes", "4", "--ranks-per-node", "8",
       "--iterations", "3000", "--style", "megatron", "--layout", "per-node"},
      {"normal-1", "--fault", "none", "--seed", "5", "--nodes", "4", "--ranks-per-node", "8", "--iterations", "3000",
       "--style", "deepspeed", "--layout", "per-node", "--gzip"}};
  l4::test::TempDir tmp;
  for (const auto& job : jobs) {
    std::vector<std::string> args = {"simulate", "--out", (tmp.path() / job[0]).string(), "--job-id", job[0]};
    args.insert(args.end(), job.begin() + 1, job.end());
    REQUIRE(run_l4(args).exit_code == 0);
    INFO(job[0]);
    for (const auto& e : fs::recursive_directory_iterator(samples / job[0])) {
      if (!e.is_regular_file()) continue;
      const auto rel = fs::relative(e.path(), samples / job[0]);
      INFO(rel.string());
      CHECK(read_text(e.path()) == read_text(tmp.path() / job[0] / rel));  // .gz compared decompressed
    }
  }
}
