#pragma once
// CategoryCatalog: L4's library of confirmed fault patterns and the root-cause taxonomy they sort
// into, as data (data/catalogue.json plus any --catalog FILE). Categories are paths
// ("hardware/gpu/ecc"); every parent path is a category too, so a verdict can stop at the level
// its evidence supports ("hardware/network"). The catalogue scores how well failure-indicating
// events (signatures) and job-level patterns (features) fit each category.
//
//   l4::diagnose::CategoryCatalog catalog;              // the embedded table
//   for (auto& m : catalog.match("CUDA out of memory. Tried to allocate 2.00 GiB")) ...
//   catalog.parent("hardware/gpu/ecc") == "hardware/gpu"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "l4/diagnose/stage.hpp"

namespace l4::diagnose {

// Job-level patterns with no error text of their own that speak for a category.
enum class JobFeature : std::uint8_t {
  no_root_text,        // no node-local error text with a signature precedes the symptoms
  node_went_silent,    // one node stopped logging well before the others
  iteration_stall,     // every node stopped reporting iterations at the same one
  iteration_slowdown,  // one node's iterations (or its own numbers) took markedly longer
  uncaught_exception,  // the root evidence is an uncaught exception that no signature explains
  timeout_outside_training,  // a collective or store timeout while the job was loading or evaluating
};
std::string_view to_string(JobFeature feature);
std::optional<JobFeature> parse_job_feature(std::string_view name);

// One signature match: the category, the entry's weight, and where the signature's text comes from.
struct SignatureMatch {
  std::string category;
  double weight = 1;
  std::string pattern;
  std::string source;
  std::size_t length = 0;  // characters of text the signature matched: the longer, the more specific
  // The stage the program prints this message in, when its source places it (DeepSpeed's batch
  // assertion runs while the engine is initialised): the stage of a failure nothing else places.
  std::optional<Stage> stage;
  // The text is one many programs print in many contexts (an OS error string, a signal name, a
  // general phrase), not one program's own message: it says what happened, less often why.
  bool generic = false;
};

class CategoryCatalog {
 public:
  // The embedded catalogue; each of `extra_files` adds entries (same category names merge).
  // Throws l4::InputError naming the file and the JSON path on malformed JSON, unknown keys or
  // features, bad patterns, non-finite or non-positive weights, and `refines` targets or parent
  // categories that do not exist.
  explicit CategoryCatalog(const std::vector<std::string>& extra_files = {});
  CategoryCatalog(CategoryCatalog&&) noexcept;
  CategoryCatalog& operator=(CategoryCatalog&&) noexcept;
  ~CategoryCatalog();

  // From JSON text (for tests and tools); `origin` names it in errors.
  static CategoryCatalog from_json(std::string_view json, const std::string& origin);

  // Categories whose signatures match `text`: one match per category (its signature that matched
  // the most text), in catalogue order.
  [[nodiscard]] std::vector<SignatureMatch> match(std::string_view text) const;
  // Weight a job feature gives each category.
  [[nodiscard]] std::vector<std::pair<std::string, double>> feature(JobFeature feature) const;
  // (specific, general) pairs: a category that "refines" another shows all of the general one's
  // signs plus its own (RoCE faults print NCCL's IB-verbs errors too), so when its own signs are
  // present it inherits the general category's evidence.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> refinements() const;
  // (cause, consequence) pairs: when the cause (or a category under it) has evidence of its own,
  // the consequence's evidence (a category under it) is its doing — a GPU's Xid explains the CUDA
  // error of the process using that GPU.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> explanations() const;
  // Every category, inner nodes included, in catalogue order.
  [[nodiscard]] std::vector<std::string> categories() const;
  [[nodiscard]] bool contains(std::string_view category) const;
  // How many signatures the category has (its own, not its descendants').
  [[nodiscard]] std::size_t signature_count(std::string_view category) const;
  // The stage a failure of this category happens in by its nature (its own or the nearest
  // ancestor's declaration), nullopt when its kind says nothing about when.
  [[nodiscard]] std::optional<Stage> stage(std::string_view category) const;
  // The category's signs are values in the job's own progress reports (printed at INFO level: a
  // NaN loss), so its signatures count on informational lines too.
  [[nodiscard]] bool in_reports(std::string_view category) const;
  // One sentence on what the category means ("" when the catalogue says nothing).
  [[nodiscard]] std::string about(std::string_view category) const;
  // The parent path ("hardware/gpu" for "hardware/gpu/ecc"; "" for a root).
  static std::string_view parent(std::string_view category);
  // True when `category` is `root` or a category under it ("hardware/gpu/ecc" is within
  // "hardware/gpu" and within itself, not within "hardware/g").
  static bool within(std::string_view category, std::string_view root);

 private:
  struct Impl;
  explicit CategoryCatalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::diagnose
