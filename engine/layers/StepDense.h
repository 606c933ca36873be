#pragma once
// The same fully connected layer applied at every time step: out_t = W in_t + b.
// Sequence layout: one sample per column, time-major, index t * channels + c, so the (channels x T*n) view
// of a batch (column j*T + t) makes all steps one product.
//   in (T*in x n) viewed as (in x T*n),  out (T*out x n) viewed as (out x T*n),  W (out x in),  b (out x 1)
// W and b are PyTorch's nn.Linear(in, out) weight and bias (the recurrent decoder's per-step output layer).
#include <cmath>

#include "engine/core/Error.h"
#include "engine/core/Gemm.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T> class StepDense final : public Layer<T> {
 public:
  StepDense(int in, int out, int steps) : T_(steps), W_(out, in), b_(out, 1), dW_(out, in), db_(out, 1) {
    if (in < 1 || out < 1 || steps < 1) throw Error("StepDense", "in, out and steps must be positive");
    W_.setZero();
    b_.setZero();
  }

  std::string kind() const override { return "step_dense"; }
  int inputSize() const override { return T_ * int(W_.cols()); }
  int outputSize() const override { return T_ * int(W_.rows()); }
  int steps() const { return T_; }

  // PyTorch's default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases.
  void initialise(Random& rng) override {
    const T bound = T(1) / std::sqrt(T(W_.cols()));
    rng.fillUniform(W_, -bound, bound);
    rng.fillUniform(b_, -bound, bound);
  }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    if (in.rows() != inputSize())
      throw Error("StepDense",
                  "input has " + std::to_string(in.rows()) + " rows, expected " + std::to_string(inputSize()));
    in_ = &in;  // cached for dW = dOut in^T
    const Eigen::Index TN = Eigen::Index(T_) * in.cols();
    out_.resize(outputSize(), in.cols());
    Map out(out_.data(), W_.rows(), TN);  // (out x T*n)
    for (Eigen::Index q = 0; q < TN; ++q) out.col(q) = b_.col(0);
    gemm(W_, GemmOp::N, ConstMap(in.data(), W_.cols(), TN), GemmOp::N, out, T(1), T(1));  // out_t = W in_t + b
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    const Eigen::Index TN = Eigen::Index(T_) * dOut.cols();
    ConstMap dY(dOut.data(), W_.rows(), TN);                                // (out x T*n)
    gemm(dY, GemmOp::N, ConstMap(in_->data(), W_.cols(), TN), GemmOp::T, dW_);  // dL/dW = sum_t dOut_t in_t^T
    db_ = dY.rowwise().sum();  // dL/db = dOut summed over steps and samples
    if (this->inputGradientNeeded_) {
      dIn_.resize(inputSize(), dOut.cols());
      Map dX(dIn_.data(), W_.cols(), TN);
      gemm(W_, GemmOp::T, dY, GemmOp::N, dX);  // dL/din_t = W^T dOut_t
    }
    if (!this->inputGradientNeeded_) dIn_.resize(0, 0);  // the contract: left empty
    return dIn_;
  }

  double multiplyAdds() const override { return double(T_) * double(W_.rows()) * double(W_.cols()); }

  ParameterList<T> parameters() override { return {{"W", &W_, &dW_}, {"b", &b_, &db_}}; }

  Matrix<T>& weight() { return W_; }
  Matrix<T>& bias() { return b_; }

 private:
  using Map = Eigen::Map<Matrix<T>>;
  using ConstMap = Eigen::Map<const Matrix<T>>;

  int T_;
  Matrix<T> W_, b_, dW_, db_;
  Matrix<T> out_, dIn_;
  const Matrix<T>* in_ = nullptr;
};

}  // namespace latentlab
