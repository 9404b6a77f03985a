#pragma once
// ShardedObserver: TemplateMiner::observe on several threads. One thread (the reader) hands it
// message contents in input order; they are copied into batches that worker threads mask into
// miners of their own, which are absorbed into the target miner at finish(). Mining works on the
// multiset of masked lines, so the templates do not depend on the number of threads or on which
// worker saw which line. With one thread it observes directly, without copies.
//
//   parse::ShardedObserver observer(miner, 2);
//   for (auto content : contents) observer.add(content);
//   observer.finish();   // then miner.build()
#include <memory>
#include <string_view>

#include "l4/parse/template_miner.hpp"

namespace l4::parse {

class ShardedObserver {
 public:
  ShardedObserver(TemplateMiner& into, unsigned threads);
  ShardedObserver(const ShardedObserver&) = delete;
  ShardedObserver& operator=(const ShardedObserver&) = delete;
  // Joins the workers (without absorbing) when finish() was not called.
  ~ShardedObserver();

  void add(std::string_view content);
  // Waits for the workers and absorbs their lines into the target miner. Rethrows a worker's error.
  void finish();

 private:
  struct Shared;
  TemplateMiner& into_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace l4::parse
