#pragma once
// CategoryCatalog: L4's library of confirmed fault patterns, as data (data/catalogue.json plus any
// --catalog FILE). Scores how well the failure-indicating events and the job-level features fit
// each hierarchical root-cause category.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace l4::diagnose {

class CategoryCatalog {
 public:
  // The embedded catalogue; each of `extra_files` adds entries (same category names merge).
  // Throws l4::InputError naming the file on malformed JSON or bad patterns.
  explicit CategoryCatalog(const std::vector<std::string>& extra_files = {});
  CategoryCatalog(CategoryCatalog&&) noexcept;
  CategoryCatalog& operator=(CategoryCatalog&&) noexcept;
  ~CategoryCatalog();

  // Categories whose patterns match `text`, with the entry's weight.
  [[nodiscard]] std::vector<std::pair<std::string, double>> match(std::string_view text) const;
  // Weight a named job feature ("node_went_silent", ...) gives each category.
  [[nodiscard]] std::vector<std::pair<std::string, double>> feature(std::string_view name) const;
  // (specific, general) pairs: a category that "refines" another shows all of the general one's
  // signs plus its own (RoCE faults print NCCL's IB-verbs errors too, and ethernet link events), so
  // when its own signs are present it inherits the general category's evidence.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> refinements() const;
  [[nodiscard]] std::vector<std::string> categories() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::diagnose
