#pragma once
// Element-wise activation: out = f(in), dIn = dOut * f'(in).
// Forward computes f and f' in one pass (they share their transcendental work) and caches f' for backward.
// Op provides: static const char* name; static void apply(const Matrix& a, Matrix& f, Matrix& fprime).
#include "engine/core/Parallel.h"
#include "engine/layers/Layer.h"

namespace latentlab {

template <typename T, typename Op> class Activation final : public Layer<T> {
 public:
  explicit Activation(int size) : size_(size) {}

  std::string kind() const override { return Op::name; }
  int inputSize() const override { return size_; }
  int outputSize() const override { return size_; }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    out_.resize(in.rows(), in.cols());
    derivative_.resize(in.rows(), in.cols());
    Op::apply(in, out_, derivative_);
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    if (this->inputGradientNeeded_) {
      dIn_.resize(dOut.rows(), dOut.cols());
      parallelRanges(dOut.size(), 1, [&](Eigen::Index begin, Eigen::Index end) {
        const Eigen::Index n = end - begin;
        Eigen::Map<Vector<T>>(dIn_.data() + begin, n).array() =
            Eigen::Map<const Vector<T>>(dOut.data() + begin, n).array() *
            Eigen::Map<const Vector<T>>(derivative_.data() + begin, n).array();  // dL/din = dOut * f'(in)
      });
    }
    return dIn_;
  }

 private:
  int size_;
  Matrix<T> out_, derivative_, dIn_;
};

}  // namespace latentlab
