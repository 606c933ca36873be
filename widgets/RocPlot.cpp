#include "widgets/RocPlot.h"

#include <cmath>

RocPlot::RocPlot(QWidget* parent) : QCustomPlot(parent) {
  diagonal_ = addGraph();
  diagonal_->setData({0, 1}, {0, 1});
  diagonal_->setPen(QPen(QColor(170, 170, 170), 1, Qt::DashLine));
  diagonal_->setName(tr("chance"));
  curve_ = new QCPCurve(xAxis, yAxis);
  curve_->setPen(QPen(QColor(31, 119, 180), 1.5));
  marker_ = addGraph();
  marker_->setLineStyle(QCPGraph::lsNone);
  marker_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(214, 39, 40), QColor(214, 39, 40), 8));
  marker_->setName(tr("threshold"));
  xAxis->setLabel(tr("false positive rate"));
  yAxis->setLabel(tr("true positive rate"));
  xAxis->setRange(0, 1);
  yAxis->setRange(0, 1.02);
  legend->setVisible(true);
  legend->setFont(QFont(font().family(), 8));
  legend->setBrush(QColor(255, 255, 255, 200));
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
  placeholder_ = new QCPItemText(this);
  placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
  placeholder_->position->setCoords(0.5, 0.4);
  placeholder_->setFont(QFont(font().family(), 9));
  placeholder_->setColor(QColor(110, 110, 110));
  setMinimumSize(200, 160);
  clearCurve(tr("Name a class as the anomaly\nto see the ROC curve."));
}

void RocPlot::setCurve(const QVector<QPointF>& points, double auroc, const QString& name) {
  QVector<double> t, x, y;
  for (int i = 0; i < points.size(); ++i) {
    t.push_back(i);
    x.push_back(points[i].x());
    y.push_back(points[i].y());
  }
  curve_->setData(t, x, y, true);
  curve_->setName(QString("%1, AUROC %2").arg(name).arg(auroc, 0, 'f', 3));
  curve_->setVisible(true);
  placeholder_->setVisible(points.isEmpty());
  replot(QCustomPlot::rpQueuedReplot);
}

void RocPlot::setWorkingPoint(double fpr, double tpr) {
  marker_->data()->clear();
  if (std::isfinite(fpr) && std::isfinite(tpr)) marker_->addData(fpr, tpr);
  replot(QCustomPlot::rpQueuedReplot);
}

void RocPlot::clearCurve(const QString& placeholder) {
  curve_->data()->clear();
  curve_->setName(tr("ROC"));
  marker_->data()->clear();
  placeholder_->setText(placeholder);
  placeholder_->setVisible(true);
  replot(QCustomPlot::rpQueuedReplot);
}
