// The workbench window's docks, menus and recent-files menu: how it is laid out and what each entry calls
// (MainWindow.cpp holds what the window does).
#include "app/MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
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
#include "app/experiments/ExperimentsWindow.h"
#include "app/generation/GenerationPanel.h"
#include "app/labelling/LabellingPanel.h"
#include "app/projection/ProjectionPanel.h"
#include "engine/core/Error.h"
#include "engine/core/GemmBackend.h"
#include "engine/data/Mnist.h"
#include "widgets/ImageGrid.h"
#include "widgets/LossPlot.h"

void MainWindow::buildDocks() {
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
  // The wide panels sit in scroll areas: a panel wider than its dock scrolls, instead of widening the window
  // past the screen (1366 px screens with the Generation dock's class buttons, the Anomaly dock's controls).
  auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area,
                     bool scrolls = false) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    if (scrolls) {
      auto* scroll = new QScrollArea;
      scroll->setWidget(w);
      scroll->setWidgetResizable(true);
      scroll->setFrameShape(QFrame::NoFrame);
      scroll->setMinimumWidth(360);
      d->setWidget(scroll);
    } else {
      d->setWidget(w);
    }
    addDockWidget(area, d);
    return d;
  };
  dataPanel_ = new DataPanel;
  connect(dataPanel_, &DataPanel::folderChosen, this, &MainWindow::openDataset);
  connect(dataPanel_, &DataPanel::importChosen, this, &MainWindow::openImport);
  dock(tr("Data"), "dataDock", dataPanel_, Qt::LeftDockWidgetArea);

  settings_ = new SettingsPanel;
  auto* scroll = new QScrollArea;
  scroll->setWidget(settings_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  // The dock is never narrower than the form (names and readable values); it scrolls vertically only.
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(settings_->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
  dock(tr("Model and training"), "settingsDock", scroll, Qt::LeftDockWidgetArea);

  controls_ = new TrainingControlsPanel(controller_);
  connect(controls_, &TrainingControlsPanel::trainRequested, this, &MainWindow::startTraining);
  connect(controls_, &TrainingControlsPanel::continueRequested, this, &MainWindow::continueTraining);
  connect(controls_, &TrainingControlsPanel::smoothingChanged, dashboard_, &TrainingDashboard::setSmoothing);
  dock(tr("Training"), "trainingDock", controls_, Qt::RightDockWidgetArea);

  reconstructions_ = new ImageGrid;
  QDockWidget* reconstructionDock =
      dock(tr("Reconstructions"), "reconstructionDock", reconstructions_, Qt::RightDockWidgetArea);

  labelling_ = new LabellingPanel(session_);
  QDockWidget* labellingDock = dock(tr("Labelling"), "labellingDock", labelling_, Qt::RightDockWidgetArea, true);
  tabifyDockWidget(reconstructionDock, labellingDock);

  generation_ = new GenerationPanel;
  QDockWidget* generationDock = dock(tr("Generation"), "generationDock", generation_, Qt::RightDockWidgetArea, true);
  tabifyDockWidget(labellingDock, generationDock);

  projection_ = new ProjectionPanel(session_);
  QDockWidget* projectionDock = dock(tr("Projection"), "projectionDock", projection_, Qt::RightDockWidgetArea, true);
  tabifyDockWidget(generationDock, projectionDock);

  anomaly_ = new AnomalyPanel(session_);
  QDockWidget* anomalyDock = dock(tr("Anomaly"), "anomalyDock", anomaly_, Qt::RightDockWidgetArea, true);
  tabifyDockWidget(projectionDock, anomalyDock);
  labellingDock->raise();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open model..."), QKeySequence::Open, this, [this] {
    if (controller_->isRunning()) {  // said before the file is chosen, not after
      refuse(tr("Stop training first: a model cannot be opened while one trains."));
      return;
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), dialogStartPath(modelPath_),
                                                      tr("Latentlab models (*.h5 *.hdf5);;All files (*)"));
    rememberDialogFolder(path);
    if (!path.isEmpty()) openModel(path);
  });
  recentMenu_ = file->addMenu(tr("Open recent model"));
  file->addAction(tr("Save model"), QKeySequence::Save, this, [this] {
    if (modelPath_.isEmpty()) {
      const QString path = prompts_.saveFileName(tr("Save model"), "model.h5");
      if (!path.isEmpty()) saveModel(path);
    } else {
      saveModel(modelPath_);
    }
  });
  file->addAction(tr("Save model as..."), QKeySequence::SaveAs, this, [this] {
    const QString path = prompts_.saveFileName(tr("Save model as"), modelPath_.isEmpty() ? "model.h5" : modelPath_);
    if (!path.isEmpty()) saveModel(path);
  });
  revertAction_ = file->addAction(tr("Revert to checkpoint"), this, &MainWindow::revertToCheckpoint);
  revertAction_->setEnabled(false);
  revertAction_->setToolTip(tr("After a NaN loss: go back to the weights of the last epoch end before the loss rose"));
  file->addSeparator();
  file->addAction(tr("Open IDX folder..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder with the four IDX files"),
                                                          dialogStartPath(QString()));
    rememberDialogFolder(dir, true);
    if (!dir.isEmpty()) openDataset(dir);
  });
  file->addAction(tr("Open data file..."), this, [this] { dataPanel_->chooseDataFile(); });
  file->addSeparator();
  file->addAction(tr("Export history as CSV..."), this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export history"), dialogStartPath("history.csv"), tr("CSV (*.csv)"));
    rememberDialogFolder(path);
    QString error;
    if (!path.isEmpty() && !dashboard_->exportCsv(path, &error))
      warn(tr("Export history"), tr("Could not write %1: %2").arg(path, error));
  });
  file->addAction(tr("Export plots as PNG..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the plot images"), dialogStartPath({}));
    rememberDialogFolder(dir, true);
    if (!dir.isEmpty()) dashboard_->exportPlots(dir, "png");
  });
  file->addAction(tr("Export plots as PDF..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the plot documents"), dialogStartPath({}));
    rememberDialogFolder(dir, true);
    if (!dir.isEmpty()) dashboard_->exportPlots(dir, "pdf");
  });
  file->addSeparator();
  file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = session_->undoStack()->createUndoAction(this, tr("Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = session_->undoStack()->createRedoAction(this, tr("Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  tools->addAction(tr("Experiments..."), this, [this] {
    // One window, kept while the workbench runs: a sweep goes on while it is closed.
    if (!experiments_) {
      const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
      experiments_ = new ExperimentsWindow(dataFolder_, QDir(docs.isEmpty() ? QDir::homePath() : docs)
                                                            .filePath("Latentlab experiments"), this);
    }
    experiments_->show();
    experiments_->raise();
  });
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Latentlab"), this, [this] {
    auto* about = new AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->show();  // not exec(): training's signals keep flowing
  });
  help->addAction(tr("About &Qt"), this, [this] { QMessageBox::aboutQt(this); });
}

void MainWindow::rememberRecent(const QString& path) {
  QSettings s;
  QStringList recent = s.value("models/recent").toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > 8) recent.removeLast();
  s.setValue("models/recent", recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  const QStringList recent = QSettings().value("models/recent").toStringList();
  for (const QString& path : recent) recentMenu_->addAction(path, this, [this, path] { openModel(path); });
  recentMenu_->setEnabled(!recent.isEmpty());
}

// The dashboard shows a model's history (its steps and epochs), or nothing for a model without one.
