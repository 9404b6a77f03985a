// LineForms: stack frames and the source they quote, framing lines and one-label headers, with the
// embedded data/event_grouping.json; a malformed table is rejected.
#include <catch2/catch.hpp>

#include <string>
#include <optional>
#include <string_view>

#include "l4/error.hpp"
#include "l4/extract/line_forms.hpp"

using l4::extract::LineForm;
using l4::extract::LineForms;

namespace {
const LineForms& forms() {
  static const LineForms f;
  return f;
}
}  // namespace

TEST_CASE("a traceback frame and the source line under it are code", "[extract][forms]") {
  const std::string_view frame = R"(  File "/usr/lib/python3.10/site-packages/torch/nn/modules/module.py", line 1501, in _call_impl)";
  CHECK(forms().frame(frame));
  CHECK(forms().form(frame, nullptr) == LineForm::code);
  // The quoted source sits deeper than its frame; the exception line after the last frame does not.
  CHECK(forms().form("    raise RuntimeError(\"Error(s) in loading state_dict\")", &frame) == LineForm::code);
  CHECK(forms().form("RuntimeError: Error(s) in loading state_dict for GPTModel", &frame) == LineForm::statement);
  CHECK(forms().form("    raise RuntimeError(\"x\")", nullptr) == LineForm::statement);
  CHECK_FALSE(forms().frame("File data/train.json not found"));
}

TEST_CASE("framing lines and one-label headers state nothing of their own", "[extract][forms]") {
  CHECK(forms().form("Traceback (most recent call last):", nullptr) == LineForm::framing);
  CHECK(forms().form("frame #3: c10d::ProcessGroupNCCL::WorkNCCL::checkTimeout() + 0x1a0", nullptr) ==
        LineForm::framing);
  CHECK(forms().form("Last error:", nullptr) == LineForm::header);
  CHECK(forms().form("Uncaught exception: ", nullptr) == LineForm::header);
  CHECK(LineForms::header("Last error:"));
  CHECK_FALSE(LineForms::header("RuntimeError: Failed to import x because of the following error:"));  // two colons
  CHECK_FALSE(LineForms::header("Traceback (most recent call last):"));  // a colon after ')' ends no label
  CHECK(forms().form("Duplicate GPU detected : rank 3 and rank 0 both on CUDA device f000", nullptr) ==
        LineForm::statement);
}

// Framing is judged on the first sentence: the runtime's advice glued after an error (an
// exception's text flattened into one line) does not take the error's statement away.
TEST_CASE("advice glued after a statement leaves the line a statement", "[extract][forms]") {
  CHECK(forms().framing("CUDA kernel errors might be asynchronously reported at some other API call, so the "
                        "stacktrace below might be incorrect."));
  CHECK(forms().framing("[Rank 2] Some NCCL operations have failed or timed out. Due to the asynchronous nature of "
                        "CUDA kernels, subsequent GPU operations might run on corrupted/incomplete data."));
  CHECK_FALSE(forms().framing("CUDA error: uncorrectable ECC error encountered. CUDA kernel errors might be "
                              "asynchronously reported at some other API call"));
  CHECK_FALSE(forms().framing("RuntimeError('CUDA error: an illegal memory access was encountered\\nCUDA kernel "
                              "errors might be asynchronously reported at some other API call')"));
}

TEST_CASE("a grouping table without its keys or with a bad pattern is rejected", "[extract][forms]") {
  CHECK_THROWS_AS(LineForms("{"), l4::InputError);
  CHECK_THROWS_AS(LineForms(R"({"framing": []})"), l4::InputError);
  try {
    LineForms bad(R"({"framing": ["ok", "(unclosed"], "traceback_frame": "x"})");
    FAIL("accepted a bad pattern");
  } catch (const l4::InputError& e) {
    CHECK(std::string(e.what()).find("/framing/1: pattern does not compile") != std::string::npos);
  }
  const LineForms none(R"({"framing": [], "traceback_frame": "^never$"})");
  CHECK(none.form("Traceback (most recent call last):", nullptr) == LineForm::statement);
}

TEST_CASE("the grouping table is validated on load, errors naming the JSON path", "[extract][forms]") {
  auto error = [](std::string_view json) {
    try {
      LineForms forms(json);
    } catch (const l4::InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(error(R"({"framing": [], "traceback_frame": "x", "colour": 1})").find("/colour: unknown key") != std::string::npos);
  CHECK(error(R"({"framing": ["a|"], "traceback_frame": "x"})").find("/framing/0: pattern matches the empty string") !=
        std::string::npos);
  CHECK(error(R"({"framing": [], "traceback_frame": "x", "command_reports": [{"pattern": "failed to run"}]})")
            .find("/command_reports/0/source") != std::string::npos);
  CHECK(error(R"({"framing": [], "traceback_frame": "x", "min_value_chars": 0})").find("/min_value_chars") !=
        std::string::npos);
}

TEST_CASE("a frame's function and the grouping constants come from the table", "[extract][forms]") {
  CHECK(forms().frame_function(R"(  File "train.py", line 3, in main)") == std::optional<std::string_view>("main"));
  CHECK(forms().frame_function(R"(  File "train.py", line 3)") == std::optional<std::string_view>(""));
  CHECK_FALSE(forms().frame_function("RuntimeError: in main").has_value());
  CHECK(forms().block_lines() == 40);  // data/event_grouping.json
  const LineForms custom(R"j({"framing": [], "traceback_frame": "^at (\\w+)", "block_lines": 7, "min_value_chars": 5})j");
  CHECK(custom.block_lines() == 7);
  CHECK(custom.min_value_chars() == 5);
  CHECK(custom.frame_function("at main \"x\"") == std::optional<std::string_view>("main"));
}

TEST_CASE("a list of possible causes names hypotheses: the line up to it is what it states", "[extract][forms]") {
  const std::string_view ray =
      "Worker exit detail: Worker unexpectedly exits with a connection error code 2. End of file. There are some potential "
      "root causes. (1) The process is killed by SIGKILL by OOM killer due to high memory usage. (3) The worker is crashed "
      "unexpectedly due to SIGSEGV or other unexpected errors.";
  const auto stated = forms().before_hedge(ray);
  CHECK(stated == "Worker exit detail: Worker unexpectedly exits with a connection error code 2. End of file. There are some ");
  CHECK(forms().before_hedge("        Possible Cause: 1. The timeout interval may be improperly set.") == "        ");
  const std::string_view plain = "RuntimeError: CUDA error: out of memory";
  CHECK(forms().before_hedge(plain) == plain);
  const LineForms none(R"({"framing": [], "traceback_frame": "x"})");
  CHECK(none.before_hedge(ray) == ray);
}

TEST_CASE("a guess at a cause, or a fallback the program takes, ends what a line states", "[extract][forms]") {
  // What follows is a hypothesis, or a condition the program went on from: no fault it states.
  CHECK(forms().before_hedge("Warning: multi_tensor_applier fused unscale kernel is unavailable, possibly because apex was "
                             "installed without --cuda_ext --cpp_ext. Using Python fallback. Original ImportError was: "
                             "ModuleNotFoundError(\"No module named 'amp_C'\")") ==
        "Warning: multi_tensor_applier fused unscale kernel is unavailable, ");
  CHECK(forms().before_hedge("FlashInfer is not available. Falling back to the PyTorch-native implementation of top-p & "
                             "top-k sampling. For the best performance, please install FlashInfer.") ==
        "FlashInfer is not available. ");
  // A fault stated before the fallback stays stated.
  const std::string_view ib = "NET/IB : ibv_open_device failed, falling back to sockets";
  CHECK(forms().before_hedge(ib) == "NET/IB : ibv_open_device failed, ");
}

TEST_CASE("a chained exception's separator frames, and is told apart from other framing", "[extract][forms]") {
  const std::string_view during = "During handling of the above exception, another exception occurred:";
  const std::string_view cause = "  The above exception was the direct cause of the following exception:";
  CHECK(forms().chain_separator(during));
  CHECK(forms().chain_separator(cause));
  CHECK(forms().framing(during));  // a separator only frames the exceptions around it
  CHECK_FALSE(forms().chain_separator("Traceback (most recent call last):"));
  CHECK_FALSE(forms().chain_separator("RuntimeError: the above exception was not handled"));
  const LineForms custom(
      R"j({"framing": [], "traceback_frame": "x", "chain_separators": [{"pattern": "^Caused by:", "source": "test"}]})j");
  CHECK(custom.chain_separator("Caused by: java.io.IOException"));
  CHECK(custom.framing("Caused by: java.io.IOException"));
  CHECK_FALSE(custom.chain_separator(during));
  CHECK_THROWS_AS(LineForms(R"j({"framing": [], "traceback_frame": "x", "chain_separators": [{"pattern": "a"}]})j"),
                  l4::InputError);
}
