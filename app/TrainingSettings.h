#pragma once
// What the settings panel edits and the worker trains with; persisted with QSettings.
#include <QSettings>

#include "engine/train/Defaults.h"

struct TrainingSettings {
  latentlab::ModelConfig model = latentlab::defaultModelConfig();
  latentlab::TrainConfig train = latentlab::defaultTrainConfig();
  int labels = 100;             // balanced initial subset; 0 = every label
  bool supervisedBaseline = true;  // train the equivalent supervised classifier alongside
  int threads = 1;
  int trainSamples = 0;  // 0 = the whole training set (fewer for quick looks)

  void load(QSettings& s);
  void save(QSettings& s) const;
};
