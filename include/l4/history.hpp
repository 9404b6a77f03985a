#pragma once
// l4/history.hpp — The history of normal jobs: an SQLite store diagnosis compares a failed job against.
//
//   const auto knowledge = l4::history::HistoryStore::load_if_exists(db);
//   l4::history::HistoryStore(db).add_job(l4::diagnose::profile_job(paths, "job-1", &knowledge));
#include "l4/history/history_store.hpp"
