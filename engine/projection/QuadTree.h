#pragma once
// The Barnes-Hut quadtree of t-SNE's 2-D embedding: each cell keeps its points' count and centre of mass, so
// that a far cell's repulsion on a point is one term instead of one per point. A cell is far when its side
// is less than theta times its distance to the point (theta 0 is exact).
//
// Cells are stored in depth-first order, each with the index of the cell after its subtree, so a query is a
// loop over one array without a stack: accept a cell and skip its subtree, or step into its first child.
// Points are kept in the same depth-first order, so that a leaf's points are contiguous and consecutive
// queries in that order walk nearly the same cells.
#include <vector>

namespace latentlab {

class QuadTree {
 public:
  // y: n points as interleaved (x, y) pairs. Rebuilt every iteration; reuses its buffers.
  void build(const double* y, int n);

  int size() const { return int(order_.size()); }
  // The points in depth-first order; querying in this order is the fast order.
  const std::vector<int>& order() const { return order_; }

  // For point i (by its original index): sum over j != i of q_ij^2 (y_i - y_j) into (fx, fy) and of q_ij
  // into z, where q_ij = 1 / (1 + |y_i - y_j|^2), far cells approximated by their centre of mass.
  void repulsion(int i, double theta2, double& fx, double& fy, double& z) const;

  int cellCount() const { return int(cells_.size()); }

 private:
  struct Cell {
    double cx, cy;  // centre of mass
    double side2;   // squared side length
    int count;      // points inside
    int first;      // their position in order_
    int next;       // the cell after this subtree; next == own index + 1 for a leaf
  };
  void buildCell(int first, int count, double x0, double y0, double side, int depth);

  std::vector<Cell> cells_;
  std::vector<int> order_;       // point index at each depth-first position
  std::vector<int> position_;    // depth-first position of each point
  std::vector<double> px_, py_;  // coordinates by depth-first position
  std::vector<double> scratchX_, scratchY_;
  std::vector<int> scratchOrder_;
};

}  // namespace latentlab
