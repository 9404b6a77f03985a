// `l4 catalogue`: the root-cause taxonomy diagnose answers in — list it (with --catalog files
// added), or check a catalogue file of your own before giving it to diagnose.
#include <fmt/format.h>

#include <memory>

#include "command.hpp"
#include "l4/diagnose/category_catalog.hpp"
#include "l4/error.hpp"
#include "l4/report/catalogue_report.hpp"
#include "output.hpp"

namespace l4::cli {
namespace {

struct CatalogueArgs {
  OutputOptions output;
  std::vector<std::string> files;
};

int run_list(const CatalogueArgs& args) {
  const diagnose::CategoryCatalog catalog(args.files);
  OutputStream out(args.output);
  if (args.output.format == "json") {
    out.write_json(report::catalogue_json(catalog));
  } else {
    out.write(report::catalogue_text(catalog));
  }
  out.finish();
  return 0;
}

int run_check(const CatalogueArgs& args) {
  // Loading validates: unknown keys and features, bad patterns, weights, parents, refines and
  // explains targets are an InputError naming the file and the JSON path (exit 2).
  const diagnose::CategoryCatalog catalog(args.files);
  OutputStream out(args.output);
  out.write(fmt::format("{}: ok, {} categories in all\n", args.files.front(), catalog.categories().size()));
  out.finish();
  return 0;
}

const CommandRegistration registration{CommandSpec{
    "catalogue", "The root-cause taxonomy and its fault signatures: list it, check a catalogue file",
    [](CLI::App& sub) {
      auto args = std::make_shared<CatalogueArgs>();
      sub.require_subcommand(1);
      sub.footer(
          "A catalogue is JSON like data/catalogue.json: {\"categories\": [{\"category\": \"hardware/gpu/ecc\",\n"
          "\"about\", \"weight\", \"signatures\": [{\"pattern\" (RE2), \"source\"}], \"features\", \"refines\",\n"
          "\"explains\", \"stage\", \"in_reports\"}]}. Give yours to diagnose with --catalog FILE: its entries\n"
          "are added, same category names merge.\n"
          "Examples:\n"
          "  l4 catalogue list\n"
          "  l4 catalogue check my-catalogue.json\n"
          "  l4 diagnose --catalog my-catalogue.json job_logs/");
      CLI::App* list = sub.add_subcommand("list", "Every category, as a tree, with what it means");
      list->add_option("--catalog", args->files, "Extra catalogue JSON (repeatable)")->check(CLI::ExistingFile);
      add_output_options(*list, args->output, {"text", "json"}, "text");
      list->footer("Examples:\n  l4 catalogue list\n  l4 catalogue list --format json\nExit: 0 listed, 2 a --catalog file is invalid.");
      CLI::App* check = sub.add_subcommand("check", "Check a catalogue file as diagnose --catalog would load it");
      check->add_option("file", args->files, "Catalogue (JSON) to check")->required()->check(CLI::ExistingFile)->expected(1);
      add_output_options(*check, args->output, {"text"}, "text");
      check->footer(
          "Problems name the file and the JSON path: my.json: /categories/2/signatures/0/pattern: bad pattern ...\n"
          "Examples:\n  l4 catalogue check my-catalogue.json\nExit: 0 valid, 2 invalid (the message says where).");
      return [args, list, check]() -> int {
        if (list->parsed()) return run_list(*args);
        if (check->parsed()) return run_check(*args);
        return static_cast<int>(ExitCode::input);
      };
    }}};

}  // namespace
}  // namespace l4::cli
