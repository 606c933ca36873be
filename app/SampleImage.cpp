#include "app/SampleImage.h"

#include <QPainter>
#include <algorithm>

#include "widgets/SampleCurves.h"

using latentlab::SampleShape;

QImage inkImage(const float* v, int features, int height, int width, int ink) {
  const int h = height > 0 ? height : 1, w = height > 0 ? width : features;
  QImage img(w, h, QImage::Format_Grayscale8);
  for (int r = 0; r < h; ++r) {
    uchar* line = img.scanLine(r);
    for (int c = 0; c < w; ++c) line[c] = uchar(255 - std::clamp(int(v[r * w + c] * ink + 0.5f), 0, 255));
  }
  return img;
}

QImage samplePicture(const float* values, const SampleShape& shape, const float* overlay, int ink) {
  const int D = shape.features();
  if (D <= 0) return {};
  if (!drawsAsCurves(shape))
    return shape.isImage() ? inkImage(values, D, shape.height, shape.width * shape.channels, ink)
                           : inkImage(values, D, shape.steps, shape.channels, ink);
  const int channels = shape.isSequence() ? shape.channels : 1, steps = D / channels;
  // One range for the sample and its overlay, so that the two compare.
  auto [lo, hi] = std::minmax_element(values, values + D);
  float a = *lo, b = *hi;
  if (overlay) {
    auto [olo, ohi] = std::minmax_element(overlay, overlay + D);
    a = std::min(a, *olo);
    b = std::max(b, *ohi);
  }
  const float pad = 0.05f * (b > a ? b - a : 1.f);
  QImage img(kCurvePicture, kCurvePicture, QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  const QRectF area(2, 2, kCurvePicture - 4, kCurvePicture - 4);
  sample_curves::paint(p, area, values, channels, steps, a - pad, b + pad);
  if (overlay) sample_curves::paint(p, area, overlay, channels, steps, a - pad, b + pad, Qt::DashLine);
  return img;
}

QPixmap samplePixmap(const QImage& picture, int side) {
  const bool grey = picture.format() == QImage::Format_Grayscale8;
  return QPixmap::fromImage(picture.scaled(side, side, Qt::KeepAspectRatio,
                                           grey ? Qt::FastTransformation : Qt::SmoothTransformation));
}
