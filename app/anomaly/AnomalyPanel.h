#pragma once
// The Anomaly view: how unusual each test point is to the model, and why. The controls (left) choose the score
// and the class whose test points count as anomalies; an AnomalyWorker scores off the GUI thread with a private
// copy of the newest model (progress, cancel). The panel shows the score histogram (normal against anomalous
// test points, or training against test points without an anomalous class), the ROC curve with its AUROC, the
// threshold slider's working point (a percentile of the training scores: counts, precision, recall), the most
// anomalous test points as a gallery, and for the one clicked its symptoms: the score's split per pixel over
// the image, or per channel and step over its curves, with the features that contribute most. Each finished
// scoring is announced (scoresComputed) so that the Projection view can colour its points by it.
#include <QWidget>
#include <memory>

#include "app/TrainingWorker.h"  // ModelSnapshot
#include "app/anomaly/AnomalyControls.h"
#include "engine/anomaly/AnomalyScoringJob.h"

class AnomalyGallery;
class AnomalyWorker;
class LabelSession;
class QLabel;
class QSettings;
class RocPlot;
class ScoreHistogram;
class SymptomView;
struct AnomalyOutcome;

class AnomalyPanel : public QWidget {
  Q_OBJECT
 public:
  explicit AnomalyPanel(LabelSession* session, QWidget* parent = nullptr);
  ~AnomalyPanel() override;

  void setModel(ModelSnapshot model);  // the newest model (nullptr: none); scored on Compute
  void reset();                        // the data set changed: cancels a running job and clears the view

  void compute();  // no-op without model or data; computed() when done (or refused)
  void cancel();
  bool isComputing() const;
  QString statusText() const;

  // Settings, as the controls hold them.
  void setScoreKind(latentlab::ScoreKind kind) { controls_->setScoreKind(kind); }
  void setSamples(int s) { controls_->setSamples(s); }
  void setHoldout(int cls) { controls_->setHoldout(cls); }
  void setTestCap(int cap) { controls_->setTestCap(cap); }
  void setPercentile(double p) { controls_->setPercentile(p); }
  void setGallerySize(int n) { controls_->setGallerySize(n); }
  void saveSettings(QSettings& s) const;
  void restoreSettings(const QSettings& s);

  std::shared_ptr<const latentlab::AnomalyScores> scores() const { return scores_; }
  // The working point of the current threshold.
  double threshold() const { return threshold_; }
  latentlab::ThresholdCounts thresholdCounts() const { return counts_; }
  QString thresholdText() const { return controls_->thresholdText(); }
  // The gallery's samples: positions in scores()->test, highest score first.
  const QVector<int>& galleryPositions() const { return galleryPositions_; }
  // Shows the symptoms of the gallery's row (as a click does); the position shown, or -1.
  void showSymptoms(int galleryRow);
  int symptomsShown() const { return symptomPosition_; }
  QString topFeaturesText() const;

  AnomalyGallery* gallery() const { return gallery_; }
  SymptomView* symptomView() const { return symptoms_; }
  ScoreHistogram* histogram() const { return histogram_; }
  RocPlot* rocPlot() const { return roc_; }

 signals:
  void computed();
  void scoresComputed(std::shared_ptr<const latentlab::AnomalyScores> scores);
  void message(const QString& text);

 private:
  void startJob();
  void showProgress(const latentlab::AnomalyScoringProgress& p);
  void finished(const AnomalyOutcome& outcome);
  void showScores();
  void updateThreshold();
  void updateGallery();
  void updateControls();

  LabelSession* session_;
  ModelSnapshot model_;
  AnomalyControls* controls_;
  ScoreHistogram* histogram_;
  RocPlot* roc_;
  AnomalyGallery* gallery_;
  SymptomView* symptoms_;
  QLabel* topFeatures_;
  AnomalyWorker* worker_;

  std::shared_ptr<const latentlab::AnomalyScores> scores_;
  std::shared_ptr<const latentlab::DataSplit> scoredData_;  // the data the scores are of
  double threshold_ = 0;
  latentlab::ThresholdCounts counts_;
  QVector<int> galleryPositions_;
  int symptomPosition_ = -1;
};
