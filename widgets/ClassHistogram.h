#pragma once
// Labels per class as bars, with the count above each bar; redraws at once when counts change.
#include <QWidget>

class QCustomPlot;
class QCPBars;

class ClassHistogram : public QWidget {
  Q_OBJECT
 public:
  explicit ClassHistogram(QWidget* parent = nullptr);
  void setClasses(const QStringList& names);
  void setCounts(const std::vector<int>& counts);
  const std::vector<int>& counts() const { return counts_; }
  QSize sizeHint() const override { return {320, 150}; }

 private:
  QCustomPlot* plot_;
  QCPBars* bars_;
  QStringList names_;
  std::vector<int> counts_;
};
