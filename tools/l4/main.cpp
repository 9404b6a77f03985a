// The `l4` executable: a thin shell over the l4 library. Parses the command line, sets up logging,
// runs one subcommand, and turns every error into a one-line message and a documented exit code.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <map>

#include "build_info.hpp"
#include "command.hpp"
#include "l4/error.hpp"
#include "l4/io/utf8.hpp"
#include "l4/version.hpp"
#include "output.hpp"

namespace {

void setup_logging(int verbosity, bool quiet) {
  std::shared_ptr<spdlog::logger> logger;
  if (l4::cli::colour_allowed(STDERR_FILENO)) {
    logger = spdlog::stderr_color_st("l4");
  } else {
    logger = std::make_shared<spdlog::logger>("l4", std::make_shared<spdlog::sinks::stderr_sink_st>());
  }
  logger->set_pattern("l4: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  if (quiet) {
    spdlog::set_level(spdlog::level::err);
  } else if (verbosity >= 2) {
    spdlog::set_level(spdlog::level::trace);
  } else if (verbosity == 1) {
    spdlog::set_level(spdlog::level::debug);
  } else {
    spdlog::set_level(spdlog::level::warn);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"l4 - diagnose failures of distributed (LLM training) jobs from their logs"};
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(
      "Examples:\n"
      "  l4 diagnose data/jobs/gpu-ecc           # why did this job fail?\n"
      "  l4 ingest --format text logs/           # what did l4 read, per node?\n"
      "  l4 <command> --help                     # options and examples of one command\n"
      "\nExit codes: 0 success, 1 ran but found nothing, 2 usage or input error, 3 internal error.");
  app.set_version_flag("--version", l4::cli::version_text());
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "More diagnostics on stderr (repeat for more)");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");

  std::map<CLI::App*, l4::cli::Runner> runners;
  for (const auto& spec : l4::cli::registered_commands()) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    runners[sub] = spec.setup(*sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(l4::ExitCode::input);
  }
  setup_logging(verbosity, quiet);

  const char* command = "l4";
  try {
    for (auto& [sub, run] : runners) {
      if (sub->parsed()) {
        command = sub->get_name().c_str();
        return run();
      }
    }
  } catch (const l4::Error& e) {
    std::fprintf(stderr, "l4 %s: error: %s\n", command, l4::io::to_valid_utf8(e.what()).c_str());
    return static_cast<int>(e.exit_code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "l4 %s: internal error: %s\n", command, l4::io::to_valid_utf8(e.what()).c_str());
    return static_cast<int>(l4::ExitCode::internal);
  }
  return static_cast<int>(l4::ExitCode::input);
}
