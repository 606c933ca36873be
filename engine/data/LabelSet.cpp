#include "engine/data/LabelSet.h"

#include <algorithm>

#include "engine/core/Error.h"

namespace latentlab {

std::string toString(LabelSource s) {
  switch (s) {
    case LabelSource::Initial: return "initial";
    case LabelSource::User: return "user";
    case LabelSource::AcceptedPrediction: return "accepted-prediction";
    case LabelSource::Dataset: return "dataset";
  }
  return "?";
}

LabelSet::LabelSet(std::vector<LabelEntry> entries)
    : entries_(std::make_shared<std::vector<LabelEntry>>(std::move(entries))) {}

LabelSet::LabelSet(const LabelSet& other) : entries_(other.snapshot()), version_(other.version()) {}

LabelSet& LabelSet::operator=(const LabelSet& other) {
  if (this != &other) {
    auto s = other.snapshot();
    std::lock_guard lock(mutex_);
    entries_ = std::move(s);
    version_.fetch_add(1, std::memory_order_release);
  }
  return *this;
}

// Copy-on-write: readers keep their snapshot while an edit builds the next one.
void LabelSet::set(int index, int label, LabelSource source) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<LabelEntry>>(*entries_);
  auto it = std::find_if(next->begin(), next->end(), [&](const LabelEntry& e) { return e.index == index; });
  if (it != next->end())
    *it = {index, label, source};
  else
    next->push_back({index, label, source});
  entries_ = std::move(next);
  version_.fetch_add(1, std::memory_order_release);
}

bool LabelSet::remove(int index) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<LabelEntry>>(*entries_);
  auto it = std::find_if(next->begin(), next->end(), [&](const LabelEntry& e) { return e.index == index; });
  if (it == next->end()) return false;
  next->erase(it);
  entries_ = std::move(next);
  version_.fetch_add(1, std::memory_order_release);
  return true;
}

size_t LabelSet::size() const { return snapshot()->size(); }

std::shared_ptr<const std::vector<LabelEntry>> LabelSet::snapshot() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

std::vector<int> LabelSet::countsPerClass(int classes) const {
  std::vector<int> counts(classes, 0);
  for (const auto& e : *snapshot())
    if (e.label >= 0 && e.label < classes) ++counts[e.label];
  return counts;
}

LabelSet balancedLabelSet(const std::vector<int>& datasetLabels, int n, int classes, Random& rng) {
  if (n < classes) throw Error("LabelSet", "need at least one label per class (" + std::to_string(classes) + ")");
  std::vector<std::vector<int>> byClass(classes);
  for (int i = 0; i < int(datasetLabels.size()); ++i) byClass.at(datasetLabels[i]).push_back(i);
  std::vector<LabelEntry> entries;
  for (int c = 0; c < classes; ++c) {
    const int want = n / classes + (c < n % classes ? 1 : 0);
    if (int(byClass[c].size()) < want)
      throw Error("LabelSet", "class " + std::to_string(c) + " has " + std::to_string(byClass[c].size()) +
                                  " samples, fewer than the " + std::to_string(want) + " asked for");
    rng.shuffle(byClass[c]);
    for (int i = 0; i < want; ++i) entries.push_back({byClass[c][i], c, LabelSource::Initial});
  }
  return LabelSet(std::move(entries));
}

LabelSet allLabels(const std::vector<int>& datasetLabels) {
  std::vector<LabelEntry> entries(datasetLabels.size());
  for (int i = 0; i < int(datasetLabels.size()); ++i) entries[i] = {i, datasetLabels[i], LabelSource::Dataset};
  return LabelSet(std::move(entries));
}

}  // namespace latentlab
