#include "app/generation/StyleGridTab.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>

#include "app/generation/IndexList.h"

using namespace latentlab;

namespace generation {

using ui::row;

StyleGridTab::StyleGridTab(const Context& context, QWidget* parent) : DecodedGridTab(context, parent) {
  view_->setToolTip(
      tr("Rows are classes, columns styles: each column keeps one style. Click a cell to open it "
         "in the sliders."));
  source_ = new QComboBox;
  source_->addItems({tr("Random styles"), tr("Styles of test images")});
  count_ = new QSpinBox;
  count_->setRange(1, 32);
  count_->setValue(8);
  temperature_ = new QDoubleSpinBox;
  temperature_->setRange(0, 3);
  temperature_->setSingleStep(0.1);
  temperature_->setValue(1.0);
  seed_ = new QSpinBox;
  seed_->setRange(0, 999999);
  seed_->setValue(1);
  auto* again = new QPushButton(tr("New styles"));
  connect(again, &QPushButton::clicked, this, [this] { seed_->setValue(seed_->value() + 1); });
  auto* randomPage = new QWidget;
  randomPage->setLayout(row({new QLabel(tr("Styles")), count_, new QLabel(tr("Temperature")), temperature_,
                             new QLabel(tr("Seed")), seed_, again}));
  indices_ = new QLineEdit("0-7");
  indices_->setPlaceholderText(tr("test image indices, e.g. 0, 5, 10-14"));
  indices_->setToolTip(tr("Indices into the test set, separated by commas or spaces; ranges like 10-14"));
  auto* imagesPage = new QWidget;
  auto* imagesRow = row({new QLabel(tr("Test images"))}, false);
  imagesRow->addWidget(indices_, 1);
  imagesPage->setLayout(imagesRow);
  sourceStack_ = new QStackedWidget;
  sourceStack_->addWidget(randomPage);
  sourceStack_->addWidget(imagesPage);
  sourceStack_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  connect(source_, &QComboBox::currentIndexChanged, this, [this](int i) {
    sourceStack_->setCurrentIndex(i);
    redraw();
  });
  connect(count_, &QSpinBox::valueChanged, this, &StyleGridTab::redraw);
  connect(temperature_, &QDoubleSpinBox::valueChanged, this, &StyleGridTab::redraw);
  connect(seed_, &QSpinBox::valueChanged, this, &StyleGridTab::redraw);
  connect(indices_, &QLineEdit::editingFinished, this, &StyleGridTab::redraw);

  auto* top = row({source_}, false);
  top->addWidget(sourceStack_, 1);
  top->addWidget(ui::exportButtons(view_));
  buildLayout({top});
}

void StyleGridTab::modelChanged() {
  const bool images = context_.hasTestImages();
  if (!images) {
    const QSignalBlocker block(source_);
    source_->setCurrentIndex(0);
    sourceStack_->setCurrentIndex(0);
  }
  if (auto* model = qobject_cast<QStandardItemModel*>(source_->model())) model->item(1)->setEnabled(images);
}

void StyleGridTab::redraw() {
  Generator* g = context_.generator;
  if (!g) return;
  Matrix<float> styles;   // (d x S)
  Matrix<float> sources;  // (D x S) the test images whose styles they are, shown above (images mode)
  QStringList columns;
  if (source_->currentIndex() == 1 && context_.hasTestImages()) {
    const IndexList list = IndexList::parse(indices_->text(), context_.testImageCount(), 32);
    if (!list.ok()) {
      showMessage(list.error, true);
      return;
    }
    sources = context_.testImages(list.indices);
    styles = g->stylesOf(sources);
    for (int i : list.indices) columns << QStringLiteral("#%1").arg(i);
  } else {
    Random rng(uint64_t(seed_->value()));
    styles = g->randomStyles(count_->value(), temperature_->value(), rng);
  }
  const int K = g->classes(), S = int(styles.cols());
  const int top = sources.cols() > 0 ? 1 : 0;  // a row of source images above the classes
  DecodedGrid grid = DecodedGrid::blank(K + top, S, g->features(), g->latent());
  if (top) grid.cells.leftCols(S) = sources;
  grid.cells.rightCols(K * S) = g->classByStyleGrid(context_.allClasses(), styles);
  for (int r = 0; r < grid.rows; ++r)
    for (int c = 0; c < S; ++c) {
      grid.z.col(grid.cell(r, c)) = styles.col(c);
      if (r >= top) grid.classes[size_t(grid.cell(r, c))] = r - top;
    }
  grid.rowLabels = context_.classNames;
  if (top) grid.rowLabels.prepend(tr("image"));
  grid.columnLabels = columns;
  showGrid(std::move(grid));
  showMessage(top ? tr("Each column: one test image's style (the encoder's mean) decoded as every class.")
                  : tr("Each column: one random style, z ~ N(0, %1 I), decoded as every class.")
                        .arg(temperature_->value() * temperature_->value(), 0, 'g', 3));
  view_->setSeparators(top ? QList<int>{0} : QList<int>{}, {});
}

}  // namespace generation
