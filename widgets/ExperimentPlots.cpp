#include "widgets/ExperimentPlots.h"

#include <algorithm>
#include <cmath>

namespace {

const QColor kColors[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44), QColor(255, 127, 14),
                          QColor(148, 103, 189)};

QCPTextElement* addTitle(QCustomPlot* plot) {
  plot->plotLayout()->insertRow(0);
  auto* title = new QCPTextElement(plot, "", QFont(plot->font().family(), 10, QFont::Bold));
  plot->plotLayout()->addElement(0, 0, title);
  // The legend in a row of its own under the title, its entries side by side: inside the axes it hid bars.
  plot->legend->setVisible(true);
  plot->legend->setFont(QFont(plot->font().family(), 9));
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot->legend->setWrap(4);
  plot->axisRect()->insetLayout()->take(plot->legend);
  plot->plotLayout()->insertRow(1);
  plot->plotLayout()->addElement(1, 0, plot->legend);
  plot->plotLayout()->setRowStretchFactor(1, 0.001);
  plot->setMinimumSize(320, 220);
  return title;
}

// Error bars of mean ± sd on a data plottable (a graph's points or a bar group's bars).
void addErrorBars(QCustomPlot* plot, QCPAbstractPlottable* on, const PlotSeries& s, const QColor& color) {
  bool any = false;
  for (double e : s.sd) any |= e > 0;
  if (!any) return;
  auto* bars = new QCPErrorBars(plot->xAxis, plot->yAxis);
  bars->removeFromLegend();
  bars->setDataPlottable(on);
  bars->setData(s.sd);
  bars->setPen(QPen(color.darker(130), 1));
}

}  // namespace

LabelCurvePlot::LabelCurvePlot(QWidget* parent) : QCustomPlot(parent) {
  title_ = addTitle(this);
  xAxis->setScaleType(QCPAxis::stLogarithmic);
}

void LabelCurvePlot::setSeries(const QString& title, const QVector<PlotSeries>& series, const QVector<double>& ticks,
                               const QVector<QString>& tickLabels, const QString& yLabel) {
  clearPlottables();
  title_->setText(title);
  double lo = 1, hi = 0, xmin = 1e300, xmax = 0;
  for (int i = 0; i < series.size(); ++i) {
    const PlotSeries& s = series[i];
    const QColor color = kColors[i % 5];
    QCPGraph* g = addGraph();
    g->setName(s.name);
    g->setData(s.x, s.mean, true);
    g->setPen(QPen(color, 2));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 7));
    addErrorBars(this, g, s, color);
    for (int k = 0; k < s.x.size(); ++k) {
      const double e = k < s.sd.size() ? s.sd[k] : 0;
      lo = std::min(lo, s.mean[k] - e);
      hi = std::max(hi, s.mean[k] + e);
      xmin = std::min(xmin, s.x[k]);
      xmax = std::max(xmax, s.x[k]);
    }
  }
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int i = 0; i < ticks.size(); ++i) ticker->addTick(ticks[i], i < tickLabels.size() ? tickLabels[i] : "");
  xAxis->setTicker(ticker);
  xAxis->setLabel(tr("labelled training points"));
  yAxis->setLabel(yLabel);
  if (xmax > 0) xAxis->setRange(xmin / 1.6, xmax * 1.6);
  if (hi >= lo) {
    const double pad = std::max(0.01, 0.08 * (hi - lo));
    yAxis->setRange(lo - pad, std::min(1.0 + pad / 4, hi + pad));
  }
  replot();
}

ClassBarsPlot::ClassBarsPlot(QWidget* parent) : QCustomPlot(parent) {
  title_ = addTitle(this);
}

void ClassBarsPlot::setSeries(const QString& title, const QVector<PlotSeries>& series, const QString& xLabel,
                              const QString& yLabel, double yMin, double yMax) {
  clearPlottables();
  bars_.clear();
  title_->setText(title);
  const int n = int(series.size());
  const double width = 0.8 / std::max(1, n);
  QVector<double> ticks;
  QVector<QString> labels;
  for (int i = 0; i < n; ++i) {
    const PlotSeries& s = series[i];
    const QColor color = kColors[i % 5];
    auto* bars = new QCPBars(xAxis, yAxis);
    bars->setName(s.name);
    bars->setWidth(width);
    QVector<double> x;
    for (double c : s.x) x.push_back(c + (i - (n - 1) / 2.0) * width);  // side by side around the class
    bars->setData(x, s.mean, true);
    bars->setPen(QPen(color.darker(120)));
    bars->setBrush(color);
    addErrorBars(this, bars, s, color);
    bars_.push_back(bars);
    for (double c : s.x)
      if (!ticks.contains(c)) ticks.push_back(c), labels.push_back(QString::number(int(c)));
  }
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int i = 0; i < ticks.size(); ++i) ticker->addTick(ticks[i], labels[i]);
  xAxis->setTicker(ticker);
  xAxis->setLabel(xLabel);
  yAxis->setLabel(yLabel);
  if (!ticks.isEmpty())
    xAxis->setRange(*std::min_element(ticks.begin(), ticks.end()) - 0.6,
                    *std::max_element(ticks.begin(), ticks.end()) + 0.6);
  yAxis->setRange(yMin, yMax);
  replot();
}

bool savePlotPng(QCustomPlot* plot, const QString& path, int width, int height) {
  return plot->savePng(path, width, height, 1.0, -1, 96);
}
