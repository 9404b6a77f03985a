// FaultExtractor: line ranking (coarse filter) and description/parameter extraction (fine stage)
// on lines with templates built by hand, as the parser would give them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "l4/embedded_data.hpp"
#include "l4/extract/fault_extractor.hpp"

using l4::extract::ExtractLine;
using l4::extract::ExtractOptions;
using l4::extract::FaultExtractor;
using l4::format::Level;

namespace {

const FaultExtractor& extractor() {
  static const FaultExtractor e;
  return e;
}

// A line whose template is given with "<*>"; parameters are located in the content in order.
struct Line {
  std::string content;
  std::string template_text;
  Level level = Level::info;
};

// The first error of a message-queue cascade (its template with the topic as a parameter).
Line topic_error() {
  return {"cannot get topicInfo for consumer by topic: orders", "cannot get topicInfo for consumer by topic: <*>",
          Level::error};
}

std::vector<ExtractLine> build(const std::vector<Line>& lines) {
  std::vector<ExtractLine> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    ExtractLine e;
    e.file = "node-0.log";
    e.node = "node-0";
    e.line_no = i + 1;
    e.level = l.level;
    e.content = l.content;
    e.template_text = l.template_text.empty() ? l.content : l.template_text;
    e.template_id = l4::parse::template_id(e.template_text);
    // parameters: the content text at each <*> (template literal pieces located in order)
    std::string_view c = e.content;
    std::string_view t = e.template_text;
    std::size_t cpos = 0;
    while (true) {
      const auto star = t.find("<*>");
      if (star == std::string_view::npos) break;
      cpos += star;
      t.remove_prefix(star + 3);
      const auto next_lit = t.substr(0, t.find("<*>"));
      const auto end = next_lit.empty() ? c.size() : c.find(next_lit, cpos);
      e.parameters.push_back(c.substr(cpos, end - cpos));
      cpos = end;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

TEST_CASE("wrapper stripped: description is the constant text, parameter the peer", "[extract]") {
  const std::vector<Line> src = {{"Exception in connection from /172.17.0.5:50538", "Exception in connection from <*>",
                                  Level::error}};
  const auto lines = build(src);
  const auto f = extractor().describe(lines[0]);
  CHECK(f.description == "Exception in connection");
  CHECK(f.fip == "/172.17.0.5:50538");
  REQUIRE_FALSE(f.parameters.empty());
  CHECK(f.parameters[0].type == "ip_port");
  CHECK(f.content.substr(f.description_begin, f.description_end - f.description_begin) == f.description);
}

TEST_CASE("description is cut at the first parameter and trailing stop words", "[extract]") {
  const std::vector<Line> src = {
      {"Failed to connect to /172.17.0.2:50010 for block, add to deadNodes and continue. "
       "java.net.ConnectException: Connection refused",
       "", Level::warn},
      {"Slow ReadProcessor read fields took 48048ms (threshold=30000ms); ack: seqno: 737", "", Level::warn},
      {"Final app status: FAILED, exitCode: 10, (reason: Uncaught exception: boom)", "", Level::info},
      {"Executor self-exiting due to : Unable to create executor due to null", "", Level::error},
      {"[rank3]: RuntimeError: NCCL communicator was aborted on rank 3, exitcode: -6", "", Level::error},
  };
  const auto lines = build(src);
  CHECK(extractor().describe(lines[0]).description == "Failed to connect");
  CHECK(extractor().describe(lines[0]).fip == "/172.17.0.2:50010");
  CHECK(extractor().describe(lines[1]).description == "Slow ReadProcessor read fields");
  const auto status = extractor().describe(lines[2]);
  CHECK(status.description == "Final app status: FAILED");
  CHECK(status.fip == "exitCode: 10");
  CHECK(extractor().describe(lines[3]).description == "Unable to create executor due to null");
  const auto nccl = extractor().describe(lines[4]);
  CHECK(nccl.description.find("NCCL communicator was aborted") != std::string::npos);
}

TEST_CASE("ranking: fault lines first, benign and frequent lines filtered out", "[extract]") {
  std::vector<Line> src;
  for (int i = 0; i < 50; ++i) {
    src.push_back({"iteration " + std::to_string(i) + " loss 2.31 lr 0.0003", "iteration <*> loss <*> lr <*>",
                   Level::info});
  }
  src.push_back({"Successfully connected to 10.0.0.7:29500", "Successfully connected to <*>", Level::info});
  src.push_back({"NCCL WARN NET/IB : Got completion with error 12 hca mlx5_10", "", Level::warn});
  src.push_back({"Watchdog caught collective operation timeout after 600000 ms on [Rank 3]", "", Level::error});
  const auto lines = build(src);
  const auto findings = extractor().extract(lines);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].line_no == 53);  // the ERROR timeout outranks the WARN
  CHECK(findings[1].line_no == 52);
  CHECK(findings[0].fip == "[Rank 3]");
  CHECK(findings[1].fip == "mlx5_10");
  CHECK(findings[0].score > findings[1].score);
}

TEST_CASE("one finding per template with its count, or every line with --all semantics", "[extract]") {
  std::vector<Line> src;
  for (int i = 0; i < 3; ++i) {
    src.push_back({"Failed to get block(s) from worker" + std::to_string(i) + ":34655",
                   "Failed to get block(s) from <*>", Level::error});
  }
  const auto lines = build(src);
  const auto once = extractor().extract(lines);
  REQUIRE(once.size() == 1);
  CHECK(once[0].occurrences == 3);
  CHECK(once[0].line_no == 1);
  ExtractOptions all;
  all.one_per_template = false;
  CHECK(extractor().extract(lines, all).size() == 3);
  ExtractOptions top;
  top.one_per_template = false;
  top.top = 2;
  CHECK(extractor().extract(lines, top).size() == 2);
}

TEST_CASE("empty input and lines with nothing fault-indicating give no findings", "[extract]") {
  CHECK(extractor().extract({}).empty());
  std::vector<Line> src;
  for (int i = 0; i < 10; ++i) src.push_back({"step " + std::to_string(i) + " done", "step <*> done", Level::info});
  const auto lines = build(src);
  CHECK(extractor().extract(lines).empty());
}

TEST_CASE("WARN and INFO lines can be fault-indicating (severity alone is not enough)", "[extract]") {
  std::vector<Line> src;
  for (int i = 0; i < 20; ++i) src.push_back({"Got assigned task " + std::to_string(i), "Got assigned task <*>", Level::info});
  src.push_back({"Excluding datanode DatanodeInfoWithStorage[172.17.0.5:50010,DS-0d95,DISK]",
                 "Excluding datanode <*>", Level::info});
  const auto lines = build(src);
  const auto findings = extractor().extract(lines);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].description == "Excluding datanode");
  CHECK(findings[0].fip == "[172.17.0.5:50010,DS-0d95,DISK]");
}

TEST_CASE("a label clause hands the description to the clause after it", "[extract]") {
  const std::vector<Line> src = {
      {"Container from a bad node: container_1_2_01_000002 on host: worker3. Exit status: 137. "
       "Diagnostics: Container killed on request. Exit code is 137",
       "", Level::warn},
      {"Exception encountered while connecting to the server : java.net.SocketTimeoutException: 60000 millis "
       "timeout while waiting for channel to be ready for read. ch : java.nio.channels.SocketChannel[connection-pending "
       "remote=worker1/172.17.0.3:8030]",
       "", Level::warn},
  };
  const auto lines = build(src);
  const auto killed = extractor().describe(lines[0]);
  // The label hands over; the exit code stated as a sentence goes on with the statement.
  CHECK(killed.description == "Container killed on request. Exit code is 137");
  CHECK(killed.fip == "container_1_2_01_000002");  // the entity the line is about, named before
  const auto remote = extractor().describe(lines[1]);
  CHECK(remote.description == "Exception encountered while connecting to the server");
}

TEST_CASE("a code name ending the description is a parameter", "[extract]") {
  const std::vector<Line> src = {
      {"Executor self-exiting due to : Unable to create executor due to Exception thrown in awaitResult:", "",
       Level::error},
  };
  const auto lines = build(src);
  const auto code = extractor().describe(lines[0]);
  CHECK(code.description == "Unable to create executor due to Exception thrown");
  CHECK(code.fip == "awaitResult");
  CHECK(extractor().typer().type_of("awaitResult") == "identifier");
}

TEST_CASE("the first error of a cascade ranks first; no onset bonus below error level", "[extract]") {
  const std::vector<Line> cascade = {
      topic_error(),
      {"get clusterIp failed when create consumer", "", Level::error},
      {"create consumer failed!", "", Level::error},
  };
  const auto ranked = extractor().extract(build(cascade));
  REQUIRE(ranked.size() == 3);
  CHECK(ranked[0].line_no == 1);
  ExtractOptions no_onset;
  no_onset.onset_bonus = 0;
  CHECK(extractor().extract(build(cascade), no_onset)[0].line_no != 1);

  const std::vector<Line> warnings = {
      {"cannot get topicInfo for consumer by topic: orders", "", Level::warn},
      {"get clusterIp failed when create consumer", "", Level::warn},
  };
  const auto warned = extractor().extract(build(warnings));
  REQUIRE(warned.size() == 2);
  CHECK(warned[0].line_no == 2);  // ranked by weight alone: "failed" outweighs "cannot"

  // A line with no level (stderr) before the first ERROR can be the onset: it takes the bonus.
  const std::vector<Line> stderr_first = {
      {"RuntimeError: cannot allocate pinned buffer", "", Level::unknown},
      {"worker process failed", "", Level::error},
  };
  const auto score_of = [&](const ExtractOptions& o, std::uint64_t line_no) {
    for (const auto& f : extractor().extract(build(stderr_first), o)) {
      if (f.line_no == line_no) return f.score;
    }
    return -1.0;
  };
  ExtractOptions base;
  ExtractOptions none = base;
  none.onset_bonus = 0;
  CHECK(score_of(base, 1) == Approx(score_of(none, 1) + base.onset_bonus));
  CHECK(score_of(base, 2) == Approx(score_of(none, 2)));
}

TEST_CASE("an exception class in the middle of a message is a detail; the headline stays", "[extract]") {
  const std::vector<Line> src = {
      {"Failed to send RPC 5 to master3/172.17.0.2:45681: java.io.IOException: Broken pipe", "", Level::error},
  };
  const auto lines = build(src);
  CHECK(extractor().describe(lines[0]).description.starts_with("Failed to send RPC"));
}

TEST_CASE("a fault value written tight after a one-word key joins its key", "[extract]") {
  const std::vector<Line> src = {
      {"sync run finished,runId:77,state:failed", "", Level::warn},
      {"poll result: {\"id\":\"r-1\",\"state\":\"aborted\",\"startedAt\":\"12:00\"}", "", Level::warn},
      {"upload report, error message:disk quota exceeded", "", Level::error},
  };
  const auto lines = build(src);
  CHECK(extractor().describe(lines[0]).description == "state:failed");
  CHECK(extractor().describe(lines[1]).description == "state\":\"aborted");
  // A label of two words hands its weight on; it is no key to join.
  CHECK(extractor().describe(lines[2]).description == "disk quota exceeded");
}


TEST_CASE("lines that state no fault of their own rank below the one that does", "[extract]") {
  // A traceback: its frames and quoted source carry fault words, the exception line states the fault.
  const std::vector<Line> traceback = {
      {"Traceback (most recent call last):", "", Level::unknown},
      {"  File \"/opt/lib/loader.py\", line 12, in load_state_dict", "", Level::unknown},
      {"    raise RuntimeError('Error(s) in loading state_dict: failed')", "", Level::unknown},
      {"RuntimeError: Error(s) in loading state_dict for GPTModel", "", Level::unknown},
  };
  const auto ranked = extractor().extract(build(traceback));
  REQUIRE_FALSE(ranked.empty());
  CHECK(ranked[0].line_no == 4);
  // "Last error:" announces the next line, which states the fault in words the lexicon lacks.
  const std::vector<Line> header = {
      {"ncclInvalidUsage: This usually reflects invalid usage of NCCL library.", "", Level::unknown},
      {"Last error:", "", Level::unknown},
      {"Duplicate GPU detected : rank 3 and rank 0 both on CUDA device f000", "", Level::unknown},
  };
  const auto announced = extractor().extract(build(header));
  REQUIRE_FALSE(announced.empty());
  CHECK(announced[0].line_no == 3);
  // Without the header before it, the line is no candidate at all.
  const auto alone = extractor().extract(std::vector<ExtractLine>{build(header)[2]});
  CHECK(alone.empty());
}

TEST_CASE("a header's next line is the next line of its own stream when streams interleave", "[extract]") {
  const std::vector<Line> src = {
      {"Last error:", "", Level::unknown},
      {"step 12 done", "", Level::unknown},
      {"Duplicate GPU detected : rank 3 and rank 0 both on CUDA device f000", "", Level::unknown},
  };
  auto lines = build(src);
  lines[1].node = "node-1";  // another rank's line in the merged file
  const auto ranked = extractor().extract(lines);
  REQUIRE_FALSE(ranked.empty());
  CHECK(ranked[0].line_no == 3);
  lines[2].node = "node-1";  // now the header's stream has no next line: nothing is announced
  const auto unannounced = extractor().extract(lines);
  CHECK(std::none_of(unannounced.begin(), unannounced.end(), [](const auto& f) { return f.line_no == 3; }));
}

TEST_CASE("a message naming no entity is about what printed it: its rank, or its node among several", "[extract]") {
  const std::vector<Line> src = {{"RecursionError: maximum recursion depth exceeded", "", Level::error},
                                 {"FileNotFoundError: cannot open /data/train.json", "", Level::error},
                                 {"RuntimeError: CUDA out of memory (GPU 5)", "", Level::error}};
  auto lines = build(src);
  // One node, no launcher prefix: nothing to name.
  CHECK(extractor().describe(lines[0]).fip.empty());
  CHECK(extractor().describe(lines[1]).fip == "/data/train.json");  // a candidate of the message
  ExtractOptions all;
  all.one_per_template = false;
  CHECK(extractor().extract(lines, all)[0].fip.empty());
  for (auto& l : lines) l.rank = 3;
  std::unordered_map<std::string, std::string> fip;  // content -> FIP
  for (const auto& f : extractor().extract(lines, all)) fip[f.content] = f.fip;
  CHECK(fip[src[0].content] == "rank3");  // the launcher prefix's rank
  CHECK(fip[src[1].content] == "rank3");  // an entity beats a candidate (the path)
  CHECK(fip[src[2].content] == "GPU 5");  // the message's own entity stays
  // Several nodes and no rank: the node is the entity.
  for (auto& l : lines) l.rank = -1;
  lines[1].node = "node-7";
  fip.clear();
  for (const auto& f : extractor().extract(lines, all)) fip[f.content] = f.fip;
  CHECK(fip[src[0].content] == "node-0");
  CHECK(fip[src[1].content] == "node-7");
}

TEST_CASE("a line of exception class names labelling only parameters frames; a bare class name states", "[extract]") {
  // "ServiceException: exception.id: …" labels an error stated on another line: ranked without its
  // fault words and never the onset, below the WARN that says what went wrong.
  const std::vector<Line> labelled = {
      {"not existed devices: [01822B194DBA3A16AB514151039F654B]", "", Level::warn},
      {"ServiceException  ServiceException: exception.id: param.error;", "", Level::error},
  };
  const auto ranked = extractor().extract(build(labelled));
  REQUIRE(ranked.size() == 2);
  CHECK(ranked[0].line_no == 1);
  CHECK(ranked[0].description == "not existed devices");
  // Python prints an exception raised without a message as its bare class name: that is the error,
  // ranked with its fault words; the same class labelling an id is not.
  const auto score = [&](const char* text) {
    const auto f = extractor().extract(build({{text, "", Level::unknown}}));
    return f.empty() ? 0.0 : f[0].score;
  };
  const double bare = score("torch.distributed.DistNetworkError");
  CHECK(bare > ExtractOptions{}.keep_threshold);
  CHECK(bare > score("torch.distributed.DistNetworkError: exception.id: 17") + 2.0);
}

TEST_CASE("an exception class opening a message hands the description to what it labels", "[extract]") {
  const std::vector<Line> src = {
      {"ServiceException  ServiceException: exception.id: Paramerror; class ApplicationReq; projectId may not be null;",
       "", Level::error},
  };
  const auto f = extractor().describe(build(src)[0]);
  CHECK(f.description == "projectId may not be null");  // the code name opening the clause is its subject
  CHECK(f.fip.empty());
}

TEST_CASE("a line quoting a recent candidate's message after words of its own wraps it", "[extract]") {
  const Line quoted{"create consumer failed!", "", Level::error};
  const Line wrapper{"cannot subscribe topic, due to {}  Exception: create consumer failed!", "", Level::error};
  const auto ranked = extractor().extract(build({topic_error(), quoted, wrapper}));
  std::vector<std::uint64_t> order;
  for (const auto& f : ranked) order.push_back(f.line_no);
  CHECK(order == std::vector<std::uint64_t>{1, 2, 3});  // the wrapper ranked without its fault words
  CHECK(ranked[0].description == "cannot get topicInfo for consumer by topic");
  // Without the quoted line before it, the same line states its fault and outranks the rest.
  const auto alone = extractor().extract(build({topic_error(), wrapper}));
  REQUIRE(alone.size() == 2);
  CHECK(alone[0].line_no == 2);
  // A line that only goes on after a message (no words of its own first) is a variant, no wrapper;
  // a message under two words or twelve characters is too short to tell a quotation.
  const std::vector<Line> variants = {
      {"disk quota exceeded", "", Level::error},
      {"disk quota exceeded on /data, retry failed", "", Level::error},
      {"lost", "", Level::error},
      {"peer connection lost", "", Level::error},
  };
  ExtractOptions no_onset;
  no_onset.onset_bonus = 0;
  const auto v = extractor().extract(build(variants), no_onset);
  const auto score_of = [&](std::uint64_t n) {
    for (const auto& f : v) {
      if (f.line_no == n) return f.score;
    }
    return -1.0;
  };
  CHECK(score_of(2) > score_of(1));  // more fault words, not framing
  // Kept its fault words: "lost" alone is no message to quote.
  const auto peer = extractor().extract(build({variants[3]}), no_onset);
  REQUIRE(peer.size() == 1);
  CHECK(score_of(4) == Approx(peer[0].score));
}

TEST_CASE("a failure value stated as a sentence weighs as a fault term in the ranking", "[extract]") {
  const auto score_of_first = [](const char* status_line) {
    const std::vector<Line> src = {
        {status_line, "", Level::error},
        {"internal server error, opname:getvisiblevdcs, error message:getvisiblevdcs exception", "", Level::error},
    };
    ExtractOptions no_onset;
    no_onset.onset_bonus = 0;
    for (const auto& f : extractor().extract(build(src), no_onset)) {
      if (f.line_no == 1) return f.score;
    }
    return -1.0;
  };
  const double failed = score_of_first("ResponseEntity return httpCode is 404. requestEntity's url is /path.");
  const double fine = score_of_first("ResponseEntity return httpCode is 204. requestEntity's url is /path.");
  CHECK(failed == Approx(fine + 2.5));  // description::Weights::statement_weight
}

TEST_CASE("a launcher's report that its command failed frames the error printed before it", "[extract]") {
  const Line shell{"UID: readonly variable", "", Level::error};  // what the 'shell' format leaves of it
  const Line report{"Error: failed to run torchrun --nproc_per_node=8 --nnodes=2 --node_rank=0 benchmark.py on "
                    "10.0.0.12, is localhost: False, exception: Encountered a bad command exit code!",
                    "", Level::unknown};
  ExtractOptions no_onset;
  no_onset.onset_bonus = 0;  // the order from the lines' words and forms alone
  const auto ranked = extractor().extract(build({shell, report}), no_onset);
  REQUIRE(ranked.size() >= 1);
  CHECK(ranked[0].line_no == 1);
  // Alone, the report is the statement of the failure.
  const auto alone = extractor().extract(build({report}), no_onset);
  REQUIRE(alone.size() == 1);
  CHECK(alone[0].line_no == 1);
}
