#include "app/Reconstructions.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "app/SampleImage.h"

using namespace latentlab;

QImage reconstructionStrip(SemiSupervisedVae<float>& model, const Dataset& test) {
  const SampleShape& shape = test.shape;
  const bool curves = drawsAsCurves(shape);
  const int n = std::min(curves ? 6 : 8, test.size());
  const int h = shape.isImage() ? shape.height : shape.steps, w = shape.isImage() ? shape.width : shape.channels;
  if (n == 0 || (!curves && h * w != test.features())) return {};
  const Matrix<float> x = test.x.leftCols(n);
  Matrix<float> mu, logvar, probs, decoded;
  model.encode(x, mu, logvar, &probs);
  model.decode(mu, probs, decoded);
  if (curves) {  // each sample with its reconstruction dashed over it (SampleImage.h)
    constexpr int gap = 4;
    QImage strip(n * (kCurvePicture + gap) - gap, kCurvePicture, QImage::Format_RGB32);
    strip.fill(QColor(40, 40, 40));
    QPainter p(&strip);
    for (int i = 0; i < n; ++i)
      p.drawImage(i * (kCurvePicture + gap), 0, samplePicture(x.col(i).data(), shape, decoded.col(i).data()));
    return strip;
  }
  QImage img(n * (w + 2), 2 * (h + 2), QImage::Format_Grayscale8);
  img.fill(40);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) {
        img.scanLine(1 + r)[i * (w + 2) + 1 + c] = uchar(std::lround(255 * std::clamp(x(r * w + c, i), 0.f, 1.f)));
        img.scanLine(h + 3 + r)[i * (w + 2) + 1 + c] = uchar(std::lround(255 * std::clamp(decoded(r * w + c, i), 0.f, 1.f)));
      }
  return img;
}
