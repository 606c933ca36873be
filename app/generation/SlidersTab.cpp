#include "app/generation/SlidersTab.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/generation/DecodedGridTab.h"

using namespace latentlab;

namespace generation {

using ui::row;

namespace {

constexpr int kSliderSteps = 100;       // slider units per standard deviation
constexpr int kSliderColumns = 2;       // columns of sliders in the grid, read top to bottom
constexpr int kPrincipalImages = 2000;  // test images whose posterior means give the principal directions

double milliseconds(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

QVector<float> toValues(const Matrix<float>& decoded) {
  return QVector<float>(decoded.data(), decoded.data() + decoded.size());  // column-major: one sample per cell
}

}  // namespace

SlidersTab::SlidersTab(const Context& context, QWidget* parent) : QWidget(parent), context_(context) {
  image_ = new SampleGrid;
  image_->setMinimumSize(160, 160);
  everyClass_ = new SampleGrid;
  everyClass_->setMinimumHeight(70);
  everyClass_->setToolTip(tr("The same style drawn as every class; click one to pick that class"));
  connect(everyClass_, &SampleGrid::cellClicked, this, [this](int, int c) { emit classClicked(c); });
  timing_ = ui::caption({});

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
  connect(random, &QPushButton::clicked, this, &SlidersTab::randomStyle);
  connect(reset, &QPushButton::clicked, this, &SlidersTab::resetStyle);
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
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  auto* h = new QHBoxLayout;
  h->addLayout(left, 2);
  h->addLayout(right, 3);
  v->addLayout(h, 4);
  auto* stripHeader = new QHBoxLayout;
  stripHeader->addWidget(ui::caption(tr("The same style as every class (click one to pick it)")));
  stripHeader->addStretch();
  stripHeader->addWidget(ui::exportButtons(everyClass_));
  v->addLayout(stripHeader);
  v->addWidget(everyClass_, 1);
}

void SlidersTab::modelChanged() {
  principal_.reset();
  const Generator* g = context_.generator;
  if (!g) {
    basis_ = StyleBasis{};
    values_.resize(0);
    rebuildSliders();
    return;
  }
  const bool images = context_.hasTestImages();
  if (!images) {
    const QSignalBlocker block(directions_);
    directions_->setCurrentIndex(0);
  }
  if (auto* model = qobject_cast<QStandardItemModel*>(directions_->model())) model->item(1)->setEnabled(images);
  if (directions_->currentIndex() == 1 && images)
    basis_ = principalBasis();
  else
    basis_ = StyleBasis::axisAligned(g->latent());
  values_ = Vector<float>::Zero(basis_.size());
  rebuildSliders();
}

void SlidersTab::rebuildSliders() {
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
      redraw();
    });
    const int r = i % perColumn, c = 2 * (i / perColumn);
    sliderLayout_->addWidget(label, r, c);
    sliderLayout_->addWidget(s, r, c + 1);
    sliders_ << s;
  }
  for (int c = 0; c < 2 * kSliderColumns; c += 2) sliderLayout_->setColumnStretch(c + 1, 1);
  sliderLayout_->setRowStretch(perColumn, 1);
}

const StyleBasis& SlidersTab::principalBasis() {
  if (!principal_) {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const int n = std::min(kPrincipalImages, context_.testImageCount());
    principal_ = StyleBasis::principal(context_.generator->stylesOf(context_.data->test.x.leftCols(n)));
    QApplication::restoreOverrideCursor();
  }
  return *principal_;
}

void SlidersTab::setPrincipalDirections(bool principal) {
  if (principal && !context_.hasTestImages()) principal = false;
  {
    const QSignalBlocker block(directions_);
    directions_->setCurrentIndex(principal ? 1 : 0);
  }
  if (!context_.generator) return;
  // Keep the style: the new sliders are the current z's projection on the new directions.
  const Vector<float> z = basis_.toLatent(values_);
  basis_ = principal ? principalBasis() : StyleBasis::axisAligned(context_.generator->latent());
  values_ = Vector<float>::Zero(basis_.size());
  rebuildSliders();
  setSliderValues(basis_.toSliders(z));
}

void SlidersTab::setSliderValues(const Vector<float>& s) {
  const float range = float(StyleBasis::kSliderRange);
  values_ = s.cwiseMax(-range).cwiseMin(range);
  for (int i = 0; i < sliders_.size(); ++i) {
    const QSignalBlocker block(sliders_[i]);
    sliders_[i]->setValue(int(std::lround(values_(i) * kSliderSteps)));
    values_(i) = float(sliders_[i]->value()) / kSliderSteps;  // what the slider shows is what decodes
  }
  redraw();
}

void SlidersTab::drawRandomSliders() {
  if (!context_.generator) return;
  Random rng(uint64_t(seed_->value()));
  setSliderValues(basis_.randomSliders(temperature_->value(), rng));
  randomDrawn_ = true;
}

void SlidersTab::randomStyle() {
  seed_->setValue(seed_->value() < seed_->maximum() ? seed_->value() + 1 : 0);  // redraws through valueChanged
}

void SlidersTab::resetStyle() {
  if (!context_.generator) return;
  setSliderValues(Vector<float>::Zero(basis_.size()));
  randomDrawn_ = false;
}

QVector<float> SlidersTab::currentStyle() const {
  if (!context_.generator) return {};
  const Vector<float> z = basis_.toLatent(values_);
  return QVector<float>(z.data(), z.data() + z.size());
}

void SlidersTab::showStyle(const QVector<float>& z) {
  showStyle(Vector<float>(Eigen::Map<const Vector<float>>(z.data(), z.size())));
}

void SlidersTab::showStyle(const Vector<float>& z) {
  if (!context_.generator || z.size() != context_.generator->latent()) return;
  setSliderValues(basis_.toSliders(z));
  randomDrawn_ = false;
}

void SlidersTab::useStyleOfTestImage(int index) {
  if (!context_.generator || !context_.hasTestImages() || index < 0 || index >= context_.testImageCount()) return;
  showStyle(context_.generator->styleOf(context_.testImage(index)));
}

void SlidersTab::redraw() {
  Generator* g = context_.generator;
  if (!g || values_.size() != basis_.size()) return;
  const Vector<float> z = basis_.toLatent(values_);
  const int cls = context_.currentClass;
  QElapsedTimer clock;
  clock.start();
  const Vector<float> image = g->decode(z, cls);
  lastDecodeMs_ = milliseconds(clock);
  clock.restart();
  const Matrix<float> every = g->everyClass(z);
  const double everyMs = milliseconds(clock);
  image_->setSamples(1, 1, toValues(image));
  everyClass_->setSamples(1, g->classes(), toValues(every), {}, context_.classNames);
  timing_->setText(tr("Class %1, |z| = %2. Decoded in %3 ms; every class in %4 ms.")
                       .arg(context_.classNames.value(cls))
                       .arg(double(z.norm()), 0, 'f', 2)
                       .arg(lastDecodeMs_, 0, 'f', 2)
                       .arg(everyMs, 0, 'f', 2));
  emit styleChanged(QVector<float>(z.data(), z.data() + z.size()), cls);
}

}  // namespace generation
