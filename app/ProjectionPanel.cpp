#include "app/ProjectionPanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "app/LabelSession.h"
#include "app/SampleImage.h"
#include "engine/active/PoolScores.h"
#include "engine/io/ModelFile.h"
#include "engine/projection/Pca.h"
#include "engine/projection/Tsne.h"
#include "widgets/ProjectionPlot.h"

using namespace latentlab;

// The samples of one computation as the model saw them; shared, read-only, between the job and the view.
struct ProjectionPanel::Encoding {
  std::vector<Sample> samples;
  Matrix<float> probs, logRatios, mu;
  std::vector<float> negElbo;
  ModelSnapshot model;
};

struct ProjectionPanel::Result {
  std::shared_ptr<const Encoding> encoding;
  Matrix<float> xy, components;
  int input = 0;
  bool pca = false, tsne = false, refresh = false;
  QString axisX, axisY, note, error;
  bool cancelled = false;
};

namespace {

constexpr int kDetailSize = 84;
constexpr int kHoverSize = 84;
constexpr int kPlaneCells = 15;          // rows of decoded images over the visible latent plane
constexpr int kEmbeddingEvery = 50;      // t-SNE iterations between two pictures of a first map
const std::vector<ProjectionPanel::Sample> kNoSamples;

QPixmap enlarged(const QImage& img, int size) {
  return QPixmap::fromImage(img.scaled(size, size, Qt::KeepAspectRatio, Qt::FastTransformation));
}

}  // namespace

ProjectionPanel::ProjectionPanel(LabelSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  buildUi();
  connect(session_, &LabelSession::changed, this, [this] {
    if (colour_->currentIndex() == int(ColourBy::Labelled)) recolour();
    if (detailPoint_ >= 0) showDetails(detailPoint_);
  });
  updateControls();
}

ProjectionPanel::~ProjectionPanel() {
  if (cancelFlag_) cancelFlag_->store(true);
}

void ProjectionPanel::buildUi() {
  auto* controls = new QWidget;
  auto* form = new QFormLayout(controls);
  form->setContentsMargins(0, 0, 0, 0);
  set_ = new QComboBox;
  set_->addItems({tr("Test set"), tr("Training set"), tr("Labelled set"), tr("Selection")});
  set_->setToolTip(tr("Which samples to encode and project. Selection: the points selected now"));
  form->addRow(tr("Samples"), set_);
  cap_ = new QSpinBox;
  cap_->setRange(10, 70000);
  cap_->setSingleStep(1000);
  cap_->setValue(5000);
  cap_->setToolTip(tr("At most this many samples, drawn at random (the same ones every time)"));
  form->addRow(tr("At most"), cap_);
  input_ = new QComboBox;
  input_->addItems({tr("Latent means μ"), tr("Classifier q(y|x)"), tr("Classifier log-ratios"),
                    tr("Latent plane (2-D latent)")});
  input_->setToolTip(tr("What to project. The latent means hold style (the class is in q(y|x)). Log-ratios: "
                        "log q(y|x) less its mean over the classes, where confident samples spread out instead "
                        "of piling up at a corner. The latent plane plots a 2-D latent space as it is"));
  form->addRow(tr("Input"), input_);
  method_ = new QComboBox;
  method_->addItems({tr("PCA"), tr("t-SNE")});
  form->addRow(tr("Method"), method_);
  perplexity_ = new QDoubleSpinBox;
  perplexity_->setRange(2, 100);
  perplexity_->setValue(30);
  perplexity_->setToolTip(tr("t-SNE: the effective number of neighbours each point keeps close"));
  form->addRow(tr("Perplexity"), perplexity_);
  iterations_ = new QSpinBox;
  iterations_->setRange(10, 5000);
  iterations_->setSingleStep(100);
  iterations_->setValue(1000);
  form->addRow(tr("Iterations"), iterations_);
  plane_ = new QCheckBox(tr("Decoded background as"));
  plane_->setToolTip(tr("Latent plane: decode a grid of the visible plane as this class, behind the points"));
  plane_->setChecked(true);
  planeClass_ = new QComboBox;
  auto* planeRow = new QHBoxLayout;
  planeRow->addWidget(plane_);
  planeRow->addWidget(planeClass_, 1);
  form->addRow(planeRow);
  compute_ = new QPushButton(tr("Compute"));
  cancel_ = new QPushButton(tr("Cancel"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(compute_);
  buttons->addWidget(cancel_);
  form->addRow(buttons);
  progress_ = new QProgressBar;
  progress_->setRange(0, 100);
  progress_->setValue(0);
  form->addRow(progress_);
  status_ = new QLabel(tr("Press Compute once a model is trained or opened."));
  status_->setWordWrap(true);
  form->addRow(status_);
  refresh_ = new QCheckBox(tr("Refresh each epoch"));
  refresh_->setToolTip(tr("Compute again with every new model while training runs"));
  form->addRow(refresh_);
  colour_ = new QComboBox;
  colour_->addItems({tr("True class"), tr("Predicted class"), tr("Labelled / unlabelled"), tr("Confidence"),
                     tr("Anomaly score (−ELBO)")});
  form->addRow(tr("Colour by"), colour_);
  mode_ = new QComboBox;
  mode_->addItems({tr("Pan and click"), tr("Rectangle select"), tr("Lasso select")});
  mode_->setToolTip(tr("Left drag pans or selects (Shift adds to the selection); the wheel zooms; "
                       "double-click fits"));
  form->addRow(tr("Mouse"), mode_);
  selectionText_ = new QLabel(tr("Nothing selected."));
  form->addRow(selectionText_);
  labelAs_ = new QToolButton;
  labelAs_->setText(tr("Label selection as…"));
  labelAs_->setToolTip(tr("Label the selected training samples (one undo step; test samples are skipped)"));
  labelAs_->setPopupMode(QToolButton::InstantPopup);
  labelAs_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  labelAs_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  auto* menu = new QMenu(labelAs_);
  labelAs_->setMenu(menu);
  connect(menu, &QMenu::aboutToShow, this, [this, menu] {
    menu->clear();
    const QStringList names = session_->classNames();
    for (int k = 0; k < names.size(); ++k) menu->addAction(names[k], this, [this, k] { labelSelection(k); });
  });
  gallery_ = new QPushButton(tr("Gallery"));
  gallery_->setToolTip(tr("Open the selected samples as a gallery"));
  auto* selectionRow = new QHBoxLayout;
  selectionRow->addWidget(labelAs_, 1);
  selectionRow->addWidget(gallery_);
  form->addRow(selectionRow);
  exportPng_ = new QPushButton(tr("Export image…"));
  exportCsv_ = new QPushButton(tr("Export CSV…"));
  auto* exports = new QHBoxLayout;
  exports->addWidget(exportPng_);
  exports->addWidget(exportCsv_);
  form->addRow(exports);
  auto* controlsScroll = new QScrollArea;
  controlsScroll->setWidget(controls);
  controlsScroll->setWidgetResizable(true);
  controlsScroll->setFrameShape(QFrame::NoFrame);
  controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  controlsScroll->setMinimumWidth(controls->sizeHint().width() + 16);

  plot_ = new ProjectionPlot;
  plot_->setMinimumSize(300, 300);

  // The sample under the cursor, floating beside it; it never takes the mouse from the plot.
  hoverTip_ = new QFrame(plot_);
  hoverTip_->setFrameShape(QFrame::StyledPanel);
  hoverTip_->setAutoFillBackground(true);
  hoverTip_->setAttribute(Qt::WA_TransparentForMouseEvents);
  auto* tipLayout = new QVBoxLayout(hoverTip_);
  tipLayout->setContentsMargins(4, 4, 4, 4);
  tipLayout->setSpacing(2);
  hoverImage_ = new QLabel;
  hoverImage_->setFixedSize(kHoverSize, kHoverSize);
  hoverImage_->setAlignment(Qt::AlignCenter);
  hoverText_ = new QLabel;
  hoverText_->setFont(QFont(font().family(), 8));
  tipLayout->addWidget(hoverImage_, 0, Qt::AlignHCenter);
  tipLayout->addWidget(hoverText_);
  hoverTip_->hide();

  // The clicked sample, in a strip under the plot: docks are wider than they are tall.
  auto* details = new QWidget;
  auto* detailLayout = new QHBoxLayout(details);
  detailLayout->setContentsMargins(0, 0, 0, 0);
  detailImage_ = new QLabel;
  detailRecon_ = new QLabel;
  for (QLabel* l : {detailImage_, detailRecon_}) {
    l->setFixedSize(kDetailSize, kDetailSize);
    l->setAlignment(Qt::AlignCenter);
    l->setFrameShape(QFrame::StyledPanel);
  }
  detailImage_->setToolTip(tr("The clicked sample"));
  detailRecon_->setToolTip(tr("Its reconstruction: z at the posterior mean, decoded with the predicted class"));
  detailText_ = new QLabel(tr("<b>Clicked sample</b><br>Click a point to see it, its reconstruction and q(y|x)."));
  detailText_->setWordWrap(true);
  detailText_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  detailText_->setMinimumWidth(120);
  bars_ = new QCustomPlot;
  bars_->setFixedSize(230, kDetailSize + 8);
  bars_->yAxis->setRange(0, 1);
  bars_->yAxis->setLabel("q(y|x)");
  bars_->xAxis->setTickLabelFont(QFont(font().family(), 7));
  bars_->yAxis->setTickLabelFont(QFont(font().family(), 7));
  bars_->yAxis->setLabelFont(QFont(font().family(), 7));
  bars_->yAxis->ticker()->setTickCount(2);
  bars_->hide();  // until a point is clicked
  detailLayout->addWidget(detailImage_, 0, Qt::AlignTop);
  detailLayout->addWidget(detailRecon_, 0, Qt::AlignTop);
  detailLayout->addWidget(detailText_, 1);
  detailLayout->addWidget(bars_, 0, Qt::AlignTop);
  details->setFixedHeight(kDetailSize + 10);

  auto* view = new QWidget;
  auto* viewLayout = new QVBoxLayout(view);
  viewLayout->setContentsMargins(0, 0, 0, 0);
  viewLayout->addWidget(plot_, 1);
  viewLayout->addWidget(details);

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

  planeTimer_ = new QTimer(this);
  planeTimer_->setSingleShot(true);
  planeTimer_->setInterval(120);  // decode the plane again once the user stops zooming or panning
  connect(planeTimer_, &QTimer::timeout, this, &ProjectionPanel::updatePlane);
  for (QCPAxis* a : {plot_->xAxis, plot_->yAxis})
    connect(a, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
      if (shownInput_ == int(Input::LatentPlane) && plane_->isChecked()) planeTimer_->start();
    });
  connect(plane_, &QCheckBox::toggled, this, &ProjectionPanel::updatePlane);
  connect(planeClass_, &QComboBox::currentIndexChanged, this, &ProjectionPanel::updatePlane);

  connect(compute_, &QPushButton::clicked, this, &ProjectionPanel::compute);
  connect(cancel_, &QPushButton::clicked, this, &ProjectionPanel::cancel);
  connect(method_, &QComboBox::currentIndexChanged, this, &ProjectionPanel::updateControls);
  connect(input_, &QComboBox::currentIndexChanged, this, &ProjectionPanel::updateControls);
  connect(colour_, &QComboBox::currentIndexChanged, this, &ProjectionPanel::recolour);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this](int i) {
    plot_->setSelectionMode(i == 1   ? ProjectionPlot::SelectionMode::Rectangle
                            : i == 2 ? ProjectionPlot::SelectionMode::Lasso
                                     : ProjectionPlot::SelectionMode::None);
  });
  connect(plot_, &ProjectionPlot::hovered, this, &ProjectionPanel::showHover);
  connect(plot_, &ProjectionPlot::clicked, this, [this](int i) {
    if (i < 0) return;
    if (plot_->selectionMode() == ProjectionPlot::SelectionMode::None) plot_->setSelection({i});
    showDetails(i);
  });
  connect(plot_, &ProjectionPlot::selectionChanged, this, &ProjectionPanel::updateControls);
  connect(gallery_, &QPushButton::clicked, this, &ProjectionPanel::openGallery);
  connect(exportPng_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export projection"), "projection.png",
                                                      tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (!path.isEmpty() && !exportPng(path)) emit message(tr("Could not write %1").arg(path));
  });
  connect(exportCsv_, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export projection"), "projection.csv", tr("CSV (*.csv)"));
    if (!path.isEmpty() && !exportCsv(path)) emit message(tr("Could not write %1").arg(path));
  });
}

void ProjectionPanel::updateControls() {
  const bool latent2 = model_ && model_->model.latent == 2;
  if (input_->currentIndex() == int(Input::LatentPlane) && !latent2 && model_)
    input_->setCurrentIndex(int(Input::LatentMeans));
  if (auto* m = qobject_cast<QStandardItemModel*>(input_->model()))
    if (QStandardItem* item = m->item(int(Input::LatentPlane))) item->setEnabled(latent2 || !model_);
  const bool plane = input_->currentIndex() == int(Input::LatentPlane);
  const bool tsne = method_->currentIndex() == int(Method::Tsne) && !plane;
  method_->setEnabled(!plane);
  perplexity_->setEnabled(tsne);
  iterations_->setEnabled(tsne);
  const QStringList names = session_->classNames();
  if (planeClass_->count() != names.size() ||
      (planeClass_->count() > 0 && planeClass_->itemText(0) != names.value(0))) {
    const int keep = planeClass_->currentIndex();
    planeClass_->blockSignals(true);
    planeClass_->clear();
    planeClass_->addItems(names);
    planeClass_->setCurrentIndex(std::clamp(keep, 0, std::max(0, int(names.size()) - 1)));
    planeClass_->blockSignals(false);
  }
  plane_->setEnabled(plane);
  planeClass_->setEnabled(plane && plane_->isChecked());
  compute_->setEnabled(model_ && session_->isOpen());
  cancel_->setEnabled(running_);
  const std::vector<Sample>& s = samples();
  int training = 0;
  for (int i : plot_->selection())
    if (i < int(s.size()) && !s[size_t(i)].fromTest) ++training;
  const int selected = int(plot_->selection().size());
  selectionText_->setText(selected == 0 ? tr("Nothing selected.")
                          : training == selected
                              ? tr("%n selected.", nullptr, selected)
                              : tr("%1 selected, %2 of them training samples.").arg(selected).arg(training));
  labelAs_->setEnabled(training > 0);
  gallery_->setEnabled(selected > 0);
  exportPng_->setEnabled(!s.empty());
  exportCsv_->setEnabled(!s.empty());
}

void ProjectionPanel::setModel(ModelSnapshot model) {
  model_ = std::move(model);
  updateControls();
  if (!model_ || !refresh_->isChecked() || !session_->isOpen()) return;
  // A job longer than an epoch finishes and the newest model runs next: cancelling it for every new model
  // would never show a map.
  if (running_) again_ = true;
  else startJob();
}

void ProjectionPanel::reset() {
  cancel();
  ++job_;  // whatever the running job still posts is dropped: it encoded the old data
  running_ = false;
  shown_.reset();
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
  hoverTip_->hide();
  for (QLabel* l : {detailImage_, detailRecon_}) l->clear();
  detailText_->setText(tr("<b>Clicked sample</b><br>Click a point to see it, its reconstruction and q(y|x)."));
  bars_->clearPlottables();
  bars_->hide();
  status_->clear();
  progress_->setValue(0);
  updateControls();
}

void ProjectionPanel::cancel() {
  if (cancelFlag_) cancelFlag_->store(true);
  again_ = false;
}

void ProjectionPanel::setSet(Set s) { set_->setCurrentIndex(int(s)); }
void ProjectionPanel::setInput(Input i) { input_->setCurrentIndex(int(i)); }
void ProjectionPanel::setMethod(Method m) { method_->setCurrentIndex(int(m)); }
void ProjectionPanel::setColourBy(ColourBy c) { colour_->setCurrentIndex(int(c)); }
void ProjectionPanel::setSampleCap(int cap) { cap_->setValue(cap); }
void ProjectionPanel::setTsneParameters(double perplexity, int iterations) {
  perplexity_->setValue(perplexity);
  iterations_->setValue(iterations);
}
void ProjectionPanel::setRefreshEachEpoch(bool on) { refresh_->setChecked(on); }
void ProjectionPanel::setPlaneBackground(bool on, int cls) {
  plane_->setChecked(on);
  planeClass_->setCurrentIndex(cls);
  updatePlane();
}

void ProjectionPanel::saveSettings(QSettings& s) const {
  s.beginGroup("projection");
  s.setValue("set", set_->currentIndex());
  s.setValue("cap", cap_->value());
  s.setValue("input", input_->currentIndex());
  s.setValue("method", method_->currentIndex());
  s.setValue("perplexity", perplexity_->value());
  s.setValue("iterations", iterations_->value());
  s.setValue("refresh", refresh_->isChecked());
  s.setValue("colour", colour_->currentIndex());
  s.setValue("planeBackground", plane_->isChecked());
  s.endGroup();
}

void ProjectionPanel::restoreSettings(const QSettings& s) {
  auto value = [&](const char* key, const QVariant& fallback) { return s.value(QString("projection/") + key, fallback); };
  set_->setCurrentIndex(std::clamp(value("set", 0).toInt(), 0, set_->count() - 1));
  cap_->setValue(value("cap", 5000).toInt());
  input_->setCurrentIndex(std::clamp(value("input", 0).toInt(), 0, input_->count() - 1));
  method_->setCurrentIndex(std::clamp(value("method", 0).toInt(), 0, method_->count() - 1));
  perplexity_->setValue(value("perplexity", 30.0).toDouble());
  iterations_->setValue(value("iterations", 1000).toInt());
  refresh_->setChecked(value("refresh", false).toBool());
  colour_->setCurrentIndex(std::clamp(value("colour", 0).toInt(), 0, colour_->count() - 1));
  plane_->setChecked(value("planeBackground", true).toBool());
  updateControls();
}

const std::vector<ProjectionPanel::Sample>& ProjectionPanel::samples() const {
  return shown_ ? shown_->samples : kNoSamples;
}

void ProjectionPanel::compute() {
  if (!model_ || !session_->data()) return;
  if (running_) {  // one job at a time: the running one stops, the new request runs when it has
    again_ = true;
    if (cancelFlag_) cancelFlag_->store(true);
    return;
  }
  startJob();
}

void ProjectionPanel::startJob() {
  std::shared_ptr<const DataSplit> data = session_->sharedData();
  if (!data || !model_) return;
  if (model_->model.inputSize != data->train.features()) {
    status_->setText(tr("The model reads %1 features per sample and this data set has %2: open a matching model "
                        "or data set.")
                         .arg(model_->model.inputSize)
                         .arg(data->train.features()));
    emit computed();
    return;
  }
  // Which samples.
  std::vector<Sample> chosen;
  const auto set = Set(set_->currentIndex());
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
  const int cap = cap_->value();
  if (int(chosen.size()) > cap) {  // the same random subset every time, in data order
    std::mt19937 rng(12345);
    std::shuffle(chosen.begin(), chosen.end(), rng);
    chosen.resize(size_t(cap));
    std::sort(chosen.begin(), chosen.end(), [](const Sample& a, const Sample& b) {
      return a.fromTest != b.fromTest ? !a.fromTest : a.index < b.index;
    });
  }
  const int input = input_->currentIndex();
  const bool tsne = method_->currentIndex() == int(Method::Tsne) && input != int(Input::LatentPlane);
  if (chosen.size() < 3 || (tsne && chosen.size() < 10)) {
    status_->setText(set == Set::Selection && chosen.empty()
                         ? tr("Select points first (Mouse: Rectangle or Lasso), then project the selection.")
                         : tr("Too few samples to project (%1).").arg(chosen.size()));
    emit computed();
    return;
  }

  running_ = true;
  again_ = false;
  const int job = ++job_;
  cancelFlag_ = std::make_shared<std::atomic<bool>>(false);
  auto flag = cancelFlag_;
  ModelSnapshot model = model_;
  TsneConfig tc;
  tc.perplexity = std::min(perplexity_->value(), (int(chosen.size()) - 1) / 3.0 - 0.01);
  tc.iterations = iterations_->value();
  tc.threads = std::max(1, QThread::idealThreadCount() - 1);
  // A refresh of the same samples with the same input continues from what is shown: aligned PCA axes, or
  // the previous t-SNE map as the start.
  const bool refresh = shown_ && shownInput_ == input && shownTsne_ == tsne && shown_->samples == chosen;
  if (tsne && refresh) {
    tc.init = TsneInit::Given;
    tc.initial = xy_;
  }
  const Matrix<float> previous = previousInput_ == input ? previousComponents_ : Matrix<float>();
  progress_->setValue(0);
  status_->setText(tr("Encoding %1 samples…").arg(chosen.size()));
  jobClock_.start();
  updateControls();

  QPointer<ProjectionPanel> self(this);
  auto post = [self, job](std::function<void(ProjectionPanel*)> f) {
    QMetaObject::invokeMethod(
        qApp, [self, job, f = std::move(f)] {
          if (self && self->job_ == job) f(self.data());
        },
        Qt::QueuedConnection);
  };
  QThreadPool::globalInstance()->start([=] {
    auto r = std::make_shared<Result>();
    r->input = input;
    r->tsne = tsne;
    r->refresh = refresh;
    try {
      auto e = std::make_shared<Encoding>();
      e->samples = chosen;
      e->model = model;
      auto net = instantiateModel(*model);
      const int n = int(chosen.size());
      // Samples of one split are read where they are; a selection may mix the two and is gathered.
      const bool allTest = std::all_of(chosen.begin(), chosen.end(), [](const Sample& s) { return s.fromTest; });
      const bool allTraining = std::none_of(chosen.begin(), chosen.end(), [](const Sample& s) { return s.fromTest; });
      std::vector<int> cols(static_cast<size_t>(n), 0);
      Matrix<float> gathered;
      if (allTest || allTraining) {
        for (int j = 0; j < n; ++j) cols[size_t(j)] = chosen[size_t(j)].index;
      } else {
        gathered.resize(data->train.features(), n);
        for (int j = 0; j < n; ++j) {
          const Sample& s = chosen[size_t(j)];
          gathered.col(j) = s.fromTest ? data->test.x.col(s.index) : data->train.x.col(s.index);
        }
        std::iota(cols.begin(), cols.end(), 0);
      }
      const Matrix<float>& x = allTest ? data->test.x : allTraining ? data->train.x : gathered;
      PoolScoring how;
      how.negElbo = true;  // for the anomaly colouring: a decode per class and sample, most of the encoding time
      how.cancel = flag.get();
      const int encodeShare = tsne ? 30 : 90;  // of the progress bar
      how.onProgress = [post, encodeShare](int done, int total) {
        const int percent = encodeShare * done / std::max(1, total);
        post([percent, done, total](ProjectionPanel* p) {
          p->progress_->setValue(percent);
          p->status_->setText(QObject::tr("Encoding: %1 of %2 samples").arg(done).arg(total));
        });
      };
      PoolScores scores = scorePool(*net, x, cols, how);
      e->probs = std::move(scores.probs);
      e->logRatios = scores.logits.rowwise() - scores.logits.colwise().mean();
      e->mu = std::move(scores.mu);
      e->negElbo = std::move(scores.negElbo);
      r->encoding = e;
      post([](ProjectionPanel* p) { p->status_->setText(QObject::tr("Projecting…")); });
      const Matrix<float>& in = input == int(Input::ClassProbabilities) ? e->probs
                                : input == int(Input::ClassLogRatios)   ? e->logRatios
                                                                        : e->mu;
      if (input == int(Input::LatentPlane)) {
        r->xy = e->mu.topRows(2);
        r->axisX = "z₁";
        r->axisY = "z₂";
      } else if (!tsne) {
        PcaResult pca = computePca(in, 2);
        if (previous.rows() == in.rows() && previous.cols() == 2) alignPca(pca, previous);
        r->xy = pca.projection;
        r->components = pca.components;
        r->pca = true;
        r->axisX = QString("PC 1 (%1% of the variance)").arg(100 * pca.explainedVarianceRatio[0], 0, 'f', 1);
        r->axisY = QString("PC 2 (%1%)").arg(100 * pca.explainedVarianceRatio[1], 0, 'f', 1);
      } else {
        TsneConfig c = tc;
        // A first map is shown as it forms; a refresh only when done, so that the view stays where it was.
        if (!refresh) c.embeddingEvery = kEmbeddingEvery;
        Tsne t(c);
        auto last = std::make_shared<int>(-100);
        t.onProgress = [post, last](int it, int total) {
          if (it - *last < 10 && it != total) return;
          *last = it;
          const int percent = 30 + int(70.0 * it / std::max(1, total));
          post([percent, it, total](ProjectionPanel* p) {
            p->progress_->setValue(percent);
            p->status_->setText(it == 0 ? QObject::tr("t-SNE: neighbours found")
                                        : QObject::tr("t-SNE: iteration %1 of %2").arg(it).arg(total));
          });
        };
        t.onEmbedding = [post, job, e](int, const Matrix<float>& y) {
          post([job, e, y](ProjectionPanel* p) { p->showIntermediate(job, e, y); });
        };
        TsneResult res = t.run(in, flag.get());
        if (res.status == TsneStatus::Cancelled) throw Cancelled{};
        r->xy = res.embedding;
        r->axisX = "t-SNE 1";
        r->axisY = "t-SNE 2";
        r->note = QString("t-SNE KL %1").arg(res.klDivergence, 0, 'f', 3);
      }
    } catch (const Cancelled&) {
      r->cancelled = true;
    } catch (const std::exception& ex) {
      r->error = QString::fromStdString(ex.what());
    }
    post([job, r](ProjectionPanel* p) { p->finished(job, r); });
  });
}

void ProjectionPanel::adopt(std::shared_ptr<const Encoding> e) {
  const bool same = shown_ && shown_->samples == e->samples;
  if (!shown_ || shown_->model != e->model) decoder_.reset();
  shown_ = std::move(e);
  if (!same) {  // other samples: no selection, no details, and the plot's colours are set again for them
    plot_->clearSelection();
    plot_->setPoints({});
    detailPoint_ = -1;
  }
}

void ProjectionPanel::setXy(const Matrix<float>& xy, bool fitView) {
  xy_ = xy;
  QVector<QPointF> points(qsizetype(xy.cols()));
  for (int j = 0; j < int(xy.cols()); ++j) points[j] = QPointF(xy(0, j), xy(1, j));
  plot_->setPoints(points, fitView);  // the same samples keep their colours
}

void ProjectionPanel::showIntermediate(int job, std::shared_ptr<const Encoding> e, const Matrix<float>& xy) {
  if (job != job_ || !running_ || (cancelFlag_ && cancelFlag_->load())) return;
  intermediateJob_ = job;
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
}

void ProjectionPanel::finished(int job, std::shared_ptr<Result> r) {
  if (job != job_) return;
  running_ = false;
  if (r->cancelled) {
    status_->setText(intermediateJob_ == job ? tr("Cancelled; the map shown is where t-SNE got to.")
                                             : tr("Cancelled."));
    progress_->setValue(0);
  } else if (!r->error.isEmpty()) {
    status_->setText(tr("Projection failed: %1").arg(r->error));
    progress_->setValue(0);
    emit message(status_->text());
  } else {
    const bool wasIntermediate = shown_ == r->encoding;  // this job's map was shown as it formed
    adopt(r->encoding);
    if (r->pca) {
      previousComponents_ = r->components;
      previousInput_ = r->input;
    }
    shownInput_ = r->input;
    shownTsne_ = r->tsne;
    setXy(r->xy, !r->refresh || wasIntermediate);  // a refresh keeps the user's view (fitted if untouched)
    plot_->setAxisLabels(r->axisX, r->axisY);
    recolour();
    if (r->input == int(Input::LatentPlane)) {
      updatePlane();
    } else {
      plot_->setUnderlay({}, {});
      planeImage_ = QImage();
    }
    ++mapsShown_;
    progress_->setValue(100);
    status_->setText(tr("%1 samples, model after epoch %2%3, %4 s")
                         .arg(samples().size())
                         .arg(shown_->model && shown_->model->training ? shown_->model->training->state.epoch : 0)
                         .arg(r->note.isEmpty() ? "" : ", " + r->note)
                         .arg(jobClock_.elapsed() / 1000.0, 0, 'f', 1));
    if (detailPoint_ >= int(samples().size())) detailPoint_ = -1;
    if (detailPoint_ >= 0) showDetails(detailPoint_);
  }
  updateControls();
  if (again_) startJob();
  else emit computed();
}

int ProjectionPanel::predicted(int point) const {
  if (!shown_ || point < 0 || point >= int(shown_->probs.cols())) return -1;
  Eigen::Index k = 0;
  shown_->probs.col(point).maxCoeff(&k);
  return int(k);
}

void ProjectionPanel::recolour() {
  const DataSplit* data = session_->data();
  const int n = int(samples().size());
  if (!data || n == 0 || plot_->pointCount() != n) return;
  const auto by = ColourBy(colour_->currentIndex());
  QStringList names = session_->classNames();
  if (by == ColourBy::TrueClass || by == ColourBy::Predicted) {
    QVector<int> groups(n);
    for (int j = 0; j < n; ++j) {
      const Sample& s = samples()[size_t(j)];
      const Dataset& d = s.fromTest ? data->test : data->train;
      groups[j] = by == ColourBy::Predicted                ? predicted(j)
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
      values[j] = by == ColourBy::Confidence              ? double(shown_->probs.col(j).maxCoeff())
                  : j < int(shown_->negElbo.size()) ? double(shown_->negElbo[size_t(j)])
                                                          : std::nan("");
    plot_->setValues(values, by == ColourBy::Confidence ? tr("confidence max q(y|x)") : tr("−ELBO (nats)"));
  }
  plot_->replot();
}

SemiSupervisedVae<float>* ProjectionPanel::decoder() {
  if (!shown_ || !shown_->model) return nullptr;
  if (!decoder_) decoder_ = instantiateModel(*shown_->model);
  return decoder_.get();
}

// The visible part of a 2-D latent plane, decoded as one class on a grid: what the decoder draws where.
// 225 decodes take a few milliseconds, so this runs on the GUI thread, once the view stops moving.
void ProjectionPanel::updatePlane() {
  updateControls();
  const DataSplit* data = session_->data();
  SemiSupervisedVae<float>* net = shownInput_ == int(Input::LatentPlane) ? decoder() : nullptr;
  if (!plane_->isChecked() || !net || !data || !data->train.shape.isImage() || net->config().latent != 2 ||
      net->config().inputSize != data->train.shape.features()) {
    planeImage_ = QImage();
    plot_->setUnderlay({}, {});
    return;
  }
  const int K = net->config().classes, cls = std::clamp(planeClass_->currentIndex(), 0, K - 1);
  const QCPRange rx = plot_->xAxis->range(), ry = plot_->yAxis->range();
  // kPlaneCells rows of cells as square on screen as the view allows.
  const QRect area = plot_->axisRect()->rect();
  const int h = data->train.shape.height, w = data->train.shape.width, rows = kPlaneCells;
  const int cols = area.height() > 0 ? std::clamp(int(std::lround(rows * double(area.width()) / area.height())), 1, 4 * rows)
                                     : rows;
  const int n = rows * cols;
  Matrix<float> z(2, n), y = Matrix<float>::Zero(K, n), mean;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      z(0, r * cols + c) = float(rx.lower + (c + 0.5) * rx.size() / cols);
      z(1, r * cols + c) = float(ry.upper - (r + 0.5) * ry.size() / rows);  // row 0 at the top
      y(cls, r * cols + c) = 1;
    }
  net->decode(z, y, mean);
  QImage plane(cols * w, rows * h, QImage::Format_Grayscale8);
  QPainter p(&plane);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)  // light ink, so that the points stay readable over it
      p.drawImage(c * w, r * h, inkImage(mean.col(r * cols + c).data(), int(mean.rows()), h, w, 150));
  p.end();
  planeImage_ = plane;
  plot_->setUnderlay(plane, QRectF(QPointF(rx.lower, ry.lower), QPointF(rx.upper, ry.upper)));
}

QImage ProjectionPanel::sampleAt(int point) const {
  const DataSplit* data = session_->data();
  if (!data || point < 0 || point >= int(samples().size())) return {};
  const Sample& s = samples()[size_t(point)];
  const Dataset& d = s.fromTest ? data->test : data->train;
  if (s.index >= d.size()) return {};
  return sampleImage(d, s.index);
}

void ProjectionPanel::showHover(int point) {
  const QImage img = sampleAt(point);
  if (img.isNull()) {
    hoverTip_->hide();
    return;
  }
  hoverImage_->setPixmap(enlarged(img, kHoverSize));
  const Sample& s = samples()[size_t(point)];
  const QStringList names = session_->classNames();
  const int p = predicted(point);
  hoverText_->setText(tr("%1 #%2\npredicted %3 (%4)")
                          .arg(s.fromTest ? tr("test") : tr("training"))
                          .arg(s.index)
                          .arg(names.value(p, QString::number(p)))
                          .arg(double(shown_->probs.col(point).maxCoeff()), 0, 'f', 2));
  hoverTip_->adjustSize();
  // Beside the point, on whichever side has room.
  const QPointF at = plot_->pixelOf(point);
  const QSize size = hoverTip_->size();
  int x = int(at.x()) + 14, y = int(at.y()) + 14;
  if (x + size.width() > plot_->width()) x = int(at.x()) - 14 - size.width();
  if (y + size.height() > plot_->height()) y = int(at.y()) - 14 - size.height();
  hoverTip_->move(std::max(0, x), std::max(0, y));
  hoverTip_->show();
  hoverTip_->raise();
}

QString ProjectionPanel::statusText() const { return status_->text(); }

bool ProjectionPanel::hoverVisible() const { return hoverTip_->isVisible(); }

QImage ProjectionPanel::reconstruction(int point) {
  SemiSupervisedVae<float>* net = decoder();
  if (!net || point < 0 || point >= int(shown_->mu.cols())) return {};
  const ModelConfig& c = net->config();
  // What the model would draw for this sample: z at its posterior mean, with the predicted class
  // (marginal objective) or q(y|x) itself (single objective), as the decoder reads them when training.
  Matrix<float> y = Matrix<float>::Zero(c.classes, 1);
  if (c.objective == Objective::Marginal) y(predicted(point), 0) = 1;
  else y = shown_->probs.col(point);
  Matrix<float> mean;
  net->decode(shown_->mu.col(point), y, mean);
  const Dataset& d = session_->data()->train;
  if (mean.rows() != d.features()) return {};  // a model for other data
  return inkImage(mean.data(), int(mean.rows()), d.shape.isImage() ? d.shape.height : 0, d.shape.width);
}

void ProjectionPanel::showDetails(int point) {
  detailPoint_ = point;
  const QImage img = sampleAt(point);
  if (img.isNull()) return;
  detailImage_->setPixmap(enlarged(img, kDetailSize - 4));
  detailRecon_->setPixmap(enlarged(reconstruction(point), kDetailSize - 4));
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
    if (auto e = session_->entry(s.index)) text += tr("<br>labelled %1").arg(names.value(e->label).toHtmlEscaped());
    else text += tr("<br>unlabelled");
  }
  if (point < int(shown_->negElbo.size()))
    text += tr("<br>−ELBO %1 nats").arg(double(shown_->negElbo[size_t(point)]), 0, 'f', 1);
  detailText_->setText(text);

  bars_->clearPlottables();
  auto* bars = new QCPBars(bars_->xAxis, bars_->yAxis);
  QVector<double> keys, values;
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (int k = 0; k < int(shown_->probs.rows()); ++k) {
    keys << k;
    values << shown_->probs(k, point);
    ticker->addTick(k, names.value(k, QString::number(k)).left(3));
  }
  bars->setData(keys, values);
  bars->setWidth(0.7);
  bars->setBrush(QColor(31, 119, 180));
  bars->setPen(Qt::NoPen);
  bars_->xAxis->setTicker(ticker);
  bars_->xAxis->setRange(-0.7, double(shown_->probs.rows()) - 0.3);
  bars_->yAxis->setRange(0, 1);
  bars_->show();
  bars_->replot();
}

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
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("%1 selected samples").arg(sel.size()));
  auto* list = new QListWidget;
  list->setViewMode(QListView::IconMode);
  list->setIconSize(QSize(56, 56));
  list->setResizeMode(QListView::Adjust);
  list->setUniformItemSizes(true);
  list->setMovement(QListView::Static);
  const QStringList names = session_->classNames();
  for (int i : sel) {
    const QImage img = sampleAt(i);
    if (img.isNull()) continue;
    const Sample& s = samples()[size_t(i)];
    const int p = predicted(i);
    auto* item = new QListWidgetItem(QIcon(enlarged(img, 56)), names.value(p));
    item->setToolTip(tr("%1 #%2, predicted %3").arg(s.fromTest ? tr("test") : tr("training")).arg(s.index)
                         .arg(names.value(p)));
    list->addItem(item);
  }
  auto* box = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(box, &QDialogButtonBox::rejected, dialog, &QDialog::close);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(new QLabel(tr("Captions: the predicted class. Hover for the sample.")));
  layout->addWidget(list);
  layout->addWidget(box);
  dialog->resize(640, 480);
  dialog->show();
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
