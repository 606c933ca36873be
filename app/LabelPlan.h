#pragma once
// Which labels the next run will use, in words for the settings panel: the label session's (when it has any),
// every true label (Labels 0), a balanced subset drawn from the first Training samples, or none (unlabelled
// data: the run starts on its samples alone). Says, before Train is
// pressed, when the Labels value cannot be drawn (more per class than the smallest class has, fewer than one per
// class), so that the run is refused with a reason instead of failing in the label draw.
#include <QString>

#include "engine/data/Dataset.h"

struct LabelPlan {
  QString text;              // one or two sentences for the user
  bool error = false;        // the run cannot start with these settings
  bool fieldApplies = true;  // false: the label session's labels are used and the Labels field is not
};

// data may be null (no data set open); sessionLabels: how many labels the data set's label session holds.
LabelPlan planLabels(const latentlab::DataSplit* data, int sessionLabels, int labels, int trainSamples);
