#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "l4/io/utf8.hpp"

using l4::io::is_valid_utf8;

TEST_CASE("UTF-8 validation", "[io][utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii text that is longer than eight bytes"));
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ok"));
  CHECK_FALSE(is_valid_utf8("bad \xff byte"));
  CHECK_FALSE(is_valid_utf8("truncated \xe2\x82"));
  CHECK_FALSE(is_valid_utf8("overlong \xc0\xaf"));
  CHECK_FALSE(is_valid_utf8("surrogate \xed\xa0\x80"));
  CHECK_FALSE(is_valid_utf8("too big \xf4\x90\x80\x80"));
  CHECK_FALSE(is_valid_utf8("lone continuation \x80 here"));
}

TEST_CASE("invalid bytes become U+FFFD, one per byte, counted", "[io][utf8]") {
  std::uint64_t replaced = 0;
  CHECK(l4::io::to_valid_utf8("plain", &replaced) == "plain");
  CHECK(replaced == 0);
  CHECK(l4::io::to_valid_utf8("a\xff" "b\xc3\x28" "c", &replaced) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD(c");
  CHECK(replaced == 2);
  CHECK(l4::io::to_valid_utf8("caf\xc3\xa9 \xe2\x82", &replaced) == "caf\xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(replaced == 4);
  CHECK(l4::io::is_valid_utf8(l4::io::to_valid_utf8("\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf")));
}

TEST_CASE("a quote is cut on a character boundary", "[io][utf8]") {
  const std::string text = "ab\xe6\x98\xbe\xe5\xad\x98";  // "ab" and two 3-byte characters
  CHECK(l4::io::utf8_prefix(text, 100) == text);
  CHECK(l4::io::utf8_prefix(text, 2) == "ab");
  CHECK(l4::io::utf8_prefix(text, 3) == "ab");
  CHECK(l4::io::utf8_prefix(text, 4) == "ab");
  CHECK(l4::io::utf8_prefix(text, 5) == "ab\xe6\x98\xbe");
  CHECK(l4::io::utf8_prefix(text, 7) == "ab\xe6\x98\xbe");
  CHECK(l4::io::utf8_prefix("\x80\x80\x80\x80\x80", 4).size() == 4);  // not UTF-8: cut where asked
}

TEST_CASE("file names are escaped to one valid line, different names staying different", "[io][utf8]") {
  CHECK(l4::io::escape_path("node-03/rank_1.log") == "node-03/rank_1.log");
  CHECK(l4::io::escape_path("gpu-\xc3\xa9t\xc3\xa9.log") == "gpu-\xc3\xa9t\xc3\xa9.log");
  CHECK(l4::io::escape_path("node-03\xff.log") == "node-03\\xff.log");
  CHECK(l4::io::escape_path("a\nb\tc\x1b") == "a\\x0ab\\x09c\\x1b");
  CHECK(l4::io::escape_path("a\\xff") == "a\\\\xff");  // a literal backslash is escaped too
  CHECK(l4::io::escape_path("a\\xff") != l4::io::escape_path("a\xff"));
}
