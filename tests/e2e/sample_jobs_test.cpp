// Every bundled sample job (data/jobs/*) is diagnosed as a new user would — without a history —
// and with a history of the two bundled normal jobs, and checked against its truth.json.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using l4::test::run_l4;

namespace {

json read(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

void check_against_truth(const std::string& job, const json& report, const json& truth) {
  INFO("job " << job);
  const std::string fault = truth["fault"]["type"];
  if (fault == "none") {
    CHECK(report["failure_found"] == false);
    CHECK(report["verdict"]["category"] == "none");
    CHECK_FALSE(report["completion"].empty());  // it says why: the lines saying the job finished
    return;
  }
  REQUIRE(report["failure_found"] == true);
  CHECK(report["verdict"]["category"] == fault);
  REQUIRE_FALSE(report["faulty_nodes"].empty());
  const auto& nodes = truth["faulty_nodes"];
  CHECK(std::find(nodes.begin(), nodes.end(), report["faulty_nodes"][0]["node"]) != nodes.end());
  CHECK(report["stage"]["name"] == truth["stage"]);
  if (!truth["iteration"]["failed_at"].is_null()) {
    REQUIRE(report["iteration"]["failed_at"].is_number());
    const long got = report["iteration"]["failed_at"];
    const long want = truth["iteration"]["failed_at"];
    CHECK(std::abs(got - want) <= 1);
  }
}

std::vector<std::string> sample_jobs() {
  std::vector<std::string> jobs;
  for (const auto& e : fs::directory_iterator(fs::path(L4_SOURCE_DIR) / "data/jobs")) {
    if (e.is_directory()) jobs.push_back(e.path().filename().string());
  }
  std::sort(jobs.begin(), jobs.end());
  return jobs;
}

}  // namespace

TEST_CASE("every sample job is diagnosed right without a history", "[e2e][diagnose][samples]") {
  const auto jobs = sample_jobs();
  REQUIRE(jobs.size() >= 6);
  for (const auto& job : jobs) {
    const fs::path dir = fs::path(L4_SOURCE_DIR) / "data/jobs" / job;
    const auto r = run_l4({"diagnose", "--no-history", (dir / "logs").string()});
    REQUIRE(r.exit_code <= 1);
    check_against_truth(job, json::parse(r.out), read(dir / "truth.json"));
  }
}

TEST_CASE("every sample job is diagnosed right with a history of the normal ones", "[e2e][diagnose][samples]") {
  l4::test::TempDir tmp;
  const std::string db = (tmp.path() / "history.db").string();
  const fs::path jobs_dir = fs::path(L4_SOURCE_DIR) / "data/jobs";
  for (const std::string normal : {"normal-1", "normal-2"}) {
    const auto r = run_l4({"-q", "history", "add", "--db", db, "--job-id", normal, (jobs_dir / normal / "logs").string()});
    REQUIRE(r.exit_code == 0);
  }
  for (const auto& job : sample_jobs()) {
    if (job.starts_with("normal")) continue;  // they are the history
    const auto r = run_l4({"diagnose", "--db", db, (jobs_dir / job / "logs").string()});
    REQUIRE(r.exit_code == 0);
    const auto report = json::parse(r.out);
    CHECK(report["history"]["normal_jobs"] == 2);
    check_against_truth(job, report, read(jobs_dir / job / "truth.json"));
  }
}

TEST_CASE("successful simulated jobs of every style and layout are not failures, with and without a history",
          "[e2e][diagnose][samples]") {
  // The false-alarm check: 0 successful jobs reported failed. The history is made of other
  // normal jobs (other seeds), as a user's would be.
  l4::test::TempDir tmp;
  const std::string db = (tmp.path() / "history.db").string();
  const auto simulate = [&](const std::string& name, const std::string& style, const std::string& layout, int seed) {
    const auto out = tmp.path() / name;
    const auto r = run_l4({"-q", "simulate", "--out", out.string(), "--fault", "none", "--style", style, "--layout", layout,
                           "--nodes", "4", "--iterations", "300", "--seed", std::to_string(seed)});
    REQUIRE(r.exit_code == 0);
    return (out / "logs").string();
  };
  for (const std::string style : {"megatron", "deepspeed", "hf"}) {
    const auto r = run_l4({"-q", "history", "add", "--db", db, "--job-id", "h-" + style, simulate("h-" + style, style, "per-node", 100)});
    REQUIRE(r.exit_code == 0);
  }
  for (const std::string style : {"megatron", "deepspeed", "hf"}) {
    for (const std::string layout : {"per-node", "merged", "per-rank"}) {
      const auto logs = simulate(style + "-" + layout, style, layout, 7);
      for (const bool history : {false, true}) {
        INFO(style << " " << layout << (history ? " with" : " without") << " history");
        const auto r = run_l4({"diagnose", history ? "--db=" + db : "--no-history", logs});
        REQUIRE(r.exit_code == 1);  // documented: 1 = no failure found
        const auto report = json::parse(r.out);
        CHECK(report["failure_found"] == false);
        CHECK(report["verdict"]["category"] == "none");
        CHECK_FALSE(report["completion"].empty());
      }
    }
  }
}
