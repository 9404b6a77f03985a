#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "l4/error.hpp"
#include "l4/report/parse_report.hpp"

using namespace l4;

TEST_CASE("a parsed line as a Loghub CSV row quotes fields and lists parameters Python-style",
          "[report][parse]") {
  const std::vector<std::string_view> params{"it's", "a,b"};
  const report::ParsedLine line{"logs/n1.log", 7, "say \"hi\", it's a,b", 0x1234, "say <*>, <*>", &params};
  std::string row;
  report::append_csv_row(row, line, report::CsvLayout{});
  CHECK(row == "7,\"say \"\"hi\"\", it's a,b\",0000000000001234,\"say <*>, <*>\",\"['it\\'s', 'a,b']\"\n");
  row.clear();
  report::append_csv_row(row, line, report::csv_layout(true, {}));
  CHECK(row.rfind("logs/n1.log,7,", 0) == 0);
  CHECK(report::parsed_csv_header(report::csv_layout(true, {})) ==
        "File,LineId,Content,EventId,EventTemplate,ParameterList\n");
  const auto j = report::to_json(line);
  CHECK(j["event_id"] == "0000000000001234");
  CHECK(j["parameters"][1] == "a,b");
}

TEST_CASE("with a Loghub format the CSV has its header columns, as Loghub's structured CSVs", "[report][parse]") {
  const auto layout = report::csv_layout(false, {"Date", "Time", "Level", "Component", "Content"});
  CHECK(report::parsed_csv_header(layout) == "LineId,Date,Time,Level,Component,Content,EventId,EventTemplate,ParameterList\n");
  const std::vector<std::string_view> params{"1"};
  const std::vector<std::string_view> fields{"081109", "203615", "INFO", "dfs.DataNode", "Receiving block 1"};
  report::ParsedLine line{"HDFS.log", 3, "Receiving block 1", 0x1, "Receiving block <*>", &params};
  line.fields = &fields;
  std::string row;
  report::append_csv_row(row, line, layout);
  CHECK(row == "3,081109,203615,INFO,dfs.DataNode,Receiving block 1,0000000000000001,Receiving block <*>,['1']\n");
  CHECK_THROWS_AS(report::csv_layout(false, {"EventId", "Content"}), l4::InputError);
}

TEST_CASE("templates are listed most frequent first, as JSON and as CSV", "[report][parse]") {
  parse::TemplateStore store;
  const auto rare = store.add("connection closed by <*>", 1);
  const auto common = store.add("step <*> done", 1);
  store.add_count(common, 4);
  (void)rare;
  const auto j = report::templates_json(store);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["template"] == "step <*> done");
  CHECK(j[0]["count"] == 5);
  const auto csv = report::templates_csv(store);
  CHECK(csv.rfind("EventId,EventTemplate,Occurrences\n", 0) == 0);
  CHECK(csv.find(",step <*> done,5\n") != std::string::npos);
}

TEST_CASE("the ParameterList field is quoted exactly when its list text needs it", "[report][parse]") {
  const auto list_field = [](std::vector<std::string_view> params) {
    const report::ParsedLine line{"f", 1, "c", 0x1, "t", &params};
    std::string row;
    report::append_csv_row(row, line, report::CsvLayout{});
    return row.substr(std::string_view("1,c,0000000000000001,t,").size());
  };
  CHECK(list_field({}) == "[]\n");
  CHECK(list_field({"x"}) == "['x']\n");
  CHECK(list_field({"a\\b"}) == "['a\\\\b']\n");              // backslash escaped, no quoting
  CHECK(list_field({"say \"x\""}) == "\"['say \"\"x\"\"']\"\n");  // one quote: quoted and doubled
  CHECK(list_field({"a\nb"}) == "\"['a\nb']\"\n");
  CHECK(list_field({"a", "b"}) == "\"['a', 'b']\"\n");         // the ", " between items
  CHECK(list_field({"it's \"q\"", "z"}) == "\"['it\\'s \"\"q\"\"', 'z']\"\n");
}
