#include "app/projection/LatentPlane.h"

#include <QPainter>

#include "app/SampleImage.h"

using namespace latentlab;

QImage decodeLatentPlane(SemiSupervisedVae<float>& model, const QRectF& area, int rows, int columns, int cls,
                         const SampleShape& shape) {
  const int K = model.config().classes, n = rows * columns;
  Matrix<float> z(2, n), y = Matrix<float>::Zero(K, n), mean;  // z (2 x n), y one-hot (K x n)
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      z(0, r * columns + c) = float(area.left() + (c + 0.5) * area.width() / columns);
      z(1, r * columns + c) = float(area.bottom() - (r + 0.5) * area.height() / rows);  // row 0 at the top
      y(cls, r * columns + c) = 1;
    }
  model.decode(z, y, mean);  // mean (D x n)
  const bool curves = drawsAsCurves(shape);
  const QSize cell = curves ? QSize(kPlaneCurveCell, kPlaneCurveCell)
                            : samplePicture(mean.col(0).data(), shape).size();
  QImage plane(columns * cell.width(), rows * cell.height(), curves ? QImage::Format_RGB32 : QImage::Format_Grayscale8);
  plane.fill(Qt::white);
  QPainter p(&plane);
  p.setRenderHint(QPainter::SmoothPixmapTransform, curves);
  if (curves) p.setOpacity(0.45);  // faded (images: light ink), so that the points stay readable over it
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c)
      p.drawImage(QRect(QPoint(c * cell.width(), r * cell.height()), cell),
                  samplePicture(mean.col(r * columns + c).data(), shape, nullptr, 150));
  p.end();
  return plane;
}
