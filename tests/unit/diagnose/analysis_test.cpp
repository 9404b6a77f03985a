// The mechanisms of Diagnoser::analyze on small hand-built JobScans: each test shows the mechanism
// at work and, switched off (AnalysisOptions), the answer it changes.
#include <catch2/catch.hpp>

#include <cmath>

#include "diagnose/calibration.hpp"
#include "diagnose/job_scanner.hpp"
#include "l4/diagnose/diagnoser.hpp"
#include "diagnose/stage_classifier.hpp"

using namespace l4::diagnose;

namespace {

// A job of named nodes, one file per node, and events placed by hand.
class JobBuilder {
 public:
  explicit JobBuilder(std::initializer_list<const char*> nodes) {
    for (const char* n : nodes) {
      NodeStats s;
      s.id = n;
      scan_.nodes.push_back(std::move(s));
      l4::io::FileSummary f;
      f.path = std::string(n) + ".log";
      f.node = n;
      scan_.ingest.files.push_back(std::move(f));
    }
  }

  static Occurrence at(std::uint32_t node, std::uint64_t line, double time) {
    Occurrence o;
    o.node = node;
    o.file = node;
    o.line = line;
    o.time = time;
    o.stamped = true;
    return o;
  }

  // An event with `text` (its template and its line), logged at `level` once on each node of
  // `on`, at `line` and `time` of each node's file.
  EventStats& event(const std::string& text, l4::format::Level level, std::vector<std::uint32_t> on, std::uint64_t line,
                    double time) {
    EventStats e;
    e.id = next_id_++;
    e.text = text;
    e.first_content = text;
    e.first_text = text;
    e.level = level;
    e.stage_info = classifier_.classify(text);
    e.node_counts.assign(scan_.nodes.size(), 0);
    e.node_first.assign(scan_.nodes.size(), Occurrence{});
    for (auto n : on) {
      e.node_counts[n] = 1;
      e.node_first[n] = at(n, line, time);
      ++e.count;
      if (!e.first.valid() || e.node_first[n].before(e.first)) e.first = e.node_first[n];
      if (!e.last.valid() || e.last.before(e.node_first[n])) e.last = e.node_first[n];
    }
    scan_.events.push_back(std::move(e));
    return scan_.events.back();
  }

  // Every node reports iterations 1..n, one a second from t0, and then stops.
  void iterations(long n, double t0) {
    for (std::uint32_t i = 0; i < scan_.nodes.size(); ++i) {
      auto& node = scan_.nodes[i];
      for (long it = 1; it <= n; ++it) node.iterations.emplace_back(it, t0 + static_cast<double>(it));
      node.last_iteration = n;
      node.last_progress = at(i, static_cast<std::uint64_t>(n), t0 + static_cast<double>(n));
    }
    scan_.last_iteration = n;
  }

  JobScan& scan() { return scan_; }

 private:
  JobScan scan_;
  StageClassifier classifier_;
  std::uint64_t next_id_ = 1;
};

using L = l4::format::Level;

Diagnosis analyze(JobScan scan, const AnalysisOptions& analysis = {}) {
  DiagnoseOptions options;
  options.analysis = analysis;
  return Diagnoser(options).analyze(std::move(scan), nullptr);
}

std::string top_node(const Diagnosis& d) { return d.faulty_nodes.empty() ? "" : d.faulty_nodes.front().node; }

}  // namespace

TEST_CASE("named: the node other nodes' failure lines name is the faulty one", "[diagnose][analysis]") {
  const auto build = [] {
    JobBuilder job({"gpu-a01", "gpu-a02", "gpu-a03", "gpu-a04"});
    // One node says its peer gpu-a03 closed the connection; every node times out.
    job.event("NCCL WARN socketProgress: Connection closed by remote peer gpu-a03", L::warn, {0}, 100, 1000);
    job.event("Watchdog caught collective operation timeout", L::error, {0, 1, 2, 3}, 110, 1600);
    return job.scan();
  };
  CHECK(top_node(analyze(build())) == "gpu-a03");
  AnalysisOptions off;
  off.named_weight = 0;
  CHECK(top_node(analyze(build(), off)) != "gpu-a03");
}

TEST_CASE("missing symptoms: the node short of what every other node reports went silent", "[diagnose][analysis]") {
  const auto build = [] {
    JobBuilder job({"node-01", "node-02", "node-03", "node-04"});
    job.iterations(50, 100);
    job.event("Watchdog caught collective operation timeout", L::error, {0, 1, 3}, 60, 800);
    job.event("Sending process 17 closing signal SIGTERM", L::warn, {0, 1, 3}, 70, 810);
    return job.scan();
  };
  const auto d = analyze(build());
  CHECK(top_node(d) == "node-03");
  CHECK(d.verdict.category == "hardware/node/lost");  // it said nothing itself: a lost node
  AnalysisOptions off;
  off.missing_weight = 0;
  off.silent_shortfall = 2;  // no shortfall reaches it: nobody went silent
  const auto without = analyze(build(), off);
  CHECK(top_node(without) != "node-03");
  CHECK(without.verdict.category != "hardware/node/lost");
}

TEST_CASE("drift: the node whose own numbers moved unlike the others' is the straggler", "[diagnose][analysis]") {
  const auto build = [] {
    JobBuilder job({"n-01", "n-02", "n-03", "n-04"});
    job.iterations(60, 0);
    auto& step = job.event("step <*>: forward <*> ms", L::info, {0, 1, 2, 3}, 1, 1);
    step.node_numbers.resize(4);
    for (std::uint32_t n = 0; n < 4; ++n) {
      for (long it = 1; it <= 60; ++it) {
        // n-02's compute times double from iteration 40; everyone else's stay put.
        const double ms = n == 1 && it >= 40 ? 200.0 : 100.0;
        const std::array<double, 2> values{ms, ms / 2};
        step.node_numbers[n].observe(values, it, static_cast<double>(it));
      }
    }
    return job.scan();
  };
  const auto d = analyze(build());
  CHECK(d.failure_found);
  CHECK(top_node(d) == "n-02");
  CHECK(d.verdict.category == "platform/straggler");
  AnalysisOptions off;
  off.detect_drift = false;
  CHECK_FALSE(analyze(build(), off).failure_found);
}

TEST_CASE("refinement: RoCE's own signs make it inherit the IB evidence it also prints", "[diagnose][analysis]") {
  const auto build = [] {
    JobBuilder job({"dgx-01", "dgx-02", "dgx-03"});
    job.event("NET/IB : Got completion from peer 10.0.0.2 with error 12", L::warn, {0}, 10, 100);
    job.event("NET/IB : Got completion from peer 10.0.0.3 with status=12 vendor err 129", L::warn, {0}, 11, 101);
    job.event("RoCE link is down on bond0", L::error, {0}, 12, 102);
    return job.scan();
  };
  CHECK(analyze(build()).verdict.category == "hardware/network/roce");
  AnalysisOptions off;
  off.refine = false;
  CHECK(analyze(build(), off).verdict.category != "hardware/network/roce");
  // The inherited evidence's text counts for how specific the verdict is: a short RoCE sign ("GID")
  // beside NCCL's long IB-verbs line is not a vague verdict.
  JobBuilder gid({"host-a"});
  gid.event("transport/net_ib.cc:816 NCCL WARN NET/IB : Got completion with error 12, opcode 0, len 32633, vendor err 129",
            L::warn, {0}, 10, 100);
  gid.event("transport/net_ib.cc:73 NCCL WARN NET/IB : Got async event : GID table change", L::warn, {0}, 11, 101);
  const auto d = analyze(gid.scan());
  CHECK(d.verdict.category == "hardware/network/roce");
  CHECK(d.verdict.strength > 0.9);
}

TEST_CASE("explanation: a GPU's Xid takes over the CUDA error of the process using it", "[diagnose][analysis]") {
  const auto build = [] {
    JobBuilder job({"h100-01", "h100-02", "h100-03"});
    job.event("NVRM: Xid (PCI:0000:3b:00): 31, pid=77, MMU Fault", L::unknown, {1}, 20, 500);
    job.event("CUDA error: an illegal memory access was encountered", L::error, {1}, 21, 501);
    job.event("CUDA error: unspecified launch failure", L::error, {1}, 22, 502);
    return job.scan();
  };
  CHECK(analyze(build()).verdict.category == "hardware/gpu/xid");
  AnalysisOptions off;
  off.refine = false;
  CHECK(analyze(build(), off).verdict.category != "hardware/gpu/xid");
}

TEST_CASE("stall: every node stopping at one iteration speaks for a hang", "[diagnose][analysis]") {
  const auto build = [](bool stall) {
    JobBuilder job({"w-1", "w-2", "w-3", "w-4"});
    job.iterations(30, 0);
    if (!stall) job.scan().nodes[2].last_iteration = 29;  // one node one iteration behind
    job.event("Watchdog caught collective operation timeout", L::error, {0, 1, 2, 3}, 40, 700);
    job.event("Connection reset by peer", L::warn, {1, 3}, 41, 701);
    return job.scan();
  };
  const std::string stalled = "every node stopped reporting iterations at the same one";
  const auto d = analyze(build(true));
  CHECK(d.verdict.category == "platform/hang");
  CHECK(std::find(d.verdict.evidence.begin(), d.verdict.evidence.end(), stalled) != d.verdict.evidence.end());
  const auto without = analyze(build(false));
  CHECK(std::find(without.verdict.evidence.begin(), without.verdict.evidence.end(), stalled) == without.verdict.evidence.end());
  CHECK(without.verdict.strength < d.verdict.strength);
}

TEST_CASE("success: a job that says it finished is not failed, and its teardown is no evidence", "[diagnose][analysis]") {
  enum class After { nothing, teardown_crash, crash_while_saving, exception };
  const auto build = [](After after) {
    JobBuilder job({"node-1", "node-2"});
    job.iterations(100, 0);
    for (std::uint32_t n = 0; n < 2; ++n) {
      job.scan().nodes[n].completed = JobBuilder::at(n, 200, 150);
      job.scan().nodes[n].completed_text = "Training completed. Do not forget to share your model";
    }
    job.event("NCCL WARN [Service thread] Connection closed by localRank 0", L::warn, {0, 1}, 210, 160);
    if (after == After::teardown_crash || after == After::crash_while_saving) {
      auto& e = job.event("Segmentation fault (core dumped)", L::unknown, {1}, 220, 170);
      // A stage marker after the completion ("Saving model checkpoint to ...") placed the line.
      if (after == After::crash_while_saving) e.last.stage = e.first.stage = Stage::checkpoint;
    }
    if (after == After::exception) job.event("ValueError: No test dataloader defined", L::unknown, {1}, 220, 170);
    return job.scan();
  };
  const auto d = analyze(build(After::nothing));
  CHECK_FALSE(d.failure_found);
  CHECK(d.verdict.category == "none");
  REQUIRE_FALSE(d.completion.empty());
  CHECK(d.completion.front().line == 200);
  // A process that dies after the job said it finished, doing work (a final save) or of an
  // exception the job's code raised, is a failure of its own.
  CHECK(analyze(build(After::crash_while_saving)).failure_found);
  CHECK(analyze(build(After::exception)).failure_found);
  // A fatal signal in unmarked teardown does not undo the work: completed, and noted.
  const auto teardown = analyze(build(After::teardown_crash));
  CHECK_FALSE(teardown.failure_found);
  const auto noted = std::find_if(teardown.notes.begin(), teardown.notes.end(),
                                  [](const std::string& n) { return n.find("died in teardown") != std::string::npos; });
  REQUIRE(noted != teardown.notes.end());
  CHECK(noted->find("node-2.log:220") != std::string::npos);
  AnalysisOptions off;
  off.recognise_success = false;
  CHECK(analyze(build(After::nothing), off).failure_found);
}

TEST_CASE("abstention: evidence split between unrelated categories gives unknown, not a guess", "[diagnose][analysis]") {
  JobBuilder job({"single"});
  job.event("CUDA out of memory. Tried to allocate 2.00 GiB", L::error, {0}, 10, 10);
  job.event("OSError: [Errno 28] No space left on device", L::error, {0}, 11, 11);
  AnalysisOptions even;
  even.onset_vote = 1;  // neither line is the earlier one's consequence: the evidence is split
  const auto d = analyze(job.scan(), even);
  CHECK(d.failure_found);
  CHECK(d.verdict.category == "unknown");
  CHECK(d.verdict.confidence == 0);
  REQUIRE_FALSE(d.events.empty());  // the evidence is still listed and cited
  even.descend_share = 0.5;  // any lead at all: a guess
  CHECK(analyze(job.scan(), even).verdict.category != "unknown");
}

TEST_CASE("uncaught exceptions without a signature fall back to user code, with their class", "[diagnose][analysis]") {
  JobBuilder job({"train"});
  job.event("ZeroDivisionError: division by zero", L::unknown, {0}, 12, kNoTime);
  const auto d = analyze(job.scan());
  CHECK(d.verdict.category == "user/code/exception");
  CHECK(d.verdict.exception == "ZeroDivisionError");
  CHECK(d.verdict.basis == "exception");
}

TEST_CASE("calibration: confidence is the odds measured for the verdict's basis and strength", "[diagnose][analysis]") {
  const Calibration table(R"({"bases": {
      "default":   [{"up_to": 1.0, "confidence": 0.4}],
      "signature": [{"up_to": 0.5, "confidence": 0.3}, {"up_to": 1.0, "confidence": 0.95}]}})");
  CHECK(table.confidence("hardware/gpu/ecc", "signature", 0.4) == Approx(0.3));
  CHECK(table.confidence("hardware/gpu/ecc", "signature", 1.0) == Approx(0.95));
  CHECK(table.confidence("user/code/exception", "exception", 1.0) == Approx(0.4));  // unknown basis: the default bins
  // A category with odds of its own answers for its full-strength verdicts before their basis, and
  // caps its weaker ones; other categories keep the basis's bins.
  const Calibration by_category(R"({"bases": {"default": [{"up_to": 1.0, "confidence": 0.4}],
      "signature": [{"up_to": 0.5, "confidence": 0.3}, {"up_to": 1.0, "confidence": 0.7}]},
      "categories": {"user/config/gpu-oom": {"from": 0.95, "confidence": 0.92},
                     "hardware/network/ib": {"from": 0.95, "confidence": 0.2}}})");
  CHECK(by_category.confidence("user/config/gpu-oom", "signature", 1.0) == Approx(0.92));
  CHECK(by_category.confidence("user/config/gpu-oom", "signature", 0.9) == Approx(0.7));
  CHECK(by_category.confidence("hardware/network/ib", "signature", 1.0) == Approx(0.2));
  CHECK(by_category.confidence("hardware/network/ib", "signature", 0.9) == Approx(0.2));  // capped
  CHECK(by_category.confidence("hardware/gpu/ecc", "signature", 1.0) == Approx(0.7));
  CHECK_THROWS_WITH(Calibration(R"({"bases": {"default": [{"up_to": 1, "confidence": 0.5}]},
      "categories": {"hardware/gpu/ecc": {"from": 0.95, "confidence": 1.5}}})"),
                    Catch::Matchers::Contains("/categories/hardware/gpu/ecc/confidence"));
  CHECK_THROWS_WITH(Calibration(R"({"bases": {"default": [{"up_to": 0.5, "confidence": 0.9}]}})"),
                    Catch::Matchers::Contains("up_to 1"));
  CHECK_THROWS_WITH(Calibration(R"({"bases": {"default": [{"up_to": 0.5, "confidence": 0.9}, {"up_to": 1, "confidence": 0.2}]}})"),
                    Catch::Matchers::Contains("not fall"));
  // In the analysis: calibrated confidence differs from the raw strength it is read from.
  JobBuilder job({"train"});
  job.event("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", L::error, {0}, 5, kNoTime);
  const auto d = analyze(job.scan());
  CHECK(d.verdict.category == "user/config/gpu-oom");
  CHECK(d.verdict.basis == "signature");
  AnalysisOptions raw;
  raw.calibrated = false;
  CHECK(analyze(job.scan(), raw).verdict.confidence == Approx(d.verdict.strength));
}

TEST_CASE("a timeout while the job was loading is a timeout set too short, not a hang", "[diagnose][analysis]") {
  JobBuilder job({"train"});
  auto& load = job.event("loading checkpoint from /ckpt/iter_0001000", L::info, {0}, 3, 10);
  load.first.stage = Stage::loading;
  auto& timeout = job.event("Watchdog caught collective operation timeout: WorkNCCL(SeqNum=3, OpType=ALLREDUCE)",
                            L::error, {0}, 9, 1810);
  timeout.first.stage = Stage::loading;
  timeout.node_first[0].stage = Stage::loading;
  const auto d = analyze(job.scan());
  CHECK(d.stage == Stage::loading);
  CHECK(d.verdict.category == "user/config/timeout");
}

TEST_CASE("stage: a failure nothing marks takes the stage its message's source places it in", "[diagnose][analysis]") {
  JobBuilder job({"train"});
  job.event("AssertionError: Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * "
            "gradient_acc_step * world_size 8 != 2 * 1 * 1",
            L::error, {0}, 5, kNoTime);
  const auto d = analyze(job.scan());
  CHECK(d.verdict.category == "user/config/parallelism");
  CHECK(d.stage == Stage::init);  // DeepSpeed checks its batch settings while the engine is initialised
  // The same category from a message printed anywhere says nothing of the stage.
  JobBuilder other({"train"});
  other.event("ValueError: hidden size 4000 is not divisible by the number of attention heads 48", L::error, {0}, 5, kNoTime);
  const auto unplaced = analyze(other.scan());
  CHECK(unplaced.verdict.category == "user/config/parallelism");
  CHECK_FALSE(unplaced.stage.has_value());
}

TEST_CASE("stage: a constructor's frame places an exception in set-up unless another frame names a stage",
          "[diagnose][analysis]") {
  auto with_frames = [](std::vector<FrameStage> frames) {
    JobBuilder job({"train"});
    job.event("ValueError: the mesh has no dimension tp", L::error, {0}, 9, kNoTime);
    job.scan().frame_stages = std::move(frames);
    return analyze(job.scan()).stage;
  };
  // "File ..., in __init__" two lines above the raise, nothing else: the job was being set up.
  CHECK(with_frames({FrameStage{0, 7, Stage::init, true}}) == Stage::init);
  // The same constructor called from the training loop ("in train" further out) is training's.
  CHECK(with_frames({FrameStage{0, 3, Stage::training, false}, FrameStage{0, 7, Stage::init, true}}) == Stage::training);
  CHECK_FALSE(with_frames({}).has_value());
  // A frame on the raising line itself (a refused constructor call) is part of its traceback.
  CHECK(with_frames({FrameStage{0, 9, Stage::init, true}}) == Stage::init);
  CHECK(with_frames({FrameStage{0, 7, Stage::training, true}, FrameStage{0, 9, Stage::init, true}}) == Stage::init);
  CHECK(with_frames({FrameStage{0, 5, Stage::training, false}, FrameStage{0, 9, Stage::init, true}}) == Stage::training);
}

TEST_CASE("no failure and no completion: the report says where the logs end, not why", "[diagnose][analysis]") {
  JobBuilder job({"node-1", "node-2"});
  job.iterations(40, 0);
  for (std::uint32_t n = 0; n < 2; ++n) {
    job.scan().nodes[n].last_line = JobBuilder::at(n, 41, 41);
    job.scan().nodes[n].last_line.stage = Stage::training;
  }
  const auto d = analyze(job.scan());
  REQUIRE_FALSE(d.failure_found);
  const auto says = [&](const Diagnosis& x, const std::string& text) {
    return std::any_of(x.notes.begin(), x.notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  CHECK(says(d, "the logs do not say the job completed: they end during training after iteration 40"));
  for (std::uint32_t n = 0; n < 2; ++n) {
    job.scan().nodes[n].completed = JobBuilder::at(n, 42, 42);
    job.scan().nodes[n].completed_text = "Training completed.";
  }
  CHECK_FALSE(says(analyze(job.scan()), "do not say the job completed"));
}

TEST_CASE("warnings alone, that the programs went on from, are no failure", "[diagnose][analysis]") {
  JobBuilder job({"node-1", "node-2"});
  job.event("Unable to save dataset to W&B, skipping!", L::warn, {0}, 30, 30);
  REQUIRE_FALSE(analyze(job.scan()).failure_found);
  AnalysisOptions off;
  off.warnings_are_no_failure = false;
  CHECK(analyze(job.scan(), off).failure_found);
  // An error beside it, a warning that names a known fault, a death: failure evidence again.
  JobBuilder error({"node-1", "node-2"});
  error.event("Unable to save dataset to W&B, skipping!", L::warn, {0}, 30, 30);
  error.event("RuntimeError: something went wrong in the loader", L::error, {0}, 31, 31);
  CHECK(analyze(error.scan()).failure_found);
  JobBuilder known({"node-1", "node-2"});
  known.event("NCCL WARN NET/IB : Got async event : port error", L::warn, {0}, 30, 30);
  CHECK(analyze(known.scan()).failure_found);
}

TEST_CASE("report: quoted source that is the only root evidence is listed, as the verdict rests on it",
          "[diagnose][analysis]") {
  // A traceback cut before its exception line: the `raise` it quotes is all the job says.
  JobBuilder job({"train"});
  auto& raise = job.event("    raise RuntimeError(\"Cannot find valid samples, check `data/README.md` for the data "
                          "format.\")",
                          L::unknown, {0}, 15, 15);
  raise.quoted = raise.count;
  const auto d = analyze(job.scan());
  REQUIRE(d.failure_found);
  REQUIRE(d.verdict.category == "user/data/invalid");
  REQUIRE(d.events.size() == 1);
  CHECK(d.events.front().role == EventRole::root);
  CHECK(d.events.front().first.text.find("Cannot find valid samples") != std::string::npos);
}

TEST_CASE("signatures inside a list of possible causes are no evidence", "[diagnose][analysis]") {
  const auto verdict = [](const std::string& line) {
    JobBuilder job({"train"});
    job.event(line, L::error, {0}, 5, kNoTime);
    return analyze(job.scan()).verdict.category;
  };
  // Ray lists an OOM kill and a SIGSEGV as hypotheses: neither is what happened.
  CHECK(verdict("The actor is dead because its worker process has died. Worker exit type: SYSTEM_ERROR. There are some "
                "potential root causes. (1) The process is killed by SIGKILL by OOM killer due to high memory usage. "
                "(3) The worker is crashed unexpectedly due to SIGSEGV or other unexpected errors.") != "framework/segfault");
  // Stated, the same words are evidence.
  CHECK(verdict("Fatal Python error: Segmentation fault") == "framework/segfault");
}

TEST_CASE("basis: a verdict resting only on generic text has a basis of its own", "[diagnose][analysis]") {
  const auto verdict_of = [](const std::string& line) {
    JobBuilder job({"train"});
    job.event(line, L::error, {0}, 5, kNoTime);
    return analyze(job.scan()).verdict;
  };
  // An OS error string says what happened, often not why (a peer that died resets its sockets).
  const auto reset = verdict_of("ConnectionResetError: [Errno 104] Connection reset by peer");
  CHECK(reset.category == "hardware/network/socket");
  CHECK(reset.basis == "generic");
  // A program's own message: a signature.
  const auto oom = verdict_of("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB");
  CHECK(oom.basis == "signature");
  // Calibrated apart: each basis has the odds measured for its own verdicts.
  const Calibration table;
  CHECK(reset.confidence == Approx(table.confidence(reset.category, "generic", reset.strength)));
  CHECK(oom.confidence == Approx(table.confidence(oom.category, "signature", oom.strength)));
  CHECK(table.confidence("", "generic", 1.0) != Approx(table.confidence("", "signature", 1.0)));
}


TEST_CASE("verdict: a program's own message on a line outranks the generic OS text it quotes", "[diagnose][analysis]") {
  // ssh's own words say the launcher could not reach a host; "Name or service not known" (glibc's
  // gai_strerror, printed by many programs, also a rendezvous signature) only says why.
  JobBuilder job({"launcher"});
  job.event("ssh: Could not resolve hostname worker-7: Name or service not known", L::error, {0}, 5, kNoTime);
  CHECK(analyze(job.scan()).verdict.category == "platform/launcher");
  // The generic text alone still speaks for its category.
  JobBuilder other({"launcher"});
  other.event("getaddrinfo failed: Name or service not known", L::error, {0}, 5, kNoTime);
  CHECK(analyze(other.scan()).verdict.category == "platform/launcher/rendezvous");
}

TEST_CASE("explanation: what a data loader worker hit explains the loader's failure", "[diagnose][analysis]") {
  // PyTorch wraps a worker's exception ("Caught X in DataLoader worker process N") and prints the
  // original after it; where the original names its cause, that cause is the verdict.
  JobBuilder job({"train"});
  job.event("UnidentifiedImageError: Caught UnidentifiedImageError in DataLoader worker process 0.", L::error, {0}, 5, kNoTime);
  job.event("PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7fe11bd4ddb0>", L::error, {0},
            30, kNoTime);
  CHECK(analyze(job.scan()).verdict.category == "user/data/invalid");
  JobBuilder wrapper_only({"train"});
  wrapper_only.event("OSError: Caught OSError in DataLoader worker process 3.", L::error, {0}, 5, kNoTime);
  CHECK(analyze(wrapper_only.scan()).verdict.category == "user/data/dataloader");
}
