#include "engine/data/HoldOut.h"

#include <algorithm>
#include <cmath>

#include "engine/core/Error.h"
#include "engine/core/Random.h"

namespace latentlab {

Dataset subset(const Dataset& d, const std::vector<int>& indices) {
  Dataset out;
  out.shape = d.shape;
  out.classes = d.classes;
  out.classNames = d.classNames;
  out.x.resize(d.x.rows(), Eigen::Index(indices.size()));
  for (size_t i = 0; i < indices.size(); ++i) out.x.col(Eigen::Index(i)) = d.x.col(indices[i]);
  if (d.hasLabels()) {
    out.labels.resize(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) out.labels[i] = d.labels[size_t(indices[i])];
  }
  return out;
}

DataSplit holdOut(const Dataset& d, double fraction, uint64_t seed) {
  if (!(fraction >= 0 && fraction < 1))
    throw Error("HoldOut", "the test fraction must be at least 0 and below 1, not " + std::to_string(fraction));
  Random rng(seed);
  std::vector<char> inTest(size_t(d.size()), 0);
  auto pick = [&](std::vector<int>& group) {
    if (group.empty() || fraction == 0) return;
    long k = std::lround(fraction * double(group.size()));
    if (group.size() >= 2)
      k = std::clamp<long>(k, 1, long(group.size()) - 1);
    else
      k = 0;
    rng.shuffle(group);
    for (long i = 0; i < k; ++i) inTest[size_t(group[size_t(i)])] = 1;
  };
  if (d.hasLabels()) {
    std::vector<std::vector<int>> byClass(size_t(std::max(d.classes, 0)));
    for (int i = 0; i < d.size(); ++i) byClass.at(size_t(d.labels[size_t(i)])).push_back(i);
    for (auto& group : byClass) pick(group);
  } else {
    std::vector<int> all(size_t(d.size()));
    for (int i = 0; i < d.size(); ++i) all[size_t(i)] = i;
    pick(all);
  }
  std::vector<int> train, test;
  for (int i = 0; i < d.size(); ++i) (inTest[size_t(i)] ? test : train).push_back(i);
  DataSplit s;
  s.train = subset(d, train);
  s.test = subset(d, test);
  return s;
}

}  // namespace latentlab
