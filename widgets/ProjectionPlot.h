#pragma once
// A 2-D scatter of a projection (PCA, t-SNE) with up to tens of thousands of points that stays smooth:
// one QCPGraph per colour (categories, or bins of a continuous scale), never one per point, each point a
// pre-rendered antialiased pixmap (10,000 points replot in about 2 ms, 60,000 in 9); hover, rubber band and
// lasso drawn over the plot's cached buffers, so moving the mouse never replots.
//
// Indices are positions in the vector given to setPoints. Colours: categorical (setColours, a legend of the
// group names) or continuous (setValues, a colour scale beside the plot). Hover emits hovered(index) for the
// nearest point within a few pixels (a uniform grid finds it: PointGrid.h); a click emits clicked(index). In
// Rectangle or Lasso mode a left drag selects (Shift adds to the selection) and emits selectionChanged; selected
// points get a dark ring. Otherwise drag pans; the wheel zooms in every mode; double-click fits the view.
// Showing the hovered sample's image is the caller's job.
#include <qcustomplot.h>

#include <QPolygonF>
#include <QVector>

#include "widgets/PointGrid.h"

class ProjectionPlot : public QCustomPlot {
  Q_OBJECT
 public:
  enum class SelectionMode { None, Rectangle, Lasso };

  explicit ProjectionPlot(QWidget* parent = nullptr);
  ~ProjectionPlot() override;

  // New positions. With the same number of points as before the colours and the selection stay (a live
  // t-SNE or a refreshed PCA moving the same samples); otherwise all points become one grey group and the
  // selection is cleared. fitView: zoom to the points; else the view stays where the user put it (and fits
  // the points when the user has not panned or zoomed since the last fit).
  void setPoints(const QVector<QPointF>& xy, bool fitView = true);
  int pointCount() const { return int(xy_.size()); }
  QPointF point(int index) const { return xy_.value(index); }

  // Categorical colours: groups[i] in [0, names.size()) or -1 (drawn light grey, below the rest, not in the
  // legend). colours: one per group; empty for the default ten-colour palette (repeated beyond ten).
  void setColours(const QVector<int>& groups, const QStringList& names, const QVector<QColor>& colours = {});
  // Continuous colours: a viridis scale over [min, max] of the finite values (NaN: grey), with a colour
  // scale titled label beside the plot.
  void setValues(const QVector<double>& values, const QString& label);
  void setAxisLabels(const QString& x, const QString& y);
  void setPointSize(double pixels);

  void setSelectionMode(SelectionMode mode);
  SelectionMode selectionMode() const { return mode_; }
  // Selection in plot (data) coordinates. extend: add to the current selection instead of replacing it.
  // Emit selectionChanged when the selection changes. Return the new selection.
  QVector<int> selectRect(const QRectF& plotRect, bool extend = false);
  QVector<int> selectPolygon(const QPolygonF& plotPolygon, bool extend = false);
  void setSelection(const QVector<int>& indices);
  void clearSelection();
  const QVector<int>& selection() const { return selection_; }  // ascending
  bool isSelected(int index) const { return index >= 0 && index < selected_.size() && selected_[index]; }

  // The nearest point to a widget pixel position within radius pixels, or -1. Needs a laid-out plot
  // (after a replot).
  int indexAt(const QPointF& pixel, double radius = 6) const;
  QPointF pixelOf(int index) const;  // widget pixel position of a point
  // Rings a point as if hovered (e.g. the sample under the mouse in another view); -1 removes it.
  void setHighlighted(int index);
  int highlighted() const { return hover_; }
  void fitToData();
  // Both axes at the same units per pixel (the default), so that distances on screen are distances in the
  // projection; fitting and resizing keep it. A fitted view stays fitted through resizes until the user pans
  // or zooms.
  bool isFitted() const { return fitted_; }
  void setEqualAspect(bool on);

  // An image under the points, stretched over plotRect (plot coordinates), e.g. decoded samples on a grid
  // of a 2-D latent plane. A null image removes it.
  void setUnderlay(const QImage& image, const QRectF& plotRect);
  bool hasUnderlay() const;

  // One line per point: index,x,y,class,prediction,labelled[,set]. Each vector may be empty (an empty
  // column; index: the point's position) or hold one entry per point; a class or prediction below 0 is
  // written empty, labelled as 0/1. set (e.g. "training", "test") adds the last column when not empty.
  struct CsvColumns {
    QVector<int> index, classes, predictions;
    QVector<bool> labelled;
    QStringList set;
  };
  bool writeCsv(const QString& path, const CsvColumns& columns) const;
  bool writeCsv(const QString& path, const QVector<int>& classes = {}, const QVector<int>& predictions = {},
                const QVector<bool>& labelled = {}) const {
    return writeCsv(path, CsvColumns{{}, classes, predictions, labelled, {}});
  }
  // .png (2x resolution) or .pdf by extension; QCustomPlot's savePng stays available too.
  bool exportTo(const QString& path);

 signals:
  void hovered(int index);  // -1 when the mouse leaves every point
  void clicked(int index);
  void selectionChanged(const QVector<int>& indices);

 protected:
  void paintEvent(QPaintEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseDoubleClickEvent(QMouseEvent* e) override;
  void leaveEvent(QEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;

 private:
  void rebuildGraphs();
  void rebuildSelectionGraph();
  void keepAspect();
  void updateSelection(QVector<bool> inside, bool extend);
  void setHover(int index);
  QColor colourOf(int group) const;
  enum class Side { None, Legend, Scale };
  void showSide(Side side);

  QVector<QPointF> xy_;
  // Colouring: a group per point; for continuous values the groups are colour bins.
  QVector<int> groups_;
  QStringList groupNames_;
  QVector<QColor> groupColours_;
  bool continuous_ = false;
  QVector<double> values_;
  // Beside the plot, never over the points: the legend (top-aligned in its own grid) or the colour scale.
  QCPLayoutGrid* side_ = nullptr;
  QCPColorScale* colourScale_ = nullptr;
  QCPColorGradient gradient_;

  QVector<QCPGraph*> graphs_;  // one per group, plus the grey one (first)
  QCPGraph* selectionGraph_ = nullptr;
  QCPItemPixmap* underlay_ = nullptr;
  double pointSize_ = 4;
  bool equalAspect_ = true;
  bool fitted_ = false;  // the view shows fitBox_ (fitted, and not panned, zoomed or set since)
  QRectF fitBox_;
  QCPRange fittedX_, fittedY_;  // the ranges the last fit set

  SelectionMode mode_ = SelectionMode::None;
  QVector<int> selection_;
  QVector<bool> selected_;

  PointGrid grid_;  // the points, for hover and click

  int hover_ = -1;
  bool pressed_ = false;   // left button down on the plot
  bool dragging_ = false;  // moved far enough to be a drag, not a click
  QPoint pressPos_;
  QPolygonF rubber_;  // widget pixels: two corners (Rectangle) or the lasso path
};
