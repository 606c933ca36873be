#pragma once
// The live dashboard: loss terms per step (raw and smoothed), labelled and unlabelled bounds apart, test
// accuracy per epoch beside the supervised baseline and the accuracy on the validation labels (when the run keeps
// some aside), with the epoch the run keeps marked, and the learning rate and KL weight. Keeps the whole history
// for CSV export.
#include <QWidget>

#include <vector>

#include "app/TrainingWorker.h"

class LossPlot;
class QCPItemText;
class QCPItemStraightLine;

class TrainingDashboard : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingDashboard(QWidget* parent = nullptr);

  void clear();
  void addSteps(const QVector<StepPoint>& steps);
  void addEpoch(const EpochPoint& epoch);
  void setSmoothing(double alpha);

  bool exportCsv(const QString& path, QString* error) const;  // every step, then every epoch
  bool exportPlots(const QString& folder, const QString& extension) const;
  QList<LossPlot*> plots() const { return plots_; }
  LossPlot* objectivePlot() const { return objective_; }
  // The accuracy plot's note that the last epoch had no test labels to score against.
  bool showsNoAccuracy() const;
  int keptEpoch() const;  // the marked epoch; 0: none marked (the run keeps its last)
  long stepCount() const { return long(steps_.size()); }

 private:
  struct Series {  // one curve of the per-step plots: a column of the step record (engine/train/RecordFields.h)
    LossPlot* plot;
    QString name;
    int column;
  };
  std::vector<Series> stepSeries_;
  LossPlot *objective_, *terms_, *classification_, *accuracy_, *learningRate_, *beta_;
  QList<LossPlot*> plots_;
  QCPItemText *noAccuracy_, *keptText_;
  QCPItemStraightLine* kept_;
  void showNoAccuracy(bool shown);
  void showKeptEpoch(int epoch);
  QVector<StepPoint> steps_;
  QVector<EpochPoint> epochs_;
};
