#include "app/MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTime>

#include <cmath>

#include "app/AboutDialog.h"
#include "app/AppInfo.h"
#include "app/DataPanel.h"
#include "widgets/FileDialogs.h"
#include "app/LabelPlan.h"
#include "app/LabelSession.h"
#include "app/OffThread.h"
#include "app/ModelFileCheck.h"
#include "app/SettingsPanel.h"
#include "app/TrainingControlsPanel.h"
#include "app/TrainingDashboard.h"
#include "app/anomaly/AnomalyPanel.h"
#include "app/generation/GenerationPanel.h"
#include "app/labelling/LabellingPanel.h"
#include "app/projection/ProjectionPanel.h"
#include "engine/core/Error.h"
#include "engine/core/GemmBackend.h"
#include "engine/data/Mnist.h"
#include "widgets/ImageGrid.h"
#include "widgets/LossPlot.h"

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowIcon(latentlabIcon());
  setObjectName("MainWindow");
  prompts_.ask = [this](const QString& title, const QString& text, QMessageBox::StandardButtons buttons) {
    QMessageBox box(QMessageBox::Question, title, text, buttons, this);
    return QMessageBox::StandardButton(box.exec());
  };
  prompts_.saveFileName = [this](const QString& title, const QString& suggested) {
    const QString path =
        QFileDialog::getSaveFileName(this, title, dialogStartPath(suggested), tr("Latentlab models (*.h5)"));
    rememberDialogFolder(path);
    return path;
  };
  controller_ = new TrainingController(this);
  session_ = new LabelSession(this);
  dashboard_ = new TrainingDashboard;
  setCentralWidget(dashboard_);
  buildDocks();
  buildMenus();

  statusData_ = new QLabel;
  statusLabels_ = new QLabel;
  statusParams_ = new QLabel;
  statusThreads_ = new QLabel;
  statusData_->setObjectName("statusData");
  statusLabels_->setObjectName("statusLabels");
  for (QLabel* l : {statusData_, statusLabels_, statusParams_, statusThreads_}) statusBar()->addPermanentWidget(l);
  setModelPath({});

  connect(controller_, &TrainingController::runStarted, this, [this](qint64 params, int, qint64) {
    parameters_ = params;
    updateStatus();
  });
  connect(controller_, &TrainingController::stepsReported, dashboard_, &TrainingDashboard::addSteps);
  connect(controller_, &TrainingController::stepsReported, this, [this] { setDirty(true); });
  connect(controller_, &TrainingController::epochFinished, this, [this](const EpochPoint& e, const QImage& img) {
    dashboard_->addEpoch(e);
    labels_ = int(e.report.labels);
    const bool curves = img.format() != QImage::Format_Grayscale8;
    reconstructions_->setImage(img, (curves ? tr("epoch %1: test sequences (solid) and their reconstructions (dashed)")
                                            : tr("epoch %1: test images (top) and their reconstructions (bottom)"))
                                        .arg(e.report.epoch));
    updateStatus();
  });
  connect(controller_, &TrainingController::runFinished, this, &MainWindow::onRunFinished);
  connect(controller_, &TrainingController::saved, this, &MainWindow::onSaved);
  connect(controller_, &TrainingController::snapshotReady, this, [this](const ModelSnapshot& s) {
    snapshot_ = s;
    snapshotData_ = runData_;
    labelling_->setModel(s);
    projection_->setModel(s);
    anomaly_->setModel(s);
    if (data_) generation_->setModel(s, data_);
  });
  connect(controller_, &TrainingController::checkpointKept, this, &MainWindow::setCheckpoint);
  connect(controller_, &TrainingController::modelUpdated, labelling_, &LabellingPanel::setModel);
  connect(controller_, &TrainingController::modelUpdated, projection_, &ProjectionPanel::setModel);
  connect(controller_, &TrainingController::modelUpdated, anomaly_, &AnomalyPanel::setModel);
  connect(anomaly_, &AnomalyPanel::scoresComputed, projection_, &ProjectionPanel::setAnomalyScores);
  connect(session_, &LabelSession::changed, this, [this] {
    labels_ = session_->count();
    updateStatus();
    updateLabelsNote();
  });
  connect(settings_, &SettingsPanel::changed, this, &MainWindow::updateLabelsNote);
  connect(session_, &LabelSession::saveFailed, this, [this](const QString& m) { warn(tr("Labels"), m); });
  auto toStatusBar = [this](const QString& m) { statusBar()->showMessage(m, 8000); };
  connect(labelling_, &LabellingPanel::message, this, toStatusBar);
  connect(projection_, &ProjectionPanel::message, this, toStatusBar);
  connect(anomaly_, &AnomalyPanel::message, this, toStatusBar);
  connect(controls_, &TrainingControlsPanel::autosaveDue, this, [this] {
    const QString path = !modelPath_.isEmpty()
                             ? modelPath_
                             : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/autosave.h5";
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (controller_->requestSave(path)) pendingSave_ = path;
  });

  QSettings s;
  TrainingSettings ts;
  ts.load(s);
  projection_->restoreSettings(s);
  anomaly_->restoreSettings(s);
  settings_->setSettings(ts);
  updateLabelsNote();
  dashboard_->setSmoothing(controls_->smoothing());
  restoreGeometry(s.value("window/geometry").toByteArray());
  restoreState(s.value("window/state").toByteArray());
  controls_->restoreSettings(s);
  rebuildRecentMenu();
  const DataImport last = DataImport::load(s);  // the last data set opened, with its options
  if (!last.path().isEmpty() && QFileInfo::exists(last.path()))
    openImport(last);
  else
    openDataset(DataPanel::bundledMnist());
  updateButtons();
}

MainWindow::~MainWindow() { controller_->stopAndWait(1000); }

void MainWindow::openDataset(const QString& folder) { openImport(DataImport::folder(folder)); }

void MainWindow::openImport(const DataImport& import) {
  if (controller_->isRunning()) {
    controls_->setMessage(tr("Stop training before opening another data set."));
    return;
  }
  const QString folder = import.path();
  dataPanel_->showLoading(folder);
  loading_ = true;  // Train and Continue wait for it: they would train on the data set being replaced
  updateButtons();
  const int generation = ++loadGeneration_;
  // Loading 60,000 compressed images takes about a second: off the GUI thread.
  runOffThread(
      this,
      [import] {
        // HDF5 files are walked in a child first: a damaged one that crashes libhdf5 costs a message, not the session.
        if (latentlab::detectFormat(import.request.path) == latentlab::DataFormat::Hdf5) {
          const ModelFileCheck check = checkDataFileInChild(QString::fromStdString(import.request.path));
          if (check.checked && !check.ok) throw latentlab::Error("Workbench", check.error.toStdString());
        }
        return std::make_shared<const latentlab::DataSplit>(openDataImport(import));
      },
      [this, import, generation](std::shared_ptr<const latentlab::DataSplit> data, const QString& error) {
        onDatasetLoaded(import, generation, data, error);
      });
}

void MainWindow::onDatasetLoaded(const DataImport& import, int generation,
                                 std::shared_ptr<const latentlab::DataSplit> data, const QString& error) {
  if (generation != loadGeneration_) return;  // a later choice won
  const QString folder = import.path();
  loading_ = false;
  if (!data) {  // the open data set (if any) stays open, and every part of the window says so
    dataPanel_->showError(error, data_ ? dataFolder_ : QString());
    statusBar()->showMessage(data_ ? tr("Could not open %1: %2 stays open.").arg(folder, QFileInfo(dataFolder_).fileName())
                                   : tr("Could not open %1.").arg(folder),
                             15000);
    updateStatus();
    updateButtons();
    emit datasetFailed(error);
    return;
  }
  data_ = data;
  dataFolder_ = folder;
  projection_->reset();  // before the session changes: its points are samples of the old data
  projection_->setAnomalyScores(nullptr);
  anomaly_->reset();
  const QString labelWarning = session_->open(data);
  labelling_->reset();
  if (!labelWarning.isEmpty()) warn(tr("Labels"), labelWarning);
  if (snapshot_) generation_->setModel(snapshot_, data_);
  dataPanel_->showDataset(import, *data);
  QSettings qs;
  import.save(qs);  // the next start reopens it
  updateStatus();
  updateButtons();
  updateLabelsNote();
  emit datasetLoaded();
}

void MainWindow::startTraining() {
  if (controller_->isRunning() || !data_ || loading_) return;
  if (!checkSettings(false, nullptr)) return;
  whenDiscardable(tr("Train a new model"), true, [this] { launch(nullptr); });
}

void MainWindow::continueTraining() {
  if (controller_->isRunning() || !data_ || loading_) return;
  if (!snapshot_) {
    refuse(tr("There is no model to continue: train one or open a model file."));
    return;
  }
  launch(snapshot_);
}

// Says why a run cannot start: in the Training dock and in a box that does not block.
void MainWindow::refuse(const QString& message) {
  controls_->setMessage(message);
  warn(tr("Training"), message);
}

// The settings as they will be used, or false with the reason shown (an invalid field, labels that cannot be drawn).
bool MainWindow::checkSettings(bool resuming, TrainingSettings* out) {
  const QStringList problems = settings_->problems();
  if (!problems.isEmpty()) {
    refuse(tr("Not started: %1").arg(problems.join("; ")));
    return false;
  }
  const TrainingSettings s = settings_->values();
  // A continued model brings its labels when the session has none; otherwise the session's or a new draw.
  const bool drawsLabels = session_->count() == 0 && !(resuming && snapshot_ && !snapshot_->labels.empty());
  if (drawsLabels) {
    const LabelPlan plan = planLabels(data_.get(), 0, s.labels, s.trainSamples);
    if (plan.error) {
      refuse(tr("Not started: %1").arg(plan.text));
      return false;
    }
  }
  if (out) *out = s;
  return true;
}

void MainWindow::whenDiscardable(const QString& action, bool newModel, std::function<void()> then) {
  const QString name = modelPath_.isEmpty() ? tr("The model") : QFileInfo(modelPath_).fileName();
  if (!snapshot_ && !dirty_) {
    then();
    return;
  }
  if (!dirty_) {
    if (!newModel) {
      then();
      return;
    }
    const auto answer = prompts_.ask(
        action, tr("%1 stays as it was saved, and the new model starts untitled.\nTo train %1 on, press Continue "
                   "instead.")
                    .arg(name),
        QMessageBox::Ok | QMessageBox::Cancel);
    if (answer == QMessageBox::Ok) then();
    return;
  }
  const auto answer = prompts_.ask(action, tr("%1 has training that is not saved. Save it first?").arg(name),
                                   QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Discard) {
    then();
  } else if (answer == QMessageBox::Save) {
    const QString path = !modelPath_.isEmpty() ? modelPath_ : prompts_.saveFileName(tr("Save model"), "model.h5");
    if (path.isEmpty()) return;
    afterSavePath_ = path;
    afterSave_ = std::move(then);
    // Quitting while training: the run ends first, so that the file holds every step (the worker writes it as
    // its last act, or the window does after it).
    if (controller_->isRunning()) controller_->stop();
    saveModel(path);
  }
}

void MainWindow::launch(ModelSnapshot resumeFrom) {
  if (controller_->isRunning() || !data_ || loading_) return;
  TrainingSettings s;
  if (!checkSettings(bool(resumeFrom), &s)) return;
  // The session's labels are the user's: a new session starts from the settings' balanced subset (or the
  // model's labels when continuing one), and every label added while training reaches the next step.
  try {
    if (session_->count() == 0) {
      if (resumeFrom && !resumeFrom->labels.empty())
        session_->assignMany(resumeFrom->labels, tr("Labels of the model"));
      else
        session_->ensureInitialLabels(s.labels, s.train.seed, s.trainSamples);
    }
  } catch (const std::exception& e) {  // checkSettings foresees the draws that fail; this is the last word
    refuse(tr("Not started: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  QSettings qs;
  s.save(qs);  // only settings a run accepted are kept for the next start
  if (!resumeFrom) {  // a new model: it has no file yet, and the old one is left as it was saved
    snapshot_.reset();
    setModelPath({});
  }
  setCheckpoint(nullptr);
  showHistory(resumeFrom.get());  // the history so far, then the new steps after it
  labels_ = session_->count();
  labelling_->setPoolLimit(s.trainSamples);
  controls_->setMessage(tr("Training..."));
  runData_ = data_;
  controller_->start(data_, s, std::move(resumeFrom), session_->labels());
  updateButtons();
  updateStatus();
}

void MainWindow::openModel(const QString& path) {
  if (controller_->isRunning()) {
    refuse(tr("Stop training first: a model cannot be opened while one trains."));
    return;
  }
  whenDiscardable(tr("Open model"), false, [this, path] { readModel(path); });
}

void MainWindow::readModel(const QString& path) {
  controls_->setMessage(tr("Opening %1 ...").arg(path));
  runOffThread(
      this,
      [path] {
        const ModelFileCheck check = checkModelFileInChild(path);  // a crash there costs a message, not the session
        if (check.checked && !check.ok) throw latentlab::Error("Workbench", check.error.toStdString());
        return std::make_shared<const latentlab::ModelFile>(latentlab::readModelFile(path.toStdString()));
      },
      [this, path](ModelSnapshot file, const QString& error) { onModelRead(path, file, error); });
}

void MainWindow::onModelRead(const QString& path, ModelSnapshot file, const QString& error) {
  if (!file) {  // the open model stays as it was
    controls_->setMessage(tr("Could not open %1.").arg(path));
    warn(tr("Open model"), error);
    emit modelOpened(false);
    return;
  }
  snapshot_ = file;
  setCheckpoint(nullptr);
  snapshotData_ = data_ && file->dataset.fingerprint == session_->fingerprint() ? data_ : nullptr;
  if (session_->isOpen() && session_->count() == 0 && !file->labels.empty() && data_ &&
      file->dataset.fingerprint == session_->fingerprint())
    session_->assignMany(file->labels, tr("Labels of %1").arg(QFileInfo(path).fileName()));
  labelling_->setModel(file);
  projection_->setModel(file);
  anomaly_->setModel(file);
  if (data_) generation_->setModel(file, data_);
  setModelPath(path);
  setDirty(false);
  rememberRecent(path);
  controls_->clearProgress();
  reconstructions_->setImage({}, file->training ? tr("%1 is at epoch %2: its reconstructions appear after the next "
                                                     "epoch of training (Continue).")
                                                      .arg(QFileInfo(path).fileName())
                                                      .arg(file->training->state.epoch)
                                                : tr("Reconstructions appear after an epoch of training."));
  TrainingSettings s = settings_->values();
  s.model = file->model;
  if (file->training) {
    s.train.epochs = std::max(s.train.epochs, file->training->config.epochs);
    s.train.learningRate = file->training->config.learningRate;
    s.train.seed = file->training->config.seed;
  }
  settings_->setSettings(s);
  showHistory(file.get());
  controls_->setMessage(file->training ? tr("Opened %1 at epoch %2: Continue trains on from there.")
                                             .arg(QFileInfo(path).fileName())
                                             .arg(file->training->state.epoch)
                                       : tr("Opened %1 (weights only).").arg(QFileInfo(path).fileName()));
  updateButtons();
  emit modelOpened(true);
}

void MainWindow::saveModel(const QString& path) {
  if (controller_->requestSave(path)) {  // the worker writes it after its current step
    pendingSave_ = path;
    controls_->setMessage(tr("Saving %1 after the current step ...").arg(QFileInfo(path).fileName()));
    return;
  }
  if (!snapshot_) {
    controls_->setMessage(tr("Nothing to save yet: train a model or open one."));
    emit modelSaved(path, false);
    return;
  }
  // The labels as they are now: labels added after the run ended (lasso, Accept confident) belong to the model.
  if (session_->isOpen() && session_->count() > 0 && snapshotData_ && snapshotData_ == session_->sharedData()) {
    auto current = std::make_shared<latentlab::ModelFile>(*snapshot_);
    current->labels = *session_->labels()->snapshot();
    snapshot_ = current;
  }
  runOffThread(
      this, [path, file = snapshot_] { latentlab::writeModelFile(path.toStdString(), *file); },
      [this, path](const QString& error) { onSaved(path, error); });
}

void MainWindow::onSaved(const QString& path, const QString& error) {
  if (path == pendingSave_) pendingSave_.clear();
  const bool autosave = path.endsWith("/autosave.h5");
  std::function<void()> then;
  if (path == afterSavePath_) {
    then.swap(afterSave_);
    afterSavePath_.clear();
  }
  if (!error.isEmpty()) {
    controls_->setMessage(tr("Could not save %1: %2").arg(path, error));
    if (then) warn(tr("Save model"), tr("Could not save %1: %2").arg(path, error));  // and nothing is discarded
    emit modelSaved(path, false);
    return;
  }
  if (!autosave) {
    setModelPath(path);
    rememberRecent(path);
  }
  if (!autosave || path == modelPath_) setDirty(false);
  lastSavedPath_ = path;
  lastSavedAt_ = QTime::currentTime();
  statusBar()->showMessage(tr("%1 %2 at %3").arg(autosave ? tr("Autosaved") : tr("Saved"), QDir::toNativeSeparators(path),
                                                 QTime::currentTime().toString("HH:mm:ss")), 10000);
  emit modelSaved(path, true);
  if (then) then();
}

// Says so without blocking: a modal exec() would stall the event loop that carries training's signals.
// One box at a time: a newer warning replaces the text of one still open instead of piling up boxes.
void MainWindow::warn(const QString& title, const QString& text) {
  if (!warnBox_) {
    warnBox_ = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    warnBox_->setAttribute(Qt::WA_DeleteOnClose);
    warnBox_->setModal(false);
  }
  warnBox_->setWindowTitle(title);
  warnBox_->setText(text);
  warnBox_->show();
}

void MainWindow::showHistory(const latentlab::ModelFile* model) {
  dashboard_->clear();
  if (!model || !model->training) return;
  const auto& history = model->training->state;
  dashboard_->addSteps(QVector<StepPoint>(history.steps.begin(), history.steps.end()));
  // A file that keeps an earlier epoch than its run reached (a selection criterion) holds the history up to it.
  const int kept = model->training->selection.empty() ? 0 : history.epoch;
  for (const auto& e : history.epochs)
    dashboard_->addEpoch({e, std::isnan(e.baselineAccuracy) ? -1 : e.baselineAccuracy, kept});
}

void MainWindow::onRunFinished(int status, const QString& message) {
  if (!pendingSave_.isEmpty()) {  // asked for after the worker's last look at its queue
    const QString path = pendingSave_;
    pendingSave_.clear();
    saveModel(path);
  }
  QString text = message;
  if (status == int(latentlab::TrainStatus::NonFiniteLoss)) {  // and what a file holds
    if (!lastSavedPath_.isEmpty())
      text += tr(" The last file saved is %1 (at %2).")
                  .arg(QDir::toNativeSeparators(lastSavedPath_), lastSavedAt_.toString("HH:mm:ss"));
    else if (!modelPath_.isEmpty())
      text += tr(" %1 holds the model as it was opened.").arg(QDir::toNativeSeparators(modelPath_));
    else
      text += tr(" Nothing of this model is saved in a file yet.");
  }
  if (status == int(latentlab::TrainStatus::NonFiniteLoss) || status < 0) warn(tr("Training stopped"), text);
  controls_->setMessage(text);
  updateButtons();
}

void MainWindow::updateButtons() {
  controls_->updateButtons(data_ != nullptr && !loading_, snapshot_ != nullptr);
  settings_->setEnabled(!controller_->isRunning());
}

void MainWindow::updateStatus() {
  if (!data_) statusData_->setText(tr("no data"));
  if (data_) statusData_->setText(tr("%1: %2 training samples").arg(QFileInfo(dataFolder_).fileName()).arg(data_->train.size()));
  statusLabels_->setText(tr("%1 labels").arg(labels_));
  statusParams_->setText(parameters_ ? tr("%1 parameters").arg(parameters_) : QString());
  try {
    // The product backend as measured on this CPU (engine/core/GemmBackend.h); never measures here.
    const QString products = QString::fromStdString(latentlab::gemmDescription());
    statusThreads_->setText(tr("%1 thread(s) · %2")
                                .arg(settings_->settings().threads)
                                .arg(products.startsWith("products") ? products : tr("products: %1").arg(products)));
  } catch (const latentlab::Error&) {
  }
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (dirty_ && !closeConfirmed_) {
    e->ignore();
    whenDiscardable(tr("Quit"), false, [this] {
      closeConfirmed_ = true;
      QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);  // after the save's handlers
    });
    return;
  }
  closeConfirmed_ = false;
  QSettings s;
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  projection_->saveSettings(s);
  anomaly_->saveSettings(s);
  try {
    settings_->settings().save(s);
  } catch (const latentlab::Error&) {
  }
  controller_->stopAndWait(1000);  // a step is tens of milliseconds: this returns quickly
  e->accept();
}

void MainWindow::setModelPath(const QString& path) {
  modelPath_ = path;
  setWindowTitle(tr("Latentlab - %1[*]").arg(path.isEmpty() ? tr("untitled") : QFileInfo(path).fileName()));
}

void MainWindow::setDirty(bool dirty) {
  dirty_ = dirty;
  setWindowModified(dirty);
}

void MainWindow::setCheckpoint(ModelSnapshot checkpoint) {
  checkpoint_ = std::move(checkpoint);
  if (!revertAction_) return;
  revertAction_->setEnabled(checkpoint_ != nullptr);
  revertAction_->setText(checkpoint_ && checkpoint_->training
                             ? tr("Revert to checkpoint of epoch %1").arg(checkpoint_->training->state.epoch)
                             : tr("Revert to checkpoint"));
}

// The model goes back to the checkpoint the run kept at a NaN loss: weights, optimiser, position and history.
void MainWindow::revertToCheckpoint() {
  if (!checkpoint_ || controller_->isRunning()) return;
  snapshot_ = checkpoint_;
  snapshotData_ = runData_;
  setCheckpoint(nullptr);
  labelling_->setModel(snapshot_);
  projection_->setModel(snapshot_);
  anomaly_->setModel(snapshot_);
  if (data_) generation_->setModel(snapshot_, data_);
  showHistory(snapshot_.get());
  setDirty(true);  // not the file's weights any more
  if (!snapshot_->training) return;
  const auto& state = snapshot_->training->state;
  controls_->setMessage(tr("Reverted to the checkpoint of epoch %1 (step %2): lower the learning rate and press "
                           "Continue, or save it.")
                            .arg(state.epoch)
                            .arg(state.step));
  updateButtons();
}

void MainWindow::updateLabelsNote() {
  const TrainingSettings s = settings_->values();
  const LabelPlan plan = planLabels(data_.get(), session_->count(), s.labels, s.trainSamples);
  settings_->setLabelsNote(plan.text, plan.error, plan.fieldApplies);
  labelling_->setValidationShare(s.train.validation.labelFraction);
}
