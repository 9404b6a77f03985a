#include "diagnose/job_scanner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>
#include <unordered_map>

#include "diagnose/event_recording.hpp"
#include "diagnose/scan_worker.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/parse/template_miner.hpp"
#include "l4/pipeline/line_source.hpp"
#include "support/workers.hpp"

namespace l4::diagnose {
namespace {

void merge_occurrence_min(Occurrence& into, const Occurrence& from) {
  if (from.valid() && (!into.valid() || from.before(into))) into = from;
}

void merge_occurrence_max(Occurrence& into, const Occurrence& from) {
  if (from.valid() && (!into.valid() || into.before(from))) into = from;
}

// The miner to start from: the known templates (a history's), without their counts.
parse::TemplateMiner initial_miner(const parse::TemplateStore* known, std::uint64_t& from_history) {
  parse::TemplateStore initial;
  from_history = 0;
  if (known != nullptr) {
    for (const auto& t : known->templates()) {
      if (!t.erased) {
        initial.add(t.text, 0);
        ++from_history;
      }
    }
  }
  return parse::TemplateMiner(std::move(initial));
}

// Step 2: every file read by a worker of its own against the frozen store, `workers` at a time.
void read_in_parallel(const pipeline::LineSource& source, std::vector<std::unique_ptr<ScanWorker>>& pool) {
  const auto& inputs = source.inputs();
  const auto workers = static_cast<unsigned>(pool.size());
  const auto plan = plan_workers(inputs, workers);
  support::run_workers(workers, [&](unsigned w) {
    for (auto idx : plan[w]) pool[w]->read(inputs[idx], idx);
  });
}

// The job's node order: the natural order of every worker's node ids.
std::vector<std::string> job_nodes(const std::vector<std::unique_ptr<ScanWorker>>& pool) {
  std::vector<std::string> names;
  for (const auto& w : pool) {
    for (const auto& n : w->partial().node_names) names.push_back(n);
  }
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return io::natural_less(a, b); });
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// The workers' unmatched lines, with job node indexes, in file and line order.
std::vector<PendingLine> take_pending(std::vector<std::unique_ptr<ScanWorker>>& pool,
                                      const std::unordered_map<std::string, std::uint32_t>& global) {
  std::vector<PendingLine> pending;
  for (auto& w : pool) {
    auto& p = w->partial();
    for (auto& line : p.pending) {
      line.where.node = global.at(line.node);
      pending.push_back(std::move(line));
    }
    p.pending.clear();
  }
  std::sort(pending.begin(), pending.end(), [](const PendingLine& a, const PendingLine& b) {
    return a.where.file != b.where.file ? a.where.file < b.where.file : a.where.line < b.where.line;
  });
  return pending;
}

// A worker's node (local index) into the job's (its occurrences get the job's node index `g`).
void merge_node(NodeStats& into, NodeStats& from, std::uint32_t g) {
  from.first_line.node = from.last_line.node = g;
  into.lines += from.lines;
  into.warn_or_worse += from.warn_or_worse;
  into.errors += from.errors;
  from.first_error.node = g;
  merge_occurrence_min(into.first_error, from.first_error);
  merge_occurrence_min(into.first_line, from.first_line);
  if (!into.last_line.valid() || into.last_line.before(from.last_line)) into.last_line = from.last_line;
  from.last_progress.node = g;
  merge_occurrence_max(into.last_progress, from.last_progress);
  into.last_iteration = std::max(into.last_iteration, from.last_iteration);
  from.completed.node = from.reached_total.node = g;
  if (from.completed.valid() && (!into.completed.valid() || into.completed.before(from.completed))) {
    into.completed = from.completed;
    into.completed_text = std::move(from.completed_text);
  }
  if (from.reached_total.valid() && (!into.reached_total.valid() || into.reached_total.before(from.reached_total))) {
    into.reached_total = from.reached_total;
    into.reached_total_of = from.reached_total_of;
    into.reached_total_text = std::move(from.reached_total_text);
  }
  into.progress_total = std::max(into.progress_total, from.progress_total);
  into.iterations.insert(into.iterations.end(), from.iterations.begin(), from.iterations.end());
}

// A worker's Partial into the job's scan and event list (indexed by template index).
void merge_partial(Partial& p, const std::unordered_map<std::string, std::uint32_t>& global, std::size_t nodes,
                   std::vector<EventStats>& events, std::vector<io::FileSummary>& files, JobScan& scan) {
  std::vector<std::uint32_t> remap;
  for (const auto& n : p.node_names) remap.push_back(global.at(n));
  for (std::size_t i = 0; i < p.events.size(); ++i) merge_event(events[i], p.events[i], remap, nodes);
  for (std::size_t local = 0; local < p.nodes.size(); ++local) {
    merge_node(scan.nodes[remap[local]], p.nodes[local], remap[local]);
    scan.progress_total = std::max(scan.progress_total, p.nodes[local].progress_total);
  }
  scan.last_iteration = std::max(scan.last_iteration, p.last_iteration);
  scan.stage_changes.insert(scan.stage_changes.end(), p.stage_changes.begin(), p.stage_changes.end());
  scan.frame_stages.insert(scan.frame_stages.end(), p.frame_stages.begin(), p.frame_stages.end());
  for (std::size_t i = 0; i < p.files.size(); ++i) files[p.file_ids[i]] = std::move(p.files[i]);
  scan.file_last_progress.resize(files.size(), 0);
  for (const auto& [file, line] : p.file_last_progress) scan.file_last_progress[file] = line;
  for (auto& anomaly : p.iteration_anomalies) {
    anomaly.node = remap[anomaly.node];
    scan.iteration_anomalies.push_back(std::move(anomaly));
  }
}

// Step 3's second half: the lines nobody matched, now that they are mined, recorded as events.
void record_pending(const std::vector<PendingLine>& pending, parse::TemplateMiner& miner, const StageClassifier& stages,
                    std::size_t nodes, std::vector<EventStats>& events) {
  parse::ParseResult result;
  std::unordered_map<std::size_t, TemplateStageInfo> pending_infos;
  for (const auto& line : pending) {
    if (!miner.store().match(line.content, result)) result = miner.match_or_add(line.content);
    if (events.size() <= result.index) events.resize(miner.store().templates().size());
    EventStats& e = events[result.index];
    auto info = pending_infos.find(result.index);
    if (info == pending_infos.end()) {
      info = pending_infos.emplace(result.index, stages.classify(miner.store().templates()[result.index].text)).first;
    }
    record_exit(e, info->second, line.content, stages);
    record_collective(e, info->second, result.parameters, stages);
    record_raised(e, line.raised);
    reserve_nodes(e, nodes);
    record_event(e, line.where, line.level, line.raw, line.content, result.parameters, line.quoted);
  }
}

// The events that occurred, with their identity, by id; the ranks the job's launcher prefixes name.
void keep_events(std::vector<EventStats>& events, const parse::TemplateStore& store, const StageClassifier& stages,
                 JobScan& scan) {
  std::vector<int> all;
  for (const auto& e : events) {
    for (int r : e.ranks) all.push_back(r);
  }
  std::sort(all.begin(), all.end());
  scan.ranks = static_cast<std::size_t>(std::unique(all.begin(), all.end()) - all.begin());
  const auto& final_templates = store.templates();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].count == 0) continue;
    events[i].id = final_templates[i].id;
    events[i].text = final_templates[i].text;
    events[i].stage_info = stages.classify(final_templates[i].text);
    scan.events.push_back(std::move(events[i]));
  }
  std::sort(scan.events.begin(), scan.events.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
}

// The scan's lists in their documented orders.
void sort_scan(JobScan& scan) {
  std::sort(scan.iteration_anomalies.begin(), scan.iteration_anomalies.end(), [](const auto& a, const auto& b) {
    if (a.iteration != b.iteration) return a.iteration < b.iteration;
    return a.node != b.node ? a.node < b.node : a.file < b.file;
  });
  for (auto& n : scan.nodes) {
    std::sort(n.iterations.begin(), n.iterations.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      const bool an = std::isnan(a.second), bn = std::isnan(b.second);
      return an != bn ? bn : (!an && a.second < b.second);
    });
    n.iterations.erase(std::unique(n.iterations.begin(), n.iterations.end(),
                                   [](const auto& a, const auto& b) { return a.first == b.first; }),
                       n.iterations.end());
  }
  std::sort(scan.frame_stages.begin(), scan.frame_stages.end(), [](const auto& a, const auto& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  std::stable_sort(scan.stage_changes.begin(), scan.stage_changes.end(), [](const auto& a, const auto& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
}

}  // namespace

JobScanner::JobScanner(ScanOptions options) : options_(std::move(options)) {
  if (options_.threads == 0) options_.threads = 1;
}

JobScan JobScanner::scan(std::span<const std::string> paths, const parse::TemplateStore* known) const {
  const pipeline::LineSource source(paths, {options_.ingest, options_.formats});
  const auto& inputs = source.inputs();
  JobScan scan;
  parse::TemplateMiner miner = initial_miner(known, scan.templates_from_history);

  // (1) Mine a sample: the first lines of every file (stdin, FIFOs and pipes cannot be read twice:
  // they are read once, in step 2, and all of their lines are mined in step 3).
  // Each thread observes into a miner of its own; mining works on the multiset of masked lines, so
  // absorbing them gives the templates one thread would have.
  {
    const unsigned threads = std::max(1U, std::min<unsigned>(options_.threads, static_cast<unsigned>(inputs.size())));
    std::vector<parse::TemplateMiner> shards(threads);
    std::vector<parse::ParseResult> results(threads);
    source.read_sample(options_.sample_lines_per_file, threads,
                       [&](const io::LineRecord&, const format::Header& header, unsigned w) {
                         if (!miner.store().match(header.content, results[w])) shards[w].observe(header.content);
                       });
    for (const auto& shard : shards) miner.absorb(shard);
    miner.build();
  }

  // (2) Read everything in parallel against the frozen store.
  std::vector<TemplateStageInfo> infos;
  for (const auto& t : miner.store().templates()) infos.push_back(stages_.classify(t.text));
  const unsigned workers = std::max(1U, std::min<unsigned>(options_.threads, static_cast<unsigned>(inputs.size())));
  std::vector<std::unique_ptr<ScanWorker>> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.push_back(std::make_unique<ScanWorker>(source, stages_, miner.store(), infos));
  }
  read_in_parallel(source, pool);

  const std::vector<std::string> names = job_nodes(pool);
  std::unordered_map<std::string, std::uint32_t> global;
  for (std::uint32_t i = 0; i < names.size(); ++i) global.emplace(names[i], i);
  scan.nodes.resize(names.size());
  for (std::uint32_t i = 0; i < names.size(); ++i) scan.nodes[i].id = names[i];

  // (3) Mine the lines nobody matched, in a deterministic order, then match them.
  const std::vector<PendingLine> pending = take_pending(pool, global);
  for (const auto& line : pending) miner.observe(line.content);
  if (!pending.empty()) miner.build();

  std::vector<EventStats> events(miner.store().templates().size());
  std::vector<io::FileSummary> files(inputs.size());
  for (auto& w : pool) merge_partial(w->partial(), global, names.size(), events, files, scan);
  record_pending(pending, miner, stages_, names.size(), events);
  keep_events(events, miner.store(), stages_, scan);
  sort_scan(scan);
  scan.ingest = io::summarize(std::move(files));
  if (miner.overflow_templates() > 0) {
    spdlog::warn("more than {} templates in one mining step: the {} least frequent ({} lines) count as one event, \"{}\"",
                 parse::MinerOptions{}.max_templates, miner.overflow_templates(), miner.overflow_lines(),
                 parse::TemplateMiner::overflow_text);
  }
  io::require_usable_lines(scan.ingest, paths);
  spdlog::debug("scanned {} lines, {} nodes, {} events ({} lines mined after the sample)",
                scan.ingest.total.used, scan.nodes.size(), scan.events.size(), pending.size());
  return scan;
}

}  // namespace l4::diagnose
