#include "engine/core/Gemm.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <chrono>

#include "engine/core/BlasLibrary.h"
#include "engine/core/Error.h"
#include "engine/core/GemmBackend.h"

namespace latentlab {
namespace {

template <typename S>
using ConstMap = Eigen::Map<const Matrix<S>, 0, Eigen::OuterStride<>>;
template <typename S>
using Map = Eigen::Map<Matrix<S>, 0, Eigen::OuterStride<>>;

// Eigen's own product over raw column-major storage; transposes are read in place (no copy).
template <typename S>
void eigenGemm(GemmOp opA, GemmOp opB, int m, int n, int k, S alpha, const S* A, int lda, const S* B, int ldb, S beta,
               S* C, int ldc) {
  Map<S> c(C, m, n, Eigen::OuterStride<>(ldc));
  if (k == 0) {
    if (beta == S(0))
      c.setZero();
    else
      c *= beta;
    return;
  }
  const ConstMap<S> a(A, opA == GemmOp::N ? m : k, opA == GemmOp::N ? k : m, Eigen::OuterStride<>(lda));
  const ConstMap<S> b(B, opB == GemmOp::N ? k : n, opB == GemmOp::N ? n : k, Eigen::OuterStride<>(ldb));
  const auto run = [&](const auto& x, const auto& y) {
    if (beta == S(0)) {
      c.noalias() = alpha * x * y;
    } else {
      if (beta != S(1)) c *= beta;
      c.noalias() += alpha * x * y;
    }
  };
  if (opA == GemmOp::N && opB == GemmOp::N)
    run(a, b);
  else if (opA == GemmOp::N)
    run(a, b.transpose());
  else if (opB == GemmOp::N)
    run(a.transpose(), b);
  else
    run(a.transpose(), b.transpose());
}

std::atomic<bool> gTiming{false};
std::atomic<int64_t> gTimedNanoseconds{0};
std::atomic<int64_t> gTimedCalls{0};
std::atomic<double> gTimedFlops{0};
std::mutex gLargestMutex;  // timing is on in bench only, so the lock costs nothing elsewhere
int gLargest[3] = {0, 0, 0};

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <typename S>
void checkRaw(GemmOp opA, GemmOp opB, int m, int n, int k, const S* A, int lda, const S* B, int ldb, const S* C,
              int ldc) {
  if (m < 0 || n < 0 || k < 0) throw Error("Gemm", "negative dimension");
  const int rowsA = opA == GemmOp::N ? m : k, rowsB = opB == GemmOp::N ? k : n;
  if (lda < std::max(1, rowsA) || ldb < std::max(1, rowsB) || ldc < std::max(1, m))
    throw Error("Gemm", "leading dimension smaller than the rows stored");
  // C must not overlap A or B: BLAS reads them while writing C.
  const auto overlaps = [](const S* x, size_t nx, const S* y, size_t ny) { return x < y + ny && y < x + nx; };
  const size_t sizeC = n ? size_t(ldc) * (n - 1) + m : 0;
  const size_t colsA = opA == GemmOp::N ? k : m, colsB = opB == GemmOp::N ? n : k;
  const size_t sizeA = colsA ? size_t(lda) * (colsA - 1) + rowsA : 0;
  const size_t sizeB = colsB ? size_t(ldb) * (colsB - 1) + rowsB : 0;
  if (sizeC && ((sizeA && overlaps(C, sizeC, A, sizeA)) || (sizeB && overlaps(C, sizeC, B, sizeB))))
    throw Error("Gemm", "the output overlaps an operand");
}

template <typename S>
int ld(const Eigen::Ref<const Matrix<S>, 0, Eigen::OuterStride<>>& x) {
  return int(std::max<Eigen::Index>({x.outerStride(), x.rows(), 1}));
}

template <typename S>
void checkShapes(Eigen::Index rowsA, Eigen::Index colsA, GemmOp opA, Eigen::Index rowsB, Eigen::Index colsB, GemmOp opB,
                 Eigen::Index rowsC, Eigen::Index colsC) {
  const Eigen::Index m = opA == GemmOp::N ? rowsA : colsA, kA = opA == GemmOp::N ? colsA : rowsA;
  const Eigen::Index kB = opB == GemmOp::N ? rowsB : colsB, n = opB == GemmOp::N ? colsB : rowsB;
  if (kA != kB || rowsC != m || colsC != n)
    throw Error("Gemm", "shapes do not match: op(A) " + std::to_string(m) + "x" + std::to_string(kA) + ", op(B) " +
                            std::to_string(kB) + "x" + std::to_string(n) + ", C " + std::to_string(rowsC) + "x" +
                            std::to_string(colsC));
}

}  // namespace

void gemmWith(GemmBackend b, GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda,
              const float* B, int ldb, float beta, float* C, int ldc) {
  if (m == 0 || n == 0) return;
  BlasLibrary* lib = b == GemmBackend::Blis ? blisLibrary() : b == GemmBackend::OpenBlas ? openBlasLibrary() : nullptr;
  if (b != GemmBackend::Eigen && !lib) throw Error("Gemm", std::string(toString(b)) + " is not available");
  if (lib && k > 0)
    lib->sgemm(opA, opB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  else
    eigenGemm(opA, opB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc) {
  checkRaw(opA, opB, m, n, k, A, lda, B, ldb, C, ldc);
  if (m == 0 || n == 0) return;
  const bool timing = gTiming.load(std::memory_order_relaxed);
  const int64_t t0 = timing ? nowNs() : 0;
  const GemmBackend b = double(m) * n * k < kGemmSmallProduct ? GemmBackend::Eigen : gemmBackend();
  gemmWith(b, opA, opB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  if (timing) {
    gTimedNanoseconds.fetch_add(nowNs() - t0, std::memory_order_relaxed);
    gTimedCalls.fetch_add(1, std::memory_order_relaxed);
    gTimedFlops.fetch_add(2.0 * m * n * k, std::memory_order_relaxed);
    std::lock_guard lock(gLargestMutex);
    if (double(m) * n * k > double(gLargest[0]) * gLargest[1] * gLargest[2]) {
      gLargest[0] = m;
      gLargest[1] = n;
      gLargest[2] = k;
    }
  }
}

void gemm(GemmOp opA, GemmOp opB, int m, int n, int k, double alpha, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc) {
  checkRaw(opA, opB, m, n, k, A, lda, B, ldb, C, ldc);
  if (m == 0 || n == 0) return;
  eigenGemm(opA, opB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm(const ConstMatrixRef<float>& A, GemmOp opA, const ConstMatrixRef<float>& B, GemmOp opB, MatrixRef<float> C,
          float alpha, float beta) {
  checkShapes<float>(A.rows(), A.cols(), opA, B.rows(), B.cols(), opB, C.rows(), C.cols());
  const int k = int(opA == GemmOp::N ? A.cols() : A.rows());
  gemm(opA, opB, int(C.rows()), int(C.cols()), k, alpha, A.data(), ld<float>(A), B.data(), ld<float>(B), beta, C.data(),
       int(std::max<Eigen::Index>({C.outerStride(), C.rows(), 1})));
}

void gemm(const ConstMatrixRef<double>& A, GemmOp opA, const ConstMatrixRef<double>& B, GemmOp opB, MatrixRef<double> C,
          double alpha, double beta) {
  checkShapes<double>(A.rows(), A.cols(), opA, B.rows(), B.cols(), opB, C.rows(), C.cols());
  const int k = int(opA == GemmOp::N ? A.cols() : A.rows());
  gemm(opA, opB, int(C.rows()), int(C.cols()), k, alpha, A.data(), ld<double>(A), B.data(), ld<double>(B), beta,
       C.data(), int(std::max<Eigen::Index>({C.outerStride(), C.rows(), 1})));
}

void setGemmTiming(bool on) { gTiming.store(on, std::memory_order_relaxed); }

GemmTiming takeGemmTiming() {
  GemmTiming t;
  t.seconds = double(gTimedNanoseconds.exchange(0, std::memory_order_relaxed)) * 1e-9;
  t.calls = long(gTimedCalls.exchange(0, std::memory_order_relaxed));
  t.flops = gTimedFlops.exchange(0, std::memory_order_relaxed);
  std::lock_guard lock(gLargestMutex);
  t.largestM = gLargest[0];
  t.largestN = gLargest[1];
  t.largestK = gLargest[2];
  gLargest[0] = gLargest[1] = gLargest[2] = 0;
  return t;
}

}  // namespace latentlab
