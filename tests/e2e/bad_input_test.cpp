// End-to-end: the messy and hostile input of issue 14, case by case — never an internal error,
// never input lost in silence. Each case checks the exit code, the message and the line
// accounting.
#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "l4/io/utf8.hpp"
#include "support/test_support.hpp"

using l4::test::fixture;
using l4::test::run_l4;
using l4::test::slurp;
using l4::test::run_l4_unprivileged;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A copy of the ECC fixture job (node-02 has the fault on line 53) under dir/name.
fs::path ecc_job(const l4::test::TempDir& dir, const std::string& name = "job") {
  const auto to = dir.path() / name;
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(fixture("diagnose/ecc-job"))) fs::copy_file(e.path(), to / e.path().filename());
  return to;
}

// Replaces line `n` (1-based) of `file`.
void replace_line(const fs::path& file, int n, const std::string& line) {
  std::istringstream in(slurp(file));
  std::string out, l;
  for (int i = 1; std::getline(in, l); ++i) out += (i == n ? line : l) + "\n";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << out;
}

// Makes a tree readable by others (unprivileged runs read it as nobody).
void open_to_others(const fs::path& root) {
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const bool dir = e.is_directory();
    fs::permissions(e.path(), dir ? fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                        fs::perms::others_read | fs::perms::others_exec
                                  : fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                        fs::perms::others_read);
  }
}

std::string sql(const fs::path& db, const std::string& statement) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  std::string out;
  sqlite3_exec(h, statement.c_str(), [](void* o, int, char** v, char**) {
    *static_cast<std::string*>(o) += v[0] != nullptr ? v[0] : "";
    return 0;
  }, &out, nullptr);
  sqlite3_close(h);
  return out;
}

void check_accounting(const json& lines) {
  CHECK(lines["read"].get<std::uint64_t>() ==
        lines["used"].get<std::uint64_t>() + lines["skipped"]["blank"].get<std::uint64_t>() +
            lines["skipped"]["binary"].get<std::uint64_t>());
}

constexpr const char* kReplacement = "\xEF\xBF\xBD";

}  // namespace

TEST_CASE("a reported line with an invalid UTF-8 byte: every command and format writes valid UTF-8",
          "[e2e][bad-input][utf8]") {
  l4::test::TempDir dir;
  const auto job = ecc_job(dir);
  replace_line(job / "node-02.log", 53,
               "[E301 10:03:18.123456789 CUDACachingAllocator.cpp:1] CUDA error: uncorrectable ECC error "
               "encountered on GPU \xff\xfe");
  const auto r = run_l4({"diagnose", "--no-history", job.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(l4::io::is_valid_utf8(r.out));
  const auto j = json::parse(r.out);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  CHECK(j["events"][0]["first"]["text"].get<std::string>().find(kReplacement) != std::string::npos);
  CHECK(j["inputs"]["lines"]["invalid_utf8"] == 1);
  check_accounting(j["inputs"]["lines"]);
  CHECK(r.err.find("invalid UTF-8 from the logs written as U+FFFD") != std::string::npos);

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"diagnose", "--no-history", "--format", "text", job.string()},
        {"extract", job.string()}, {"extract", "--format", "text", job.string()},
        {"extract", "--format", "jsonl", job.string()}, {"parse", job.string()},
        {"parse", "--format", "jsonl", job.string()}, {"parse", "--templates-only", "--format", "json", job.string()},
        {"parse", "--templates-only", "--format", "csv", job.string()}, {"ingest", "--format", "text", job.string()},
        {"diagnose", "--no-history", "--format", "html", job.string()},
        {"history", "add", "--force", "--db", (dir.path() / "h.db").string(), job.string()}}) {
    const auto o = run_l4(args);
    INFO(args[0] << " " << args[1] << " " << args.back());
    CHECK(o.exit_code == 0);
    CHECK(o.err.find("internal error") == std::string::npos);
    CHECK(l4::io::is_valid_utf8(o.out));
  }
  // The page says so too: its bytes were replaced while it was rendered, not while it was written.
  const auto html = run_l4({"diagnose", "--no-history", "--format", "html", job.string()});
  CHECK(html.err.find("invalid UTF-8 from the logs written as U+FFFD") != std::string::npos);
}

TEST_CASE("a quote of Chinese text is cut on a character boundary", "[e2e][bad-input][utf8]") {
  l4::test::TempDir dir;
  const auto job = ecc_job(dir);
  std::string chinese;
  for (int i = 0; i < 20; ++i) chinese += "显存错误，无法继续。";  // 3-byte characters: any byte cut lands inside one
  replace_line(job / "node-02.log", 53,
               "[E301 10:03:18.123456789 CUDACachingAllocator.cpp:1] CUDA error: uncorrectable ECC error "
               "encountered x" + chinese);
  const auto r = run_l4({"diagnose", "--no-history", job.string()});
  REQUIRE(r.exit_code == 0);
  REQUIRE(l4::io::is_valid_utf8(r.out));
  const auto summary = json::parse(r.out)["verdict"]["summary"].get<std::string>();
  CHECK(summary.find("显存错误") != std::string::npos);
  CHECK(summary.find(kReplacement) == std::string::npos);  // nothing had to be replaced
  CHECK(r.err.find("U+FFFD") == std::string::npos);
  const auto text = run_l4({"diagnose", "--no-history", "--format", "text", job.string()});
  CHECK(text.exit_code == 0);
  CHECK(l4::io::is_valid_utf8(text.out));
  CHECK(text.out.find(kReplacement) == std::string::npos);
}

TEST_CASE("a file name with an invalid UTF-8 byte or a control character is escaped", "[e2e][bad-input][utf8]") {
  l4::test::TempDir dir;
  const auto job = ecc_job(dir);
  fs::rename(job / "node-03.log", job / "node-03\xff.log");
  fs::rename(job / "node-04.log", job / "node-04\n.log");
  for (const std::string cmd : {"ingest", "diagnose"}) {
    const auto r = run_l4({cmd, job.string()});
    INFO(cmd);
    REQUIRE(r.exit_code == 0);
    CHECK(l4::io::is_valid_utf8(r.out));
    CHECK(r.out.find("node-03\\\\xff.log") != std::string::npos);  // JSON of: node-03\xff.log
    CHECK(r.out.find("node-04\\\\x0a.log") != std::string::npos);
  }
  const auto ingest = json::parse(run_l4({"ingest", job.string()}).out);
  CHECK(ingest["total"]["lines"]["used"] == 218);
  const auto text = run_l4({"ingest", "--format", "text", (job / "node-03\xff.log").string()});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("node-03\\xff") != std::string::npos);
  const auto missing = run_l4({"ingest", (job / "gone\xff.log").string()});
  CHECK(missing.exit_code == 2);
  CHECK(l4::io::is_valid_utf8(missing.err));
  CHECK(missing.err.find("gone\\xff.log") != std::string::npos);
}

TEST_CASE("a job directory holds logs and other things: only logs are read, the rest is listed",
          "[e2e][bad-input][ingest]") {
  l4::test::TempDir dir;
  const auto job = ecc_job(dir, "job/logs");
  const auto root = dir.path() / "job";
  dir.write("job/truth.json", "{\n  \"job_id\": \"x\",\n  \"faulty_nodes\": [\"node-02\"]\n}\n");
  dir.write("job/meta.json", "[\"node-01\", \"node-02\"]");
  dir.write("job/config.yaml", "model: gpt\nnodes: 4\n");
  dir.write("job/ckpt/iter_0000040/model_optim_rng.pt", std::string("PK\x03\x04", 4) + std::string(100, 'w'));
  dir.write("job/core.4711", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
  // JSON Lines and logs that start with "[" are logs, not documents.
  dir.write("job/logs/node-05.jsonl", "{\"time\": 1, \"msg\": \"iteration 1\"}\n{\"time\": 2, \"msg\": \"iteration 2\"}\n");
  const auto r = run_l4({"diagnose", "--no-history", root.string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  for (const auto& n : j["faulty_nodes"]) {
    for (const char* not_node : {"truth", "meta", "config", "model_optim_rng", "core.4711", "core"}) CHECK(n["node"] != not_node);
  }
  CHECK(j["inputs"]["nodes"] == 5);  // node-01..04 and the JSON Lines log of node-05
  std::map<std::string, std::string> skipped;
  for (const auto& s : j["inputs"]["skipped"]) skipped[s["path"]] = s["status"].get<std::string>() + ": " + s["reason"].get<std::string>();
  CHECK(skipped.size() == 5);
  CHECK(skipped["truth.json"] == "document: JSON document, not a log; skipped");
  CHECK(skipped["meta.json"] == "document: JSON document, not a log; skipped");
  CHECK(skipped["config.yaml"] == "document: YAML document; not read");
  CHECK(skipped["ckpt/iter_0000040/model_optim_rng.pt"] == "checkpoint: checkpoint (.pt); not read");
  CHECK(skipped["core.4711"] == "binary: binary data (NUL, control or non-UTF-8 bytes); file skipped");
  check_accounting(j["inputs"]["lines"]);
  CHECK(j["inputs"]["lines"]["used"] == 218 + 2);

  // `history add` of the job directory stores the four nodes and the JSON Lines one, nothing else.
  const auto db = dir.path() / "h.db";
  const auto add = run_l4({"history", "add", "--force", "--db", db.string(), root.string()});
  REQUIRE(add.exit_code == 0);
  CHECK(json::parse(add.out)["nodes"] == 5);
  CHECK(json::parse(add.out)["lines"] == 220);
}

TEST_CASE("FIFOs and process substitutions are streams: read, not taken as empty", "[e2e][bad-input][ingest]") {
  l4::test::TempDir dir;
  const auto log = slurp(fixture("diagnose/ecc-job/node-02.log"));
  SECTION("/dev/stdin, what <(zcat f.gz) gives: a pipe") {
    const auto r = run_l4({"ingest", "/dev/stdin"}, log);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["total"]["lines"]["used"] == 56);
  }
  SECTION("a FIFO named on the command line, beside plain files") {
    const auto job = ecc_job(dir);
    fs::remove(job / "node-02.log");
    const auto fifo = dir.path() / "node-02.log";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << log; });
    const auto r = run_l4({"diagnose", "--no-history", (job / "node-01.log").string(), fifo.string(),
                           (job / "node-03.log").string(), (job / "node-04.log").string()});
    writer.join();
    REQUIRE(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["faulty_nodes"][0]["node"] == "node-02");
    CHECK(j["inputs"]["lines"]["used"] == 218);
  }
  SECTION("a FIFO found in a directory is listed, not read (it could block)") {
    const auto job = ecc_job(dir);
    REQUIRE(mkfifo((job / "node-09.log").c_str(), 0600) == 0);
    const auto r = run_l4({"ingest", job.string()});
    REQUIRE(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["total"]["lines"]["used"] == 218);
    bool listed = false;
    for (const auto& f : j["files"]) listed |= f["path"] == "node-09.log" && f["status"] == "special";
    CHECK(listed);
  }
}

TEST_CASE("symbolic links to node directories are followed once; loops end", "[e2e][bad-input][ingest]") {
  l4::test::TempDir dir;
  const auto log = slurp(fixture("diagnose/ecc-job/node-02.log"));
  dir.write("job/node-01/rank_0.log", slurp(fixture("diagnose/ecc-job/node-01.log")));
  dir.write("elsewhere/node-02-logs/rank_0.log", log);  // the faulty node's logs live elsewhere
  fs::create_directory_symlink(dir.path() / "elsewhere" / "node-02-logs", dir.path() / "job" / "node-02");
  fs::create_directory_symlink(dir.path() / "job", dir.path() / "job" / "node-01" / "loop");  // a loop
  fs::create_directory_symlink(dir.path() / "job" / "node-01", dir.path() / "job" / "node-01-again");  // an alias
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  CHECK(j["inputs"]["files"] == 2);  // each file once, through its first path
  CHECK(j["inputs"]["lines"]["used"] == 54 + 56);
}

TEST_CASE("unreadable files and directories are warned about, accounted and named in the report",
          "[e2e][bad-input][ingest]") {
  if (!l4::test::can_run_unprivileged()) {
    WARN("skipped: running as root without setpriv, permissions cannot be tested");
    return;
  }
  l4::test::TempDir dir;
  const auto job = ecc_job(dir);
  dir.write("job/node-05/rank_0.log", slurp(fixture("diagnose/ecc-job/node-01.log")));
  open_to_others(dir.path());
  fs::permissions(job / "node-02.log", fs::perms::none);  // the faulty node's log
  fs::permissions(job / "node-05", fs::perms::none);      // a node's directory
  const auto r = run_l4_unprivileged({"diagnose", "--no-history", job.string()});
  INFO(r.err);
  CHECK(r.exit_code <= 1);  // a report, whatever it finds in the rest
  CHECK(r.err.find("node-02.log") != std::string::npos);
  CHECK(r.err.find("node-05/: cannot read directory") != std::string::npos);
  const auto j = json::parse(r.out);
  REQUIRE(j["inputs"]["unreadable"].size() == 2);
  CHECK(j["inputs"]["unreadable"][0]["path"] == "node-02.log");
  CHECK(j["inputs"]["unreadable"][0]["node"] == "node-02");
  CHECK(j["inputs"]["unreadable"][1]["path"] == "node-05/");
  CHECK(j["inputs"]["unreadable"][1]["node"] == "node-05");
  bool noted = false;
  for (const auto& n : j["notes"]) noted |= n.get<std::string>().find("logs of nodes node-02, node-05 could not be read") == 0;
  CHECK(noted);
  CHECK(j["inputs"]["lines"]["used"] == 218 - 56);
  const auto text = run_l4_unprivileged({"diagnose", "--no-history", "--format", "text", job.string()});
  CHECK(text.out.find("2 unreadable") != std::string::npos);
  CHECK(text.out.find("note: logs of nodes node-02, node-05 could not be read") != std::string::npos);
  // Named on the command line, an unreadable file is an error.
  const auto named = run_l4_unprivileged({"ingest", (job / "node-02.log").string()});
  CHECK(named.exit_code == 2);
  CHECK(named.err.find("node-02.log") != std::string::npos);
  fs::permissions(job / "node-05", fs::perms::owner_all);  // so that the temporary directory can go
}

TEST_CASE("NUL bytes: a leading run is skipped and counted, the rest of the file is read", "[e2e][bad-input][ingest]") {
  l4::test::TempDir dir;
  const auto log = slurp(fixture("diagnose/ecc-job/node-02.log"));
  // What logrotate's copytruncate leaves: the writer kept its offset, the start is a hole.
  const auto p = dir.write("node-02.log", std::string(100000, '\0') + log + std::string(7, '\0') + "after\n" +
                                              std::string("a NUL \0 inside\n", 15));
  const auto r = run_l4({"ingest", p.string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["files"][0]["status"] == "ok");
  CHECK(j["total"]["lines"]["used"] == 56 + 2);
  CHECK(j["total"]["lines"]["nul_bytes_skipped"] == 100007);
  CHECK(j["total"]["lines"]["nul"] == 1);
  check_accounting(j["total"]["lines"]);
  CHECK(r.err.find("100000 NUL bytes before the first text skipped") != std::string::npos);
  // Streams arrive in 1 MiB chunks: NULs in lines that span two chunks are counted too.
  for (const std::size_t at : {std::size_t{(1 << 20) - 3}, std::size_t{(1 << 20) + 3}}) {
    std::string big;
    while (big.size() < (1 << 20) - 10) big += "filler line of the log\n";
    big += std::string(at - big.size(), 'x');
    big += std::string(1, '\0') + "tail of the spanning line\nlast\n";
    const auto s = run_l4({"ingest", "-"}, big);
    REQUIRE(s.exit_code == 0);
    INFO("NUL at byte " << at);
    CHECK(json::parse(s.out)["total"]["lines"]["nul"] == 1);
  }
  const auto only_nul = dir.write("node-03.log", std::string(5000, '\0'));
  const auto z = run_l4({"ingest", only_nul.string()});
  CHECK(z.exit_code == 2);
  CHECK(z.err.find("5000 NUL bytes and no text") != std::string::npos);
}

TEST_CASE("no usable line at all is exit 2 naming the input, for every command", "[e2e][bad-input]") {
  l4::test::TempDir dir;
  const auto binary = dir.write("job/node-01.log", std::string("\x7f" "ELF\x02\x01\0\0\n\x03\x04\n", 12));
  dir.write("job/node-02.log", "");
  const std::string job = (dir.path() / "job").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"diagnose", "--no-history", job}, {"extract", job}, {"parse", job}, {"ingest", job},
        {"history", "add", "--db", (dir.path() / "h.db").string(), job}}) {
    const auto r = run_l4(args);
    INFO(args[0]);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no usable log line in " + job) != std::string::npos);
    CHECK(r.err.find("node-01.log: binary data") != std::string::npos);
    CHECK(r.err.find("node-02.log: empty file") != std::string::npos);
  }
  const auto piped = run_l4({"diagnose", "--no-history", "-"}, std::string(3000, '\0'));
  CHECK(piped.exit_code == 2);
  CHECK(piped.err.find("no usable log line in standard input") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "h.db"));
}

TEST_CASE("a log of unrelated lines: the template limit protects diagnose and no line is lost", "[e2e][bad-input]") {
  // 25,000 lines of three random consonant words (no word of the fault lexicon, no variable a
  // mask knows): every line is a template of its own, more than one mining step may keep (20,000)
  l4::test::TempDir dir;
  std::mt19937 random(7);
  std::string text;
  for (int i = 0; i < 25000; ++i) {
    for (int w = 0; w < 3; ++w) {
      for (int c = 0; c < 6; ++c) text.push_back("bcdfghjklmnpqrstvwxz"[random() % 20]);
      text.push_back(w < 2 ? ' ' : '\n');
    }
  }
  const auto log = dir.write("node-01.log", text);
  const auto r = run_l4({"diagnose", "--no-history", log.string()});
  INFO(r.err);
  CHECK(r.exit_code == 1);  // nothing in it is failure evidence
  CHECK(r.err.find("more than 20000 templates in one mining step") != std::string::npos);
  CHECK(r.err.find("count as one event, \"[l4: template limit reached] <*>\"") != std::string::npos);
  CHECK(r.err.find("internal error") == std::string::npos);
  const auto j = json::parse(r.out);
  CHECK(j["inputs"]["lines"]["used"] == 25000);
  check_accounting(j["inputs"]["lines"]);
}

TEST_CASE("templates saved from invalid UTF-8 load back and match the same lines", "[e2e][bad-input][parse]") {
  l4::test::TempDir dir;
  const auto log = dir.write("node-1.log",
                             "open /data/shard-\xff\xfe.bin failed\nopen /data/shard-\xc3.bin failed\n"
                             "worker 3 says \xe4\xb8 bye\nworker 4 says \xe4\xb8 bye\nplain ascii line\n");
  const auto t = dir.path() / "t.json";
  const auto first = run_l4({"parse", "--format", "jsonl", "--save-templates", t.string(), log.string()});
  REQUIRE(first.exit_code == 0);
  REQUIRE(l4::io::is_valid_utf8(slurp(t)));
  const auto again = run_l4({"parse", "--format", "jsonl", "--templates", t.string(), log.string()});
  REQUIRE(again.exit_code == 0);
  std::istringstream a(first.out), b(again.out);
  std::string la, lb;
  int rows = 0;
  while (std::getline(a, la) && std::getline(b, lb)) {
    CHECK(json::parse(la)["event_id"] == json::parse(lb)["event_id"]);
    ++rows;
  }
  CHECK(rows == 5);
}

TEST_CASE("a read-only history serves diagnose, list and stats", "[e2e][bad-input][history]") {
  if (!l4::test::can_run_unprivileged()) {
    WARN("skipped: running as root without setpriv, permissions cannot be tested");
    return;
  }
  l4::test::TempDir dir;
  const auto db = dir.path() / "shared" / "history.db";
  const auto job = ecc_job(dir);
  REQUIRE(run_l4({"history", "add", "-q", "--force", "--db", db.string(), "--job-id", "ok-1",
                  fixture("history/normal-job/logs").string()}).exit_code == 0);
  open_to_others(dir.path());  // readable, not writable, for nobody: file and directory
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"history", "list", "--db", db.string()}, {"history", "stats", "--db", db.string()},
        {"diagnose", "--db", db.string(), job.string()}}) {
    const auto r = run_l4_unprivileged(args);
    INFO(args[0] << " " << args[1] << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("error") == std::string::npos);
  }
  CHECK(json::parse(run_l4_unprivileged({"diagnose", "--db", db.string(), job.string()}).out)["history"]["normal_jobs"] == 1);
  CHECK_FALSE(fs::exists(db.string() + "-wal"));
  CHECK_FALSE(fs::exists(db.string() + "-shm"));
  const auto add = run_l4_unprivileged({"history", "add", "--force", "--db", db.string(), job.string()});
  CHECK(add.exit_code == 2);
  CHECK(add.err.find(db.string()) != std::string::npos);
  // A --db in a directory this user may not look into: exit 2 naming it, no internal error.
  fs::create_directories(dir.path() / "private");
  fs::permissions(dir.path() / "private", fs::perms::owner_all);
  const auto hidden = dir.path() / "private" / "history.db";
  const auto r = run_l4_unprivileged({"diagnose", "--db", hidden.string(), job.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(hidden.string()) != std::string::npos);
}

TEST_CASE("an SQLite file that is not an l4 history is refused and left unchanged", "[e2e][bad-input][history]") {
  l4::test::TempDir dir;
  const auto foreign = dir.path() / "app.db";
  sql(foreign, "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users(name) VALUES('ada')");
  const auto before = slurp(foreign);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"history", "add", "--force", "--db", foreign.string(), fixture("history/normal-job/logs").string()},
        {"history", "list", "--db", foreign.string()}, {"history", "stats", "--db", foreign.string()},
        {"history", "remove", "--db", foreign.string(), "x"},
        {"diagnose", "--db", foreign.string(), fixture("diagnose/ecc-job").string()}}) {
    const auto r = run_l4(args);
    INFO(args[0] << " " << args.back());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(foreign.string() + " is an SQLite database but not an l4 history (no table 'meta'; it has users)") !=
          std::string::npos);
  }
  CHECK(slurp(foreign) == before);
  CHECK(sql(foreign, "PRAGMA journal_mode") == "delete");
  const auto other_app = dir.path() / "other.db";
  sql(other_app, "PRAGMA application_id = 1234; CREATE TABLE meta(key TEXT, value TEXT)");
  const auto r = run_l4({"history", "stats", "--db", other_app.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("another application (application_id 0x4d2)") != std::string::npos);
}

TEST_CASE("history add refuses a job that l4 finds failed, unless forced", "[e2e][bad-input][history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "h.db";
  const auto job = fixture("diagnose/ecc-job").string();
  const auto refused = run_l4({"history", "add", "--db", db.string(), job});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err.find("l4 finds job ecc-job failed: hardware/gpu/ecc") != std::string::npos);
  CHECK(refused.err.find("job ecc-job looks failed (hardware/gpu/ecc); not added") != std::string::npos);
  CHECK(refused.err.find("--force") != std::string::npos);
  CHECK_FALSE(fs::exists(db));
  const auto forced = run_l4({"history", "add", "--force", "--db", db.string(), job});
  CHECK(forced.exit_code == 0);
  CHECK(forced.err.find("adding job ecc-job anyway (--force)") != std::string::npos);
  CHECK(json::parse(run_l4({"history", "stats", "--db", db.string()}).out)["jobs"] == 1);
}

TEST_CASE("a catalogue weight that is not finite and positive is refused naming its JSON path", "[e2e][bad-input]") {
  l4::test::TempDir dir;
  const auto cat = dir.write("cat.json", R"({"categories": [{"category": "hardware/gpu/ecc", "weight": 1e308,
      "signatures": [{"pattern": "ECC", "source": "test"}]}]})");
  const auto r = run_l4({"diagnose", "--no-history", "--catalog", cat.string(), fixture("diagnose/ecc-job").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cat.json: /categories/0/weight") != std::string::npos);
}
