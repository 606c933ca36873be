#pragma once
// The Projection view: the model's picture of a set of samples in two dimensions. The controls (left) choose a set
// (test, training, labelled, or the current selection), what to project and how; a ProjectionWorker runs the
// engine's ProjectionJob off the GUI thread with a private copy of the newest model, and the panel shows its maps:
// the latent means or q(y|x) by PCA or t-SNE, or a 2-D latent space directly over a background of images decoded
// on a grid of that plane (LatentPlane.h). Points are coloured by true class, prediction, labelled or not,
// confidence or an anomaly score (the Anomaly view's, else the negative ELBO). Hovering floats the sample beside its point (HoverTip), clicking shows it with
// its reconstruction and q(y|x) (SampleDetails); a rectangle or lasso selection can be labelled in one undo step,
// opened as a gallery or exported. With "refresh each epoch" the projection follows training: PCA axes stay
// aligned and t-SNE starts from the previous map, so points move rather than jump.
#include <QImage>
#include <QWidget>
#include <memory>
#include <vector>

#include "app/TrainingWorker.h"  // ModelSnapshot
#include "app/projection/ProjectionControls.h"
#include "engine/anomaly/AnomalyScoringJob.h"
#include "engine/projection/ProjectionJob.h"

class HoverTip;
class LabelSession;
class ProjectionPlot;
class ProjectionWorker;
class SampleDetails;
class QSettings;
class QTimer;
struct ProjectionOutcome;

class ProjectionPanel : public QWidget {
  Q_OBJECT
 public:
  using Set = ProjectionControls::Set;
  using Input = latentlab::ProjectionInput;  // LatentMeans, ClassProbabilities, ClassLogRatios, LatentPlane
  using Method = latentlab::ProjectionMethod;
  using ColourBy = ProjectionControls::ColourBy;
  using Sample = latentlab::SampleRef;  // the sample behind a plotted point

  explicit ProjectionPanel(LabelSession* session, QWidget* parent = nullptr);
  ~ProjectionPanel() override;

  // The newest model (nullptr: none). With "refresh each epoch" checked the projection is computed again.
  void setModel(ModelSnapshot model);
  // The data set changed: cancels a running job and clears the view.
  void reset();
  // The Anomaly view's newest scores: "Anomaly score" colours by them (the samples they cover) instead of the
  // negative ELBO at the posterior mean. nullptr: back to the negative ELBO.
  void setAnomalyScores(std::shared_ptr<const latentlab::AnomalyScores> scores);

  // Starts a computation with the current controls (no-op without model or data); computed() when done.
  // While one runs, the newest request waits and runs when it ends.
  void compute();
  void cancel();
  bool isComputing() const;
  QString statusText() const;                   // what the panel last said about its work
  int mapsShown() const { return mapsShown_; }  // finished (not cancelled) computations shown so far

  // Settings, as the controls hold them (for tests and the main window).
  void setSet(Set set) { controls_->setSet(set); }
  void setInput(Input input) { controls_->setInput(input); }
  void setMethod(Method method) { controls_->setMethod(method); }
  void setColourBy(ColourBy colour) { controls_->setColourBy(colour); }
  void setSampleCap(int cap) { controls_->setSampleCap(cap); }
  void setTsneParameters(double perplexity, int iterations) { controls_->setTsneParameters(perplexity, iterations); }
  void setRefreshEachEpoch(bool on) { controls_->setRefreshEachEpoch(on); }
  void setPlaneBackground(bool on, int cls) { controls_->setPlaneBackground(on, cls); }
  void saveSettings(QSettings& s) const;
  void restoreSettings(const QSettings& s);

  ProjectionPlot* plot() const { return plot_; }
  const std::vector<Sample>& samples() const;
  int predicted(int point) const;
  // The decoded latent plane under the points (null when not shown).
  QImage planeImage() const { return planeImage_; }

  // Labels the selected training-set points as class cls (one undo step); returns how many were labelled.
  int labelSelection(int cls);
  void openGallery();
  bool exportPng(const QString& path);
  // index (the sample's column in its set), x, y, class, prediction, labelled, set (training or test).
  bool exportCsv(const QString& path) const;
  // The shown samples for TensorBoard's Embedding Projector (engine/export/EmbeddingExport.h) in folder: the
  // projected vectors (latent means for a latent map, else q(y|x)'s log-ratios or q(y|x) as projected), their
  // metadata, a sprite and the configs, and embedding.npz. Written off the GUI thread; embeddingExported(folder,
  // error) tells when it is done (error empty on success). False when nothing is shown.
  bool exportEmbedding(const QString& folder);
  // Shows a point's image, reconstruction and q(y|x) in the details area (as a click does).
  void showDetails(int point);
  const SampleDetails* details() const { return details_; }
  // Shows the floating image of a point beside it (as hovering does); -1 hides it.
  void showHover(int point);
  bool hoverVisible() const;

 signals:
  void computed();
  void message(const QString& text);
  void embeddingExported(const QString& folder, const QString& error);

 private:
  void startJob();
  void showProgress(const latentlab::ProjectionProgress& p);
  void showForming(const std::shared_ptr<const latentlab::ProjectionEncoding>& encoding,
                   const latentlab::Matrix<float>& xy);
  void finished(const ProjectionOutcome& outcome);
  void adopt(std::shared_ptr<const latentlab::ProjectionEncoding> encoding);
  void setXy(const latentlab::Matrix<float>& xy, bool fitView);
  void recolour();
  void updateControls();
  void updatePlane();
  // The set holding the point's sample; null when the point or the data no longer has it.
  const latentlab::Dataset* datasetOf(int point) const;
  QImage sampleAt(int point) const;
  QImage reconstruction(int point);
  latentlab::SemiSupervisedVae<float>* decoder();

  LabelSession* session_;
  ModelSnapshot model_;

  // Views.
  ProjectionControls* controls_;
  ProjectionPlot* plot_;
  HoverTip* hover_;
  SampleDetails* details_;
  QTimer* planeTimer_;

  // The job in flight, and what it was asked.
  ProjectionWorker* worker_;
  bool again_ = false;         // a newer request waits for the running job
  bool formingShown_ = false;  // the running job's t-SNE map was shown as it formed
  bool jobTsne_ = false, jobRefresh_ = false;
  Input jobInput_ = Input::LatentMeans;
  int mapsShown_ = 0;

  // What is shown: the encoded samples, the model that encoded them, where they are.
  std::shared_ptr<const latentlab::ProjectionEncoding> shown_;
  ModelSnapshot shownModel_;
  std::unique_ptr<latentlab::SemiSupervisedVae<float>> decoder_;  // shownModel_, for decoding
  latentlab::Matrix<float> xy_;                                   // (2 x n) as plotted
  int shownInput_ = -1;
  bool shownTsne_ = false;
  latentlab::Matrix<float> previousComponents_;  // the last PCA's axes, to align the next
  int previousInput_ = -1;
  int detailPoint_ = -1;
  QImage planeImage_;
  std::shared_ptr<const latentlab::AnomalyScores> anomalyScores_;
};
