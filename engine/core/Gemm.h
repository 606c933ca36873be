#pragma once
// The engine's matrix product: every large product of a training step goes through here.
//   C = alpha op(A) op(B) + beta C      column-major; op(X) = X or X^T
//   op(A) (m x k), op(B) (k x n), C (m x n)
// A, B and C may be whole matrices, Maps or blocks with a leading dimension (outer stride): anything whose
// columns are contiguous. C must already have its shape (the product never resizes) and must not overlap A
// or B. With beta = 0, C's old contents are ignored (NaN included), as in BLAS.
//
// float goes to the backend chosen for this machine (engine/core/GemmBackend.h): Eigen, BLIS or OpenBLAS;
// products below ~64^3 multiply-adds stay with Eigen, where a library call costs more than it saves.
// double (the gradient tests) always uses Eigen.
//
// Usage, in the layers:
//   using enum GemmOp;
//   gemm(W, N, in, N, out);                          // out = W in
//   gemm(dOut, N, in, T, dW);                        // dW = dOut in^T
//   gemm(W, T, dOut, N, dIn);                        // dIn = W^T dOut
//   gemm(Wy, N, probs, N, out.rightCols(p), 1, 1);   // out[:, -p:] += Wy probs
// (inside a template whose type parameter is T, write GemmOp::T)
// A const argument that is not column-contiguous (e.g. a transpose expression) is copied by Eigen::Ref into
// a temporary: pass the plain matrix and GemmOp::T instead.
#include <Eigen/Core>

#include "engine/core/Types.h"

namespace latentlab {

enum class GemmOp { N, T };  // op(X) = X, op(X) = X^T

template <typename S>
using ConstMatrixRef = Eigen::Ref<const Matrix<S>, 0, Eigen::OuterStride<>>;
template <typename S>
using MatrixRef = Eigen::Ref<Matrix<S>, 0, Eigen::OuterStride<>>;

// Raw form (BLAS's): A has lda >= rows of A as stored, likewise B and C.
void gemm(GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc);
void gemm(GemmOp opA, GemmOp opB, int m, int n, int k, double alpha, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc);

// Eigen form: checks the shapes (throws latentlab::Error "Gemm") and calls the raw form.
void gemm(const ConstMatrixRef<float>& A, GemmOp opA, const ConstMatrixRef<float>& B, GemmOp opB, MatrixRef<float> C,
          float alpha = 1, float beta = 0);
void gemm(const ConstMatrixRef<double>& A, GemmOp opA, const ConstMatrixRef<double>& B, GemmOp opB, MatrixRef<double> C,
          double alpha = 1, double beta = 0);

// Multiply-adds below which a float product stays with Eigen whatever the backend.
inline constexpr double kGemmSmallProduct = 64.0 * 64.0 * 64.0;

// A cheap timer over the float products, for bench: off by default (then it costs one relaxed load per call).
struct GemmTiming {
  double seconds = 0;  // wall time inside gemm()
  double flops = 0;    // 2 m n k summed
  long calls = 0;
  int largestM = 0, largestN = 0, largestK = 0;  // the shape of the largest product counted
};
void setGemmTiming(bool on);
GemmTiming takeGemmTiming();  // what was counted since the last take, and resets it

}  // namespace latentlab
