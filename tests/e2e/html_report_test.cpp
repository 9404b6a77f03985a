// `l4 diagnose --format html` end to end: the report of every sample job (data/jobs/*) rendered by a
// real browser — Debian's chromium, headless — and its DOM checked against the diagnosis and the
// job's truth: the faulty node is the heatmap's first row, the first evidence is a listed root
// event, the page's script ran without a console message, and a screenshot comes out. Skips with
// a message where chromium is absent (tools/dev.sh installs it for `test`). Also the on-call
// fields of the JSON report (issue 15): times, first evidence on the top node, hardware first.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using l4::test::run_l4;
using l4::test::slurp;
using l4::test::run_program;

namespace {

fs::path sample_jobs() { return fs::path(L4_SOURCE_DIR) / "data" / "jobs"; }

std::vector<fs::path> every_sample_job() {
  std::vector<fs::path> jobs;
  for (const auto& e : fs::directory_iterator(sample_jobs())) {
    if (e.is_directory() && fs::exists(e.path() / "logs")) jobs.push_back(e.path());
  }
  std::sort(jobs.begin(), jobs.end());
  return jobs;
}

// chromium from $L4_CHROMIUM or PATH; empty when there is none.
std::string find_chromium() {
  if (const char* env = std::getenv("L4_CHROMIUM"); env != nullptr && *env != '\0') return env;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    for (const char* name : {"chromium", "chromium-browser"}) {
      const auto candidate = fs::path(dir) / name;
      if (fs::exists(candidate)) return candidate.string();
    }
  }
  return {};
}

// Headless chromium as root in a container: no sandbox, no GPU, nothing fetched, a fresh profile.
l4::test::RunResult run_chromium(const std::string& chromium, const fs::path& profile, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--user-data-dir=" + profile.string(), "--enable-logging=stderr", "--v=0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_program(chromium, args);
}

// The console messages chromium logged for the page (any level: the page logs nothing).
std::vector<std::string> console_lines(const std::string& err) {
  std::vector<std::string> lines;
  std::stringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// The `data-label` of every heatmap row, in document order.
std::vector<std::string> heatmap_rows(const std::string& dom) {
  std::vector<std::string> rows;
  static const std::regex row(R"re(<g class="hm-row[^"]*" data-label="([^"]*)")re");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row); it != std::sregex_iterator(); ++it) rows.push_back((*it)[1]);
  return rows;
}

std::string html_text(std::string s) {  // the escaping the page applies to file names
  std::string out;
  for (char c : s) out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("the JSON report dates events and nodes and cites the first evidence on the faulty node",
          "[e2e][diagnose][report-times]") {
  const auto job = sample_jobs() / "gpu-ecc";
  const auto r = run_l4({"diagnose", "--no-history", (job / "logs").string()});
  REQUIRE(r.exit_code == 0);
  const auto d = json::parse(r.out);
  const auto truth = json::parse(slurp(job / "truth.json"));
  const std::string top = d["faulty_nodes"][0]["node"];
  CHECK(top == truth["faulty_nodes"][0]);
  // First evidence: a root event on the top node, dated; the summary cites it with its time.
  const auto& first = d["first_evidence"];
  REQUIRE(first.is_object());
  CHECK(first["node"] == top);
  REQUIRE(first["time"].is_object());
  const std::string iso = first["time"]["iso"];
  CHECK(std::regex_match(iso, std::regex(R"((\d{4}|-)-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})")));
  CHECK(d["verdict"]["summary"].get<std::string>().find(" at " + iso) != std::string::npos);
  bool listed_as_root = false;
  for (const auto& e : d["events"]) {
    CHECK(e["first"]["time"].is_object());  // every line of this job is placed in time
    listed_as_root |= e["role"] == "root" && e["nodes"].size() == 1 && e["nodes"][0] == top;
  }
  CHECK(listed_as_root);
  // Nodes are dated by their first event showing the failure: the faulty node no later than its peers' cascade.
  for (const auto& n : d["faulty_nodes"]) REQUIRE(n["first_seen"].is_object());
  CHECK(d["faulty_nodes"][0]["first_seen"]["offset_s"].get<double>() <= first["time"]["offset_s"].get<double>() + 1e-9);
  // The heatmap: the faulty node's row first; the first evidence's cell marked on it.
  const auto& map = d["heatmap"];
  REQUIRE(!map["rows"].empty());
  CHECK(map["rows"][0]["label"] == top);
  CHECK(map["first_evidence"]["row"] == 0);
  CHECK(map["rows"][0]["counts"][map["first_evidence"]["bucket"].get<std::size_t>()].get<unsigned>() > 0);
  // The timeline: from offset 0, stages forward, progress up to the last completed iteration.
  CHECK(d["timeline"]["start"]["offset_s"] == 0.0);
  CHECK(d["timeline"]["stages"].back()["stage"] == "training");
  CHECK(d["timeline"]["progress"].back()[1] == d["iteration"]["last_completed"]);
}

TEST_CASE("hardware identity comes first among parameters, paths and signals last", "[e2e][diagnose][report-times]") {
  // The hand-written ECC job: its kernel line names the GPU's PCI address and the Xid.
  const auto r = run_l4({"diagnose", "--no-history", l4::test::fixture("diagnose/ecc-job").string()});
  REQUIRE(r.exit_code == 0);
  const auto d = json::parse(r.out);
  std::vector<std::string> types;
  for (const auto& p : d["parameters"]) types.push_back(p["type"]);
  const auto pos = [&](const std::string& t) { return std::find(types.begin(), types.end(), t) - types.begin(); };
  // The GPU's identity (its bus id and the Xid it reported) opens the list.
  CHECK(pos("pci_bus_id") <= 1);
  CHECK(pos("xid") <= 1);
  for (const char* late : {"path", "signal"}) {
    if (pos(late) < static_cast<long>(types.size())) CHECK(pos(late) > pos("xid"));
  }
}

TEST_CASE("a large job's heatmap stays legible: leading nodes alone, the rest in bands", "[e2e][diagnose][report-times]") {
  l4::test::TempDir dir;
  const auto job = dir.path() / "big";
  REQUIRE(run_l4({"simulate", "--out", job.string(), "--fault", "hardware/gpu/xid", "--nodes", "200", "--ranks-per-node", "1",
                  "--iterations", "200", "--seed", "4", "--style", "megatron", "--layout", "per-node"})
              .exit_code == 0);
  const auto d = json::parse(run_l4({"diagnose", "--no-history", (job / "logs").string()}).out);
  const auto truth = json::parse(slurp(job / "truth.json"));
  const auto& rows = d["heatmap"]["rows"];
  CHECK(rows.size() == 48);
  CHECK(rows[0]["label"] == truth["faulty_nodes"][0]);
  unsigned nodes = 0, single = 0;
  for (const auto& r : rows) {
    nodes += r["nodes"].get<unsigned>();
    single += r["nodes"] == 1 ? 1 : 0;
    CHECK(r["counts"].size() <= 60);
  }
  CHECK(nodes == 200);  // every node is in exactly one row
  CHECK(single == 24);
  CHECK(rows.back()["label"].get<std::string>().find(" … ") != std::string::npos);
}

TEST_CASE("the text report says when things were first seen", "[e2e][diagnose][report-times]") {
  const auto r = run_l4({"diagnose", "--no-history", "--format", "text", (sample_jobs() / "gpu-ecc" / "logs").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("first seen ") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex(R"(\.log:\d+ at \S+T\d\d:\d\d:\d\d\.\d{3} \()")));
}

TEST_CASE("the HTML report is one self-contained file", "[e2e][diagnose][html]") {
  l4::test::TempDir dir;
  const auto out = dir.path() / "report.html";
  const auto r = run_l4({"diagnose", "--no-history", "--format", "html", "-o", out.string(), (sample_jobs() / "gpu-ecc" / "logs").string()});
  REQUIRE(r.exit_code == 0);
  const auto html = slurp(out);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* external : {" src=", "<link", "@import", "url(http"}) CHECK(html.find(external) == std::string::npos);
  CHECK(html.find("{{") == std::string::npos);  // every slot filled
  for (const char* section : {"id=\"verdict\"", "id=\"heatmap\"", "id=\"timeline\"", "id=\"evidence\"", "id=\"parameters\"", "id=\"inputs\""}) {
    CHECK(html.find(section) != std::string::npos);
  }
}

TEST_CASE("every sample job's HTML report renders in headless chromium", "[e2e][diagnose][html][browser]") {
  const auto chromium = find_chromium();
  if (chromium.empty()) {
    WARN("skipped: no chromium on PATH (apt-get install chromium, or set L4_CHROMIUM)");
    return;
  }
  l4::test::TempDir dir;
  for (const auto& job : every_sample_job()) {
    const std::string name = job.filename().string();
    INFO("job " << name);
    const auto page = dir.path() / (name + ".html");
    const auto r = run_l4({"diagnose", "--no-history", "--format", "html", "-o", page.string(), (job / "logs").string()});
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const auto d = json::parse(run_l4({"diagnose", "--no-history", (job / "logs").string()}).out);

    const auto dom = run_chromium(chromium, dir.path() / ("profile-dom-" + name), {"--dump-dom", "file://" + page.string()});
    REQUIRE(dom.exit_code == 0);
    CHECK(console_lines(dom.err).empty());
    CHECK(dom.out.find("data-js=\"ready\"") != std::string::npos);  // the page's script ran to its end
    CHECK(dom.out.find("data-verdict=\"" + d["verdict"]["category"].get<std::string>() + "\"") != std::string::npos);
    const auto rows = heatmap_rows(dom.out);
    if (d["failure_found"] == true) {
      const auto truth = json::parse(slurp(job / "truth.json"));
      REQUIRE(!rows.empty());
      CHECK(rows.front() == d["faulty_nodes"][0]["node"]);
      CHECK(rows.front() == truth["faulty_nodes"][0]);
      // The first evidence is listed as a root event, marked as such.
      const auto& first = d["first_evidence"];
      const std::string where = html_text(first["file"].get<std::string>() + ":" + std::to_string(first["line"].get<long>()));
      const auto item = dom.out.find("<li class=\"root first\"");
      REQUIRE(item != std::string::npos);
      const auto end = dom.out.find("</li>", item);
      CHECK(dom.out.substr(item, end - item).find(where) != std::string::npos);
      CHECK(dom.out.find("id=\"hm-first-evidence\"") != std::string::npos);
    } else {
      CHECK(rows.empty());
      CHECK(dom.out.find(d["completion"].empty() ? "no failure evidence found" : "the job completed") != std::string::npos);
    }

    const auto png = dir.path() / (name + ".png");
    const auto shot = run_chromium(chromium, dir.path() / ("profile-shot-" + name),
                                   {"--window-size=1280,2000", "--screenshot=" + png.string(), "file://" + page.string()});
    REQUIRE(shot.exit_code == 0);
    CHECK(console_lines(shot.err).empty());
    REQUIRE(fs::exists(png));
    const auto bytes = slurp(png);
    CHECK(bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
    CHECK(bytes.size() > 20000);  // a rendered page, not a blank one
  }
}
