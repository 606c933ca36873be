#pragma once
// A data set sample as a greyscale image (white background, dark ink, as digits are drawn on paper).
#include <QImage>

#include "engine/data/Dataset.h"

inline QImage sampleImage(const latentlab::Dataset& d, int index) {
  const int h = d.height > 0 ? d.height : 1, w = d.height > 0 ? d.width : d.features();
  QImage img(w, h, QImage::Format_Grayscale8);
  for (int r = 0; r < h; ++r) {
    uchar* line = img.scanLine(r);
    for (int c = 0; c < w; ++c)
      line[c] = uchar(255 - std::clamp(int(d.x(r * w + c, index) * 255.0f + 0.5f), 0, 255));
  }
  return img;
}
