#pragma once
// Two distributions of anomaly scores side by side (normal against anomalous test points, or training against
// test points): each a step histogram of the share of its points per bin, over shared bins from the smallest
// score to the 99.5th percentile (larger scores go to the last bin), with a vertical line at the threshold.
#include <qcustomplot.h>

#include <QVector>

class ScoreHistogram : public QCustomPlot {
  Q_OBJECT
 public:
  explicit ScoreHistogram(QWidget* parent = nullptr);

  // first and second: the scores; names for the legend; unit for the x axis ("nats").
  void setScores(const QVector<double>& first, const QString& firstName, const QVector<double>& second,
                 const QString& secondName, const QString& axisLabel, int bins = 60);
  void setThreshold(double threshold);  // NaN hides the line
  void clearScores();

  // The share of each series per bin (for tests): series 0 or 1.
  QVector<double> shares(int series) const;
  double threshold() const { return threshold_; }

 private:
  QCPGraph *first_, *second_;
  QCPItemStraightLine* line_;
  double threshold_ = std::nan("");
};
