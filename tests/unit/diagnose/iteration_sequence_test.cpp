#include <catch2/catch.hpp>

#include "diagnose/iteration_sequence.hpp"

using l4::diagnose::IterationSequence;

TEST_CASE("DTW distance between iteration event sequences", "[diagnose][iteration-sequence]") {
  using Seq = std::vector<std::uint32_t>;
  CHECK(IterationSequence::distance(Seq{1, 2, 3}, Seq{1, 2, 3}) == 0.0);
  CHECK(IterationSequence::distance(Seq{1, 2, 3}, Seq{7, 8, 9}) == 1.0);
  CHECK(IterationSequence::distance(Seq{}, Seq{1}) == 1.0);
  // A repeated line warps onto its twin at no cost; one foreign line costs one step in four.
  CHECK(IterationSequence::distance(Seq{1, 2, 2, 3}, Seq{1, 2, 3}) == 0.0);
  CHECK(IterationSequence::distance(Seq{1, 2, 9, 3}, Seq{1, 2, 3}) == Approx(0.25));
}

TEST_CASE("an iteration whose events depart from the previous ones deviates", "[diagnose][iteration-sequence]") {
  IterationSequence s;
  // A steady stream: every iteration logs the same three events.
  int scored = 0;
  for (int i = 0; i < 20; ++i) {
    for (std::uint32_t e : {1U, 2U, 3U}) s.add(e);
    const auto outcome = s.close();
    if (outcome) {
      ++scored;
      CHECK_FALSE(outcome->deviates);
    }
  }
  CHECK(scored == 17);  // the first three have too few predecessors to compare with
  // Then an iteration with a retry loop in it.
  for (std::uint32_t e : {1U, 40U, 40U, 41U, 2U, 3U}) s.add(e);
  const auto outcome = s.close();
  REQUIRE(outcome);
  CHECK(outcome->deviates);
  CHECK(outcome->sigmas > IterationSequence::kSigmas);
  CHECK(outcome->novel == std::vector<std::uint32_t>{40, 41});
}

TEST_CASE("no iteration deviates before the stream has shown what is usual", "[diagnose][iteration-sequence]") {
  IterationSequence s;
  for (int i = 0; i < 5; ++i) {
    s.add(1);
    s.close();
  }
  s.add(99);
  const auto outcome = s.close();
  REQUIRE(outcome);
  CHECK(outcome->distance == 1.0);
  CHECK_FALSE(outcome->deviates);  // two scored iterations are not enough to call anything unusual
}
