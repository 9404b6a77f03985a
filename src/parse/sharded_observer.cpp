#include "l4/parse/sharded_observer.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace l4::parse {
namespace {

// Contents copied back to back, with their ends.
struct Batch {
  std::string bytes;
  std::vector<std::uint32_t> ends;
  std::size_t seq = 0;  // the batch's place in input order
  bool record = false;  // keep its lines' numbers
};

// The numbers a worker's miner gave a batch's lines.
struct Recorded {
  unsigned worker = 0;
  std::vector<std::uint32_t> lines;
};

constexpr std::size_t kBatchBytes = 256 * 1024;
constexpr std::size_t kMaxQueued = 8;  // batches waiting per worker: bounds memory, not speed

}  // namespace

struct ShardedObserver::Shared {
  std::mutex mutex;
  std::condition_variable not_empty;
  std::condition_variable not_full;
  std::deque<Batch> queue;
  bool done = false;
  std::vector<TemplateMiner> shards;
  std::vector<std::thread> workers;
  std::vector<std::exception_ptr> errors;
  Batch filling;
  std::size_t batches = 0;                 // pushed so far
  std::size_t lines_pushed = 0;
  std::vector<Recorded> recorded;          // by batch seq, for batches with `record`
  std::size_t max_queued = kMaxQueued;
  const ShardedObserver::ContentOf* content_of = nullptr;

  void work(unsigned w) {
    try {
      for (;;) {
        Batch batch;
        {
          std::unique_lock lock(mutex);
          not_empty.wait(lock, [&] { return done || !queue.empty(); });
          if (queue.empty()) return;
          batch = std::move(queue.front());
          queue.pop_front();
        }
        not_full.notify_one();
        Recorded rec{w, {}};
        if (batch.record) rec.lines.reserve(batch.ends.size());
        std::uint32_t start = 0;
        for (const std::uint32_t end : batch.ends) {
          const auto line = shards[w].observe((*content_of)(std::string_view(batch.bytes).substr(start, end - start), w));
          if (batch.record) rec.lines.push_back(line);
          start = end;
        }
        if (batch.record) {
          std::lock_guard lock(mutex);
          recorded[batch.seq] = std::move(rec);
        }
      }
    } catch (...) {
      errors[w] = std::current_exception();
      std::lock_guard lock(mutex);
      done = true;
      queue.clear();
      not_full.notify_all();
    }
  }

  void push(std::size_t record_max) {
    if (filling.ends.empty()) return;
    filling.seq = batches++;
    filling.record = lines_pushed < record_max;
    lines_pushed += filling.ends.size();
    {
      std::unique_lock lock(mutex);
      if (filling.record) recorded.resize(batches);
      not_full.wait(lock, [&] { return done || queue.size() < max_queued; });
      if (!done) queue.push_back(std::move(filling));
    }
    not_empty.notify_one();
    filling = Batch{};
    filling.bytes.reserve(kBatchBytes + 4096);
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      done = true;
    }
    not_empty.notify_all();
    not_full.notify_all();
    for (auto& t : workers) {
      if (t.joinable()) t.join();
    }
  }
};

ShardedObserver::ShardedObserver(TemplateMiner& into, unsigned threads, ContentOf content_of)
    : into_(into), content_of_(std::move(content_of)) {
  if (threads <= 1) return;
  shared_ = std::make_unique<Shared>();
  shared_->content_of = &content_of_;
  shared_->shards.resize(threads);
  shared_->errors.resize(threads);
  shared_->max_queued = kMaxQueued * threads;
  shared_->filling.bytes.reserve(kBatchBytes + 4096);
  for (unsigned w = 0; w < threads; ++w) shared_->workers.emplace_back([this, w] { shared_->work(w); });
}

ShardedObserver::~ShardedObserver() {
  if (shared_) shared_->stop();
}

void ShardedObserver::add(std::string_view line) {
  if (!shared_) {
    const auto observed = into_.observe(content_of_(line, 0));
    if (record_ != nullptr && record_->size() < record_max_) record_->push_back(observed);
    return;
  }
  Batch& b = shared_->filling;
  b.bytes.append(line);
  b.ends.push_back(static_cast<std::uint32_t>(b.bytes.size()));
  if (b.bytes.size() >= kBatchBytes) shared_->push(record_ != nullptr ? record_max_ : 0);
}

std::optional<std::uint32_t> ObservedLines::at(std::uint64_t seq) const {
  if (seq >= size_) return std::nullopt;
  const auto piece = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), seq) - starts_.begin()) - 1;
  return pieces_[piece][seq - starts_[piece]];
}

void ObservedLines::push_back(std::uint32_t line) {
  if (pieces_.empty() || pieces_.back().size() >= kPieceLines) {
    starts_.push_back(size_);
    pieces_.emplace_back().reserve(kPieceLines);
  }
  pieces_.back().push_back(line);
  ++size_;
}

void ObservedLines::append(std::vector<std::uint32_t> piece) {
  if (piece.empty()) return;
  starts_.push_back(size_);
  size_ += piece.size();
  pieces_.push_back(std::move(piece));
}

void ShardedObserver::record_lines(ObservedLines& into, std::size_t max) {
  record_ = &into;
  record_max_ = max;
}

void ShardedObserver::finish() {
  if (!shared_) return;
  shared_->push(record_ != nullptr ? record_max_ : 0);
  {
    std::lock_guard lock(shared_->mutex);
    shared_->done = true;
  }
  shared_->not_empty.notify_all();
  for (auto& t : shared_->workers) t.join();
  for (auto& e : shared_->errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<std::vector<std::uint32_t>> renumber;
  for (const auto& shard : shared_->shards) renumber.push_back(into_.absorb(shard));
  for (auto& rec : shared_->recorded) {
    for (std::uint32_t& line : rec.lines) line = renumber[rec.worker][line];
    record_->append(std::move(rec.lines));
  }
  shared_.reset();
}

}  // namespace l4::parse
