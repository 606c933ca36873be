#pragma once
// The Projection view's controls, the column left of the plot: which samples (set, at most how many), what to
// project and how (input, method, t-SNE's perplexity and iterations, the latent plane's decoded background),
// Compute and Cancel with the job's progress and status, refresh each epoch, colouring, the mouse mode, and what
// to do with the selection (label it, a gallery) and the map (export). The panel reads the settings when it
// starts a job and answers the buttons' signals; the controls remember themselves in QSettings.
#include <QStringList>
#include <QWidget>

#include "engine/projection/ProjectionJob.h"
#include "widgets/ProjectionPlot.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QToolButton;

class ProjectionControls : public QWidget {
  Q_OBJECT
 public:
  enum class Set { Test, Training, Labelled, Selection };
  enum class ColourBy { TrueClass, Predicted, Labelled, Confidence, AnomalyScore };

  explicit ProjectionControls(QWidget* parent = nullptr);

  Set set() const;
  int sampleCap() const;
  latentlab::ProjectionInput input() const;
  latentlab::ProjectionMethod method() const;
  bool tsne() const;  // t-SNE asked for, and an input it applies to
  double perplexity() const;
  int iterations() const;
  bool refreshEachEpoch() const;
  ColourBy colourBy() const;
  bool planeBackground() const;
  int planeClass() const;

  void setSet(Set set);
  void setInput(latentlab::ProjectionInput input);
  void setMethod(latentlab::ProjectionMethod method);
  void setColourBy(ColourBy colour);
  void setSampleCap(int cap);
  void setTsneParameters(double perplexity, int iterations);
  void setRefreshEachEpoch(bool on);
  void setPlaneBackground(bool on, int cls);  // emits planeChanged

  // The class names for the plane's background and the "Label selection as" menu.
  void setClassNames(const QStringList& names);
  // What may be done now: without a 2-D latent (and with a model) the latent plane cannot be chosen.
  void updateFor(bool hasModel, bool latent2, bool canCompute, bool running);
  // The selection: how many points, how many of them training samples; whether any points are shown.
  void showSelection(int selected, int training, bool hasPoints);
  void setProgress(int percent);
  void setStatus(const QString& text);
  QString status() const;

  void saveSettings(QSettings& s) const;
  void restoreSettings(const QSettings& s);

 signals:
  void computeClicked();
  void cancelClicked();
  void colourChanged();
  void mouseModeChanged(ProjectionPlot::SelectionMode mode);
  void planeChanged();  // the background switched on or off, or another class
  void labelSelectionAs(int cls);
  void galleryClicked();
  void exportImageClicked();
  void exportCsvClicked();
  void exportProjectorClicked();

 private:
  void refreshEnabled();

  QComboBox *set_, *input_, *method_, *colour_, *mode_, *planeClass_;
  QSpinBox *cap_, *iterations_;
  QDoubleSpinBox* perplexity_;
  QPushButton *compute_, *cancel_, *gallery_, *exportPng_, *exportCsv_, *exportProjector_;
  QToolButton* labelAs_;
  QCheckBox *refresh_, *plane_;
  QProgressBar* progress_;
  QLabel *status_, *selectionText_;
  QStringList classNames_;
  bool hasModel_ = false, latent2_ = false;
};
