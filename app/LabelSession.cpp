#include "app/LabelSession.h"

#include <QDateTime>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include "engine/core/Error.h"
#include "engine/data/Fingerprint.h"
#include "engine/data/LabelFile.h"

using namespace latentlab;

namespace {

class LabelCommand : public QUndoCommand {
 public:
  LabelCommand(LabelSession* session, std::vector<LabelSession::Change> changes, const QString& text)
      : QUndoCommand(text), session_(session), changes_(std::move(changes)) {}
  void redo() override { session_->apply(changes_, true); }
  void undo() override { session_->apply(changes_, false); }

 private:
  LabelSession* session_;
  std::vector<LabelSession::Change> changes_;
};

}  // namespace

LabelSession::LabelSession(QObject* parent, QString sessionsRoot) : QObject(parent), root_(std::move(sessionsRoot)) {
  if (root_.isEmpty())
    root_ = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/sessions";
}

QString LabelSession::labelFilePath() const { return folder_.isEmpty() ? QString() : folder_ + "/labels.csv"; }

QString LabelSession::open(std::shared_ptr<const DataSplit> data) {
  undo_.clear();
  data_ = std::move(data);
  fingerprint_ = latentlab::fingerprint(data_->train);
  folder_ = root_ + "/" + QString::fromStdString(fingerprint_).section(':', -1);
  QDir().mkpath(folder_);
  byIndex_.clear();
  QString warning;
  std::vector<LabelEntry> entries;
  try {
    const LabelFileLoad load = loadLabelFile(labelFilePath().toStdString());
    if (load.fromPrevious)
      warning = tr("The label file could not be read (%1); its previous copy was used: %2 labels.")
                    .arg(QString::fromStdString(load.warning))
                    .arg(load.content.entries.size());
    if (load.found && load.content.datasetFingerprint != fingerprint_)
      warning = tr("The label file in %1 belongs to another data set; it was left untouched and this session "
                   "starts without labels.").arg(folder_);
    else
      entries = load.content.entries;
  } catch (const std::exception& e) {  // Error, or anything else reading the files threw (bad_alloc...)
    warning = tr("The labels of this data set could not be read: %1. The damaged files were kept; new labels go "
                 "to a fresh file.").arg(QString::fromStdString(e.what()));
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss");
    QFile::rename(labelFilePath(), labelFilePath() + ".damaged-" + stamp);
  }
  const int n = data_->train.size(), classes = data_->train.classes;
  std::vector<LabelEntry> valid;
  for (const auto& e : entries)
    if (e.index >= 0 && e.index < n && e.label >= 0 && e.label < classes) {
      valid.push_back(e);
      byIndex_.insert(e.index, e);
    }
  labels_ = std::make_shared<LabelSet>(valid);  // a run still training on the old data keeps its own set
  writeSessionFile();
  if (!warning.isEmpty() && !valid.empty()) save();  // the recovered copy becomes the current file
  emit changed();
  return warning;
}

void LabelSession::writeSessionFile() {
  QSettings s(folder_ + "/session.ini", QSettings::IniFormat);
  s.setValue("dataset/folder", QString::fromStdString(data_->source));
  s.setValue("dataset/fingerprint", QString::fromStdString(fingerprint_));
  s.setValue("dataset/samples", data_->train.size());
  s.setValue("labels/file", "labels.csv");
  s.setValue("session/opened", QDateTime::currentDateTime().toString(Qt::ISODate));
}

std::vector<int> LabelSession::countsPerClass() const {
  return labels_->countsPerClass(data_ ? data_->train.classes : 0);
}

std::optional<LabelEntry> LabelSession::entry(int index) const {
  auto it = byIndex_.find(index);
  if (it == byIndex_.end()) return std::nullopt;
  return *it;
}

QStringList LabelSession::classNames() const {
  QStringList names;
  if (!data_) return names;
  for (int k = 0; k < data_->train.classes; ++k)
    names << (k < int(data_->train.classNames.size()) ? QString::fromStdString(data_->train.classNames[k])
                                                      : QString::number(k));
  return names;
}

void LabelSession::assign(int index, int label, LabelSource source) {
  assignMany({{index, label, source}}, tr("Label %1 as %2").arg(index).arg(classNames().value(label)));
}

void LabelSession::assignMany(const std::vector<LabelEntry>& entries, const QString& description) {
  std::vector<Change> changes;
  for (const auto& e : entries) {
    if (!data_ || e.index < 0 || e.index >= data_->train.size() || e.label < 0 || e.label >= data_->train.classes)
      continue;
    auto before = entry(e.index);
    if (before && before->label == e.label) continue;
    changes.push_back({e.index, before, e});
  }
  push(std::move(changes), description);
}

void LabelSession::unassign(int index) {
  if (auto before = entry(index)) push({{index, before, std::nullopt}}, tr("Remove the label of %1").arg(index));
}

void LabelSession::push(std::vector<Change> changes, const QString& description) {
  if (!changes.empty()) undo_.push(new LabelCommand(this, std::move(changes), description));
}

void LabelSession::apply(const std::vector<Change>& changes, bool forward) {
  for (const Change& c : changes) {
    const auto& target = forward ? c.after : c.before;
    if (target) {
      labels_->set(target->index, target->label, target->source);
      byIndex_.insert(target->index, *target);
    } else {
      labels_->remove(c.index);
      byIndex_.remove(c.index);
    }
  }
  save();
  emit changed();
}

void LabelSession::ensureInitialLabels(int n, uint64_t seed, int among) {
  if (!data_ || count() > 0 || !data_->train.hasLabels()) return;  // unlabelled data starts without labels
  Random rng(seed);
  std::vector<int> pool = data_->train.labels;
  if (among > 0 && among < int(pool.size())) pool.resize(among);
  LabelSet initial = n <= 0 ? allLabels(pool) : balancedLabelSet(pool, n, data_->train.classes, rng);
  for (auto e : *initial.snapshot()) {
    e.source = n <= 0 ? LabelSource::Dataset : LabelSource::Initial;
    labels_->set(e.index, e.label, e.source);
    byIndex_.insert(e.index, e);
  }
  save();
  emit changed();
}

void LabelSession::save() {
  if (!data_) return;
  LabelFileContent c{fingerprint_, *labels_->snapshot()};
  try {
    writeLabelFile(labelFilePath().toStdString(), c);
  } catch (const std::exception& e) {
    emit saveFailed(tr("The labels could not be saved: %1").arg(QString::fromStdString(e.what())));
  }
}

QString LabelSession::importCsv(const QString& path, QString* summary) {
  if (!data_) return tr("Open a data set first.");
  try {
    std::vector<std::string> names;
    for (const QString& n : classNames()) names.push_back(n.toStdString());
    const LabelCsvImport read = importLabelsCsv(path.toStdString(), names, data_->train.size());
    int added = 0, changed = 0;
    for (const auto& e : read.entries) {
      const auto before = entry(e.index);
      added += !before;
      changed += before && before->label != e.label;
    }
    assignMany(read.entries, tr("Import %1 labels").arg(read.entries.size()));
    if (summary) {
      *summary = tr("Imported %1 rows: %2 new labels, %3 changed, %4 unchanged.")
                     .arg(read.rows)
                     .arg(added)
                     .arg(changed)
                     .arg(int(read.entries.size()) - added - changed);
      if (read.duplicates > 0)
        *summary += tr(" %1 rows repeated an index of an earlier row; the last row of each index was used.")
                        .arg(read.duplicates);
    }
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

QString LabelSession::exportCsv(const QString& path) const {
  try {
    std::vector<std::string> names;
    for (const QString& n : classNames()) names.push_back(n.toStdString());
    exportLabelsCsv(path.toStdString(), *labels_->snapshot(), names);
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}
