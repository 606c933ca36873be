#include "app/experiments/ExperimentsWindow.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileSystemWatcher>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>
#include <cmath>

#include "app/experiments/ReportPlotter.h"
#include "app/experiments/SweepRunner.h"
#include "engine/core/Error.h"
#include "engine/core/JsonValue.h"
#include "engine/experiment/ExperimentReport.h"
#include "engine/experiment/ExperimentRun.h"

using namespace latentlab;

namespace {
enum Column { kRun, kStatus, kProgress, kFigures, kSeconds, kColumns };

// "accuracy 93.41%, log loss 0.231" or "AUROC off 0.812, on 0.861"
QString figuresText(const JsonValue& f) {
  if (f.has("test_accuracy"))
    return QObject::tr("accuracy %1%, log loss %2")
        .arg(100 * f["test_accuracy"].number(std::nan("")), 0, 'f', 2)
        .arg(f["test_log_loss"].number(std::nan("")), 0, 'f', 3);
  if (f.has("auroc_on") || f.has("auroc_off"))
    return QObject::tr("AUROC off %1, on %2, PCA %3")
        .arg(f["auroc_off"].number(std::nan("")), 0, 'f', 3)
        .arg(f["auroc_on"].number(std::nan("")), 0, 'f', 3)
        .arg(f["auroc_pca"].number(std::nan("")), 0, 'f', 3);
  return {};
}
}  // namespace

ExperimentsWindow::ExperimentsWindow(const QString& dataPath, const QString& dir, QWidget* parent)
    : QWidget(parent, Qt::Window), runner_(new SweepRunner(this)) {
  setWindowTitle(tr("Experiments — Latentlab"));
  experiment_ = new QComboBox;
  experiment_->addItem(tr("Classification: SS against EQ_S at each label count"), "classification");
  experiment_->addItem(tr("Regulariser: every label, accuracy and log loss"), "regulariser");
  experiment_->addItem(tr("Anomaly: each class held out, labels off against on"), "anomaly");
  flavour_ = new QComboBox;
  for (const char* f : {"dense", "conv", "recurrent"}) flavour_->addItem(f, f);
  data_ = new QLineEdit(dataPath);
  seeds_ = new QLineEdit("1,2,3");
  labelCounts_ = new QLineEdit("100,1000,all");
  epochs_ = new QSpinBox;
  epochs_->setRange(0, 10000);
  epochs_->setSpecialValueText(tr("the article's (20 images, 40 sequences; anomaly 10)"));
  trainSamples_ = new QSpinBox;
  trainSamples_->setRange(0, 100000000);
  trainSamples_->setSpecialValueText(tr("all"));
  testSamples_ = new QSpinBox;
  testSamples_->setRange(0, 100000000);
  testSamples_->setSpecialValueText(tr("all"));
  dir_ = new QLineEdit(dir);
  auto browse = [this](QLineEdit* edit, bool folder) {
    auto* b = new QPushButton(tr("Choose..."));
    connect(b, &QPushButton::clicked, this, [this, edit, folder] {
      const QString p = folder ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), edit->text())
                               : QFileDialog::getOpenFileName(this, tr("Choose a data file"), edit->text());
      if (!p.isEmpty()) edit->setText(p);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(b);
    return row;
  };
  auto* form = new QFormLayout;
  form->addRow(tr("Experiment"), experiment_);
  form->addRow(tr("Flavour"), flavour_);
  form->addRow(tr("Data"), browse(data_, true));
  form->addRow(tr("Seeds"), seeds_);
  form->addRow(tr("Label counts"), labelCounts_);
  form->addRow(tr("Epochs"), epochs_);
  form->addRow(tr("Training samples"), trainSamples_);
  form->addRow(tr("Test samples"), testSamples_);
  form->addRow(tr("Results folder"), browse(dir_, true));
  auto* sweep = new QGroupBox(tr("Sweep (the same runs and files as `latentlab-cli experiment`)"));
  sweep->setLayout(form);

  planButton_ = new QPushButton(tr("Plan"));
  runButton_ = new QPushButton(tr("Run"));
  cancelButton_ = new QPushButton(tr("Cancel"));
  reportButton_ = new QPushButton(tr("Report"));
  cancelButton_->setEnabled(false);
  auto* buttons = new QHBoxLayout;
  for (QPushButton* b : {planButton_, runButton_, cancelButton_, reportButton_}) buttons->addWidget(b);
  buttons->addStretch(1);
  overall_ = new QProgressBar;
  overall_->setRange(0, 1000);
  overall_->setValue(0);
  overall_->setFormat(tr("no sweep planned"));
  message_ = new QLabel;
  message_->setWordWrap(true);

  table_ = new QTableWidget(0, kColumns);
  table_->setHorizontalHeaderLabels({tr("Run"), tr("Status"), tr("Progress"), tr("Figures"), tr("Seconds")});
  table_->horizontalHeader()->setSectionResizeMode(kRun, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(kFigures, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  report_ = new QTextBrowser;
  report_->setOpenExternalLinks(true);
  report_->setPlaceholderText(tr("Report writes report.md and its plots into the results folder and shows it here."));
  tabs_ = new QTabWidget;
  tabs_->addTab(table_, tr("Runs"));
  tabs_->addTab(report_, tr("Report"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(sweep);
  layout->addLayout(buttons);
  layout->addWidget(overall_);
  layout->addWidget(message_);
  layout->addWidget(tabs_, 1);
  resize(980, 760);

  watcher_ = new QFileSystemWatcher(this);
  connect(watcher_, &QFileSystemWatcher::directoryChanged, this, [this] { refreshFromFolder(); });
  connect(planButton_, &QPushButton::clicked, this, [this] { plan(); });
  connect(runButton_, &QPushButton::clicked, this, &ExperimentsWindow::run);
  connect(cancelButton_, &QPushButton::clicked, this, &ExperimentsWindow::cancel);
  connect(reportButton_, &QPushButton::clicked, this, [this] { writeReport(); });

  connect(runner_, &SweepRunner::planned, this, [this](const std::vector<RunSpec>& runs) {
    runs_ = runs;
    fractions_.assign(runs.size(), 0.0);
    table_->setRowCount(int(runs.size()));
    for (int r = 0; r < int(runs.size()); ++r) {
      table_->setItem(r, kRun, new QTableWidgetItem(QString::fromStdString(runs[size_t(r)].id())));
      auto* bar = new QProgressBar;
      bar->setRange(0, 1000);
      bar->setValue(0);
      table_->setCellWidget(r, kProgress, bar);
      setStatus(r, tr("to do"));
      table_->setItem(r, kFigures, new QTableWidgetItem);
      table_->setItem(r, kSeconds, new QTableWidgetItem);
    }
    const QString dir = resultsFolder();
    if (!watcher_->directories().isEmpty()) watcher_->removePaths(watcher_->directories());
    if (QDir(dir).exists()) watcher_->addPath(dir);
    refreshFromFolder();
  });
  connect(runner_, &SweepRunner::runProgress, this, [this](int run, double fraction, const QString& stage) {
    if (run < 0 || run >= int(runs_.size())) return;
    fractions_[size_t(run)] = fraction;
    if (auto* bar = qobject_cast<QProgressBar*>(table_->cellWidget(run, kProgress)))
      bar->setValue(int(1000 * fraction));
    setStatus(run, tr("running: %1").arg(stage));
    updateOverall();
  });
  connect(runner_, &SweepRunner::runSkipped, this, [this](int run) {
    if (run >= 0 && run < int(runs_.size())) fractions_[size_t(run)] = 1;
    refreshFromFolder();
  });
  connect(runner_, &SweepRunner::runFinished, this, [this](int run, const QString& figures, double seconds) {
    if (run < 0 || run >= int(runs_.size())) return;
    fractions_[size_t(run)] = 1;
    showFigures(run, figures, seconds);
    setStatus(run, tr("done"));
    if (watcher_->directories().isEmpty()) watcher_->addPath(resultsFolder());
    updateOverall();
  });
  connect(runner_, &SweepRunner::finished, this, [this](int ran, int skipped, bool cancelled, const QString& error) {
    setRunning(false);
    int done = 0;
    for (double f : fractions_) done += f >= 1;
    if (error.isEmpty() && planOnly_)
      message_->setText(tr("%1 runs planned, %2 done before. Run trains the others; `latentlab-cli experiment ... "
                           "--plan` prints them as command lines for other machines.")
                            .arg(runs_.size())
                            .arg(done));
    else if (!error.isEmpty())
      message_->setText(tr("The sweep stopped: %1").arg(error));
    else if (cancelled)
      message_->setText(tr("Cancelled: %1 runs done now, %2 done before. The run under way left no file; Run "
                           "continues where it stopped.")
                            .arg(ran)
                            .arg(skipped));
    else
      message_->setText(tr("%1 runs done now, %2 done before.").arg(ran).arg(skipped));
    for (int r = 0; r < int(runs_.size()); ++r)
      if (table_->item(r, kStatus) && table_->item(r, kStatus)->text().startsWith(tr("running")))
        setStatus(r, tr("stopped (runs again next time)"));
    if (error.isEmpty() && !cancelled && !planOnly_ && !runs_.empty()) {
      const QString summary = message_->text();
      if (writeReport()) message_->setText(summary + " " + tr("The report is in the Report tab."));
    }
    emit sweepFinished();
  });
}

ExperimentsWindow::~ExperimentsWindow() { runner_->cancel(); }

void ExperimentsWindow::setRequestText(const QString& experiment, const QString& seeds, const QString& labelCounts,
                                       int epochs, int trainSamples, int testSamples) {
  experiment_->setCurrentIndex(experiment_->findData(experiment));
  seeds_->setText(seeds);
  labelCounts_->setText(labelCounts);
  epochs_->setValue(epochs);
  trainSamples_->setValue(trainSamples);
  testSamples_->setValue(testSamples);
}

QString ExperimentsWindow::message() const { return message_->text(); }
QString ExperimentsWindow::resultsFolder() const { return dir_->text().trimmed(); }
bool ExperimentsWindow::isRunning() const { return runner_->isRunning(); }

bool ExperimentsWindow::plan() { return start(false); }
void ExperimentsWindow::run() { start(true); }

bool ExperimentsWindow::start(bool run) {
  if (runner_->isRunning()) return false;
  ExperimentRequest r;
  try {
    r.protocol = experimentProtocolFromString(experiment_->currentData().toString().toStdString());
    r.flavour = flavourFromString(flavour_->currentData().toString().toStdString());
    r.data = data_->text().trimmed().toStdString();
    r.seeds = parseSeeds(seeds_->text().toStdString());
    r.labelCounts = parseLabelCounts(labelCounts_->text().toStdString());
    r.epochs = epochs_->value();
    r.trainSamples = trainSamples_->value();
    r.testSamples = testSamples_->value();
    r.validate();
    if (r.data.empty()) throw Error("Experiment", "choose the data to run on");
    if (resultsFolder().isEmpty()) throw Error("Experiment", "choose a results folder");
  } catch (const Error& e) {
    message_->setText(tr("Cannot plan: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  planOnly_ = !run;
  setRunning(true);
  message_->setText(run ? tr("Opening the data and running...") : tr("Opening the data to plan..."));
  runner_->start(r, resultsFolder(), run);
  return true;
}
void ExperimentsWindow::cancel() {
  runner_->cancel();
  message_->setText(tr("Cancelling: the run under way stops within a step..."));
}

void ExperimentsWindow::setStatus(int row, const QString& status) {
  auto* item = table_->item(row, kStatus);
  if (!item) table_->setItem(row, kStatus, item = new QTableWidgetItem);
  item->setText(status);
}

void ExperimentsWindow::showFigures(int row, const QString& figuresJson, double seconds) {
  try {
    table_->item(row, kFigures)->setText(figuresText(JsonValue::parse(figuresJson.toStdString())));
  } catch (const Error& e) {
    table_->item(row, kFigures)->setText(QString::fromStdString(e.what()));
  }
  if (std::isfinite(seconds)) table_->item(row, kSeconds)->setText(QString::number(seconds, 'f', 0));
}

void ExperimentsWindow::refreshFromFolder() {
  const std::string dir = resultsFolder().toStdString();
  for (int r = 0; r < int(runs_.size()); ++r) {
    const QString status = table_->item(r, kStatus)->text();
    if (status == tr("done") || status.startsWith(tr("running")) || !runDone(dir, runs_[size_t(r)])) continue;
    const std::string path = runFilePath(dir, runs_[size_t(r)]);
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) continue;
    try {
      const JsonValue v = JsonValue::parse(f.readAll().toStdString());
      table_->item(r, kFigures)->setText(figuresText(v["figures"]));
      table_->item(r, kSeconds)->setText(QString::number(v["seconds"].number(0), 'f', 0));
      setStatus(r, tr("done"));
      fractions_[size_t(r)] = 1;
      if (auto* bar = qobject_cast<QProgressBar*>(table_->cellWidget(r, kProgress))) bar->setValue(1000);
    } catch (const Error&) {
    }
  }
  updateOverall();
}

void ExperimentsWindow::updateOverall() {
  if (runs_.empty()) return;
  double sum = 0;
  int done = 0;
  for (double f : fractions_) sum += f, done += f >= 1;
  overall_->setValue(int(1000 * sum / double(runs_.size())));
  overall_->setFormat(tr("%1 of %2 runs done").arg(done).arg(runs_.size()));
}

void ExperimentsWindow::setRunning(bool running) {
  for (QWidget* w :
       std::initializer_list<QWidget*>{planButton_, runButton_, reportButton_, experiment_, flavour_, data_, seeds_,
                                       labelCounts_, epochs_, trainSamples_, testSamples_, dir_})
    w->setEnabled(!running);
  cancelButton_->setEnabled(running);
}

bool ExperimentsWindow::writeReport() {
  try {
    static const ReportPlotter plotter = makeReportPlotter();
    const std::string path = writeExperimentReport(resultsFolder().toStdString(), &plotter);
    report_->clear();
    report_->setSource(QUrl::fromLocalFile(QString::fromStdString(path)), QTextDocument::MarkdownResource);
    report_->reload();
    tabs_->setCurrentWidget(report_);
    message_->setText(tr("Report written: %1").arg(QString::fromStdString(path)));
    return true;
  } catch (const Error& e) {
    message_->setText(tr("No report: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
}
