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
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "l4/parse/template_miner.hpp"

namespace l4::parse {

// The miner's number of each observed line's masked form (TemplateMiner::observe), in input order.
// Kept in the pieces the lines were observed in, never copied into one array: four bytes a line.
class ObservedLines {
 public:
  // The number of line `seq` (0-based, in input order); nullopt beyond the lines kept.
  [[nodiscard]] std::optional<std::uint32_t> at(std::uint64_t seq) const;
  [[nodiscard]] std::uint64_t size() const { return size_; }
  void push_back(std::uint32_t line);
  // The next lines, at once.
  void append(std::vector<std::uint32_t> piece);

 private:
  static constexpr std::size_t kPieceLines = std::size_t{1} << 16;  // of push_back's pieces
  std::vector<std::uint64_t> starts_;  // seq of each piece's first line
  std::vector<std::vector<std::uint32_t>> pieces_;
  std::uint64_t size_ = 0;
};

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

  // Keeps, for the first `max` lines added from now on, the target miner's number of each line's
  // masked form (TemplateMiner::observe), in input order, in `into` — complete after finish().
  // A second pass over the same lines then takes their templates with assign_observed.
  void record_lines(ObservedLines& into, std::size_t max);

  void add(std::string_view line);
  // Waits for the workers and absorbs their lines into the target miner. Rethrows a worker's error.
  void finish();

 private:
  struct Shared;
  TemplateMiner& into_;
  ContentOf content_of_;
  ObservedLines* record_ = nullptr;
  std::size_t record_max_ = 0;
  std::unique_ptr<Shared> shared_;
};

}  // namespace l4::parse
