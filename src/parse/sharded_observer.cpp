#include "l4/parse/sharded_observer.hpp"

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
        std::uint32_t start = 0;
        for (const std::uint32_t end : batch.ends) {
          shards[w].observe((*content_of)(std::string_view(batch.bytes).substr(start, end - start), w));
          start = end;
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

  void push() {
    if (filling.ends.empty()) return;
    {
      std::unique_lock lock(mutex);
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
    into_.observe(content_of_(line, 0));
    return;
  }
  Batch& b = shared_->filling;
  b.bytes.append(line);
  b.ends.push_back(static_cast<std::uint32_t>(b.bytes.size()));
  if (b.bytes.size() >= kBatchBytes) shared_->push();
}

void ShardedObserver::finish() {
  if (!shared_) return;
  shared_->push();
  {
    std::lock_guard lock(shared_->mutex);
    shared_->done = true;
  }
  shared_->not_empty.notify_all();
  for (auto& t : shared_->workers) t.join();
  for (auto& e : shared_->errors) {
    if (e) std::rethrow_exception(e);
  }
  for (const auto& shard : shared_->shards) into_.absorb(shard);
  shared_.reset();
}

}  // namespace l4::parse
