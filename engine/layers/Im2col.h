#pragma once
// Geometry of a 2-D convolution and the im2col / col2im rearrangements shared by Conv2d and ConvTranspose2d.
//
// Image layout (every image matrix in the engine): one sample per column, features flattened CHANNELS-LAST,
//   index (y * width + x) * channels + c,
// so the column-major (C x H*W) view of one sample is a channel-by-pixel matrix and the (C x H*W*n) view of a
// whole batch (column j*H*W + y*W + x) turns a convolution into one large product. For one channel this is
// the IDX row-major pixel order.
//
// Legend: C channels, H x W image, k kernel (square), s stride, p zero padding, OH x OW the convolution's output
//   OH = floor((H + 2p - k) / s) + 1,  OW likewise.
// The column matrix of a batch of n images is (k*k*C x OH*OW*n):
//   row    (ky * k + kx) * C + c   (kernel position, then channel: the weight matrices' column order)
//   column (j * OH + oy) * OW + ox (sample, then output pixel: the output images' pixel order)
// and holds image(c, y = oy*s - p + ky, x = ox*s - p + kx) of sample j, or 0 where (y, x) lies in the padding.
// For a fixed ky the rows of kernel positions kx = 0..k-1 read k adjacent pixels, so each (column, ky) copies
// one contiguous run of (valid kx) * C values.
#include <algorithm>

#include "engine/core/Error.h"
#include "engine/core/Types.h"

namespace latentlab {

struct ConvGeometry {
  int channels = 0, height = 0, width = 0;  // the image side of the column matrix (C, H, W)
  int kernel = 1, stride = 1, padding = 0;  // k, s, p
  int outHeight = 0, outWidth = 0;          // OH, OW

  ConvGeometry() = default;
  ConvGeometry(int c, int h, int w, int k, int s, int p)
      : channels(c), height(h), width(w), kernel(k), stride(s), padding(p) {
    if (c < 1 || h < 1 || w < 1 || k < 1 || s < 1 || p < 0)
      throw Error("ConvGeometry", "channels, height, width, kernel and stride must be positive, padding >= 0");
    if (h + 2 * p < k || w + 2 * p < k)
      throw Error("ConvGeometry", "kernel " + std::to_string(k) + " is larger than the padded " + std::to_string(h) +
                                      "x" + std::to_string(w) + " image");
    outHeight = (h + 2 * p - k) / s + 1;
    outWidth = (w + 2 * p - k) / s + 1;
  }

  int imageSize() const { return channels * height * width; }  // features of one image
  int outPixels() const { return outHeight * outWidth; }
  int patchSize() const { return kernel * kernel * channels; }  // rows of the column matrix

  // The kernel positions kx in [lo, hi) whose x = ox*s - p + kx falls inside the image (same for y).
  void validRange(int o, int extent, int& lo, int& hi) const {
    const int x0 = o * stride - padding;
    lo = std::max(0, -x0);
    hi = std::min(kernel, extent - x0);
    if (hi < lo) hi = lo;
  }
};

// cols (k*k*C x OH*OW*n) = the patches of images (C*H*W x n), zeros in the padding. Overwrites cols.
template <typename T> void im2col(const ConvGeometry& g, const T* images, int n, T* cols) {
  const int C = g.channels, k = g.kernel, rows = g.patchSize();
  const Eigen::Index imageSize = g.imageSize();
  for (int j = 0; j < n; ++j) {
    const T* image = images + j * imageSize;
    for (int oy = 0; oy < g.outHeight; ++oy) {
      int kyLo, kyHi;
      g.validRange(oy, g.height, kyLo, kyHi);
      for (int ox = 0; ox < g.outWidth; ++ox) {
        int kxLo, kxHi;
        g.validRange(ox, g.width, kxLo, kxHi);
        T* col = cols + (Eigen::Index(j) * g.outPixels() + oy * g.outWidth + ox) * rows;
        const int y0 = oy * g.stride - g.padding, x0 = ox * g.stride - g.padding;
        for (int ky = 0; ky < k; ++ky) {
          T* dst = col + ky * k * C;
          if (ky < kyLo || ky >= kyHi) {
            std::fill(dst, dst + k * C, T(0));
            continue;
          }
          std::fill(dst, dst + kxLo * C, T(0));
          const T* src = image + (Eigen::Index(y0 + ky) * g.width + x0 + kxLo) * C;
          std::copy(src, src + (kxHi - kxLo) * C, dst + kxLo * C);
          std::fill(dst + kxHi * C, dst + k * C, T(0));
        }
      }
    }
  }
}

// images (C*H*W x n) = the sum of every patch in cols (k*k*C x OH*OW*n) back at its place: the adjoint of
// im2col (padding entries are dropped). Overwrites images.
template <typename T> void col2im(const ConvGeometry& g, const T* cols, int n, T* images) {
  const int C = g.channels, k = g.kernel, rows = g.patchSize();
  const Eigen::Index imageSize = g.imageSize();
  std::fill(images, images + imageSize * n, T(0));
  for (int j = 0; j < n; ++j) {
    T* image = images + j * imageSize;
    for (int oy = 0; oy < g.outHeight; ++oy) {
      int kyLo, kyHi;
      g.validRange(oy, g.height, kyLo, kyHi);
      for (int ox = 0; ox < g.outWidth; ++ox) {
        int kxLo, kxHi;
        g.validRange(ox, g.width, kxLo, kxHi);
        const T* col = cols + (Eigen::Index(j) * g.outPixels() + oy * g.outWidth + ox) * rows;
        const int y0 = oy * g.stride - g.padding, x0 = ox * g.stride - g.padding;
        const int len = (kxHi - kxLo) * C;
        for (int ky = kyLo; ky < kyHi; ++ky) {
          const T* src = col + (ky * k + kxLo) * C;
          T* dst = image + (Eigen::Index(y0 + ky) * g.width + x0 + kxLo) * C;
          for (int e = 0; e < len; ++e) dst[e] += src[e];
        }
      }
    }
  }
}

}  // namespace latentlab
