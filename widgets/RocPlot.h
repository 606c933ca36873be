#pragma once
// An ROC curve (false positive rate against true positive rate) with the chance diagonal, its AUROC in the
// legend, and a marker at the working point of the current threshold.
#include <qcustomplot.h>

#include <QPointF>
#include <QVector>

class RocPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit RocPlot(QWidget* parent = nullptr);

  // points: (fpr, tpr) from (0, 0) to (1, 1). An empty curve shows the placeholder text instead.
  void setCurve(const QVector<QPointF>& points, double auroc, const QString& name);
  void setWorkingPoint(double falsePositiveRate, double truePositiveRate);  // NaN hides it
  void clearCurve(const QString& placeholder);
  int curvePoints() const { return curve_->dataCount(); }

 private:
  QCPCurve* curve_;
  QCPGraph *diagonal_, *marker_;
  QCPItemText* placeholder_;
};
