#pragma once
// A sample as a greyscale image (white background, dark ink, as digits are drawn on paper).
#include <QImage>

#include <algorithm>

#include "engine/data/Dataset.h"

// features values in [0, 1], row-major height x width (height 0: one row of all the features). A value of 1
// draws `ink` grey levels dark: 255 black, less for a lighter picture.
inline QImage inkImage(const float* v, int features, int height, int width, int ink = 255) {
  const int h = height > 0 ? height : 1, w = height > 0 ? width : features;
  QImage img(w, h, QImage::Format_Grayscale8);
  for (int r = 0; r < h; ++r) {
    uchar* line = img.scanLine(r);
    for (int c = 0; c < w; ++c) line[c] = uchar(255 - std::clamp(int(v[r * w + c] * ink + 0.5f), 0, 255));
  }
  return img;
}

inline QImage sampleImage(const latentlab::Dataset& d, int index) {
  return inkImage(d.x.col(index).data(), d.features(), d.shape.isImage() ? d.shape.height : 0, d.shape.width);
}
