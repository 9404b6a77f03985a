#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pipeline/parallel_rows.hpp"

using l4::pipeline::ParallelRows;

namespace {

// Rows "<seq>:<text>\n"; every seventh line is left to the serial step, which marks it "S".
struct Rows {
  std::string written;
  std::size_t writes = 0;

  void run(unsigned threads, std::size_t lines, std::size_t width) {
    ParallelRows rows(
        threads,
        [](const ParallelRows::Line& line, unsigned, std::string& out) {
          if (line.seq % 7 == 3) {
            out += "partial output, dropped";  // what `make` wrote before giving up is not kept
            return false;
          }
          out += std::to_string(line.seq) + ':' + std::string(line.text) + '\n';
          return true;
        },
        [](const ParallelRows::Line& line, std::string& out) {
          out += 'S' + std::to_string(line.seq) + ':' + std::string(line.text) + '\n';
        },
        [this](std::string_view bytes) {
          written.append(bytes);
          ++writes;
        });
    for (std::size_t i = 0; i < lines; ++i) {
      rows.add({std::string(width, static_cast<char>('a' + i % 26)), i + 1, 0});
    }
    rows.finish();
  }
};

std::string expected(std::size_t lines, std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < lines; ++i) {
    if (i % 7 == 3) out += 'S';
    out += std::to_string(i) + ':' + std::string(width, static_cast<char>('a' + i % 26)) + '\n';
  }
  return out;
}

}  // namespace

TEST_CASE("parallel rows come out in input order on any number of threads, batches reused", "[pipeline]") {
  // 40,000 lines of 100 bytes: about 16 batches of 256 KB, more than are ever in flight on two
  // or three threads, so written batches are filled again
  const std::size_t lines = 40000;
  const std::size_t width = 100;
  for (const unsigned threads : {1U, 2U, 3U}) {
    Rows r;
    r.run(threads, lines, width);
    INFO("threads " << threads);
    CHECK(r.written == expected(lines, width));
  }
}

TEST_CASE("one thread writes rows about a megabyte at a time, and finish() writes the rest", "[pipeline]") {
  Rows r;
  r.run(1, 40000, 100);  // about 4.2 MB of rows
  CHECK(r.written == expected(40000, 100));
  CHECK(r.writes >= 4);
  CHECK(r.writes <= 5);
  Rows small;
  small.run(1, 3, 10);
  CHECK(small.written == expected(3, 10));
  CHECK(small.writes == 1);
}
