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

TEST_CASE("a time of year is dated with the year a line prints", "[format][timestamp]") {
  using l4::format::iso_timestamp;
  using l4::format::stamped_year;
  const auto t = parse_timestamp("2024-02-09 22:46:06,667");
  REQUIRE(t);
  CHECK(iso_timestamp(*t, 2024) == "2024-02-09T22:46:06.667");
  CHECK(iso_timestamp(*t, std::nullopt) == "--02-09T22:46:06.667");
  CHECK(iso_timestamp(*parse_timestamp("Dec 31 23:59:59"), 2023) == "2023-12-31T23:59:59.000");
  CHECK(iso_timestamp(*parse_timestamp("0101 00:00:00.0004"), 2024) == "2024-01-01T00:00:00.000");
  CHECK(iso_timestamp(-1, 2024).empty());
  // The year comes from the stamp whose time it is, wherever the line prints it.
  CHECK(stamped_year("[rank3]:[2024-02-09 22:46:06,667] [ERROR] [engine.py:1] boom", *t) == 2024);
  CHECK(stamped_year("[2023-02-09 22:46:06,667] restating an older date", *t) == 2023);
  CHECK_FALSE(stamped_year("[2024-02-09 22:47:06,667] a minute later", *t));
  CHECK_FALSE(stamped_year("E0209 22:46:06.667000 glog has no year", *t));
  CHECK_FALSE(stamped_year("", *t));
}
