#include "app/anomaly/AnomalyPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/LabelSession.h"
#include "app/SampleImage.h"
#include "app/anomaly/AnomalyGallery.h"
#include "app/anomaly/AnomalyWorker.h"
#include "engine/anomaly/Symptoms.h"
#include "widgets/RocPlot.h"
#include "widgets/ScoreHistogram.h"
#include "widgets/SymptomView.h"

using namespace latentlab;

namespace {

constexpr int kTrainingPoints = 2000;  // training points scored for the threshold and the histogram
constexpr int kTopFeatures = 5;

// A sample as a picture for the gallery: the image with its channels averaged, else as every view draws it.
QImage thumbnail(const Dataset& d, int index) {
  const SampleShape& shape = d.shape;
  if (!shape.isImage()) return sampleImage(d, index);
  const Vector<float> grey = symptomsPerPosition(Vector<float>(d.x.col(index)), shape) / float(shape.channels);
  return inkImage(grey.data(), int(grey.size()), shape.height, shape.width);
}

}  // namespace

AnomalyPanel::AnomalyPanel(LabelSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  controls_ = new AnomalyControls;
  auto* controlsScroll = new QScrollArea;
  controlsScroll->setWidget(controls_);
  controlsScroll->setWidgetResizable(true);
  controlsScroll->setFrameShape(QFrame::NoFrame);
  controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  controlsScroll->setMinimumWidth(controls_->sizeHint().width() + 16);

  histogram_ = new ScoreHistogram;
  roc_ = new RocPlot;
  gallery_ = new AnomalyGallery;
  symptoms_ = new SymptomView;
  topFeatures_ = new QLabel;
  topFeatures_->setWordWrap(true);
  topFeatures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* symptomsColumn = new QWidget;
  auto* symptomsLayout = new QVBoxLayout(symptomsColumn);
  symptomsLayout->setContentsMargins(0, 0, 0, 0);
  symptomsLayout->addWidget(symptoms_, 1);
  symptomsLayout->addWidget(topFeatures_);

  auto* plots = new QSplitter(Qt::Horizontal);
  plots->addWidget(histogram_);
  plots->addWidget(roc_);
  plots->setChildrenCollapsible(false);
  auto* samples = new QSplitter(Qt::Horizontal);
  samples->addWidget(gallery_);
  samples->addWidget(symptomsColumn);
  samples->setStretchFactor(0, 3);
  samples->setStretchFactor(1, 2);
  samples->setChildrenCollapsible(false);
  auto* view = new QSplitter(Qt::Vertical);
  view->addWidget(plots);
  view->addWidget(samples);
  view->setChildrenCollapsible(false);

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(controlsScroll);
  splitter->addWidget(view);
  splitter->setCollapsible(0, false);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({controlsScroll->minimumWidth(), 900});
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(splitter);

  worker_ = new AnomalyWorker(this);
  connect(worker_, &AnomalyWorker::progressed, this, &AnomalyPanel::showProgress);
  connect(worker_, &AnomalyWorker::finished, this, &AnomalyPanel::finished);
  connect(controls_, &AnomalyControls::computeClicked, this, &AnomalyPanel::compute);
  connect(controls_, &AnomalyControls::cancelClicked, this, &AnomalyPanel::cancel);
  connect(controls_, &AnomalyControls::thresholdChanged, this, &AnomalyPanel::updateThreshold);
  connect(controls_, &AnomalyControls::galleryChanged, this, &AnomalyPanel::updateGallery);
  connect(gallery_, &AnomalyGallery::chosen, this, &AnomalyPanel::showSymptoms);
  connect(session_, &LabelSession::changed, this, &AnomalyPanel::updateControls);  // a data set opened
  updateControls();
}

AnomalyPanel::~AnomalyPanel() { worker_->cancel(); }

// ---- jobs -----------------------------------------------------------------------------------------------------

void AnomalyPanel::setModel(ModelSnapshot model) {
  model_ = std::move(model);
  updateControls();
}

void AnomalyPanel::reset() {
  worker_->drop();  // whatever the running job still posts is dropped: it scored the old data
  scores_.reset();
  scoredData_.reset();
  galleryPositions_.clear();
  symptomPosition_ = -1;
  histogram_->clearScores();
  histogram_->replot();
  roc_->clearCurve(tr("Name a class as the anomaly\nto see the ROC curve."));
  gallery_->setItems({});
  symptoms_->clear(tr("Click a sample to see its symptoms."));
  topFeatures_->clear();
  controls_->clearThreshold();
  controls_->setStatus(QString());
  controls_->setProgress(0);
  updateControls();
}

void AnomalyPanel::cancel() { worker_->cancel(); }

bool AnomalyPanel::isComputing() const { return worker_->isRunning(); }

QString AnomalyPanel::statusText() const { return controls_->status(); }

void AnomalyPanel::compute() {
  if (isComputing()) return;  // one job at a time: Cancel first
  startJob();
}

void AnomalyPanel::startJob() {
  std::shared_ptr<const DataSplit> data = session_->sharedData();
  auto refuse = [this](const QString& why) {
    controls_->setStatus(why);
    emit computed();
  };
  if (!data || !model_) return refuse(tr("Open a data set and train or open a model first."));
  if (model_->model.inputSize != data->train.features())
    return refuse(tr("The model reads %1 features per sample and this data set has %2: open a matching model or "
                     "data set.")
                      .arg(model_->model.inputSize)
                      .arg(data->train.features()));
  if (data->test.size() == 0) return refuse(tr("This data set has no test points to score."));
  const int holdout = controls_->holdout();
  if (holdout >= 0 && !data->test.hasLabels())
    return refuse(tr("The test points have no labels: no class can be named as the anomaly."));

  AnomalyScoringRequest request;
  request.score.kind = controls_->scoreKind();
  request.score.samples = controls_->samples();
  request.score.perFeature = true;
  request.holdout = holdout;
  request.testSamples = controls_->testCap();
  request.trainingSamples = kTrainingPoints;
  scoredData_ = data;
  controls_->setProgress(0);
  controls_->setStatus(tr("Scoring…"));
  worker_->start(model_, data, std::move(request));
  updateControls();
}

void AnomalyPanel::showProgress(const AnomalyScoringProgress& p) {
  controls_->setProgress(100 * p.done / std::max(1, p.total));
  controls_->setStatus(p.training ? tr("Training points for the threshold: %1 of %2").arg(p.done).arg(p.total)
                                  : tr("Test points: %1 of %2").arg(p.done).arg(p.total));
}

void AnomalyPanel::finished(const AnomalyOutcome& outcome) {
  const AnomalyScoringResult& r = outcome.result;
  if (!outcome.error.isEmpty()) {
    controls_->setStatus(tr("Scoring failed: %1").arg(outcome.error));
    controls_->setProgress(0);
    emit message(controls_->status());
  } else if (r.status == JobStatus::Cancelled) {
    controls_->setStatus(tr("Cancelled."));
    controls_->setProgress(0);
  } else {
    scores_ = r.scores;
    symptomPosition_ = -1;
    showScores();
    controls_->setProgress(100);
    const QString name = QString::fromStdString(describe(scores_->score.kind, scores_->score.samples));
    const ModelSnapshot scored = worker_->model();
    controls_->setStatus(
        tr("%1 of %2 test points%3, %4 s%5")
            .arg(name)
            .arg(scores_->test.size())
            .arg(scored && scored->training ? tr(", model after epoch %1").arg(scored->training->state.epoch)
                                            : QString())
            .arg(outcome.seconds, 0, 'f', 1)
            .arg(scores_->hasRoc()
                     ? tr("; AUROC %1, AUPRC %2").arg(scores_->roc.auroc, 0, 'f', 3).arg(scores_->roc.auprc, 0, 'f', 3)
                     : QString()));
    emit scoresComputed(scores_);
  }
  updateControls();
  emit computed();
}

void AnomalyPanel::updateControls() {
  controls_->setClassNames(session_->classNames());
  controls_->updateFor(model_ && session_->isOpen() && !isComputing(), isComputing());
}

// ---- what is shown --------------------------------------------------------------------------------------------

void AnomalyPanel::showScores() {
  const AnomalyScores& s = *scores_;
  const QString axis = QString::fromStdString(describe(s.score.kind, s.score.samples)) + tr(" (nats)");
  QVector<double> a, b;
  if (!s.anomalous.empty()) {
    for (size_t j = 0; j < s.test.size(); ++j) (s.anomalous[j] ? b : a).push_back(s.test[j]);
    const QString cls = session_->classNames().value(s.holdout, QString::number(s.holdout));
    histogram_->setScores(a, tr("normal test"), b, tr("anomalous test (%1)").arg(cls), axis);
  } else {
    for (float v : s.training) a.push_back(v);
    for (float v : s.test) b.push_back(v);
    histogram_->setScores(a, tr("training"), b, tr("test"), axis);
  }
  if (s.hasRoc()) {
    QVector<QPointF> points;
    for (const RocPoint& p : thinned(s.roc, 1000).points) points.push_back({p.falsePositiveRate, p.truePositiveRate});
    roc_->setCurve(points, s.roc.auroc, QString::fromStdString(describe(s.score.kind, s.score.samples)));
  } else {
    roc_->clearCurve(s.holdout >= 0 ? tr("The scored test points hold only one kind:\nno ROC curve.")
                                    : tr("Name a class as the anomaly\nto see the ROC curve."));
  }
  updateThreshold();
  updateGallery();
}

void AnomalyPanel::updateThreshold() {
  if (!scores_ || scores_->training.empty()) {
    controls_->clearThreshold();
    return;
  }
  threshold_ = scores_->thresholdAt(controls_->percentile());
  counts_ = scores_->countsAt(threshold_);
  histogram_->setThreshold(threshold_);
  const bool known = !scores_->anomalous.empty();
  if (scores_->hasRoc()) roc_->setWorkingPoint(counts_.falsePositiveRate, counts_.recall);
  controls_->showThreshold(threshold_, counts_, int(scores_->test.size()), known);
}

void AnomalyPanel::updateGallery() {
  if (!scores_ || !scoredData_) return;
  const Dataset& test = scoredData_->test;
  const QStringList names = session_->classNames();
  const std::vector<int> top = scores_->mostAnomalous(controls_->gallerySize());
  galleryPositions_ = QVector<int>(top.begin(), top.end());
  QVector<GalleryItem> items;
  for (int rank = 0; rank < galleryPositions_.size(); ++rank) {
    const int position = galleryPositions_[rank], index = scores_->testIndices[size_t(position)];
    const int label = test.hasLabels() ? test.labels[size_t(index)] : -1;
    const double score = scores_->test[size_t(position)];
    items.push_back({thumbnail(test, index), QString("%1 · %2").arg(rank + 1).arg(score, 0, 'f', 0),
                     tr("test #%1, class %2, score %3 nats")
                         .arg(index)
                         .arg(names.value(label, label < 0 ? tr("unknown") : QString::number(label)))
                         .arg(score, 0, 'f', 1)});
  }
  gallery_->setItems(items);
  if (!galleryPositions_.isEmpty()) gallery_->choose(0);
}

void AnomalyPanel::showSymptoms(int row) {
  if (!scores_ || !scoredData_ || row < 0 || row >= galleryPositions_.size()) return;
  const int position = galleryPositions_[row], index = scores_->testIndices[size_t(position)];
  symptomPosition_ = position;
  if (scores_->symptoms.cols() <= position) {
    symptoms_->clear(tr("These scores were computed without their split per feature."));
    return;
  }
  const Dataset& test = scoredData_->test;
  const SampleShape& shape = test.shape;
  const Vector<float> x = test.x.col(index), heat = scores_->symptoms.col(position);
  auto toQ = [](const Vector<float>& v) { return QVector<float>(v.data(), v.data() + v.size()); };
  if (shape.isImage()) {
    symptoms_->showImage(toQ(symptomsPerPosition(x, shape) / float(shape.channels)),
                         toQ(symptomsPerPosition(heat, shape)), shape.height, shape.width);
  } else {
    const int channels = shape.isSequence() ? shape.channels : 1;
    symptoms_->showCurves(toQ(x), toQ(heat), channels, int(x.size()) / channels);
  }
  const QStringList names = session_->classNames();
  const int label = test.hasLabels() ? test.labels[size_t(index)] : -1;
  const double total = scores_->test[size_t(position)], latent = scores_->testLatent[size_t(position)];
  if (scores_->score.kind == ScoreKind::Surprise)
    symptoms_->setCaption(tr("test #%1 (%2): surprise %3 nats; the map is its −ELBO's reconstruction part, %4 nats")
                              .arg(index)
                              .arg(names.value(label, tr("no label")))
                              .arg(total, 0, 'f', 1)
                              .arg(total - latent, 0, 'f', 1));
  else
    symptoms_->setCaption(tr("test #%1 (%2): %3 nats = %4 in the features + %5 in the latent term")
                              .arg(index)
                              .arg(names.value(label, tr("no label")))
                              .arg(total, 0, 'f', 1)
                              .arg(total - latent, 0, 'f', 1)
                              .arg(latent, 0, 'f', 1));
  QString text = tr("<b>Contributing most</b>");
  for (const RankedFeature& f : topFeatures(heat, kTopFeatures))
    text += QString("<br>%1: %2 nats")
                .arg(QString::fromStdString(describeFeature(f.feature, shape)).toHtmlEscaped())
                .arg(f.contribution, 0, 'f', 2);
  if (shape.isSequence()) {
    const Vector<float> perChannel = symptomsPerChannel(heat, shape);
    text += tr("<br><b>Channels</b> (summed over time)");
    for (const RankedFeature& f : topFeatures(perChannel, std::min(3, int(perChannel.size()))))
      text += QString("<br>channel %1: %2 nats").arg(f.feature).arg(f.contribution, 0, 'f', 2);
  }
  topFeatures_->setText(text);
}

QString AnomalyPanel::topFeaturesText() const { return topFeatures_->text(); }

void AnomalyPanel::saveSettings(QSettings& s) const { controls_->saveSettings(s); }

void AnomalyPanel::restoreSettings(const QSettings& s) {
  controls_->restoreSettings(s);
  updateControls();
}
