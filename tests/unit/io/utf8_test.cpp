#include <catch2/catch.hpp>

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
