#include "app/projection/LatentPlane.h"

#include <QPainter>

#include "app/SampleImage.h"

using namespace latentlab;

QImage decodeLatentPlane(SemiSupervisedVae<float>& model, const QRectF& area, int rows, int columns, int cls,
                         int height, int width) {
  const int K = model.config().classes, n = rows * columns;
  Matrix<float> z(2, n), y = Matrix<float>::Zero(K, n), mean;  // z (2 x n), y one-hot (K x n)
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      z(0, r * columns + c) = float(area.left() + (c + 0.5) * area.width() / columns);
      z(1, r * columns + c) = float(area.bottom() - (r + 0.5) * area.height() / rows);  // row 0 at the top
      y(cls, r * columns + c) = 1;
    }
  model.decode(z, y, mean);  // mean (D x n)
  QImage plane(columns * width, rows * height, QImage::Format_Grayscale8);
  QPainter p(&plane);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c)  // light ink, so that the points stay readable over it
      p.drawImage(c * width, r * height,
                  inkImage(mean.col(r * columns + c).data(), int(mean.rows()), height, width, 150));
  p.end();
  return plane;
}
