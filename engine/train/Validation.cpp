#include "engine/train/Validation.h"

#include <algorithm>
#include <map>

#include "engine/core/Error.h"
#include "engine/core/Random.h"

namespace latentlab {

std::string toString(SelectionCriterion c) {
  switch (c) {
    case SelectionCriterion::Last:
      return "last";
    case SelectionCriterion::ValidationAccuracy:
      return "val-accuracy";
    case SelectionCriterion::ValidationElbo:
      return "val-elbo";
  }
  return "last";
}

SelectionCriterion selectionFromString(const std::string& s) {
  for (SelectionCriterion c :
       {SelectionCriterion::Last, SelectionCriterion::ValidationAccuracy, SelectionCriterion::ValidationElbo})
    if (toString(c) == s) return c;
  throw Error("Validation", "unknown selection '" + s + "' (last, val-accuracy or val-elbo)");
}

void ValidationConfig::validate() const {
  if (!(labelFraction >= 0 && labelFraction <= 0.5))
    throw Error("Validation", "the validation share of the labels must be between 0 and 0.5");
  if (heldOut < 0) throw Error("Validation", "the held-out points cannot be a negative count");
  if (patience < 0) throw Error("Validation", "the patience cannot be a negative count");
  if (select == SelectionCriterion::ValidationAccuracy && labelFraction <= 0)
    throw Error("Validation", "val-accuracy needs validation labels (a share of the labels kept aside)");
  if (select == SelectionCriterion::ValidationElbo && heldOut <= 0)
    throw Error("Validation", "val-elbo needs held-out points");
  if (patience > 0 && select == SelectionCriterion::Last)
    throw Error("Validation", "early stopping needs a selection criterion (val-accuracy or val-elbo)");
}

size_t validationLabelsKept(size_t classLabels, double fraction) {
  if (classLabels == 0 || !(fraction > 0)) return 0;
  return std::min(classLabels - 1, size_t(double(classLabels) * fraction));  // one label stays for training
}

ValidationSplit drawValidationSplit(const std::vector<LabelEntry>& labels, int classes, int samples,
                                    const ValidationConfig& config, uint64_t seed) {
  ValidationSplit split;
  Random rng(seed * 2 + 3);  // the trainer's generators are seed * 2 + 1 and + 2
  if (config.labelFraction > 0) {
    std::map<int, std::vector<LabelEntry>> byClass;
    for (const LabelEntry& e : labels)
      if (e.label >= 0 && e.label < classes) byClass[e.label].push_back(e);
    for (auto& [label, entries] : byClass) {
      std::sort(entries.begin(), entries.end(), [](const LabelEntry& a, const LabelEntry& b) { return a.index < b.index; });
      rng.shuffle(entries);
      const size_t keep = validationLabelsKept(entries.size(), config.labelFraction);
      split.labels.insert(split.labels.end(), entries.begin(), entries.begin() + long(keep));
    }
    std::sort(split.labels.begin(), split.labels.end(),
              [](const LabelEntry& a, const LabelEntry& b) { return a.index < b.index; });
  }
  if (config.heldOut > 0 && samples > 0) {
    std::vector<char> labelled(size_t(samples), 0);
    for (const LabelEntry& e : labels)
      if (e.index >= 0 && e.index < samples) labelled[size_t(e.index)] = 1;
    std::vector<int> pool;
    for (int i = 0; i < samples; ++i)
      if (!labelled[size_t(i)]) pool.push_back(i);
    rng.shuffle(pool);
    const size_t n = std::min({pool.size(), size_t(config.heldOut), size_t(samples / 2)});
    split.heldOut.assign(pool.begin(), pool.begin() + long(n));
    std::sort(split.heldOut.begin(), split.heldOut.end());
  }
  return split;
}

double selectionScore(SelectionCriterion c, double accuracy, double elbo) {
  switch (c) {
    case SelectionCriterion::ValidationAccuracy:
      return accuracy;
    case SelectionCriterion::ValidationElbo:
      return -elbo;
    case SelectionCriterion::Last:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace latentlab
