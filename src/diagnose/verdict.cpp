// Step 7 of the analysis: the verdict. Catalogue signatures on the failure-indicating events
// (root events weigh more than symptoms) and job features vote for categories; the votes add up
// the taxonomy, and the verdict descends from the roots toward a leaf only while one child holds
// most of its parent's evidence. So the answer is the deepest category the evidence singles out
// ("hardware/network" when IB and RoCE signs are alike), "unknown" when nothing positive speaks
// for any — never a guess. Confidence is the calibrated odds of being right.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "diagnose/analysis.hpp"
#include "diagnose/calibration.hpp"
#include "l4/io/utf8.hpp"

namespace l4::diagnose {

namespace {

// Scores and reasons per category, before the taxonomy decides.
struct Tally {
  std::map<std::string, double> score;
  std::map<std::string, std::vector<std::string>> evidence;
  // Categories something positive speaks for: a signature among the events, or a job feature
  // that was seen. "No known signature" alone speaks for none.
  std::set<std::string> evidenced;
  // Categories with a signature on root evidence (first-hand, not a launcher's report): causes
  // that can explain other categories' evidence.
  std::set<std::string> rooted;
  std::set<std::string> featured;  // categories a job feature (not "no root text") spoke for
  std::string exception;  // class of the uncaught exception the root evidence is, if any
};

// A cause with evidence of its own takes over the evidence of its consequences: the CUDA error of
// a process whose GPU reported an Xid is the Xid's doing (catalogue 'explains').
void explain_consequences(const CategoryCatalog& catalog, Tally& t) {
  for (const auto& [cause, consequence] : catalog.explanations()) {
    std::string strongest;
    double best = 0;
    for (const auto& [category, score] : t.score) {
      if (CategoryCatalog::within(category, cause) && score > best && (t.rooted.contains(category) || t.featured.contains(category))) {
        strongest = category;
        best = score;
      }
    }
    if (strongest.empty()) continue;
    for (auto& [category, score] : t.score) {
      if (!CategoryCatalog::within(category, consequence) || score <= 0 || CategoryCatalog::within(category, cause)) continue;
      t.score[strongest] += score;
      t.evidence[strongest].push_back(fmt::format("{} evidence explained by {}", category, strongest));
      score = 0;
    }
  }
}

// Signature votes: the strongest event speaks for a category; more events add less and less.
void tally_signatures(const Analysis& a, Tally& t) {
  std::map<std::string, std::vector<double>> votes;
  for (const auto& c : a.candidates) {
    if (c.framing) continue;
    double role = c.role == EventRole::root ? a.options.root_vote : a.options.symptom_vote;
    if (c.event->stage_info.process_end == ProcessEnd::exit_report) role *= a.options.reported_vote;
    // The onset on the faulty node names the cause, unless a slowdown began before it (a straggler's job ends in
    // timeouts and a time limit that only follow from it).
    if (&c == a.top_onset && !a.features.iteration_slowdown) role *= a.options.onset_vote;
    for (const auto& m : c.signatures) {
      votes[m.category].push_back(c.score * m.weight * role);
      t.evidenced.insert(m.category);
      if (c.role == EventRole::root && c.event->stage_info.process_end != ProcessEnd::exit_report) t.rooted.insert(m.category);
      auto& ev = t.evidence[m.category];
      if (ev.size() < 3) ev.push_back(fmt::format("'{}' ({}; signature from {})", io::utf8_prefix(c.event->text, 120), to_string(c.role), m.source));
    }
  }
  for (auto& [category, v] : votes) {
    std::sort(v.begin(), v.end(), std::greater<>());
    double score = 0, share = 1;
    for (double x : v) {
      score += share * x;
      share *= a.options.further_evidence;
    }
    t.score[category] = score;
  }
  if (!a.options.refine) return;
  // A category that refines another takes over its evidence when its own signs are present (a
  // RoCE fault prints NCCL's IB-verbs errors too: they are the RoCE fault's).
  for (const auto& [specific, general] : a.catalog.refinements()) {
    auto own = t.score.find(specific);
    auto inherited = t.score.find(general);
    if (own != t.score.end() && inherited != t.score.end()) {
      own->second += inherited->second;
      inherited->second = 0;
    }
  }
}

// The uncaught exception among the root evidence that no signature explains: the fallback that
// keeps a plain traceback from being "unknown".
const Candidate* unexplained_exception(const Analysis& a) {
  const Candidate* found = nullptr;
  for (const auto& c : a.candidates) {
    if (c.framing || c.role != EventRole::root) continue;
    if (!c.signatures.empty()) return nullptr;  // a root event with a signature explains the failure
    const bool raised = c.event->raised > 0 || c.event->stage_info.process_end == ProcessEnd::exception;
    if (raised && (found == nullptr || c.event->first.before(found->event->first))) {
      found = &c;
    }
  }
  return found;
}

// The root evidence is a timeout (signatures only of the categories that stand for "no
// signature", a hang, on the root events) while the job was loading or evaluating: some ranks were
// busy with a long step of their own (preparing data, evaluating) while the others waited.
bool timeout_outside_training(const Analysis& a, const Diagnosis& d) {
  if (!d.stage || !(*d.stage == Stage::loading || *d.stage == Stage::evaluation)) return false;
  const auto hangs = a.catalog.feature(JobFeature::no_root_text);
  const auto is_hang = [&](const SignatureMatch& m) {
    return std::any_of(hangs.begin(), hangs.end(), [&](auto& cw) { return cw.first == m.category; });
  };
  bool timeout = false;
  for (const auto& c : a.candidates) {
    if (c.role != EventRole::root || c.framing) continue;
    for (const auto& m : c.signatures) {
      if (!is_hang(m)) return false;  // the root text names another cause
      timeout = true;
    }
  }
  return timeout;
}

void tally_features(const Analysis& a, const Diagnosis& d, Tally& t) {
  const auto& f = a.features;
  // `factor`: a slowdown is the onset of what follows it and counts as the onset does.
  const auto add = [&](bool on, JobFeature feature, const std::string& why, double factor = 1.0) {
    if (!on) return;
    for (const auto& [category, weight] : a.catalog.feature(feature)) {
      // "No root text" only sharpens what something else speaks for (timeouts, a stall).
      if (feature == JobFeature::no_root_text && !t.evidenced.contains(category)) continue;
      t.score[category] += weight * factor;
      t.evidence[category].push_back(why);
      if (feature != JobFeature::no_root_text) {
        t.evidenced.insert(category);
        t.featured.insert(category);
      }
    }
  };
  add(timeout_outside_training(a, d), JobFeature::timeout_outside_training,
      fmt::format("the timeout struck while the job was {}, not training", d.stage ? to_string(*d.stage) : ""));
  // A known fault signature on root evidence (not one of the categories that stand for "no
  // signature", such as a hang) is root text; symptoms on other nodes (a peer closing its
  // connection) are not.
  std::set<std::string> signature_free;
  for (const auto& [category, weight] : a.catalog.feature(JobFeature::no_root_text)) signature_free.insert(category);
  const auto* exception = unexplained_exception(a);
  // Launchers' exit reports are second-hand: they are no root text of their own.
  const bool root_has_text = exception != nullptr || std::any_of(a.candidates.begin(), a.candidates.end(), [&](const Candidate& c) {
    return c.role == EventRole::root && !c.drift && !c.framing && c.event->stage_info.process_end != ProcessEnd::exit_report &&
           std::any_of(c.signatures.begin(), c.signatures.end(), [&](auto& m) {
      return !signature_free.contains(m.category);
    });
  });
  const bool silent = f.node_went_silent;
  add(silent, JobFeature::node_went_silent,
      fmt::format("node {} reported none of what the other nodes did, and nothing of its own", a.scan.nodes[f.silent_node].id));
  add(f.iteration_stall && !root_has_text && !silent, JobFeature::iteration_stall,
      "every node stopped reporting iterations at the same one");
  add(f.iteration_slowdown, JobFeature::iteration_slowdown,
      fmt::format("node {}'s iterations took markedly longer than the others'", a.scan.nodes[f.slow_node].id),
      a.options.onset_vote);
  add(!root_has_text && !silent, JobFeature::no_root_text, "no error text with a known fault signature precedes the symptoms");
  if (exception != nullptr) {
    const auto& e = *exception->event;
    t.exception = e.raised > 0 ? e.raised_class : e.stage_info.exception_class;
    add(true, JobFeature::uncaught_exception,
        fmt::format("uncaught {} with no more specific signature: '{}'", t.exception, io::utf8_prefix(exception->event->text, 120)));
  }
}

// The answer: descend from the virtual root while the strongest child leads the runner-up (or
// the parent's own evidence) by at least `descend_share` of the two. Returns "" when even the
// roots are close.
struct Answer {
  std::string category;
  double total = 0;   // evidence in the answer's subtree
  double all = 0;     // evidence overall
  double lead = 1;    // the narrowest lead (best / (best + runner-up)) on the way down
};

Answer descend(const Tally& t, double descend_share) {
  std::map<std::string, double> subtree;  // category -> its own score plus its descendants'
  double all = 0;
  for (const auto& [category, score] : t.score) {
    if (score <= 0) continue;
    all += score;
    for (std::string_view c = category; !c.empty(); c = CategoryCatalog::parent(c)) subtree[std::string(c)] += score;
  }
  Answer answer{"", all, all, 1.0};
  if (all <= 0) return answer;
  for (;;) {
    // The two strongest children of the current answer.
    const std::string* best = nullptr;
    double first = 0, second = 0;
    for (const auto& [category, score] : subtree) {
      if (CategoryCatalog::parent(category) != answer.category) continue;
      if (score > first) {
        second = first;
        first = score;
        best = &category;
      } else if (score > second) {
        second = score;
      }
    }
    // The answer's own evidence (a signature of the inner category itself: "NVRM:" says only that
    // the GPU driver spoke) is consistent with any child and does not compete with them.
    if (best == nullptr) break;
    const double lead = first / (first + second);
    if (lead < descend_share) break;
    answer.category = *best;
    answer.total = first;
    answer.lead = std::min(answer.lead, lead);
  }
  return answer;
}

// The longest text a signature of the answer's subtree matched on a root line — or of a category
// the answer refines, whose evidence it took over (a RoCE fault's "GID table change" beside NCCL's
// IB-verbs completion error, which is the RoCE fault's too).
std::size_t specific_text(const Analysis& a, const std::string& answer) {
  std::vector<std::string> speaks_for{answer};
  if (a.options.refine) {
    for (const auto& [specific, general] : a.catalog.refinements()) {
      if (specific == answer) speaks_for.push_back(general);
    }
  }
  std::size_t longest = 0;
  for (const auto& c : a.candidates) {
    if (c.framing || c.role != EventRole::root) continue;
    for (const auto& m : c.signatures) {
      const bool counts = std::any_of(speaks_for.begin(), speaks_for.end(),
                                      [&](const std::string& s) { return CategoryCatalog::within(m.category, s); });
      if (counts) longest = std::max(longest, m.length);
    }
  }
  return longest;
}

// What the answer rests on (see Verdict::basis): first-hand signatures on root lines, else a
// launcher's exit report, else an uncaught exception's class, else features of the job.
std::string basis_of(const Analysis& a, const Tally& t, const std::string& answer) {
  // Signatures of the categories that stand for "no signature" (a hang's timeouts) say that the
  // job stopped, not why: a basis of their own.
  std::set<std::string> timeouts;
  for (const auto& [category, weight] : a.catalog.feature(JobFeature::no_root_text)) timeouts.insert(category);
  bool exit = false, timeout = false, generic = false;
  for (const auto& c : a.candidates) {
    if (c.framing || c.role != EventRole::root) continue;
    for (const auto& m : c.signatures) {
      if (!CategoryCatalog::within(m.category, answer)) continue;
      if (c.event->stage_info.process_end == ProcessEnd::exit_report) {
        exit = true;
      } else if (timeouts.contains(m.category)) {
        timeout = true;
      } else if (m.generic) {
        generic = true;  // "Connection reset by peer" says what happened, often not why
      } else {
        return "signature";
      }
    }
  }
  if (generic) return "generic";
  if (timeout) return "timeout";
  if (exit) return "exit";
  if (!t.exception.empty() && CategoryCatalog::within("user/code/exception", answer)) return "exception";
  return "feature";
}

bool subtree_evidenced(const Tally& t, const std::string& category) {
  return std::any_of(t.evidenced.begin(), t.evidenced.end(), [&](const std::string& c) {
    return CategoryCatalog::within(c, category);
  });
}

}  // namespace

void decide_verdict(const Analysis& a, Diagnosis& d) {
  Tally t;
  tally_signatures(a, t);
  tally_features(a, d, t);
  if (a.options.refine) explain_consequences(a.catalog, t);
  for (const auto& [category, score] : t.score) spdlog::debug("category {}: {:.3f}", category, score);
  const Answer answer = descend(t, a.options.descend_share);
  d.verdict.exception = t.exception;
  if (answer.category.empty() || !subtree_evidenced(t, answer.category)) {
    // Failure lines with no known signature and no pattern of the job: say so rather than guess.
    d.verdict.category = "unknown";
    d.verdict.strength = 0;
    d.verdict.confidence = 0;
    d.verdict.evidence = {answer.category.empty() && answer.all > 0
                              ? "the evidence is split between unrelated categories"
                              : "no event carries a signature of the catalogue, and no stall, slowdown or silent node was "
                                "seen (extend the catalogue with --catalog FILE)"};
    return;
  }
  d.verdict.category = answer.category;
  // How clearly the answer led at each step down, scaled down when there is little evidence.
  d.verdict.basis = basis_of(a, t, answer.category);
  d.verdict.strength = answer.lead * std::min(1.0, answer.total / a.options.strong_evidence);
  // A signature verdict is as specific as the longest text its signatures matched on root lines:
  // "Xid" or "timed out" say less than "CUDA out of memory. Tried to allocate".
  if (d.verdict.basis == "signature" || d.verdict.basis == "generic") {
    d.verdict.strength *= std::min(1.0, static_cast<double>(specific_text(a, answer.category)) / a.options.specific_match);
  }
  d.verdict.confidence =
      a.options.calibrated ? a.calibration.confidence(d.verdict.category, d.verdict.basis, d.verdict.strength) : d.verdict.strength;
  for (const auto& [category, ev] : t.evidence) {
    if (!CategoryCatalog::within(category, answer.category)) continue;
    for (const auto& e : ev) {
      if (d.verdict.evidence.size() < 4) d.verdict.evidence.push_back(e);
    }
  }
}

}  // namespace l4::diagnose
