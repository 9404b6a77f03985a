#include <catch2/catch.hpp>
#include <random>

#include "l4/parse/token_masker.hpp"

using l4::parse::TokenMasker;

TEST_CASE("masker: digit runs, addresses and typed variables become <*>", "[parse][mask]") {
  const TokenMasker m;
  CHECK(m.mask("42") == "<*>");
  CHECK(m.mask("10.251.42.84:50010") == "<*>:<*>");
  CHECK(m.mask("/10.10.34.11:45307") == "<*>:<*>");
  CHECK(m.mask("/var/log/app.log") == "<*>");
  CHECK(m.mask("/var/www/html/") == "<*>");
  CHECK(m.mask("0x7f3a") == "<*>");
  CHECK(m.mask("3fa85f6457174562") == "<*>");
  CHECK(m.mask("123e4567-e89b-12d3-a456-426614174000") == "<*>");
  CHECK(m.mask("blk_-6952295868487656571") == "<*>");
  CHECK(m.mask("job_1445062781478_0011") == "<*>");
  CHECK(m.mask("12ms") == "<*>");
  CHECK(m.mask("3.5GB") == "<*>");
  CHECK(m.mask("-2") == "<*>");
  CHECK(m.mask("true") == "<*>");
  CHECK(m.mask("hdfs://10.0.0.1:9000/user/x") == "hdfs://<*>");
  CHECK(m.mask("proxy.cse.example.edu:5070") == "<*>:<*>");
  CHECK(m.mask("FF:F2:9F:16:E2:A0") == "<*>");
  CHECK(m.mask("mLp(FF:F2:9F:16:CF:A0),") == "mLp(<*>),");
  CHECK(m.mask("00-1b-21-3a-4f-5c") == "<*>");
}

TEST_CASE("masker: comparison signs separate the number they qualify", "[parse][mask]") {
  const TokenMasker m;
  CHECK(m.mask("<1") == "<<*>");
  CHECK(m.mask(">=500") == ">=<*>");
  CHECK(m.mask("(<5)") == "(<<*>)");
  CHECK(m.mask("a->b") == "a->b");
  CHECK(m.mask("<init>") == "<init>");
  for (const char* token : {"<<*>", "<*>><*>", "x<*>"}) {
    INFO(token);
    CHECK(m.mask(m.mask(token)) == m.mask(token));
  }
}

TEST_CASE("masker: plain words stay, boolean words inside them are still found", "[parse][mask]") {
  const TokenMasker m;
  CHECK(m.mask("enabled=true") == "enabled=<*>");
  CHECK(m.mask("(NULL)") == "(<*>)");
  CHECK(m.mask("flag,False;") == "flag,<*>;");
  for (const char* word : {"trueish", "nullify", "Falsely", "state=RUNNING", "a_b_c"}) {
    INFO(word);
    CHECK(m.mask(word) == word);
  }
}

TEST_CASE("masker: keeps the template text around variables", "[parse][mask]") {
  const TokenMasker m;
  CHECK(m.mask("node-246") == "node-<*>");
  CHECK(m.mask("(HWID=1973)") == "(HWID=<*>)");
  CHECK(m.mask("uid=0") == "uid=<*>");
  CHECK(m.mask("'attempt_201706092018_0025_m_000001_1180'") == "'<*>'");
  CHECK(m.mask("43,") == "<*>,");
}

TEST_CASE("masker: status words, error names and exception classes stay", "[parse][mask]") {
  const TokenMasker m;
  for (const char* word : {"FAILED", "ERROR", "NullPointerException", "java.io.IOException", "ssh2",
                           "[preauth]", "NCCL_TIMEOUT", "CUDA_ERROR_ILLEGAL_ADDRESS", "alt0", "ok"}) {
    INFO(word);
    CHECK(m.mask(word) == word);
  }
}

TEST_CASE("masker: masking is idempotent, so masked tokens are canonical template text", "[parse][mask]") {
  const TokenMasker m;
  for (const char* token : {"10.251.42.84:50010", "node-246", "(HWID=1973)", "blk_<*>", "<*>.<*>", "<*><*>:<*>",
                            "x=1.5,y=2", "'<*>'", "a/<*>"}) {
    const std::string once = m.mask(token);
    INFO(token << " -> " << once);
    CHECK(m.mask(once) == once);
  }
  CHECK(m.mask("blk_<*>") == "<*>");
  CHECK(m.mask("<*>.<*>") == "<*>");
  CHECK(m.mask("<*><*>:<*>") == "<*>:<*>");
}

TEST_CASE("masker: patterns are data; bad patterns are reported", "[parse][mask]") {
  const TokenMasker none(R"({"patterns": []})");
  CHECK(none.pattern_names().empty());
  CHECK(none.mask("12ms") == "12ms");   // no typed pattern: only the digit rule applies
  CHECK(none.mask("12") == "<*>");
  CHECK_THROWS(TokenMasker(R"({"patterns": [{"name": "bad", "regex": "("}]})"));
  CHECK_THROWS(TokenMasker("not json"));
  const TokenMasker builtin;
  CHECK(builtin.pattern_names().size() >= 5);
}

TEST_CASE("tokenize splits on whitespace runs without empty tokens", "[parse][mask]") {
  std::vector<std::string_view> toks;
  l4::parse::tokenize("  boot  (command 4223)\t x ", toks);
  REQUIRE(toks.size() == 4);
  CHECK(toks[0] == "boot");
  CHECK(toks[1] == "(command");
  CHECK(toks[2] == "4223)");
  CHECK(toks[3] == "x");
  l4::parse::tokenize("", toks);
  CHECK(toks.empty());
}

TEST_CASE("masker: tokens of one digit shape mask alike (the miner's shape cache relies on it)", "[parse][mask]") {
  const TokenMasker m;
  REQUIRE(m.digit_blind());
  CHECK_FALSE(TokenMasker(R"({"patterns": [{"name": "port", "regex": "port[1-9]"}]})").digit_blind());
  CHECK(TokenMasker(R"({"patterns": [{"name": "hex", "regex": "0[xX][0-9a-f]{2,}"}]})").digit_blind());
  std::string shape;
  l4::parse::digit_shape("0x1f:10.2.0.7", shape);
  CHECK(shape == "0x1f:11.1.1.1");
  l4::parse::digit_shape("blk_-1608999687919862906", shape);
  CHECK(shape == "blk_-1111111111111111111");
  // every token whose masked form has no digit masks the same when its digits change (0 before x kept)
  const std::vector<std::string> tokens = {
      "10.250.19.102:50010", "blk_-1608999687919862906", "0x1f", "0X00AB", "12ms", "3.5GB", "-7", "+3.25",
      "v2.1.0", "job_1445062781478_0011", "/mnt/hadoop/dfs/data/current/subdir52", "3fa85f6457174562",
      "123e4567-e89b-12d3-a456-426614174000", "(size=4096)", "user=u123", "port:8080,", "[rank3]:", "step_10/model.pt",
      "node-03.cluster.example.com", "<1", ">=500", "x86_64", "gpu0", "100%", "FF:F2:9F:16:E2:A0"};
  std::mt19937 rng(3);
  for (const auto& token : tokens) {
    const std::string masked = m.mask(token);
    for (int round = 0; round < 20; ++round) {
      std::string other = token;
      for (std::size_t i = 0; i < other.size(); ++i) {
        const bool hex_zero = other[i] == '0' && i + 1 < other.size() && (other[i + 1] == 'x' || other[i + 1] == 'X');
        if (other[i] >= '0' && other[i] <= '9' && !hex_zero) other[i] = static_cast<char>('0' + rng() % 10);
      }
      std::string a, b;
      l4::parse::digit_shape(token, a);
      l4::parse::digit_shape(other, b);
      REQUIRE(a == b);
      if (masked.find_first_of("0123456789") != std::string::npos) continue;  // keeps digits: no shape reuse
      INFO(token << " / " << other);
      CHECK(m.mask(other) == masked);
    }
  }
}

TEST_CASE("tokenize splits on runs of ASCII whitespace, lines of any length", "[parse][tokenize]") {
  // the reference: byte by byte
  const auto reference = [](std::string_view text) {
    std::vector<std::string_view> out;
    const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && space(text[i])) ++i;
      const std::size_t start = i;
      while (i < text.size() && !space(text[i])) ++i;
      if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
  };
  std::mt19937 rng(17);
  const std::string alphabet = std::string("ab1 \t\n\v\f\r\x08\x0e\x1f!\x80\xff", 16);
  std::vector<std::string_view> got;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const std::size_t n = rng() % 300;  // across several 64-byte blocks
    const bool sparse = rng() % 2 == 0;  // long tokens, or many short ones
    for (std::size_t i = 0; i < n; ++i) text.push_back(sparse && rng() % 8 != 0 ? 'x' : alphabet[rng() % alphabet.size()]);
    l4::parse::tokenize(text, got);
    INFO(round);
    REQUIRE(got == reference(text));
  }
}
