#include "app/projection/ProjectionPanel.h"
#include "widgets/FileDialogs.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QSplitter>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/LabelSession.h"
#include "app/OffThread.h"
#include "app/SampleImage.h"
#include "app/projection/HoverTip.h"
#include "app/projection/LatentPlane.h"
#include "app/projection/ProjectionWorker.h"
#include "app/projection/SampleDetails.h"
#include "app/projection/SampleGallery.h"
#include "engine/export/EmbeddingExport.h"
#include "engine/io/ModelFile.h"
#include "widgets/ProjectionPlot.h"

using namespace latentlab;

namespace {

constexpr int kPlaneCells = 15;      // rows of decoded images over the visible latent plane
constexpr int kEmbeddingEvery = 50;  // t-SNE iterations between two pictures of a first map
const std::vector<ProjectionPanel::Sample> kNoSamples;

}  // namespace

ProjectionPanel::ProjectionPanel(LabelSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  controls_ = new ProjectionControls;
  auto* controlsScroll = new QScrollArea;
  controlsScroll->setWidget(controls_);
  controlsScroll->setWidgetResizable(true);
  controlsScroll->setFrameShape(QFrame::NoFrame);
  controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  controlsScroll->setMinimumWidth(controls_->sizeHint().width() + 16);

  plot_ = new ProjectionPlot;
  plot_->setMinimumSize(300, 300);
  hover_ = new HoverTip(plot_);
  details_ = new SampleDetails;
  auto* view = new QWidget;
  auto* viewLayout = new QVBoxLayout(view);
  viewLayout->setContentsMargins(0, 0, 0, 0);
  viewLayout->addWidget(plot_, 1);
  viewLayout->addWidget(details_);

  // The plot takes what room there is; the controls can be narrowed to their minimum.
  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(controlsScroll);
  splitter->addWidget(view);
  splitter->setCollapsible(0, false);
  splitter->setCollapsible(1, false);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({controlsScroll->minimumWidth(), 800});
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(splitter);

  worker_ = new ProjectionWorker(this);
  connect(worker_, &ProjectionWorker::progressed, this, &ProjectionPanel::showProgress);
  connect(worker_, &ProjectionWorker::mapFormed, this, &ProjectionPanel::showForming);
  connect(worker_, &ProjectionWorker::finished, this, &ProjectionPanel::finished);

  planeTimer_ = new QTimer(this);
  planeTimer_->setSingleShot(true);
  planeTimer_->setInterval(120);  // decode the plane again once the user stops zooming or panning
  connect(planeTimer_, &QTimer::timeout, this, &ProjectionPanel::updatePlane);
  for (QCPAxis* a : {plot_->xAxis, plot_->yAxis})
    connect(a, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
      if (shownInput_ == int(Input::LatentPlane) && controls_->planeBackground()) planeTimer_->start();
    });
  connect(controls_, &ProjectionControls::planeChanged, this, &ProjectionPanel::updatePlane);
  connect(controls_, &ProjectionControls::computeClicked, this, &ProjectionPanel::compute);
  connect(controls_, &ProjectionControls::cancelClicked, this, &ProjectionPanel::cancel);
  connect(controls_, &ProjectionControls::colourChanged, this, &ProjectionPanel::recolour);
  connect(controls_, &ProjectionControls::mouseModeChanged, plot_, &ProjectionPlot::setSelectionMode);
  connect(controls_, &ProjectionControls::labelSelectionAs, this, &ProjectionPanel::labelSelection);
  connect(controls_, &ProjectionControls::galleryClicked, this, &ProjectionPanel::openGallery);
  connect(controls_, &ProjectionControls::exportImageClicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export projection"), dialogStartPath("projection.png"),
                                                      tr("PNG image (*.png);;PDF document (*.pdf)"));
    rememberDialogFolder(path);
    if (!path.isEmpty() && !exportPng(path)) emit message(tr("Could not write %1").arg(path));
  });
  connect(controls_, &ProjectionControls::exportCsvClicked, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export projection"), dialogStartPath("projection.csv"), tr("CSV (*.csv)"));
    rememberDialogFolder(path);
    if (!path.isEmpty() && !exportCsv(path)) emit message(tr("Could not write %1").arg(path));
  });
  connect(controls_, &ProjectionControls::exportProjectorClicked, this, [this] {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder for the Embedding Projector files"), dialogStartPath({}));
    rememberDialogFolder(folder, true);
    if (!folder.isEmpty()) exportEmbedding(folder);
  });
  connect(plot_, &ProjectionPlot::hovered, this, &ProjectionPanel::showHover);
  connect(plot_, &ProjectionPlot::clicked, this, [this](int i) {
    if (i < 0) return;
    if (plot_->selectionMode() == ProjectionPlot::SelectionMode::None) plot_->setSelection({i});
    showDetails(i);
  });
  connect(plot_, &ProjectionPlot::selectionChanged, this, &ProjectionPanel::updateControls);
  connect(session_, &LabelSession::changed, this, [this] {
    if (controls_->colourBy() == ColourBy::Labelled) recolour();
    if (detailPoint_ >= 0) showDetails(detailPoint_);
  });
  updateControls();
}

ProjectionPanel::~ProjectionPanel() { worker_->cancel(); }

// ---- jobs -----------------------------------------------------------------------------------------------------

void ProjectionPanel::setModel(ModelSnapshot model) {
  model_ = std::move(model);
  updateControls();
  if (!model_ || !controls_->refreshEachEpoch() || !session_->isOpen()) return;
  // A job longer than an epoch finishes and the newest model runs next: cancelling it for every new model
  // would never show a map.
  if (isComputing())
    again_ = true;
  else
    startJob();
}

void ProjectionPanel::reset() {
  cancel();
  worker_->drop();  // whatever the running job still posts is dropped: it encoded the old data
  shown_.reset();
  shownModel_.reset();
  decoder_.reset();
  xy_.resize(0, 0);
  shownInput_ = -1;
  previousComponents_.resize(0, 0);
  previousInput_ = -1;
  detailPoint_ = -1;
  planeImage_ = QImage();
  plot_->setUnderlay({}, {});
  plot_->setPoints({});
  plot_->replot();
  hover_->hide();
  details_->clear();
  controls_->setStatus(QString());
  controls_->setProgress(0);
  updateControls();
}

void ProjectionPanel::setAnomalyScores(std::shared_ptr<const AnomalyScores> scores) {
  anomalyScores_ = std::move(scores);
  if (controls_->colourBy() == ColourBy::AnomalyScore) recolour();
}

void ProjectionPanel::cancel() {
  worker_->cancel();
  again_ = false;
}

bool ProjectionPanel::isComputing() const { return worker_->isRunning(); }

void ProjectionPanel::compute() {
  if (!model_ || !session_->data()) return;
  if (isComputing()) {  // one job at a time: the running one stops, the new request runs when it has
    again_ = true;
    worker_->cancel();
    return;
  }
  startJob();
}

void ProjectionPanel::startJob() {
  std::shared_ptr<const DataSplit> data = session_->sharedData();
  if (!data || !model_) return;
  if (model_->model.inputSize != data->train.features()) {
    controls_->setStatus(tr("The model reads %1 features per sample and this data set has %2: open a matching "
                            "model or data set.")
                             .arg(model_->model.inputSize)
                             .arg(data->train.features()));
    emit computed();
    return;
  }
  // Which samples.
  std::vector<Sample> chosen;
  const Set set = controls_->set();
  if (set == Set::Test) {
    for (int i = 0; i < data->test.size(); ++i) chosen.push_back({i, true});
  } else if (set == Set::Training) {
    for (int i = 0; i < data->train.size(); ++i) chosen.push_back({i, false});
  } else if (set == Set::Labelled) {
    for (const LabelEntry& e : *session_->labels()->snapshot())
      if (e.index >= 0 && e.index < data->train.size()) chosen.push_back({e.index, false});
    std::sort(chosen.begin(), chosen.end(), [](const Sample& a, const Sample& b) { return a.index < b.index; });
  } else {
    for (int i : plot_->selection())
      if (i < int(samples().size())) chosen.push_back(samples()[size_t(i)]);
  }
  chosen = sampleSubset(std::move(chosen), controls_->sampleCap());
  const Input input = controls_->input();
  const bool tsne = controls_->tsne();
  if (chosen.size() < 3 || (tsne && chosen.size() < 10)) {
    controls_->setStatus(set == Set::Selection && chosen.empty()
                             ? tr("Select points first (Mouse: Rectangle or Lasso), then project the selection.")
                             : tr("Too few samples to project (%1).").arg(chosen.size()));
    emit computed();
    return;
  }

  again_ = false;
  ProjectionRequest request;
  request.samples = chosen;
  request.input = input;
  request.method = controls_->method();
  request.tsne.perplexity = controls_->perplexity();
  request.tsne.iterations = controls_->iterations();
  request.tsne.threads = std::max(1, QThread::idealThreadCount() - 1);
  // A refresh of the same samples with the same input continues from what is shown: aligned PCA axes, or the
  // previous t-SNE map as the start. A first map is shown as it forms; a refresh only when done, so that the
  // view stays where it was.
  const bool refresh = shown_ && shownInput_ == int(input) && shownTsne_ == tsne && shown_->samples == chosen;
  if (tsne && refresh) {
    request.tsne.init = TsneInit::Given;
    request.tsne.initial = xy_;
  }
  if (!refresh) request.tsne.embeddingEvery = kEmbeddingEvery;
  if (previousInput_ == int(input)) request.alignTo = previousComponents_;
  jobInput_ = input;
  jobTsne_ = tsne;
  jobRefresh_ = refresh;
  formingShown_ = false;
  controls_->setProgress(0);
  controls_->setStatus(tr("Encoding %1 samples…").arg(chosen.size()));
  worker_->start(model_, data, std::move(request));
  updateControls();
}

void ProjectionPanel::showProgress(const ProjectionProgress& p) {
  switch (p.stage) {
    case ProjectionStage::Encoding:
      controls_->setProgress((jobTsne_ ? 30 : 90) * p.done / std::max(1, p.total));  // of the bar
      controls_->setStatus(tr("Encoding: %1 of %2 samples").arg(p.done).arg(p.total));
      break;
    case ProjectionStage::Projecting:
      controls_->setStatus(tr("Projecting…"));
      break;
    case ProjectionStage::Tsne:
      controls_->setProgress(30 + int(70.0 * p.done / std::max(1, p.total)));
      controls_->setStatus(p.done == 0 ? tr("t-SNE: neighbours found")
                                       : tr("t-SNE: iteration %1 of %2").arg(p.done).arg(p.total));
      break;
  }
}

void ProjectionPanel::showForming(const std::shared_ptr<const ProjectionEncoding>& e, const Matrix<float>& xy) {
  formingShown_ = true;
  const bool first = shown_ != e;
  if (first) {
    adopt(e);
    shownInput_ = -1;  // not a finished map: a later refresh starts anew
    shownTsne_ = false;
    plot_->setUnderlay({}, {});
    planeImage_ = QImage();
    plot_->setAxisLabels("t-SNE 1", "t-SNE 2");
  }
  setXy(xy, true);
  if (first) recolour();  // the new model's predictions and scores
  if (first && detailPoint_ >= 0) showDetails(detailPoint_);  // the clicked sample under the new model
}

void ProjectionPanel::finished(const ProjectionOutcome& outcome) {
  const ProjectionResult& r = outcome.result;
  if (!outcome.error.isEmpty()) {
    controls_->setStatus(tr("Projection failed: %1").arg(outcome.error));
    controls_->setProgress(0);
    emit message(controls_->status());
  } else if (r.status == JobStatus::Cancelled) {
    controls_->setStatus(formingShown_ ? tr("Cancelled; the map shown is where t-SNE got to.") : tr("Cancelled."));
    controls_->setProgress(0);
  } else {
    const bool wasForming = shown_ == r.encoding;  // this job's map was shown as it formed
    adopt(r.encoding);
    if (r.components.size() > 0) {  // a PCA
      previousComponents_ = r.components;
      previousInput_ = int(jobInput_);
    }
    shownInput_ = int(jobInput_);
    shownTsne_ = jobTsne_;
    setXy(r.xy, !jobRefresh_ || wasForming);  // a refresh keeps the user's view (fitted if untouched)
    QString note;
    if (jobInput_ == Input::LatentPlane) {
      plot_->setAxisLabels("z₁", "z₂");
    } else if (!jobTsne_) {
      plot_->setAxisLabels(QString("PC 1 (%1% of the variance)").arg(100 * r.varianceRatio[0], 0, 'f', 1),
                           QString("PC 2 (%1%)").arg(100 * r.varianceRatio[1], 0, 'f', 1));
    } else {
      plot_->setAxisLabels("t-SNE 1", "t-SNE 2");
      note = QString("t-SNE KL %1").arg(r.klDivergence, 0, 'f', 3);
    }
    recolour();
    if (jobInput_ == Input::LatentPlane) {
      updatePlane();
    } else {
      plot_->setUnderlay({}, {});
      planeImage_ = QImage();
    }
    ++mapsShown_;
    controls_->setProgress(100);
    controls_->setStatus(tr("%1 samples, model after epoch %2%3, %4 s")
                             .arg(samples().size())
                             .arg(shownModel_ && shownModel_->training ? shownModel_->training->state.epoch : 0)
                             .arg(note.isEmpty() ? "" : ", " + note)
                             .arg(outcome.seconds, 0, 'f', 1));
    if (detailPoint_ >= int(samples().size())) detailPoint_ = -1;
    if (detailPoint_ >= 0) showDetails(detailPoint_);
  }
  updateControls();
  if (again_)
    startJob();
  else
    emit computed();
}

// ---- what is shown --------------------------------------------------------------------------------------------

// The running job's samples become the shown ones.
void ProjectionPanel::adopt(std::shared_ptr<const ProjectionEncoding> e) {
  const bool same = shown_ && shown_->samples == e->samples;
  if (!shown_ || shownModel_ != worker_->model()) decoder_.reset();
  shown_ = std::move(e);
  shownModel_ = worker_->model();
  if (!same) {  // other samples: no selection, no details, and the plot's colours are set again for them
    plot_->clearSelection();
    plot_->setPoints({});
    detailPoint_ = -1;
    details_->clear();  // the clicked sample is not among them (it once stayed after recomputing)
  }
}

void ProjectionPanel::setXy(const Matrix<float>& xy, bool fitView) {
  xy_ = xy;
  QVector<QPointF> points(qsizetype(xy.cols()));
  for (int j = 0; j < int(xy.cols()); ++j) points[j] = QPointF(xy(0, j), xy(1, j));
  plot_->setPoints(points, fitView);  // the same samples keep their colours
}

const std::vector<ProjectionPanel::Sample>& ProjectionPanel::samples() const {
  return shown_ ? shown_->samples : kNoSamples;
}

int ProjectionPanel::predicted(int point) const { return shown_ ? shown_->predicted(point) : -1; }

QString ProjectionPanel::statusText() const { return controls_->status(); }

void ProjectionPanel::updateControls() {
  controls_->setClassNames(session_->classNames());
  controls_->updateFor(model_ != nullptr, model_ && model_->model.latent == 2, model_ && session_->isOpen(),
                       isComputing());
  const std::vector<Sample>& s = samples();
  int training = 0;
  for (int i : plot_->selection())
    if (i < int(s.size()) && !s[size_t(i)].fromTest) ++training;
  controls_->showSelection(int(plot_->selection().size()), training, !s.empty());
}

void ProjectionPanel::recolour() {
  const DataSplit* data = session_->data();
  const int n = int(samples().size());
  if (!data || n == 0 || plot_->pointCount() != n) return;
  const ColourBy by = controls_->colourBy();
  QStringList names = session_->classNames();
  if (by == ColourBy::TrueClass || by == ColourBy::Predicted) {
    QVector<int> groups(n);
    for (int j = 0; j < n; ++j) {
      const Sample& s = samples()[size_t(j)];
      const Dataset& d = s.fromTest ? data->test : data->train;
      groups[j] = by == ColourBy::Predicted        ? predicted(j)
                  : s.index < int(d.labels.size()) ? d.labels[size_t(s.index)]
                                                   : -1;
    }
    plot_->setColours(groups, names);
  } else if (by == ColourBy::Labelled) {
    QVector<int> groups(n);
    for (int j = 0; j < n; ++j) {
      const Sample& s = samples()[size_t(j)];
      groups[j] = s.fromTest ? -1 : session_->entry(s.index) ? 0 : 1;
    }
    plot_->setColours(groups, {tr("labelled"), tr("unlabelled")}, {QColor(214, 39, 40), QColor(120, 160, 200)});
  } else {
    QVector<double> values(n);
    for (int j = 0; j < n; ++j)
      values[j] = by == ColourBy::Confidence        ? double(shown_->probs.col(j).maxCoeff())
                  : j < int(shown_->negElbo.size()) ? double(shown_->negElbo[size_t(j)])
                                                    : std::nan("");
    QString label = by == ColourBy::Confidence ? tr("confidence max q(y|x)") : tr("−ELBO (nats)");
    // The Anomaly view's score where it covers the shown samples.
    if (by == ColourBy::AnomalyScore && anomalyScores_) {
      QVector<double> scored(n);
      bool any = false;
      for (int j = 0; j < n; ++j) {
        const Sample& s = samples()[size_t(j)];
        scored[j] = anomalyScores_->scoreOf(s.index, s.fromTest);
        any = any || std::isfinite(scored[j]);
      }
      if (any) {
        values = scored;
        label = QString::fromStdString(describe(anomalyScores_->score.kind, anomalyScores_->score.samples)) +
                tr(" (nats; grey: not scored)");
      }
    }
    plot_->setValues(values, label);
  }
  plot_->replot();
}

SemiSupervisedVae<float>* ProjectionPanel::decoder() {
  if (!shown_ || !shownModel_) return nullptr;
  if (!decoder_) decoder_ = instantiateModel(*shownModel_);
  return decoder_.get();
}

// The visible part of a 2-D latent plane, decoded as one class on a grid, once the view stops moving.
void ProjectionPanel::updatePlane() {
  updateControls();
  const DataSplit* data = session_->data();
  SemiSupervisedVae<float>* net = shownInput_ == int(Input::LatentPlane) ? decoder() : nullptr;
  if (!controls_->planeBackground() || !net || !data || net->config().latent != 2 ||
      net->config().inputSize != data->train.shape.features()) {
    planeImage_ = QImage();
    plot_->setUnderlay({}, {});
    return;
  }
  const int cls = std::clamp(controls_->planeClass(), 0, net->config().classes - 1);
  const QCPRange rx = plot_->xAxis->range(), ry = plot_->yAxis->range();
  // kPlaneCells rows of cells as square on screen as the view allows.
  const QRect area = plot_->axisRect()->rect();
  const int rows = kPlaneCells;
  const int cols =
      area.height() > 0 ? std::clamp(int(std::lround(rows * double(area.width()) / area.height())), 1, 4 * rows) : rows;
  const QRectF plane(QPointF(rx.lower, ry.lower), QPointF(rx.upper, ry.upper));
  planeImage_ = decodeLatentPlane(*net, plane, rows, cols, cls, data->train.shape);
  plot_->setUnderlay(planeImage_, plane);
}

const Dataset* ProjectionPanel::datasetOf(int point) const {
  const DataSplit* data = session_->data();
  if (!data || point < 0 || point >= int(samples().size())) return nullptr;
  const Sample& s = samples()[size_t(point)];
  const Dataset& d = s.fromTest ? data->test : data->train;
  return s.index < d.size() ? &d : nullptr;
}

QImage ProjectionPanel::sampleAt(int point) const {
  const Dataset* d = datasetOf(point);
  return d ? sampleImage(*d, samples()[size_t(point)].index) : QImage();
}

QImage ProjectionPanel::reconstruction(int point) {
  SemiSupervisedVae<float>* net = decoder();
  if (!net || point < 0 || point >= int(shown_->mu.cols())) return {};
  const ModelConfig& c = net->config();
  // What the model would draw for this sample: z at its posterior mean, with the predicted class
  // (marginal objective) or q(y|x) itself (single objective), as the decoder reads them when training.
  Matrix<float> y = Matrix<float>::Zero(c.classes, 1);
  if (c.objective == Objective::Marginal)
    y(predicted(point), 0) = 1;
  else
    y = shown_->probs.col(point);
  Matrix<float> mean;
  net->decode(shown_->mu.col(point), y, mean);
  const Dataset* d = datasetOf(point);
  if (!d || mean.rows() != d->features()) return {};  // a model for other data
  // Curves: the sample with its reconstruction dashed over it, on one range; images side by side.
  const int index = samples()[size_t(point)].index;
  return drawsAsCurves(d->shape) ? samplePicture(d->x.col(index).data(), d->shape, mean.data())
                                 : samplePicture(mean.data(), d->shape);
}

// ---- the sample under the mouse, the clicked one ---------------------------------------------------------------

void ProjectionPanel::showHover(int point) {
  const QImage img = sampleAt(point);
  if (img.isNull()) {
    hover_->hide();
    return;
  }
  const Sample& s = samples()[size_t(point)];
  const QStringList names = session_->classNames();
  const int p = predicted(point);
  hover_->showBeside(plot_->pixelOf(point), img,
                     tr("%1 #%2\npredicted %3 (%4)")
                         .arg(s.fromTest ? tr("test") : tr("training"))
                         .arg(s.index)
                         .arg(names.value(p, QString::number(p)))
                         .arg(double(shown_->probs.col(point).maxCoeff()), 0, 'f', 2));
}

bool ProjectionPanel::hoverVisible() const { return hover_->isVisible(); }

void ProjectionPanel::showDetails(int point) {
  detailPoint_ = point;
  const QImage img = sampleAt(point);
  if (img.isNull()) return;
  const Sample& s = samples()[size_t(point)];
  const DataSplit* data = session_->data();
  const Dataset& d = s.fromTest ? data->test : data->train;
  const QStringList names = session_->classNames();
  const int truth = s.index < int(d.labels.size()) ? d.labels[size_t(s.index)] : -1;
  const int p = predicted(point);
  QString text = tr("<b>%1 #%2</b><br>true class %3, predicted %4 (%5)")
                     .arg(s.fromTest ? tr("test") : tr("training"))
                     .arg(s.index)
                     .arg(names.value(truth, "?").toHtmlEscaped())
                     .arg(names.value(p, "?").toHtmlEscaped())
                     .arg(double(shown_->probs(p, point)), 0, 'f', 2);
  if (!s.fromTest) {
    if (auto e = session_->entry(s.index))
      text += tr("<br>labelled %1").arg(names.value(e->label).toHtmlEscaped());
    else
      text += tr("<br>unlabelled");
  }
  if (point < int(shown_->negElbo.size()))
    text += tr("<br>−ELBO %1 nats").arg(double(shown_->negElbo[size_t(point)]), 0, 'f', 1);
  const auto q = shown_->probs.col(point);
  details_->showSample(img, reconstruction(point), text, std::vector<float>(q.data(), q.data() + q.size()), names);
}

// ---- the selection and the map --------------------------------------------------------------------------------

int ProjectionPanel::labelSelection(int cls) {
  std::vector<LabelEntry> entries;
  for (int i : plot_->selection())
    if (i < int(samples().size()) && !samples()[size_t(i)].fromTest)
      entries.push_back({samples()[size_t(i)].index, cls, LabelSource::User});
  if (entries.empty()) return 0;
  const QString name = session_->classNames().value(cls, QString::number(cls));
  session_->assignMany(entries, tr("Label %1 samples as %2").arg(entries.size()).arg(name));
  emit message(tr("Labelled %1 samples as %2 (Edit > Undo takes them back).").arg(entries.size()).arg(name));
  return int(entries.size());
}

void ProjectionPanel::openGallery() {
  const QVector<int>& sel = plot_->selection();
  if (sel.isEmpty()) return;
  const QStringList names = session_->classNames();
  QVector<GalleryItem> items;
  for (int i : sel) {
    const QImage img = sampleAt(i);
    if (img.isNull()) continue;
    const Sample& s = samples()[size_t(i)];
    const int p = predicted(i);
    items.push_back(
        {img, names.value(p),
         tr("%1 #%2, predicted %3").arg(s.fromTest ? tr("test") : tr("training")).arg(s.index).arg(names.value(p))});
  }
  auto* gallery = new SampleGallery(tr("%1 selected samples").arg(sel.size()),
                                    tr("Captions: the predicted class. Hover for the sample."), items, this);
  gallery->show();
}

bool ProjectionPanel::exportPng(const QString& path) { return plot_->exportTo(path); }

bool ProjectionPanel::exportCsv(const QString& path) const {
  const DataSplit* data = session_->data();
  if (!data || !shown_) return false;
  const int n = int(samples().size());
  ProjectionPlot::CsvColumns c;
  c.index.resize(n);
  c.classes.resize(n);
  c.predictions.resize(n);
  c.labelled.resize(n);
  for (int j = 0; j < n; ++j) {
    const Sample& s = samples()[size_t(j)];
    const Dataset& d = s.fromTest ? data->test : data->train;
    c.index[j] = s.index;
    c.classes[j] = s.index < int(d.labels.size()) ? d.labels[size_t(s.index)] : -1;
    c.predictions[j] = predicted(j);
    c.labelled[j] = !s.fromTest && session_->entry(s.index).has_value();
    c.set << (s.fromTest ? "test" : "training");
  }
  return plot_->writeCsv(path, c);
}

bool ProjectionPanel::exportEmbedding(const QString& folder) {
  std::shared_ptr<const DataSplit> data = session_->sharedData();
  if (!data || !shown_) return false;
  EmbeddingRequest r;
  r.input = shownInput_ == int(Input::ClassLogRatios)       ? EmbeddingInput::ClassLogRatios
            : shownInput_ == int(Input::ClassProbabilities) ? EmbeddingInput::ClassProbabilities
                                                            : EmbeddingInput::LatentMeans;
  for (const QString& name : session_->classNames()) r.classNames.push_back(name.toStdString());
  for (const Sample& s : samples()) r.labelled.push_back(!s.fromTest && session_->entry(s.index).has_value());
  emit message(tr("Writing %1 samples for the Embedding Projector to %2 ...").arg(samples().size()).arg(folder));
  runOffThread(
      this,
      [folder, data, encoding = shown_, r]() mutable {
        r.encoding = encoding.get();
        r.data = data.get();
        writeEmbedding(folder.toStdString(), r);
      },
      [this, folder](const QString& error) {
        emit message(error.isEmpty() ? tr("Wrote the Embedding Projector files to %1").arg(folder)
                                     : tr("Could not export: %1").arg(error));
        emit embeddingExported(folder, error);
      });
  return true;
}

void ProjectionPanel::saveSettings(QSettings& s) const { controls_->saveSettings(s); }

void ProjectionPanel::restoreSettings(const QSettings& s) {
  controls_->restoreSettings(s);
  updateControls();
}
