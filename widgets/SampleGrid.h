#pragma once
// A grid of decoded samples with row and column labels: rows = classes, columns = styles or steps. A sample
// draws as a grey image (pixel data in [0, 1], sharp pixels, scaled to fit) or as curves, one per channel
// (sequence data, see SampleCurves.h). Gaps after chosen rows or columns set apart, say, the source images.
// Export PNG and Copy render the same picture at a fixed scale on white, for documents.
#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

struct SampleLayout {
  enum class Kind { Image, Curves };
  Kind kind = Kind::Image;
  int rows = 28, cols = 28;  // Image: height x width. Curves: channels x time steps.

  static SampleLayout image(int height, int width) { return {Kind::Image, height, width}; }
  static SampleLayout curves(int channels, int steps) { return {Kind::Curves, channels, steps}; }
  int size() const { return rows * cols; }
};

class SampleGrid : public QWidget {
  Q_OBJECT
 public:
  explicit SampleGrid(QWidget* parent = nullptr);

  void setSampleLayout(const SampleLayout& layout);
  const SampleLayout& sampleLayout() const { return layout_; }

  // values holds rows * cols samples of sampleLayout().size() floats, cell (r, c) from (r * cols + c) * size:
  // the column order of a (D x rows cols) decoded matrix that walks the grid row by row. present, when not
  // empty, marks the cells to draw (rows * cols); the others stay blank.
  void setSamples(int rows, int cols, const QVector<float>& values, const QStringList& rowLabels = {},
                  const QStringList& columnLabels = {}, const QVector<bool>& present = {});
  void setSeparators(const QList<int>& afterRows, const QList<int>& afterColumns);
  void setPlaceholder(const QString& text);
  void clear();

  int rowCount() const { return rows_; }
  int columnCount() const { return cols_; }
  bool isEmpty() const { return rows_ * cols_ == 0; }
  QVector<float> sample(int row, int column) const;  // empty when out of range or blank
  QStringList rowLabels() const { return rowLabels_; }
  QStringList columnLabels() const { return colLabels_; }

  // The whole grid with its labels, each sample pixel drawn as scale x scale pixels, on white.
  QImage render(int scale = 3) const;
  // The widget-space rectangle of a cell at the current size (empty when out of range).
  QRect cellRect(int row, int column) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return {120, 60}; }

 public slots:
  bool exportPng(const QString& path) const;
  void exportPngDialog();  // asks for a file name
  void copyToClipboard() const;

 signals:
  void cellClicked(int row, int column);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;

 private:
  struct Geometry {
    QVector<int> x, y;  // left / top of each column / row of cells
    double cellW = 0, cellH = 0;
    QRect rowLabelArea;  // the left margin
    int headerTop = 0, headerHeight = 0;
    QSize total;
  };
  // Cells scaled by `scale` (output pixels per sample pixel); labels with fm.
  Geometry geometry(double scale, const QFontMetrics& fm) const;
  // The largest scale that fits size; whole numbers when it is at least 2, for even pixels.
  double fittingScale(const QSize& size, const QFontMetrics& fm) const;
  void paintGrid(QPainter& p, const Geometry& g, const QColor& text, bool forExport) const;
  QSize naturalCellSize() const;  // in sample pixels, before scaling
  void rebuildImages();

  SampleLayout layout_;
  int rows_ = 0, cols_ = 0;
  QVector<float> values_;
  QVector<bool> present_;
  QStringList rowLabels_, colLabels_;
  QList<int> gapRows_, gapCols_;
  QString placeholder_;
  QVector<QImage> images_;  // Image kind: one grey image per cell
  float lo_ = 0, hi_ = 1;   // Curves kind: the shared value range
};
