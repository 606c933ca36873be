#pragma once
// 2-D transposed convolution (PyTorch's ConvTranspose2d with output_padding 0, no dilation or groups): the
// adjoint of a Conv2d from the output image back to the input image, plus a bias.
//   out(co, y, x) = b(co) + sum over (iy, ix, ky, kx) with y = iy*s - p + ky, x = ix*s - p + kx of
//                   sum_ci W(ci, (ky*k + kx)*Cout + co) in(ci, iy, ix)
// Layout: one sample per column, channels-last, index (y * width + x) * channels + c (see Im2col.h).
//   in  (Cin*H*W x n)      viewed as (Cin x H*W*n)
//   out (Cout*OH*OW x n)   viewed as (Cout x OH*OW*n), OH = (H - 1)*s - 2p + k, OW likewise
//   W   (Cin x k*k*Cout)   column (ky*k + kx)*Cout + co. PyTorch's weight w (Cin, Cout, kH, kW) is
//                          W(ci, (ky*k + kx)*Cout + co) = w[ci, co, ky, kx]: exporters permute to (0, 2, 3, 1),
//                          as for Conv2d. Conv2d(Cout, OH, OW -> Cin, k, s, p) with the same W matrix (its
//                          weight) is this layer's adjoint without bias: dot(conv(y), x) = dot(y, convT(x)).
//   b   (Cout x 1)
// Implementation (chosen by measurement, bench/conv_bench.cpp): per chunk of samplesPerProduct() samples (32
// by default; 0 makes one product of the batch), one product cols = W^T in into a member buffer, then col2im
// scatters the columns into the output; backward im2col's dOut into the same buffer. A direct loop was slower.
#include <algorithm>
#include <cmath>

#include "engine/layers/Im2col.h"
#include "engine/core/Gemm.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T> class ConvTranspose2d final : public Layer<T> {
 public:
  ConvTranspose2d(int inChannels, int height, int width, int outChannels, int kernel, int stride = 1, int padding = 0)
      : g_(checkedGeometry(inChannels, height, width, outChannels, kernel, stride, padding)), inChannels_(inChannels) {
    W_.setZero(inChannels, g_.patchSize());
    b_.setZero(outChannels, 1);
    dW_.setZero(inChannels, g_.patchSize());
    db_.setZero(outChannels, 1);
  }

  std::string kind() const override { return "conv_transpose2d"; }
  int inputSize() const override { return inChannels_ * g_.outPixels(); }
  int outputSize() const override { return g_.imageSize(); }

  int inChannels() const { return inChannels_; }
  int inHeight() const { return g_.outHeight; }
  int inWidth() const { return g_.outWidth; }
  int outChannels() const { return g_.channels; }
  int outHeight() const { return g_.height; }
  int outWidth() const { return g_.width; }
  // The geometry of the adjoint convolution: its image side is this layer's output.
  const ConvGeometry& geometry() const { return g_; }

  // PyTorch's default for ConvTranspose2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for W and b, where torch's
  // _calculate_fan_in_and_fan_out takes fan_in = weight.size(1) * k*k, and weight.size(1) is Cout for a
  // transposed convolution: fan_in = Cout*k*k (not Cin*k*k).
  void initialise(Random& rng) override {
    const T bound = T(1) / std::sqrt(T(g_.patchSize()));
    rng.fillUniform(W_, -bound, bound);
    rng.fillUniform(b_, -bound, bound);
  }

  // Samples per product and col2im chunk; 0 (or at least the batch) makes one product of the whole batch.
  void setSamplesPerProduct(int samples) { samplesPerProduct_ = std::max(0, samples); }
  int samplesPerProduct() const { return samplesPerProduct_; }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    if (in.rows() != inputSize())
      throw Error("ConvTranspose2d",
                  "input has " + std::to_string(in.rows()) + " rows, expected " + std::to_string(inputSize()));
    in_ = &in;  // cached for dW = in dcols^T
    const int n = int(in.cols()), m = chunk(n);
    cols_.resize(g_.patchSize(), Eigen::Index(g_.outPixels()) * m);
    out_.resize(outputSize(), n);
    for (int j0 = 0; j0 < n; j0 += m) {
      const int mj = std::min(m, n - j0);
      const Eigen::Index P = Eigen::Index(g_.outPixels()) * mj;                             // input pixels of the chunk
      MatrixMap cols(cols_.data(), g_.patchSize(), P);                                      // (k*k*Cout x H*W*mj)
      gemm(W_, GemmOp::T, ConstMatrixMap(in.col(j0).data(), inChannels_, P), GemmOp::N, cols);  // cols = W^T in
      col2im(g_, cols_.data(), mj, out_.col(j0).data());
    }
    MatrixMap out(out_.data(), g_.channels, Eigen::Index(g_.height) * g_.width * n);  // (Cout x OH*OW*n)
    out.colwise() += b_.col(0);                                                       // out = col2im(cols) + b
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    const int n = int(dOut.cols()), m = chunk(n);
    db_ = ConstMatrixMap(dOut.data(), g_.channels, Eigen::Index(g_.height) * g_.width * n)
              .rowwise()
              .sum();  // dL/db = dOut summed over pixels and samples
    dW_.setZero();
    cols_.resize(g_.patchSize(), Eigen::Index(g_.outPixels()) * m);
    if (this->inputGradientNeeded_) dIn_.resize(inputSize(), n);
    for (int j0 = 0; j0 < n; j0 += m) {
      const int mj = std::min(m, n - j0);
      const Eigen::Index P = Eigen::Index(g_.outPixels()) * mj;
      im2col(g_, dOut.col(j0).data(), mj, cols_.data());  // dL/dcols = im2col(dOut), col2im's adjoint
      ConstMatrixMap dCols(cols_.data(), g_.patchSize(), P);
      ConstMatrixMap x(in_->col(j0).data(), inChannels_, P);  // (Cin x H*W*mj)
      gemm(x, GemmOp::N, dCols, GemmOp::T, dW_, T(1), T(1));  // dL/dW = in dcols^T
      if (this->inputGradientNeeded_) {
        MatrixMap dX(dIn_.col(j0).data(), inChannels_, P);
        gemm(W_, GemmOp::N, dCols, GemmOp::N, dX);  // dL/din = W dcols
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

  // The adjoint convolution's geometry: image (Cout, OH, OW), its output (H, W).
  static ConvGeometry checkedGeometry(int inChannels, int height, int width, int outChannels, int kernel, int stride,
                                      int padding) {
    if (inChannels < 1 || height < 1 || width < 1 || stride < 1)
      throw Error("ConvTranspose2d", "channels, height, width and stride must be positive");
    const int oh = (height - 1) * stride - 2 * padding + kernel, ow = (width - 1) * stride - 2 * padding + kernel;
    if (oh < 1 || ow < 1) throw Error("ConvTranspose2d", "the output would be empty");
    return ConvGeometry(outChannels, oh, ow, kernel, stride, padding);
  }

  ConvGeometry g_;
  int inChannels_;
  Matrix<T> W_, b_, dW_, db_;
  int samplesPerProduct_ = 32;
  Matrix<T> cols_, out_, dIn_;
  const Matrix<T>* in_ = nullptr;
};

}  // namespace latentlab
