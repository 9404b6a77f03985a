// `l4 simulate`: write realistic multi-node training-job logs with an injected fault and the
// ground truth beside them (truth.json), or a whole benchmark corpus. See docs/simulate.md.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "command.hpp"
#include "l4/error.hpp"
#include "l4/report/json.hpp"
#include "l4/simulate/corpus_options.hpp"
#include "l4/simulate/job_simulator.hpp"
#include "l4/simulate/sim_catalogue.hpp"
#include "l4/report/json.hpp"
#include "output.hpp"

namespace l4::cli {
namespace {

struct SimulateArgs {
  simulate::SimOptions job;
  std::string corpus;
  int jobs = 200;
  int min_nodes = 4;
  int threads = 2;
  bool list_faults = false;
  OutputOptions output;
};

// The fault types a job of fault `f` may record in truth.json: its own and its variants' finer ones.
std::vector<std::string> truth_types(const simulate::FaultInfo& f) {
  std::vector<std::string> types = {f.type};
  for (const auto& v : f.variants) {
    if (std::find(types.begin(), types.end(), v.type) == types.end()) types.push_back(v.type);
  }
  return types;
}

int run_simulate(SimulateArgs& args) {
  const auto& cat = simulate::SimCatalogue::instance();
  OutputStream out(args.output);
  if (args.list_faults) {
    report::Json list = report::Json::array();
    for (const auto& f : cat.faults()) {
      list.push_back({{"type", f.type}, {"category", f.category}, {"stages", f.stages}, {"truth_types", truth_types(f)}});
    }
    if (args.output.format == "text") {
      for (const auto& f : cat.faults()) {
        std::string stages, types;
        for (const auto& s : f.stages) stages += (stages.empty() ? "" : ",") + s;
        for (const auto& t : truth_types(f)) types += t == f.type ? "" : (types.empty() ? "  -> also " : ", ") + t;
        out.write(f.type + "  (" + stages + ")" + types + "\n");
      }
    } else {
      out.write_json(list, 2);
    }
    out.finish();
    return 0;
  }
  const auto t0 = std::chrono::steady_clock::now();
  report::Json result;
  if (!args.corpus.empty()) {
    simulate::CorpusOptions c{args.corpus, args.jobs, args.job.seed, args.threads, args.job.gzip, args.min_nodes};
    const auto bytes = simulate::simulate_corpus(c);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result = {{"corpus", args.corpus}, {"jobs", args.jobs}, {"log_bytes", bytes}, {"seconds", secs},
              {"mb_per_s", static_cast<double>(bytes) / 1048576.0 / std::max(secs, 1e-9)}};
  } else {
    if (args.job.out_dir.empty()) throw InputError("give --out DIR (one job) or --corpus DIR (many jobs)");
    const auto truth = simulate::simulate_job(args.job);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result = {{"job_id", truth.job_id}, {"out", args.job.out_dir}, {"fault", truth.fault_type},
              {"simulated", truth.variant ? truth.simulated_fault : truth.fault_type},
              {"stage", truth.stage.empty() ? report::Json(nullptr) : report::Json(truth.stage)},
              {"faulty_nodes", truth.faulty_nodes}, {"truth_lines", truth.lines.size()},
              {"log_bytes", truth.bytes_written}, {"log_lines", truth.lines_written}, {"seconds", secs},
              {"mb_per_s", static_cast<double>(truth.bytes_written) / 1048576.0 / std::max(secs, 1e-9)}};
  }
  if (args.output.format == "text") {
    for (const auto& [k, v] : result.items()) out.write(k + ": " + report::dump(v, -1) + "\n");
  } else {
    out.write_json(result, 2);
  }
  out.finish();
  return 0;
}

const CommandRegistration registration{CommandSpec{
    "simulate", "Write realistic multi-node training logs with injected faults and truth.json",
    [](CLI::App& sub) {
      auto args = std::make_shared<SimulateArgs>();
      auto& j = args->job;
      j.fault = "random";
      sub.add_option("--out", j.out_dir, "Job directory: logs under DIR/logs/, truth in DIR/truth.json");
      sub.add_option("--seed", j.seed, "Seed; equal arguments and seed give byte-identical output")->capture_default_str();
      sub.add_option("--nodes", j.nodes, "Number of nodes")->capture_default_str()->check(CLI::Range(1, 4096));
      sub.add_option("--ranks-per-node", j.ranks_per_node, "Ranks (GPUs) per node")->capture_default_str()->check(CLI::Range(1, 64));
      sub.add_option("--iterations", j.iterations, "Training iterations planned")->capture_default_str()->check(CLI::PositiveNumber);
      sub.add_option("--fault", j.fault, "Fault type (see --list-faults), none, or random")->capture_default_str();
      // the styles are the simulator's tables' (data/simulate_styles.json), the layouts its writers'
      const auto& styles = simulate::SimCatalogue::instance().styles();
      const auto& layouts = simulate::SimCatalogue::layouts();
      sub.add_option("--style", j.style, fmt::format("Training stack: {}", fmt::join(styles, ", ")))
          ->capture_default_str()
          ->check(CLI::IsMember(styles));
      sub.add_option("--layout", j.layout, fmt::format("Log layout: {}", fmt::join(layouts, ", ")))
          ->capture_default_str()
          ->check(CLI::IsMember(layouts));
      sub.add_option("--job-id", j.job_id, "Job id written to truth.json (default sim-<seed>)");
      sub.add_flag("--gzip", j.gzip, "Write .log.gz files");
      auto* corpus =
          sub.add_option("--corpus", args->corpus, "Write a corpus of --jobs jobs under DIR (with DIR/corpus.json)");
      sub.add_option("--jobs", args->jobs, "Jobs in the corpus")->capture_default_str()->check(CLI::PositiveNumber);
      sub.add_option("--min-nodes", args->min_nodes,
                     "Smallest job of the corpus (its small band becomes N..max(8, 2N) nodes)")
          ->capture_default_str()
          ->check(CLI::Range(1, 128))
          ->needs(corpus);
      sub.add_option("--threads", args->threads, "Threads for --corpus (output does not depend on it)")
          ->capture_default_str()->check(CLI::Range(1, 64));
      sub.add_flag("--list-faults", args->list_faults, "List the fault catalogue and exit");
      add_output_options(sub, args->output, {"json", "text"}, "json");
      sub.footer(
          "Writes DIR/logs/<host>.log (per-node), DIR/logs/<host>/rank_<R>.log (per-rank) or\n"
          "DIR/logs/job.log (merged, launcher prefixes), and DIR/truth.json. Catalogue and truth\n"
          "format: docs/simulate.md.\n"
          "Examples:\n"
          "  l4 simulate --out /tmp/job --fault hardware/gpu/ecc --nodes 8 --seed 7\n"
          "  l4 simulate --out /tmp/job --fault none --style deepspeed --layout merged --gzip\n"
          "  l4 simulate --corpus /tmp/corpus --jobs 200 --seed 1\n"
          "  l4 simulate --list-faults --format text\n"
          "Exit: 0 written, 2 bad option or unwritable directory.");
      return [args] { return run_simulate(*args); };
    }}};

}  // namespace
}  // namespace l4::cli
