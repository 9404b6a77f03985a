#include "parse/glob_match.hpp"

#include <cstdint>

#include "l4/parse/token_masker.hpp"

namespace l4::parse {
namespace {
// "<*>" matches any text. Without other wildcards a leftmost match of each literal piece is
// never wrong (a later "<*>" takes whatever an earlier placement leaves), so the pieces are found
// left to right, each once: linear in the pattern, never the exponential backtracking of trying
// every split (a token of many "<*>" took minutes).
bool glob_pieces(std::string_view pat, std::string_view text, std::vector<std::string_view>* params) {
  constexpr std::string_view star = "<*>";
  const auto first = pat.find(star);
  if (first == std::string_view::npos) return pat == text;
  const auto last = pat.rfind(star);
  const std::string_view prefix = pat.substr(0, first), suffix = pat.substr(last + star.size());
  if (text.size() < prefix.size() + suffix.size() || !text.starts_with(prefix) || !text.ends_with(suffix)) return false;
  // the text between the prefix and the suffix, and the pattern's pieces between its first and last "<*>"
  std::string_view rest = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
  std::string_view middle = pat.substr(first + star.size(), last - first);
  // middle: "piece<*>piece<*>...<*>" (each piece followed by a "<*>"), empty for one "<*>"
  while (!middle.empty()) {
    const auto next = middle.find(star);
    const std::string_view piece = middle.substr(0, next);
    const auto at = rest.find(piece);
    if (at == std::string_view::npos) return false;
    if (params != nullptr) params->push_back(rest.substr(0, at));
    rest.remove_prefix(at + piece.size());
    middle.remove_prefix(next + star.size());
  }
  if (params != nullptr) params->push_back(rest);
  return true;
}

// glob matching over a text that is itself a pattern: its "<*>" are single symbols that only a "<*>"
// of `pat` consumes (no literal of `pat` matches them, and no split falls inside one). Backtracking,
// within a budget of steps: past it the answer is "no cover", which glob_covers may answer.
bool covers_rec(std::string_view pat, std::string_view spec, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  const auto star = pat.find("<*>");
  if (star == std::string_view::npos) return pat == spec;
  if (spec.substr(0, star) != pat.substr(0, star) || spec.find("<*>") < star) return false;
  spec.remove_prefix(star);
  pat.remove_prefix(star + 3);
  if (pat.empty()) return true;
  // the "<*>" of `pat` takes spec[0, e); e steps over a symbol of `spec` whole
  for (std::size_t e = 0; e <= spec.size(); e += spec.substr(e, 3) == "<*>" ? 3 : 1) {
    if (covers_rec(pat, spec.substr(e), budget)) return true;
    if (budget == 0) return false;
  }
  return false;
}
}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, std::vector<std::string_view>* params) {
  return glob_pieces(pattern, text, params);
}

bool glob_covers(std::string_view general, std::string_view specific) {
  std::size_t budget = 1U << 14U;  // steps, as runs_match: ordinary tokens need a handful
  return covers_rec(general, specific, budget);
}

namespace {

// Backtracking over run lengths: fixed tokens are matched in a loop, recursion happens only at
// run slots (depth = number of runs).
class RunMatcher {
 public:
  RunMatcher(std::span<const std::string> pattern, std::span<const TokenRun> runs,
             std::span<const std::string_view> tokens, std::vector<std::string_view>* params)
      : pat_(pattern), runs_(runs), toks_(tokens), params_(params) {}

  bool from(std::size_t i, std::size_t j, std::size_t r) {
    const std::size_t mark = params_ != nullptr ? params_->size() : 0;
    if (step(i, j, r)) return true;
    if (params_ != nullptr) params_->resize(mark);
    return false;
  }

 private:
  // Tokens the pattern from position i needs at least (runs from index r on may be empty).
  [[nodiscard]] std::size_t need(std::size_t i, std::size_t r) const {
    std::size_t n = pat_.size() - i;
    for (std::size_t k = r; k < runs_.size(); ++k) n -= 1 - runs_[k].min_tokens;
    return n;
  }

  [[nodiscard]] std::string_view span(std::size_t j, std::size_t len) const {
    if (len == 0) {
      if (j < toks_.size()) return toks_[j].substr(0, 0);
      return toks_.empty() ? std::string_view() : toks_.back().substr(toks_.back().size());
    }
    const std::string_view last = toks_[j + len - 1];
    return {toks_[j].data(), static_cast<std::size_t>(last.data() + last.size() - toks_[j].data())};
  }

  bool step(std::size_t i, std::size_t j, std::size_t r) {
    for (; i < pat_.size(); ++i, ++j) {
      if (budget_ == 0) return false;
      --budget_;
      if (r < runs_.size() && runs_[r].position == i) {
        const std::size_t rest = need(i + 1, r + 1);
        if (toks_.size() < j + rest) return false;
        const std::size_t longest = toks_.size() - j - rest;
        for (std::size_t len = runs_[r].min_tokens; len <= longest; ++len) {
          if (params_ != nullptr) params_->push_back(span(j, len));
          if (from(i + 1, j + len, r + 1)) return true;
          if (params_ != nullptr) params_->pop_back();
          if (budget_ == 0) return false;
        }
        return false;
      }
      if (j >= toks_.size()) return false;
      const std::string& p = pat_[i];
      if (is_wildcard(p)) {
        if (params_ != nullptr) params_->push_back(toks_[j]);
      } else if (has_wildcard(p)) {
        if (!glob_match(p, toks_[j], params_)) return false;
      } else if (p != toks_[j]) {
        return false;
      }
    }
    return j == toks_.size();
  }

  std::span<const std::string> pat_;
  std::span<const TokenRun> runs_;
  std::span<const std::string_view> toks_;
  std::vector<std::string_view>* params_;
  std::size_t budget_ = 1U << 14U;  // steps; a line needing more is no match
};

}  // namespace

bool runs_match(std::span<const std::string> pattern, std::span<const TokenRun> runs,
                std::span<const std::string_view> tokens, std::vector<std::string_view>* params) {
  return RunMatcher(pattern, runs, tokens, params).from(0, 0, 0);
}

}  // namespace l4::parse
