#include "app/TrainingDashboard.h"

#include <QDir>
#include <QFile>
#include <QGridLayout>
#include <QTextStream>

#include <cmath>

#include "engine/train/RecordFields.h"
#include "widgets/LossPlot.h"

TrainingDashboard::TrainingDashboard(QWidget* parent) : QWidget(parent) {
  objective_ = new LossPlot(tr("Objective per step"), tr("step"));
  terms_ = new LossPlot(tr("Reconstruction and KL per step"), tr("step"));
  classification_ = new LossPlot(tr("Classification per step"), tr("step"));
  learningRate_ = new LossPlot(tr("Learning rate"), tr("step"));
  beta_ = new LossPlot(tr("KL weight beta"), tr("step"));
  // Which plot shows which column of a step, under which name: the one list of what the per-step plots show.
  struct Curve {
    LossPlot* plot;
    const char* column;
    const char* name;
    QColor colour;
    bool smoothed;
  };
  const Curve curves[] = {
      {objective_, "total", "total J", QColor(20, 20, 20), true},
      {objective_, "labelled", "labelled L", QColor(31, 119, 180), true},
      {objective_, "unlabelled", "unlabelled U", QColor(255, 127, 14), true},
      {terms_, "reconstruction", "reconstruction", QColor(44, 160, 44), true},
      {terms_, "kl", "KL", QColor(214, 39, 40), true},
      {classification_, "classification", "label cross-entropy", QColor(148, 103, 189), true},
      {classification_, "entropy", "entropy of q(y|x)", QColor(140, 86, 75), true},
      {learningRate_, "learning_rate", "learning rate", QColor(23, 190, 207), false},
      {beta_, "beta", "beta", QColor(188, 189, 34), false},
  };
  for (const Curve& c : curves) {
    c.plot->addSeries(c.name, c.colour, c.smoothed);
    stepSeries_.push_back({c.plot, c.name, latentlab::columnIndex<latentlab::StepRecord>(c.column)});
    Q_ASSERT(stepSeries_.back().column >= 0);
  }
  accuracy_ = new LossPlot(tr("Accuracy per epoch"), tr("epoch"));
  // The semi-supervised VAE on the test labels, the supervised baseline on them, the VAE on the validation labels.
  accuracy_->addSeries("test", QColor(31, 119, 180), false, true);
  accuracy_->addSeries("baseline", QColor(127, 127, 127), false, true);
  accuracy_->addSeries("validation", QColor(214, 39, 40), false, true);
  accuracy_->setIntegerKeys(true);
  // The epoch whose weights the run keeps (its selection criterion), as a dashed vertical line.
  kept_ = new QCPItemStraightLine(accuracy_);
  kept_->setPen(QPen(QColor(214, 39, 40), 1, Qt::DashLine));
  kept_->setVisible(false);
  keptText_ = new QCPItemText(accuracy_);
  keptText_->position->setParentAnchorX(kept_->point1);
  keptText_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  keptText_->position->setCoords(3, 0.04);
  keptText_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  keptText_->setColor(QColor(214, 39, 40));
  keptText_->setVisible(false);
  // Said in the plot when an epoch brings no accuracy (unlabelled test samples), instead of an empty frame.
  noAccuracy_ = new QCPItemText(accuracy_);
  noAccuracy_->position->setType(QCPItemPosition::ptAxisRectRatio);
  noAccuracy_->position->setCoords(0.5, 0.5);
  noAccuracy_->setText(tr("no test labels: no accuracy"));
  noAccuracy_->setColor(QColor(110, 110, 110));
  noAccuracy_->setVisible(false);
  for (LossPlot* p : {objective_, terms_, classification_}) p->setLogarithmic(true);
  plots_ = {objective_, terms_, classification_, accuracy_, learningRate_, beta_};

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(2, 2, 2, 2);
  grid->setSpacing(4);
  grid->addWidget(objective_, 0, 0);
  grid->addWidget(terms_, 0, 1);
  grid->addWidget(classification_, 1, 0);
  grid->addWidget(accuracy_, 1, 1);
  grid->addWidget(learningRate_, 2, 0);
  grid->addWidget(beta_, 2, 1);
  grid->setRowStretch(0, 3);
  grid->setRowStretch(1, 3);
  grid->setRowStretch(2, 2);
}

void TrainingDashboard::clear() {
  steps_.clear();
  epochs_.clear();
  for (LossPlot* p : plots_) p->clearData();
  showNoAccuracy(false);
  showKeptEpoch(0);
}

int TrainingDashboard::keptEpoch() const { return kept_->visible() ? int(kept_->point1->key()) : 0; }

void TrainingDashboard::showKeptEpoch(int epoch) {
  if (epoch == keptEpoch()) return;
  kept_->setVisible(epoch > 0);
  keptText_->setVisible(epoch > 0);
  kept_->point1->setCoords(epoch, 0);
  kept_->point2->setCoords(epoch, 1);
  keptText_->setText(tr("kept: epoch %1").arg(epoch));
  accuracy_->replot(QCustomPlot::rpQueuedReplot);
}

bool TrainingDashboard::showsNoAccuracy() const { return noAccuracy_->visible(); }

void TrainingDashboard::showNoAccuracy(bool shown) {
  if (noAccuracy_->visible() == shown) return;
  noAccuracy_->setVisible(shown);
  accuracy_->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingDashboard::addSteps(const QVector<StepPoint>& steps) {
  for (const StepPoint& s : steps)
    for (const Series& c : stepSeries_) c.plot->addPoint(c.name, double(s.step), latentlab::columnValue(s, c.column));
  steps_ += steps;
}

void TrainingDashboard::addEpoch(const EpochPoint& e) {
  // NaN: the test samples are unlabelled (validation labels, when kept aside, are still plotted)
  showNoAccuracy(std::isnan(e.report.testAccuracy) && std::isnan(e.report.validationAccuracy));
  if (!std::isnan(e.report.testAccuracy))
    accuracy_->addPoint("test", e.report.epoch, 100 * e.report.testAccuracy);
  if (!std::isnan(e.report.validationAccuracy))
    accuracy_->addPoint("validation", e.report.epoch, 100 * e.report.validationAccuracy);
  showKeptEpoch(e.keptEpoch);
  if (e.baselineAccuracy >= 0) accuracy_->addPoint("baseline", e.report.epoch, 100 * e.baselineAccuracy);
  epochs_ << e;
  if (e.baselineAccuracy >= 0) epochs_.back().report.baselineAccuracy = e.baselineAccuracy;  // for the CSV
}

void TrainingDashboard::setSmoothing(double alpha) {
  for (LossPlot* p : plots_) p->setSmoothing(alpha);
}

// Columns: kind, every column of a step record, then the epoch report's own (engine/train/RecordFields.h); a row
// leaves the columns its record lacks empty.
bool TrainingDashboard::exportCsv(const QString& path, QString* error) const {
  using namespace latentlab;
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error) *error = f.errorString();
    return false;
  }
  QStringList columns;
  for (int c = 0; c < columnCount<StepRecord>(); ++c) columns << columnName<StepRecord>(c);
  for (int c = 0; c < columnCount<EpochReport>(); ++c)
    if (!columns.contains(columnName<EpochReport>(c))) columns << columnName<EpochReport>(c);
  QTextStream out(&f);
  out << "kind," << columns.join(',') << '\n';
  auto row = [&](const char* kind, const auto& record) {
    out << kind;
    for (const QString& name : columns) {
      const int c = columnIndex<std::decay_t<decltype(record)>>(name.toStdString());
      const double v = c >= 0 ? columnValue(record, c) : std::nan("");
      out << ',' << (std::isnan(v) ? QString() : QString::number(v, 'g', 17));
    }
    out << '\n';
  };
  for (const StepPoint& s : steps_) row("step", s);
  for (const EpochPoint& e : epochs_) row("epoch", e.report);
  return true;
}

bool TrainingDashboard::exportPlots(const QString& folder, const QString& extension) const {
  bool ok = true;
  for (LossPlot* p : plots_) {
    QString name = p->title().toLower();
    name.replace(QRegularExpression("[^a-z0-9]+"), "-");
    ok &= p->exportTo(QDir(folder).filePath(name + "." + extension));
  }
  return ok;
}
