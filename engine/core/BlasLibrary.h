#pragma once
// BLIS and OpenBLAS, loaded at run time with dlopen (RTLD_LOCAL) rather than linked:
//   - both libraries export the same cblas_* and sgemm_ symbols; loaded locally, each call reaches the library
//     it was looked up in, so one binary offers both;
//   - a machine without them still runs (Eigen), and a package can recommend them rather than depend on them;
//   - the build needs neither the -dev packages nor their headers: the two entry points used are stable ABI
//     (BLIS's typed bli_sgemm of soname 4, with its integer size checked at load; OpenBLAS's cblas_sgemm).
// Where the library is looked for, first hit wins:
//   LATENTLAB_BLIS_LIBRARY / LATENTLAB_OPENBLAS_LIBRARY (a path; "none" hides the library),
//   the path CMake found at configure time (Debian's OpenMP variants, blis-openmp/ and openblas-openmp/, share
//   the engine's OpenMP thread pool), then the plain sonames libblis.so.4 / libopenblas.so.0.
// Threads: each call first applies Eigen::nbThreads() (the engine's thread setting) to the library when it
// changed since the library's last call.
#include <string>

#include "engine/core/Gemm.h"

namespace latentlab {

class BlasLibrary {
 public:
  virtual ~BlasLibrary() = default;
  // C = alpha op(A) op(B) + beta C, column-major, as the raw gemm() of Gemm.h.
  virtual void sgemm(GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda, const float* B,
                     int ldb, float beta, float* C, int ldc) = 0;
  // "BLIS 0.9.0 skx", "OpenBLAS 0.3.21 SkylakeX": what the cache key and the status line show.
  virtual std::string version() const = 0;
  const std::string& path() const { return path_; }

 protected:
  std::string path_;
};

// nullptr when the library is not installed (or hidden); loaded once, on first call, thread-safe.
BlasLibrary* blisLibrary();
BlasLibrary* openBlasLibrary();
// Why a library is absent: the paths tried and dlerror()'s last word.
std::string blisLibraryProblem();
std::string openBlasLibraryProblem();

}  // namespace latentlab
