#include "app/labelling/LabellingPanel.h"
#include "widgets/FileDialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "app/LabelSession.h"
#include "app/OffThread.h"
#include "app/SampleImage.h"
#include "app/labelling/AcceptPredictionsDialog.h"
#include "engine/core/Error.h"
#include "engine/io/ModelFile.h"
#include "engine/train/Validation.h"
#include "widgets/ClassHistogram.h"

using namespace latentlab;

namespace {
constexpr int kSampleRole = Qt::UserRole + 1;
}

LabellingPanel::LabellingPanel(LabelSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  strategy_ = new QComboBox;
  for (QueryStrategy q : allQueryStrategies()) {
    strategy_->addItem(QString::fromStdString(toString(q)), int(q));
    strategy_->setItemData(strategy_->count() - 1, QString::fromStdString(describe(q)), Qt::ToolTipRole);
  }
  strategy_->setToolTip(tr("Which unlabelled samples to show first"));
  rerankButton_ = new QPushButton(tr("Re-rank"));
  rerankButton_->setToolTip(tr("Rank the queue again with the newest model"));
  everyEpoch_ = new QCheckBox(tr("each epoch"));
  everyEpoch_->setChecked(true);
  everyEpoch_->setToolTip(tr("Re-rank after every training epoch"));
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Queue by")));
  top->addWidget(strategy_, 1);
  top->addWidget(rerankButton_);
  top->addWidget(everyEpoch_);

  status_ = new QLabel;
  status_->setWordWrap(true);
  status_->setStyleSheet("color: palette(mid)");

  list_ = new QListWidget;
  list_->setViewMode(QListView::IconMode);
  list_->setIconSize(QSize(56, 56));
  list_->setGridSize(QSize(78, 86));
  list_->setResizeMode(QListView::Adjust);
  list_->setMovement(QListView::Static);
  list_->setWrapping(true);
  list_->setUniformItemSizes(true);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->installEventFilter(this);
  list_->setToolTip(tr("0-9 or a class's first letter: label the focused card · Space: skip · Backspace: undo"));

  classButtons_ = new QWidget;
  classButtonsLayout_ = new QHBoxLayout(classButtons_);
  classButtonsLayout_->setContentsMargins(0, 0, 0, 0);
  classButtonsLayout_->setSpacing(2);

  undoButton_ = new QPushButton(tr("Undo"));
  redoButton_ = new QPushButton(tr("Redo"));
  acceptButton_ = new QPushButton(tr("Accept confident…"));
  acceptButton_->setToolTip(tr("Review, per class, the samples the model predicts above a probability threshold, "
                               "and add the ones you keep"));
  auto* importButton = new QToolButton;
  importButton->setText(tr("Import CSV…"));
  auto* exportButton = new QToolButton;
  exportButton->setText(tr("Export CSV…"));
  auto* actions = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{undoButton_, redoButton_, acceptButton_}) actions->addWidget(w);
  actions->addStretch(1);
  actions->addWidget(importButton);
  actions->addWidget(exportButton);

  count_ = new QLabel;
  rule_ = new QLabel;
  rule_->setObjectName("validationRule");
  rule_->setWordWrap(true);
  rule_->setStyleSheet("color: palette(mid)");
  histogram_ = new ClassHistogram;

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(status_);
  layout->addWidget(list_, 1);
  layout->addWidget(classButtons_);
  layout->addLayout(actions);
  layout->addWidget(count_);
  layout->addWidget(rule_);
  layout->addWidget(histogram_);

  connect(rerankButton_, &QPushButton::clicked, this, &LabellingPanel::rerank);
  connect(strategy_, &QComboBox::currentIndexChanged, this, &LabellingPanel::rerank);
  connect(undoButton_, &QPushButton::clicked, session_->undoStack(), &QUndoStack::undo);
  connect(redoButton_, &QPushButton::clicked, session_->undoStack(), &QUndoStack::redo);
  connect(session_->undoStack(), &QUndoStack::canUndoChanged, undoButton_, &QWidget::setEnabled);
  connect(session_->undoStack(), &QUndoStack::canRedoChanged, redoButton_, &QWidget::setEnabled);
  connect(session_->undoStack(), &QUndoStack::undoTextChanged, undoButton_, &QWidget::setToolTip);
  connect(acceptButton_, &QPushButton::clicked, this, &LabellingPanel::acceptConfident);
  connect(importButton, &QToolButton::clicked, this, &LabellingPanel::importCsv);
  connect(exportButton, &QToolButton::clicked, this, &LabellingPanel::exportCsv);
  connect(session_, &LabelSession::changed, this, &LabellingPanel::onSessionChanged);
  undoButton_->setEnabled(false);
  redoButton_->setEnabled(false);
  reset();
}

LabellingPanel::~LabellingPanel() {
  if (cancel_) cancel_->store(true);
}

void LabellingPanel::reset() {
  if (cancel_) cancel_->store(true);
  ranking_ = {};  // the model stays: ranking says so when it does not fit the new data set
  list_->clear();
  histogram_->setClasses(session_->classNames());
  rebuildClassButtons();
  onSessionChanged();
  if (session_->isOpen()) rerank();
}

void LabellingPanel::rebuildClassButtons() {
  while (QLayoutItem* item = classButtonsLayout_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  const QStringList names = session_->classNames();
  classButtonsLayout_->addWidget(new QLabel(tr("Label as")));
  for (int k = 0; k < names.size(); ++k) {
    auto* b = new QToolButton;
    b->setText(names[k].size() > 6 ? names[k].left(5) + QChar(0x2026) : names[k]);
    b->setToolTip(tr("Label the focused card as %1").arg(names[k]));
    b->setFocusPolicy(Qt::NoFocus);
    connect(b, &QToolButton::clicked, this, [this, k] {
      labelCurrent(k);
      list_->setFocus();
    });
    classButtonsLayout_->addWidget(b);
  }
  classButtonsLayout_->addStretch(1);
}

void LabellingPanel::setRerankEachEpoch(bool on) { everyEpoch_->setChecked(on); }

void LabellingPanel::setModel(ModelSnapshot model) {
  model_ = std::move(model);
  if (everyEpoch_->isChecked() || !ranking_.withModel) rerank();
}

void LabellingPanel::rerank() {
  const DataSplit* data = session_->data();
  if (!data) return;
  if (ranking_job_running_) {  // one job at a time; the newest request runs when it ends
    rerankAgain_ = true;
    if (cancel_) cancel_->store(true);
    return;
  }
  ranking_job_running_ = true;
  rerankAgain_ = false;
  cancel_ = std::make_shared<CancelFlag>(false);
  QueueRankingRequest request;
  request.labelled.assign(size_t(data->train.size()), 0);
  for (const auto& e : *session_->labels()->snapshot()) request.labelled[size_t(e.index)] = 1;
  request.strategy = QueryStrategy(strategy_->currentData().toInt());
  request.count = kQueueLength;
  request.seed = rankSeed_++;
  request.poolLimit = poolLimit_;
  status_->setText(tr("Ranking %1 unlabelled samples by %2…")
                       .arg((poolLimit_ > 0 ? std::min(poolLimit_, data->train.size()) : data->train.size()) - session_->count())
                       .arg(strategy_->currentText()));
  const int epoch = model_ && model_->training ? model_->training->state.epoch : 0;
  runOffThread(
      this,
      // The data stays alive with the session's shared pointer while the job runs, whatever is opened meanwhile.
      [model = model_, data = session_->sharedData(), request, cancel = cancel_] {
        std::unique_ptr<SemiSupervisedVae<float>> net = model ? instantiateModel(*model) : nullptr;
        return QueueRankingJob(net.get(), *data, request).run(cancel.get());
      },
      [this, epoch](QueueRanking result, const QString& error) {
        ranking_job_running_ = false;
        if (error.isEmpty() && result.status == JobStatus::Finished) {
          ranking_ = std::move(result);
          rankedEpoch_ = epoch;
          fillQueue();
        }
        if (!error.isEmpty()) emit message(tr("Ranking failed: %1").arg(error));
        updateStatus();
        if (rerankAgain_) rerank();
        else emit rankingFinished();
      },
      OffThread::Pool);
}

QListWidgetItem* LabellingPanel::makeCard(int sample) {
  const DataSplit* data = session_->data();
  auto* item = new QListWidgetItem(QIcon(samplePixmap(sampleImage(data->train, sample), 56)), QString());
  item->setData(kSampleRole, sample);
  QString tip = tr("Sample %1").arg(sample);
  if (ranking_.withModel) {
    const auto it = std::lower_bound(ranking_.poolIndices.begin(), ranking_.poolIndices.end(), sample);
    if (it != ranking_.poolIndices.end() && *it == sample) {
      const size_t i = size_t(it - ranking_.poolIndices.begin());
      const QString name = session_->classNames().value(ranking_.predicted[i]);
      item->setText(QString("%1  %2%").arg(name.left(8)).arg(int(ranking_.confidence[i] * 100 + 0.5)));
      tip += tr("\npredicted %1 with probability %2").arg(name).arg(ranking_.confidence[i], 0, 'f', 3);
    }
  } else {
    item->setText(tr("no model"));
  }
  item->setToolTip(tip);
  return item;
}

void LabellingPanel::fillQueue() {
  const int keep = currentSample();
  list_->clear();
  for (int sample : ranking_.queue)
    if (!session_->entry(sample)) list_->addItem(makeCard(sample));
  int row = 0;
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->data(kSampleRole).toInt() == keep) row = i;
  if (list_->count() > 0) list_->setCurrentRow(row);
}

int LabellingPanel::queueLength() const { return list_->count(); }

int LabellingPanel::currentSample() const {
  const QListWidgetItem* item = list_->currentItem();
  return item ? item->data(kSampleRole).toInt() : -1;
}

bool LabellingPanel::labelCurrent(int label) {
  const int sample = currentSample();
  if (sample < 0 || label < 0 || label >= session_->classNames().size()) return false;
  session_->assign(sample, label, LabelSource::User);  // onSessionChanged removes the card
  return true;
}

void LabellingPanel::skipCurrent() {
  const int row = list_->currentRow();
  if (row >= 0 && row + 1 < list_->count()) list_->setCurrentRow(row + 1);
}

void LabellingPanel::onSessionChanged() {
  count_->setText(tr("%n label(s)", "", session_->count()) +
                  (session_->data() ? tr(" of %1 training samples").arg(session_->data()->train.size()) : QString()));
  histogram_->setCounts(session_->countsPerClass());
  // Labelled cards leave the queue; an undone label brings its card back at its ranked place, focused.
  QSet<int> visible;
  for (int i = 0; i < list_->count(); ++i) visible.insert(list_->item(i)->data(kSampleRole).toInt());
  int back = -1;
  for (int sample : ranking_.queue)
    if (!visible.contains(sample) && !session_->entry(sample)) {
      back = sample;
      break;
    }
  if (back >= 0) {
    fillQueue();
    for (int i = 0; i < list_->count(); ++i)
      if (list_->item(i)->data(kSampleRole).toInt() == back) list_->setCurrentRow(i);
  } else {
    const int row = list_->currentRow();
    for (int i = list_->count() - 1; i >= 0; --i)
      if (session_->entry(list_->item(i)->data(kSampleRole).toInt())) delete list_->takeItem(i);
    if (list_->count() > 0) list_->setCurrentRow(std::clamp(row, 0, list_->count() - 1));
  }
  acceptButton_->setEnabled(ranking_.withModel);
  updateStatus();
  updateRule();
}

void LabellingPanel::setValidationShare(double fraction) {
  validationShare_ = fraction;
  updateRule();
}

QString LabellingPanel::validationRule() const { return rule_->text(); }

// The rule: a label entered now trains (a running trainer reads it at its next step). The validation labels are
// drawn when a run starts, so that all of a run's epochs are scored on the same labels: the next Train draws
// them again from every label, the user's included; Continue keeps its run's.
void LabellingPanel::updateRule() {
  if (validationShare_ <= 0) {
    rule_->setText(tr("Labels you enter train the model (a running one from its next step). None are kept aside "
                      "for validation: set Validation in the Settings dock to choose the kept epoch without test "
                      "labels."));
    return;
  }
  size_t kept = 0, total = 0;
  for (int n : session_->countsPerClass()) {
    kept += latentlab::validationLabelsKept(size_t(std::max(n, 0)), validationShare_);
    total += size_t(std::max(n, 0));
  }
  rule_->setText(tr("Labels you enter train the model (a running one from its next step). Validation keeps %1% "
                    "of each class's labels aside (now %2 of the %3), drawn when a run starts: Train draws them "
                    "again from all labels, yours included; a running or continued run keeps its own, so that "
                    "its epochs are compared on the same labels.")
                     .arg(int(std::lround(100 * validationShare_)))
                     .arg(kept)
                     .arg(total));
}

void LabellingPanel::updateStatus() {
  if (!session_->isOpen()) {
    status_->setText(tr("Open a data set to label it."));
    return;
  }
  acceptButton_->setEnabled(ranking_.withModel && !ranking_job_running_);
  if (ranking_job_running_) return;
  QString text;
  if (!ranking_.withModel)
    text = tr("No model yet: the queue is in random order. Train, or open a model, to rank it.");
  else
    text = tr("Ranked by %1 with the model after epoch %2 (%3 s).")
               .arg(QString::fromStdString(toString(ranking_.strategy)))
               .arg(rankedEpoch_)
               .arg(ranking_.seconds, 0, 'f', 1);
  status_->setText(text + tr(" Keys: 0-9 label, Space skip, Backspace undo."));
}

int LabellingPanel::classForKey(int key, const QString& text) const {
  const QStringList names = session_->classNames();
  if (key >= Qt::Key_0 && key <= Qt::Key_9) {
    const int k = key - Qt::Key_0;
    return k < names.size() ? k : -1;
  }
  if (text.size() == 1 && text[0].isLetter())
    for (int k = 0; k < names.size(); ++k)
      if (names[k].startsWith(text, Qt::CaseInsensitive)) return k;
  return -1;
}

bool LabellingPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == list_ && event->type() == QEvent::KeyPress) {
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return false;
    if (key->key() == Qt::Key_Space) {
      skipCurrent();
      return true;
    }
    if (key->key() == Qt::Key_Backspace) {
      session_->undoStack()->undo();
      return true;
    }
    const int k = classForKey(key->key(), key->text());
    if (k >= 0) {
      labelCurrent(k);
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void LabellingPanel::acceptConfident() {
  if (!ranking_.withModel) return;
  AcceptPredictionsDialog dialog(*session_->data(), ranking_, session_->classNames(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  std::vector<LabelEntry> entries;
  for (auto [sample, label] : dialog.chosen()) entries.push_back({sample, label, LabelSource::AcceptedPrediction});
  session_->assignMany(entries, tr("Accept %1 confident predictions").arg(entries.size()));
  emit message(tr("Added %1 accepted predictions (Undo takes them back).").arg(entries.size()));
}

void LabellingPanel::importCsv() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Import labels"), dialogStartPath({}),
                                                    tr("CSV files (*.csv);;All files (*)"));
  rememberDialogFolder(path);
  if (path.isEmpty()) return;
  QString summary;
  const QString error = session_->importCsv(path, &summary);
  if (!error.isEmpty()) QMessageBox::warning(this, tr("Import labels"), error);
  else emit message(summary);
}

void LabellingPanel::exportCsv() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export labels"), dialogStartPath("labels.csv"),
                                                    tr("CSV files (*.csv)"));
  rememberDialogFolder(path);
  if (path.isEmpty()) return;
  const QString error = session_->exportCsv(path);
  if (!error.isEmpty()) QMessageBox::warning(this, tr("Export labels"), error);
  else emit message(tr("Exported %1 labels to %2").arg(session_->count()).arg(path));
}
