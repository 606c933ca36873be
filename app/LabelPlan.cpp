#include "app/LabelPlan.h"

#include <QCoreApplication>
#include <algorithm>
#include <vector>

namespace {
QString tr(const char* text) { return QCoreApplication::translate("LabelPlan", text); }
}  // namespace

LabelPlan planLabels(const latentlab::DataSplit* data, int sessionLabels, int labels, int trainSamples) {
  LabelPlan plan;
  if (!data) {
    plan.text = tr("Open a data set to see which labels a run will use.");
    return plan;
  }
  const latentlab::Dataset& train = data->train;
  if (sessionLabels > 0) {
    plan.fieldApplies = false;
    plan.text = tr("Runs use the %1 labels of this data set's label session (Labelling dock); Labels only sets "
                   "the first labels of a new session.")
                    .arg(sessionLabels);
    return plan;
  }
  const int pool = trainSamples > 0 ? std::min(trainSamples, train.size()) : train.size();
  const QString among =
      pool < train.size() ? tr("the first %1 training samples").arg(pool) : tr("the %1 training samples").arg(pool);
  if (!train.hasLabels()) {  // the normal case for the user's own data: the run starts without labels
    plan.fieldApplies = false;
    plan.text = tr("This data set is unlabelled: a new run trains on its samples alone, a model of %1 classes. "
                   "Labels you give (Labelling dock, the Projection dock's selection) join the run at its next "
                   "step.")
                    .arg(train.classes);
    return plan;
  }
  if (labels <= 0) {
    plan.text = tr("Labels \"all\": a new run uses the true label of every one of %1 (fully supervised).").arg(among);
    return plan;
  }
  const int classes = std::max(1, train.classes);
  std::vector<int> perClass(classes, 0);
  for (int i = 0; i < pool; ++i)
    if (train.labels[i] >= 0 && train.labels[i] < classes) ++perClass[train.labels[i]];
  int short_ = -1;  // the first class with fewer samples than the draw asks of it (engine/data/LabelSet.cpp)
  for (int c = 0; c < classes && short_ < 0; ++c)
    if (perClass[c] < labels / classes + (c < labels % classes ? 1 : 0)) short_ = c;
  const int smallest = *std::min_element(perClass.begin(), perClass.end());
  if (labels < classes) {
    plan.error = true;
    plan.text = tr("Labels must be at least %1, one per class (it reads %2), or \"all\".").arg(classes).arg(labels);
  } else if (short_ >= 0) {
    plan.error = true;
    plan.text = tr("Labels %1 cannot be drawn from %2: class %3 has only %4 samples there. %5 labels (%6 per "
                   "class) can be, or \"all\".")
                    .arg(labels)
                    .arg(among)
                    .arg(short_)
                    .arg(perClass[short_])
                    .arg(smallest * classes)
                    .arg(smallest);
  } else {
    plan.text = tr("A new run draws %1 labels, balanced over the %2 classes, from %3 with the seed; they start "
                   "this data set's label session.")
                    .arg(labels)
                    .arg(classes)
                    .arg(among);
  }
  return plan;
}
