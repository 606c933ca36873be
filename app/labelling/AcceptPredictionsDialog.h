#pragma once
// "Accept confident predictions": per class, the unlabelled samples the model predicts above a probability
// threshold, most confident first, shown for review; the user unchecks what is wrong and adds the rest.
#include <QDialog>

#include "engine/active/QueueRanking.h"

class QDoubleSpinBox;
class QSpinBox;
class QTabWidget;
class QLabel;

class AcceptPredictionsDialog : public QDialog {
  Q_OBJECT
 public:
  AcceptPredictionsDialog(const latentlab::DataSplit& data, const latentlab::QueueRanking& ranking, const QStringList& classNames,
                          QWidget* parent = nullptr);
  // (sample, class) of every checked card.
  std::vector<std::pair<int, int>> chosen() const;
  void setThreshold(double t);
  void setMaxPerClass(int n);

 private:
  void refill();

  const latentlab::DataSplit& data_;
  const latentlab::QueueRanking& ranking_;
  QStringList names_;
  QDoubleSpinBox* threshold_;
  QSpinBox* perClass_;
  QTabWidget* tabs_;
  QLabel* summary_;
};
