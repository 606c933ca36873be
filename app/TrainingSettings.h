#pragma once
// What the settings panel edits and the worker trains with; persisted with QSettings.
#include <QSettings>

#include "engine/train/Defaults.h"

// The ranges the workbench accepts (the settings panel's fields, their tooltips and messages).
struct SettingsLimits {
  static constexpr int kMaxLatent = 1024, kMaxUnits = 4096, kMaxLayers = 8, kMaxConvChannels = 1024, kMaxConvs = 6,
                       kMaxBatch = 10000, kMaxEpochs = 10000, kMaxLstmLayers = 8,
                       kMaxHeldOut = 10000000;
  static constexpr double kMaxBeta = 100, kMaxAlpha = 1e7, kMaxWarmup = 1000, kMaxLearningRate = 1;
};

struct TrainingSettings {
  latentlab::ModelConfig model = latentlab::defaultModelConfig();
  latentlab::TrainConfig train = latentlab::defaultTrainConfig();
  int labels = 100;             // balanced initial subset; 0 = every label
  bool supervisedBaseline = true;  // train the equivalent supervised classifier alongside
  int threads = 1;
  int trainSamples = 0;  // 0 = the whole training set (fewer for quick looks)

  // Reads what save() wrote; a value outside its range (a settings file from another version, or edited by
  // hand) becomes its default, so that no saved value can make the next start fail.
  void load(QSettings& s);
  void save(QSettings& s) const;
  // Puts every value outside its range back to its default; returns the names of those it changed.
  QStringList sanitise();
};
