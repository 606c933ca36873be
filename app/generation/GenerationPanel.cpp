#include "app/generation/GenerationPanel.h"

#include <QButtonGroup>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/SampleImage.h"
#include "app/generation/ArithmeticTab.h"
#include "app/generation/DecodedGridTab.h"
#include "app/generation/InterpolationTab.h"
#include "app/generation/SlidersTab.h"
#include "app/generation/StyleGridTab.h"
#include "app/generation/TransferTab.h"
#include "engine/io/ModelFile.h"

using namespace latentlab;

GenerationPanel::GenerationPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);

  classBar_ = new QWidget;
  auto* bar = new QHBoxLayout(classBar_);
  bar->setContentsMargins(0, 0, 0, 0);
  bar->addWidget(new QLabel(tr("Class")));
  auto* buttons = new QWidget;
  classLayout_ = new QGridLayout(buttons);
  classLayout_->setContentsMargins(0, 0, 0, 0);
  classLayout_->setSpacing(2);
  bar->addWidget(buttons);
  bar->addStretch(1);
  classGroup_ = new QButtonGroup(this);
  classGroup_->setExclusive(true);
  connect(classGroup_, &QButtonGroup::idClicked, this, &GenerationPanel::setCurrentClass);

  sliders_ = new generation::SlidersTab(context_);
  grid_ = new generation::StyleGridTab(context_);
  transfer_ = new generation::TransferTab(context_);
  interpolation_ = new generation::InterpolationTab(context_);
  arithmetic_ = new generation::ArithmeticTab(context_);
  tabs_ = new QTabWidget;
  tabs_->setDocumentMode(true);
  tabs_->addTab(sliders_, tr("Sliders"));
  tabs_->addTab(grid_, tr("Class x style"));
  tabs_->addTab(transfer_, tr("Style transfer"));
  tabs_->addTab(interpolation_, tr("Interpolation"));
  tabs_->addTab(arithmetic_, tr("Latent arithmetic"));
  connect(sliders_, &generation::SlidersTab::classClicked, this, &GenerationPanel::setCurrentClass);
  connect(sliders_, &generation::SlidersTab::styleChanged, this, &GenerationPanel::styleChanged);
  for (generation::DecodedGridTab* t :
       std::initializer_list<generation::DecodedGridTab*>{grid_, transfer_, interpolation_, arithmetic_})
    connect(t, &generation::DecodedGridTab::stylePicked, this, &GenerationPanel::stylePicked);

  message_ = generation::ui::messageLine();

  layout->addWidget(classBar_);
  layout->addWidget(tabs_, 1);
  layout->addWidget(message_);
  setModel(nullptr, nullptr);
}

GenerationPanel::~GenerationPanel() = default;

QList<SampleGrid*> GenerationPanel::views() const {
  return {sliders_->imageView(), sliders_->everyClassView(), grid_->view(),
          transfer_->view(),     interpolation_->view(),     arithmetic_->view()};
}

// ---- model and data -----------------------------------------------------------------------------------------

void GenerationPanel::setModel(ModelSnapshot model, std::shared_ptr<const DataSplit> data, const QStringList& names) {
  model_ = std::move(model);
  context_.data = std::move(data);
  context_.generator = nullptr;
  generator_.reset();
  for (SampleGrid* g : views()) g->clear();
  if (model_) {
    try {
      generator_ = std::make_unique<Generator>(instantiateModel(*model_));
    } catch (const std::exception& e) {
      generation::ui::showMessage(message_, tr("Cannot generate from this model: %1").arg(e.what()), true);
    }
  }
  context_.generator = generator_.get();
  classBar_->setEnabled(generator_ != nullptr);
  tabs_->setEnabled(generator_ != nullptr);
  if (!generator_) {
    context_.classNames.clear();
    rebuildClassButtons();
    sliders_->modelChanged();
    for (SampleGrid* g : views())
      if (g != sliders_->everyClassView()) g->setPlaceholder(tr("Open or train a model to generate from it"));
    if (!model_) generation::ui::showMessage(message_, tr("No model yet: train one, or open a model file."));
    return;
  }
  const ModelConfig& config = generator_->config();
  const std::shared_ptr<const DataSplit>& d = context_.data;
  QString note;
  if (d && (d->test.features() != config.inputSize || d->test.classes != config.classes)) {
    note = tr("The open data set (%1 features, %2 classes) does not fit the model (%3, %4): its test images are "
              "not used.")
               .arg(d->test.features())
               .arg(d->test.classes)
               .arg(config.inputSize)
               .arg(config.classes);
    context_.data.reset();
  }

  // Class names: given, else the model file's, else the data's, else numbers.
  QStringList& classNames = context_.classNames;
  classNames = names;
  if (classNames.size() != config.classes) {
    classNames.clear();
    if (int(model_->classNames.size()) == config.classes)
      for (const auto& n : model_->classNames) classNames << QString::fromStdString(n);
    else if (d && int(d->test.classNames.size()) == config.classes)
      for (const auto& n : d->test.classNames) classNames << QString::fromStdString(n);
    else
      for (int k = 0; k < config.classes; ++k) classNames << QString::number(k);
  }

  // How a sample draws (SampleImage.h): by the model's input shape; plain vectors by the data's image shape, the
  // file's, a square, or else as curves of one channel.
  const SampleShape shape = config.inputShape();
  const int D = config.inputSize, side = int(std::lround(std::sqrt(double(D))));
  SampleLayout layout = SampleLayout::curves(1, D);
  if (shape.isSequence() && drawsAsCurves(shape))
    layout = SampleLayout::curves(shape.channels, shape.steps);
  else if (shape.isImage())
    layout = SampleLayout::image(shape.height, shape.width * shape.channels);
  else if (shape.isSequence())
    layout = SampleLayout::image(shape.steps, shape.channels);
  else if (d && d->test.shape.isImage() && d->test.shape.features() == D)
    layout = SampleLayout::image(d->test.shape.height, d->test.shape.width);
  else if (model_->dataset.height * model_->dataset.width == D)
    layout = SampleLayout::image(model_->dataset.height, model_->dataset.width);
  else if (side * side == D)
    layout = SampleLayout::image(side, side);
  for (SampleGrid* g : views()) g->setSampleLayout(layout);

  context_.currentClass = std::clamp(context_.currentClass, 0, config.classes - 1);
  rebuildClassButtons();
  for (generation::DecodedGridTab* t :
       std::initializer_list<generation::DecodedGridTab*>{grid_, transfer_, interpolation_, arithmetic_})
    t->modelChanged();
  const bool images = context_.hasTestImages();
  for (int t : {TransferTab, InterpolationTab, ArithmeticTab}) tabs_->setTabEnabled(t, images);
  sliders_->modelChanged();
  generation::ui::showMessage(message_,
                              note.isEmpty() ? tr("Model: %1, %2 inputs, latent %3, %4 classes.")
                                                   .arg(QString::fromStdString(latentlab::toString(config.flavour)))
                                                   .arg(config.inputSize)
                                                   .arg(config.latent)
                                                   .arg(config.classes)
                                             : note,
                              !note.isEmpty());
  sliders_->drawRandomSliders();  // a first style that looks like something, not the mean's blur
  updateAll();
}

void GenerationPanel::rebuildClassButtons() {
  for (QAbstractButton* b : classGroup_->buttons()) {
    classGroup_->removeButton(b);
    delete b;
  }
  // Ten short names fit on one row; longer ones (Fashion-MNIST's articles) take two.
  const QStringList& names = context_.classNames;
  int chars = 0;
  for (const QString& n : names) chars += int(n.size());
  const int perRow = chars > 40 ? (int(names.size()) + 1) / 2 : std::max<int>(1, int(names.size()));
  for (int k = 0; k < names.size(); ++k) {
    auto* b = new QPushButton(names[k]);
    b->setCheckable(true);
    b->setChecked(k == context_.currentClass);
    b->setMinimumWidth(std::max(36, b->fontMetrics().horizontalAdvance(names[k]) + 16));
    b->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    classGroup_->addButton(b, k);
    classLayout_->addWidget(b, k / perRow, k % perRow);
  }
}

// ---- class, style, tabs -------------------------------------------------------------------------------------

void GenerationPanel::setCurrentClass(int k) {
  if (!generator_ || k < 0 || k >= generator_->classes()) return;
  if (QAbstractButton* b = classGroup_->button(k)) b->setChecked(true);
  if (k == context_.currentClass) return;
  context_.currentClass = k;
  sliders_->redraw();
  interpolation_->classChanged();
  emit classChanged(k);
}

void GenerationPanel::stylePicked(const Vector<float>& z, int classIndex) {
  if (classIndex >= 0) setCurrentClass(classIndex);
  sliders_->showStyle(z);
  showTab(SlidersTab);
}

QVector<float> GenerationPanel::currentStyle() const { return sliders_->currentStyle(); }
void GenerationPanel::setStyle(const QVector<float>& z) { sliders_->showStyle(z); }
void GenerationPanel::useStyleOfTestImage(int index) { sliders_->useStyleOfTestImage(index); }
void GenerationPanel::setPrincipalDirections(bool principal) { sliders_->setPrincipalDirections(principal); }
void GenerationPanel::randomStyle() { sliders_->randomStyle(); }
void GenerationPanel::resetStyle() { sliders_->resetStyle(); }
void GenerationPanel::showTab(Tab tab) { tabs_->setCurrentIndex(int(tab)); }

void GenerationPanel::updateGrid() { grid_->redraw(); }
void GenerationPanel::updateTransfer() { transfer_->redraw(); }
void GenerationPanel::updateInterpolation() { interpolation_->redraw(); }
void GenerationPanel::updateArithmetic() { arithmetic_->redraw(); }

void GenerationPanel::updateAll() {
  sliders_->redraw();
  updateGrid();
  updateTransfer();
  updateInterpolation();
  updateArithmetic();
}

SampleGrid* GenerationPanel::sliderView() const { return sliders_->imageView(); }
SampleGrid* GenerationPanel::everyClassView() const { return sliders_->everyClassView(); }
SampleGrid* GenerationPanel::gridView() const { return grid_->view(); }
SampleGrid* GenerationPanel::transferView() const { return transfer_->view(); }
SampleGrid* GenerationPanel::interpolationView() const { return interpolation_->view(); }
SampleGrid* GenerationPanel::arithmeticView() const { return arithmetic_->view(); }
const QList<QSlider*>& GenerationPanel::sliders() const { return sliders_->sliders(); }
double GenerationPanel::lastDecodeMs() const { return sliders_->lastDecodeMs(); }

QString GenerationPanel::message(Tab tab) const {
  switch (tab) {
    case SlidersTab:
      return generation::ui::messageOf(message_);
    case GridTab:
      return grid_->message();
    case TransferTab:
      return transfer_->message();
    case InterpolationTab:
      return interpolation_->message();
    case ArithmeticTab:
      return arithmetic_->message();
  }
  return {};
}
