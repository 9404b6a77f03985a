#pragma once
// TokenMasker: replaces the unambiguous variable parts of one whitespace-separated token by "<*>"
// before any grouping — typed patterns (IP, host:port, hex, UUID, numbers with units, ids,
// timestamps; data/parse_masks.json, compiled with re2), paths, digit runs — and rewrites the
// result to the Loghub-2.0 template conventions (a word glued to a variable becomes one variable,
// "<*>.<*>" and "<*><*>" collapse). Applying it to a template token is idempotent, so masked tokens
// are already canonical template text. Status words, error names and exception classes contain no
// digits and are left alone.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace l4::parse {

class TokenMasker {
 public:
  // Patterns from the embedded data/parse_masks.json (or `patterns_json` when not empty).
  explicit TokenMasker(std::string_view patterns_json = {});
  TokenMasker(TokenMasker&&) noexcept;
  TokenMasker& operator=(TokenMasker&&) noexcept;
  ~TokenMasker();

  // The masked form of `token` (which holds no whitespace). Thread-safe.
  [[nodiscard]] std::string mask(std::string_view token) const;
  // Appends the masked form to `out`.
  void mask_into(std::string_view token, std::string& out) const;

  // Names of the typed patterns, in the order they are tried.
  [[nodiscard]] const std::vector<std::string>& pattern_names() const;

  // True when masking sees digits only as a class (RE2 "0-9" ranges, \d, "0x" prefixes; the
  // built-in rules do the same): two tokens that differ only in which digits they hold, keeping
  // "0" before "x"/"X", are masked alike. Then a masked form without digits can be reused for every
  // token of the same digit_shape (a cache, see TemplateMiner). False for tables that name other
  // digits ("[1-9]", "port 80").
  [[nodiscard]] bool digit_blind() const;

 private:
  struct Impl;
  // Compiles a masks table (validated on load).
  static std::shared_ptr<const Impl> compile(std::string_view text);
  std::shared_ptr<const Impl> impl_;  // shared: a compiled table is immutable
};

// Splits `text` on runs of ASCII whitespace into `out` (cleared first); no empty tokens.
void tokenize(std::string_view text, std::vector<std::string_view>& out);
// Same, with each token's token_hash() in `hashes` (one pass over the line's bytes).
void tokenize(std::string_view text, std::vector<std::string_view>& out, std::vector<std::uint64_t>& hashes);

// The digit shape of a token for TokenMasker::digit_blind(): every digit as '1', except a '0'
// before 'x' or 'X' ("0x1f" -> "0x1f", "10.2.0.7" -> "11.1.1.1"). Writes into `out` (cleared).
void digit_shape(std::string_view token, std::string& out);

// The delimiters of the Loghub-2.0 template conventions that split a token into pieces (paths
// are cut at these, words additionally at '.', '-', '/' ...). Shared by masking and grouping.
constexpr bool is_piece_delimiter(char c) noexcept {
  switch (c) {
    case ',': case '!': case ';': case ':': case '=': case '|': case '"': case '\'':
    case '[': case ']': case '(': case ')': case '{': case '}':
      return true;
    default:
      return false;
  }
}

// The delimiters that split a piece into words ("R25-M1-N2", "Server@33557fe4"): a word holding
// only digits is a variable. Shared by masking and grouping.
constexpr bool is_word_delimiter(char c) noexcept {
  switch (c) {
    case '.': case '-': case '+': case '@': case '#': case '$': case '%': case '&': case '/':
      return true;
    default:
      return is_piece_delimiter(c);
  }
}

// True when a template token is "<*>" exactly.
constexpr bool is_wildcard(std::string_view token) noexcept { return token == "<*>"; }
// True when a template token holds "<*>" somewhere.
constexpr bool has_wildcard(std::string_view token) noexcept {
  return token.find("<*>") != std::string_view::npos;
}

}  // namespace l4::parse
