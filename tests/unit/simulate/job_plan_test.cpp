// JobPlan: the draws that decide a job before its first line. Equal options give an equal plan and
// leave the Rng where the stages expect it; the fault plan obeys its table entry.
#include "simulate/job_plan.hpp"

#include <catch2/catch.hpp>

#include "l4/error.hpp"
#include "sim_test_support.hpp"

using namespace l4::simulate;

using l4::test::sim::small;

TEST_CASE("equal options give an equal plan and the same Rng state after it", "[simulate]") {
  const auto o = small("unused", "random", 5);
  Rng a(job_seed(o)), b(job_seed(o));
  const auto pa = plan_job(o, SimTables::get(), a);
  const auto pb = plan_job(o, SimTables::get(), b);
  CHECK(pa.id.hosts == pb.id.hosts);
  CHECK(pa.id.pids == pb.id.pids);
  CHECK(pa.fault.table == pb.fault.table);
  CHECK(pa.fault.variant == pb.fault.variant);
  CHECK(pa.fault.strike_iter == pb.fault.strike_iter);
  CHECK(a.next() == b.next());
  CHECK(pa.options.job_id == "sim-5");
  CHECK(pa.id.ckpt.find("sim-5") != std::string::npos);
}

TEST_CASE("the fault plan follows its table entry: stages, scope, iteration", "[simulate]") {
  const auto& tables = SimTables::get();
  for (const auto& f : tables.faults) {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      const auto o = small("unused", f.info.type, seed);
      Rng rng(job_seed(o));
      const auto plan = plan_job(o, tables, rng);
      INFO(f.info.type << " seed " << seed);
      REQUIRE(plan.fails());
      const auto& fp = plan.fault;
      const auto& stages = fp.variant->stages.empty() ? f.stages : fp.variant->stages;
      CHECK(std::find(stages.begin(), stages.end(), fp.stage) != stages.end());
      const std::size_t expected = f.scope == FaultScope::all ? 8 : f.scope == FaultScope::node ? 2 : 1;
      CHECK(fp.faulty_ranks.size() == expected);
      CHECK(std::find(fp.faulty_ranks.begin(), fp.faulty_ranks.end(), fp.faulty_rank) != fp.faulty_ranks.end());
      CHECK(fp.faulty_node == plan.node_of(fp.faulty_rank));
      CHECK(plan.peer_node == (fp.faulty_node + 1) % 4);
      if (in_iterations(fp.stage)) {
        CHECK(fp.strike_iter >= 1);
        CHECK(fp.strike_iter <= 60);
      }
      const auto truth = planned_truth(plan);
      CHECK(truth.stage == l4::diagnose::to_string(fp.stage));
      CHECK(truth.simulated_fault == f.info.type);
    }
  }
}

TEST_CASE("a normal job plans no fault; bad options are input errors before any draw matters", "[simulate]") {
  auto o = small("unused", "none", 3);
  Rng rng(job_seed(o));
  const auto plan = plan_job(o, SimTables::get(), rng);
  CHECK_FALSE(plan.fails());
  CHECK(plan.peer_node == 1);
  CHECK(planned_truth(plan).fault_type == "none");

  o.layout = "per-gpu";
  CHECK_THROWS_AS(plan_job(o, SimTables::get(), rng), l4::InputError);
  o = small("unused", "hardware/node/lost", 3);
  o.nodes = 1;
  CHECK_THROWS_AS(plan_job(o, SimTables::get(), rng), l4::InputError);
}
