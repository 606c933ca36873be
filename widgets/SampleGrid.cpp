#include "widgets/SampleGrid.h"
#include "widgets/FileDialogs.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "widgets/SampleCurves.h"

namespace {
constexpr int kMargin = 4;      // around the whole grid
constexpr int kGap = 2;         // between cells
constexpr int kSeparator = 10;  // after the rows and columns set apart
constexpr int kLabelPad = 6;    // between a row label and its first cell
}  // namespace

SampleGrid::SampleGrid(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void SampleGrid::setSampleLayout(const SampleLayout& layout) {
  layout_ = layout;
  clear();
}

void SampleGrid::setSamples(int rows, int cols, const QVector<float>& values, const QStringList& rowLabels,
                            const QStringList& columnLabels, const QVector<bool>& present) {
  const qsizetype cells = qsizetype(std::max(rows, 0)) * std::max(cols, 0);
  if (values.size() != cells * layout_.size() || (!present.isEmpty() && present.size() != cells)) {
    qWarning("SampleGrid: %lld values for %lld cells of %d; ignored", qlonglong(values.size()), qlonglong(cells),
             layout_.size());
    return;
  }
  rows_ = rows;
  cols_ = cols;
  values_ = values;
  present_ = present.isEmpty() ? QVector<bool>(cells, true) : present;
  rowLabels_ = rowLabels;
  colLabels_ = columnLabels;
  rebuildImages();
  updateGeometry();
  update();
}

void SampleGrid::setSeparators(const QList<int>& afterRows, const QList<int>& afterColumns) {
  gapRows_ = afterRows;
  gapCols_ = afterColumns;
  update();
}

void SampleGrid::setPlaceholder(const QString& text) {
  placeholder_ = text;
  update();
}

void SampleGrid::clear() {
  rows_ = cols_ = 0;
  values_.clear();
  present_.clear();
  images_.clear();
  rowLabels_.clear();
  colLabels_.clear();
  gapRows_.clear();
  gapCols_.clear();
  update();
}

QVector<float> SampleGrid::sample(int row, int column) const {
  if (row < 0 || row >= rows_ || column < 0 || column >= cols_ || !present_[row * cols_ + column]) return {};
  const int D = layout_.size();
  return values_.mid(qsizetype(row * cols_ + column) * D, D);
}

void SampleGrid::rebuildImages() {
  images_.clear();
  const int D = layout_.size(), cells = rows_ * cols_;
  if (layout_.kind == SampleLayout::Kind::Image) {
    images_.resize(cells);
    for (int i = 0; i < cells; ++i) {
      if (!present_[i]) continue;
      QImage img(layout_.cols, layout_.rows, QImage::Format_Grayscale8);
      const float* v = values_.constData() + qsizetype(i) * D;
      for (int r = 0; r < layout_.rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < layout_.cols; ++c)
          line[c] = uchar(std::lround(255 * std::clamp(v[r * layout_.cols + c], 0.f, 1.f)));
      }
      images_[i] = img;
    }
  } else {
    // One value range for the whole grid, so that the cells compare.
    lo_ = 0;
    hi_ = 1;
    bool first = true;
    for (int i = 0; i < cells; ++i) {
      if (!present_[i]) continue;
      const float* v = values_.constData() + qsizetype(i) * D;
      const auto [mn, mx] = std::minmax_element(v, v + D);
      lo_ = first ? *mn : std::min(lo_, *mn);
      hi_ = first ? *mx : std::max(hi_, *mx);
      first = false;
    }
  }
}

QSize SampleGrid::naturalCellSize() const {
  // Curves get a wide cell of their own; images their pixel size.
  return layout_.kind == SampleLayout::Kind::Image ? QSize(layout_.cols, layout_.rows) : QSize(56, 28);
}

SampleGrid::Geometry SampleGrid::geometry(double scale, const QFontMetrics& fm) const {
  Geometry g;
  int labelW = 0;
  for (const QString& s : rowLabels_) labelW = std::max(labelW, fm.horizontalAdvance(s));
  if (labelW > 0) labelW += kLabelPad;
  bool header = false;
  for (const QString& s : colLabels_) header |= !s.isEmpty();
  g.headerHeight = header ? fm.height() + 2 : 0;
  g.headerTop = kMargin;
  const QSize nat = naturalCellSize();
  g.cellW = nat.width() * scale;
  g.cellH = nat.height() * scale;
  g.rowLabelArea = QRect(kMargin, kMargin + g.headerHeight, labelW - kLabelPad, 0);
  g.x.resize(cols_);
  g.y.resize(rows_);
  double x = kMargin + labelW;
  for (int c = 0; c < cols_; ++c) {
    g.x[c] = int(std::lround(x));
    x += g.cellW + kGap + (gapCols_.contains(c) ? kSeparator : 0);
  }
  double y = kMargin + g.headerHeight;
  for (int r = 0; r < rows_; ++r) {
    g.y[r] = int(std::lround(y));
    y += g.cellH + kGap + (gapRows_.contains(r) ? kSeparator : 0);
  }
  g.total = QSize(int(std::ceil(x - kGap)) + kMargin, int(std::ceil(y - kGap)) + kMargin);
  return g;
}

double SampleGrid::fittingScale(const QSize& size, const QFontMetrics& fm) const {
  if (isEmpty()) return 1;
  // Everything but the cells does not scale: measure it at scale 0.
  const Geometry fixed = geometry(0, fm);
  const QSize nat = naturalCellSize();
  const double sx = double(size.width() - fixed.total.width()) / (cols_ * nat.width());
  const double sy = double(size.height() - fixed.total.height()) / (rows_ * nat.height());
  double s = std::min(sx, sy);
  if (s >= 2) s = std::floor(s);
  return std::max(s, 0.25);
}

QRect SampleGrid::cellRect(int row, int column) const {
  if (row < 0 || row >= rows_ || column < 0 || column >= cols_) return {};
  const Geometry g = geometry(fittingScale(size(), fontMetrics()), fontMetrics());
  const int dx = std::max(0, (width() - g.total.width()) / 2);
  return QRect(dx + g.x[column], g.y[row], int(g.cellW), int(g.cellH));
}

QSize SampleGrid::sizeHint() const {
  if (isEmpty()) return {360, 220};
  const QSize s = geometry(2, fontMetrics()).total;
  return s.boundedTo(QSize(900, 700));
}

void SampleGrid::paintGrid(QPainter& p, const Geometry& g, const QColor& text, bool forExport) const {
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  const QFontMetrics fm = p.fontMetrics();
  for (int r = 0; r < rows_; ++r)
    for (int c = 0; c < cols_; ++c) {
      const int i = r * cols_ + c;
      if (!present_[i]) continue;
      const QRectF cell(g.x[c], g.y[r], g.cellW, g.cellH);
      if (layout_.kind == SampleLayout::Kind::Image) {
        p.drawImage(cell, images_[i]);
      } else {
        p.fillRect(cell, forExport ? QColor(Qt::white) : palette().base().color());
        p.setPen(QPen(QColor(190, 190, 190), 1));
        p.drawRect(cell.adjusted(0, 0, -1, -1));
        sample_curves::paint(p, cell.adjusted(2, 2, -2, -2), values_.constData() + qsizetype(i) * layout_.size(),
                             layout_.rows, layout_.cols, lo_, hi_);
      }
    }
  p.setPen(text);
  for (int r = 0; r < rows_ && r < rowLabels_.size(); ++r)
    p.drawText(QRect(g.rowLabelArea.left(), g.y[r], g.rowLabelArea.width(), int(g.cellH)),
               Qt::AlignRight | Qt::AlignVCenter, rowLabels_[r]);
  if (g.headerHeight > 0)
    for (int c = 0; c < cols_ && c < colLabels_.size(); ++c) {
      const int w = int(g.cellW) + kGap;
      p.drawText(QRect(g.x[c] - kGap / 2, g.headerTop, w, g.headerHeight), Qt::AlignHCenter | Qt::AlignBottom,
                 fm.elidedText(colLabels_[c], Qt::ElideRight, w));
    }
}

void SampleGrid::paintEvent(QPaintEvent*) {
  QPainter p(this);
  if (isEmpty()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    return;
  }
  const Geometry g = geometry(fittingScale(size(), fontMetrics()), fontMetrics());
  p.translate(std::max(0, (width() - g.total.width()) / 2), 0);  // centred across, top-aligned
  paintGrid(p, g, palette().color(QPalette::WindowText), false);
}

QImage SampleGrid::render(int scale) const {
  if (isEmpty()) return {};
  QFont font = this->font();
  font.setPixelSize(std::max(11, 4 * scale + 2));  // labels that keep up with the cells
  const QFontMetrics fm(font);
  const Geometry g = geometry(std::max(1, scale), fm);
  QImage img(g.total, QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setFont(font);
  paintGrid(p, g, Qt::black, true);
  return img;
}

bool SampleGrid::exportPng(const QString& path) const {
  const QImage img = render();
  return !img.isNull() && img.save(path, "PNG");
}

void SampleGrid::exportPngDialog() {
  if (isEmpty()) return;
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export PNG"), dialogStartPath("samples.png"), tr("PNG images (*.png)"));
  rememberDialogFolder(path);
  if (!path.isEmpty() && !exportPng(path)) qWarning("SampleGrid: could not write %s", qPrintable(path));
}

void SampleGrid::copyToClipboard() const {
  if (!isEmpty()) QApplication::clipboard()->setImage(render());
}

void SampleGrid::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton)
    for (int r = 0; r < rows_; ++r)
      for (int c = 0; c < cols_; ++c)
        if (present_[r * cols_ + c] && cellRect(r, c).contains(e->position().toPoint())) {
          emit cellClicked(r, c);
          return;
        }
  QWidget::mousePressEvent(e);
}

void SampleGrid::contextMenuEvent(QContextMenuEvent* e) {
  if (isEmpty()) return;
  QMenu menu(this);
  menu.addAction(tr("Export PNG..."), this, &SampleGrid::exportPngDialog);
  menu.addAction(tr("Copy to clipboard"), this, &SampleGrid::copyToClipboard);
  menu.exec(e->globalPos());
}
