#include <catch2/catch.hpp>

#include "diagnose/spatial_evidence.hpp"

using namespace l4::diagnose;

namespace {

JobScan job_of(std::initializer_list<const char*> nodes) {
  JobScan scan;
  for (const char* n : nodes) {
    NodeStats stats;
    stats.id = n;
    scan.nodes.push_back(std::move(stats));
  }
  return scan;
}

EventStats event(std::vector<std::uint32_t> per_node, std::uint32_t first_node = 0, std::string content = {}) {
  EventStats e;
  e.node_counts = std::move(per_node);
  for (auto c : e.node_counts) e.count += c;
  e.first.node = first_node;
  e.first.line = 1;
  e.first_content = std::move(content);
  return e;
}

}  // namespace

TEST_CASE("a node short of the symptoms every other node reports stands out", "[diagnose][spatial]") {
  const JobScan scan = job_of({"n-01", "n-02", "n-03", "n-04"});
  // A watchdog timeout from each of 4 ranks per node, but one rank of n-03 hung and never reported.
  const EventStats watchdog = event({4, 4, 3, 4});
  // Teardown on every node except n-04, which was lost.
  const EventStats teardown = event({2, 2, 2, 0});
  const std::vector<WeightedEvent> events{{&watchdog, 1.0}, {&teardown, 1.0}};
  const auto s = missing_symptom_scores(scan, events);
  REQUIRE(s.size() == 4);
  CHECK(s[0] == 0.0);
  CHECK(s[1] == 0.0);
  CHECK(s[2] == Approx(0.125));  // a quarter short on one of two events
  CHECK(s[3] == Approx(0.5));    // all short on one of two events
}

TEST_CASE("events on few nodes and jobs of two nodes give no missing-symptom evidence", "[diagnose][spatial]") {
  const EventStats local = event({1, 0, 0, 0});
  const std::vector<WeightedEvent> events{{&local, 1.0}};
  const auto four = missing_symptom_scores(job_of({"a-1", "a-2", "a-3", "a-4"}), events);
  CHECK(std::all_of(four.begin(), four.end(), [](double v) { return v == 0.0; }));
  const EventStats both = event({3, 0});
  const std::vector<WeightedEvent> pair{{&both, 1.0}};
  const auto two = missing_symptom_scores(job_of({"a-1", "a-2"}), pair);
  CHECK(two == std::vector<double>{0.0, 0.0});
}

TEST_CASE("a node named by another node's failure line is implicated, as a whole word only", "[diagnose][spatial]") {
  const JobScan scan = job_of({"dgx-b19", "dgx-b2", "dgx-b23"});
  const EventStats keepalive =
      event({1, 0, 0}, 0, "The node 'dgx-b23_91007_0' has failed to send a keep-alive heartbeat to the rendezvous");
  const EventStats own = event({0, 0, 1}, 2, "host : dgx-b23");  // a node naming itself says nothing
  const std::vector<WeightedEvent> events{{&keepalive, 0.8}, {&own, 1.0}};
  const auto s = named_node_scores(scan, events);
  CHECK(s[0] == 0.0);
  CHECK(s[1] == 0.0);  // "dgx-b2" is a prefix of "dgx-b23", not a name in the text
  CHECK(s[2] == Approx(0.8));
}

TEST_CASE("IPv4 addresses are found as whole dotted quads", "[diagnose][spatial]") {
  using V = std::vector<std::string_view>;
  CHECK(ipv4_addresses("peer 10.68.0.52<50401> localGid ::ffff:10.68.0.51") == V{"10.68.0.52", "10.68.0.51"});
  CHECK(ipv4_addresses("eth0:192.168.1.20<0>") == V{"192.168.1.20"});
  CHECK(ipv4_addresses("version 2.20.5, 1.2.3.4.5, v10.0.0.1, 1234.1.1.1") == V{});
}

namespace {

// A job of three nodes whose NCCL bootstrap banner states each node's own address.
JobScan job_with_addresses() {
  JobScan scan = job_of({"gpu-a037", "gpu-a038", "gpu-a039"});
  EventStats banner = event({1, 1, 1}, 0, "Bootstrap : Using eth0:10.68.0.49<0>");
  banner.node_first_parameters = {{"eth0:10.68.0.49<0>"}, {"eth0:10.68.0.50<0>"}, {"eth0:10.68.0.51<0>"}};
  scan.events.push_back(std::move(banner));
  // The rendezvous master's address, which every node names: not anyone's own.
  EventStats master = event({1, 1, 1}, 0, "MASTER_ADDR=10.68.0.49");
  master.node_first_parameters = {{"10.68.0.49"}, {"10.68.0.49"}, {"10.68.0.49"}};
  scan.events.push_back(std::move(master));
  return scan;
}

}  // namespace

TEST_CASE("a banner every node prints with its own address maps addresses to nodes", "[diagnose][spatial]") {
  const auto owner = node_addresses(job_with_addresses());
  REQUIRE(owner.size() == 3);
  CHECK(owner.at("10.68.0.49") == 0);
  CHECK(owner.at("10.68.0.51") == 2);
}

TEST_CASE("a node whose address other nodes' failure lines name is implicated", "[diagnose][spatial]") {
  const JobScan scan = job_with_addresses();
  // Every node logs an IB completion error: gpu-a037 and gpu-a038 name gpu-a039's address; gpu-a039
  // names gpu-a038's. Their own (local) addresses name nobody else.
  EventStats ib = event({1, 1, 1}, 0, "NET/IB : Got completion from peer 10.68.0.51<50401> with status=5");
  ib.node_first_parameters = {{"10.68.0.51<50401>", "5", "10.68.0.49"},
                              {"10.68.0.51<50401>", "5", "10.68.0.50"},
                              {"10.68.0.50<50401>", "12", "10.68.0.51"}};
  const std::vector<WeightedEvent> events{{&ib, 0.5}};
  const auto s = named_node_scores(scan, events);
  CHECK(s[0] == 0.0);
  CHECK(s[1] == Approx(0.5));
  CHECK(s[2] == Approx(1.0));  // named by two nodes
}

namespace {

// A step-time event on `nodes` nodes, 40 steps each; from step 30 on, node `slow` computes
// `factor` times slower while the others wait for it.
JobScan straggling_job(std::size_t nodes, std::size_t slow, double factor) {
  JobScan scan;
  for (std::size_t n = 0; n < nodes; ++n) {
    NodeStats stats;
    stats.id = "node-" + std::to_string(n);
    for (long it = 1; it <= 40; ++it) stats.iterations.emplace_back(it, 100.0 + it);
    scan.nodes.push_back(std::move(stats));
  }
  EventStats step;
  step.node_numbers.resize(nodes);
  for (long it = 1; it <= 40; ++it) {
    for (std::size_t n = 0; n < nodes; ++n) {
      const double jitter = 1.0 + 0.02 * static_cast<double>((it + static_cast<long>(n)) % 3);
      const bool slowed = it >= 30 && factor != 1.0;
      const double compute = 1000 * jitter * (slowed && n == slow ? factor : 1.0);
      const double wait = slowed && n != slow ? 1000 * (factor - 1) + 100 : 100 * jitter;
      const std::array<double, 3> values{static_cast<double>(it), compute, wait};  // step, compute, wait
      step.node_numbers[n].observe(values, it, 100.0 + it);
    }
  }
  step.node_counts.assign(nodes, 40);
  step.count = 40 * nodes;
  scan.events.push_back(std::move(step));
  return scan;
}

}  // namespace

TEST_CASE("numeric tracks keep the early level and when the numbers departed from it", "[diagnose][spatial]") {
  NumericTrack t;
  for (long it = 1; it <= 20; ++it) {
    const std::array<double, 2> v{100.0, std::nan("")};
    t.observe(v, it, static_cast<double>(it));
  }
  CHECK(t.baseline(0) == Approx(100.0));
  CHECK(std::isnan(t.baseline(1)));  // never a number
  CHECK(t.departed_at[0] == -1);
  for (long it = 21; it <= 30; ++it) {
    const std::array<double, 2> v{300.0, std::nan("")};
    t.observe(v, it, static_cast<double>(it));
  }
  CHECK(t.departed_at[0] == 21);
  CHECK(t.departed_time[0] == Approx(21.0));
  CHECK(t.recent_ratio(0) > 2.5);
}

TEST_CASE("the straggler is the node whose numbers moved unlike the others'", "[diagnose][spatial]") {
  const auto drift = drifting_node(straggling_job(6, 4, 3.0));
  REQUIRE(drift.has_value());
  CHECK(drift->node == 4);
  CHECK(drift->votes >= 2);  // its compute grew, and it alone did not wait
  CHECK(drift->since == 30);
  CHECK_FALSE(drifting_node(straggling_job(6, 4, 1.0)).has_value());  // nobody slowed down
}

TEST_CASE("a line names a node only by its whole id", "[diagnose][spatial]") {
  using l4::diagnose::names_node;
  CHECK(names_node("NCCL WARN socketProgress: Connection closed by remote peer gpu-a038<59735>", "gpu-a038"));
  CHECK_FALSE(names_node("Connection closed by remote peer gpu-a0380<59735>", "gpu-a038"));
}
