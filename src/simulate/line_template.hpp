#pragma once
// LineTemplate: one line of a style or fault table, compiled once into literal and variable
// segments ("{host}:{pid}:{tid} [{gpu}] NCCL INFO ..."), so the hot path appends literals and
// formats variables straight into a file buffer. "{{" and "}}" are literal braces; a leading "!"
// marks the line as evidence (a truth line: root in fault blocks, symptom in symptom blocks).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace l4::simulate {

// Every variable a table line may use; docs/simulate.md lists them with their meaning.
#define L4_SIM_VARS(X)                                                                          \
  X(py) X(glog) X(c10d) X(kt) X(iso) X(hms) X(host) X(ip) X(rank) X(lrank) X(gpu) X(noderank)  \
  X(world) X(nnodes) X(nproc) X(pid) X(tid) X(master) X(master_ip) X(port) X(job) X(busid)      \
  X(hca) X(nic) X(iter) X(iters) X(consumed) X(ms) X(lr) X(loss) X(gnorm) X(lscale) X(skipped)  \
  X(sps) X(tflops) X(epoch) X(pct) X(steps) X(bar) X(elapsed) X(remain) X(spit) X(evloss)       \
  X(evppl) X(rms) X(fwd) X(bwd) X(opt) X(wait) X(ckpt) X(iter7) X(params) X(nlayers) X(hidden)  \
  X(heads) X(gbs) X(mbs) X(seqlen) X(peer_host) X(peer_ip) X(peer_rank) X(xid) X(pci) X(seq)    \
  X(timeout) X(ran) X(exit) X(signal) X(signame) X(gib) X(freegib) X(resgib) X(ch) X(next)      \
  X(prev) X(n2) X(n3) X(n4) X(n5) X(hex8) X(ver) X(fault_iter) X(mem) X(dataset) X(retry) X(tsu) X(lrank2) X(numel) X(seqm1) X(uptime) X(dsver) X(model) X(wpid) X(entry) X(lscale2) X(pport)

enum class Var : std::uint8_t {
#define L4_SIM_ENUM(name) name,
  L4_SIM_VARS(L4_SIM_ENUM)
#undef L4_SIM_ENUM
      literal
};

struct Segment {
  Var var = Var::literal;
  std::string text;  // literal text when var == literal
};

struct LineTemplate {
  std::vector<Segment> segments;
  bool evidence = false;
};

// A block: lines printed together (a traceback, a summary). Tables give a block as one string or
// an array of strings.
using Block = std::vector<LineTemplate>;

// Compiles one line; throws l4::Error naming `where` on an unknown variable or bad braces.
LineTemplate compile_line(std::string_view text, std::string_view where);
// Compiles a JSON string or array of strings into a block.
Block compile_block(const nlohmann::json& j, std::string_view where);
// Compiles a JSON array whose items are blocks (alternatives).
std::vector<Block> compile_blocks(const nlohmann::json& j, std::string_view where);

}  // namespace l4::simulate
