#pragma once
// Which library computes the engine's float products, chosen by measurement on the running machine.
//
// Selection (selectGemmBackend): a request "eigen", "blis" or "openblas" forces that backend (an error when it
// is not installed); "auto" times every available backend on the dense model's own product shapes (forward,
// weight-gradient and input-gradient products of 784-500-500 with 200- and 1100-column batches; a fraction of
// a second) and takes the fastest; "" reads LATENTLAB_GEMM (ignored with a warning on stderr when it names
// an unusable backend) and otherwise means "auto". The first large product selects with "" when nobody did.
//
// The measurement is cached: $XDG_CACHE_HOME/latentlab/gemm-<hash>.txt (else ~/.cache/latentlab/...), one file
// per CPU (hash of /proc/cpuinfo's model name and flags), one line per configuration:
//   <key> TAB <chosen backend> TAB eigen=<GFLOP/s> TAB blis=<GFLOP/s> TAB openblas=<GFLOP/s>
// where the key names the thread count and every backend's version (Eigen's instruction sets, BLIS's
// architecture, OpenBLAS's kernel): another thread count or library version measures anew. Lines that do not
// parse are ignored (and dropped at the next write).
#include <array>
#include <optional>
#include <string>

#include "engine/core/Gemm.h"

namespace latentlab {

enum class GemmBackend { Eigen, Blis, OpenBlas };
inline constexpr int kGemmBackends = 3;
inline constexpr std::array<GemmBackend, kGemmBackends> kAllGemmBackends{GemmBackend::Eigen, GemmBackend::Blis,
                                                                         GemmBackend::OpenBlas};

const char* toString(GemmBackend b);  // "eigen", "blis", "openblas"
// "eigen" | "blis" | "openblas" -> that backend; "auto" -> nullopt; anything else throws Error("Gemm", ...).
std::optional<GemmBackend> gemmBackendFromString(const std::string& name);

bool gemmBackendAvailable(GemmBackend b);
// "Eigen 3.4.0 (AVX512, FMA, ...)", "BLIS 0.9.0 skx", "OpenBLAS 0.3.21 SkylakeX"; why not, when unavailable.
std::string gemmBackendVersion(GemmBackend b);

// The engine's thread count for the products: Eigen::setNbThreads, which the libraries follow before their
// next call (so code that calls Eigen::setNbThreads directly is followed too).
void setGemmThreads(int threads);
int gemmThreads();

struct GemmChoice {
  GemmBackend backend = GemmBackend::Eigen;
  std::string how;                             // "measured", "cached", "forced", "only backend"
  std::array<double, kGemmBackends> gflops{};  // over the model's shapes; 0 where not measured or unavailable
  int threads = 1;
  std::string cacheFile;      // read or written; empty when the choice did not involve the cache
  double measureSeconds = 0;  // how long the measurement took (0: none)
};

// Sets the backend for every later product and returns the choice. remeasure: measure even when the cache
// has the answer or the backend is forced (bench), and update the cache.
GemmChoice selectGemmBackend(const std::string& request = "", bool remeasure = false);
GemmChoice gemmChoice();    // the current choice (selects with "" on first use)
GemmBackend gemmBackend();  // the current backend (selects with "" on first use)
// One line for a status bar: "BLIS 0.9.0 skx, 1 thread, 152 GFLOP/s (measured)". Never selects (so never
// blocks a GUI thread on a measurement): before the first choice it says so.
std::string gemmDescription();

// GFLOP/s of each available backend over the model's shapes, at the current thread count (0: unavailable);
// seconds, when given, receives how long it took.
std::array<double, kGemmBackends> measureGemmBackends(double* seconds = nullptr);
std::string gemmCachePath();
std::string cpuModelName();  // /proc/cpuinfo's model name ("unknown CPU" elsewhere)

// A product on the given backend, bypassing the choice and the small-product rule (measurement and tests).
void gemmWith(GemmBackend b, GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda,
              const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace latentlab
