#include <catch2/catch.hpp>

#include "l4/error.hpp"
#include "l4/report/diagnosis_report.hpp"
#include "l4/report/html_report.hpp"

using namespace l4;

namespace {

diagnose::Moment at(double offset, std::string iso = {}) { return diagnose::Moment{offset, std::move(iso)}; }

// A small failed job: node-b is faulty (first row), node-a echoes it later; a band is not needed.
diagnose::Diagnosis sample() {
  diagnose::Diagnosis d;
  d.failure_found = true;
  d.verdict.category = "hardware/gpu/xid";
  d.verdict.confidence = 0.8;
  d.faulty_nodes = {{"node-b", 1.0, {0xaaaaaaaaaaaaaaaa}, {3}, at(100)}, {"node-a", 0.2, {}, {}, at(160)}};
  d.stage = diagnose::Stage::training;
  d.last_completed = 41;
  d.failed_at = 42;
  diagnose::EventFinding e;
  e.event_id = 0xaaaaaaaaaaaaaaaa;
  e.template_text = "Xid (PCI:<*>): <*>";
  e.role = diagnose::EventRole::root;
  e.nodes = {"node-b"};
  e.count = 1;
  e.first = {"node-b", "node-b.log", 17, "NVRM: Xid (PCI:0000:3a:00): 79 </script><b>\xff", at(100, "2024-03-01T10:01:40.000")};
  e.related = {0xbbbbbbbbbbbbbbbb};
  e.related_lines = {{"node-b", "node-b.log", 18, "GPU has fallen off the bus", at(100)}};
  d.events = {e};
  d.first_evidence = e.first;
  d.first_evidence_event = e.event_id;
  d.parameters = {{"pci_bus_id", "0000:3a:00.0", "node-b"}};
  d.timeline.start = at(0, "2024-03-01T09:59:00.000");
  d.timeline.end = at(200, "2024-03-01T10:02:20.000");
  d.timeline.stages = {{diagnose::Stage::init, 0, 10}, {diagnose::Stage::training, 10, 200}};
  d.timeline.progress = {{10, 1}, {99, 41}};
  d.heatmap.from = 90;
  d.heatmap.bucket = 5;
  d.heatmap.rows = {{"node-b", 1, 1.0, at(100), {0, 0, 2, 0}, 0, 0}, {"node-a", 1, 0.2, at(160), {0, 0, 0, 1}, 1, 0}};
  d.heatmap.first_evidence_row = 0;
  d.heatmap.first_evidence_bucket = 2;
  return d;
}

}  // namespace

TEST_CASE("html_escape makes log text safe markup", "[report][html]") {
  CHECK(report::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(report::html_escape("caf\xc3\xa9") == "caf\xc3\xa9");      // valid UTF-8 kept
  CHECK(report::html_escape("bad\xff!") == "bad\xEF\xBF\xBD!");     // invalid byte: U+FFFD
  CHECK(report::html_escape("cut\xe2\x82") == "cut\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(report::html_escape("bell\a") == "bell ");
}

TEST_CASE("fill_template fills every slot and names a missing one", "[report][html]") {
  CHECK(report::fill_template("<p>{{a}} and {{b}}</p>", {{"a", "1"}, {"b", "<i>2</i>"}}) == "<p>1 and <i>2</i></p>");
  CHECK(report::fill_template("no slots { } }}", {}) == "no slots { } }}");
  CHECK_THROWS_WITH(report::fill_template("{{a}} {{nope}}", {{"a", "1"}}), Catch::Contains("{{nope}}"));
}

TEST_CASE("the HTML report shows the diagnosis: heatmap rows by rank, first evidence marked", "[report][html]") {
  const auto html = report::render_html(sample());
  CHECK(html.find("{{") == std::string::npos);
  const auto row_b = html.find("data-label=\"node-b\"");
  const auto row_a = html.find("data-label=\"node-a\"");
  REQUIRE(row_b != std::string::npos);
  REQUIRE(row_a != std::string::npos);
  CHECK(row_b < row_a);
  CHECK(html.find("id=\"hm-first-evidence\"") != std::string::npos);
  CHECK(html.find("<li class=\"root first\"") != std::string::npos);
  CHECK(html.find("GPU has fallen off the bus") != std::string::npos);   // related line, expandable
  CHECK(html.find("2024-03-01T10:01:40.000") != std::string::npos);
  CHECK(html.find("1 earlier") != std::string::npos);
  // Log text cannot close the page's elements, neither in the markup nor in the embedded JSON.
  CHECK(html.find("</script><b>") == std::string::npos);
  CHECK(html.find("&lt;/script&gt;&lt;b&gt;") != std::string::npos);
  CHECK(html.find("<\\/script><b>") != std::string::npos);
}

TEST_CASE("the HTML report of a job without failure says so and maps nothing", "[report][html]") {
  diagnose::Diagnosis d;
  d.verdict.category = "none";
  d.completion = {{"node-a", "node-a.log", 900, "Training completed.", at(300, "2024-03-01T10:04:00.000")}};
  const auto html = report::render_html(d);
  CHECK(html.find("the job completed") != std::string::npos);
  CHECK(html.find("Training completed.") != std::string::npos);
  CHECK(html.find("class=\"hm-row") == std::string::npos);
  CHECK(html.find("No failure: nothing to map.") != std::string::npos);
}

TEST_CASE("moments read as ISO-8601 where dated, job-relative otherwise", "[report][html]") {
  CHECK(report::moment_text(at(12.5, "2024-03-01T10:01:40.000")) == "2024-03-01T10:01:40.000");
  CHECK(report::moment_text(at(3725.25)) == "+01:02:05.250");
  CHECK(report::moment_text(at(90000)) == "+1d01:00:00.000");
  CHECK(report::moment_text(diagnose::Moment{}).empty());
  CHECK(report::to_json(diagnose::Moment{}).is_null());
  CHECK(report::to_json(at(1.23456)) == report::Json{{"iso", nullptr}, {"offset_s", 1.235}});
}
