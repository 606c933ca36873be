#pragma once
// The Training dock: Train, Continue, Pause, Resume and Stop; the step progress with the rate and the time left;
// the last word about the run; the smoothing of the dashboard's curves; the autosave interval. It follows the
// TrainingController's signals and drives its pause, resume and stop; what Train and Continue start is the
// window's business (trainRequested, continueRequested), and so is where an autosave goes (autosaveDue).
#include <QElapsedTimer>
#include <QWidget>

class TrainingController;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSlider;
class QSpinBox;
class QTimer;

class TrainingControlsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingControlsPanel(TrainingController* controller, QWidget* parent = nullptr);

  void setMessage(const QString& text);
  // Empties the progress bar and the rate (another model was opened: the last run's figures are not its).
  void clearProgress();
  QString rateText() const;
  QString message() const;
  // Train needs data, Continue data and a model; Pause, Resume and Stop follow the controller.
  void updateButtons(bool hasData, bool hasModel);
  double smoothing() const;  // the EMA weight of the newest point, in (0, 1]
  int autosaveMinutes() const;
  void restoreSettings(const QSettings& s);

 signals:
  void trainRequested();
  void continueRequested();
  void smoothingChanged(double alpha);
  void autosaveDue();  // every autosave interval while training runs

 private:
  void refreshButtons();
  void showSteps(long step, int epoch);

  TrainingController* controller_;
  QPushButton *train_, *continue_, *pause_, *resume_, *stop_;
  QProgressBar* progress_;
  QLabel *rate_, *message_;
  QSlider* smoothing_;
  QSpinBox* autosaveMinutes_;
  QTimer* autosave_;
  bool hasData_ = false, hasModel_ = false;
  qint64 totalSteps_ = 0;
  long lastStep_ = 0, rateStep_ = 0;
  QElapsedTimer rateClock_;
};
