#include "app/projection/SampleDetails.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QLabel>

#include "app/SampleImage.h"

SampleDetails::SampleDetails(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  image_ = new QLabel;
  reconstruction_ = new QLabel;
  for (QLabel* l : {image_, reconstruction_}) {
    l->setFixedSize(kSize, kSize);
    l->setAlignment(Qt::AlignCenter);
    l->setFrameShape(QFrame::StyledPanel);
  }
  image_->setToolTip(tr("The clicked sample"));
  reconstruction_->setToolTip(tr("Its reconstruction: z at the posterior mean, decoded with the predicted class"));
  text_ = new QLabel;
  text_->setWordWrap(true);
  text_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  text_->setMinimumWidth(120);
  bars_ = new QCustomPlot;
  bars_->setFixedSize(230, kSize + 8);
  bars_->yAxis->setRange(0, 1);
  bars_->yAxis->setLabel("q(y|x)");
  bars_->xAxis->setTickLabelFont(QFont(font().family(), 7));
  bars_->yAxis->setTickLabelFont(QFont(font().family(), 7));
  bars_->yAxis->setLabelFont(QFont(font().family(), 7));
  bars_->yAxis->ticker()->setTickCount(2);
  layout->addWidget(image_, 0, Qt::AlignTop);
  layout->addWidget(reconstruction_, 0, Qt::AlignTop);
  layout->addWidget(text_, 1);
  layout->addWidget(bars_, 0, Qt::AlignTop);
  setFixedHeight(kSize + 10);
  clear();
}

void SampleDetails::clear() {
  for (QLabel* l : {image_, reconstruction_}) l->clear();
  text_->setText(tr("<b>Clicked sample</b><br>Click a point to see it, its reconstruction and q(y|x)."));
  bars_->clearPlottables();
  bars_->hide();  // until a point is clicked
}

QString SampleDetails::text() const { return text_->text(); }

QImage SampleDetails::reconstructionShown() const { return reconstruction_->pixmap().toImage(); }

bool SampleDetails::showsSample() const { return !bars_->isHidden(); }

void SampleDetails::showSample(const QImage& sample, const QImage& reconstruction, const QString& text,
                               const std::vector<float>& probs, const QStringList& names) {
  image_->setPixmap(samplePixmap(sample, kSize - 4));
  reconstruction_->setPixmap(samplePixmap(reconstruction, kSize - 4));
  text_->setText(text);
  bars_->clearPlottables();
  auto* bars = new QCPBars(bars_->xAxis, bars_->yAxis);
  QVector<double> keys, values;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (int k = 0; k < int(probs.size()); ++k) {
    keys << k;
    values << probs[size_t(k)];
    ticker->addTick(k, names.value(k, QString::number(k)).left(3));
  }
  bars->setData(keys, values);
  bars->setWidth(0.7);
  bars->setBrush(QColor(31, 119, 180));
  bars->setPen(Qt::NoPen);
  bars_->xAxis->setTicker(ticker);
  bars_->xAxis->setRange(-0.7, double(probs.size()) - 0.3);
  bars_->yAxis->setRange(0, 1);
  bars_->show();
  bars_->replot();
}
