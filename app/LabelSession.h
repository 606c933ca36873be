#pragma once
// The labels of one data set as the user grows them: the thread-safe label set the trainer reads, an undo
// stack, and the label file, rewritten atomically after every change so that no label is ever lost. Each data
// set has a session folder (keyed by its fingerprint) holding session.ini and labels.csv; opening the data set
// again reopens its labels.
#include <QHash>
#include <QObject>
#include <QUndoStack>

#include <memory>
#include <optional>

#include "engine/data/Dataset.h"
#include "engine/data/LabelSet.h"

class LabelSession : public QObject {
  Q_OBJECT
 public:
  struct Change {
    int index;
    std::optional<latentlab::LabelEntry> before, after;
  };

  // sessionsRoot: where the per-data-set folders go (default: the application data folder's sessions/).
  explicit LabelSession(QObject* parent = nullptr, QString sessionsRoot = {});

  // Opens the data set's session: reads its label file (the previous copy when the file is damaged) and
  // clears the undo history. Returns a warning for the user, empty when all is well.
  QString open(std::shared_ptr<const latentlab::DataSplit> data);
  bool isOpen() const { return bool(data_); }

  std::shared_ptr<latentlab::LabelSet> labels() const { return labels_; }
  QUndoStack* undoStack() { return &undo_; }
  int count() const { return int(byIndex_.size()); }
  std::vector<int> countsPerClass() const;
  std::optional<latentlab::LabelEntry> entry(int index) const;
  QStringList classNames() const;
  const latentlab::DataSplit* data() const { return data_.get(); }
  // For work on other threads: keeps the data alive while it runs, whatever is opened meanwhile.
  std::shared_ptr<const latentlab::DataSplit> sharedData() const { return data_; }

  // Undoable edits; each call is one undo step.
  void assign(int index, int label, latentlab::LabelSource source = latentlab::LabelSource::User);
  void assignMany(const std::vector<latentlab::LabelEntry>& entries, const QString& description);
  void unassign(int index);
  // When the session has no labels yet: a balanced subset of n drawn with the seed (0: every label), the
  // chosen initial labelled set. Not undoable; saved at once.
  // Drawn among the first `among` samples when given (a run on a training subset).
  void ensureInitialLabels(int n, uint64_t seed, int among = 0);

  // Returns an error message, empty on success; one undo step. summary (when given) gets what was done,
  // for the status bar: rows read, labels new or changed, repeated indices (the last row of each wins).
  QString importCsv(const QString& path, QString* summary = nullptr);
  QString exportCsv(const QString& path) const;

  QString folder() const { return folder_; }
  const std::string& fingerprint() const { return fingerprint_; }
  QString labelFilePath() const;

  // Applies changes (redo) or their reverse (undo); the undo commands call it.
  void apply(const std::vector<Change>& changes, bool forward);

 signals:
  void changed();
  void saveFailed(const QString& message);

 private:
  void push(std::vector<Change> changes, const QString& description);
  void save();
  void writeSessionFile();

  QString root_, folder_;
  std::shared_ptr<const latentlab::DataSplit> data_;
  std::string fingerprint_;
  std::shared_ptr<latentlab::LabelSet> labels_ = std::make_shared<latentlab::LabelSet>();
  QHash<int, latentlab::LabelEntry> byIndex_;
  QUndoStack undo_;
};
