#pragma once
// The labelling queue: unlabelled samples ranked by a strategy, each card with its image, predicted class and
// probability. Keyboard first: a digit (or the first letter of a class name) labels the focused card, Space
// skips it, Backspace undoes. Labels go to the LabelSession, which the running trainer reads at its next step.
#include <QWidget>

#include <memory>

#include "app/TrainingWorker.h"
#include "engine/active/QueueRanking.h"

class LabelSession;
class ClassHistogram;
class QComboBox;
class QCheckBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QHBoxLayout;

class LabellingPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LabellingPanel(LabelSession* session, QWidget* parent = nullptr);
  ~LabellingPanel() override;

  // The Import and Export buttons: ask for a CSV file then read
  // or write it (the dialogs start in the last folder used).
  void importCsv();
  void exportCsv();

  // The newest model (opened, or after an epoch): the queue re-ranks with it when "each epoch" is on.
  void setModel(ModelSnapshot model);
  // Ranks the queue again now (a QueueRankingJob on a pool thread, with a private copy of the model);
  // rankingFinished() follows.
  void rerank();
  // The data set changed: the session was reopened.
  void reset();
  // Rank only the first n training samples (0: all), when training runs on a subset.
  void setPoolLimit(int n) { poolLimit_ = n; }
  void setRerankEachEpoch(bool on);
  // The settings' validation share (0: none): the line under the counts says which part new labels join.
  void setValidationShare(double fraction);
  QString validationRule() const;

  QListWidget* queueView() const { return list_; }
  int currentSample() const;  // data set index of the focused card, -1 when none
  bool labelCurrent(int label);
  void skipCurrent();
  const latentlab::QueueRanking& ranking() const { return ranking_; }
  bool isRanking() const { return ranking_job_running_; }
  int queueLength() const;
  static constexpr int kQueueLength = 120;

 signals:
  void rankingFinished();
  void message(const QString& text);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onSessionChanged();
  void fillQueue();
  void rebuildClassButtons();
  void updateStatus();
  void updateRule();
  void acceptConfident();
  QListWidgetItem* makeCard(int sample);
  int classForKey(int key, const QString& text) const;

  LabelSession* session_;
  ModelSnapshot model_;
  latentlab::QueueRanking ranking_;
  int rankedEpoch_ = 0;  // the epoch of the model that ranked the queue (0: none or untrained)
  bool ranking_job_running_ = false, rerankAgain_ = false;
  std::shared_ptr<latentlab::CancelFlag> cancel_;
  uint64_t rankSeed_ = 1;
  int poolLimit_ = 0;

  QComboBox* strategy_;
  QCheckBox* everyEpoch_;
  QPushButton *rerankButton_, *undoButton_, *redoButton_, *acceptButton_;
  QLabel *status_, *count_, *rule_;
  double validationShare_ = 0;
  QListWidget* list_;
  QWidget* classButtons_;
  QHBoxLayout* classButtonsLayout_;
  ClassHistogram* histogram_;
};
