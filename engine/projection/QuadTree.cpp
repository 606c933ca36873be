#include "engine/projection/QuadTree.h"

#include <algorithm>
#include <cmath>

namespace latentlab {

namespace {
// Leaves hold up to this many points, summed exactly: shallower trees and fewer cells to test, for a few
// more exact terms. Measured on the 10^4 MNIST test images (projection-bench): 16 is about 6% faster than 8
// or 32 and 25% faster than 1.
constexpr int kLeafSize = 16;
// Coincident points cannot be split; stop dividing there.
constexpr int kMaxDepth = 48;
}  // namespace

void QuadTree::build(const double* y, int n) {
  cells_.clear();
  order_.resize(n);
  position_.resize(n);
  px_.resize(n);
  py_.resize(n);
  scratchX_.resize(n);
  scratchY_.resize(n);
  scratchOrder_.resize(n);
  if (n == 0) return;
  double minX = y[0], maxX = y[0], minY = y[1], maxY = y[1];
  for (int i = 0; i < n; ++i) {
    order_[i] = i;
    px_[i] = y[2 * i];
    py_[i] = y[2 * i + 1];
    minX = std::min(minX, px_[i]);
    maxX = std::max(maxX, px_[i]);
    minY = std::min(minY, py_[i]);
    maxY = std::max(maxY, py_[i]);
  }
  // A square root cell, a little larger than the points so that none sits on its far edge.
  const double side = std::max({maxX - minX, maxY - minY, 1e-12}) * (1 + 1e-6);
  buildCell(0, n, minX, minY, side, 0);
  for (int p = 0; p < n; ++p) position_[order_[p]] = p;
}

void QuadTree::buildCell(int first, int count, double x0, double y0, double side, int depth) {
  const int self = int(cells_.size());
  double sx = 0, sy = 0;
  for (int p = first; p < first + count; ++p) {
    sx += px_[p];
    sy += py_[p];
  }
  cells_.push_back({sx / count, sy / count, side * side, count, first, self + 1});
  if (count <= kLeafSize || depth >= kMaxDepth) return;

  // Stable counting sort of the cell's points into its four quadrants (bit 0: right half, bit 1: upper).
  const double half = side / 2, mx = x0 + half, my = y0 + half;
  int quadCount[4] = {0, 0, 0, 0};
  for (int p = first; p < first + count; ++p) ++quadCount[int(px_[p] >= mx) + 2 * int(py_[p] >= my)];
  int quadStart[4], fill[4];
  quadStart[0] = fill[0] = first;
  for (int q = 1; q < 4; ++q) quadStart[q] = fill[q] = quadStart[q - 1] + quadCount[q - 1];
  for (int p = first; p < first + count; ++p) {
    const int t = fill[int(px_[p] >= mx) + 2 * int(py_[p] >= my)]++;
    scratchX_[t] = px_[p];
    scratchY_[t] = py_[p];
    scratchOrder_[t] = order_[p];
  }
  std::copy(scratchX_.begin() + first, scratchX_.begin() + first + count, px_.begin() + first);
  std::copy(scratchY_.begin() + first, scratchY_.begin() + first + count, py_.begin() + first);
  std::copy(scratchOrder_.begin() + first, scratchOrder_.begin() + first + count, order_.begin() + first);

  for (int q = 0; q < 4; ++q)
    if (quadCount[q] > 0) buildCell(quadStart[q], quadCount[q], q & 1 ? mx : x0, q & 2 ? my : y0, half, depth + 1);
  cells_[self].next = int(cells_.size());
}

void QuadTree::repulsion(int i, double theta2, double& fx, double& fy, double& z) const {
  const int pos = position_[i];
  const double xi = px_[pos], yi = py_[pos];
  double ax = 0, ay = 0, az = 0;
  const Cell* cells = cells_.data();
  const int nc = int(cells_.size());
  int c = 0;
  while (c < nc) {
    const Cell& cell = cells[c];
    const double dx = xi - cell.cx, dy = yi - cell.cy, d2 = dx * dx + dy * dy;
    if (cell.side2 < theta2 * d2) {
      // Far: one term for the whole cell. With theta > 1/sqrt(2) a far cell may hold the point itself,
      // which must not repel itself.
      const double m = cell.count - int(unsigned(pos - cell.first) < unsigned(cell.count));
      const double q = 1.0 / (1.0 + d2), mq = m * q;
      az += mq;
      ax += mq * q * dx;
      ay += mq * q * dy;
      c = cell.next;
    } else if (cell.next == c + 1) {
      // A near leaf: its points one by one.
      for (int p = cell.first; p < cell.first + cell.count; ++p) {
        if (p == pos) continue;
        const double ex = xi - px_[p], ey = yi - py_[p];
        const double q = 1.0 / (1.0 + ex * ex + ey * ey);
        az += q;
        ax += q * q * ex;
        ay += q * q * ey;
      }
      ++c;
    } else {
      ++c;  // near: open it
    }
  }
  fx = ax;
  fy = ay;
  z = az;
}

}  // namespace latentlab
