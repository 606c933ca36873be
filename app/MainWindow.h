#pragma once
// The workbench window: the training dashboard in the middle, docks around it (data, settings, training
// controls, reconstructions, labelling, generation, projection, anomaly). It wires panels to the TrainingController and
// to each other, opens data sets and model files (off the GUI thread, app/OffThread.h); the engine never runs
// here.
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QTime>

#include <functional>
#include <memory>

#include "app/DataImport.h"
#include "app/TrainingController.h"
#include "engine/data/Dataset.h"

class DataPanel;
class LabelSession;
class LabellingPanel;
class GenerationPanel;
class ProjectionPanel;
class AnomalyPanel;
class ExperimentsWindow;
class SettingsPanel;
class TrainingControlsPanel;
class TrainingDashboard;
class ImageGrid;
class QAction;
class QLabel;
class QMenu;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  void openDataset(const QString& folder);  // an IDX folder (any path openData detects), default options
  // Any data set as the Data dock's import dialog describes it; off the GUI thread, then datasetLoaded or
  // datasetFailed (the open data set stays open).
  void openImport(const DataImport& import);
  void startTraining();
  // Continues the open or last model (after opening a file, after Stop, after a NaN loss).
  void continueTraining();
  void openModel(const QString& path);
  void saveModel(const QString& path);
  ModelSnapshot snapshot() const { return snapshot_; }
  QString modelPath() const { return modelPath_; }
  TrainingController* controller() const { return controller_; }
  TrainingDashboard* dashboard() const { return dashboard_; }
  bool hasData() const { return data_ != nullptr; }
  std::shared_ptr<const latentlab::DataSplit> data() const { return data_; }
  DataPanel* dataPanel() const { return dataPanel_; }
  SettingsPanel* settingsPanel() const { return settings_; }
  LabelSession* labelSession() const { return session_; }
  LabellingPanel* labellingPanel() const { return labelling_; }
  ProjectionPanel* projectionPanel() const { return projection_; }
  AnomalyPanel* anomalyPanel() const { return anomaly_; }
  TrainingControlsPanel* controlsPanel() const { return controls_; }
  // After a NaN loss: the earlier epoch end's weights the run kept (null when none), and going back to them.
  ModelSnapshot checkpoint() const { return checkpoint_; }
  void revertToCheckpoint();
  // Steps trained since the model was last saved to its file (asked about before Train, Open model and quitting).
  bool hasUnsavedWork() const { return dirty_; }

  // The questions the window asks (a modal box, a file dialog); tests answer them instead.
  struct Prompts {
    std::function<QMessageBox::StandardButton(const QString& title, const QString& text,
                                              QMessageBox::StandardButtons buttons)>
        ask;
    std::function<QString(const QString& title, const QString& suggested)> saveFileName;
  };
  void setPrompts(Prompts prompts) { prompts_ = std::move(prompts); }

 signals:
  void datasetLoaded();
  void datasetFailed(const QString& error);  // the data set that was open (if any) stays open
  void modelOpened(bool ok);
  void modelSaved(const QString& path, bool ok);

 protected:
  void closeEvent(QCloseEvent* e) override;

 private:
  void buildDocks();
  void buildMenus();
  void updateButtons();
  void updateStatus();
  void showHistory(const latentlab::ModelFile* model);
  void onRunFinished(int status, const QString& message);
  void onSaved(const QString& path, const QString& error);
  void onDatasetLoaded(const DataImport& import, int generation, std::shared_ptr<const latentlab::DataSplit> data,
                       const QString& error);
  void onModelRead(const QString& path, ModelSnapshot file, const QString& error);
  void rememberRecent(const QString& path);
  void warn(const QString& title, const QString& text);
  void rebuildRecentMenu();
  void launch(ModelSnapshot resumeFrom);
  void readModel(const QString& path);  // off the GUI thread, then onModelRead
  bool checkSettings(bool resuming, TrainingSettings* out);
  void refuse(const QString& message);
  // Runs then() once the open model's unsaved steps are saved or given up (asks Save / Discard / Cancel); a new
  // model (newModel) also asks when nothing is unsaved, since the open model stops being the one shown.
  void whenDiscardable(const QString& action, bool newModel, std::function<void()> then);
  void updateLabelsNote();
  void setModelPath(const QString& path);
  void setDirty(bool dirty);
  void setCheckpoint(ModelSnapshot checkpoint);

  TrainingController* controller_;
  TrainingDashboard* dashboard_;
  DataPanel* dataPanel_;
  SettingsPanel* settings_;
  LabelSession* session_;
  LabellingPanel* labelling_;
  GenerationPanel* generation_;
  ProjectionPanel* projection_;
  AnomalyPanel* anomaly_;
  ImageGrid* reconstructions_;
  TrainingControlsPanel* controls_;
  QMenu* recentMenu_ = nullptr;
  ModelSnapshot snapshot_, checkpoint_;
  QAction* revertAction_ = nullptr;
  QString lastSavedPath_;  // the last file this window saved (or autosaved) the model to, and when
  QTime lastSavedAt_;
  QString modelPath_, pendingSave_;
  Prompts prompts_;
  QPointer<QMessageBox> warnBox_;
  bool dirty_ = false, loading_ = false, closeConfirmed_ = false;
  QString afterSavePath_;              // the save whose success runs afterSave_
  std::function<void()> afterSave_;
  QLabel *statusData_, *statusLabels_, *statusParams_, *statusThreads_;

  std::shared_ptr<const latentlab::DataSplit> data_;
  // The data set the last run trained on, and the one the model shown (snapshot_) belongs to: Save writes the
  // label session's labels into the model only when they are labels of that data set.
  std::shared_ptr<const latentlab::DataSplit> runData_, snapshotData_;
  QString dataFolder_;
  ExperimentsWindow* experiments_ = nullptr;  // made when first opened
  int loadGeneration_ = 0;
  qint64 parameters_ = 0;
  int labels_ = 0;
};
