#include "app/anomaly/AnomalyControls.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <algorithm>
#include <cmath>

using latentlab::ScoreKind;

AnomalyControls::AnomalyControls(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  score_ = new QComboBox;
  score_->addItems({tr("Reconstruction error"), tr("−ELBO"), tr("IWAE −log p(x)"), tr("Surprise: −ELBO + class doubt")});
  score_->setToolTip(
      tr("Nats, higher = more anomalous. y at test time: expected under q(y|x) (reconstruction, −ELBO), "
         "drawn with z from q(y|x) (IWAE). Surprise: how rare the point's −ELBO and its class doubt (the entropy "
         "of q(y|x)) are among the training points scored, −log of each share, summed; it sees the points of no "
         "known class that the −ELBO calls normal (a model without labels has no doubt term)"));
  form->addRow(tr("Score"), score_);
  samples_ = new QSpinBox;
  samples_->setRange(1, 5000);
  samples_->setValue(50);
  samples_->setToolTip(tr("IWAE: importance samples S per point (S decodes each)"));
  form->addRow(tr("Samples S"), samples_);
  holdout_ = new QComboBox;
  holdout_->setToolTip(
      tr("The class whose test points count as anomalies (ROC, precision, recall). None: the histogram "
         "compares training and test points"));
  form->addRow(tr("Anomalous class"), holdout_);
  cap_ = new QSpinBox;
  cap_->setRange(10, 1000000);
  cap_->setSingleStep(1000);
  cap_->setValue(10000);
  cap_->setToolTip(tr("Score at most this many test points (the first ones)"));
  form->addRow(tr("Test points"), cap_);
  compute_ = new QPushButton(tr("Compute"));
  cancel_ = new QPushButton(tr("Cancel"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(compute_);
  buttons->addWidget(cancel_);
  form->addRow(buttons);
  progress_ = new QProgressBar;
  progress_->setRange(0, 100);
  progress_->setValue(0);
  form->addRow(progress_);
  status_ = new QLabel(tr("Press Compute once a model is trained or opened."));
  status_->setWordWrap(true);
  form->addRow(status_);
  threshold_ = new QSlider(Qt::Horizontal);
  threshold_->setRange(0, 1000);  // tenths of a percentile
  threshold_->setValue(950);
  threshold_->setToolTip(tr("The threshold: this percentile of the training scores; test points above it are flagged"));
  thresholdLabel_ = new QLabel;
  form->addRow(tr("Threshold"), threshold_);
  form->addRow(thresholdLabel_);
  counts_ = new QLabel;
  counts_->setWordWrap(true);
  form->addRow(counts_);
  gallery_ = new QSpinBox;
  gallery_->setRange(1, 500);
  gallery_->setValue(24);
  gallery_->setToolTip(tr("How many of the most anomalous test points the gallery shows"));
  form->addRow(tr("Gallery"), gallery_);
  clearThreshold();

  connect(compute_, &QPushButton::clicked, this, &AnomalyControls::computeClicked);
  connect(cancel_, &QPushButton::clicked, this, &AnomalyControls::cancelClicked);
  connect(score_, &QComboBox::currentIndexChanged, this,
          [this] { samples_->setEnabled(scoreKind() == ScoreKind::Iwae); });
  connect(threshold_, &QSlider::valueChanged, this, [this] { emit thresholdChanged(percentile()); });
  connect(gallery_, &QSpinBox::valueChanged, this, &AnomalyControls::galleryChanged);
  score_->setCurrentIndex(int(ScoreKind::NegativeElbo));
}

ScoreKind AnomalyControls::scoreKind() const { return ScoreKind(score_->currentIndex()); }
int AnomalyControls::samples() const { return samples_->value(); }
int AnomalyControls::holdout() const { return holdout_->currentIndex() - 1; }
int AnomalyControls::testCap() const { return cap_->value(); }
double AnomalyControls::percentile() const { return threshold_->value() / 10.0; }
int AnomalyControls::gallerySize() const { return gallery_->value(); }

void AnomalyControls::setScoreKind(ScoreKind kind) { score_->setCurrentIndex(int(kind)); }
void AnomalyControls::setSamples(int samples) { samples_->setValue(samples); }
void AnomalyControls::setHoldout(int cls) { holdout_->setCurrentIndex(std::clamp(cls + 1, 0, holdout_->count() - 1)); }
void AnomalyControls::setTestCap(int cap) { cap_->setValue(cap); }
void AnomalyControls::setPercentile(double p) { threshold_->setValue(int(std::lround(p * 10))); }
void AnomalyControls::setGallerySize(int n) { gallery_->setValue(n); }

void AnomalyControls::setClassNames(const QStringList& names) {
  if (holdout_->count() == names.size() + 1 && (names.isEmpty() || holdout_->itemText(1) == names[0])) return;
  const int keep = wantedHoldout_ >= 0 && !names.isEmpty() ? wantedHoldout_ : holdout_->currentIndex();
  if (!names.isEmpty()) wantedHoldout_ = -1;
  const QSignalBlocker block(holdout_);
  holdout_->clear();
  holdout_->addItem(tr("None (training vs test)"));
  holdout_->addItems(names);
  holdout_->setCurrentIndex(std::clamp(keep, 0, holdout_->count() - 1));
}

void AnomalyControls::updateFor(bool canCompute, bool running) {
  compute_->setEnabled(canCompute);
  cancel_->setEnabled(running);
}

void AnomalyControls::setProgress(int percent) { progress_->setValue(percent); }
void AnomalyControls::setStatus(const QString& text) { status_->setText(text); }
QString AnomalyControls::status() const { return status_->text(); }

void AnomalyControls::showThreshold(double threshold, const latentlab::ThresholdCounts& c, int testPoints,
                                    bool anomaliesKnown) {
  thresholdLabel_->setText(
      tr("%1th percentile of the training scores: %2 nats").arg(percentile(), 0, 'f', 1).arg(threshold, 0, 'f', 1));
  QString text = tr("Flagged %1 of %2 test points").arg(c.flagged).arg(testPoints);
  if (anomaliesKnown)
    text += tr(": %1 anomalies, %2 normal. Precision %3, recall %4 (%5 of %6 anomalies).")
                .arg(c.truePositives)
                .arg(c.falsePositives)
                .arg(c.precision, 0, 'f', 3)
                .arg(c.recall, 0, 'f', 3)
                .arg(c.truePositives)
                .arg(c.truePositives + c.falseNegatives);
  else
    text += tr(" (no class named as the anomaly: precision and recall unknown).");
  counts_->setText(text);
}

void AnomalyControls::clearThreshold() {
  thresholdLabel_->setText(tr("%1th percentile of the training scores").arg(percentile(), 0, 'f', 1));
  counts_->setText(tr("Nothing scored yet."));
}

QString AnomalyControls::thresholdText() const { return thresholdLabel_->text() + "\n" + counts_->text(); }

void AnomalyControls::saveSettings(QSettings& s) const {
  s.beginGroup("anomaly");
  s.setValue("score", score_->currentIndex());
  s.setValue("samples", samples_->value());
  s.setValue("holdout", holdout_->currentIndex());
  s.setValue("cap", cap_->value());
  s.setValue("threshold", threshold_->value());
  s.setValue("gallery", gallery_->value());
  s.endGroup();
}

void AnomalyControls::restoreSettings(const QSettings& s) {
  auto value = [&](const char* key, const QVariant& fallback) { return s.value(QString("anomaly/") + key, fallback); };
  score_->setCurrentIndex(std::clamp(value("score", 1).toInt(), 0, score_->count() - 1));
  samples_->setValue(value("samples", 50).toInt());
  wantedHoldout_ = std::max(0, value("holdout", 0).toInt());
  if (holdout_->count() > 1) {
    holdout_->setCurrentIndex(std::clamp(wantedHoldout_, 0, holdout_->count() - 1));
    wantedHoldout_ = -1;
  }
  cap_->setValue(value("cap", 10000).toInt());
  threshold_->setValue(value("threshold", 950).toInt());
  gallery_->setValue(value("gallery", 24).toInt());
}
