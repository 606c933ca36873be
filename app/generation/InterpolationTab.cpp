#include "app/generation/InterpolationTab.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QSpinBox>
#include <algorithm>

#include "engine/generation/Interpolation.h"

using namespace latentlab;

namespace generation {

InterpolationTab::InterpolationTab(const Context& context, QWidget* parent) : DecodedGridTab(context, parent) {
  view_->setToolTip(tr("Top: the two test images. Below: their styles' path, decoded as the class"));
  from_ = new QSpinBox;
  to_ = new QSpinBox;
  steps_ = new QSpinBox;
  steps_->setRange(2, 32);
  steps_->setValue(10);
  kind_ = new QComboBox;
  kind_->addItems({tr("Linear"), tr("Spherical")});
  kind_->setCurrentIndex(1);
  kind_->setItemData(0, tr("Straight line between the two styles: the middle has a smaller norm than either"),
                     Qt::ToolTipRole);
  kind_->setItemData(1,
                     tr("Along the great circle, the norm moving linearly: every step stays where the "
                        "prior's mass is"),
                     Qt::ToolTipRole);
  everyClass_ = new QCheckBox(tr("Every class"));
  everyClass_->setToolTip(tr("One row per class instead of the picked class only"));
  connect(from_, &QSpinBox::valueChanged, this, &InterpolationTab::redraw);
  connect(to_, &QSpinBox::valueChanged, this, &InterpolationTab::redraw);
  connect(steps_, &QSpinBox::valueChanged, this, &InterpolationTab::redraw);
  connect(kind_, &QComboBox::currentIndexChanged, this, &InterpolationTab::redraw);
  connect(everyClass_, &QCheckBox::toggled, this, &InterpolationTab::redraw);
  auto* top = ui::row({new QLabel(tr("From test image")), from_, new QLabel(tr("to")), to_, kind_,
                       new QLabel(tr("Steps")), steps_, everyClass_});
  top->addWidget(ui::exportButtons(view_));
  buildLayout({top});
}

void InterpolationTab::modelChanged() {
  const bool images = context_.hasTestImages();
  const int last = images ? context_.testImageCount() - 1 : 0;
  for (QSpinBox* s : {from_, to_}) {
    const QSignalBlocker block(s);
    s->setRange(0, last);
  }
  const QSignalBlocker block(to_);
  if (images && to_->value() == 0) to_->setValue(std::min(1, last));
}

void InterpolationTab::classChanged() {
  if (!everyClass_->isChecked()) redraw();
}

void InterpolationTab::redraw() {
  Generator* g = context_.generator;
  if (!g || !context_.hasTestImages()) return;
  const int N = steps_->value(), a = from_->value(), b = to_->value();
  const Matrix<float> ends = context_.testImages({a, b});  // (D x 2)
  const Matrix<float> mu = g->stylesOf(ends);              // (d x 2)
  const auto kind = kind_->currentIndex() == 0 ? InterpolationKind::Linear : InterpolationKind::Spherical;
  const Matrix<float> path = interpolate(mu.col(0), mu.col(1), N, kind);  // (d x N)
  const std::vector<int> classes =
      everyClass_->isChecked() ? context_.allClasses() : std::vector<int>{context_.currentClass};
  const int R = int(classes.size());
  // Row 0: image a above the path's first step, image b above its last; blank between.
  DecodedGrid grid = DecodedGrid::blank(R + 1, N, g->features(), g->latent());
  grid.present = QVector<bool>((R + 1) * N, true);
  for (int c = 1; c < N - 1; ++c) grid.present[c] = false;
  grid.cells.col(0) = ends.col(0);
  grid.cells.col(N - 1) = ends.col(1);
  grid.cells.rightCols(R * N) = g->classByStyleGrid(classes, path);
  for (int r = 0; r <= R; ++r)
    for (int c = 0; c < N; ++c) {
      grid.z.col(grid.cell(r, c)) = path.col(c);
      if (r > 0) grid.classes[size_t(grid.cell(r, c))] = classes[size_t(r - 1)];
    }
  grid.rowLabels = QStringList{tr("images")};
  for (int k : classes) grid.rowLabels << context_.classNames.value(k);
  for (int c = 0; c < N; ++c)
    grid.columnLabels << (c == 0       ? QStringLiteral("#%1").arg(a)
                          : c == N - 1 ? QStringLiteral("#%1").arg(b)
                                       : QString());
  showGrid(std::move(grid));
  view_->setSeparators({0}, {});
  showMessage(tr("Norm |z| along the path: %1 at #%2, %3 halfway, %4 at #%5.")
                  .arg(double(mu.col(0).norm()), 0, 'f', 2)
                  .arg(a)
                  .arg(double(interpolate(mu.col(0), mu.col(1), 3, kind).col(1).norm()), 0, 'f', 2)
                  .arg(double(mu.col(1).norm()), 0, 'f', 2)
                  .arg(b));
}

}  // namespace generation
