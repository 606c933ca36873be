#pragma once
// What the losses before a non-finite step say: the last finite loss, and whether the loss was already rising
// (from what lowest value, at what step). Read from Trainer::stepHistory() when a run stops at a NaN loss, and
// at each epoch end to tell whether the weights are still worth keeping as a checkpoint. Qt-free.
//
// Single steps are noisy (one minibatch each): the trend compares means of `smooth` consecutive steps. The
// lowest such mean within the last `window` steps is where the loss started to rise; the loss is rising when
// the mean of the last `smooth` steps lies more than `tolerance` (relative to the lowest mean's magnitude)
// above it. A step's loss is computed with the weights after the step before it.
#include <limits>
#include <vector>

#include "engine/train/Trainer.h"

namespace latentlab {

struct LossTrend {
  long lastStep = 0;  // the last step with a finite total loss; 0: none
  double lastLoss = std::numeric_limits<double>::quiet_NaN();
  double recentMean = std::numeric_limits<double>::quiet_NaN();  // mean over the last `smooth` finite steps
  long lowestStep = 0;  // the last step of the lowest `smooth`-step mean in the window
  double lowestMean = std::numeric_limits<double>::quiet_NaN();
  bool rising = false;
  int smooth = 0;  // the steps each mean is over (fewer when the history is shorter)
  // How far the recent mean lies above the lowest, relative to the lowest's magnitude (0 when not above).
  double riseFraction() const;
};

// Throws latentlab::Error for window < 1, smooth < 1 or a negative tolerance.
LossTrend lossTrend(const std::vector<StepRecord>& steps, int window = 500, int smooth = 10, double tolerance = 0.1);

}  // namespace latentlab
