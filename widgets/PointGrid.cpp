#include "widgets/PointGrid.h"

#include <algorithm>
#include <cmath>

namespace {
bool finite(const QPointF& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }
}  // namespace

int PointGrid::cellOf(const QPointF& p) const {
  const int cx = std::clamp(int((p.x() - box_.left()) / box_.width() * side_), 0, side_ - 1);
  const int cy = std::clamp(int((p.y() - box_.top()) / box_.height() * side_), 0, side_ - 1);
  return cy * side_ + cx;
}

void PointGrid::build(const QVector<QPointF>& points) {
  points_ = points;
  side_ = 0;
  start_.clear();
  items_.clear();
  double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
  int n = 0;
  for (const QPointF& p : points_) {
    if (!finite(p)) continue;
    x0 = std::min(x0, p.x());
    x1 = std::max(x1, p.x());
    y0 = std::min(y0, p.y());
    y1 = std::max(y1, p.y());
    ++n;
  }
  if (n == 0) return;
  box_ = QRectF(x0, y0, std::max(x1 - x0, 1e-12), std::max(y1 - y0, 1e-12));
  side_ = std::max(1, int(std::ceil(std::sqrt(n / 4.0))));  // about four points per cell
  start_ = QVector<int>(side_ * side_ + 1, 0);
  for (const QPointF& p : points_)
    if (finite(p)) ++start_[cellOf(p) + 1];
  for (int c = 0; c < side_ * side_; ++c) start_[c + 1] += start_[c];
  items_ = QVector<int>(n);
  QVector<int> fill(start_.begin(), start_.end() - 1);
  for (int i = 0; i < points_.size(); ++i)
    if (finite(points_[i])) items_[fill[cellOf(points_[i])]++] = i;
}

int PointGrid::nearest(const QPointF& at, double rx, double ry, double radius) const {
  if (side_ == 0 || radius <= 0 || !(rx > 0) || !(ry > 0)) return -1;
  const double cx = at.x(), cy = at.y();
  auto cell = [&](double v, double lo, double size) { return int(std::floor((v - lo) / size * side_)); };
  const int ix0 = std::max(0, cell(cx - rx, box_.left(), box_.width()));
  const int ix1 = std::min(side_ - 1, cell(cx + rx, box_.left(), box_.width()));
  const int iy0 = std::max(0, cell(cy - ry, box_.top(), box_.height()));
  const int iy1 = std::min(side_ - 1, cell(cy + ry, box_.top(), box_.height()));
  int best = -1;
  double bestD2 = radius * radius;
  for (int iy = iy0; iy <= iy1; ++iy)
    for (int ix = ix0; ix <= ix1; ++ix) {
      const int c = iy * side_ + ix;
      for (int k = start_[c]; k < start_[c + 1]; ++k) {
        const int i = items_[k];
        const double dx = (points_[i].x() - cx) / rx * radius, dy = (points_[i].y() - cy) / ry * radius;
        const double d2 = dx * dx + dy * dy;
        if (d2 < bestD2 || (d2 == bestD2 && best >= 0 && i < best)) {
          bestD2 = d2;
          best = i;
        }
      }
    }
  return best;
}
