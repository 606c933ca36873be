#include "engine/export/Sprite.h"

#include <algorithm>
#include <cmath>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

// Tableau's ten colours, one per sequence channel (cycled beyond ten).
constexpr uint8_t kPalette[10][3] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                                     {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

struct Canvas {
  Sprite& s;
  int x0, y0;  // the thumbnail's top-left pixel in the sheet
  void set(int x, int y, const uint8_t c[3]) const {
    uint8_t* p = s.rgb.data() + (size_t(y0 + y) * size_t(s.width) + size_t(x0 + x)) * 3;
    p[0] = c[0];
    p[1] = c[1];
    p[2] = c[2];
  }
  // Bresenham's line, inside the thumbnail.
  void line(int xa, int ya, int xb, int yb, const uint8_t c[3]) const {
    const int dx = std::abs(xb - xa), dy = -std::abs(yb - ya), sx = xa < xb ? 1 : -1, sy = ya < yb ? 1 : -1;
    int err = dx + dy;
    for (;;) {
      set(xa, ya, c);
      if (xa == xb && ya == yb) return;
      const int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        xa += sx;
      }
      if (e2 <= dx) {
        err += dx;
        ya += sy;
      }
    }
  }
};

// An image thumbnail: the box average of the source pixels under each thumbnail pixel.
void drawImage(const Canvas& c, const float* v, const SampleShape& shape, float lo, float scale) {
  const int H = shape.height, W = shape.width, C = shape.channels, th = c.s.thumbHeight, tw = c.s.thumbWidth;
  for (int ty = 0; ty < th; ++ty) {
    const int ya = ty * H / th, yb = std::max(ya + 1, (ty + 1) * H / th);
    for (int tx = 0; tx < tw; ++tx) {
      const int xa = tx * W / tw, xb = std::max(xa + 1, (tx + 1) * W / tw);
      float sum[3] = {0, 0, 0}, mean = 0;
      for (int y = ya; y < yb; ++y)
        for (int x = xa; x < xb; ++x) {
          const float* p = v + (size_t(y) * size_t(W) + size_t(x)) * size_t(C);  // channels-last
          if (C == 3)
            for (int k = 0; k < 3; ++k) sum[k] += p[k];
          else
            for (int k = 0; k < C; ++k) mean += p[k] / float(C);
        }
      const float area = float((yb - ya) * (xb - xa));
      auto byte = [&](float value) {
        return uint8_t(std::clamp(int(std::lround((value / area - lo) * scale * 255)), 0, 255));
      };
      uint8_t rgb[3];
      if (C == 3) {
        for (int k = 0; k < 3; ++k) rgb[k] = byte(sum[k]);
      } else {
        rgb[0] = rgb[1] = rgb[2] = uint8_t(255 - byte(mean));  // dark ink on white paper
      }
      c.set(tx, ty, rgb);
    }
  }
}

// A sequence thumbnail with few channels: each channel a line over the steps, the sample's values spanning the
// height.
void drawCurves(const Canvas& c, const float* v, const SampleShape& shape) {
  const int T = shape.steps, C = shape.channels, tw = c.s.thumbWidth, th = c.s.thumbHeight;
  float lo = v[0], hi = v[0];
  for (int i = 0; i < T * C; ++i) {
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  const float range = hi > lo ? hi - lo : 1.0f;
  auto yOf = [&](float value) {
    return std::clamp(int(std::lround((1 - (value - lo) / range) * (th - 1))), 0, th - 1);
  };
  auto xOf = [&](int t) { return T > 1 ? int(std::lround(double(t) * (tw - 1) / (T - 1))) : tw / 2; };
  for (int k = 0; k < C; ++k) {
    const uint8_t* colour = kPalette[k % 10];
    for (int t = 0; t + 1 < T; ++t)  // sample layout: feature t * C + k
      c.line(xOf(t), yOf(v[t * C + k]), xOf(t + 1), yOf(v[(t + 1) * C + k]), colour);
    if (T == 1) c.set(xOf(0), yOf(v[k]), colour);
  }
}

// A sequence thumbnail with many channels: a heat map, steps down and channels across, dark where the value is
// high (the sample's own range), box-averaged to the thumbnail. Sequential MNIST shows its digit.
void drawHeatMap(const Canvas& c, const float* v, const SampleShape& shape) {
  const int T = shape.steps, C = shape.channels, tw = c.s.thumbWidth, th = c.s.thumbHeight;
  float lo = v[0], hi = v[0];
  for (int i = 0; i < T * C; ++i) {
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  const float scale = hi > lo ? 1 / (hi - lo) : 1.0f;
  for (int ty = 0; ty < th; ++ty) {
    const int ta = ty * T / th, tb = std::max(ta + 1, (ty + 1) * T / th);
    for (int tx = 0; tx < tw; ++tx) {
      const int ka = tx * C / tw, kb = std::max(ka + 1, (tx + 1) * C / tw);
      float sum = 0;
      for (int t = ta; t < tb; ++t)
        for (int k = ka; k < kb; ++k) sum += v[t * C + k];
      const float mean = sum / float((tb - ta) * (kb - ka));
      const auto ink = uint8_t(255 - std::clamp(int(std::lround((mean - lo) * scale * 255)), 0, 255));
      const uint8_t rgb[3] = {ink, ink, ink};
      c.set(tx, ty, rgb);
    }
  }
}

}  // namespace

std::optional<Sprite> makeSprite(const Matrix<float>& x, const std::vector<int>& columns, const SampleShape& shape,
                                 int maxSide) {
  if (columns.empty() || !(shape.isImage() || shape.isSequence())) return std::nullopt;
  if (shape.features() != x.rows()) throw Error("Sprite", "the sample shape does not match the data");
  for (int j : columns)
    if (j < 0 || j >= x.cols()) throw Error("Sprite", "sample " + std::to_string(j) + " is outside the data");
  Sprite s;
  const int n = int(columns.size());
  s.columns = int(std::ceil(std::sqrt(double(n))));
  if (s.columns > maxSide) throw Error("Sprite", std::to_string(n) + " samples do not fit in one sprite");
  const int most = maxSide / s.columns;  // the largest thumbnail side that fits
  if (shape.isImage()) {
    const double shrink = std::min(1.0, double(most) / std::max(shape.height, shape.width));
    s.thumbWidth = std::max(1, int(shape.width * shrink));
    s.thumbHeight = std::max(1, int(shape.height * shrink));
  } else if (shape.channels <= kMostCurves) {
    s.thumbWidth = s.thumbHeight = std::min(kSequenceThumbnail, most);
  } else {
    s.thumbWidth = std::min({shape.channels, kSequenceThumbnail, most});
    s.thumbHeight = std::min({shape.steps, kSequenceThumbnail, most});
  }
  const int rows = (n + s.columns - 1) / s.columns;
  s.width = s.columns * s.thumbWidth;
  s.height = rows * s.thumbHeight;
  s.rgb.assign(size_t(s.width) * size_t(s.height) * 3, 255);  // white where no thumbnail is

  // Images in [0, 1] are drawn as they are; otherwise the exported samples' range maps to [0, 1].
  float lo = 0, scale = 1;
  if (shape.isImage()) {
    float mn = x.col(columns[0]).minCoeff(), mx = x.col(columns[0]).maxCoeff();
    for (int j : columns) {
      mn = std::min(mn, x.col(j).minCoeff());
      mx = std::max(mx, x.col(j).maxCoeff());
    }
    if (mn < 0 || mx > 1) {
      lo = mn;
      scale = mx > mn ? 1 / (mx - mn) : 1;
    }
  }
  for (int i = 0; i < n; ++i) {
    const Canvas c{s, (i % s.columns) * s.thumbWidth, (i / s.columns) * s.thumbHeight};
    const float* v = x.col(columns[size_t(i)]).data();
    if (shape.isImage())
      drawImage(c, v, shape, lo, scale);
    else if (shape.channels <= kMostCurves)
      drawCurves(c, v, shape);
    else
      drawHeatMap(c, v, shape);
  }
  return s;
}

}  // namespace latentlab
