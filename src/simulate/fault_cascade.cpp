#include "fault_cascade.hpp"

#include <string_view>
#include <utility>

namespace l4::simulate {

FaultCascade::FaultCascade(const JobPlan& plan, JobState& state, Rng& rng, Emitter& out, JobTruth& truth)
    : plan_(plan), fault_(plan.fault), state_(state), rng_(rng), out_(out), truth_(truth) {}

void FaultCascade::start_straggling() {
  state_.cascade.struck = true;
  state_.cascade.slow_node[static_cast<std::size_t>(fault_.faulty_node)] = 1;
  truth_.failed_at = plan_.train.resume + state_.train.iter;
}

void FaultCascade::strike() {
  state_.cascade.struck = true;
  record_iterations();
  if (state_.train.seq == 0) state_.train.seq = rng_.range(3, 40);
  record_parameters();
  if (fault_.table->behaviour == FaultBehaviour::slow) {
    time_limit();
    return;
  }
  root_evidence();
  using Step = void (FaultCascade::*)();
  static constexpr std::pair<std::string_view, Step> kSpread[] = {
      {"local_teardown", &FaultCascade::local_teardown}, {"peer_closed", &FaultCascade::peer_closed},
      {"remote_error", &FaultCascade::remote_error},     {"heartbeat", &FaultCascade::heartbeat},
      {"watchdog", &FaultCascade::watchdog}};
  for (const auto& [symptom, step] : kSpread) {
    if (fault_.table->has_symptom(std::string(symptom))) (this->*step)();
  }
}

void FaultCascade::record_iterations() {
  if (!in_iterations(fault_.stage)) return;
  const int resume = plan_.train.resume;
  if (state_.train.last_completed >= 0) truth_.last_completed = resume + state_.train.last_completed;
  if (!truth_.failed_at) truth_.failed_at = resume + state_.train.iter;  // in progress (training) or just done
}

// Each parameter template expanded for the first faulty rank, outside any file.
void FaultCascade::record_parameters() {
  for (const auto& [type, tpl] : fault_.table->parameters) {
    auto value = out_.text(tpl, fault_.faulty_node, fault_.faulty_rank);
    // A variant that does not print a value (an ECC error seen without its kernel Xid line) sets it
    // empty: the truth lists only what the logs show.
    if (!value.empty()) truth_.parameters.push_back(TruthParameter{type, std::move(value)});
  }
}

// The scheduler's time limit: every node is cancelled, the agents terminate their workers.
void FaultCascade::time_limit() {
  const int n = plan_.nodes(), k = plan_.ranks_per_node();
  out_.advance(kSecond, 30 * kSecond);
  for (int node = 0; node < n; ++node) {
    out_.block(fault_.phrasing_of("time_limit"), node, -1, node * k, Role::symptom);
    for (int l = 0; l < k; ++l) {
      for (const auto& b : plan_.style->hook("sigterm")) out_.block(b, node, -1, node * k + l, Role::symptom);
    }
    state_.cascade.done[static_cast<std::size_t>(node)] = 1;
  }
}

// Root evidence on the faulty node: kernel/node-level lines, then each faulty process.
void FaultCascade::root_evidence() {
  const int k = plan_.ranks_per_node();
  const auto& variant = *fault_.variant;
  const auto behaviour = fault_.table->behaviour;
  auto& cascade = state_.cascade;
  if (!variant.node_root.empty()) {
    const auto& b = variant.node_root[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(variant.node_root.size()) - 1))];
    out_.block(b, fault_.faulty_node, -1, fault_.faulty_rank, Role::root);
    out_.advance(1000, 500000);
  }
  if (behaviour == FaultBehaviour::crash && !variant.root.empty()) {
    const auto& b = variant.root[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(variant.root.size()) - 1))];
    for (int r : fault_.faulty_ranks) {
      out_.block(b, plan_.node_of(r), r, r, Role::root);
      out_.advance(100, 20000);
    }
  }
  if (behaviour == FaultBehaviour::crash) {
    for (int r : fault_.faulty_ranks) cascade.dead[static_cast<std::size_t>(r)] = 1;
  }
  if (behaviour == FaultBehaviour::silent) {
    for (int l = 0; l < k; ++l) cascade.dead[static_cast<std::size_t>(fault_.faulty_node * k + l)] = 1;
    cascade.done[static_cast<std::size_t>(fault_.faulty_node)] = 1;
  }
}

// The faulty nodes' agents notice the failed workers and tear their nodes down.
void FaultCascade::local_teardown() {
  const int n = plan_.nodes(), k = plan_.ranks_per_node();
  const auto& ov = state_.overrides;
  const std::string exit = ov.has(Var::exit) ? ov.value(Var::exit) : "1";
  const std::string sig = ov.value(Var::signame);
  std::vector<char> faulty_node(static_cast<std::size_t>(n), 0);
  for (int r : fault_.faulty_ranks) faulty_node[static_cast<std::size_t>(plan_.node_of(r))] = 1;
  out_.advance(kSecond, 5 * kSecond);
  for (int node = 0; node < n; ++node) {
    if (faulty_node[static_cast<std::size_t>(node)] == 0) continue;
    const int first = node == fault_.faulty_node ? fault_.faulty_rank : node * k;
    teardown_node(node, first, exit, sig);
  }
}

// Ring neighbours see the connection to the dead peer (the faulty node) close; they keep waiting.
void FaultCascade::peer_closed() {
  const int n = plan_.nodes(), k = plan_.ranks_per_node();
  if (n <= 1) return;
  out_.advance(kSecond, 20 * kSecond);
  const int lrank = fault_.faulty_rank % k;
  const int saved_peer = std::exchange(state_.line.peer_node, fault_.faulty_node);
  for (int node : {(fault_.faulty_node + n - 1) % n, (fault_.faulty_node + 1) % n}) {
    if (state_.cascade.done[static_cast<std::size_t>(node)] != 0) continue;
    symptom_block("peer_closed", node * k + lrank);
    if (n == 2) break;
  }
  state_.line.peer_node = saved_peer;
}

// Network errors surface on the peers' NCCL proxies at once: they abort.
void FaultCascade::remote_error() {
  const int n = plan_.nodes(), k = plan_.ranks_per_node();
  out_.advance(500000, 4 * kSecond);
  const int lrank = fault_.faulty_rank % k;
  const int saved_peer = std::exchange(state_.line.peer_node, fault_.faulty_node);
  for (int node = 0; node < n; ++node) {
    if (state_.cascade.done[static_cast<std::size_t>(node)] != 0) continue;
    const int r = node * k + lrank;
    symptom_block("remote_error", r);
    state_.cascade.dead[static_cast<std::size_t>(r)] = 1;
    teardown_node(node, r, "-6", "SIGABRT");
  }
  state_.line.peer_node = saved_peer;
}

// A lost node stops sending rendezvous heartbeats; the master's agent says so.
void FaultCascade::heartbeat() {
  if (plan_.nodes() <= 1) return;
  out_.advance(30 * kSecond, 90 * kSecond);
  const int master = fault_.faulty_node == 0 ? 1 : 0;
  const int saved_peer = std::exchange(state_.line.peer_node, fault_.faulty_node);
  out_.block(fault_.phrasing_of("heartbeat"), master, -1, master * plan_.ranks_per_node(), Role::symptom);
  state_.line.peer_node = saved_peer;
}

// Everyone else blocks in the collective until the NCCL watchdog fires (same SeqNum).
void FaultCascade::watchdog() {
  const int n = plan_.nodes(), k = plan_.ranks_per_node();
  const auto& cascade = state_.cascade;
  state_.clock.now += 600 * kSecond;
  for (int node = 0; node < n; ++node) {
    if (cascade.done[static_cast<std::size_t>(node)] != 0) continue;
    int first = -1;
    for (int l = 0; l < k; ++l) {
      const int r = node * k + l;
      if (cascade.dead[static_cast<std::size_t>(r)] != 0) continue;
      // A stuck rank never enqueued the collective.
      if (fault_.table->behaviour == FaultBehaviour::hang && r == fault_.faulty_rank) continue;
      symptom_block("watchdog", r);
      if (first < 0) first = r;
    }
    if (first >= 0) teardown_node(node, first, "-6", "SIGABRT");
  }
}

void FaultCascade::teardown_node(int node, int first_rank, const std::string& exit, const std::string& signame) {
  auto& d = state_.cascade.done[static_cast<std::size_t>(node)];
  if (d != 0) return;
  d = 1;
  const int k = plan_.ranks_per_node();
  auto& ov = state_.overrides;
  const std::string saved_exit = ov.value(Var::exit);
  const std::string saved_sig = ov.value(Var::signame);
  const bool had_exit = ov.has(Var::exit);
  const bool had_sig = ov.has(Var::signame);
  out_.advance(200000, 2 * kSecond);
  for (int l = 0; l < k; ++l) {
    const int r = node * k + l;
    if (r == first_rank) continue;
    for (const auto& b : plan_.style->hook("sigterm")) out_.block(b, node, -1, r, Role::symptom);
    state_.cascade.dead[static_cast<std::size_t>(r)] = 1;
  }
  out_.advance(kSecond, 6 * kSecond);
  // The agent's failure report prints this node's exit code and signal.
  ov.set(Var::exit, exit);
  ov.set(Var::signame, signame, !signame.empty());
  for (const auto& b : plan_.style->hook("fail_local")) out_.block(b, node, -1, first_rank, Role::symptom);
  ov.set(Var::exit, saved_exit, had_exit);
  ov.set(Var::signame, saved_sig, had_sig);
  state_.cascade.dead[static_cast<std::size_t>(first_rank)] = 1;
}

void FaultCascade::symptom_block(const std::string& name, int rank) {
  out_.block(fault_.phrasing_of(name), plan_.node_of(rank), rank, rank, Role::symptom);
}

}  // namespace l4::simulate
