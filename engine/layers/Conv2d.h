#pragma once
// 2-D convolution (PyTorch's Conv2d: square kernel, zero padding, cross-correlation, no dilation or groups).
//   out(co, oy, ox) = b(co) + sum_{ky, kx, c} W(co, (ky*k + kx)*Cin + c) in(c, oy*s - p + ky, ox*s - p + kx)
// Layout: one sample per column, channels-last, index (y * width + x) * channels + c (see Im2col.h).
//   in  (Cin*H*W x n)     viewed as (Cin x H*W*n)
//   out (Cout*OH*OW x n)  viewed as (Cout x OH*OW*n), OH = floor((H + 2p - k)/s) + 1, OW likewise
//   W   (Cout x k*k*Cin)  column (ky*k + kx)*Cin + c. PyTorch's weight w (Cout, Cin, kH, kW) is
//                         W(co, (ky*k + kx)*Cin + c) = w[co, c, ky, kx]: exporters permute to (0, 2, 3, 1).
//   b   (Cout x 1)
// Implementation (chosen by measurement, bench/conv_bench.cpp): im2col into a member buffer, then one product
// out = W cols per chunk of samplesPerProduct() samples (32 by default: the chunk's columns stay in cache, which
// measured faster at 1100 samples than one product over the whole batch; 0 makes one product of the batch).
// A direct loop over output pixels was slower. Backward rebuilds each chunk's columns (kept when one chunk).
#include <algorithm>
#include <cmath>

#include "engine/layers/Im2col.h"
#include "engine/core/Gemm.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T> class Conv2d final : public Layer<T> {
 public:
  Conv2d(int inChannels, int height, int width, int outChannels, int kernel, int stride = 1, int padding = 0)
      : g_(inChannels, height, width, kernel, stride, padding), outChannels_(outChannels) {
    if (outChannels < 1) throw Error("Conv2d", "outChannels must be positive");
    W_.setZero(outChannels, g_.patchSize());
    b_.setZero(outChannels, 1);
    dW_.setZero(outChannels, g_.patchSize());
    db_.setZero(outChannels, 1);
  }

  std::string kind() const override { return "conv2d"; }
  int inputSize() const override { return g_.imageSize(); }
  int outputSize() const override { return outChannels_ * g_.outPixels(); }

  int inChannels() const { return g_.channels; }
  int inHeight() const { return g_.height; }
  int inWidth() const { return g_.width; }
  int outChannels() const { return outChannels_; }
  int outHeight() const { return g_.outHeight; }
  int outWidth() const { return g_.outWidth; }
  const ConvGeometry& geometry() const { return g_; }

  // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for W and b, fan_in = Cin*k*k.
  void initialise(Random& rng) override {
    const T bound = T(1) / std::sqrt(T(g_.patchSize()));
    rng.fillUniform(W_, -bound, bound);
    rng.fillUniform(b_, -bound, bound);
  }

  // Samples per im2col chunk and product; 0 (or at least the batch) makes one product of the whole batch.
  void setSamplesPerProduct(int samples) { samplesPerProduct_ = std::max(0, samples); }
  int samplesPerProduct() const { return samplesPerProduct_; }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    if (in.rows() != inputSize())
      throw Error("Conv2d",
                  "input has " + std::to_string(in.rows()) + " rows, expected " + std::to_string(inputSize()));
    in_ = &in;  // cached for the columns of dW = dOut cols^T
    const int n = int(in.cols()), m = chunk(n);
    cols_.resize(g_.patchSize(), Eigen::Index(g_.outPixels()) * m);
    out_.resize(outputSize(), n);
    for (int j0 = 0; j0 < n; j0 += m) {
      const int mj = std::min(m, n - j0);
      const Eigen::Index P = Eigen::Index(g_.outPixels()) * mj;  // output pixels of the chunk
      im2col(g_, in.col(j0).data(), mj, cols_.data());
      MatrixMap out(out_.col(j0).data(), outChannels_, P);  // (Cout x OH*OW*mj)
      for (Eigen::Index q = 0; q < P; ++q) out.col(q) = b_.col(0);
      gemm(W_, GemmOp::N, ConstMatrixMap(cols_.data(), g_.patchSize(), P), GemmOp::N, out, T(1), T(1));  // out = W cols + b
    }
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    const int n = int(dOut.cols()), m = chunk(n);
    db_ = ConstMatrixMap(dOut.data(), outChannels_, Eigen::Index(g_.outPixels()) * n)
              .rowwise()
              .sum();  // dL/db = dOut summed over pixels and samples
    dW_.setZero();
    if (this->inputGradientNeeded_) {
      dCols_.resize(g_.patchSize(), Eigen::Index(g_.outPixels()) * m);
      dIn_.resize(inputSize(), n);
    }
    for (int j0 = 0; j0 < n; j0 += m) {
      const int mj = std::min(m, n - j0);
      const Eigen::Index P = Eigen::Index(g_.outPixels()) * mj;
      if (mj < n) im2col(g_, in_->col(j0).data(), mj, cols_.data());  // one chunk: forward's columns
      ConstMatrixMap dY(dOut.col(j0).data(), outChannels_, P);        // (Cout x OH*OW*mj)
      gemm(dY, GemmOp::N, ConstMatrixMap(cols_.data(), g_.patchSize(), P), GemmOp::T, dW_, T(1), T(1));  // dL/dW = dOut cols^T
      if (this->inputGradientNeeded_) {
        MatrixMap dCols(dCols_.data(), g_.patchSize(), P);
        gemm(W_, GemmOp::T, dY, GemmOp::N, dCols);           // dL/dcols = W^T dOut
        col2im(g_, dCols_.data(), mj, dIn_.col(j0).data());  // dL/din = col2im(dL/dcols), im2col's adjoint
      }
    }
    if (!this->inputGradientNeeded_) dIn_.resize(0, 0);  // the contract: left empty
    return dIn_;
  }

  double multiplyAdds() const override { return double(g_.outPixels()) * double(W_.rows()) * double(W_.cols()); }

  ParameterList<T> parameters() override { return {{"W", &W_, &dW_}, {"b", &b_, &db_}}; }

  Matrix<T>& weight() { return W_; }
  Matrix<T>& bias() { return b_; }

 private:
  using MatrixMap = Eigen::Map<Matrix<T>>;
  using ConstMatrixMap = Eigen::Map<const Matrix<T>>;

  // Samples in one im2col chunk and product.
  int chunk(int n) const {
    return samplesPerProduct_ > 0 && samplesPerProduct_ < n ? samplesPerProduct_ : std::max(n, 1);
  }

  ConvGeometry g_;
  int outChannels_;
  Matrix<T> W_, b_, dW_, db_;
  int samplesPerProduct_ = 32;
  Matrix<T> cols_, dCols_, out_, dIn_;
  const Matrix<T>* in_ = nullptr;
};

}  // namespace latentlab
