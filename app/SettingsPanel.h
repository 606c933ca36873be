#pragma once
// The model and training settings form. Reads and writes a TrainingSettings; disabled while training runs.
#include <QWidget>

#include <vector>

#include "app/TrainingSettings.h"

class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLineEdit;
class QCheckBox;
class QFormLayout;

class SettingsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit SettingsPanel(QWidget* parent = nullptr);
  void setSettings(const TrainingSettings& s);
  // Throws latentlab::Error with a message for the user when a field is invalid.
  TrainingSettings settings() const;

 private:
  QComboBox *flavour_, *objective_, *activation_;
  void showFlavourFields();
  std::vector<int> sizes(const QLineEdit* field, const QString& what) const;

  QFormLayout* form_;
  latentlab::Flavour shownFlavour_ = latentlab::Flavour::Dense;
  QSpinBox *kernel_, *lstmHidden_, *lstmLayers_;
  QComboBox* pooling_;
  QLineEdit* convChannels_;
  QSpinBox *latent_, *labels_, *epochs_, *labelledBatch_, *unlabelledBatch_, *seed_, *threads_, *trainSamples_;
  QLineEdit* hidden_;
  QDoubleSpinBox *alpha_, *beta_, *warmup_, *learningRate_;
  QCheckBox* baseline_;
};
