#pragma once
// Shape legend used across the engine:
//   n  columns of a batch (one sample per column; Eigen is column-major, so a sample is contiguous)
//   D  input features (784 for MNIST), H hidden units, d latent size, K classes
// Every activation matrix is (features x n).
#include <Eigen/Core>
#include <string>
#include <vector>

namespace latentlab {

template <typename T> using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T> using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <typename T> using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// Training precision. The gradient tests instantiate the same templates with double.
using Scalar = float;

// A named parameter tensor and its gradient, walked alike by the optimiser and the model files.
template <typename T> struct Parameter {
  std::string name;
  Matrix<T>* value;
  Matrix<T>* grad;
};

template <typename T> using ParameterList = std::vector<Parameter<T>>;

}  // namespace latentlab
