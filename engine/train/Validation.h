#pragma once
// Model selection without test labels (issue 21). A validation part is carved out of the run's data when training
// starts and measured after every epoch:
//   - validation labels: a balanced share of the labelled set (the first labels of each class in a seeded order),
//     which the trainer never draws; their accuracy is the labelled criterion;
//   - held-out points: training points kept out of the unlabelled stream; their mean -ELBO (the marginal bound at
//     the posterior mean, beta 1; engine/anomaly/AnomalyScore.h) is the unlabelled criterion, and the share of
//     them whose predicted class is unchanged since the last epoch is the agreement.
// The criterion picks the epoch whose weights a run keeps (TrainingSession) and, with a patience, when it stops.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "engine/data/LabelSet.h"

namespace latentlab {

enum class SelectionCriterion {
  Last,                // the last epoch's weights (no selection)
  ValidationAccuracy,  // highest accuracy on the validation labels; ties go to the later epoch
  ValidationElbo,      // lowest mean -ELBO of the held-out points
};

std::string toString(SelectionCriterion c);                  // "last", "val-accuracy", "val-elbo"
SelectionCriterion selectionFromString(const std::string& s);  // throws Error for another word

// Measured defaults (issue 21; README, "Choosing the epoch without test labels"): once labels are kept aside, the
// run keeps the epoch of the best validation accuracy and stops after this many epochs without a better one. On
// MNIST and Fashion-MNIST at 100 and 1000 labels, SS and EQ_S, that was never more than 0.07 points below the
// last epoch's test accuracy and up to 5.1 points above it, and it stopped all 4 Fashion-MNIST runs early.
constexpr int kDefaultPatience = 10;

struct ValidationConfig {
  double labelFraction = 0;  // of each class's labels, kept aside (rounded down; a class keeps at least one label)
  int heldOut = 0;           // training points kept out of the unlabelled stream (at most half the training set)
  SelectionCriterion select = SelectionCriterion::Last;
  int patience = 0;  // stop after this many epochs without a better criterion; 0: train every epoch

  bool active() const { return labelFraction > 0 || heldOut > 0; }
  // Throws Error("Validation", ...) for a fraction outside [0, 0.5], negative counts, or a criterion that has
  // nothing to measure (val-accuracy without validation labels, val-elbo without held-out points).
  void validate() const;
};

// Which labels and points a run keeps aside; drawn once, when the run starts, and saved with it.
struct ValidationSplit {
  std::vector<LabelEntry> labels;  // by sample index
  std::vector<int> heldOut;        // sample indices, sorted

  bool empty() const { return labels.empty() && heldOut.empty(); }
};

// How many of a class's labels the split keeps aside: the share rounded down, and at least one stays for training.
size_t validationLabelsKept(size_t classLabels, double fraction);

// Deterministic in (labels, samples, config, seed). The held-out points are drawn among the unlabelled samples
// (not in `labels`); fewer are kept when fewer exist.
ValidationSplit drawValidationSplit(const std::vector<LabelEntry>& labels, int classes, int samples,
                                    const ValidationConfig& config, uint64_t seed);

// What one epoch measured; NaN where there is nothing to measure.
struct ValidationFigures {
  double accuracy = std::numeric_limits<double>::quiet_NaN();
  double elbo = std::numeric_limits<double>::quiet_NaN();       // mean -ELBO in nats per point
  double agreement = std::numeric_limits<double>::quiet_NaN();  // share of held-out predictions unchanged
};

// The criterion's value of an epoch, oriented so that higher is better (NaN: not measured).
double selectionScore(SelectionCriterion c, double accuracy, double elbo);

}  // namespace latentlab
