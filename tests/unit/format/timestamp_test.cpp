#include <catch2/catch.hpp>

#include "l4/format/timestamp.hpp"

using l4::format::parse_timestamp;

TEST_CASE("timestamps of different stacks land on one time axis", "[format][timestamp]") {
  const auto py = parse_timestamp("2023-03-21 02:07:08,408");
  const auto glog = parse_timestamp("321 02:07:08.408271257");
  const auto glog4 = parse_timestamp("0321 02:07:09.000000");
  const auto sys = parse_timestamp("Mar 21 02:07:10");
  REQUIRE(py);
  REQUIRE(glog);
  REQUIRE(glog4);
  REQUIRE(sys);
  CHECK(*glog == Approx(*py).margin(0.001));
  CHECK(*glog4 - *py == Approx(0.592).margin(0.001));
  CHECK(*sys - *py == Approx(1.592).margin(0.001));
  CHECK(*parse_timestamp("2023-06-02T00:34:14.470Z") - *parse_timestamp("2023-06-02 00:34:14,000") ==
        Approx(0.47));
  CHECK(parse_timestamp("Jun  2 00:34:14"));
  CHECK(parse_timestamp("081109 203615"));
}

TEST_CASE("uptime stamps and junk are not absolute timestamps", "[format][timestamp]") {
  CHECK_FALSE(parse_timestamp("1843.308145"));
  CHECK_FALSE(parse_timestamp(""));
  CHECK_FALSE(parse_timestamp("2023-13-02 00:34:14"));
  CHECK_FALSE(parse_timestamp("hello world, not a time"));
}
