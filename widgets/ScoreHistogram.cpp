#include "widgets/ScoreHistogram.h"

#include <algorithm>
#include <cmath>

ScoreHistogram::ScoreHistogram(QWidget* parent) : QCustomPlot(parent) {
  first_ = addGraph();
  second_ = addGraph();
  for (auto [g, colour] : {std::pair{first_, QColor(31, 119, 180)}, std::pair{second_, QColor(214, 39, 40)}}) {
    g->setLineStyle(QCPGraph::lsStepCenter);
    g->setPen(QPen(colour, 1.5));
    QColor fill = colour;
    fill.setAlpha(50);
    g->setBrush(fill);
  }
  line_ = new QCPItemStraightLine(this);
  line_->setPen(QPen(QColor(40, 40, 40), 1, Qt::DashLine));
  line_->setVisible(false);
  yAxis->setLabel(tr("share of points"));
  legend->setVisible(true);
  legend->setFont(QFont(font().family(), 8));
  legend->setBrush(QColor(255, 255, 255, 200));
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  setMinimumSize(240, 160);
}

void ScoreHistogram::setScores(const QVector<double>& a, const QString& aName, const QVector<double>& b,
                               const QString& bName, const QString& axisLabel, int bins) {
  QVector<double> all;
  for (const QVector<double>* v : {&a, &b})
    for (double s : *v)
      if (std::isfinite(s)) all.push_back(s);
  if (all.isEmpty() || bins < 1) {
    clearScores();
    return;
  }
  std::sort(all.begin(), all.end());
  const double lo = all.front();
  double hi = all[qsizetype(std::floor(0.995 * double(all.size() - 1)))];
  if (!(hi > lo)) hi = lo + 1;
  const double width = (hi - lo) / bins;
  auto fill = [&](QCPGraph* g, const QVector<double>& v, const QString& name) {
    QVector<double> keys(bins), counts(bins, 0.0);
    for (int i = 0; i < bins; ++i) keys[i] = lo + (i + 0.5) * width;
    int n = 0;
    for (double s : v) {
      if (!std::isfinite(s)) continue;
      counts[std::clamp(int((s - lo) / width), 0, bins - 1)] += 1;
      ++n;
    }
    for (double& c : counts) c /= std::max(n, 1);
    g->setData(keys, counts, true);
    g->setName(QString("%1 (%2)").arg(name).arg(n));
    g->setVisible(n > 0);
    g->removeFromLegend();
    if (n > 0) g->addToLegend();
  };
  fill(first_, a, aName);
  fill(second_, b, bName);
  xAxis->setLabel(axisLabel);
  rescaleAxes();
  xAxis->setRange(lo - width, hi + width);
  yAxis->setRange(0, yAxis->range().upper * 1.1);
  replot(QCustomPlot::rpQueuedReplot);
}

void ScoreHistogram::setThreshold(double t) {
  threshold_ = t;
  line_->setVisible(std::isfinite(t));
  if (std::isfinite(t)) {
    line_->point1->setCoords(t, 0);
    line_->point2->setCoords(t, 1);
  }
  replot(QCustomPlot::rpQueuedReplot);
}

void ScoreHistogram::clearScores() {
  first_->data()->clear();
  second_->data()->clear();
  setThreshold(std::nan(""));
}

QVector<double> ScoreHistogram::shares(int series) const {
  QVector<double> v;
  for (const QCPGraphData& d : *(series == 0 ? first_ : second_)->data()) v.push_back(d.value);
  return v;
}
