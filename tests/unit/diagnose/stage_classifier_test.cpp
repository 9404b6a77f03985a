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

TEST_CASE("a constructor frame names set-up only as a fallback", "[diagnose][stage]") {
  StageClassifier c;
  CHECK_FALSE(c.frame_stage("__init__").has_value());
  CHECK(c.fallback_frame_stage("__init__") == Stage::init);
  CHECK_FALSE(c.fallback_frame_stage("backward").has_value());
  CHECK_FALSE(c.fallback_frame_stage("_init_weights").has_value());  // only the constructor itself
  CHECK(c.fallback_frame_stage("__post_init__") == Stage::init);       // a dataclass validating its fields
}

TEST_CASE("a DataLoader handing out its next batch names training only as a fallback", "[diagnose][stage]") {
  StageClassifier c;
  CHECK_FALSE(c.frame_stage("_next_data").has_value());  // an evaluation loop's frame wins
  CHECK(c.fallback_frame_stage("_next_data") == Stage::training);
  CHECK_FALSE(c.fallback_frame_stage("__next__").has_value());  // any iterator's, not the DataLoader's
}

TEST_CASE("parsing the command line or a configuration file is set-up", "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.frame_stage("parse_args") == Stage::init);
  CHECK(c.frame_stage("_parse_args") == Stage::init);                   // a launcher's own
  CHECK(c.frame_stage("parse_args_into_dataclasses") == Stage::init);  // HfArgumentParser
  CHECK(c.frame_stage("parse_yaml_file") == Stage::init);
  CHECK_FALSE(c.frame_stage("parse").has_value());  // a one-word name names only itself
}

TEST_CASE("a frame quoting an import statement names set-up, as a fallback", "[diagnose][stage]") {
  StageClassifier c;
  const auto from = c.quoted_code_stage("    from transformers import Trainer");
  REQUIRE(from.has_value());
  CHECK(from->stage == Stage::init);
  CHECK(from->fallback);  // a lazy import inside a training loop is named by the loop's frame
  CHECK(c.quoted_code_stage("    import deepspeed") .has_value());
  CHECK(c.quoted_code_stage("    from . import gpt").has_value());
  CHECK_FALSE(c.quoted_code_stage("    loss = importance * weight").has_value());
  CHECK_FALSE(c.quoted_code_stage("    model = import_model(path)").has_value());
  CHECK_FALSE(c.quoted_code_stage("    train()").has_value());
}

TEST_CASE("a constructor call Python refused for its arguments is set-up; another refused call names nothing",
          "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.classify("TypeError: Accelerator.__init__() got an unexpected keyword argument 'project_dir'").refused_call ==
        Stage::init);
  CHECK(c.classify("TypeError: __init__() got an unexpected keyword argument <*>").refused_call == Stage::init);
  CHECK(c.classify("TypeError: __init__() missing 1 required positional argument: 'config'").refused_call == Stage::init);
  CHECK(c.classify("TypeError: __init__() takes 2 positional arguments but 3 were given").refused_call == Stage::init);
  // The callee never ran: a refused call to 'train' says nothing of where the process was.
  CHECK_FALSE(c.classify("TypeError: train() got an unexpected keyword argument 'resume'").refused_call.has_value());
  CHECK_FALSE(c.classify("RuntimeError: __init__ failed for rank 3").refused_call.has_value());
}

TEST_CASE("a marker written against a line's text still marks the template that made its number a parameter",
          "[diagnose][stage]") {
  StageClassifier c;
  // `^\s*Epoch \d+\b` (stages.json) is written against lines; the miner makes the number "<*>".
  CHECK(c.classify("Epoch <*>: <*> seconds").marks == Stage::training);
  CHECK(c.classify("Epoch 0: 6843.771 seconds").marks == Stage::training);
  CHECK_FALSE(c.classify("Epoch start time: <*>, epoch end time: <*>").marks.has_value());
}

TEST_CASE("a line reporting a loss value is training; an evaluation's loss ends evaluation", "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.classify("iter <*>: loss <*>, time: <*>ms").marks == Stage::training);
  CHECK(c.classify("ep 1 train, step 98, acc 0.007, loss 9.071, loss_att 9.377, total 9.071").marks == Stage::training);
  CHECK(c.classify("validation loss at iteration <*> | lm loss value: <*> |").ends == Stage::evaluation);
  CHECK_FALSE(c.classify("using loss scaling for fp16").marks.has_value());
  CHECK_FALSE(c.classify("no loss of data expected").marks.has_value());
}

TEST_CASE("a progress bar the program labels as evaluation or validation is the evaluation loop's", "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.classify("Validation DataLoader 0:  25%|##5       | 1/4 [00:00<00:00,  4.13it/s]").marks == Stage::evaluation);
  CHECK(c.classify("Generation Evaluation: <*>|<*>| <*>/<*> [<*>:<*>:<*><<*>:<*>, <*>s/it]").marks == Stage::evaluation);
  CHECK(c.classify("Evaluating:  40%|####      | 40/100 [00:10<00:15,  4.00it/s]").marks == Stage::evaluation);
  // A training bar, or a line that only mentions validation, is not.
  CHECK(c.classify("Epoch 3:  40%|####      | 40/100 [00:10<00:15,  4.00it/s, loss=0.31]").marks == Stage::training);
  CHECK_FALSE(c.classify("validation set: 1200 samples, batch size 8").marks == Stage::evaluation);
}

TEST_CASE("a progress bar counting examples is data preparation, one counting iterations is not", "[diagnose][stage]") {
  StageClassifier c;
  // Hugging Face datasets' map/filter counts ' examples' whatever the script names the work.
  CHECK(c.classify("Grouping texts in chunks of 2049:   8%|8         | 726000/9672101 [02:32<30:38, 4866.01 examples/s]")
            .marks == Stage::loading);
  CHECK_FALSE(c.classify("Grouping texts in chunks of 2049:   8%|8         | 726000/9672101 [02:32<30:38, 4866.01 it/s]")
                  .marks.has_value());
}

TEST_CASE("a frame names a stage by a function of several words inside a longer name, by one word only exactly",
          "[diagnose][stage]") {
  StageClassifier c;
  CHECK(c.frame_stage("_load_state_dict_into_meta_model") == Stage::loading);
  CHECK(c.frame_stage("save_checkpoint_to_disk") == Stage::checkpoint);
  CHECK(c.frame_stage("megatron_train_step") == Stage::training);
  // One-word names ("train", "step", "save") are too common to name a stage inside other names.
  CHECK_FALSE(c.frame_stage("train_dataloader").has_value());
  CHECK_FALSE(c.frame_stage("stepwise").has_value());
  CHECK_FALSE(c.frame_stage("offload_state_dicts_helper").has_value());
}

TEST_CASE("a collective's sequence number is read from the template's parameter, with the table's threshold",
          "[diagnose][stage]") {
  StageClassifier c;
  const auto watchdog = c.classify(
      "[Rank <*>] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=<*>, OpType=ALLREDUCE, "
      "Timeout(ms)=<*>) ran for <*> milliseconds before timing out.");
  CHECK(watchdog.collective_parameter == 1);
  CHECK(watchdog.past_setup_collectives == 100);
  CHECK(c.classify("Some NCCL operations have failed or timed out.").collective_parameter == -1);
  // The table's entry is validated: a pattern needs its capture group, a threshold must be positive.
  const std::string stages = R"J({"stages": [], "iteration": [], "collectives": {"pattern": "SeqNum=\\d+",
                                 "past_setup": 100, "source": "test"}})J";
  CHECK_THROWS_WITH(StageClassifier(stages), Catch::Contains("/collectives/pattern") && Catch::Contains("capture group"));
  const std::string zero = R"J({"stages": [], "iteration": [], "collectives": {"pattern": "SeqNum=(\\d+)",
                               "past_setup": 0, "source": "test"}})J";
  CHECK_THROWS_WITH(StageClassifier(zero), Catch::Contains("/collectives/past_setup"));
}

TEST_CASE("a completion line says the job finished its work (data/outcomes.json completion)", "[diagnose][stage]") {
  const l4::diagnose::StageClassifier c;
  CHECK(c.classify("Training completed. Do not forget to share your model on huggingface.co/models =)").completes);
  CHECK(c.classify("[<*>] [INFO] [launch.py:<*>:main] Process <*> exits successfully.").completes);
  // nccl-tests' closing summary (src/common.cu), as printed and as a template
  CHECK(c.classify("# Avg bus bandwidth    : <*>").completes);
  CHECK(c.classify("# Collective test concluded: all_reduce_perf").completes);
  CHECK_FALSE(c.classify("#  size  count  type  redop  root  time  algbw  busbw  #wrong").completes);
  CHECK_FALSE(c.classify("RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:<*>, unhandled system error").completes);
  // ms-swift after trainer.train() returned; the HF scripts' metrics block after training
  CHECK(c.classify("[INFO:swift] last_model_checkpoint: <*>").completes);
  CHECK(c.classify("***** train metrics *****").completes);
  CHECK_FALSE(c.classify("***** Running training *****").completes);
  // verl's last-step metrics; torch elastic's event record for a worker that finished (not one that failed)
  CHECK(c.classify("(TaskRunner pid=<*>) Final validation metrics: {<*>}").completes);
  CHECK(c.classify("{\"name\": \"torchelastic.worker.status.SUCCEEDED\", \"source\": \"WORKER\", \"timestamp\": <*>}").completes);
  CHECK_FALSE(c.classify("{\"name\": \"torchelastic.worker.status.FAILED\", \"source\": \"WORKER\", \"timestamp\": <*>}").completes);
  CHECK_FALSE(c.classify("loading last_model_checkpoint from <*>").completes);
}
