#pragma once
// The median of a sample: the robust "typical node" that spatial and temporal evidence compare
// each node against. NaN for an empty sample.
#include <algorithm>
#include <cmath>
#include <vector>

namespace l4::diagnose {

inline double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace l4::diagnose
