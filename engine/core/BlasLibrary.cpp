#include "engine/core/BlasLibrary.h"

#include <dlfcn.h>

#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace latentlab {
namespace {

// Candidate paths in order: the environment's override, CMake's find, the soname.
std::vector<std::string> candidates(const char* envName, const char* configured, const char* soname) {
  std::vector<std::string> c;
  if (const char* e = std::getenv(envName); e && *e) {
    c.emplace_back(e);  // "none" is handled by the caller
    return c;
  }
  if (configured && *configured) c.emplace_back(configured);
  c.emplace_back(soname);
  return c;
}

void* openFirst(const std::vector<std::string>& paths, const char* needed, std::string& path, std::string& problem) {
  for (const auto& p : paths) {
    if (p == "none") {
      problem = "hidden by the environment (none)";
      return nullptr;
    }
    void* h = dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = dlerror();
      problem += (problem.empty() ? "" : "; ") + std::string(e ? e : p.c_str());
      continue;
    }
    if (!dlsym(h, needed)) {
      problem += (problem.empty() ? "" : "; ") + p + ": no " + needed;
      dlclose(h);
      continue;
    }
    path = p;
    return h;
  }
  return nullptr;
}

template <typename F>
F symbol(void* h, const char* name) {
  return reinterpret_cast<F>(dlsym(h, name));
}

// Sets an environment variable while a library initialises, unless the user set it: both libraries read their
// kernel override once, at initialisation, so it is removed again afterwards.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    if (value.empty() || std::getenv(name)) return;
    set_ = setenv(name, value.c_str(), 1) == 0;
  }
  ~ScopedEnvironment() {
    if (set_) unsetenv(name_);
  }
  bool set() const { return set_; }

 private:
  const char* name_;
  bool set_ = false;
};

// AVX-512 as SkylakeX kernels need it (F, CD, BW, DQ, VL, with the OS saving the registers: libgcc checks).
// On such CPUs Debian's libraries misjudge some models: OpenBLAS 0.3.21 falls back to Prescott (SSE3) on CPUs
// newer than it knows, and BLIS 0.9 takes haswell (AVX2) when it cannot tell the FMA unit count from the
// model name (virtual machines: "Intel Xeon Processor"). Their AVX-512 kernels are then the right ones.
bool avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

// ---- BLIS: the typed API, C(rs 1, cs ldc) with general strides; dim_t/inc_t are BLIS's gint_t ----------------

template <typename Int>
class BlisTyped final : public BlasLibrary {
 public:
  // bli_sgemm(transa, transb, m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc)
  using Sgemm = void (*)(int, int, Int, Int, Int, const float*, const float*, Int, Int, const float*, Int, Int,
                         const float*, float*, Int, Int);
  using SetThreads = void (*)(Int);

  BlisTyped(void* h, std::string path, std::string version)
      : sgemm_(symbol<Sgemm>(h, "bli_sgemm")),
        setThreads_(symbol<SetThreads>(h, "bli_thread_set_num_threads")),
        version_(std::move(version)) {
    path_ = std::move(path);
  }

  void sgemm(GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
             float beta, float* C, int ldc) override {
    applyThreads();
    constexpr int kNoTranspose = 0x0, kTranspose = 0x8;  // BLIS_NO_TRANSPOSE, BLIS_TRANSPOSE (BLIS_TRANS_BIT)
    sgemm_(opA == GemmOp::T ? kTranspose : kNoTranspose, opB == GemmOp::T ? kTranspose : kNoTranspose, Int(m), Int(n),
           Int(k), &alpha, A, 1, Int(lda), B, 1, Int(ldb), &beta, C, 1, Int(ldc));
  }
  std::string version() const override { return version_; }

 private:
  void applyThreads() {
    const int want = Eigen::nbThreads();
    if (applied_.load(std::memory_order_relaxed) == want) return;
    if (setThreads_) setThreads_(Int(want));
    applied_.store(want, std::memory_order_relaxed);
  }

  Sgemm sgemm_;
  SetThreads setThreads_;
  std::string version_;
  std::atomic<int> applied_{-1};
};

// ---- OpenBLAS: cblas_sgemm (32-bit blasint: libopenblas0, not libopenblas64) ---------------------------------

class OpenBlas final : public BlasLibrary {
 public:
  using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
  using SetThreads = void (*)(int);

  OpenBlas(void* h, std::string path, std::string version)
      : sgemm_(symbol<Sgemm>(h, "cblas_sgemm")),
        setThreads_(symbol<SetThreads>(h, "openblas_set_num_threads")),
        version_(std::move(version)) {
    path_ = std::move(path);
  }

  void sgemm(GemmOp opA, GemmOp opB, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
             float beta, float* C, int ldc) override {
    applyThreads();
    constexpr int kColMajor = 102, kNoTrans = 111, kTrans = 112;  // CBLAS_ORDER, CBLAS_TRANSPOSE
    sgemm_(kColMajor, opA == GemmOp::T ? kTrans : kNoTrans, opB == GemmOp::T ? kTrans : kNoTrans, m, n, k, alpha, A,
           lda, B, ldb, beta, C, ldc);
  }
  std::string version() const override { return version_; }

 private:
  void applyThreads() {
    const int want = Eigen::nbThreads();
    if (applied_.load(std::memory_order_relaxed) == want) return;
    if (setThreads_) setThreads_(want);
    applied_.store(want, std::memory_order_relaxed);
  }

  Sgemm sgemm_;
  SetThreads setThreads_;
  std::string version_;
  std::atomic<int> applied_{-1};
};

#ifndef LATENTLAB_BLIS_PATH
#define LATENTLAB_BLIS_PATH ""
#endif
#ifndef LATENTLAB_OPENBLAS_PATH
#define LATENTLAB_OPENBLAS_PATH ""
#endif

struct Loaded {
  std::unique_ptr<BlasLibrary> library;
  std::string problem;
};

Loaded loadBlis() {
  Loaded l;
  std::string path;
  void* h = openFirst(candidates("LATENTLAB_BLIS_LIBRARY", LATENTLAB_BLIS_PATH, "libblis.so.4"), "bli_sgemm", path,
                      l.problem);
  if (!h) return l;
  using IntSize = int64_t (*)();
  using Str = const char* (*)();
  using ArchId = int (*)();
  using ArchString = const char* (*)(int);
  using Init = void (*)();
  const auto archId = symbol<ArchId>(h, "bli_arch_query_id");
  const auto archString = symbol<ArchString>(h, "bli_arch_string");
  // BLIS_ARCH_TYPE takes the number of a sub-configuration; its name table is static, readable before init.
  std::string skx;
  if (archString && avx512())
    for (int id = 0; id < 64; ++id) {
      const char* name = archString(id);
      if (!name) break;
      if (std::string(name) == "skx") skx = std::to_string(id);
    }
  bool archSet = false;
  {
    const ScopedEnvironment arch("BLIS_ARCH_TYPE", skx);
    // bli_init before any query: BLIS 0.9 aborts when BLIS_ARCH_TYPE is read before its kernel table is built.
    if (const auto init = symbol<Init>(h, "bli_init")) init();
    archSet = arch.set();
  }
  const auto intSize = symbol<IntSize>(h, "bli_info_get_int_type_size");
  const auto versionStr = symbol<Str>(h, "bli_info_get_version_str");
  // gint_t is 32 or 64 bits; only the low half of the return register is meaningful for the 32-bit one.
  const int bits = intSize ? int(uint32_t(intSize())) : 0;
  std::string version = std::string("BLIS ") + (versionStr ? versionStr() : "?");
  if (archId && archString) version += std::string(" ") + archString(archId());
  if (archSet) version += " (set for AVX-512)";
  if (bits == 64)
    l.library = std::make_unique<BlisTyped<int64_t>>(h, path, version);
  else if (bits == 32)
    l.library = std::make_unique<BlisTyped<int32_t>>(h, path, version);
  else
    l.problem = path + ": unknown BLIS integer size " + std::to_string(bits);
  return l;  // the handle stays open for the process's life
}

Loaded loadOpenBlas() {
  Loaded l;
  std::string path;
  // OpenBLAS picks its kernels in its constructor, at dlopen.
  const ScopedEnvironment coreType("OPENBLAS_CORETYPE", avx512() ? "SkylakeX" : "");
  void* h = openFirst(candidates("LATENTLAB_OPENBLAS_LIBRARY", LATENTLAB_OPENBLAS_PATH, "libopenblas.so.0"),
                      "openblas_get_config", path, l.problem);
  if (!h) return l;
  if (!dlsym(h, "cblas_sgemm")) {
    l.problem = path + ": no cblas_sgemm";
    return l;
  }
  using Str = const char* (*)();
  const auto config = symbol<Str>(h, "openblas_get_config");
  const auto core = symbol<Str>(h, "openblas_get_corename");
  // openblas_get_config: "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64": keep name + version.
  std::string c = config ? config() : "OpenBLAS ?";
  const size_t second = c.find(' ', c.find(' ') + 1);
  std::string version = c.substr(0, second);
  if (core) version += std::string(" ") + core();
  if (core && coreType.set()) version += " (set for AVX-512)";
  l.library = std::make_unique<OpenBlas>(h, path, version);
  return l;
}

const Loaded& blis() {
  static const Loaded l = loadBlis();  // C++ guarantees one thread initialises it
  return l;
}
const Loaded& openBlas() {
  static const Loaded l = loadOpenBlas();
  return l;
}

}  // namespace

BlasLibrary* blisLibrary() { return blis().library.get(); }
BlasLibrary* openBlasLibrary() { return openBlas().library.get(); }
std::string blisLibraryProblem() { return blis().problem; }
std::string openBlasLibraryProblem() { return openBlas().problem; }

}  // namespace latentlab
