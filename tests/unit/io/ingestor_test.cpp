#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "l4/error.hpp"
#include "l4/io/ingestor.hpp"
#include "support/test_support.hpp"

using namespace l4::io;

namespace {

struct Line {
  std::string node, file, raw, content;
  std::uint64_t line_no, offset;
  NodeRule rule;
  int rank;
  std::uint8_t flags;
};

struct Read {
  std::vector<Line> lines;
  IngestSummary summary;
};

Read ingest(const std::vector<std::string>& paths, IngestOptions options = {}) {
  Ingestor ingestor(options);
  Read r;
  const auto inputs = ingestor.discover(paths);
  r.summary = ingestor.read_all(inputs, [&](const LineRecord& l) {
    r.lines.push_back({std::string(l.node), std::string(l.file), std::string(l.raw),
                       std::string(l.content), l.line_no, l.offset, l.rule, l.rank, l.flags});
  });
  return r;
}

}  // namespace

TEST_CASE("a job directory gives node ids from paths, in a deterministic order", "[io][ingest]") {
  l4::test::TempDir dir;
  dir.write("node-10.log", "ten\n");
  dir.write("node-2.log", "two a\ntwo b\n");
  dir.write("worker-7/stdout.log", "seven\n");
  dir.write(".hidden/x.log", "hidden\n");
  auto r = ingest({dir.path().string()});
  REQUIRE(r.lines.size() == 4);
  CHECK(r.lines[0].node == "node-2");
  CHECK(r.lines[0].file == "node-2.log");
  CHECK(r.lines[1].line_no == 2);
  CHECK(r.lines[1].offset == 6);
  CHECK(r.lines[2].node == "node-10");
  CHECK(r.lines[3].node == "worker-7");
  CHECK(r.lines[3].rule == NodeRule::path);
  REQUIRE(r.summary.nodes.size() == 3);
  CHECK(r.summary.nodes[0].node == "node-2");
  CHECK(r.summary.total.used == 4);
}

TEST_CASE("a merged file with mixed launcher prefixes is attributed line by line; ranks are not nodes", "[io][ingest]") {
  l4::test::TempDir dir;
  const std::string text =
      "worker-3: [rank13]:[E321 02:07:08.408 ProcessGroupNCCL.cpp:607] timeout\n"
      "10.0.0.5: NCCL INFO Bootstrap\n"
      "11: iteration 7/ 100\n"
      "[rank4]:loss 1.5\n"
      "[default2]:warmup\n"
      "[1,6]<stdout>:mpi says hi\n"
      "worker-3: second line of worker-3\n"
      "no prefix at all\n";
  const auto path = dir.write("job.log", text);
  auto r = ingest({path.string()});
  REQUIRE(r.lines.size() == 8);
  // Host prefixes name nodes; rank prefixes (torchrun, srun -l, OpenMPI) name processes, which
  // stay on the file's node with their rank recorded.
  const std::vector<std::pair<std::string, NodeRule>> expected{
      {"worker-3", NodeRule::pdsh}, {"10.0.0.5", NodeRule::pdsh}, {"job", NodeRule::path},
      {"job", NodeRule::path},      {"job", NodeRule::path},      {"job", NodeRule::path},
      {"worker-3", NodeRule::pdsh}, {"job", NodeRule::path}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("line " << i + 1 << ": " << r.lines[i].raw);
    CHECK(r.lines[i].node == expected[i].first);
    CHECK(r.lines[i].rule == expected[i].second);
  }
  CHECK(r.lines[0].content == "[E321 02:07:08.408 ProcessGroupNCCL.cpp:607] timeout");
  CHECK(r.lines[0].raw.starts_with("worker-3: [rank13]:"));
  CHECK(r.lines[0].rank == 13);
  CHECK(r.lines[2].content == "iteration 7/ 100");
  CHECK(r.lines[2].rank == 11);
  CHECK(r.lines[3].rank == 4);
  CHECK(r.lines[5].rank == 6);
  CHECK(r.summary.files[0].merged);
  CHECK(r.summary.nodes.size() == 3);
}

TEST_CASE("rank prefixes in one of many per-node files keep the path's node", "[io][ingest]") {
  l4::test::TempDir dir;
  dir.write("node-1.log", "[rank0]:a\n[rank1]:b\n");
  dir.write("node-2.log", "[rank2]:c\n");
  auto r = ingest({dir.path().string()});
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[1].node == "node-1");
  CHECK(r.lines[1].rank == 1);
  CHECK(r.lines[1].content == "b");
  CHECK(r.lines[2].node == "node-2");
}

TEST_CASE("ordinary 'word: ' lines are not mistaken for pdsh prefixes", "[io][ingest]") {
  l4::test::TempDir dir;
  const auto path = dir.write("app.log",
                              "Traceback: x\nepoch1: y\nINFO: z\nplain line\nanother plain line\n");
  auto r = ingest({path.string()});
  REQUIRE(r.lines.size() == 5);
  for (const auto& l : r.lines) CHECK(l.node == "app");
  CHECK(r.lines[1].content == "epoch1: y");
}

TEST_CASE("CRLF, blank lines, invalid UTF-8 and over-long lines are accounted for", "[io][ingest]") {
  l4::test::TempDir dir;
  const std::string bad = "bad \xff\xfe bytes";
  const auto path = dir.write("n1.log", "first\r\n\n   \n" + bad + "\n" + std::string(100, 'x') + "\nlast");
  IngestOptions options;
  options.max_line_bytes = 50;
  auto r = ingest({path.string()}, options);
  REQUIRE(r.lines.size() == 4);
  CHECK(r.lines[0].raw == "first");
  CHECK((r.lines[0].flags & kCrlf) != 0);
  CHECK(r.lines[1].raw == bad);  // byte-exact
  CHECK((r.lines[1].flags & kInvalidUtf8) != 0);
  CHECK(r.lines[2].raw.size() == 50);
  CHECK((r.lines[2].flags & kTruncated) != 0);
  CHECK(r.lines[3].raw == "last");
  CHECK(r.lines[3].line_no == 6);
  const auto& c = r.summary.total;
  CHECK(c.read == 6);
  CHECK(c.used == 4);
  CHECK(c.skipped_blank == 2);
  CHECK(c.invalid_utf8 == 1);
  CHECK(c.truncated == 1);
  CHECK(c.crlf == 1);
  CHECK(c.read == c.used + c.skipped());
}

TEST_CASE("gzip is detected by magic bytes, concatenated members are read", "[io][ingest]") {
  l4::test::TempDir dir;
  dir.write("node-1.data", l4::test::gzip("a\nb\n") + l4::test::gzip("c\n"));
  auto r = ingest({(dir.path() / "node-1.data").string()});
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[2].raw == "c");
  CHECK(r.lines[2].line_no == 3);
  CHECK(r.summary.files[0].gzip);
  CHECK(r.summary.files[0].status == FileStatus::ok);
}

TEST_CASE("a truncated gzip keeps the lines before the cut and says so", "[io][ingest]") {
  l4::test::TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line number " + std::to_string(i) + " of the log\n";
  const std::string gz = l4::test::gzip(text);
  const auto path = dir.write("node-1.log.gz", gz.substr(0, gz.size() / 2));
  auto r = ingest({path.string()});
  CHECK(r.summary.files[0].status == FileStatus::truncated_gzip);
  CHECK(r.summary.files[0].message.find("truncated gzip") != std::string::npos);
  CHECK(r.lines.size() > 100);
  CHECK(r.lines.size() < 20000);
  CHECK(r.lines.front().raw == "line number 0 of the log");
}

TEST_CASE("binary files are skipped with their lines counted, and are no node", "[io][ingest]") {
  l4::test::TempDir dir;
  dir.write("node-1.log", "ok\n");
  dir.write("core.4711", std::string("\x7f" "ELF\0\0\n\n\x01", 9));
  auto r = ingest({dir.path().string()});
  CHECK(r.lines.size() == 1);
  const auto& bin = r.summary.files[0].path == "core.4711" ? r.summary.files[0] : r.summary.files[1];
  CHECK(bin.status == FileStatus::binary);
  CHECK(bin.counts.skipped_binary == 3);
  CHECK(bin.node.empty());
  CHECK(bin.nodes.empty());
  CHECK(r.summary.total.read == 4);
  REQUIRE(r.summary.nodes.size() == 1);
  CHECK(r.summary.nodes[0].node == "node-1");
}

TEST_CASE("a 10 MB single line is truncated, not held whole", "[io][ingest]") {
  l4::test::TempDir dir;
  const auto path = dir.write("node-1.log", std::string(10 << 20, 'y') + "\nafter\n");
  auto r = ingest({path.string()});
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].raw.size() == 64 * 1024);
  CHECK(r.lines[1].raw == "after");
  CHECK(r.lines[1].offset == (10u << 20) + 1);
  CHECK(r.summary.total.truncated == 1);
}

TEST_CASE("missing paths and empty directories are input errors naming the path", "[io][ingest]") {
  Ingestor ingestor;
  std::vector<std::string> missing{"/nonexistent/l4/job"};
  CHECK_THROWS_WITH(ingestor.discover(missing), Catch::Contains("/nonexistent/l4/job"));
  l4::test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty");
  std::vector<std::string> empty{(dir.path() / "empty").string()};
  CHECK_THROWS_AS(ingestor.discover(empty), l4::InputError);
}

TEST_CASE("an empty file is reported as empty with zero lines", "[io][ingest]") {
  l4::test::TempDir dir;
  const auto path = dir.write("node-1.log", "");
  auto r = ingest({path.string()});
  CHECK(r.lines.empty());
  CHECK(r.summary.files[0].status == FileStatus::empty);
  CHECK(r.summary.total.read == 0);
}

TEST_CASE("1,000 tiny files are all read and accounted", "[io][ingest]") {
  l4::test::TempDir dir;
  for (int i = 0; i < 1000; ++i) dir.write("rank_" + std::to_string(i) + ".log", "hello\n");
  auto r = ingest({dir.path().string()});
  CHECK(r.lines.size() == 1000);
  CHECK(r.summary.nodes.size() == 1000);
  CHECK(r.summary.nodes.front().node == "rank_0");
  CHECK(r.summary.nodes.back().node == "rank_999");
}

TEST_CASE("sampling stops a file after the requested number of used lines", "[io][ingest]") {
  l4::test::TempDir dir;
  dir.write("node-1.log", "a\n\nb\nc\nd\n");
  dir.write("node-2.log", "e\nf\n");
  IngestOptions options;
  options.stop_after_lines = 2;
  auto r = ingest({dir.path().string()}, options);
  REQUIRE(r.lines.size() == 4);
  CHECK(r.lines[1].raw == "b");
  CHECK(r.lines[2].raw == "e");
}

TEST_CASE("read progress counts the files found and the bytes and files read", "[io][ingest][progress]") {
  l4::test::TempDir dir;
  dir.write("node-1.log", "one\ntwo\n");
  dir.write("node-2.log", "three\n");
  ReadProgress progress;
  IngestOptions options;
  options.progress = &progress;
  Ingestor ingestor(options);
  const std::vector<std::string> paths{dir.path().string()};
  const auto inputs = ingestor.discover(paths);
  CHECK(progress.snapshot().files_total == 2);
  CHECK(progress.snapshot().files_done == 0);
  ingestor.read_all(inputs, [](const LineRecord&) {});
  const auto done = progress.snapshot();
  CHECK(done.files_done == 2);
  CHECK(done.bytes == 14);
}

TEST_CASE("what is a log is decided by content and name", "[io][ingest]") {
  l4::test::TempDir dir;
  // Documents: one JSON value, or the start of one; YAML by name; checkpoints by name.
  dir.write("truth.json", "{\n  \"job_id\": \"x\"\n}\n");
  dir.write("array", "  [1, 2,\n 3]");
  dir.write("big.json", "{\"lines\": [" + std::string(2 << 20, ' ') + "\"x\"]}");  // longer than the sniff
  dir.write("cfg.yml", "a: 1\n");
  dir.write("model.safetensors", "not read at all");
  // Logs: JSON Lines, lines that start with "[", text named .json, a file with a stray NUL.
  dir.write("events.jsonl", "{\"a\": 1}\n{\"a\": 2}\n");
  dir.write("metrics.json", "{\"step\": 1}\n{\"step\": 2}\n");
  dir.write("node-1.log", "[2023-06-02 00:34:14,470] [INFO] [logging.py:96:log_dist] hi\n[rank0]: x\n");
  dir.write("node-2.log", "[\n2024 is not JSON\n");
  dir.write("notes.json", "this is text\n");
  dir.write("node-3.log", std::string("ok line\nbad \0 byte\n", 19) + std::string(500, 'x') + "\n");
  auto r = ingest({dir.path().string()});
  std::map<std::string, FileStatus> status;
  for (const auto& f : r.summary.files) status[f.path] = f.status;
  CHECK(status["truth.json"] == FileStatus::document);
  CHECK(status["array"] == FileStatus::document);
  CHECK(status["big.json"] == FileStatus::document);
  CHECK(status["cfg.yml"] == FileStatus::document);
  CHECK(status["model.safetensors"] == FileStatus::checkpoint);
  for (const char* log : {"events.jsonl", "metrics.json", "node-1.log", "node-2.log", "notes.json", "node-3.log"}) {
    INFO(log);
    CHECK(status[log] == FileStatus::ok);
  }
  for (const auto& f : r.summary.files) {
    if (is_skipped(f.status)) {
      CHECK(f.nodes.empty());
      CHECK(f.node.empty());
    }
  }
  CHECK(r.summary.total.nul == 1);
  CHECK(r.summary.total.used == 2 + 2 + 2 + 2 + 1 + 3);
}

TEST_CASE("a file is judged binary by its share of odd bytes, not by one NUL", "[io][ingest]") {
  l4::test::TempDir dir;
  std::string latin1;
  for (int i = 0; i < 50; ++i) latin1 += "d\xe9j\xe0 vu: caf\xe9 ferm\xe9\n";  // a few Latin-1 letters: text
  dir.write("latin1.log", latin1);
  std::string random;
  for (int i = 0; i < 4096; ++i) random.push_back(static_cast<char>((i * 2654435761U) >> 13));
  dir.write("random.log", random);
  dir.write("utf16.log", std::string("h\0i\0\n\0", 6));
  auto r = ingest({dir.path().string()});
  std::map<std::string, FileStatus> status;
  for (const auto& f : r.summary.files) status[f.path] = f.status;
  CHECK(status["latin1.log"] == FileStatus::ok);
  CHECK(status["random.log"] == FileStatus::binary);
  CHECK(status["utf16.log"] == FileStatus::binary);
}

TEST_CASE("a lone stream input is read once and flagged so that nobody samples it", "[io][ingest]") {
  Ingestor ingestor;
  const std::string paths[] = {"-", "/dev/stdin"};
  const auto inputs = ingestor.discover(paths);
  REQUIRE(inputs.size() == 2);
  CHECK(inputs[0].stream);
  CHECK(inputs[0].node == "stdin");
}

TEST_CASE("the directory walk follows linked directories once and lists what it cannot read", "[io][ingest]") {
  l4::test::TempDir dir;
  dir.write("job/node-1/a.log", "one\n");
  dir.write("store/node-2-real/a.log", "two\n");
  std::filesystem::create_directory_symlink(dir.path() / "store" / "node-2-real", dir.path() / "job" / "node-2");
  std::filesystem::create_directory_symlink(dir.path() / "job", dir.path() / "job" / "node-1" / "up");
  std::filesystem::create_symlink(dir.path() / "gone.log", dir.path() / "job" / "node-3.log");
  auto r = ingest({(dir.path() / "job").string()});
  REQUIRE(r.summary.files.size() == 3);
  CHECK(r.summary.files[0].path == "node-1/a.log");
  CHECK(r.summary.files[1].path == "node-2/a.log");
  CHECK(r.summary.files[1].node == "node-2");
  CHECK(r.summary.files[2].path == "node-3.log");
  CHECK(r.summary.files[2].status == FileStatus::unreadable);
  CHECK(r.summary.files[2].message == "broken symbolic link");
  CHECK(r.summary.nodes_missing_logs() == std::vector<std::string>{"node-3"});
  CHECK(r.summary.total.used == 2);
}
