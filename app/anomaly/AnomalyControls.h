#pragma once
// The Anomaly view's controls, the column left of its plots: the score (reconstruction, -ELBO, IWAE with S
// samples), which class's test points are the anomalies (none: training against test), how many test points,
// Compute and Cancel with the job's progress and status; the threshold as a percentile of the training scores
// with what it flags (counts, precision, recall); the size of the gallery of the most anomalous samples. The
// panel reads the settings when it starts a job; the controls remember themselves in QSettings.
#include <QStringList>
#include <QWidget>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/Threshold.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSlider;
class QSpinBox;

class AnomalyControls : public QWidget {
  Q_OBJECT
 public:
  explicit AnomalyControls(QWidget* parent = nullptr);

  latentlab::ScoreKind scoreKind() const;
  int samples() const;        // IWAE S
  int holdout() const;        // -1: none
  int testCap() const;        // the first test points
  double percentile() const;  // 0..100
  int gallerySize() const;

  void setScoreKind(latentlab::ScoreKind kind);
  void setSamples(int samples);
  void setHoldout(int cls);
  void setTestCap(int cap);
  void setPercentile(double p);  // emits thresholdChanged
  void setGallerySize(int n);

  void setClassNames(const QStringList& names);
  void updateFor(bool canCompute, bool running);
  void setProgress(int percent);
  void setStatus(const QString& text);
  QString status() const;
  // What the threshold flags: its value, the counts and (anomalies known) precision and recall; nothing scored:
  // a hint.
  void showThreshold(double threshold, const latentlab::ThresholdCounts& counts, int testPoints, bool anomaliesKnown);
  void clearThreshold();
  QString thresholdText() const;

  void saveSettings(QSettings& s) const;
  void restoreSettings(const QSettings& s);

 signals:
  void computeClicked();
  void cancelClicked();
  void thresholdChanged(double percentile);
  void galleryChanged();

 private:
  QComboBox *score_, *holdout_;
  QSpinBox *samples_, *cap_, *gallery_;
  QSlider* threshold_;
  QPushButton *compute_, *cancel_;
  QProgressBar* progress_;
  QLabel *status_, *thresholdLabel_, *counts_;
  int wantedHoldout_ = -1;  // a restored choice, applied once the class names are known
};
