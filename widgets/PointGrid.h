#pragma once
// Which of many points lies nearest a position, fast enough for every mouse move: a uniform grid over the points'
// bounding box with about four points per cell, so that a query looks at a handful of cells however many points
// there are. Coordinates are the points' own (plot units); points that are not finite are left out.
#include <QPointF>
#include <QRectF>
#include <QVector>

class PointGrid {
 public:
  void build(const QVector<QPointF>& points);  // keeps a (shared) copy of the points
  bool isEmpty() const { return side_ == 0; }

  // The nearest point to `at` within `radius` screen pixels, rx and ry being that radius in plot units along
  // each axis (the axes may be scaled differently); ties go to the lower index. -1 when there is none.
  int nearest(const QPointF& at, double rx, double ry, double radius) const;

 private:
  int cellOf(const QPointF& p) const;

  QVector<QPointF> points_;
  QRectF box_;
  int side_ = 0;                // cells per side
  QVector<int> start_, items_;  // cell c holds items_[start_[c] .. start_[c + 1])
};
