#include "emitter.hpp"

namespace l4::simulate {

Emitter::Emitter(const JobPlan& plan, JobState& state, Rng& rng, LogFiles& files, std::vector<TruthLine>& truth)
    : plan_(plan), state_(state), rng_(rng), files_(files), truth_(truth) {}

void Emitter::expand_into(std::string& out, const LineTemplate& t) {
  for (const auto& seg : t.segments) {
    if (seg.var == Var::literal) {
      out += seg.text;
    } else {
      expand(out, seg.var);
    }
  }
}

void Emitter::line(const LineTemplate& t, int node, int rank, int ctx_rank, Role role) {
  const auto& stream = rank >= 0 ? files_.rank_stream(rank) : files_.node_stream(node);
  auto& sink = files_.sink(stream);
  auto& ctx = state_.line;
  ctx.node = node;
  ctx.rank = ctx_rank >= 0 ? ctx_rank : (rank >= 0 ? rank : node * plan_.ranks_per_node());
  ctx.agent = rank < 0;
  auto& clock = state_.clock;
  clock.line_time = clock.now + plan_.id.skew[static_cast<std::size_t>(node)];
  clock.now += static_cast<std::int64_t>(rng_.next() % 700);
  auto& out = sink.buffer();
  out += stream.prefix;
  expand_into(out, t);
  const auto line_no = sink.end_line();
  if ((t.evidence || ctx.force_evidence) && role != Role::none) {
    truth_.push_back(TruthLine{sink.display(), line_no, role == Role::root ? "root" : "symptom",
                               plan_.id.hosts[static_cast<std::size_t>(node)]});
  }
}

void Emitter::block(const Block& b, int node, int rank, int ctx_rank, Role role) {
  for (const auto& t : b) line(t, node, rank, ctx_rank, role);
}

void Emitter::hook(const std::string& name, int node, int rank, int ctx_rank, Role role) {
  for (const auto& b : plan_.style->hook(name)) {
    block(b, node, rank, ctx_rank, role);
    advance(100, 3000);
  }
}

void Emitter::pool(const std::string& name, int rank) {
  const auto& blocks = plan_.style->hook(name);
  if (blocks.empty()) return;
  const auto& b = blocks[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(blocks.size()) - 1))];
  block(b, plan_.node_of(rank), rank, rank);
}

std::string Emitter::text(const LineTemplate& t, int node, int rank) {
  auto& ctx = state_.line;
  ctx.node = node;
  ctx.rank = rank;
  ctx.agent = false;
  state_.clock.line_time = state_.clock.now;
  std::string value;
  expand_into(value, t);
  return value;
}

}  // namespace l4::simulate
