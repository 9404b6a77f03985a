// The variables of table lines (docs/simulate.md lists them): what each prints, from the plan,
// the state and, for the noise among them, the Rng. A value the fault variant pins wins.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>

#include "emitter.hpp"
#include "number_format.hpp"

namespace l4::simulate {
namespace {

const char* const kBusIds[] = {"18000", "2a000", "3a000", "5d000", "9a000", "ab000", "ba000", "db000"};

void put_hms(std::string& out, std::int64_t s) {
  fmt::format_to(std::back_inserter(out), "{:02d}:{:02d}:{:02d}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

void Emitter::expand(std::string& out, Var v) {
  if (state_.overrides.has(v)) {
    out += state_.overrides.value(v);
    return;
  }
  if (TimeFormat::is_time(v)) {
    const auto& clock = state_.clock;
    const auto boot = plan_.id.boot[static_cast<std::size_t>(state_.line.node)];
    time_.put(out, v, clock.line_time, clock.line_time - plan_.id.start + boot, rng_);
    return;
  }
  if (put_process(out, v) || put_job(out, v) || put_training(out, v) || put_fault(out, v)) return;
  put_noise(out, v);
}

// Who prints the line: its node, rank, process and device.
bool Emitter::put_process(std::string& out, Var v) {
  const auto& ctx = state_.line;
  const auto& id = plan_.id;
  const auto node = static_cast<std::size_t>(ctx.node);
  const auto rank = static_cast<std::size_t>(ctx.rank);
  const int k = plan_.ranks_per_node();
  const int lrank = ctx.rank % k;
  auto it = std::back_inserter(out);
  switch (v) {
    case Var::host: out += id.hosts[node]; break;
    case Var::ip: out += id.ips[node]; break;
    case Var::rank: put_int(out, ctx.rank); break;
    case Var::lrank: case Var::gpu: put_int(out, lrank); break;
    case Var::lrank2: fmt::format_to(it, "{:02d}", lrank); break;
    case Var::noderank: put_int(out, ctx.node); break;
    case Var::pid: put_int(out, ctx.agent ? id.agent_pids[node] : id.pids[rank]); break;
    case Var::wpid: put_int(out, id.pids[rank]); break;
    case Var::tid: put_int(out, id.tids[rank]); break;
    case Var::busid: out += kBusIds[lrank % 8]; break;
    case Var::pci: fmt::format_to(it, "0000:{}:00", std::string_view(kBusIds[lrank % 8]).substr(0, 2)); break;
    case Var::hca: fmt::format_to(it, "mlx5_{}", lrank % 8); break;
    case Var::ch: fmt::format_to(it, "{:02d}", ctx.channel); break;
    case Var::next: put_int(out, (ctx.rank + 1) % plan_.world()); break;
    case Var::prev: put_int(out, (ctx.rank + plan_.world() - 1) % plan_.world()); break;
    case Var::uptime: put_int(out, (state_.clock.line_time - id.start + id.boot[node]) / kSecond); break;
    default: return false;
  }
  return true;
}

// The job as a whole: its shape, names and versions.
bool Emitter::put_job(std::string& out, Var v) {
  const auto& id = plan_.id;
  const auto& t = plan_.train;
  switch (v) {
    case Var::world: put_int(out, plan_.world()); break;
    case Var::nnodes: put_int(out, plan_.nodes()); break;
    case Var::nproc: put_int(out, plan_.ranks_per_node()); break;
    case Var::master: out += id.hosts[0]; break;
    case Var::master_ip: out += id.ips[0]; break;
    case Var::port: put_int(out, id.port); break;
    case Var::job: out += id.job_number; break;
    case Var::nic: out += id.nic; break;
    case Var::entry: out += plan_.style->entry; break;
    case Var::ckpt: out += id.ckpt; break;
    case Var::dataset: out += id.dataset; break;
    case Var::model: out += id.model; break;
    case Var::params: put_int(out, t.params); break;
    case Var::nlayers: put_int(out, t.nlayers); break;
    case Var::hidden: put_int(out, t.hidden); break;
    case Var::heads: put_int(out, t.heads); break;
    case Var::gbs: put_int(out, t.gbs); break;
    case Var::mbs: put_int(out, t.mbs); break;
    case Var::seqlen: put_int(out, t.seqlen); break;
    case Var::numel: put_int(out, t.numel); break;
    case Var::ver: out += "2.20.5"; break;
    case Var::dsver: out += "0.14.4"; break;
    default: return false;
  }
  return true;
}

// Training's progress and numbers at the current iteration.
bool Emitter::put_training(std::string& out, Var v) {
  const auto& p = plan_.train;
  const auto& s = state_.train;
  const bool sci = plan_.style->scientific;
  auto it = std::back_inserter(out);
  switch (v) {
    case Var::iter: put_int(out, p.resume + s.iter); break;
    case Var::iters: case Var::steps: put_int(out, p.resume + p.iters); break;
    case Var::iter7: fmt::format_to(it, "{:07d}", p.resume + s.iter); break;
    case Var::consumed: put_int(out, static_cast<std::int64_t>(p.resume + s.iter) * p.gbs); break;
    case Var::ms: put_fixed(out, s.ms, 1); break;
    case Var::lr: if (sci) { put_sci(out, s.lr, 6); } else { fmt::format_to(it, "{:.4g}", s.lr); } break;
    case Var::loss: if (sci) { put_sci(out, s.loss, 6); } else { put_fixed(out, s.loss, 4); } break;
    case Var::gnorm: put_fixed(out, s.gnorm, 3); break;
    case Var::lscale: put_int(out, static_cast<std::int64_t>(s.lscale)); break;
    case Var::lscale2: put_int(out, std::max<std::int64_t>(1, static_cast<std::int64_t>(s.lscale) / 2)); break;
    case Var::skipped: put_int(out, s.skipped); break;
    case Var::sps: put_fixed(out, p.gbs * 1000.0 / s.ms, 2); break;
    case Var::tflops: put_fixed(out, p.tflops * p.base_ms / s.ms, 1); break;
    case Var::epoch: put_fixed(out, static_cast<double>(p.resume + s.iter) / p.epoch_steps, 2); break;
    case Var::pct: fmt::format_to(it, "{:3d}", s.iter * 100 / std::max(1, p.iters)); break;
    case Var::bar: {
      const int fill = s.iter * 10 / std::max(1, p.iters);
      out.append(static_cast<std::size_t>(fill), '#');
      out.append(static_cast<std::size_t>(10 - fill), ' ');
      break;
    }
    case Var::elapsed: put_hms(out, (state_.clock.now - plan_.id.start) / kSecond); break;
    case Var::remain: put_hms(out, static_cast<std::int64_t>((p.iters - s.iter) * s.ms / 1000.0)); break;
    case Var::spit: put_fixed(out, s.ms / 1000.0, 2); break;
    case Var::evloss: if (sci) { put_sci(out, s.evloss, 6); } else { put_fixed(out, s.evloss, 4); } break;
    case Var::evppl: put_sci(out, std::exp(s.evloss), 6); break;
    case Var::rms: put_fixed(out, s.rms, 1); break;
    case Var::fwd: put_fixed(out, s.fwd, 1); break;
    case Var::bwd: put_fixed(out, s.bwd, 1); break;
    case Var::opt: put_fixed(out, s.opt_ms, 1); break;
    case Var::wait: put_fixed(out, s.wait, 1); break;
    case Var::seq: put_int(out, s.seq); break;
    case Var::seqm1: put_int(out, s.seq - 1); break;
    default: return false;
  }
  return true;
}

// The fault and its peers: where it struck, who sees it, how the processes end.
bool Emitter::put_fault(std::string& out, Var v) {
  const auto& ctx = state_.line;
  const auto& id = plan_.id;
  const auto& ov = state_.overrides;
  const auto peer = static_cast<std::size_t>(ctx.peer_node);
  switch (v) {
    case Var::fault_iter: put_int(out, plan_.train.resume + plan_.fault.strike_iter); break;
    case Var::peer_host: out += id.hosts[peer]; break;
    case Var::peer_ip: out += id.ips[peer]; break;
    case Var::peer_rank: put_int(out, ctx.peer_node * plan_.ranks_per_node() + ctx.rank % plan_.ranks_per_node()); break;
    // One NCCL connection port per job, so a root line and its 'Last error:' repeat agree.
    case Var::pport: put_int(out, 32768 + (plan_.train.numel + plan_.fault.faulty_rank * 7919) % 28000); break;
    case Var::xid: out += "13"; break;
    case Var::timeout: out += "600000"; break;
    case Var::exit: out += "1"; break;
    case Var::signame: out += "SIGABRT"; break;
    case Var::signal: {
      const std::string exit = ov.has(Var::exit) ? ov.value(Var::exit) : "1";
      if (!exit.empty() && exit.front() == '-') {
        const auto& name = ov.value(Var::signame);
        fmt::format_to(std::back_inserter(out), "Signal {} ({}) received by PID {}", std::string_view(exit).substr(1),
                       name.empty() ? "SIGABRT" : name, id.pids[static_cast<std::size_t>(ctx.rank)]);
      } else {
        out += "<N/A>";
      }
      break;
    }
    default: return false;
  }
  return true;
}

// Numbers that differ from line to line (sizes, counts, addresses): drawn as they are printed.
void Emitter::put_noise(std::string& out, Var v) {
  switch (v) {
    case Var::ran: put_int(out, 600000 + rng_.range(2, 90)); break;
    case Var::gib: put_fixed(out, rng_.uniform(0.5, 20), 2); break;
    case Var::freegib: put_fixed(out, rng_.uniform(0.01, 0.5), 2); break;
    case Var::resgib: put_fixed(out, rng_.uniform(40, 78), 2); break;
    case Var::n2: put_int(out, rng_.range(10, 99)); break;
    case Var::n3: put_int(out, rng_.range(100, 999)); break;
    case Var::n4: put_int(out, rng_.range(1000, 9999)); break;
    case Var::n5: put_int(out, rng_.range(10000, 99999)); break;
    case Var::hex8: fmt::format_to(std::back_inserter(out), "{:08x}", static_cast<std::uint32_t>(rng_.next())); break;
    case Var::mem: put_int(out, plan_.train.mem_mb + static_cast<int>(rng_.range(0, 999))); break;
    case Var::retry: put_int(out, rng_.range(1, 4)); break;
    default: break;  // literal
  }
}

}  // namespace l4::simulate
