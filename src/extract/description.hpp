#pragma once
// The fine stage of extraction as small named steps, in the order FaultExtractor::describe runs
// them:
//   locate_parameters  where the message's parameters are (never cut, and where text runs end);
//   split_clauses      the message cut at its own syntax (separators, parentheses);
//   score_clauses      how much each clause says about a failure, and which clause a label or a
//                      cause marker hands the description to;
//   pick_clause        the clause that states the fault;
//   pick_description   its words: the fault-indicating description (FID);
//   pick_parameter     the entity it is about: the fault-indicating parameter (FIP).
// Internal to l4::extract; each step is unit-tested on its own (tests/unit/extract/description_test.cpp).
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "l4/extract/fault_lexicon.hpp"
#include "l4/extract/typed_parameter.hpp"

namespace l4::extract::description {

// A byte range [begin, end) of a message.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  [[nodiscard]] std::size_t size() const { return end - begin; }
  [[nodiscard]] bool empty() const { return end <= begin; }
  friend bool operator==(const Span&, const Span&) = default;
  friend auto operator<=>(const Span&, const Span&) = default;
};

// The weights of the clause scoring and the parameter choice, with the reason for each value.
struct Weights {
  // Added to the clause a cause marker ("due to :") or a label ("error: …") hands over to: the
  // text after it is what the marker points at. Two points: about one fault term.
  double hand_over_bonus = 2.0;
  // Subtracted per clause before the chosen one: the headline comes first in a message.
  double position_penalty = 0.3;
  // A bare exception class name ("java.io.IOException") labels a fault; its words count half.
  double class_label_factor = 0.5;
  // Text inside "( … )" gives details of the clause before it; its words count half.
  double parenthetical_factor = 0.5;
  // How many clauses after the description's are near it: a candidate must be there, and an
  // entity there beats one named further on (the entity and its details follow the statement:
  // "Failed to connect to /10.0.0.5:50010 for block, add to deadNodes").
  std::size_t parameter_window = 2;
  // An entity named before the description ("Container from a bad node: container_1_2 …")
  // is its subject, but one after it is nearer: the earlier one loses this much priority.
  double entity_before_penalty = 1.0;
  // A clause holding a failure value written as a sentence ("httpCode is 500") states a fault as
  // strongly as one fault term ("exit code", "unable"): its weight is at least this.
  double statement_weight = 2.5;
};

// Where the parameters of a message sit.
struct ParameterLayout {
  std::vector<Span> atoms;  // whole matches, keys and wrappers included: no separator cuts them
  std::vector<Span> cuts;   // values (with a wrapper glued before them): description text ends there
  std::vector<Span> statements;  // failure values written as sentences ("Exit code is 137"): text
  std::vector<Span> subjects;    // code names opening a clause of words ("projectId may not be null"): text
};

// A clause: the text between two separators.
struct Clause {
  Span span;
  std::string_view separator_before;  // "" for the first clause
  Span message;                       // the message it belongs to: the line, or a quote inside it
  bool parenthetical = false;         // inside "( … )" of its message: details, not the headline
  bool params_only = false;           // only parameters and punctuation ("exitCode: 10", "[url=/x]")
  bool class_label = false;           // only exception class names ("java.net.ConnectException")
  double weight = 0;                  // its fault words (field keys excluded)
  double score = 0;                   // weight after hand-over, position and nesting
};

// True when `text` is (possibly dotted) exception class names only, a colon after them at most:
// "java.net.ConnectException", "ServiceException ServiceException:". Such text labels a fault
// stated elsewhere; it states none.
[[nodiscard]] bool is_class_label(std::string_view text);

// The parameters of `content`: the template's parameter texts (located in order; a plain word
// such as "null" reads as text and does not cut) and the typed entities. A failure value written as
// a sentence (TypedParameter::states_failure) is text: neither atom nor cut, but a statement.
[[nodiscard]] ParameterLayout locate_parameters(std::string_view content,
                                                std::span<const std::string_view> template_parameters,
                                                std::span<const TypedParameter> typed);

// `content` cut at the lexicon's clause separators that fall outside parameters; a clause's
// leading punctuation and trailing space are trimmed, empty clauses dropped. A quote opened by a
// quote opener (reason='…', IndexError('…')) is a message of its own: only sentence separators
// cut inside it, and parentheses nest from its start.
[[nodiscard]] std::vector<Clause> split_clauses(std::string_view content, const ParameterLayout& layout,
                                                const FaultLexicon& lexicon);

// A code name (a keyless generic candidate: "projectId", "topicInfo") that is a word of its clause's
// prose — it opens the clause or follows a word of it, and words follow it — is what the clause
// speaks of ("projectId may not be null", "cannot get topicInfo for consumer"): description text,
// not a parameter. Its cut is dropped and it is listed in layout.subjects.
void read_subjects(std::string_view content, const std::vector<Clause>& clauses,
                   std::span<const TypedParameter> typed, ParameterLayout& layout);

// The distinct lexicon terms of `text`, a word that is a field's key ("errorCode=",
// "exception.id:") excluded: it names a field and says nothing about the message.
[[nodiscard]] double fault_weight(std::string_view text, const FaultLexicon& lexicon);

// Sets each clause's weight (at least statement_weight when it holds a statement), params_only,
// class_label and score. A clause ending in a cause marker
// or made of a label marker hands its weight on to the next clause with fault words (or the last
// clause of prose when none has any); a clause of parameters only can never be chosen.
void score_clauses(std::string_view content, const ParameterLayout& layout, const FaultLexicon& lexicon,
                   const Weights& weights, std::vector<Clause>& clauses);

// The clause with the highest score (the first of equals); clauses.size() when there is none.
[[nodiscard]] std::size_t pick_clause(const std::vector<Clause>& clauses);

// The description inside the chosen clause: its run of constant text (between parameters) with
// the most fault weight (a statement, "httpCode is 500", is a run of its own worth at least
// statement_weight), punctuation and trailing stop words trimmed. A value of one or two words
// after "key: " joins its key ("Final app status: FAILED"); a description that runs to the end of
// its clause goes on over a comma into the next clause when that one states a fault too.
[[nodiscard]] Span pick_description(std::string_view content, const std::vector<Clause>& clauses,
                                    std::size_t chosen, const ParameterLayout& layout,
                                    const FaultLexicon& lexicon, const Weights& weights = {});

// The index in `typed` of the fault-indicating parameter, or typed.size() when none qualifies:
// a candidate of the description's clause or of the `parameter_window` clauses after it (details
// in parentheses only when they are entities), or an entity named before it, inside the
// description's message (a quote's parameters describe the quote; the fields around it, the
// wrapper), never one inside the description (it is part of what the description says); the highest fip_priority wins, then the earliest. When none of those qualifies, an
// entity named after the window is (the same order): an entity is what a message is about
// wherever it names it; the window only puts the near before the far.
[[nodiscard]] std::size_t pick_parameter(std::span<const TypedParameter> typed, const std::vector<Clause>& clauses,
                                         std::size_t chosen, Span description, const Weights& weights);

}  // namespace l4::extract::description
