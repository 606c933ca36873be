#pragma once
// The layer contract, written once.
//
// A layer maps an input matrix (inputSize x n) to an output matrix (outputSize x n), one sample per column.
//   forward(in)    requires in.rows() == inputSize(); in must stay alive and unchanged until backward.
//                  ensures  the returned matrix (owned by the layer) is the output; the layer caches only
//                  what backward needs.
//   backward(dOut) requires forward was called last with the same n; dOut is dL/dOut (outputSize x n).
//                  ensures  every parameter gradient is OVERWRITTEN with dL/dParam (not accumulated), and
//                  the returned matrix is dL/dIn, unless setInputGradientNeeded(false), in which case it is
//                  left empty. Backward is the gradient of dot(output, dOut): the generic tester relies on it.
//   parameters()   named (value, gradient) pairs in a fixed order, walked by the optimiser and model files.
//   multiplyAdds() the forward pass's multiply-adds per sample (column) in its matrix products, for FLOP
//                  counts; backward does the same again for the weights and once more for the input gradient.
// Buffers are reused between calls of the same n, so a training step allocates nothing.
#include <memory>
#include <string>

#include "engine/core/Random.h"
#include "engine/core/Types.h"

namespace latentlab {

template <typename T> class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string kind() const = 0;
  virtual int inputSize() const = 0;
  virtual int outputSize() const = 0;

  virtual const Matrix<T>& forward(const Matrix<T>& in) = 0;
  virtual const Matrix<T>& backward(const Matrix<T>& dOut) = 0;

  virtual ParameterList<T> parameters() { return {}; }
  virtual double multiplyAdds() const { return 0; }
  virtual void initialise(Random&) {}

  void setInputGradientNeeded(bool needed) { inputGradientNeeded_ = needed; }
  bool inputGradientNeeded() const { return inputGradientNeeded_; }

 protected:
  bool inputGradientNeeded_ = true;
};

template <typename T> using LayerPtr = std::unique_ptr<Layer<T>>;

}  // namespace latentlab
