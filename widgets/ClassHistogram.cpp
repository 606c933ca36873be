#include "widgets/ClassHistogram.h"

#include <QVBoxLayout>
#include <algorithm>

#include "qcustomplot.h"

ClassHistogram::ClassHistogram(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
  bars_->setWidth(0.7);
  bars_->setPen(Qt::NoPen);
  bars_->setBrush(QColor(70, 130, 180));
  plot_->yAxis->setLabel(tr("labels"));
  plot_->yAxis->grid()->setSubGridVisible(false);
  plot_->xAxis->grid()->setVisible(false);
  plot_->setMinimumHeight(110);
}

void ClassHistogram::setClasses(const QStringList& names) {
  names_ = names;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (int k = 0; k < names.size(); ++k) {
    QString n = names[k];
    if (n.size() > 8) n = n.left(7) + QChar(0x2026);
    ticker->addTick(k, n);
  }
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(-0.6, names.size() - 0.4);
  setCounts(std::vector<int>(names.size(), 0));
}

void ClassHistogram::setCounts(const std::vector<int>& counts) {
  counts_ = counts;
  QVector<double> keys, values;
  for (int k = 0; k < int(counts.size()); ++k) {
    keys << k;
    values << counts[k];
  }
  bars_->setData(keys, values, true);
  const int top = counts.empty() ? 1 : std::max(1, *std::max_element(counts.begin(), counts.end()));
  plot_->yAxis->setRange(0, top * 1.2);
  plot_->clearItems();
  for (int k = 0; k < int(counts.size()); ++k) {
    auto* text = new QCPItemText(plot_);
    text->position->setCoords(k, counts[k]);
    text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    text->setText(QString::number(counts[k]));
    text->setFont(QFont(font().family(), 8));
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}
