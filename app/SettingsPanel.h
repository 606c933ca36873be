#pragma once
// The model and training settings form. Reads and writes a TrainingSettings; disabled while training runs.
// Every field says its valid range in its tooltip. A field may hold a value outside it (typed or stepped to):
// the field turns red and a line at the top of the form says which field and what range, at once, and
// settings() refuses to hand such settings on, so a run never starts with a value that was silently changed.
#include <QWidget>

#include <vector>

#include "app/TrainingSettings.h"

class QComboBox;
class QSpinBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QCheckBox;
class QFormLayout;

class SettingsPanel : public QWidget, private SettingsLimits {
  Q_OBJECT
 public:
  explicit SettingsPanel(QWidget* parent = nullptr);
  void setSettings(const TrainingSettings& s);
  // Throws latentlab::Error with a message for the user when a field is invalid (every invalid field named,
  // with its range).
  TrainingSettings settings() const;
  // What the fields hold, valid or not (an unreadable list keeps the default); never throws.
  TrainingSettings values() const;
  // One line per invalid field ("Latent size must be 1 to 1024 (it reads 0)"); empty when all are valid.
  QStringList problems() const;
  // The window's word on which labels a run will use, under the Labels field; fieldApplies false greys the
  // field out (a label session exists: the run uses its labels).
  void setLabelsNote(const QString& text, bool error, bool fieldApplies);
  QString labelsNote() const;

 signals:
  void changed();  // any field

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QComboBox *flavour_, *objective_, *activation_;
  void showFlavourFields();
  void showProblems();
  std::vector<std::pair<QWidget*, QString>> findProblems() const;
  std::vector<int> sizes(const QLineEdit* field, const QString& what, int maxCount, int maxValue,
                         QStringList* problems) const;

  QFormLayout* form_;
  latentlab::Flavour shownFlavour_ = latentlab::Flavour::Dense;
  QSpinBox *kernel_, *lstmHidden_, *lstmLayers_;
  QComboBox* pooling_;
  QLineEdit* convChannels_;
  QSpinBox *latent_, *labels_, *epochs_, *labelledBatch_, *unlabelledBatch_, *seed_, *threads_, *trainSamples_;
  QSpinBox *validation_, *heldOut_, *patience_;
  QComboBox* select_;
  bool applying_ = false;  // setSettings is filling the fields: no defaults follow from them
  int validationWas_ = 0;
  QLineEdit *hidden_, *learningRate_;
  QDoubleSpinBox *alpha_, *beta_, *warmup_;
  QCheckBox* baseline_;
  QLabel *problems_, *labelsNote_;
};
