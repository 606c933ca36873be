#pragma once
// The Experiments window: plans a sweep of the article's experiments (the same runs and files as
// `latentlab-cli experiment`), runs it off the GUI thread with a progress bar per run and an overall one, and
// cancel; the table fills in as runs finish, runs another process (the CLI, another machine over a shared
// folder) finishes in the same folder show up too; the report is written and shown in the window.
#include <QWidget>
#include <vector>

#include "engine/experiment/ExperimentPlan.h"

class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QTextBrowser;
class SweepRunner;

class ExperimentsWindow : public QWidget {
  Q_OBJECT
 public:
  // dataPath: the data the sweep runs on at first (the workbench's data folder); dir: the results folder.
  ExperimentsWindow(const QString& dataPath, const QString& dir, QWidget* parent = nullptr);
  ~ExperimentsWindow() override;

  // For tests and scripts: the controls' actions.
  void setRequestText(const QString& experiment, const QString& seeds, const QString& labelCounts, int epochs,
                      int trainSamples, int testSamples);
  // plan: fills the table from the form (the data is opened off the GUI thread: the table fills when it was);
  // false with a message when the form is wrong. run: plans, then runs the runs still to do.
  bool plan();
  void run();
  void cancel();
  bool writeReport();  // writes DIR/report.md and the plots, and shows it
  bool isRunning() const;
  const std::vector<latentlab::RunSpec>& runs() const { return runs_; }
  QTableWidget* table() const { return table_; }
  QProgressBar* overall() const { return overall_; }
  QTextBrowser* reportView() const { return report_; }
  QString message() const;
  QString resultsFolder() const;

 signals:
  void sweepFinished();

 private:
  bool start(bool run);      // plan only, or plan and run
  void refreshFromFolder();  // rows whose result file exists: done, with their figures
  void showFigures(int row, const QString& figuresJson, double seconds);
  void setStatus(int row, const QString& status);
  void updateOverall();
  void setRunning(bool running);

  QComboBox *experiment_, *flavour_;
  QLineEdit *data_, *seeds_, *labelCounts_, *dir_;
  QSpinBox *epochs_, *trainSamples_, *testSamples_;
  QPushButton *planButton_, *runButton_, *cancelButton_, *reportButton_;
  QProgressBar* overall_;
  QLabel* message_;
  QTabWidget* tabs_;
  QTableWidget* table_;
  QTextBrowser* report_;
  QFileSystemWatcher* watcher_;
  SweepRunner* runner_;
  std::vector<latentlab::RunSpec> runs_;
  std::vector<double> fractions_;  // per run, 0..1
  bool planOnly_ = false;
};
