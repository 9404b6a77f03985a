// JobScanner on two threads: the same scan as on one (the README promises that the result does not
// depend on the thread count). Under ThreadSanitizer (tools/dev.sh tsan) this is the test that
// runs the threaded scanner's workers against one frozen template store.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "diagnose/job_scanner.hpp"
#include "l4/parse/template_id.hpp"
#include "support/test_support.hpp"

using l4::diagnose::JobScan;
using l4::diagnose::JobScanner;
using l4::diagnose::ScanOptions;

namespace {

JobScan scan_with(unsigned threads, const std::vector<std::string>& paths) {
  ScanOptions options;
  options.threads = threads;
  options.sample_lines_per_file = 20;  // most lines are matched or mined after the parallel pass
  return JobScanner(options).scan(paths);
}

// One node's log text, written to a scratch job directory and scanned on one thread.
JobScan scan_text(const std::string& text) {
  l4::test::TempDir dir;
  dir.write("job/node.log", text);
  return scan_with(1, {(dir.path() / "job").string()});
}

}  // namespace

TEST_CASE("the threaded scan equals the single-threaded one", "[diagnose][scanner][threads]") {
  const std::vector<std::string> paths{l4::test::fixture("diagnose/ecc-job").string(),
                                       std::string(L4_SOURCE_DIR) + "/data/jobs/gpu-ecc/logs"};
  const auto one = scan_with(1, paths);
  const auto two = scan_with(2, paths);
  REQUIRE(one.events.size() == two.events.size());
  for (std::size_t i = 0; i < one.events.size(); ++i) {
    INFO(one.events[i].text);
    CHECK(one.events[i].id == two.events[i].id);
    CHECK(one.events[i].count == two.events[i].count);
    CHECK(one.events[i].node_counts == two.events[i].node_counts);
    CHECK(one.events[i].first.line == two.events[i].first.line);
    CHECK(one.events[i].first.file == two.events[i].first.file);
  }
  REQUIRE(one.nodes.size() == two.nodes.size());
  for (std::size_t n = 0; n < one.nodes.size(); ++n) {
    CHECK(one.nodes[n].id == two.nodes[n].id);
    CHECK(one.nodes[n].lines == two.nodes[n].lines);
    CHECK(one.nodes[n].last_iteration == two.nodes[n].last_iteration);
  }
  CHECK(one.ingest.total.used == two.ingest.total.used);
  CHECK(one.iteration_anomalies.size() == two.iteration_anomalies.size());
}

// A line printed with no level that reports an error is the failure, not the job moving on, even
// when it quotes stage words ("NCCL version" marks init): the socket error before it stays the last
// thing the job did, not something it outlived.
TEST_CASE("an unlevelled error line marks no progress", "[diagnose][scanner][progress]") {
  const JobScan scan = scan_text("NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>\n"
                                 "Net : Call to recv from 10.0.0.3<41022> failed : Connection refused\n"
                                 "NCCL error in: ProcessGroupNCCL.cpp:1269, internal error, NCCL version 2.14.3\n");
  REQUIRE(scan.nodes.size() == 1);
  REQUIRE(scan.nodes[0].last_progress.valid());
  CHECK(scan.nodes[0].last_progress.line == 1);  // the INFO bootstrap line, not the error line
  REQUIRE(scan.file_last_progress.size() == 1);
  CHECK(scan.file_last_progress[0] == 1);
}

// The same for a line that reports an exception: Python's unraisable-exception hook names the
// object it was cleaning up ("_MultiProcessingDataLoaderIter" holds the loading word "DataLoader").
TEST_CASE("an unlevelled exception report marks no progress", "[diagnose][scanner][progress]") {
  const JobScan scan = scan_text("> building train, validation, and test datasets ...\n"
                                 "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).\n"
                                 "Exception ignored in atexit callback: <function _MultiProcessingDataLoaderIter._clean_up_worker at 0x7f01>\n");
  REQUIRE(scan.file_last_progress.size() == 1);
  CHECK(scan.file_last_progress[0] == 1);  // the datasets line, not the exception report after it
}

TEST_CASE("a traceback relayed behind a prefix still names its stage and its exception", "[diagnose][scanner][traceback]") {
  // A logger's or launcher's prefix before every line ("[pid 28936] ") puts the frames'
  // indentation after it; a line of another stream in between ("stdout: ...") is not the raise.
  const JobScan scan = scan_text("[pid 28936] ERROR main failed\n"
                                 "[pid 28936] Traceback (most recent call last):\n"
                                 "[pid 28936]   File \"/opt/conda/lib/python3.10/site-packages/torch/serialization.py\", line 379, in save\n"
                                 "[pid 28936]     _save(obj, opened_zipfile, pickle_module, pickle_protocol)\n"
                                 "stdout: INFO still running\n"
                                 "[pid 28936] OSError: [Errno 28] No space left on device\n");
  REQUIRE(scan.frame_stages.size() == 1);
  CHECK(scan.frame_stages[0].line == 3);
  CHECK(scan.frame_stages[0].stage == l4::diagnose::Stage::checkpoint);
  std::vector<std::string> raised;
  for (const auto& e : scan.events) {
    if (e.raised > 0) raised.push_back(e.first_content);
  }
  REQUIRE(raised.size() == 1);
  CHECK(raised[0] == "[pid 28936] OSError: [Errno 28] No space left on device");
}

TEST_CASE("a chained exception's report is no progress, whatever stage its lines name", "[diagnose][scanner][traceback]") {
  const JobScan scan = scan_text("saving checkpoint at iteration 200 to /ckpt\n"
                                 "Traceback (most recent call last):\n"
                                 "  File \"/usr/lib/python3/dist-packages/torch/serialization.py\", line 1266, in _save\n"
                                 "RuntimeError: [enforce fail at inline_container.cc:857] . PytorchStreamWriter failed writing file data/37\n"
                                 "\n"
                                 "During handling of the above exception, another exception occurred:\n"
                                 "\n"
                                 "ray::WorkerDict.actor_rollout_save_checkpoint() (pid=30517, ip=10.0.0.2)\n");
  REQUIRE(scan.nodes.size() == 1);
  REQUIRE(scan.nodes[0].last_progress.valid());
  CHECK(scan.nodes[0].last_progress.line == 1);  // the save marker, not the chained report's line 8
}

TEST_CASE("a script's entry function names no stage, whatever it is called", "[diagnose][scanner][traceback]") {
  // The frame a script's top level calls runs the whole program: 'def train()' as a script's main
  // says nothing of what the process was doing. Frames inside it still do (a constructor here).
  const JobScan scan = scan_text("Traceback (most recent call last):\n"
                                 "  File \"/work/sft.py\", line 305, in <module>\n"
                                 "    train()\n"
                                 "  File \"/work/sft.py\", line 290, in train\n"
                                 "    model = get_peft_model(model, config)\n"
                                 "  File \"/opt/conda/lib/python3.10/site-packages/peft/peft_model.py\", line 111, in __init__\n"
                                 "    self.base_model = LoraModel(model, peft_config, adapter_name)\n"
                                 "ValueError: Target modules ['query_key_value'] not found in the base model.\n"
                                 "Traceback (most recent call last):\n"
                                 "  File \"/work/loop.py\", line 80, in <module>\n"
                                 "    main()\n"
                                 "  File \"/work/loop.py\", line 61, in main\n"
                                 "    train(model, loader)\n"
                                 "  File \"/work/loop.py\", line 40, in train\n"
                                 "    loss = step(batch)\n"
                                 "RuntimeError: CUDA error: an illegal memory access was encountered\n");
  std::vector<std::pair<std::uint64_t, l4::diagnose::Stage>> stages;
  for (const auto& f : scan.frame_stages) stages.emplace_back(f.line, f.stage);
  // sft.py's 'train' (line 4) is the entry function; loop.py's (line 14) is called by main().
  CHECK(stages == std::vector<std::pair<std::uint64_t, l4::diagnose::Stage>>{{6, l4::diagnose::Stage::init},
                                                                           {14, l4::diagnose::Stage::training}});
}

TEST_CASE("a traceback raised while a module was imported is set-up; the loop's own frame outranks it",
          "[diagnose][scanner][traceback]") {
  const JobScan scan = scan_text("Traceback (most recent call last):\n"
                                 "  File \"/work/train.py\", line 13, in <module>\n"
                                 "    from titans.model.vit import vit\n"
                                 "  File \"/opt/conda/lib/python3.8/site-packages/titans/model/vit/vit.py\", line 6, in <module>\n"
                                 "    from colossalai.builder.pipeline import partition_uniform\n"
                                 "ModuleNotFoundError: No module named 'colossalai.builder.pipeline'\n"
                                 "Traceback (most recent call last):\n"
                                 "  File \"/work/loop.py\", line 40, in train_one_epoch\n"
                                 "    import metrics\n"
                                 "ImportError: cannot import name 'bleu' from 'metrics'\n");
  std::vector<std::tuple<std::uint64_t, l4::diagnose::Stage, bool>> stages;
  for (const auto& f : scan.frame_stages) stages.emplace_back(f.line, f.stage, f.fallback);
  using l4::diagnose::Stage;
  // The quoted import lines (3, 5, 9) are fallback set-up frames; train_one_epoch (8) names training.
  CHECK(stages == std::vector<std::tuple<std::uint64_t, Stage, bool>>{
                      {3, Stage::init, true}, {5, Stage::init, true}, {8, Stage::training, false}, {9, Stage::init, true}});
}

TEST_CASE("a refused constructor call is a fallback set-up frame on its own line", "[diagnose][scanner][traceback]") {
  const JobScan scan = scan_text("Initializing dreambooth training...\n"
                                 "Exception initializing accelerator: Accelerator.__init__() got an unexpected keyword "
                                 "argument 'project_dir'\n");
  REQUIRE(scan.frame_stages.size() == 1);
  CHECK(scan.frame_stages[0].line == 2);
  CHECK(scan.frame_stages[0].stage == l4::diagnose::Stage::init);
  CHECK(scan.frame_stages[0].fallback);
}

TEST_CASE("a progress bar drawn once after an uncaught traceback is not the job going on; a further report is",
          "[diagnose][scanner][traceback]") {
  // tqdm draws its bar once more when the process exits, after the interpreter printed the
  // traceback: that line alone says nothing of the job going on.
  const std::string traceback = "Traceback (most recent call last):\n"
                                "  File \"/work/train.py\", line 312, in save_model\n"
                                "    save_file(state_dict, output_file)\n"
                                "RuntimeError: Some tensors share memory\n";
  const JobScan exits = scan_text(traceback + "steps:   1%|          | 100/18165 [07:46<23:24:42,  4.67s/it, loss=0.112]\n");
  REQUIRE(exits.nodes.size() == 1);
  CHECK_FALSE(exits.nodes[0].last_progress.valid());
  const JobScan goes_on = scan_text(traceback + "steps:   1%|          | 100/18165 [07:46<23:24:42,  4.67s/it, loss=0.112]\n"
                                                "steps:   1%|          | 101/18165 [07:51<23:24:42,  4.67s/it, loss=0.108]\n");
  REQUIRE(goes_on.nodes[0].last_progress.valid());
  CHECK(goes_on.nodes[0].last_progress.line == 6);
}
