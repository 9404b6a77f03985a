#include "pipeline/parallel_rows.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace l4::pipeline {
namespace {

constexpr std::size_t kBatchBytes = 256 * 1024;
constexpr std::size_t kBatchesPerThread = 4;  // in flight: bounds memory
constexpr std::size_t kInlineFlushBytes = 1024 * 1024;  // one thread: rows are written this many at once

struct Batch {
  std::string bytes;                  // the lines, back to back
  std::vector<std::uint32_t> ends;    // end of each line in bytes
  std::vector<std::uint64_t> line_no;
  std::vector<std::uint32_t> file;
  std::uint64_t first_seq = 0;
  std::string out;                    // the rows
  std::vector<std::uint32_t> out_ends;  // end of each line's row in out
  std::vector<bool> left;             // lines `make` could not do
  bool done = false;

  // Empties the batch for reuse, keeping its buffers' capacity (no allocation, no page faults).
  void reset() {
    bytes.clear();
    ends.clear();
    line_no.clear();
    file.clear();
    out.clear();
    out_ends.clear();
    left.clear();
    first_seq = 0;
    done = false;
  }

  [[nodiscard]] ParallelRows::Line line(std::size_t i) const {
    const std::uint32_t start = i == 0 ? 0 : ends[i - 1];
    return {std::string_view(bytes).substr(start, ends[i] - start), line_no[i], file[i], first_seq + i};
  }
};

}  // namespace

struct ParallelRows::Shared {
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable batch_done;
  std::condition_variable slot_free;
  std::deque<std::shared_ptr<Batch>> in_order;  // every batch not written yet, oldest first
  std::deque<std::shared_ptr<Batch>> todo;      // batches no worker took yet
  std::size_t max_batches = 8;
  bool stopping = false;
  std::exception_ptr error;
  std::vector<std::thread> workers;
  std::shared_ptr<Batch> filling;
  std::vector<std::shared_ptr<Batch>> spare;  // written batches, reused by the calling thread only
  const Make* make = nullptr;

  // An empty batch to fill: a written one when there is one.
  std::shared_ptr<Batch> next_batch() {
    if (spare.empty()) return std::make_shared<Batch>();
    std::shared_ptr<Batch> b = std::move(spare.back());
    spare.pop_back();
    b->reset();
    return b;
  }

  void work(unsigned w) {
    for (;;) {
      std::shared_ptr<Batch> b;
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return stopping || !todo.empty(); });
        if (todo.empty()) return;
        b = std::move(todo.front());
        todo.pop_front();
      }
      try {
        const std::size_t n = b->ends.size();
        b->out_ends.resize(n);
        b->left.assign(n, false);
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t mark = b->out.size();
          if (!(*make)(b->line(i), w, b->out)) {
            b->out.resize(mark);
            b->left[i] = true;
          }
          b->out_ends[i] = static_cast<std::uint32_t>(b->out.size());
        }
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        b->done = true;
      }
      batch_done.notify_all();
    }
  }
};

ParallelRows::ParallelRows(unsigned threads, Make make, Serial serial, Write write)
    : make_(std::move(make)), serial_(std::move(serial)), write_(std::move(write)) {
  if (threads <= 1) return;
  shared_ = std::make_unique<Shared>();
  shared_->make = &make_;
  shared_->max_batches = kBatchesPerThread * threads;
  shared_->filling = std::make_shared<Batch>();
  for (unsigned w = 0; w < threads; ++w) shared_->workers.emplace_back([this, w] { shared_->work(w); });
}

ParallelRows::~ParallelRows() {
  if (!shared_) return;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    shared_->todo.clear();
  }
  shared_->work_ready.notify_all();
  for (auto& t : shared_->workers) {
    if (t.joinable()) t.join();
  }
}

void ParallelRows::add(const Line& added) {
  Line line = added;
  line.seq = added_++;
  if (!shared_) {
    add_inline(line);
    return;
  }
  Batch& b = *shared_->filling;
  if (b.ends.empty()) b.first_seq = line.seq;
  b.bytes.append(line.text);
  b.ends.push_back(static_cast<std::uint32_t>(b.bytes.size()));
  b.line_no.push_back(line.line_no);
  b.file.push_back(line.file);
  if (b.bytes.size() < kBatchBytes) return;
  {
    std::unique_lock lock(shared_->mutex);
    // wait for room, writing what is finished meanwhile
    while (shared_->in_order.size() >= shared_->max_batches) {
      lock.unlock();
      write_ready(false);
      lock.lock();
      if (shared_->in_order.size() >= shared_->max_batches) {
        shared_->batch_done.wait(lock, [&] { return shared_->in_order.front()->done; });
      }
    }
    shared_->in_order.push_back(shared_->filling);
    shared_->todo.push_back(shared_->filling);
  }
  shared_->work_ready.notify_one();
  shared_->filling = shared_->next_batch();
  write_ready(false);
}

void ParallelRows::add_inline(const Line& line) {
  const std::size_t mark = inline_out_.size();
  if (!make_(line, 0, inline_out_)) {
    inline_out_.resize(mark);
    serial_(line, inline_out_);
  }
  if (inline_out_.size() >= kInlineFlushBytes) flush_inline();
}

void ParallelRows::flush_inline() {
  if (!inline_out_.empty()) write_(inline_out_);
  inline_out_.clear();
}

void ParallelRows::write_ready(bool wait_all) {
  for (;;) {
    std::shared_ptr<Batch> b;
    {
      std::unique_lock lock(shared_->mutex);
      if (shared_->error) std::rethrow_exception(shared_->error);
      if (shared_->in_order.empty()) return;
      if (!shared_->in_order.front()->done) {
        if (!wait_all) return;
        shared_->batch_done.wait(lock, [&] { return shared_->in_order.front()->done || shared_->error; });
        if (shared_->error) std::rethrow_exception(shared_->error);
      }
      b = std::move(shared_->in_order.front());
      shared_->in_order.pop_front();
    }
    const std::size_t n = b->ends.size();
    std::size_t from = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!b->left[i]) continue;
      write_(std::string_view(b->out).substr(from, b->out_ends[i] - from));
      inline_out_.clear();
      serial_(b->line(i), inline_out_);
      write_(inline_out_);
      from = b->out_ends[i];
    }
    write_(std::string_view(b->out).substr(from));
    shared_->spare.push_back(std::move(b));
  }
}

void ParallelRows::finish() {
  if (!shared_) {
    flush_inline();
    return;
  }
  if (!shared_->filling->ends.empty()) {
    {
      std::lock_guard lock(shared_->mutex);
      shared_->in_order.push_back(shared_->filling);
      shared_->todo.push_back(shared_->filling);
    }
    shared_->work_ready.notify_one();
    shared_->filling = shared_->next_batch();
  }
  write_ready(true);
}

}  // namespace l4::pipeline
