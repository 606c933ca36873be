#pragma once
// Fully connected layer: out = W in + b.
//   W (out x in), b (out), in (in x n), out (out x n)
#include <cmath>

#include "engine/core/Gemm.h"
#include "engine/core/Parallel.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T> class Dense final : public Layer<T> {
 public:
  Dense(int in, int out) : W_(out, in), b_(out, 1), dW_(out, in), db_(out, 1) {
    W_.setZero();
    b_.setZero();
  }

  std::string kind() const override { return "dense"; }
  int inputSize() const override { return int(W_.cols()); }
  int outputSize() const override { return int(W_.rows()); }

  // PyTorch's default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases, so runs compare with the peer.
  void initialise(Random& rng) override {
    const T bound = T(1) / std::sqrt(T(W_.cols()));
    rng.fillUniform(W_, -bound, bound);
    rng.fillUniform(b_, -bound, bound);
  }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    in_ = &in;  // cached for dW = dOut in^T
    // Start from the bias and accumulate the product (beta = 1): no separate pass to zero the output.
    out_.resize(W_.rows(), in.cols());
    parallelRowBlocks(out_.rows(), in.cols(), [&](Eigen::Index r, Eigen::Index n) {
      for (Eigen::Index c = 0; c < in.cols(); ++c) out_.col(c).segment(r, n) = b_.col(0).segment(r, n);
    });  // (replicate() is scalar code here)
    gemm(W_, GemmOp::N, in, GemmOp::N, out_, T(1), T(1));  // out = W in + b
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    gemm(dOut, GemmOp::N, *in_, GemmOp::T, dW_);  // dL/dW = dOut in^T
    db_.resize(dOut.rows(), 1);
    parallelRowBlocks(dOut.rows(), dOut.cols(), [&](Eigen::Index r, Eigen::Index n) {
      db_.col(0).segment(r, n) = dOut.middleRows(r, n).rowwise().sum();  // dL/db = sum over columns of dOut
    });
    if (this->inputGradientNeeded_) {
      dIn_.resize(W_.cols(), dOut.cols());
      gemm(W_, GemmOp::T, dOut, GemmOp::N, dIn_);  // dL/din = W^T dOut
    }
    return dIn_;
  }

  double multiplyAdds() const override { return double(W_.rows()) * double(W_.cols()); }

  ParameterList<T> parameters() override { return {{"W", &W_, &dW_}, {"b", &b_, &db_}}; }

  Matrix<T>& weight() { return W_; }
  Matrix<T>& bias() { return b_; }

 private:
  Matrix<T> W_, b_, dW_, db_;
  Matrix<T> out_, dIn_;
  const Matrix<T>* in_ = nullptr;
};

}  // namespace latentlab
