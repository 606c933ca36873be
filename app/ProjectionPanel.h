#pragma once
// The Projection view: the model's picture of a set of samples in two dimensions. Encodes a chosen set (test,
// training, labelled, or the current selection) with a private copy of the newest model on a pool thread,
// projects the latent means or q(y|x) by PCA or t-SNE (or plots a 2-D latent space directly, over a
// background of images decoded on a grid of that plane) and shows the points coloured by true class,
// prediction, labelled or not, confidence or negative ELBO. Hovering shows the sample under the cursor,
// clicking shows it with its reconstruction and q(y|x); a rectangle or lasso selection can be labelled in one
// undo step, opened as a gallery or exported. With "refresh each epoch" the projection follows training:
// PCA axes stay aligned and t-SNE starts from the previous map, so points move rather than jump.
#include <QElapsedTimer>
#include <QImage>
#include <QVector>
#include <QWidget>

#include <atomic>
#include <memory>
#include <vector>

#include "app/TrainingWorker.h"
#include "engine/core/Types.h"

class LabelSession;
class ProjectionPlot;
class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QFrame;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QTimer;
class QToolButton;

class ProjectionPanel : public QWidget {
  Q_OBJECT
 public:
  enum class Set { Test, Training, Labelled, Selection };
  // ClassLogRatios: log q(y|x) less its mean over the classes (centred log-ratios), where a 0.999 and a
  // 0.99999 differ as much as a 0.5 and a 0.99: confident samples spread out instead of piling up.
  enum class Input { LatentMeans, ClassProbabilities, ClassLogRatios, LatentPlane };
  enum class Method { Pca, Tsne };
  enum class ColourBy { TrueClass, Predicted, Labelled, Confidence, AnomalyScore };

  // The sample behind a plotted point: a training-set column (fromTest false) or a test-set column.
  struct Sample {
    int index = 0;
    bool fromTest = false;
    bool operator==(const Sample&) const = default;
  };

  explicit ProjectionPanel(LabelSession* session, QWidget* parent = nullptr);
  ~ProjectionPanel() override;

  // The newest model (nullptr: none). With "refresh each epoch" checked the projection is computed again.
  void setModel(ModelSnapshot model);
  // The data set changed: cancels a running job and clears the view.
  void reset();

  // Starts a computation with the current controls (no-op without model or data); computed() when done.
  // While one runs, the newest request waits and runs when it ends.
  void compute();
  void cancel();
  bool isComputing() const { return running_; }
  QString statusText() const;  // what the panel last said about its work
  int mapsShown() const { return mapsShown_; }  // finished (not cancelled) computations shown so far

  // Settings, as the controls hold them (for tests and the main window).
  void setSet(Set set);
  void setInput(Input input);
  void setMethod(Method method);
  void setColourBy(ColourBy colour);
  void setSampleCap(int cap);
  void setTsneParameters(double perplexity, int iterations);
  void setRefreshEachEpoch(bool on);
  void setPlaneBackground(bool on, int cls);
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
  // Shows a point's image, reconstruction and q(y|x) in the details area (as a click does).
  void showDetails(int point);
  // Shows the floating image of a point beside it (as hovering does); -1 hides it.
  void showHover(int point);
  bool hoverVisible() const;

 signals:
  void computed();
  void message(const QString& text);

 private:
  struct Encoding;
  struct Result;
  void buildUi();
  void startJob();
  void adopt(std::shared_ptr<const Encoding> encoding);
  void showIntermediate(int job, std::shared_ptr<const Encoding> encoding, const latentlab::Matrix<float>& xy);
  void finished(int job, std::shared_ptr<Result> result);
  void setXy(const latentlab::Matrix<float>& xy, bool fitView);
  void recolour();
  void updateControls();
  void updatePlane();
  QImage sampleAt(int point) const;
  QImage reconstruction(int point);
  latentlab::SemiSupervisedVae<float>* decoder();

  LabelSession* session_;
  ModelSnapshot model_;

  // Controls.
  QComboBox *set_, *input_, *method_, *colour_, *mode_, *planeClass_;
  QSpinBox *cap_, *iterations_;
  QDoubleSpinBox* perplexity_;
  QPushButton *compute_, *cancel_, *gallery_, *exportPng_, *exportCsv_;
  QToolButton* labelAs_;
  QCheckBox *refresh_, *plane_;
  QProgressBar* progress_;
  QLabel *status_, *selectionText_;
  ProjectionPlot* plot_;
  QFrame* hoverTip_;
  QLabel *hoverImage_, *hoverText_;
  QLabel *detailImage_, *detailRecon_, *detailText_;
  QCustomPlot* bars_;
  QTimer* planeTimer_;

  // The job in flight.
  bool running_ = false, again_ = false;
  int job_ = 0;
  int intermediateJob_ = -1;
  int mapsShown_ = 0;  // the last job whose t-SNE map was shown as it formed
  QElapsedTimer jobClock_;
  std::shared_ptr<std::atomic<bool>> cancelFlag_;

  // What is shown: the encoded samples, where they are, the model that encoded them.
  std::shared_ptr<const Encoding> shown_;
  std::unique_ptr<latentlab::SemiSupervisedVae<float>> decoder_;  // shown_'s model, for decoding
  latentlab::Matrix<float> xy_;                                    // (2 x n) as plotted
  int shownInput_ = -1;
  bool shownTsne_ = false;
  latentlab::Matrix<float> previousComponents_;  // the last PCA's axes, to align the next
  int previousInput_ = -1;
  int detailPoint_ = -1;
  QImage planeImage_;
};
