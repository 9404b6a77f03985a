// parse_input_gen: replicates a log's lines with fresh parameter values into a large file, for the
// `l4 parse` throughput benchmark (bench_parse.sh). Every digit run of every line gets new random
// digits of the same length in each replica (the first digit of a multi-digit run stays non-zero),
// so the output keeps the system's templates while no line repeats verbatim.
// With --unique every digit run becomes random lowercase letters instead (same length), so the
// variable parts escape masking and every output line is a distinct masked line — the worst case
// for mining (request ids, hashes and names that masking cannot recognise).
//   parse_input_gen SRC.log OUT.log LINES [SEED] [--unique]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  bool unique = false;
  if (argc > 4 && std::string(argv[argc - 1]) == "--unique") {
    unique = true;
    --argc;
  }
  if (argc < 4) {
    std::cerr << "usage: parse_input_gen SRC.log OUT.log LINES [SEED] [--unique]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "parse_input_gen: cannot read " << argv[1] << "\n";
    return 2;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(line);
  }
  if (lines.empty()) {
    std::cerr << "parse_input_gen: no lines in " << argv[1] << "\n";
    return 2;
  }
  const std::uint64_t target = std::strtoull(argv[3], nullptr, 10);
  std::uint64_t state = argc > 4 ? std::strtoull(argv[4], nullptr, 10) * 0x9E3779B97F4A7C15ULL + 1 : 88172645463325252ULL;
  auto next = [&state]() {  // xorshift64
    state ^= state << 13U;
    state ^= state >> 7U;
    state ^= state << 17U;
    return state;
  };
  std::FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr) {
    std::cerr << "parse_input_gen: cannot write " << argv[2] << "\n";
    return 2;
  }
  std::string buf;
  std::uint64_t written = 0;
  while (written < target) {
    for (const auto& line : lines) {
      buf = line;
      for (std::size_t i = 0; i < buf.size();) {
        if (buf[i] < '0' || buf[i] > '9') {
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j < buf.size() && buf[j] >= '0' && buf[j] <= '9') ++j;
        for (std::size_t k = i; k < j; ++k) {
          if (unique) {
            buf[k] = static_cast<char>('a' + next() % 26U);
            continue;
          }
          const auto r = next() % 10U;
          buf[k] = static_cast<char>('0' + ((k == i && j - i > 1 && r == 0) ? 1U : r));
        }
        i = j;
      }
      buf.push_back('\n');
      std::fwrite(buf.data(), 1, buf.size(), out);
      if (++written >= target) break;
    }
  }
  if (std::fclose(out) != 0) {
    std::cerr << "parse_input_gen: write failed\n";
    return 2;
  }
  return 0;
}
