#include "app/TrainingControlsPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>
#include <cmath>

#include "app/TrainingController.h"

TrainingControlsPanel::TrainingControlsPanel(TrainingController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
  auto* v = new QVBoxLayout(this);
  auto* buttons = new QHBoxLayout;
  train_ = new QPushButton(tr("Train"));
  train_->setToolTip(tr("Train a new model with these settings"));
  continue_ = new QPushButton(tr("Continue"));
  continue_->setToolTip(
      tr("Continue the open or last model where it stopped (with the learning rate and epochs set here)"));
  pause_ = new QPushButton(tr("Pause"));
  resume_ = new QPushButton(tr("Resume"));
  stop_ = new QPushButton(tr("Stop"));
  for (QPushButton* b : {train_, continue_, pause_, resume_, stop_}) buttons->addWidget(b);
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
  auto* autosaveRow = new QHBoxLayout;
  autosaveRow->addWidget(new QLabel(tr("Autosave every")));
  autosaveMinutes_ = new QSpinBox;
  autosaveMinutes_->setRange(0, 600);
  autosaveMinutes_->setSuffix(tr(" min"));
  autosaveMinutes_->setSpecialValueText(tr("never"));
  autosaveMinutes_->setToolTip(
      tr("Checkpoint the model while it trains: to its file, or to autosave.h5 in the "
         "application data folder until it has one"));
  autosaveRow->addWidget(autosaveMinutes_);
  autosaveRow->addStretch();
  v->addLayout(autosaveRow);
  v->addStretch();

  autosave_ = new QTimer(this);
  autosave_->setInterval(std::max(1, autosaveMinutes_->value()) * 60000);
  connect(autosave_, &QTimer::timeout, this, [this] {
    if (controller_->isRunning()) emit autosaveDue();
  });
  connect(autosaveMinutes_, qOverload<int>(&QSpinBox::valueChanged), this, [this](int minutes) {
    QSettings().setValue("autosave/minutes", minutes);
    autosave_->setInterval(std::max(1, minutes) * 60000);
    if (minutes == 0)
      autosave_->stop();
    else if (controller_->isRunning())
      autosave_->start();
  });
  connect(train_, &QPushButton::clicked, this, &TrainingControlsPanel::trainRequested);
  connect(continue_, &QPushButton::clicked, this, &TrainingControlsPanel::continueRequested);
  connect(pause_, &QPushButton::clicked, controller_, &TrainingController::pause);
  connect(resume_, &QPushButton::clicked, controller_, &TrainingController::resume);
  connect(stop_, &QPushButton::clicked, controller_, &TrainingController::stop);
  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) { emit smoothingChanged(v / 1000.0); });

  connect(controller_, &TrainingController::runStarted, this, [this](qint64, int, qint64 total) {
    totalSteps_ = total;
    lastStep_ = 0;
    progress_->setRange(0, int(std::min<qint64>(total, INT_MAX)));
    progress_->setValue(0);
    rateClock_.start();
    rateStep_ = 0;
    if (autosaveMinutes_->value() > 0) autosave_->start();
  });
  connect(controller_, &TrainingController::stepsReported, this, [this](const QVector<StepPoint>& steps) {
    if (!steps.isEmpty()) showSteps(steps.back().step, steps.back().epoch);
  });
  connect(controller_, &TrainingController::epochFinished, this, [this](const EpochPoint& e, const QImage&) {
    if (std::isnan(e.report.testAccuracy)) {  // unlabelled test samples: nothing to score against
      message_->setText(tr("Epoch %1: no test labels, so no accuracy").arg(e.report.epoch));
      return;
    }
    message_->setText(tr("Epoch %1: test accuracy %2%%3")
                          .arg(e.report.epoch)
                          .arg(100 * e.report.testAccuracy, 0, 'f', 2)
                          .arg(e.baselineAccuracy >= 0
                                   ? tr(" (supervised baseline %1%)").arg(100 * e.baselineAccuracy, 0, 'f', 2)
                                   : QString()));
  });
  connect(controller_, &TrainingController::pausedChanged, this, [this](bool paused) {
    // The rate and the time left count training time only: the clock starts again at Resume.
    if (!paused) {
      rateClock_.restart();
      rateStep_ = lastStep_;
    }
    message_->setText(paused ? tr("Paused at step %1.").arg(lastStep_) : tr("Training..."));
    refreshButtons();
  });
  connect(controller_, &TrainingController::runFinished, this, [this] {
    autosave_->stop();
    rate_->setText(tr("-"));
  });
  refreshButtons();
}

void TrainingControlsPanel::setMessage(const QString& text) { message_->setText(text); }

void TrainingControlsPanel::clearProgress() {
  progress_->reset();
  progress_->setRange(0, 1);
  rate_->setText(tr("-"));
}

QString TrainingControlsPanel::rateText() const { return rate_->text(); }

QString TrainingControlsPanel::message() const { return message_->text(); }

double TrainingControlsPanel::smoothing() const { return smoothing_->value() / 1000.0; }

int TrainingControlsPanel::autosaveMinutes() const { return autosaveMinutes_->value(); }

void TrainingControlsPanel::restoreSettings(const QSettings& s) {
  autosaveMinutes_->setValue(s.value("autosave/minutes", 5).toInt());
}

void TrainingControlsPanel::updateButtons(bool hasData, bool hasModel) {
  hasData_ = hasData;
  hasModel_ = hasModel;
  refreshButtons();
}

void TrainingControlsPanel::refreshButtons() {
  const bool running = controller_->isRunning();
  train_->setEnabled(!running && hasData_);
  continue_->setEnabled(!running && hasData_ && hasModel_);
  pause_->setEnabled(running && !controller_->isPaused());
  resume_->setEnabled(running && controller_->isPaused());
  stop_->setEnabled(running);
}

void TrainingControlsPanel::showSteps(long step, int epoch) {
  lastStep_ = step;
  progress_->setValue(int(std::min<qint64>(lastStep_, INT_MAX)));
  const double seconds = rateClock_.elapsed() / 1000.0;
  if (seconds <= 0.5 || controller_->isPaused()) return;
  const double rate = (lastStep_ - rateStep_) / seconds;
  const double eta = rate > 0 ? (totalSteps_ - lastStep_) / rate : 0;
  rate_->setText(tr("%1 steps/s, epoch %2, about %3 left")
                     .arg(rate, 0, 'f', 1)
                     .arg(epoch)
                     .arg(eta >= 90 ? tr("%1 min").arg(eta / 60, 0, 'f', 1) : tr("%1 s").arg(eta, 0, 'f', 0)));
  rateClock_.restart();
  rateStep_ = lastStep_;
}
