#pragma once
// Fully connected layer: out = W in + b.
//   W (out x in), b (out), in (in x n), out (out x n)
#include <cmath>

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
    // Start from the bias and accumulate the product: Eigen's "=" would first zero the output, one more pass.
    out_.resize(W_.rows(), in.cols());
    for (Eigen::Index c = 0; c < in.cols(); ++c) out_.col(c) = b_.col(0);  // replicate() is scalar code here
    out_.noalias() += W_ * in;
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    dW_.noalias() = dOut * in_->transpose();  // dL/dW = dOut in^T
    db_ = dOut.rowwise().sum();               // dL/db = sum over columns of dOut
    if (this->inputGradientNeeded_) {
      dIn_.resize(W_.cols(), dOut.cols());
      dIn_.noalias() = W_.transpose() * dOut;  // dL/din = W^T dOut
    }
    return dIn_;
  }

  ParameterList<T> parameters() override { return {{"W", &W_, &dW_}, {"b", &b_, &db_}}; }

  Matrix<T>& weight() { return W_; }
  Matrix<T>& bias() { return b_; }

 private:
  Matrix<T> W_, b_, dW_, db_;
  Matrix<T> out_, dIn_;
  const Matrix<T>* in_ = nullptr;
};

}  // namespace latentlab
