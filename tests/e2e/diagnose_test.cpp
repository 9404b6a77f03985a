// End-to-end: `l4 diagnose` on fixture jobs and on the edge cases the issue names.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

using l4::test::fixture;
using l4::test::run_l4;
using l4::test::slurp;
using nlohmann::json;

namespace {

// A small healthy job: `nodes` per-node logs with init, loading and `iterations` iterations.
void write_normal_job(const l4::test::TempDir& dir, const std::string& root, int nodes, int iterations,
                      bool with_iterations = true) {
  for (int n = 1; n <= nodes; ++n) {
    std::string text;
    text += "[2024-03-01 10:00:00,000] [INFO] [launch.py:12:main] WORLD_SIZE=" + std::to_string(nodes * 8) + "\n";
    text += "node-0" + std::to_string(n) + ":100:100 [0] NCCL INFO Bootstrap : Using eth0:10.0.0." + std::to_string(n) + "<0>\n";
    text += "[2024-03-01 10:00:01,000] [INFO] [model.py:40:build] building GPT model ...\n";
    for (int i = 1; i <= iterations; ++i) {
      const std::string sec = (i < 10 ? "0" : "") + std::to_string(i);
      if (with_iterations) {
        text += "[2024-03-01 10:01:" + sec + ",000] [INFO] [training.py:700:log] iteration " + std::to_string(i) +
                "/ 100 | lm loss: " + std::to_string(3.0 - i * 0.01) + " |\n";
      } else {
        text += "[2024-03-01 10:01:" + sec + ",000] [INFO] [data.py:10:load] prefetched shard " + std::to_string(i * 7) + "\n";
      }
    }
    dir.write(root + "/node-0" + std::to_string(n) + ".log", text);
  }
}

// The --no-history report on a job of one log with the given text.
json diagnose_one_log(const std::string& text) {
  l4::test::TempDir dir;
  dir.write("job/node-01.log", text);
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("l4 diagnose finds the ECC fault of the fixture job", "[e2e][diagnose]") {
  const auto r = run_l4({"diagnose", "--no-history", fixture("diagnose/ecc-job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["failure_found"] == true);
  CHECK(j["verdict"]["category"] == "hardware/gpu/ecc");
  REQUIRE_FALSE(j["faulty_nodes"].empty());
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  CHECK(j["stage"]["name"] == "training");
  CHECK(j["iteration"]["last_completed"] == 39);
  CHECK(j["iteration"]["failed_at"] == 40);
  REQUIRE_FALSE(j["events"].empty());
  CHECK(j["events"][0]["role"] == "root");
  CHECK(j["events"][0]["first"]["file"] == "node-02.log");
  CHECK(j["events"][0]["first"]["line"] == 53);
  CHECK(j["events"][0]["first"]["text"].get<std::string>().find("ECC") != std::string::npos);
  // Watchdog timeouts on every node are symptoms, and benign noise is not reported.
  bool watchdog_symptom = false;
  for (const auto& e : j["events"]) {
    const auto text = e["template"].get<std::string>();
    CHECK(text.find("OVERFLOW") == std::string::npos);
    CHECK(text.find("deprecated") == std::string::npos);
    if (text.find("Watchdog") != std::string::npos) watchdog_symptom = e["role"] == "symptom";
  }
  CHECK(watchdog_symptom);
  CHECK(j["history"].is_null());
  CHECK(j["inputs"]["nodes"] == 4);
}

TEST_CASE("l4 diagnose report matches the golden file", "[e2e][diagnose][golden]") {
  const auto r = run_l4({"diagnose", "--no-history", fixture("diagnose/ecc-job").string()});
  REQUIRE(r.exit_code == 0);
  const auto golden = fixture("diagnose/ecc-job.expected.json");
  if (std::getenv("L4_UPDATE_GOLDEN") != nullptr) std::ofstream(golden) << r.out;
  // ordered_json compares keys in order: the report keeps the README contract's key order.
  CHECK(nlohmann::ordered_json::parse(r.out) == nlohmann::ordered_json::parse(slurp(golden)));
}

TEST_CASE("l4 diagnose --format text is a short summary", "[e2e][diagnose]") {
  const auto r = run_l4({"diagnose", "--no-history", "--format", "text", fixture("diagnose/ecc-job").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("hardware/gpu/ecc") != std::string::npos);
  CHECK(r.out.find("node-02.log:53") != std::string::npos);
  // Every node's iteration 40 (the one the ECC error broke) deviates from the ones before it.
  CHECK(r.out.find("iterations deviate from the ones before; strongest: iteration 40 on") != std::string::npos);
  CHECK(r.out.find("\033[") == std::string::npos);  // no colour when not a terminal
}

TEST_CASE("l4 diagnose edge cases", "[e2e][diagnose][bad-input]") {
  l4::test::TempDir dir;
  SECTION("a job with no failure: exit 1, 'no failure evidence found', valid report") {
    write_normal_job(dir, "ok", 4, 20);
    const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "ok").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("no failure evidence found") != std::string::npos);
    const auto j = json::parse(r.out);
    CHECK(j["failure_found"] == false);
    CHECK(j["verdict"]["category"] == "none");
    CHECK(j["events"].empty());
  }
  SECTION("an empty job: exit 2, the message names the input and says why nothing was usable") {
    // Not "no failure evidence" (exit 1): that is the answer for a healthy job.
    dir.write("empty/node-01.log", "");
    dir.write("empty/node-02.log", "\n\n");
    const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "empty").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("no usable log line in " + (dir.path() / "empty").string()) != std::string::npos);
    CHECK(r.err.find("node-01.log: empty file") != std::string::npos);
    CHECK(r.err.find("node-02.log: 2 blank lines") != std::string::npos);
  }
  SECTION("a job with one node") {
    write_normal_job(dir, "one", 1, 10);
    std::ofstream(dir.path() / "one" / "node-01.log", std::ios::app)
        << "[E301 10:02:00.000000 CUDACachingAllocator.cpp:1] CUDA error: uncorrectable ECC error encountered\n";
    const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "one").string()});
    CHECK(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["verdict"]["category"] == "hardware/gpu/ecc");
    CHECK(j["faulty_nodes"][0]["node"] == "node-01");
    CHECK(j["iteration"]["last_completed"] == 10);
  }
  SECTION("nodes with no iteration lines: iteration is null, the rest still works") {
    write_normal_job(dir, "noit", 3, 10, false);
    std::ofstream(dir.path() / "noit" / "node-02.log", std::ios::app)
        << "[2024-03-01 10:02:00,000] [ERROR] [train.py:5:main] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n";
    const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "noit").string()});
    CHECK(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["iteration"]["last_completed"].is_null());
    CHECK(j["iteration"]["failed_at"].is_null());
    CHECK(j["verdict"]["category"] == "user/config/gpu-oom");
    CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  }
  SECTION("a missing job path: exit 2 naming it") {
    const auto r = run_l4({"diagnose", "/no/such/job"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/no/such/job") != std::string::npos);
  }
  SECTION("a missing history database given with --db: exit 2") {
    write_normal_job(dir, "ok2", 2, 5);
    const auto r = run_l4({"diagnose", "--db", (dir.path() / "nope.db").string(), (dir.path() / "ok2").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("nope.db") != std::string::npos);
  }
}

TEST_CASE("an unstamped traceback that ends its rank's log is root evidence, though others log on",
          "[e2e][diagnose]") {
  // node-03's rank died of an OOM: its traceback carries no timestamp, so its time is only known
  // to follow the rank's last stamped line; the other nodes report iterations for 50 more seconds
  // before the watchdog tears them down. That progress is not "the job outlived the error".
  l4::test::TempDir dir;
  write_normal_job(dir, "job", 4, 10);
  for (int n = 1; n <= 4; ++n) {
    const std::string name = "job/node-0" + std::to_string(n) + ".log";
    std::string text = slurp(dir.path() / name);
    if (n == 3) {
      text += "Traceback (most recent call last):\n  File \"/workspace/train.py\", line 243, in <module>\n";
      text += "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 14.06 GiB. GPU 5 has a total capacity of 79.33 GiB\n";
    } else {
      for (int i = 11; i <= 59; ++i) {
        text += "[2024-03-01 10:01:" + std::to_string(i) + ",000] [INFO] [training.py:700:log] iteration " +
                std::to_string(i) + "/ 100 | lm loss: 2.5 |\n";
      }
      text += "[2024-03-01 10:11:00,000] [ERROR] [ProcessGroupNCCL.cpp:607] [Rank 0] Watchdog caught collective operation timeout\n";
    }
    dir.write(name, text);
  }
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["verdict"]["category"] == "user/config/gpu-oom");
  CHECK(j["faulty_nodes"][0]["node"] == "node-03");
  CHECK(j["events"][0]["template"].get<std::string>().find("out of memory") != std::string::npos);
}

TEST_CASE("a failure after a stage's results are out is placed back in training", "[e2e][diagnose][stage]") {
  // Every node evaluates after iteration 10 and reports the validation loss; then node-02 breaks
  // before iteration 11 completes. The evaluation was over: the failure is in training.
  l4::test::TempDir dir;
  write_normal_job(dir, "job", 3, 10);
  for (int n = 1; n <= 3; ++n) {
    const std::string name = "job/node-0" + std::to_string(n) + ".log";
    std::string text = slurp(dir.path() / name);
    // Megatron's own style: no stamps, and the result line starts with one space.
    text += "Evaluating iter 1/10\n";
    text += " validation loss at iteration 10 | lm loss value: 2.9 |\n";
    if (n == 2) {
      text += "[2024-03-01 10:01:35,000] [ERROR] [engine.py:50:step] RuntimeError: CUDA error: an illegal memory access was encountered\n";
    }
    dir.write(name, text);
  }
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  CHECK(j["stage"]["name"] == "training");
  CHECK(j["iteration"]["last_completed"] == 10);
  CHECK(j["iteration"]["failed_at"] == 11);
}

TEST_CASE("a traceback that ends a quiet rank's log is placed where the job was, not at the rank's last stamp",
          "[e2e][diagnose][stage]") {
  // Every node saves a checkpoint at iteration 3. node-02's log stops stamping there (its rank
  // prints no iteration reports); its traceback comes when the job breaks, after the others'
  // iteration 10.
  l4::test::TempDir dir;
  write_normal_job(dir, "job", 3, 10);
  for (int n : {1, 3}) {
    const std::string name = "job/node-0" + std::to_string(n) + ".log";
    std::string text = slurp(dir.path() / name);
    const std::string after3 = "lm loss: 2.970000 |\n";
    const auto at = text.find(after3);
    REQUIRE(at != std::string::npos);
    text.insert(at + after3.size(),
                "[2024-03-01 10:01:03,500] [INFO] [checkpointing.py:90:save] saving checkpoint at iteration 3 to /ckpt/iter_3\n");
    dir.write(name, text);
  }
  std::string text = "[2024-03-01 10:00:00,000] [INFO] [launch.py:12:main] WORLD_SIZE=24\n";
  text += "[2024-03-01 10:01:03,000] [INFO] [checkpointing.py:90:save] saving checkpoint at iteration 3 to /ckpt/iter_3\n";
  text += "Traceback (most recent call last):\n  File \"/workspace/train.py\", line 243, in <module>\n";
  text += "RuntimeError: CUDA error: an illegal memory access was encountered\n";
  dir.write("job/node-02.log", text);
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  CHECK(j["stage"]["name"] == "training");
  CHECK(j["iteration"]["failed_at"] == 11);
}

TEST_CASE("failure lines with no known signature and no job pattern give an 'unknown' verdict, not a guess",
          "[e2e][diagnose]") {
  l4::test::TempDir dir;
  write_normal_job(dir, "job", 3, 10, /*with_iterations=*/false);
  const std::string name = "job/node-02.log";
  std::string text = slurp(dir.path() / name);
  text += "[2024-03-01 10:02:00,000] [ERROR] [app.py:1:main] widget pipeline failed: frobnication error 17\n";
  dir.write(name, text);
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["failure_found"] == true);
  CHECK(j["verdict"]["category"] == "unknown");
  CHECK(j["verdict"]["confidence"].get<double>() < 0.5);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
}

TEST_CASE("reporting the iteration a job resumed from does not start training", "[e2e][diagnose][stage]") {
  // DeepSpeed prints 'step=5000' once it restored the scheduler of a checkpoint taken at step 5000;
  // node-02 then fails before any step of this run completes: a loading failure.
  l4::test::TempDir dir;
  for (int n = 1; n <= 3; ++n) {
    std::string text = "[2024-03-01 10:00:00,000] [INFO] [launch.py:12:main] WORLD_SIZE=24\n";
    text += "[2024-03-01 10:00:05,000] [INFO] [engine.py:2873:_load_checkpoint] loading checkpoint from "
            "/ckpt/run/global_step5000/mp_rank_00_model_states.pt\n";
    text += "[2024-03-01 10:00:06,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=5000, skipped=0, lr=[0], "
            "mom=[(0.9, 0.95)]\n";
    if (n == 2) {
      text += "[2024-03-01 10:00:07,000] [ERROR] [engine.py:90:load] RuntimeError: Error(s) in loading state_dict "
              "for GPTModel: size mismatch for embedding.word_embeddings.weight\n";
    }
    dir.write("job/node-0" + std::to_string(n) + ".log", text);
  }
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["faulty_nodes"][0]["node"] == "node-02");
  CHECK(j["stage"]["name"] == "loading");
  CHECK(j["iteration"]["failed_at"].is_null());
}

TEST_CASE("a failure after the job says its training finished is not placed in training", "[e2e][diagnose][stage]") {
  // Lightning stops fit at max_steps ("`Trainer.fit` stopped"), then the script's test run raises:
  // nothing marks what the process was doing then, so the stage is unknown, not training.
  l4::test::TempDir dir;
  std::string text;
  for (int e = 0; e < 3; ++e) text += "Epoch " + std::to_string(e) + ": 100% 50/50 [01:0" + std::to_string(e) + "<00:00, 1.2it/s]\n";
  text += "`Trainer.fit` stopped: `max_steps=150` reached.\n";
  text += "Traceback (most recent call last):\n  File \"/work/run.py\", line 40, in <module>\n";
  text += "ValueError: the test split is empty\n";
  dir.write("job/train.log", text);
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["failure_found"] == true);
  CHECK(j["stage"].is_null());

  // The same failure before the job said so is in training.
  const auto cut = text.find("`Trainer.fit`");
  dir.write("job/train.log", text.substr(0, cut) + text.substr(text.find("Traceback")));
  const auto before = json::parse(run_l4({"diagnose", "--no-history", (dir.path() / "job").string()}).out);
  CHECK(before["stage"]["name"] == "training");
}

TEST_CASE("a watchdog timeout on a collective numbered in the hundreds is in training; on the third, unknown",
          "[e2e][diagnose][stage]") {
  l4::test::TempDir dir;
  const auto watchdog = [](int rank, long seq) {
    return "[E ProcessGroupNCCL.cpp:737] [Rank " + std::to_string(rank) +
           "] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=" + std::to_string(seq) +
           ", OpType=ALLREDUCE, Timeout(ms)=1800000) ran for 180021" + std::to_string(rank) +
           " milliseconds before timing out.\n";
  };
  for (long seq : {46902L, 3L}) {
    std::string text;
    // Process groups number their collectives apart: rank 0's pipeline group is at 33 while the
    // others' data-parallel group is far past setup; the highest says where the job was.
    for (int rank = 0; rank < 4; ++rank) text += watchdog(rank, rank == 0 && seq > 100 ? 33 : seq);
    dir.write("job/train.log", text);
    const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
    REQUIRE(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["verdict"]["category"] == "platform/hang");
    if (seq > 100) {
      CHECK(j["stage"]["name"] == "training");
    } else {
      CHECK(j["stage"].is_null());
    }
  }
}

TEST_CASE("a process's dying words do not count as the job moving on, whatever stage they name", "[e2e][diagnose][stage]") {
  // Two ranks raise the same exception, whose text names a stage ("loaded"); only the launcher's
  // closing line is stamped. The second rank's exception is no progress that the first one's was
  // outlived by: the exception is the root evidence, and it names its category.
  l4::test::TempDir dir;
  const std::string raised =
      "ValueError: You can't train a model that has been loaded with `device_map='auto'` in any distributed mode.\n";
  std::string text;
  for (int rank = 0; rank < 2; ++rank) {
    text += "Traceback (most recent call last):\n  File \"/work/finetune.py\", line 360, in <module>\n    train()\n";
    text += raised;
  }
  text += "[2026-03-14 08:21:40,512] torch.distributed.elastic.multiprocessing.api: [WARNING] Sending process 3817 "
          "closing signal SIGTERM\n";
  dir.write("job/train.log", text);
  const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["verdict"]["category"] == "user/config/arguments");
  REQUIRE_FALSE(j["events"].empty());
  CHECK(j["events"][0]["template"].get<std::string>().find("ValueError") != std::string::npos);
}

TEST_CASE("the launcher's forced kill of workers it could not stop is no out-of-memory kill", "[e2e][diagnose]") {
  // A collective times out; torchrun sends SIGTERM and, after its grace period, SIGKILL. The SIGKILL
  // is the launcher's own: the verdict stays the timeout's.
  const auto j = diagnose_one_log(
      "[rank1]:[E1206 10:30:00.000000 1234 ProcessGroupNCCL.cpp:616] [Rank 1] Watchdog caught collective operation "
      "timeout: WorkNCCL(SeqNum=5120, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=1800000) ran for 1800087 "
      "milliseconds before timing out.\n"
      "[2026-12-06 10:30:05,000] torch.distributed.elastic.multiprocessing.api: [WARNING] Sending process 1235 "
      "closing signal SIGTERM\n"
      "[2026-12-06 10:30:35,000] torch.distributed.elastic.multiprocessing.api: [WARNING] Unable to shutdown "
      "process 1235 via Signals.SIGTERM, forcefully exiting via Signals.SIGKILL\n");
  CHECK(j["verdict"]["category"] == "platform/hang");
}

TEST_CASE("a launcher that was sent SIGTERM is no uncaught exception of the job's code", "[e2e][diagnose]") {
  // Who sent the SIGTERM (a scheduler's preemption or time limit, the owner's scancel) the lines do
  // not say: l4 abstains rather than call the launcher's SignalException a bug in the job's code.
  const auto j = diagnose_one_log(
      "[2026-01-01 10:00:00,000] torch.distributed.elastic.agent.server.api: [WARNING] Received Signals.SIGTERM "
      "death signal, shutting down workers\n"
      "[2026-01-01 10:00:00,001] torch.distributed.elastic.multiprocessing.api: [WARNING] Closing process 1234 via "
      "signal SIGTERM\n"
      "Traceback (most recent call last):\n  File \"/usr/bin/torchrun\", line 8, in <module>\n    sys.exit(main())\n"
      "torch.distributed.elastic.multiprocessing.api.SignalException: Process 1200 got signal: 15\n");
  CHECK(j["verdict"]["category"] == "unknown");
}

TEST_CASE("a shell's error is the root; the launcher's report that its command failed frames it", "[e2e][diagnose]") {
  // colossalai run exports the environment in the shell it starts torchrun from; the shell rejects
  // a variable, and the launcher reports that its command failed (data/formats.json 'shell',
  // data/event_grouping.json 'command_reports').
  const auto j = diagnose_one_log(
      "bash: UID: readonly variable\n"
      "Error: failed to run torchrun --nproc_per_node=8 --nnodes=2 --node_rank=0 --master_addr=10.0.0.12 "
      "--master_port=29500 train.py on 10.0.0.12, is localhost: False, exception: Encountered a bad command exit "
      "code!\n");
  REQUIRE_FALSE(j["events"].empty());
  const auto& root = j["events"][0];
  CHECK(root["role"] == "root");
  CHECK(root["first"]["text"] == "bash: UID: readonly variable");
  REQUIRE(root["related"].size() == 1);
  REQUIRE(j["related_events"].size() == 1);
  CHECK(j["related_events"][0]["event_id"] == root["related"][0]);
  CHECK(j["related_events"][0]["first"]["text"].get<std::string>().rfind("Error: failed to run torchrun", 0) == 0);
}

TEST_CASE("a run whose training bar reached its total, or that printed its summary, outlives a teardown abort",
          "[e2e][diagnose][success]") {
  // ms-swift's Trainer draws "Train: 100%| N/N"; tqdm redraws the bar when it closes, after the
  // trainer's summary; a C++ abort while the allocator is torn down follows (data/stages.json
  // 'iteration', src/diagnose/completion.cpp).
  const std::string abort =
      "terminate called after throwing an instance of 'c10::Error'\n"
      "  what():  Trying to free a pointer not allocated here\n"
      "Exception raised from raw_delete at /pytorch/torch/csrc/cuda/CUDAPluggableAllocator.cpp:151 (most recent call "
      "first):\n";
  const auto completed = [](const std::string& text) {
    l4::test::TempDir dir;
    dir.write("job/node-01.log", text);
    const auto r = run_l4({"diagnose", "--no-history", (dir.path() / "job").string()});
    const auto j = json::parse(r.out);
    INFO(r.out);
    CHECK_FALSE(j["failure_found"].get<bool>());
    return j["completion"].is_array() && !j["completion"].empty();  // the lines that say it completed
  };
  CHECK(completed("Train:  50%|#####     | 371/742 [55:00<55:00, 8.90s/it]\n"
                  "Train: 100%|##########| 742/742 [1:50:01<00:00, 8.90s/it]\n"
                  "[INFO:swift] last_model_checkpoint: /runs/v0/last\n" + abort));
  CHECK(completed("{'train_runtime': 1573.86, 'train_samples_per_second': 0.017, 'train_steps_per_second': 0.002, "
                  "'train_loss': 0.0149, 'epoch': 0.99}\n"
                  "Train:  99%|#########9| 246/248 [43:41<21:19, 639.50s/it]\n"
                  "[INFO:swift] last_model_checkpoint: /runs/v1/checkpoint-200\n" + abort));
}

TEST_CASE("a normal job's row of numbers does not make another job's error routine", "[e2e][diagnose][history]") {
  // The normal job prints a table: its rows mine into a template of parameters only, "<*> <*> <*>
  // <*> <*> <*>". The failing job's error has six tokens too; had the history's templates taken it,
  // it would count as something normal jobs print and the failure would vanish.
  l4::test::TempDir dir;
  dir.write("normal/node-01.log",
            "#       size         count     time   algbw   busbw  #wrong\n"
            "  3221225472     805306368    28286  113.88  213.53      0\n"
            "  1073741824     268435456     9528  112.69  211.30      0\n"
            "# Out of bounds values : 0 OK\n");
  dir.write("failed/node-01.log",
            "Traceback (most recent call last):\n"
            "  File \"/app/train.py\", line 8, in <module>\n"
            "    os.makedirs(out, exist_ok=True)\n"
            "PermissionError: [Errno 13] Permission denied: 'run-07'\n");
  const auto db = (dir.path() / "h.db").string();
  REQUIRE(run_l4({"history", "add", "-q", "--db", db, "--job-id", "ok-1", (dir.path() / "normal").string()}).exit_code == 0);
  const auto r = run_l4({"diagnose", "--db", db, (dir.path() / "failed").string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["failure_found"] == true);
  CHECK(j["verdict"]["category"] == "user/config/permission");
}
