#include "widgets/LossPlot.h"
#include "widgets/FileDialogs.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QMenu>

#include <cmath>

LossPlot::LossPlot(const QString& title, const QString& xLabel, QWidget* parent) : QCustomPlot(parent), title_(title) {
  plotLayout()->insertRow(0);
  auto* heading = new QCPTextElement(this, title, QFont(font().family(), 10, QFont::Bold));
  plotLayout()->addElement(0, 0, heading);
  xAxis->setLabel(xLabel);
  xAxis->ticker()->setTickCount(4);  // narrow plots: keep step labels apart
  // The legend in a row of its own between the title and the axes, its entries side by side: inside the axes
  // it hid the newest points (the test accuracy's, top right).
  legend->setVisible(true);
  legend->setFont(QFont(font().family(), 8));
  legend->setBrush(Qt::NoBrush);
  legend->setBorderPen(Qt::NoPen);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setWrap(3);
  legend->setMargins(QMargins(2, 0, 2, 0));
  legend->setRowSpacing(0);
  axisRect()->insetLayout()->take(legend);
  plotLayout()->insertRow(1);
  plotLayout()->addElement(1, 0, legend);
  plotLayout()->setRowStretchFactor(1, 0.001);
  plotLayout()->setRowSpacing(0);
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  setNoAntialiasingOnDrag(true);
  setMinimumSize(260, 180);
  connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
    if (QApplication::mouseButtons() != Qt::NoButton) autoRange_ = false;
  });
  connect(this, &QCustomPlot::mouseWheel, this, [this] { autoRange_ = false; });
  readout_ = new QCPItemText(this);
  readout_->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
  readout_->position->setType(QCPItemPosition::ptAxisRectRatio);
  readout_->position->setCoords(0.01, 0.99);
  readout_->setFont(QFont(font().family(), 8));
  readout_->setText("");
  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(40);  // at most ~25 replots a second
  connect(&replotTimer_, &QTimer::timeout, this, [this] {
    if (autoRange_) fitToData();
    replot(QCustomPlot::rpQueuedReplot);
  });
}

void LossPlot::setLogarithmic(bool log) {
  yAxis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (log) yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  else yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

// rescaleAxes() puts the extreme points on the frame and gives a constant series an arbitrary +-2.5: pad
// the value range by 5% (a factor on log axes) and show a constant from zero.
void LossPlot::fitToData() {
  rescaleAxes(true);
  // Whole-number keys (epochs, drawn as markers): half a key each side, so no marker sits on the frame.
  if (integerKeys_) xAxis->setRange(xAxis->range().lower - 0.5, xAxis->range().upper + 0.5);
  QCPRange r = yAxis->range();
  bool any = false;
  double lo = 0, hi = 0;
  for (int i = 0; i < graphCount(); ++i) {
    bool found = false;
    const QCPRange v = graph(i)->data()->valueRange(found);
    if (!found) continue;
    lo = any ? std::min(lo, v.lower) : v.lower;
    hi = any ? std::max(hi, v.upper) : v.upper;
    any = true;
  }
  if (!any) return;
  if (yAxis->scaleType() == QCPAxis::stLogarithmic) {
    if (lo > 0) yAxis->setRange(lo / 1.3, hi * 1.3);
    return;
  }
  if (hi - lo <= 1e-9 * std::max(std::abs(hi), 1e-300)) {
    r = hi > 0 ? QCPRange(0, hi * 1.25) : hi < 0 ? QCPRange(hi * 1.25, 0) : QCPRange(-1, 1);
  } else {
    const double pad = 0.05 * (hi - lo);
    r = QCPRange(lo - pad, hi + pad);
  }
  yAxis->setRange(r);
}

void LossPlot::setIntegerKeys(bool integer) {
  integerKeys_ = integer;
  if (!integer) {
    xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    return;
  }
  QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  xAxis->setTicker(ticker);
}

double LossPlot::smoothed(Series& s, double y) {
  s.ema = (1 - alpha_) * s.ema + alpha_ * y;
  ++s.count;
  return s.ema / (1 - std::pow(1 - alpha_, double(s.count)));
}

void LossPlot::addSeries(const QString& name, const QColor& colour, bool smoothed, bool markers) {
  Series s;
  s.raw = addGraph();
  s.raw->setName(smoothed ? name + " (raw)" : name);
  QColor light = colour;
  if (smoothed) light.setAlpha(70);
  s.raw->setPen(QPen(light, 1));
  s.raw->setAdaptiveSampling(true);
  if (markers) {
    s.raw->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    s.raw->setPen(QPen(colour, 1.5));
  }
  if (smoothed) {
    s.raw->removeFromLegend();
    s.smooth = addGraph();
    s.smooth->setName(name);
    s.smooth->setPen(QPen(colour, 1.5));
    s.smooth->setAdaptiveSampling(true);
  }
  series_.insert(name, s);
  order_ << name;
}

void LossPlot::addPoint(const QString& name, double x, double y) {
  auto it = series_.find(name);
  if (it == series_.end() || !std::isfinite(y)) return;
  it->raw->addData(x, y);
  if (it->smooth) it->smooth->addData(x, smoothed(*it, y));
  scheduleReplot();
}

void LossPlot::clearData() {
  for (auto& s : series_) {
    s.raw->data()->clear();
    if (s.smooth) s.smooth->data()->clear();
    s.ema = 0;
    s.count = 0;
  }
  autoRange_ = true;
  scheduleReplot();
}

void LossPlot::setSmoothing(double alpha) {
  alpha_ = std::clamp(alpha, 0.001, 1.0);
  recomputeSmoothing();
  scheduleReplot();
}

void LossPlot::recomputeSmoothing() {
  for (auto& s : series_) {
    if (!s.smooth) continue;
    s.smooth->data()->clear();
    s.ema = 0;
    s.count = 0;
    QVector<double> xs, ys;
    for (auto p = s.raw->data()->constBegin(); p != s.raw->data()->constEnd(); ++p) {
      xs << p->key;
      ys << smoothed(s, p->value);
    }
    s.smooth->setData(xs, ys, true);
  }
}

int LossPlot::pointCount(const QString& name) const {
  auto it = series_.find(name);
  return it == series_.end() ? 0 : it->raw->dataCount();
}

void LossPlot::scheduleReplot() {
  if (!replotTimer_.isActive()) replotTimer_.start();
}

bool LossPlot::exportTo(const QString& path) {
  if (path.endsWith(".pdf", Qt::CaseInsensitive)) return savePdf(path, width(), height());
  return savePng(path, width(), height(), 2.0);
}

void LossPlot::mouseDoubleClickEvent(QMouseEvent* e) {
  autoRange_ = true;
  fitToData();
  replot();
  QCustomPlot::mouseDoubleClickEvent(e);
}

void LossPlot::mouseMoveEvent(QMouseEvent* e) {
  QCustomPlot::mouseMoveEvent(e);
  const double x = xAxis->pixelToCoord(e->pos().x());
  QStringList parts;
  for (const QString& name : order_) {
    const Series& s = series_[name];
    QCPGraph* g = s.smooth ? s.smooth : s.raw;
    if (g->dataCount() == 0) continue;
    auto it = g->data()->findBegin(x, false);
    if (it == g->data()->constEnd()) continue;
    parts << QString("%1 %2").arg(name).arg(it->value, 0, 'g', 5);
  }
  readout_->setText(parts.isEmpty() ? QString() : QString("x %1:  ").arg(x, 0, 'f', 0) + parts.join("   "));
  replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::contextMenuEvent(QContextMenuEvent* e) {
  QMenu menu(this);
  menu.addAction(tr("Fit to data"), this, [this] {
    autoRange_ = true;
    fitToData();
    replot();
  });
  menu.addAction(tr("Export as PNG or PDF..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), dialogStartPath(title_ + ".png"),
                                                      tr("PNG image (*.png);;PDF document (*.pdf)"));
    rememberDialogFolder(path);
    if (!path.isEmpty()) exportTo(path);
  });
  menu.exec(e->globalPos());
}
