#pragma once
// One grid of samples as a Generation tab shows it, cell by cell: what the cell draws (a decoded sample or a
// test image), the style z behind it and the class it was decoded as. Cells are read row by row: cell (r, c) is
// column r * columns + c of each matrix. A click on a cell opens its style and class in the sliders.
#include <QStringList>
#include <QVector>
#include <vector>

#include "engine/core/Types.h"
#include "widgets/SampleGrid.h"

namespace generation {

struct DecodedGrid {
  int rows = 0, columns = 0;
  latentlab::Matrix<float> cells;  // (D x rows columns) what each cell draws
  latentlab::Matrix<float> z;      // (d x rows columns) the style behind each cell
  std::vector<int> classes;        // (rows columns) the class each cell was decoded as; -1: a test image
  QVector<bool> present;           // (rows columns) false leaves a cell blank; empty: every cell drawn
  QStringList rowLabels, columnLabels;

  // rows x columns cells of `features` values over styles of `latent`, all zero, no class, every cell drawn.
  static DecodedGrid blank(int rows, int columns, int features, int latent) {
    DecodedGrid g;
    g.rows = rows;
    g.columns = columns;
    g.cells = latentlab::Matrix<float>::Zero(features, rows * columns);
    g.z = latentlab::Matrix<float>::Zero(latent, rows * columns);
    g.classes.assign(size_t(rows) * columns, -1);
    return g;
  }

  int cell(int row, int column) const { return row * columns + column; }
  bool contains(int row, int column) const { return row >= 0 && row < rows && column >= 0 && column < columns; }

  void showIn(SampleGrid& view) const {
    view.setSamples(rows, columns, QVector<float>(cells.data(), cells.data() + cells.size()), rowLabels, columnLabels,
                    present);  // column-major: one sample per cell
  }
};

}  // namespace generation
