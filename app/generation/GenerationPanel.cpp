#include "app/GenerationPanel.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/IndexList.h"
#include "engine/generation/Generator.h"
#include "engine/generation/Interpolation.h"
#include "engine/generation/LatentArithmetic.h"

using namespace latentlab;

namespace {

constexpr int kSliderSteps = 100;       // slider units per standard deviation
constexpr int kSliderColumns = 2;       // columns of sliders in the grid, read top to bottom
constexpr int kPrincipalImages = 2000;  // test images whose posterior means give the principal directions
constexpr int kClassImages = 1000;      // at most this many images of a class for latent arithmetic

double milliseconds(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

QHBoxLayout* row(std::initializer_list<QWidget*> widgets, bool stretch = true) {
  auto* l = new QHBoxLayout;
  l->setContentsMargins(0, 0, 0, 0);
  l->setSpacing(6);
  for (QWidget* w : widgets) l->addWidget(w);
  if (stretch) l->addStretch();
  return l;
}

QLabel* caption(const QString& text) {
  auto* l = new QLabel(text);
  l->setForegroundRole(QPalette::PlaceholderText);
  return l;
}

QLabel* infoLine() {
  auto* l = new QLabel;
  l->setWordWrap(true);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

}  // namespace

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

  tabs_ = new QTabWidget;
  tabs_->setDocumentMode(true);
  tabs_->addTab(buildSlidersTab(), tr("Sliders"));
  tabs_->addTab(buildGridTab(), tr("Class x style"));
  tabs_->addTab(buildTransferTab(), tr("Style transfer"));
  tabs_->addTab(buildInterpolationTab(), tr("Interpolation"));
  tabs_->addTab(buildArithmeticTab(), tr("Latent arithmetic"));

  message_ = infoLine();

  layout->addWidget(classBar_);
  layout->addWidget(tabs_, 1);
  layout->addWidget(message_);
  setModel(nullptr, nullptr);
}

GenerationPanel::~GenerationPanel() = default;

// ---- building -----------------------------------------------------------------------------------------------

QWidget* GenerationPanel::exportButtons(SampleGrid* grid) {
  auto* exportPng = new QPushButton(tr("Export PNG..."));
  auto* copy = new QPushButton(tr("Copy"));
  exportPng->setToolTip(tr("Save this grid with its labels as a PNG image"));
  copy->setToolTip(tr("Copy this grid with its labels to the clipboard"));
  connect(exportPng, &QPushButton::clicked, grid, &SampleGrid::exportPngDialog);
  connect(copy, &QPushButton::clicked, grid, &SampleGrid::copyToClipboard);
  auto* w = new QWidget;
  w->setLayout(row({exportPng, copy}, false));
  return w;
}

QWidget* GenerationPanel::buildSlidersTab() {
  image_ = new SampleGrid;
  image_->setMinimumSize(160, 160);
  everyClass_ = new SampleGrid;
  everyClass_->setMinimumHeight(70);
  everyClass_->setToolTip(tr("The same style drawn as every class; click one to pick that class"));
  connect(everyClass_, &SampleGrid::cellClicked, this, [this](int, int c) { setCurrentClass(c); });
  timing_ = caption({});

  auto* left = new QVBoxLayout;
  left->setSpacing(4);
  left->addWidget(image_, 1);
  left->addWidget(timing_);

  directions_ = new QComboBox;
  directions_->addItem(tr("Latent dimensions"));
  directions_->addItem(tr("Principal directions"));
  directions_->setItemData(
      0, tr("One slider per latent dimension; 0 is the prior's mean, +/-3 its standard deviations"), Qt::ToolTipRole);
  directions_->setItemData(1,
                           tr("The principal directions of the test images' posterior means, largest variance "
                              "first; 0 is their mean, +/-3 their standard deviations along each"),
                           Qt::ToolTipRole);
  connect(directions_, &QComboBox::activated, this, [this](int i) { setPrincipalDirections(i == 1); });
  temperature_ = new QDoubleSpinBox;
  temperature_->setRange(0, 3);
  temperature_->setSingleStep(0.1);
  temperature_->setValue(1.0);
  temperature_->setToolTip(tr("Spread of random styles: 1 draws from the prior, less gives more typical styles"));
  seed_ = new QSpinBox;
  seed_->setRange(0, 999999);
  seed_->setValue(1);
  seed_->setToolTip(tr("The random style is a function of the seed: the same seed gives the same style"));
  auto* random = new QPushButton(tr("Random style"));
  random->setToolTip(tr("Next seed: a new random style"));
  auto* reset = new QPushButton(tr("Reset"));
  reset->setToolTip(tr("Every slider to 0"));
  connect(random, &QPushButton::clicked, this, &GenerationPanel::randomStyle);
  connect(reset, &QPushButton::clicked, this, &GenerationPanel::resetStyle);
  connect(seed_, &QSpinBox::valueChanged, this, [this] { drawRandomSliders(); });
  connect(temperature_, &QDoubleSpinBox::valueChanged, this, [this] {
    if (randomDrawn_) drawRandomSliders();
  });

  sliderBox_ = new QWidget;
  sliderLayout_ = new QGridLayout(sliderBox_);
  sliderLayout_->setContentsMargins(2, 2, 2, 2);
  sliderLayout_->setHorizontalSpacing(6);
  sliderLayout_->setVerticalSpacing(0);
  auto* scroll = new QScrollArea;
  scroll->setWidget(sliderBox_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* right = new QVBoxLayout;
  right->setSpacing(4);
  right->addLayout(row({new QLabel(tr("Directions")), directions_}));
  right->addLayout(row({random, reset, new QLabel(tr("Temperature")), temperature_, new QLabel(tr("Seed")), seed_}));
  right->addWidget(scroll, 1);

  // The image and its sliders side by side; below, across the whole width, the same style as every class.
  auto* w = new QWidget;
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(4, 4, 4, 4);
  auto* h = new QHBoxLayout;
  h->addLayout(left, 2);
  h->addLayout(right, 3);
  v->addLayout(h, 4);
  auto* stripHeader = new QHBoxLayout;
  stripHeader->addWidget(caption(tr("The same style as every class (click one to pick it)")));
  stripHeader->addStretch();
  stripHeader->addWidget(exportButtons(everyClass_));
  v->addLayout(stripHeader);
  v->addWidget(everyClass_, 1);
  return w;
}

QWidget* GenerationPanel::buildGridTab() {
  grid_ = new SampleGrid;
  grid_->setToolTip(
      tr("Rows are classes, columns styles: each column keeps one style. Click a cell to open it "
         "in the sliders."));
  connect(grid_, &SampleGrid::cellClicked, this, [this](int r, int c) { cellClicked(grid_, r, c); });
  gridSource_ = new QComboBox;
  gridSource_->addItems({tr("Random styles"), tr("Styles of test images")});
  gridCount_ = new QSpinBox;
  gridCount_->setRange(1, 32);
  gridCount_->setValue(8);
  gridTemperature_ = new QDoubleSpinBox;
  gridTemperature_->setRange(0, 3);
  gridTemperature_->setSingleStep(0.1);
  gridTemperature_->setValue(1.0);
  gridSeed_ = new QSpinBox;
  gridSeed_->setRange(0, 999999);
  gridSeed_->setValue(1);
  auto* again = new QPushButton(tr("New styles"));
  connect(again, &QPushButton::clicked, this, [this] { gridSeed_->setValue(gridSeed_->value() + 1); });
  auto* randomPage = new QWidget;
  randomPage->setLayout(row({new QLabel(tr("Styles")), gridCount_, new QLabel(tr("Temperature")), gridTemperature_,
                             new QLabel(tr("Seed")), gridSeed_, again}));
  gridIndices_ = new QLineEdit("0-7");
  gridIndices_->setPlaceholderText(tr("test image indices, e.g. 0, 5, 10-14"));
  gridIndices_->setToolTip(tr("Indices into the test set, separated by commas or spaces; ranges like 10-14"));
  auto* imagesPage = new QWidget;
  auto* imagesRow = row({new QLabel(tr("Test images"))}, false);
  imagesRow->addWidget(gridIndices_, 1);
  imagesPage->setLayout(imagesRow);
  gridSourceStack_ = new QStackedWidget;
  gridSourceStack_->addWidget(randomPage);
  gridSourceStack_->addWidget(imagesPage);
  gridSourceStack_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  connect(gridSource_, &QComboBox::currentIndexChanged, this, [this](int i) {
    gridSourceStack_->setCurrentIndex(i);
    updateGrid();
  });
  connect(gridCount_, &QSpinBox::valueChanged, this, &GenerationPanel::updateGrid);
  connect(gridTemperature_, &QDoubleSpinBox::valueChanged, this, &GenerationPanel::updateGrid);
  connect(gridSeed_, &QSpinBox::valueChanged, this, &GenerationPanel::updateGrid);
  connect(gridIndices_, &QLineEdit::editingFinished, this, &GenerationPanel::updateGrid);

  auto* w = new QWidget;
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(4, 4, 4, 4);
  auto* top = row({gridSource_}, false);
  top->addWidget(gridSourceStack_, 1);
  top->addWidget(exportButtons(grid_));
  v->addLayout(top);
  v->addWidget(grid_, 1);
  gridInfo_ = infoLine();
  v->addWidget(gridInfo_);
  return w;
}

QWidget* GenerationPanel::buildTransferTab() {
  transfer_ = new SampleGrid;
  transfer_->setToolTip(
      tr("Each row: a test image (left) and its style, the encoder's mean, decoded as every "
         "class. Click a cell to open it in the sliders."));
  connect(transfer_, &SampleGrid::cellClicked, this, [this](int r, int c) { cellClicked(transfer_, r, c); });
  transferIndices_ = new QLineEdit("0");
  transferIndices_->setPlaceholderText(tr("test image indices, e.g. 0, 5, 10-14"));
  transferIndices_->setToolTip(tr("One row per test image: indices separated by commas or spaces, ranges like 10-14"));
  auto* random = new QPushButton(tr("Random image"));
  random->setToolTip(tr("Adds a random test image as a new row (at most 10 rows)"));
  connect(random, &QPushButton::clicked, this, [this] {
    if (!hasTestImages()) return;
    QStringList items = transferIndices_->text().split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts);
    items.prepend(QString::number(pick_.below(uint64_t(data_->test.size()))));
    transferIndices_->setText(items.mid(0, 10).join(", "));
    updateTransfer();
  });
  connect(transferIndices_, &QLineEdit::editingFinished, this, &GenerationPanel::updateTransfer);
  auto* w = new QWidget;
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(4, 4, 4, 4);
  auto* top = row({new QLabel(tr("Test images"))}, false);
  top->addWidget(transferIndices_, 1);
  top->addWidget(random);
  top->addWidget(exportButtons(transfer_));
  v->addLayout(top);
  v->addWidget(transfer_, 1);
  transferInfo_ = infoLine();
  v->addWidget(transferInfo_);
  return w;
}

QWidget* GenerationPanel::buildInterpolationTab() {
  interpolation_ = new SampleGrid;
  interpolation_->setToolTip(tr("Top: the two test images. Below: their styles' path, decoded as the class"));
  connect(interpolation_, &SampleGrid::cellClicked, this, [this](int r, int c) { cellClicked(interpolation_, r, c); });
  interpA_ = new QSpinBox;
  interpB_ = new QSpinBox;
  interpSteps_ = new QSpinBox;
  interpSteps_->setRange(2, 32);
  interpSteps_->setValue(10);
  interpKind_ = new QComboBox;
  interpKind_->addItems({tr("Linear"), tr("Spherical")});
  interpKind_->setCurrentIndex(1);
  interpKind_->setItemData(0, tr("Straight line between the two styles: the middle has a smaller norm than either"),
                           Qt::ToolTipRole);
  interpKind_->setItemData(1,
                           tr("Along the great circle, the norm moving linearly: every step stays where the "
                              "prior's mass is"),
                           Qt::ToolTipRole);
  interpEveryClass_ = new QCheckBox(tr("Every class"));
  interpEveryClass_->setToolTip(tr("One row per class instead of the picked class only"));
  connect(interpA_, &QSpinBox::valueChanged, this, &GenerationPanel::updateInterpolation);
  connect(interpB_, &QSpinBox::valueChanged, this, &GenerationPanel::updateInterpolation);
  connect(interpSteps_, &QSpinBox::valueChanged, this, &GenerationPanel::updateInterpolation);
  connect(interpKind_, &QComboBox::currentIndexChanged, this, &GenerationPanel::updateInterpolation);
  connect(interpEveryClass_, &QCheckBox::toggled, this, &GenerationPanel::updateInterpolation);
  auto* w = new QWidget;
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(4, 4, 4, 4);
  auto* top = row({new QLabel(tr("From test image")), interpA_, new QLabel(tr("to")), interpB_, interpKind_,
                   new QLabel(tr("Steps")), interpSteps_, interpEveryClass_});
  top->addWidget(exportButtons(interpolation_));
  v->addLayout(top);
  v->addWidget(interpolation_, 1);
  interpolationInfo_ = infoLine();
  v->addWidget(interpolationInfo_);
  return w;
}

QWidget* GenerationPanel::buildArithmeticTab() {
  arithmetic_ = new SampleGrid;
  arithmetic_->setToolTip(
      tr("Middle row: the style as it is; above and below: the style minus and plus t times "
         "(mean style of A - mean style of B); every class in its column"));
  connect(arithmetic_, &SampleGrid::cellClicked, this, [this](int r, int c) { cellClicked(arithmetic_, r, c); });
  arithMode_ = new QComboBox;
  arithMode_->addItems({tr("Test images of two classes"), tr("Two sets of test images")});
  arithClassA_ = new QComboBox;
  arithClassB_ = new QComboBox;
  auto* classPage = new QWidget;
  classPage->setLayout(row({new QLabel(tr("A")), arithClassA_, new QLabel(tr("minus B")), arithClassB_}));
  arithSetA_ = new QLineEdit("0-9");
  arithSetB_ = new QLineEdit("10-19");
  for (QLineEdit* e : {arithSetA_, arithSetB_}) e->setPlaceholderText(tr("test image indices, e.g. 0, 5, 10-14"));
  auto* setPage = new QWidget;
  auto* setRow = row({new QLabel(tr("A"))}, false);
  setRow->addWidget(arithSetA_, 1);
  setRow->addWidget(new QLabel(tr("minus B")));
  setRow->addWidget(arithSetB_, 1);
  setPage->setLayout(setRow);
  arithSetStack_ = new QStackedWidget;
  arithSetStack_->addWidget(classPage);
  arithSetStack_->addWidget(setPage);
  arithSetStack_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  arithBase_ = new QSpinBox;
  arithBase_->setRange(-1, 0);
  arithBase_->setValue(0);  // test image 0 until the user picks another (-1: the prior's mean)
  arithBase_->setSpecialValueText(tr("mean style"));
  arithBase_->setToolTip(tr("The style to move: a test image's, or the prior's mean (z = 0)"));
  arithT_ = new QSlider(Qt::Horizontal);
  arithT_->setRange(-3 * kSliderSteps, 3 * kSliderSteps);
  arithT_->setValue(kSliderSteps);
  arithT_->setMinimumWidth(160);
  arithTLabel_ = new QLabel;
  arithTLabel_->setMinimumWidth(fontMetrics().horizontalAdvance("t = -3.00"));

  auto invalidate = [this] {
    direction_.resize(0);
    updateArithmetic();
  };
  connect(arithMode_, &QComboBox::currentIndexChanged, this, [this, invalidate](int i) {
    arithSetStack_->setCurrentIndex(i);
    invalidate();
  });
  connect(arithClassA_, &QComboBox::currentIndexChanged, this, invalidate);
  connect(arithClassB_, &QComboBox::currentIndexChanged, this, invalidate);
  connect(arithSetA_, &QLineEdit::editingFinished, this, invalidate);
  connect(arithSetB_, &QLineEdit::editingFinished, this, invalidate);
  connect(arithBase_, &QSpinBox::valueChanged, this, &GenerationPanel::updateArithmetic);
  connect(arithT_, &QSlider::valueChanged, this, &GenerationPanel::updateArithmetic);

  auto* w = new QWidget;
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(4, 4, 4, 4);
  auto* top = row({arithMode_}, false);
  top->addWidget(arithSetStack_, 1);
  v->addLayout(top);
  auto* second = row({new QLabel(tr("Applied to")), arithBase_, arithTLabel_, arithT_}, false);
  second->addStretch();
  second->addWidget(exportButtons(arithmetic_));
  v->addLayout(second);
  v->addWidget(arithmetic_, 1);
  arithmeticInfo_ = infoLine();
  v->addWidget(arithmeticInfo_);
  return w;
}

void GenerationPanel::rebuildClassButtons() {
  for (QAbstractButton* b : classGroup_->buttons()) {
    classGroup_->removeButton(b);
    delete b;
  }
  // Ten short names fit on one row; longer ones (Fashion-MNIST's articles) take two.
  int chars = 0;
  for (const QString& n : classNames_) chars += int(n.size());
  const int perRow = chars > 40 ? (int(classNames_.size()) + 1) / 2 : std::max<int>(1, int(classNames_.size()));
  for (int k = 0; k < classNames_.size(); ++k) {
    auto* b = new QPushButton(classNames_[k]);
    b->setCheckable(true);
    b->setChecked(k == class_);
    b->setMinimumWidth(std::max(36, b->fontMetrics().horizontalAdvance(classNames_[k]) + 16));
    b->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    classGroup_->addButton(b, k);
    classLayout_->addWidget(b, k / perRow, k % perRow);
  }
}

void GenerationPanel::rebuildSliders() {
  for (QSlider* s : sliders_) delete s;
  sliders_.clear();
  while (QLayoutItem* item = sliderLayout_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  const bool principal = directions_->currentIndex() == 1;
  const int n = basis_.size(), perColumn = (n + kSliderColumns - 1) / kSliderColumns;
  for (int i = 0; i < n; ++i) {
    const QString name = principal ? tr("pc%1").arg(i + 1) : tr("z%1").arg(i + 1);
    auto* label = new QLabel(name);
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* s = new QSlider(Qt::Horizontal);
    s->setRange(-3 * kSliderSteps, 3 * kSliderSteps);
    s->setSingleStep(5);
    s->setPageStep(kSliderSteps / 2);
    s->setMinimumWidth(80);
    const QString about = principal ? tr("principal direction %1 of the test images' posterior means (sd %2)")
                                          .arg(i + 1)
                                          .arg(double(basis_.sd(i)), 0, 'g', 3)
                                    : tr("latent dimension %1 (prior sd 1)").arg(i + 1);
    label->setToolTip(about);
    connect(s, &QSlider::valueChanged, this, [this, i, s, name](int v) {
      values_(i) = float(v) / kSliderSteps;
      s->setToolTip(tr("%1 = %2 sd").arg(name).arg(values_(i), 0, 'f', 2));
      randomDrawn_ = false;
      updateSliderView();
    });
    const int r = i % perColumn, c = 2 * (i / perColumn);
    sliderLayout_->addWidget(label, r, c);
    sliderLayout_->addWidget(s, r, c + 1);
    sliders_ << s;
  }
  for (int c = 0; c < 2 * kSliderColumns; c += 2) sliderLayout_->setColumnStretch(c + 1, 1);
  sliderLayout_->setRowStretch(perColumn, 1);
}

// ---- model and data -----------------------------------------------------------------------------------------

void GenerationPanel::setModel(ModelSnapshot model, std::shared_ptr<const DataSplit> data, const QStringList& names) {
  model_ = std::move(model);
  data_ = std::move(data);
  generator_.reset();
  principal_.reset();
  direction_.resize(0);
  for (SampleGrid* g : {image_, everyClass_, grid_, transfer_, interpolation_, arithmetic_}) g->clear();
  if (model_) {
    try {
      generator_ = std::make_unique<Generator>(*model_);
    } catch (const std::exception& e) {
      showMessage(message_, tr("Cannot generate from this model: %1").arg(e.what()), true);
    }
  }
  classBar_->setEnabled(generator_ != nullptr);
  tabs_->setEnabled(generator_ != nullptr);
  if (!generator_) {
    classNames_.clear();
    rebuildClassButtons();
    basis_ = StyleBasis{};
    values_.resize(0);
    rebuildSliders();
    for (SampleGrid* g : {image_, grid_, transfer_, interpolation_, arithmetic_})
      g->setPlaceholder(tr("Open or train a model to generate from it"));
    if (!model_) showMessage(message_, tr("No model yet: train one, or open a model file."));
    return;
  }
  const ModelConfig& config = generator_->config();
  QString note;
  if (data_ && (data_->test.features() != config.inputSize || data_->test.classes != config.classes)) {
    note = tr("The open data set (%1 features, %2 classes) does not fit the model (%3, %4): its test images are "
              "not used.")
               .arg(data_->test.features())
               .arg(data_->test.classes)
               .arg(config.inputSize)
               .arg(config.classes);
    data_.reset();
  }

  // Class names: given, else the model file's, else the data's, else numbers.
  classNames_ = names;
  if (classNames_.size() != config.classes) {
    classNames_.clear();
    if (int(model_->classNames.size()) == config.classes)
      for (const auto& n : model_->classNames) classNames_ << QString::fromStdString(n);
    else if (data_ && int(data_->test.classNames.size()) == config.classes)
      for (const auto& n : data_->test.classNames) classNames_ << QString::fromStdString(n);
    else
      for (int k = 0; k < config.classes; ++k) classNames_ << QString::number(k);
  }

  // How a sample draws: the data's image shape, the file's, a square, or else curves of one channel.
  const int D = config.inputSize, side = int(std::lround(std::sqrt(double(D))));
  if (data_ && data_->test.height * data_->test.width == D)
    layout_ = SampleLayout::image(data_->test.height, data_->test.width);
  else if (model_->dataset.height * model_->dataset.width == D)
    layout_ = SampleLayout::image(model_->dataset.height, model_->dataset.width);
  else if (side * side == D)
    layout_ = SampleLayout::image(side, side);
  else
    layout_ = SampleLayout::curves(1, D);
  for (SampleGrid* g : {image_, everyClass_, grid_, transfer_, interpolation_, arithmetic_})
    g->setSampleLayout(layout_);

  class_ = std::clamp(class_, 0, config.classes - 1);
  rebuildClassButtons();
  const QSignalBlocker blockA(arithClassA_), blockB(arithClassB_);
  arithClassA_->clear();
  arithClassB_->clear();
  arithClassA_->addItems(classNames_);
  arithClassB_->addItems(classNames_);
  arithClassA_->setCurrentIndex(std::min(1, config.classes - 1));  // e.g. ones minus zeros: narrow minus wide
  arithClassB_->setCurrentIndex(0);
  enableForData();

  if (directions_->currentIndex() == 1 && hasTestImages())
    basis_ = principalBasis();
  else
    basis_ = StyleBasis::axisAligned(config.latent);
  values_ = Vector<float>::Zero(basis_.size());
  rebuildSliders();
  showMessage(message_,
              note.isEmpty() ? tr("Model: dense %1 inputs, latent %2, %3 classes.")
                                   .arg(config.inputSize)
                                   .arg(config.latent)
                                   .arg(config.classes)
                             : note,
              !note.isEmpty());
  drawRandomSliders();  // a first style that looks like something, not the mean's blur
  updateAll();
}

void GenerationPanel::enableForData() {
  const bool images = hasTestImages();
  const int last = images ? data_->test.size() - 1 : 0;
  for (QSpinBox* s : {interpA_, interpB_}) {
    const QSignalBlocker block(s);
    s->setRange(0, last);
  }
  {
    const QSignalBlocker block(interpB_);
    if (images && interpB_->value() == 0) interpB_->setValue(std::min(1, last));
  }
  {
    const QSignalBlocker block(arithBase_);
    arithBase_->setRange(-1, last);
  }
  for (int t : {TransferTab, InterpolationTab}) tabs_->setTabEnabled(t, images);
  if (!images) {
    const QSignalBlocker block(gridSource_);
    gridSource_->setCurrentIndex(0);
    gridSourceStack_->setCurrentIndex(0);
    const QSignalBlocker blockDirections(directions_);
    directions_->setCurrentIndex(0);
  }
  for (QComboBox* c : {gridSource_, directions_})
    if (auto* model = qobject_cast<QStandardItemModel*>(c->model())) model->item(1)->setEnabled(images);
  tabs_->setTabEnabled(ArithmeticTab, images);
}

bool GenerationPanel::hasTestImages() const { return data_ && data_->test.size() > 0; }

Vector<float> GenerationPanel::testImage(int index) const { return data_->test.x.col(index); }

Matrix<float> GenerationPanel::testImages(const QVector<int>& indices) const {
  Matrix<float> x(data_->test.features(), indices.size());
  for (int i = 0; i < indices.size(); ++i) x.col(i) = data_->test.x.col(indices[i]);
  return x;
}

QVector<int> GenerationPanel::testIndicesOfClass(int k, int limit) const {
  QVector<int> out;
  const auto& labels = data_->test.labels;
  for (int i = 0; i < int(labels.size()) && out.size() < limit; ++i)
    if (labels[i] == k) out << i;
  return out;
}

QVector<float> GenerationPanel::toValues(const Matrix<float>& decoded) const {
  return QVector<float>(decoded.data(), decoded.data() + decoded.size());  // column-major: one sample per cell
}

const StyleBasis& GenerationPanel::principalBasis() {
  if (!principal_) {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const int n = std::min(kPrincipalImages, data_->test.size());
    principal_ = StyleBasis::principal(generator_->stylesOf(data_->test.x.leftCols(n)));
    QApplication::restoreOverrideCursor();
  }
  return *principal_;
}

// ---- sliders ------------------------------------------------------------------------------------------------

void GenerationPanel::setPrincipalDirections(bool principal) {
  if (principal && !hasTestImages()) principal = false;
  {
    const QSignalBlocker block(directions_);
    directions_->setCurrentIndex(principal ? 1 : 0);
  }
  if (!generator_) return;
  // Keep the style: the new sliders are the current z's projection on the new directions.
  const Vector<float> z = basis_.toLatent(values_);
  basis_ = principal ? principalBasis() : StyleBasis::axisAligned(generator_->latent());
  values_ = Vector<float>::Zero(basis_.size());
  rebuildSliders();
  setSliderValues(basis_.toSliders(z));
}

void GenerationPanel::setSliderValues(const Vector<float>& s) {
  const float range = float(StyleBasis::kSliderRange);
  values_ = s.cwiseMax(-range).cwiseMin(range);
  for (int i = 0; i < sliders_.size(); ++i) {
    const QSignalBlocker block(sliders_[i]);
    sliders_[i]->setValue(int(std::lround(values_(i) * kSliderSteps)));
    values_(i) = float(sliders_[i]->value()) / kSliderSteps;  // what the slider shows is what decodes
  }
  updateSliderView();
}

void GenerationPanel::drawRandomSliders() {
  if (!generator_) return;
  Random rng(uint64_t(seed_->value()));
  setSliderValues(basis_.randomSliders(temperature_->value(), rng));
  randomDrawn_ = true;
}

void GenerationPanel::randomStyle() {
  seed_->setValue(seed_->value() < seed_->maximum() ? seed_->value() + 1 : 0);  // redraws through valueChanged
}

void GenerationPanel::resetStyle() {
  if (!generator_) return;
  setSliderValues(Vector<float>::Zero(basis_.size()));
  randomDrawn_ = false;
}

QVector<float> GenerationPanel::currentStyle() const {
  if (!generator_) return {};
  const Vector<float> z = basis_.toLatent(values_);
  return QVector<float>(z.data(), z.data() + z.size());
}

void GenerationPanel::setStyle(const QVector<float>& z) {
  if (!generator_ || z.size() != generator_->latent()) return;
  setSliderValues(basis_.toSliders(Eigen::Map<const Vector<float>>(z.data(), z.size())));
  randomDrawn_ = false;
}

void GenerationPanel::useStyleOfTestImage(int index) {
  if (!generator_ || !hasTestImages() || index < 0 || index >= data_->test.size()) return;
  const Vector<float> mu = generator_->styleOf(testImage(index));
  setStyle(QVector<float>(mu.data(), mu.data() + mu.size()));
}

void GenerationPanel::updateSliderView() {
  if (!generator_ || values_.size() != basis_.size()) return;
  const Vector<float> z = basis_.toLatent(values_);
  QElapsedTimer clock;
  clock.start();
  const Vector<float> image = generator_->decode(z, class_);
  lastDecodeMs_ = milliseconds(clock);
  clock.restart();
  const Matrix<float> every = generator_->everyClass(z);
  const double everyMs = milliseconds(clock);
  image_->setSamples(1, 1, toValues(image));
  everyClass_->setSamples(1, generator_->classes(), toValues(every), {}, classNames_);
  timing_->setText(tr("Class %1, |z| = %2. Decoded in %3 ms; every class in %4 ms.")
                       .arg(classNames_.value(class_))
                       .arg(double(z.norm()), 0, 'f', 2)
                       .arg(lastDecodeMs_, 0, 'f', 2)
                       .arg(everyMs, 0, 'f', 2));
  emit styleChanged(QVector<float>(z.data(), z.data() + z.size()), class_);
}

void GenerationPanel::setCurrentClass(int k) {
  if (!generator_ || k < 0 || k >= generator_->classes()) return;
  if (QAbstractButton* b = classGroup_->button(k)) b->setChecked(true);
  if (k == class_) return;
  class_ = k;
  updateSliderView();
  if (!interpEveryClass_->isChecked()) updateInterpolation();
  emit classChanged(k);
}

void GenerationPanel::showTab(Tab tab) { tabs_->setCurrentIndex(int(tab)); }

void GenerationPanel::updateAll() {
  updateSliderView();
  updateGrid();
  updateTransfer();
  updateInterpolation();
  updateArithmetic();
}

// ---- grids --------------------------------------------------------------------------------------------------

void GenerationPanel::updateGrid() {
  if (!generator_) return;
  const int K = generator_->classes(), D = generator_->features();
  std::vector<int> all(K);
  for (int k = 0; k < K; ++k) all[k] = k;
  Matrix<float> styles;
  Matrix<float> sources;  // the test images whose styles they are, shown above (images mode)
  QStringList columns;
  if (gridSource_->currentIndex() == 1 && hasTestImages()) {
    const IndexList list = IndexList::parse(gridIndices_->text(), data_->test.size(), 32);
    if (!list.ok()) {
      showMessage(gridInfo_, list.error, true);
      return;
    }
    sources = testImages(list.indices);
    styles = generator_->stylesOf(sources);
    for (int i : list.indices) columns << QStringLiteral("#%1").arg(i);
  } else {
    Random rng(uint64_t(gridSeed_->value()));
    styles = generator_->randomStyles(gridCount_->value(), gridTemperature_->value(), rng);
  }
  const int S = int(styles.cols());
  const Matrix<float> decoded = generator_->classByStyleGrid(all, styles);
  const int top = sources.cols() > 0 ? 1 : 0;  // a row of source images above the classes
  Matrix<float> cells(D, (K + top) * S);
  if (top) cells.leftCols(S) = sources;
  cells.rightCols(K * S) = decoded;
  QStringList rows = classNames_;
  if (top) rows.prepend(tr("image"));
  gridZ_.resize(styles.rows(), cells.cols());
  gridClass_.assign(size_t(cells.cols()), -1);
  for (int r = 0; r < K + top; ++r)
    for (int c = 0; c < S; ++c) {
      gridZ_.col(r * S + c) = styles.col(c);
      if (r >= top) gridClass_[size_t(r * S + c)] = r - top;
    }
  grid_->setSamples(K + top, S, toValues(cells), rows, columns);
  showMessage(gridInfo_, top ? tr("Each column: one test image's style (the encoder's mean) decoded as every class.")
                             : tr("Each column: one random style, z ~ N(0, %1 I), decoded as every class.")
                                   .arg(gridTemperature_->value() * gridTemperature_->value(), 0, 'g', 3));
  grid_->setSeparators(top ? QList<int>{0} : QList<int>{}, {});
}

void GenerationPanel::updateTransfer() {
  if (!generator_ || !hasTestImages()) return;
  const IndexList list = IndexList::parse(transferIndices_->text(), data_->test.size(), 10);
  if (!list.ok()) {
    showMessage(transferInfo_, list.error, true);
    return;
  }
  // One row per image: the image, a gap, then its style decoded as every class.
  const int K = generator_->classes(), R = int(list.indices.size()), S = K + 1;
  const Matrix<float> x = testImages(list.indices);
  Matrix<float> probs;
  const Matrix<float> mu = generator_->stylesOf(x, &probs);
  std::vector<int> all(K);
  for (int k = 0; k < K; ++k) all[k] = k;
  Matrix<float> cells(x.rows(), R * S);
  transferZ_.resize(mu.rows(), R * S);
  transferClass_.assign(size_t(R * S), -1);
  QStringList rows, about;
  for (int r = 0; r < R; ++r) {
    cells.col(r * S) = x.col(r);
    cells.middleCols(r * S + 1, K) = generator_->everyClass(mu.col(r));
    for (int c = 0; c < S; ++c) {
      transferZ_.col(r * S + c) = mu.col(r);
      if (c > 0) transferClass_[size_t(r * S + c)] = c - 1;
    }
    const int index = list.indices[r];
    rows << QStringLiteral("#%1").arg(index);
    Eigen::Index predicted;
    probs.col(r).maxCoeff(&predicted);
    about << tr("#%1 labelled %2, classified %3 (%4%)")
                 .arg(index)
                 .arg(classNames_.value(data_->test.labels[size_t(index)]), classNames_.value(int(predicted)))
                 .arg(100.0 * probs(predicted, r), 0, 'f', 1);
  }
  transfer_->setSamples(R, S, toValues(cells), rows, QStringList{tr("image")} + classNames_);
  transfer_->setSeparators({}, {0});
  showMessage(transferInfo_, about.join("; ") + ".");
}

void GenerationPanel::updateInterpolation() {
  if (!generator_ || !hasTestImages()) return;
  const int N = interpSteps_->value(), a = interpA_->value(), b = interpB_->value(), D = generator_->features();
  const Matrix<float> ends = testImages({a, b});
  const Matrix<float> mu = generator_->stylesOf(ends);
  const auto kind = interpKind_->currentIndex() == 0 ? InterpolationKind::Linear : InterpolationKind::Spherical;
  const Matrix<float> path = interpolate(mu.col(0), mu.col(1), N, kind);
  std::vector<int> classes;
  if (interpEveryClass_->isChecked())
    for (int k = 0; k < generator_->classes(); ++k) classes.push_back(k);
  else
    classes.push_back(class_);
  const int R = int(classes.size());
  const Matrix<float> decoded = generator_->classByStyleGrid(classes, path);
  // Row 0: image a above the path's first step, image b above its last; blank between.
  Matrix<float> cells = Matrix<float>::Zero(D, (R + 1) * N);
  QVector<bool> present((R + 1) * N, true);
  for (int c = 1; c < N - 1; ++c) present[c] = false;
  cells.col(0) = ends.col(0);
  cells.col(N - 1) = ends.col(1);
  cells.rightCols(R * N) = decoded;
  interpolationZ_.resize(path.rows(), cells.cols());
  interpolationClass_.assign(size_t(cells.cols()), -1);
  for (int r = 0; r <= R; ++r)
    for (int c = 0; c < N; ++c) {
      interpolationZ_.col(r * N + c) = path.col(c);
      if (r > 0) interpolationClass_[size_t(r * N + c)] = classes[size_t(r - 1)];
    }
  QStringList rows{tr("images")};
  for (int k : classes) rows << classNames_.value(k);
  QStringList columns;
  for (int c = 0; c < N; ++c)
    columns << (c == 0 ? QStringLiteral("#%1").arg(a) : c == N - 1 ? QStringLiteral("#%1").arg(b) : QString());
  interpolation_->setSamples(R + 1, N, toValues(cells), rows, columns, present);
  interpolation_->setSeparators({0}, {});
  showMessage(interpolationInfo_, tr("Norm |z| along the path: %1 at #%2, %3 halfway, %4 at #%5.")
                                      .arg(double(mu.col(0).norm()), 0, 'f', 2)
                                      .arg(a)
                                      .arg(double(interpolate(mu.col(0), mu.col(1), 3, kind).col(1).norm()), 0, 'f', 2)
                                      .arg(double(mu.col(1).norm()), 0, 'f', 2)
                                      .arg(b));
}

void GenerationPanel::updateArithmetic() {
  if (!generator_ || !hasTestImages()) return;
  const double t = double(arithT_->value()) / kSliderSteps;
  arithTLabel_->setText(tr("t = %1").arg(t, 0, 'f', 2));
  if (direction_.size() == 0) {
    QVector<int> setA, setB;
    if (arithMode_->currentIndex() == 0) {
      setA = testIndicesOfClass(arithClassA_->currentIndex(), kClassImages);
      setB = testIndicesOfClass(arithClassB_->currentIndex(), kClassImages);
    } else {
      const IndexList a = IndexList::parse(arithSetA_->text(), data_->test.size(), kClassImages);
      const IndexList b = IndexList::parse(arithSetB_->text(), data_->test.size(), kClassImages);
      if (!a.ok() || !b.ok()) {
        showMessage(arithmeticInfo_, tr("Set %1: %2").arg(a.ok() ? "B" : "A", a.ok() ? b.error : a.error), true);
        return;
      }
      setA = a.indices;
      setB = b.indices;
    }
    if (setA.isEmpty() || setB.isEmpty()) {
      showMessage(arithmeticInfo_, tr("A set has no test images"), true);
      return;
    }
    direction_ = latentDirection(generator_->stylesOf(testImages(setA)), generator_->stylesOf(testImages(setB)));
    showMessage(arithmeticInfo_, tr("Direction: the mean style of %1 test images (A) minus that of %2 (B); length %3.")
                                     .arg(setA.size())
                                     .arg(setB.size())
                                     .arg(double(direction_.norm()), 0, 'f', 2));
  }
  const int K = generator_->classes(), D = generator_->features(), base = arithBase_->value();
  const Vector<float> z = base >= 0 ? generator_->styleOf(testImage(base)) : Vector<float>::Zero(generator_->latent());
  // Rows: the style moved by -t, as it is, moved by +t; columns: every class, after the base image if any.
  const Matrix<float> styles = alongDirection(z, direction_, -t, t, 3);
  const int lead = base >= 0 ? 1 : 0, S = K + lead, R = 3;
  Matrix<float> cells = Matrix<float>::Zero(D, R * S);
  QVector<bool> present(R * S, true);
  arithmeticZ_.resize(z.size(), R * S);
  arithmeticClass_.assign(size_t(R * S), -1);
  for (int r = 0; r < R; ++r) {
    cells.middleCols(r * S + lead, K) = generator_->everyClass(styles.col(r));
    for (int c = 0; c < S; ++c) {
      arithmeticZ_.col(r * S + c) = styles.col(r);
      if (c >= lead) arithmeticClass_[size_t(r * S + c)] = c - lead;
    }
  }
  if (lead) {
    cells.col(S) = testImage(base);  // beside the unmoved row
    present[0] = present[2 * S] = false;
  }
  QStringList columns;
  if (lead) columns << QStringLiteral("#%1").arg(base);
  columns << classNames_;
  const QString tText = QString::number(t, 'f', 2);
  arithmetic_->setSamples(R, S, toValues(cells),
                          {tr("z - %1 (A - B)").arg(tText), tr("z"), tr("z + %1 (A - B)").arg(tText)}, columns,
                          present);
  arithmetic_->setSeparators({}, lead ? QList<int>{0} : QList<int>{});
}

void GenerationPanel::cellClicked(SampleGrid* grid, int row, int column) {
  const Matrix<float>* z = nullptr;
  const std::vector<int>* classes = nullptr;
  if (grid == grid_) z = &gridZ_, classes = &gridClass_;
  if (grid == transfer_) z = &transferZ_, classes = &transferClass_;
  if (grid == interpolation_) z = &interpolationZ_, classes = &interpolationClass_;
  if (grid == arithmetic_) z = &arithmeticZ_, classes = &arithmeticClass_;
  const int i = row * grid->columnCount() + column;
  if (!z || i < 0 || i >= z->cols()) return;
  if ((*classes)[size_t(i)] >= 0) setCurrentClass((*classes)[size_t(i)]);
  const Vector<float> style = z->col(i);
  setStyle(QVector<float>(style.data(), style.data() + style.size()));
  showTab(SlidersTab);
}

// ---- messages -----------------------------------------------------------------------------------------------

void GenerationPanel::showMessage(QLabel* line, const QString& text, bool error) {
  line->setText(error ? QStringLiteral("<span style='color:#b00020'>%1</span>").arg(text.toHtmlEscaped())
                      : text.toHtmlEscaped());
  line->setProperty("plainMessage", text);
}

QString GenerationPanel::message(Tab tab) const {
  const QLabel* lines[] = {message_, gridInfo_, transferInfo_, interpolationInfo_, arithmeticInfo_};
  return lines[int(tab)]->property("plainMessage").toString();
}
