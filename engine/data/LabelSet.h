#pragma once
// The labels the model may see: which training samples are labelled, with what, and where each came from.
// The data set's own labels stay hidden from the model; only entries here are used for training.
// Thread-safe: the GUI adds labels while the trainer reads snapshots; version() changes on every edit so
// the trainer re-reads only when something changed.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/core/Random.h"

namespace latentlab {

enum class LabelSource : uint8_t { Initial = 0, User = 1, AcceptedPrediction = 2, Dataset = 3 };
std::string toString(LabelSource s);

struct LabelEntry {
  int index;  // column in the training set
  int label;
  LabelSource source;
};

class LabelSet {
 public:
  LabelSet() = default;
  explicit LabelSet(std::vector<LabelEntry> entries);
  LabelSet(const LabelSet& other);
  LabelSet& operator=(const LabelSet& other);

  // Adds or replaces the label of a sample.
  void set(int index, int label, LabelSource source);
  bool remove(int index);
  size_t size() const;
  uint64_t version() const { return version_.load(std::memory_order_acquire); }
  std::shared_ptr<const std::vector<LabelEntry>> snapshot() const;
  std::vector<int> countsPerClass(int classes) const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::vector<LabelEntry>> entries_ = std::make_shared<std::vector<LabelEntry>>();
  std::atomic<uint64_t> version_{0};
};

// n labels, n / classes per class (the remainder to the first classes), drawn with rng; the same seed gives
// the same subset. Throws when a class has too few samples.
LabelSet balancedLabelSet(const std::vector<int>& datasetLabels, int n, int classes, Random& rng);
// Every sample labelled with its data set label (the fully supervised end of the range).
LabelSet allLabels(const std::vector<int>& datasetLabels);

}  // namespace latentlab
