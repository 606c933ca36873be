// Linked into every test: LATENTLAB_EIGEN_CACHES="L1,L2,L3" (bytes) sets the cache sizes that Eigen's matrix
// products block for, as another CPU's would be read from CPUID. The blocking sets the order of the sums in a
// product, and so the last bits of its result: the same binary gives other bits on another CPU. An AVX2
// build (LATENTLAB_ARCH=x86-64-v3) run with an AMD Zen 3's caches,
//   LATENTLAB_EIGEN_CACHES=32768,524288,33554432 ctest --test-dir build-avx2
// follows the floating-point path of such a machine (it reproduced the t-SNE test's failure there, which the
// AVX2 build alone did not).
#include <Eigen/Core>
#include <cstdio>
#include <cstdlib>

namespace {

const bool applied = [] {
  const char* spec = std::getenv("LATENTLAB_EIGEN_CACHES");
  if (!spec || !*spec) return false;
  long l1 = 0, l2 = 0, l3 = 0;
  if (std::sscanf(spec, "%ld,%ld,%ld", &l1, &l2, &l3) != 3 || l1 <= 0 || l2 <= 0 || l3 <= 0) {
    std::fprintf(stderr, "LATENTLAB_EIGEN_CACHES: expected L1,L2,L3 in bytes, got '%s'\n", spec);
    std::exit(2);
  }
  Eigen::setCpuCacheSizes(l1, l2, l3);
  return true;
}();

}  // namespace
