// LineTemplate: compiling table lines into literal and variable segments.
#include "simulate/line_template.hpp"

#include <catch2/catch.hpp>

#include "l4/error.hpp"

using l4::simulate::compile_block;
using l4::simulate::compile_line;
using l4::simulate::Var;

TEST_CASE("table lines compile into literals and variables", "[simulate]") {
  const auto t = compile_line("{host}:{pid}:{tid} [{gpu}] NCCL INFO Bootstrap", "test");
  CHECK_FALSE(t.evidence);
  REQUIRE(t.segments.size() == 8);
  CHECK(t.segments[0].var == Var::host);
  CHECK(t.segments[1].var == Var::literal);
  CHECK(t.segments[1].text == ":");
  CHECK(t.segments[7].text == "] NCCL INFO Bootstrap");
}

TEST_CASE("'!' marks evidence and doubled braces are literal", "[simulate]") {
  const auto t = compile_line("!{{'loss': {loss}}}", "test");
  CHECK(t.evidence);
  REQUIRE(t.segments.size() == 3);
  CHECK(t.segments[0].text == "{'loss': ");
  CHECK(t.segments[1].var == Var::loss);
  CHECK(t.segments[2].text == "}");
}

TEST_CASE("unknown variables and stray braces fail naming the entry", "[simulate]") {
  try {
    compile_line("value {nope}", "megatron.log_rank0");
    FAIL("no error");
  } catch (const l4::Error& e) {
    CHECK(std::string(e.what()).find("megatron.log_rank0") != std::string::npos);
    CHECK(std::string(e.what()).find("{nope}") != std::string::npos);
  }
  CHECK_THROWS_AS(compile_line("open {host", "x"), l4::Error);
  CHECK_THROWS_AS(compile_line("close } brace", "x"), l4::Error);
}

TEST_CASE("blocks are one string or an array of strings", "[simulate]") {
  CHECK(compile_block(nlohmann::json("one"), "x").size() == 1);
  CHECK(compile_block(nlohmann::json::array({"a", "!b", "c"}), "x").size() == 3);
  CHECK(compile_block(nlohmann::json::array({"a", "!b"}), "x")[1].evidence);
  CHECK_THROWS_AS(compile_block(nlohmann::json(3), "x"), l4::Error);
}
