#include "app/generation/ArithmeticTab.h"

#include <cmath>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <algorithm>

#include "app/generation/IndexList.h"
#include "engine/generation/LatentArithmetic.h"

using namespace latentlab;

namespace generation {

using ui::row;

namespace {
constexpr int kSteps = 100;         // t slider units per unit of t
constexpr int kClassImages = 1000;  // at most this many images of a class
}  // namespace

ArithmeticTab::ArithmeticTab(const Context& context, QWidget* parent) : DecodedGridTab(context, parent) {
  view_->setToolTip(
      tr("Middle row: the style as it is; above and below: the style minus and plus t times "
         "(mean style of A - mean style of B); every class in its column"));
  mode_ = new QComboBox;
  mode_->addItems({tr("Test images of two classes"), tr("Two sets of test images")});
  classA_ = new QComboBox;
  classB_ = new QComboBox;
  auto* classPage = new QWidget;
  classPage->setLayout(row({new QLabel(tr("A")), classA_, new QLabel(tr("minus B")), classB_}));
  setA_ = new QLineEdit("0-9");
  setB_ = new QLineEdit("10-19");
  for (QLineEdit* e : {setA_, setB_}) e->setPlaceholderText(tr("test image indices, e.g. 0, 5, 10-14"));
  auto* setPage = new QWidget;
  auto* setRow = row({new QLabel(tr("A"))}, false);
  setRow->addWidget(setA_, 1);
  setRow->addWidget(new QLabel(tr("minus B")));
  setRow->addWidget(setB_, 1);
  setPage->setLayout(setRow);
  setStack_ = new QStackedWidget;
  setStack_->addWidget(classPage);
  setStack_->addWidget(setPage);
  setStack_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  base_ = new QSpinBox;
  base_->setRange(-1, 0);
  base_->setValue(0);  // test image 0 until the user picks another (-1: the prior's mean)
  base_->setSpecialValueText(tr("mean style"));
  base_->setToolTip(tr("The style to move: a test image's, or the prior's mean (z = 0)"));
  t_ = new QSlider(Qt::Horizontal);
  t_->setRange(-3 * kSteps, 3 * kSteps);
  t_->setValue(kSteps);
  t_->setMinimumWidth(160);
  tLabel_ = new QLabel;
  tLabel_->setMinimumWidth(fontMetrics().horizontalAdvance("t = -3.00"));

  connect(mode_, &QComboBox::currentIndexChanged, this, [this](int i) {
    setStack_->setCurrentIndex(i);
    invalidate();
  });
  connect(classA_, &QComboBox::currentIndexChanged, this, &ArithmeticTab::invalidate);
  connect(classB_, &QComboBox::currentIndexChanged, this, &ArithmeticTab::invalidate);
  connect(setA_, &QLineEdit::editingFinished, this, &ArithmeticTab::invalidate);
  connect(setB_, &QLineEdit::editingFinished, this, &ArithmeticTab::invalidate);
  connect(base_, &QSpinBox::valueChanged, this, &ArithmeticTab::redraw);
  connect(t_, &QSlider::valueChanged, this, &ArithmeticTab::redraw);

  auto* top = row({mode_}, false);
  top->addWidget(setStack_, 1);
  auto* second = row({new QLabel(tr("Applied to")), base_, tLabel_, t_}, false);
  second->addStretch();
  second->addWidget(ui::exportButtons(view_));
  buildLayout({top, second});
}

void ArithmeticTab::modelChanged() {
  direction_.resize(0);
  const int K = context_.classNames.size();
  {
    const QSignalBlocker blockA(classA_), blockB(classB_);
    classA_->clear();
    classB_->clear();
    classA_->addItems(context_.classNames);
    classB_->addItems(context_.classNames);
    classA_->setCurrentIndex(std::min(1, K - 1));  // e.g. ones minus zeros: narrow minus wide
    classB_->setCurrentIndex(0);
  }
  const QSignalBlocker block(base_);
  base_->setRange(-1, context_.hasTestImages() ? context_.testImageCount() - 1 : 0);
}

void ArithmeticTab::invalidate() {
  direction_.resize(0);
  redraw();
}

void ArithmeticTab::redraw() {
  Generator* g = context_.generator;
  if (!g || !context_.hasTestImages()) return;
  const double t = double(t_->value()) / kSteps;
  tLabel_->setText(tr("t = %1").arg(t, 0, 'f', 2));
  if (direction_.size() == 0) {
    QVector<int> setA, setB;
    if (mode_->currentIndex() == 0) {
      setA = context_.testIndicesOfClass(classA_->currentIndex(), kClassImages);
      setB = context_.testIndicesOfClass(classB_->currentIndex(), kClassImages);
    } else {
      const IndexList a = IndexList::parse(setA_->text(), context_.testImageCount(), kClassImages);
      const IndexList b = IndexList::parse(setB_->text(), context_.testImageCount(), kClassImages);
      if (!a.ok() || !b.ok()) {
        showMessage(tr("Set %1: %2").arg(a.ok() ? "B" : "A", a.ok() ? b.error : a.error), true);
        return;
      }
      setA = a.indices;
      setB = b.indices;
    }
    if (setA.isEmpty() || setB.isEmpty()) {
      showMessage(tr("A set has no test images"), true);
      return;
    }
    direction_ = latentDirection(g->stylesOf(context_.testImages(setA)), g->stylesOf(context_.testImages(setB)));
    showMessage(tr("Direction: the mean style of %1 test images (A) minus that of %2 (B); length %3.")
                    .arg(setA.size())
                    .arg(setB.size())
                    .arg(double(direction_.norm()), 0, 'f', 2));
  }
  const int K = g->classes(), base = base_->value();
  const Vector<float> z = base >= 0 ? g->styleOf(context_.testImage(base)) : Vector<float>::Zero(g->latent());
  // Rows: the style moved by -t, as it is, moved by +t; columns: every class, after the base image if any.
  const Matrix<float> styles = alongDirection(z, direction_, -t, t, 3);  // (d x 3)
  const int lead = base >= 0 ? 1 : 0, S = K + lead, R = 3;
  DecodedGrid grid = DecodedGrid::blank(R, S, g->features(), g->latent());
  grid.present = QVector<bool>(R * S, true);
  for (int r = 0; r < R; ++r) {
    grid.cells.middleCols(grid.cell(r, lead), K) = g->everyClass(styles.col(r));
    for (int c = 0; c < S; ++c) {
      grid.z.col(grid.cell(r, c)) = styles.col(r);
      if (c >= lead) grid.classes[size_t(grid.cell(r, c))] = c - lead;
    }
  }
  if (lead) {
    grid.cells.col(grid.cell(1, 0)) = context_.testImage(base);  // beside the unmoved row
    grid.present[grid.cell(0, 0)] = grid.present[grid.cell(2, 0)] = false;
  }
  if (lead) grid.columnLabels << QStringLiteral("#%1").arg(base);
  grid.columnLabels << context_.classNames;
  // t may be negative: the rows read "z + 3.00 (A - B)", never "z - -3.00 (A - B)".
  auto moved = [](double by) {
    return tr("z %1 %2 (A - B)").arg(by < 0 ? QStringLiteral("-") : QStringLiteral("+")).arg(std::abs(by), 0, 'f', 2);
  };
  grid.rowLabels = {moved(-t), tr("z"), moved(t)};
  showGrid(std::move(grid));
  view_->setSeparators({}, lead ? QList<int>{0} : QList<int>{});
}

}  // namespace generation
