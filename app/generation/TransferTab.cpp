#include "app/generation/TransferTab.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

#include "app/generation/IndexList.h"

using namespace latentlab;

namespace generation {

TransferTab::TransferTab(const Context& context, QWidget* parent) : DecodedGridTab(context, parent) {
  view_->setToolTip(
      tr("Each row: a test image (left) and its style, the encoder's mean, decoded as every "
         "class. Click a cell to open it in the sliders."));
  indices_ = new QLineEdit("0");
  indices_->setPlaceholderText(tr("test image indices, e.g. 0, 5, 10-14"));
  indices_->setToolTip(tr("One row per test image: indices separated by commas or spaces, ranges like 10-14"));
  auto* random = new QPushButton(tr("Random image"));
  random->setToolTip(tr("Adds a random test image as a new row (at most 10 rows)"));
  connect(random, &QPushButton::clicked, this, [this] {
    if (!context_.hasTestImages()) return;
    QStringList items = indices_->text().split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts);
    items.prepend(QString::number(pick_.below(uint64_t(context_.testImageCount()))));
    indices_->setText(items.mid(0, 10).join(", "));
    redraw();
  });
  connect(indices_, &QLineEdit::editingFinished, this, &TransferTab::redraw);
  auto* top = ui::row({new QLabel(tr("Test images"))}, false);
  top->addWidget(indices_, 1);
  top->addWidget(random);
  top->addWidget(ui::exportButtons(view_));
  buildLayout({top});
}

void TransferTab::redraw() {
  Generator* g = context_.generator;
  if (!g || !context_.hasTestImages()) return;
  const IndexList list = IndexList::parse(indices_->text(), context_.testImageCount(), 10);
  if (!list.ok()) {
    showMessage(list.error, true);
    return;
  }
  // One row per image: the image, a gap, then its style decoded as every class.
  const int K = g->classes(), R = int(list.indices.size()), S = K + 1;
  const Matrix<float> x = context_.testImages(list.indices);  // (D x R)
  Matrix<float> probs;                                        // (K x R)
  const Matrix<float> mu = g->stylesOf(x, &probs);            // (d x R)
  DecodedGrid grid = DecodedGrid::blank(R, S, g->features(), g->latent());
  QStringList about;
  for (int r = 0; r < R; ++r) {
    grid.cells.col(grid.cell(r, 0)) = x.col(r);
    grid.cells.middleCols(grid.cell(r, 1), K) = g->everyClass(mu.col(r));
    for (int c = 0; c < S; ++c) {
      grid.z.col(grid.cell(r, c)) = mu.col(r);
      if (c > 0) grid.classes[size_t(grid.cell(r, c))] = c - 1;
    }
    const int index = list.indices[r];
    grid.rowLabels << QStringLiteral("#%1").arg(index);
    Eigen::Index predicted;
    probs.col(r).maxCoeff(&predicted);
    const auto& truth = context_.data->test.labels;
    if (index < int(truth.size()))
      about << tr("#%1 labelled %2, classified %3 (%4%)")
                   .arg(index)
                   .arg(context_.classNames.value(truth[size_t(index)]), context_.classNames.value(int(predicted)))
                   .arg(100.0 * probs(predicted, r), 0, 'f', 1);
    else  // unlabelled test samples
      about << tr("#%1 classified %2 (%3%)")
                   .arg(index)
                   .arg(context_.classNames.value(int(predicted)))
                   .arg(100.0 * probs(predicted, r), 0, 'f', 1);
  }
  grid.columnLabels = QStringList{tr("image")} + context_.classNames;
  showGrid(std::move(grid));
  view_->setSeparators({}, {0});
  showMessage(about.join("; ") + ".");
}

}  // namespace generation
