#pragma once
// ShardedObserver: TemplateMiner::observe on several threads. One thread (the reader) hands it
// lines in input order; they are copied into batches that worker threads turn into message
// contents (the caller's `content_of`, e.g. a header split, called with the worker's number) and
// mask into miners of their own, which are absorbed into the target miner at finish(). Mining
// works on the multiset of masked lines, so the templates do not depend on the number of threads
// or on which worker saw which line. With one thread it observes directly, without copies.
//
//   parse::ShardedObserver observer(miner, 2, [&](std::string_view line, unsigned worker) {
//     return splitters[worker].content(line); });
//   for (auto line : lines) observer.add(line);
//   observer.finish();   // then miner.build()
#include <functional>
#include <memory>
#include <string_view>

#include "l4/parse/template_miner.hpp"

namespace l4::parse {

class ShardedObserver {
 public:
  // The message content of a line, on worker `worker` (0 .. threads-1); the view may point into
  // the line. Called from the worker threads, one call at a time per worker.
  using ContentOf = std::function<std::string_view(std::string_view line, unsigned worker)>;

  ShardedObserver(TemplateMiner& into, unsigned threads, ContentOf content_of);
  ShardedObserver(const ShardedObserver&) = delete;
  ShardedObserver& operator=(const ShardedObserver&) = delete;
  // Joins the workers (without absorbing) when finish() was not called.
  ~ShardedObserver();

  void add(std::string_view line);
  // Waits for the workers and absorbs their lines into the target miner. Rethrows a worker's error.
  void finish();

 private:
  struct Shared;
  TemplateMiner& into_;
  ContentOf content_of_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace l4::parse
