#include <catch2/catch.hpp>

#include "diagnose/stage_classifier.hpp"

using namespace l4::diagnose;

TEST_CASE("templates are classified into stage markers from data/stages.json", "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.classify("saving checkpoint at iteration <*> to <*>").marks == Stage::checkpoint);
  CHECK(c.classify("building GPT model ...").marks == Stage::loading);
  CHECK(c.classify("loading checkpoint from <*> at iteration <*>").marks == Stage::loading);
  CHECK(c.classify("Bootstrap : Using eth0:<*>").marks.has_value());
  CHECK(c.classify("Evaluating iter <*>/<*>").marks == Stage::evaluation);
  CHECK(c.classify("***** Running Evaluation *****").marks == Stage::evaluation);
  CHECK_FALSE(c.classify("hello world").marks.has_value());
}

TEST_CASE("a stage's results end it; setup lines that only name a stage do not mark it", "[diagnose][stage]") {
  StageClassifier c;
  const auto result = c.classify("validation loss at iteration <*> | lm loss value: <*> |");
  CHECK(result.ends == Stage::evaluation);
  CHECK_FALSE(result.marks.has_value());
  CHECK(c.classify("{'eval_loss': <*>, 'eval_runtime': <*>, 'epoch': <*>}").ends == Stage::evaluation);
  CHECK(c.classify("successfully saved checkpoint from iteration <*> to <*>").ends == Stage::checkpoint);
  CHECK(c.classify("[Torch] Checkpoint <*> is ready now!").ends == Stage::checkpoint);
  CHECK_FALSE(c.classify("saving checkpoint at iteration <*> to <*>").ends.has_value());
  // Setup lines that mention evaluation or training without one under way.
  CHECK_FALSE(c.classify("Training/evaluation parameters TrainingArguments(bf16=True, do_eval=<*>)").marks.has_value());
  CHECK(c.classify("> building train, validation, and test datasets ...").marks == Stage::loading);
  CHECK_FALSE(c.classify("***** Running training *****").marks.has_value());
}

TEST_CASE("iteration numbers are read from the template's parameter when it holds one", "[diagnose][stage]") {
  StageClassifier c;
  const auto megatron = c.classify("iteration <*> <*> | consumed samples: <*> | lm loss: <*> |");
  REQUIRE(megatron.iteration_pattern >= 0);
  CHECK(megatron.marks == Stage::training);
  CHECK(megatron.iteration_parameter == 0);
  const std::string content = "iteration 39/ 1000 | consumed samples: 512 | lm loss: 2.1 |";
  const std::vector<std::string_view> params{"39/", "1000", "512", "2.1"};
  CHECK(c.iteration(megatron, content, params) == 39);

  const auto ds = c.classify("[Rank <*>] step=<*>, skipped=<*>, lr=<*>");
  REQUIRE(ds.iteration_pattern >= 0);
  CHECK(ds.iteration_parameter == 1);
  CHECK(c.iteration(ds, "[Rank 0] step=120, skipped=0, lr=[0.1]", std::vector<std::string_view>{"0", "120", "0", "[0.1]"}) == 120);

  // A template whose number is literal text still yields it, from the line itself.
  const auto literal = c.classify("iteration 5/ 100 | lm loss: <*> |");
  REQUIRE(literal.iteration_pattern >= 0);
  CHECK(literal.iteration_parameter == -1);
  CHECK(c.iteration(literal, "iteration 5/ 100 | lm loss: 3 |", std::vector<std::string_view>{"3"}) == 5);

  CHECK(c.classify("Watchdog caught collective operation timeout").iteration_pattern == -1);
}

TEST_CASE("a checkpoint being loaded names the iteration the job resumes from", "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.resumed_iteration("loading checkpoint from /ckpt/llama/global_step5000/mp_rank_00_model_states.pt") == 5000);
  CHECK(c.resumed_iteration(" loading checkpoint from /checkpoints/gpt3 at iteration 1200") == 1200);
  CHECK(c.resumed_iteration("loading checkpoint from /ckpt/iter_0001057/") == 1057);
  CHECK(c.resumed_iteration("Loading model from /out/checkpoint-500") == 500);
  CHECK_FALSE(c.resumed_iteration("loading dataset index /data/train_text_document.idx").has_value());
}

TEST_CASE("traceback frames name the stage: Python functions and C/C++ error-return traces", "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.frame_stage("backward") == Stage::training);
  CHECK(c.frame_stage("save_checkpoint") == Stage::checkpoint);
  CHECK(c.frame_stage("from_pretrained") == Stage::loading);
  CHECK_FALSE(c.frame_stage("main").has_value());
  // NCCL passes an error result up its stack (INFO(NCCL_ALL, "%s:%d -> %d")): set-up files say init.
  CHECK(c.return_trace_stage("gpu-7:3063:3066 [0] NCCL INFO init.cc:1079 -> 3") == Stage::init);
  CHECK(c.return_trace_stage("host [5] NCCL INFO bootstrap.cc:868 -> 6 ncclSocketConnect()") == Stage::init);
  // Files that serve every collective name no stage; a success code (-> 0) is no error.
  CHECK_FALSE(c.return_trace_stage("host [0] NCCL INFO enqueue.cc:1123 -> 6").has_value());
  CHECK_FALSE(c.return_trace_stage("host [0] NCCL INFO init.cc:1079 -> 0").has_value());
  CHECK_FALSE(c.return_trace_stage("Loading init.cc").has_value());
}
