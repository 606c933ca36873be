#include "app/MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QThread>
#include <QVBoxLayout>

#include "app/DataPanel.h"
#include "app/SettingsPanel.h"
#include "app/TrainingDashboard.h"
#include "engine/core/Error.h"
#include "engine/data/Mnist.h"
#include "widgets/ImageGrid.h"
#include "widgets/LossPlot.h"

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Latentlab"));
  setObjectName("MainWindow");
  controller_ = new TrainingController(this);
  dashboard_ = new TrainingDashboard;
  setCentralWidget(dashboard_);
  buildDocks();
  buildMenus();

  statusData_ = new QLabel;
  statusLabels_ = new QLabel;
  statusParams_ = new QLabel;
  statusThreads_ = new QLabel;
  for (QLabel* l : {statusData_, statusLabels_, statusParams_, statusThreads_}) statusBar()->addPermanentWidget(l);

  connect(controller_, &TrainingController::runStarted, this, [this](qint64 params, int, qint64 total) {
    parameters_ = params;
    totalSteps_ = total;
    progress_->setRange(0, int(std::min<qint64>(total, INT_MAX)));
    progress_->setValue(0);
    rateClock_.start();
    rateStep_ = 0;
    updateStatus();
  });
  connect(controller_, &TrainingController::stepsReported, this, &MainWindow::onStepsReported);
  connect(controller_, &TrainingController::epochFinished, this, [this](const EpochPoint& e, const QImage& img) {
    dashboard_->addEpoch(e);
    labels_ = int(e.report.labels);
    reconstructions_->setImage(img, tr("epoch %1: test images (top) and their reconstructions (bottom)").arg(e.report.epoch));
    message_->setText(tr("Epoch %1: test accuracy %2%%3")
                          .arg(e.report.epoch)
                          .arg(100 * e.report.testAccuracy, 0, 'f', 2)
                          .arg(e.baselineAccuracy >= 0 ? tr(" (supervised baseline %1%)").arg(100 * e.baselineAccuracy, 0, 'f', 2)
                                                       : QString()));
    updateStatus();
  });
  connect(controller_, &TrainingController::pausedChanged, this, [this](bool paused) {
    message_->setText(paused ? tr("Paused at step %1.").arg(lastStep_) : tr("Training..."));
    updateButtons();
  });
  connect(controller_, &TrainingController::runFinished, this, &MainWindow::onRunFinished);

  QSettings s;
  TrainingSettings ts;
  ts.load(s);
  settings_->setSettings(ts);
  dashboard_->setSmoothing(smoothing_->value() / 1000.0);
  restoreGeometry(s.value("window/geometry").toByteArray());
  restoreState(s.value("window/state").toByteArray());
  const QString last = s.value("data/folder").toString();
  openDataset(!last.isEmpty() && QFileInfo(last).isDir() ? last : DataPanel::bundledMnist());
  updateButtons();
}

MainWindow::~MainWindow() { controller_->stopAndWait(1000); }

void MainWindow::buildDocks() {
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
  auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(w);
    addDockWidget(area, d);
    return d;
  };
  dataPanel_ = new DataPanel;
  connect(dataPanel_, &DataPanel::folderChosen, this, &MainWindow::openDataset);
  dock(tr("Data"), "dataDock", dataPanel_, Qt::LeftDockWidgetArea);

  settings_ = new SettingsPanel;
  auto* scroll = new QScrollArea;
  scroll->setWidget(settings_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  dock(tr("Model and training"), "settingsDock", scroll, Qt::LeftDockWidgetArea);

  auto* controls = new QWidget;
  auto* v = new QVBoxLayout(controls);
  auto* buttons = new QHBoxLayout;
  train_ = new QPushButton(tr("Train"));
  pause_ = new QPushButton(tr("Pause"));
  resume_ = new QPushButton(tr("Resume"));
  stop_ = new QPushButton(tr("Stop"));
  for (QPushButton* b : {train_, pause_, resume_, stop_}) buttons->addWidget(b);
  v->addLayout(buttons);
  progress_ = new QProgressBar;
  progress_->setFormat(tr("step %v of %m"));
  v->addWidget(progress_);
  rate_ = new QLabel(tr("-"));
  v->addWidget(rate_);
  message_ = new QLabel(tr("Choose settings and press Train."));
  message_->setWordWrap(true);
  v->addWidget(message_);
  auto* smoothRow = new QHBoxLayout;
  smoothRow->addWidget(new QLabel(tr("Smoothing")));
  smoothing_ = new QSlider(Qt::Horizontal);
  smoothing_->setRange(1, 1000);  // EMA weight of the newest point x 1000: left is smoother
  smoothing_->setValue(100);
  smoothing_->setToolTip(tr("Moving-average smoothing of the per-step curves"));
  smoothRow->addWidget(smoothing_);
  v->addLayout(smoothRow);
  v->addStretch();
  connect(train_, &QPushButton::clicked, this, &MainWindow::startTraining);
  connect(pause_, &QPushButton::clicked, controller_, &TrainingController::pause);
  connect(resume_, &QPushButton::clicked, controller_, &TrainingController::resume);
  connect(stop_, &QPushButton::clicked, controller_, &TrainingController::stop);
  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) { dashboard_->setSmoothing(v / 1000.0); });
  dock(tr("Training"), "trainingDock", controls, Qt::RightDockWidgetArea);

  reconstructions_ = new ImageGrid;
  dock(tr("Reconstructions"), "reconstructionDock", reconstructions_, Qt::RightDockWidgetArea);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open IDX folder..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder with the four IDX files"), dataFolder_);
    if (!dir.isEmpty()) openDataset(dir);
  });
  file->addSeparator();
  file->addAction(tr("Export history as CSV..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export history"), "history.csv", tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !dashboard_->exportCsv(path, &error))
      QMessageBox::warning(this, tr("Export history"), tr("Could not write %1: %2").arg(path, error));
  });
  file->addAction(tr("Export plots as PNG..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the plot images"));
    if (!dir.isEmpty()) dashboard_->exportPlots(dir, "png");
  });
  file->addAction(tr("Export plots as PDF..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the plot documents"));
    if (!dir.isEmpty()) dashboard_->exportPlots(dir, "pdf");
  });
  file->addSeparator();
  file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
}

void MainWindow::openDataset(const QString& folder) {
  if (controller_->isRunning()) {
    message_->setText(tr("Stop training before opening another data set."));
    return;
  }
  dataPanel_->showLoading(folder);
  const int generation = ++loadGeneration_;
  // Loading 60,000 compressed images takes about a second: off the GUI thread.
  QThread* loader = QThread::create([this, folder, generation] {
    std::shared_ptr<const latentlab::DataSplit> data;
    QString error;
    try {
      data = std::make_shared<const latentlab::DataSplit>(latentlab::loadIdxFolder(folder.toStdString()));
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [this, folder, generation, data, error] {
      if (generation != loadGeneration_) return;  // a later choice won
      if (!data) {
        dataPanel_->showError(error);
        statusData_->setText(tr("no data"));
        return;
      }
      data_ = data;
      dataFolder_ = folder;
      dataPanel_->showDataset(folder, data->train.size(), data->test.size(), data->train.height, data->train.width,
                              data->train.classes);
      QSettings().setValue("data/folder", folder);
      updateStatus();
      updateButtons();
      emit datasetLoaded();
    }, Qt::QueuedConnection);
  });
  connect(loader, &QThread::finished, loader, &QObject::deleteLater);
  loader->start();
}

void MainWindow::startTraining() {
  if (controller_->isRunning() || !data_) return;
  TrainingSettings s;
  try {
    s = settings_->settings();
  } catch (const latentlab::Error& e) {
    QMessageBox::warning(this, tr("Settings"), QString::fromStdString(e.what()));
    return;
  }
  QSettings qs;
  s.save(qs);
  dashboard_->clear();
  lastStep_ = 0;
  labels_ = s.labels > 0 ? s.labels : data_->train.size();
  message_->setText(tr("Training..."));
  controller_->start(data_, s);
  updateButtons();
  updateStatus();
}

void MainWindow::onStepsReported(const QVector<StepPoint>& steps) {
  if (steps.isEmpty()) return;
  dashboard_->addSteps(steps);
  lastStep_ = steps.back().step;
  progress_->setValue(int(std::min<qint64>(lastStep_, INT_MAX)));
  const double seconds = rateClock_.elapsed() / 1000.0;
  if (seconds > 0.5) {
    const double rate = (lastStep_ - rateStep_) / seconds;
    const double eta = rate > 0 ? (totalSteps_ - lastStep_) / rate : 0;
    rate_->setText(tr("%1 steps/s, epoch %2, about %3 left")
                       .arg(rate, 0, 'f', 1)
                       .arg(steps.back().epoch)
                       .arg(eta >= 90 ? tr("%1 min").arg(eta / 60, 0, 'f', 1) : tr("%1 s").arg(eta, 0, 'f', 0)));
    rateClock_.restart();
    rateStep_ = lastStep_;
  }
}

void MainWindow::onRunFinished(int status, const QString& message) {
  if (status == int(latentlab::TrainStatus::NonFiniteLoss) || status < 0)
    QMessageBox::warning(this, tr("Training stopped"), message);
  message_->setText(message);
  rate_->setText(tr("-"));
  updateButtons();
}

void MainWindow::updateButtons() {
  const bool running = controller_->isRunning();
  train_->setEnabled(!running && data_);
  pause_->setEnabled(running && !controller_->isPaused());
  resume_->setEnabled(running && controller_->isPaused());
  stop_->setEnabled(running);
  settings_->setEnabled(!running);
}

void MainWindow::updateStatus() {
  if (data_) statusData_->setText(tr("%1: %2 training samples").arg(QFileInfo(dataFolder_).fileName()).arg(data_->train.size()));
  statusLabels_->setText(tr("%1 labels").arg(labels_));
  statusParams_->setText(parameters_ ? tr("%1 parameters").arg(parameters_) : QString());
  try {
    statusThreads_->setText(tr("%1 thread(s)").arg(settings_->settings().threads));
  } catch (const latentlab::Error&) {
  }
}

void MainWindow::closeEvent(QCloseEvent* e) {
  QSettings s;
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  try {
    settings_->settings().save(s);
  } catch (const latentlab::Error&) {
  }
  controller_->stopAndWait(1000);  // a step is tens of milliseconds: this returns quickly
  e->accept();
}
