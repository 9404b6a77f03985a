#pragma once
// FaultLexicon: the weighted vocabulary of failure (fail, error, exception, timeout, refused,
// killed, lost, corrupt, ECC, Xid, NaN, OOM, abort, exit code ...) and of benign outcomes
// (success, no error), loaded from data/fault_lexicon.json, plus the small word lists that shape
// a fault-indicating description (clause separators, cause markers, trailing stop words).
//
// Scoring is the extractor's coarse filter, so it runs on every line: terms are compiled into a
// byte trie walked once from each word start (CamelCase humps count as word starts), with no
// allocation and no regex — well over a million lines per second on one core.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "l4/format/level.hpp"

namespace l4::extract {

// One lexicon hit in a message.
struct TermHit {
  std::size_t term = 0;   // index into FaultLexicon::terms()
  std::size_t begin = 0;  // byte range of the matched text
  std::size_t end = 0;
};

class FaultLexicon {
 public:
  struct Term {
    std::string text;     // lower case; ' ' matches any run of non-letters
    double weight = 0;    // negative for benign terms
    bool prefix = false;  // matches words that start with text
  };

  // From the embedded data/fault_lexicon.json, or `json` when not empty.
  // Throws l4::InputError on malformed JSON.
  explicit FaultLexicon(std::string_view json = {});

  // Sum of the weights of the distinct terms found in `text` (no level). Allocation-free.
  [[nodiscard]] double score(std::string_view text) const;
  // score(text) plus the level's weight.
  [[nodiscard]] double score(std::string_view text, format::Level level) const {
    return score(text) + level_weight(level);
  }
  [[nodiscard]] double level_weight(format::Level level) const {
    return level_weights_[static_cast<std::size_t>(level)];
  }
  // Every hit in `text`, in order of position (a later overlapping hit of another term is kept).
  void hits(std::string_view text, std::vector<TermHit>& out) const;

  [[nodiscard]] const std::vector<Term>& terms() const { return terms_; }
  [[nodiscard]] const std::vector<std::string>& clause_separators() const { return clause_separators_; }
  // Separators that end a sentence (". ", "; "): the only ones that cut inside a quoted message.
  [[nodiscard]] bool is_sentence_separator(std::string_view separator) const;
  // Separators that open a quoted message (reason='…', IndexError('…')).
  [[nodiscard]] bool is_quote_opener(std::string_view separator) const;
  [[nodiscard]] const std::vector<std::string>& cause_markers() const { return cause_markers_; }
  // Clauses that are only a label ("error", "Diagnostics"): the description follows them.
  [[nodiscard]] const std::vector<std::string>& label_markers() const { return label_markers_; }
  // True when `word` (any case) is a word a description should not end with ("to", "took").
  [[nodiscard]] bool is_trailing_stop_word(std::string_view word) const;

 private:
  template <class Visit>
  void walk(std::string_view text, Visit&& visit) const;

  // Trie over 27 symbols: 'a'..'z' and one "separator" symbol (a run of non-letters).
  struct Node {
    std::int32_t next[27];
    std::int32_t term = -1;  // term ending here
  };
  std::vector<Node> nodes_;
  std::vector<Term> terms_;
  double level_weights_[8] = {};
  std::vector<std::string> clause_separators_;
  std::vector<std::string> sentence_separators_;
  std::vector<std::string> quote_openers_;
  std::vector<std::string> cause_markers_;
  std::vector<std::string> label_markers_;
  std::vector<std::string> trailing_stop_words_;
};

}  // namespace l4::extract
