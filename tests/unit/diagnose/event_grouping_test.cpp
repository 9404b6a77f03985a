#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "diagnose/event_grouping.hpp"

using l4::diagnose::EventGrouper;
using l4::diagnose::EventStats;

namespace {
// An event first seen at `line` of file 0 on node 0, with its template, content and parameters.
EventStats event(std::uint64_t line, std::string text, std::string content, std::vector<std::string> params = {}) {
  EventStats e;
  e.text = std::move(text);
  e.first_content = std::move(content);
  e.first_parameters = std::move(params);
  e.count = 1;
  e.first.line = line;
  e.first.time = 100.0 + static_cast<double>(line);
  e.first.stamped = true;
  e.node_counts = {1};
  e.node_first = {e.first};
  e.node_first_parameters = {e.first_parameters};
  return e;
}

std::vector<std::size_t> reps(const std::vector<EventStats>& events) {
  std::vector<const EventStats*> ptrs;
  for (const auto& e : events) ptrs.push_back(&e);
  return EventGrouper().representatives(ptrs);
}
}  // namespace

TEST_CASE("framing lines: wrappers, stack-trace headers, advice", "[diagnose][grouping]") {
  const EventGrouper g;
  CHECK(g.framing("terminate called after throwing an instance of 'c10::Error'"));
  CHECK(g.framing("Exception raised from checkTimeout at ProcessGroupNCCL.cpp:609 (most recent call first):"));
  CHECK(g.framing("Traceback (most recent call last):"));
  CHECK(g.framing("During handling of the above exception, another exception occurred:"));
  CHECK(g.framing("Last error:"));
  // PyTorch's notice that its watchdog caught something, "either an error or timeout": the line
  // before it says which.
  CHECK(g.framing("[PG 0 Rank 5] Exception (either an error or timeout) detected by watchdog at work: 942, "
                  "last enqueued NCCL work: 942, last completed NCCL work: 941."));
  CHECK_FALSE(g.framing("[Rank 5] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=942)"));
  CHECK_FALSE(g.framing("RuntimeError: CUDA error: an illegal memory access was encountered"));
  CHECK_FALSE(g.framing("Last error: connection reset"));
  // The launcher killing the workers that did not stop on SIGTERM: its own kill, no cause.
  CHECK(g.framing("torch.distributed.elastic.multiprocessing.api: [WARNING] Unable to shutdown process 1235 via "
                  "Signals.SIGTERM, forcefully exiting via Signals.SIGKILL"));
  CHECK(g.framing("torch.distributed.elastic.multiprocessing.api.SignalException: Process 1200 got signal: 15"));
  CHECK(g.traceback_frame("  File \"/usr/lib/python3.10/threading.py\", line 324, in wait") == std::optional<std::string_view>("wait"));
  CHECK_FALSE(g.traceback_frame("File \"x.py\", line 3 is not indented, so no frame"));
}

TEST_CASE("a block's framing lines and restatements join the statement they belong to", "[diagnose][grouping]") {
  std::vector<EventStats> events;
  events.push_back(event(10, "[Rank <*>] Watchdog caught collective operation timeout: SeqNum=<*> ran for <*> ms",
                         "[Rank 0] Watchdog caught collective operation timeout: SeqNum=1447 ran for 600011 ms",
                         {"0", "1447", "600011"}));
  events.push_back(event(11, "terminate called after throwing an instance of 'c10::DistBackendError'",
                         "terminate called after throwing an instance of 'c10::DistBackendError'"));
  // Quotes event 0 whole (its numbers may differ: it was printed again).
  events.push_back(event(12, "what(): [PG <*>] thread terminated with exception: [Rank <*>] Watchdog caught collective "
                             "operation timeout: SeqNum=<*> ran for <*> ms",
                         "  what():  [PG 0] thread terminated with exception: [Rank 0] Watchdog caught collective "
                         "operation timeout: SeqNum=1447 ran for 600006 ms",
                         {"0", "0", "1447", "600006"}));
  // A launcher line and its summary: the summary's facts are all in the first line.
  events.push_back(event(20, "failed (exitcode: <*>) local_rank: <*> (pid: <*>)",
                         "failed (exitcode: -6) local_rank: 1 (pid: 3741259)", {"-6", "1", "3741259"}));
  events.push_back(event(30, "exitcode : <*> (pid: <*>)", "  exitcode  : -6 (pid: 3741259)", {"-6", "3741259"}));
  events.push_back(event(32, "traceback : Signal <*> (SIGABRT) received by PID <*>",
                         "  traceback : Signal 6 (SIGABRT) received by PID 3741259", {"6", "3741259"}));
  // Far from everything else: a block of its own.
  events.push_back(event(500, "terminate called after throwing an instance of 'c10::Error'",
                         "terminate called after throwing an instance of 'c10::Error'"));
  const auto r = reps(events);
  REQUIRE(r.size() == events.size());
  CHECK(r[0] == 0);
  CHECK(r[1] == 0);
  CHECK(r[2] == 0);
  CHECK(r[4] == 4);  // the statement of the exit: the fewest facts, the earliest of equals
  CHECK(r[3] == 4);
  CHECK(r[5] == 4);
  CHECK(r[6] == 6);  // a framing line with nothing to frame stays
}

TEST_CASE("launcher failure summaries, C++ frames, CUDA advice and NCCL's generic notice are framing", "[diagnose][grouping]") {
  const auto& g = EventGrouper::embedded();
  CHECK(g.framing("Root Cause (first observed failure):"));
  CHECK(g.framing("  <NO_OTHER_FAILURES>"));
  CHECK(g.framing("  traceback : To enable traceback see: https://pytorch.org/docs/stable/elastic/errors.html"));
  CHECK(g.framing("torch.distributed.elastic.multiprocessing.errors.ChildFailedError: "));
  CHECK(g.framing("frame #3: c10::TensorImpl::release_resources() + 0x54 (0x7f in libc10.so)"));
  CHECK(g.framing("Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions."));
  CHECK(g.framing("[Rank 0] Some NCCL operations have failed or timed out. Due to the asynchronous nature of CUDA kernels"));
  // torch_npu's port of the watchdog says the same of HCCL.
  CHECK(g.framing("[E compiler_depend.ts:475] Some HCCL operations have failed or timed out. Due to the asynchronous nature of ASCEND kernels"));
  // What they frame is a statement: the signal a process died of, the exception it raised.
  CHECK_FALSE(g.framing("Signal 11 (SIGSEGV) received by PID 2817"));
  CHECK_FALSE(g.framing("RuntimeError: CUDA error: an illegal memory access was encountered"));
}

TEST_CASE("lines of one block with facts of their own stay separate events", "[diagnose][grouping]") {
  std::vector<EventStats> events;
  events.push_back(event(1, "Xid (PCI:<*>): <*>, pid=<*>, An uncorrectable double bit error (DBE)",
                         "Xid (PCI:0000:2a:00): 48, pid=3741, An uncorrectable double bit error (DBE)",
                         {"0000:2a:00", "48", "3741"}));
  events.push_back(event(2, "Xid (PCI:<*>): <*>, pid=<*>, Row Remapper: New row marked for remapping",
                         "Xid (PCI:0000:2a:00): 63, pid=3741, Row Remapper: New row marked for remapping",
                         {"0000:2a:00", "63", "3741"}));
  events.push_back(event(3, "[Rank <*>] Watchdog caught collective operation timeout",
                         "[Rank 0] Watchdog caught collective operation timeout", {"0"}));
  // Quoted source code after a traceback frame: no statement, joins its neighbour.
  events.push_back(event(4, "raise ChildFailedError(", "    raise ChildFailedError("));
  events.back().quoted = 1;
  const auto r = reps(events);
  CHECK(r[0] == 0);
  CHECK(r[1] == 1);
  CHECK(r[2] == 2);
  CHECK(r[3] == 2);  // the nearest statement

  // Quoted code alone is no event.
  std::vector<EventStats> code{events.back()};
  CHECK(reps(code)[0] == EventGrouper::kNone);
}

TEST_CASE("a launcher's report that its command failed frames the error printed before it, else states the failure",
          "[diagnose][grouping]") {
  const auto& g = EventGrouper::embedded();
  const std::string report =
      "Error: failed to run torchrun --nproc_per_node=2 --nnodes=1 --node_rank=0 train.py on 127.0.0.1, is localhost: "
      "True, exception: Encountered a bad command exit code!";
  CHECK(g.command_report(report));
  CHECK_FALSE(g.framing(report));  // alone, a line of its own
  CHECK_FALSE(g.command_report("bash: UID: readonly variable"));

  const auto framing_of = [&](const std::vector<EventStats>& events) {
    std::vector<const EventStats*> ptrs;
    for (const auto& e : events) ptrs.push_back(&e);
    return g.framing(ptrs);
  };
  const auto launcher = [&](std::uint64_t line) {
    return event(line, "Error: failed to run torchrun <*> on <*>, is localhost: <*>, exception: Encountered a bad "
                       "command exit code!", report);
  };
  SECTION("the shell's error before it: the report frames it and joins it") {
    std::vector<EventStats> events;
    events.push_back(event(8, "UID: readonly variable", "UID: readonly variable"));
    events.push_back(launcher(9));
    CHECK(framing_of(events) == std::vector<bool>{false, true});
    CHECK(reps(events) == std::vector<std::size_t>{0, 0});
  }
  SECTION("nothing before it in its block: the report is the statement; a later error does not make it framing") {
    const std::uint64_t at = 100 + g.block_lines();
    std::vector<EventStats> events;
    events.push_back(launcher(at));
    events.push_back(event(at + 3, "RuntimeError: Stop_waiting response is expected",
                           "RuntimeError: Stop_waiting response is expected"));
    CHECK(framing_of(events) == std::vector<bool>{false, false});
    events[1].first.line = events[1].node_first[0].line = at - 3;  // printed before the report: framed
    CHECK(framing_of(events) == std::vector<bool>{true, false});
    events[1].first.line = events[1].node_first[0].line = at - g.block_lines() - 1;  // another block
    CHECK(framing_of(events) == std::vector<bool>{false, false});
  }
}
