#pragma once
// TemplateStore: the learned templates — text, stable id, match count — with a matching index and
// JSON save/load, so a set learned once (e.g. in CI) can be reused (`--templates F`).
//
// Matching a line is a tokenization and a walk of a per-token-count prefix tree: literal tokens are
// hash lookups, tokens with "<*>" are glob matches, and a literal is preferred over a wildcard
// (backtracking when a branch fails). Templates with run slots (a "<*>" covering a variable number
// of tokens) also sit in the tree at their own token count; lines of other lengths try them after
// the tree, most specific first. No per-line heap allocation besides the parameter vector the
// caller can reuse. `match` is const and touches no shared mutable state, so any number of threads
// may match against a store that is not being modified.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/parse_result.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::parse {

// A "<*>" of a template that covers a run of line tokens instead of exactly one: at least
// `min_tokens` (0 or 1) of them. Its parameter is the text from the run's first to its last token
// (empty for an empty run). A list ("delete <*>" for "delete blk_1 blk_2") is a run at the end.
struct TokenRun {
  std::size_t position = 0;  // index of the "<*>" in Template::tokens
  std::size_t min_tokens = 1;
  friend bool operator==(const TokenRun&, const TokenRun&) = default;
  friend auto operator<=>(const TokenRun&, const TokenRun&) = default;
};

struct Template {
  TemplateId id = 0;
  std::string text;                // tokens joined by one space, "<*>" = parameter
  std::vector<std::string> tokens;  // text split on spaces
  std::uint64_t count = 0;          // lines matched/mined for this template
  bool provisional = false;         // learned incrementally; may be re-mined (see TemplateMiner)
  // Run slots, ascending by position (see TokenRun). Set by mining when templates differ only in
  // the length of parameter runs between the same constant text.
  std::vector<TokenRun> runs;
  bool erased = false;              // removed; kept so indexes stay valid
};

class TemplateStore {
 public:
  TemplateStore();
  TemplateStore(TemplateStore&&) noexcept;
  TemplateStore& operator=(TemplateStore&&) noexcept;
  ~TemplateStore();

  // Adds a template (text = tokens joined by spaces); when one with the same text exists its count
  // grows and its index is returned. A non-provisional add turns an existing provisional one final.
  // `runs` name "<*>" tokens that cover runs of tokens (others are ignored); for an existing text
  // they are added to its runs (the smaller minimum wins where both have one).
  std::size_t add(std::string_view text, std::uint64_t count = 0, bool provisional = false,
                  std::span<const TokenRun> runs = {});
  // Removes templates (by index): they no longer match; their slots stay (erased = true).
  void erase(const std::vector<std::size_t>& indexes);
  // True for a template of parameters only ("<*> <*> <*> <*>", a row of numbers): it has no text
  // that recurs, so outside the lines it was mined from it would take any line of as many tokens.
  [[nodiscard]] static bool parameters_only(std::string_view text);
  // A copy without the templates of parameters only: the store to start on another source's lines
  // from (templates learned earlier, a history's). Rows of numbers there are mined again into the
  // same template text, so the same id.
  [[nodiscard]] TemplateStore anchored() const;

  // Matches already-tokenized content (tokens are views, in order, into one content string, as
  // tokenize() gives them); fills `out` and returns
  // true on success. Thread-safe against other const calls.
  bool match_tokens(std::span<const std::string_view> tokens, ParseResult& out) const;
  // Tokenizes and matches.
  bool match(std::string_view content, ParseResult& out) const;
  // The same, trying template `hint` first (a stream's previous template: lines of one stream
  // repeat their templates): taken only when the full walk would return it too, so the result is
  // the same as without a hint. Any value may be passed (an index out of range is no hint).
  bool match(std::string_view content, ParseResult& out, std::size_t hint) const;

  // Whether a line's tokens fit template `index` token by token (as many tokens as it has; its run
  // slots are not used), without looking at other templates; its parameters are appended to
  // `params` when given.
  bool fits(std::size_t index, std::span<const std::string_view> tokens, std::vector<std::string_view>* params) const;

  // All templates, erased ones included (check Template::erased).
  [[nodiscard]] const std::vector<Template>& templates() const { return templates_; }
  [[nodiscard]] std::size_t size() const { return live_; }
  [[nodiscard]] std::optional<std::size_t> find(TemplateId id) const;
  void add_count(std::size_t index, std::uint64_t n) { templates_[index].count += n; }
  void reset_counts();

  // JSON: {"version":1,"templates":[{"id":"16hex","template":"...","count":N},...]} sorted by id;
  // templates with run slots carry "runs": [[position, min_tokens], ...] (files of earlier versions
  // may carry "tail": true instead: a run of at least one token at the end). A template whose text
  // is not valid UTF-8 (logs hold such bytes) is written with U+FFFD in "template" and its exact
  // bytes in "template_bytes" (hex), which loading uses: saved templates load back and match the
  // same lines, whatever the input held.
  [[nodiscard]] std::string to_json() const;
  // Throws l4::InputError (naming `origin`) on malformed JSON or an id that does not match its text.
  static TemplateStore from_json(std::string_view json, std::string_view origin = "templates");
  void save(const std::filesystem::path& path) const;
  static TemplateStore load(const std::filesystem::path& path);

 private:
  struct Index;
  void index_runs(std::size_t index);
  bool fill(std::size_t index, std::span<const std::string_view> tokens, bool by_runs, ParseResult& out) const;
  bool match_ids(std::span<const std::string_view> tokens, std::span<const std::uint32_t> ids, ParseResult& out) const;
  bool hint_fits(std::size_t hint, std::span<const std::string_view> tokens, std::vector<std::string_view>* params) const;
  void identify(std::size_t index, ParseResult& out) const;
  std::vector<Template> templates_;
  std::size_t live_ = 0;
  std::unique_ptr<Index> index_;
};

}  // namespace l4::parse
