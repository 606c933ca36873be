#include "app/TrainingDashboard.h"

#include <QDir>
#include <QFile>
#include <QGridLayout>
#include <QTextStream>

#include "widgets/LossPlot.h"

TrainingDashboard::TrainingDashboard(QWidget* parent) : QWidget(parent) {
  objective_ = new LossPlot(tr("Objective per step"), tr("step"));
  objective_->addSeries("total J", QColor(20, 20, 20));
  objective_->addSeries("labelled L", QColor(31, 119, 180));
  objective_->addSeries("unlabelled U", QColor(255, 127, 14));
  terms_ = new LossPlot(tr("Reconstruction and KL per step"), tr("step"));
  terms_->addSeries("reconstruction", QColor(44, 160, 44));
  terms_->addSeries("KL", QColor(214, 39, 40));
  classification_ = new LossPlot(tr("Classification per step"), tr("step"));
  classification_->addSeries("label cross-entropy", QColor(148, 103, 189));
  classification_->addSeries("entropy of q(y|x)", QColor(140, 86, 75));
  accuracy_ = new LossPlot(tr("Test accuracy per epoch"), tr("epoch"));
  accuracy_->addSeries("semi-supervised VAE", QColor(31, 119, 180), false, true);
  accuracy_->addSeries("supervised baseline", QColor(127, 127, 127), false, true);
  accuracy_->setIntegerKeys(true);
  learningRate_ = new LossPlot(tr("Learning rate"), tr("step"));
  learningRate_->addSeries("learning rate", QColor(23, 190, 207), false);
  beta_ = new LossPlot(tr("KL weight beta"), tr("step"));
  beta_->addSeries("beta", QColor(188, 189, 34), false);
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
}

void TrainingDashboard::addSteps(const QVector<StepPoint>& steps) {
  for (const StepPoint& s : steps) {
    const double x = double(s.step);
    const auto& l = s.losses;
    objective_->addPoint("total J", x, l.total);
    objective_->addPoint("labelled L", x, l.labelled);
    objective_->addPoint("unlabelled U", x, l.unlabelled);
    terms_->addPoint("reconstruction", x, l.reconstruction);
    terms_->addPoint("KL", x, l.kl);
    classification_->addPoint("label cross-entropy", x, l.classification);
    classification_->addPoint("entropy of q(y|x)", x, l.entropy);
    learningRate_->addPoint("learning rate", x, s.learningRate);
    beta_->addPoint("beta", x, s.beta);
  }
  steps_ += steps;
}

void TrainingDashboard::addEpoch(const EpochPoint& e) {
  accuracy_->addPoint("semi-supervised VAE", e.report.epoch, 100 * e.report.testAccuracy);
  if (e.baselineAccuracy >= 0) accuracy_->addPoint("supervised baseline", e.report.epoch, 100 * e.baselineAccuracy);
  epochs_ << e;
}

void TrainingDashboard::setSmoothing(double alpha) {
  for (LossPlot* p : plots_) p->setSmoothing(alpha);
}

bool TrainingDashboard::exportCsv(const QString& path, QString* error) const {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error) *error = f.errorString();
    return false;
  }
  QTextStream out(&f);
  out << "kind,step,epoch,total,reconstruction,kl,classification,entropy,labelled,unlabelled,labelled_accuracy,"
         "learning_rate,beta,test_accuracy,baseline_accuracy,seconds\n";
  auto losses = [&out](const latentlab::StepLosses& l) {
    out << l.total << ',' << l.reconstruction << ',' << l.kl << ',' << l.classification << ',' << l.entropy << ','
        << l.labelled << ',' << l.unlabelled << ',' << l.labelledAccuracy << ',';
  };
  for (const StepPoint& s : steps_) {
    out << "step," << s.step << ',' << s.epoch << ',';
    losses(s.losses);
    out << s.learningRate << ',' << s.beta << ",,,\n";
  }
  for (const EpochPoint& e : epochs_) {
    out << "epoch," << e.report.step << ',' << e.report.epoch << ',';
    losses(e.report.mean);
    out << ",," << e.report.testAccuracy << ',' << (e.baselineAccuracy >= 0 ? QString::number(e.baselineAccuracy) : QString())
        << ',' << e.report.seconds << '\n';
  }
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
