// `l4 ingest`: read a job's logs the way every other command does and report, per node and per
// file, what was read, used and skipped. The first thing to run when l4's answer looks wrong.
#include <spdlog/spdlog.h>

#include "command.hpp"
#include "l4/error.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/report/ingest_report.hpp"
#include "output.hpp"

namespace l4::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  OutputOptions output;
  std::size_t max_line_bytes = 64 * 1024;
};

int run_ingest(const IngestArgs& args) {
  io::Ingestor ingestor(io::IngestOptions{args.max_line_bytes});
  const auto inputs = ingestor.discover(args.paths);
  const auto summary = ingestor.read_all(inputs, [](const io::LineRecord&) {});
  OutputStream out(args.output);
  if (args.output.format == "text") {
    out.write(report::render_text(summary));
  } else {
    out.write_json(report::to_json(summary), 2);
  }
  out.finish();
  io::require_usable_lines(summary, args.paths);  // the accounting above says why
  return 0;
}

const CommandRegistration registration{CommandSpec{
    "ingest", "Read logs and report line accounting per node and file", [](CLI::App& sub) {
      auto args = std::make_shared<IngestArgs>();
      add_input_paths(sub, args->paths);
      add_output_options(sub, args->output, {"json", "text"}, "json");
      sub.add_option("--max-line-bytes", args->max_line_bytes,
                     "Truncate longer lines (counted as truncated)")
          ->capture_default_str()
          ->check(CLI::PositiveNumber);
      sub.footer(
          "Node ids come from the path (node-03.log, worker-7/stdout.log) or, in one merged file,\n"
          "from launcher prefixes ([rank3]:, worker-3: , 11: , [1,0]<stdout>:).\n"
          "Examples:\n"
          "  l4 ingest job_logs/                      # JSON summary per node and file\n"
          "  l4 ingest --format text node-*.log.gz    # readable table\n"
          "  kubectl logs trainer-0 | l4 ingest -     # from stdin\n"
          "Exit: 0 lines were used, 2 bad path or option, or no usable line (the summary says why).");
      return [args] { return run_ingest(*args); };
    }}};

}  // namespace
}  // namespace l4::cli
