#include "engine/core/GemmBackend.h"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "engine/core/BlasLibrary.h"
#include "engine/core/Error.h"

namespace latentlab {
namespace {

std::mutex gMutex;              // guards gChoice and the cache file
GemmChoice gChoice;             // the current choice, valid once gBackend >= 0
std::atomic<int> gBackend{-1};  // the hot path's copy of gChoice.backend; -1: not chosen yet

BlasLibrary* library(GemmBackend b) {
  switch (b) {
    case GemmBackend::Blis:
      return blisLibrary();
    case GemmBackend::OpenBlas:
      return openBlasLibrary();
    default:
      return nullptr;
  }
}

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

std::string readCpuField(const std::string& field) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, field.size(), field) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Everything the measured rates depend on besides the CPU: threads and each backend's version.
std::string cacheKey(int threads) {
  std::string key = "v1 threads=" + std::to_string(threads);
  for (GemmBackend b : kAllGemmBackends)
    key += std::string(" | ") + toString(b) + "=" + (gemmBackendAvailable(b) ? gemmBackendVersion(b) : "absent");
  for (char& c : key)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return key;
}

// One parsed cache line; false when it does not parse.
bool parseLine(const std::string& line, std::string& key, GemmBackend& chosen, std::array<double, kGemmBackends>& g) {
  std::vector<std::string> fields;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, '\t')) fields.push_back(f);
  if (fields.size() != 2 + kGemmBackends || fields[0].rfind("v1 ", 0) != 0) return false;
  key = fields[0];
  try {
    const auto b = gemmBackendFromString(fields[1]);
    if (!b) return false;
    chosen = *b;
  } catch (const Error&) {
    return false;
  }
  for (int i = 0; i < kGemmBackends; ++i) {
    const std::string prefix = std::string(toString(kAllGemmBackends[size_t(i)])) + "=";
    if (fields[size_t(2 + i)].rfind(prefix, 0) != 0) return false;
    const std::string v = fields[size_t(2 + i)].substr(prefix.size());
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !(x >= 0) || x > 1e6) return false;
    g[size_t(i)] = x;
  }
  return g[size_t(int(chosen))] > 0;
}

std::string formatLine(const std::string& key, GemmBackend chosen, const std::array<double, kGemmBackends>& g) {
  std::string line = key + "\t" + toString(chosen);
  for (int i = 0; i < kGemmBackends; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "\t%s=%.2f", toString(kAllGemmBackends[size_t(i)]), g[size_t(i)]);
    line += buf;
  }
  return line;
}

bool readCache(const std::string& path, const std::string& key, GemmBackend& chosen,
               std::array<double, kGemmBackends>& g) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::string k;
    GemmBackend b;
    std::array<double, kGemmBackends> gl{};
    if (parseLine(line, k, b, gl) && k == key && gemmBackendAvailable(b)) {
      chosen = b;
      g = gl;
      return true;
    }
  }
  return false;
}

// Rewrites the file with the valid lines of other keys and this one (atomically: temp file + rename).
void writeCache(const std::string& path, const std::string& key, GemmBackend chosen,
                const std::array<double, kGemmBackends>& g) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::vector<std::string> keep;
  {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      std::string k;
      GemmBackend b;
      std::array<double, kGemmBackends> gl{};
      if (parseLine(line, k, b, gl) && k != key) keep.push_back(line);
    }
  }
  if (keep.size() > 31) keep.erase(keep.begin(), keep.end() - 31);
  keep.push_back(formatLine(key, chosen, g));
  const std::string tmp = path + ".tmp" + std::to_string(uint64_t(now() * 1e6) % 1000000);
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return;  // an unwritable cache only costs a measurement next time
    for (const auto& l : keep) out << l << '\n';
    if (!out) return;
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

GemmBackend fastest(const std::array<double, kGemmBackends>& g) {
  GemmBackend best = GemmBackend::Eigen;
  for (GemmBackend b : kAllGemmBackends)
    if (g[size_t(int(b))] > g[size_t(int(best))]) best = b;
  return best;
}

int availableCount() {
  int n = 0;
  for (GemmBackend b : kAllGemmBackends) n += gemmBackendAvailable(b);
  return n;
}

// The selection itself; called with gMutex held.
GemmChoice choose(const std::string& request, bool remeasure) {
  std::string name = request;
  bool fromEnvironment = false;
  if (name.empty()) {
    const char* e = std::getenv("LATENTLAB_GEMM");
    name = e && *e ? e : "auto";
    fromEnvironment = e && *e;
  }
  std::optional<GemmBackend> forced;
  try {
    forced = gemmBackendFromString(name);
    if (forced && !gemmBackendAvailable(*forced))
      throw Error("Gemm", std::string(toString(*forced)) + " is not available: " + gemmBackendVersion(*forced));
  } catch (const Error& e) {
    if (!fromEnvironment) throw;
    std::fprintf(stderr, "latentlab: LATENTLAB_GEMM=%s ignored (%s); choosing by measurement\n", name.c_str(),
                 e.what());
    forced.reset();
  }

  GemmChoice c;
  c.threads = gemmThreads();
  if (forced) {
    c.backend = *forced;
    c.how = "forced";
    if (remeasure) c.gflops = measureGemmBackends(&c.measureSeconds);
    return c;
  }
  if (availableCount() == 1 && !remeasure) {
    c.backend = GemmBackend::Eigen;
    c.how = "only backend";
    return c;
  }
  c.cacheFile = gemmCachePath();
  const std::string key = cacheKey(c.threads);
  if (!remeasure && readCache(c.cacheFile, key, c.backend, c.gflops)) {
    c.how = "cached";
    return c;
  }
  c.gflops = measureGemmBackends(&c.measureSeconds);
  c.backend = fastest(c.gflops);
  c.how = "measured";
  writeCache(c.cacheFile, key, c.backend, c.gflops);
  return c;
}

}  // namespace

const char* toString(GemmBackend b) {
  switch (b) {
    case GemmBackend::Blis:
      return "blis";
    case GemmBackend::OpenBlas:
      return "openblas";
    default:
      return "eigen";
  }
}

std::optional<GemmBackend> gemmBackendFromString(const std::string& name) {
  if (name == "auto") return std::nullopt;
  for (GemmBackend b : kAllGemmBackends)
    if (name == toString(b)) return b;
  throw Error("Gemm", "unknown product backend '" + name + "' (eigen, blis, openblas or auto)");
}

bool gemmBackendAvailable(GemmBackend b) { return b == GemmBackend::Eigen || library(b) != nullptr; }

std::string gemmBackendVersion(GemmBackend b) {
  if (b == GemmBackend::Eigen)
    return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
           std::to_string(EIGEN_MINOR_VERSION) + " (" + Eigen::SimdInstructionSetsInUse() + ")";
  if (BlasLibrary* l = library(b)) return l->version();
  return b == GemmBackend::Blis ? "not found: " + blisLibraryProblem() : "not found: " + openBlasLibraryProblem();
}

void setGemmThreads(int threads) { Eigen::setNbThreads(std::max(1, threads)); }
int gemmThreads() { return Eigen::nbThreads(); }

GemmChoice selectGemmBackend(const std::string& request, bool remeasure) {
  std::lock_guard<std::mutex> lock(gMutex);
  GemmChoice c = choose(request, remeasure);
  gChoice = c;
  gBackend.store(int(c.backend), std::memory_order_release);
  return c;
}

GemmChoice gemmChoice() {
  if (gBackend.load(std::memory_order_acquire) < 0) return selectGemmBackend("");
  std::lock_guard<std::mutex> lock(gMutex);
  return gChoice;
}

GemmBackend gemmBackend() {
  const int b = gBackend.load(std::memory_order_acquire);
  if (b >= 0) return GemmBackend(b);
  return gemmChoice().backend;
}

std::string gemmDescription() {
  if (gBackend.load(std::memory_order_acquire) < 0) return "products: backend not chosen yet";  // never blocks
  const GemmChoice c = gemmChoice();
  char rate[64] = "";
  if (c.gflops[size_t(int(c.backend))] > 0)
    std::snprintf(rate, sizeof rate, ", %.0f GFLOP/s", c.gflops[size_t(int(c.backend))]);
  const int threads = gemmThreads();
  return gemmBackendVersion(c.backend) + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads") +
         rate + " (" + c.how + ")";
}

std::string cpuModelName() {
  const std::string m = readCpuField("model name");
  return m.empty() ? "unknown CPU" : m;
}

std::string gemmCachePath() {
  std::filesystem::path dir;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    dir = x;
  else if (const char* h = std::getenv("HOME"); h && *h)
    dir = std::filesystem::path(h) / ".cache";
  else
    dir = std::filesystem::temp_directory_path();
  char name[64];
  std::snprintf(name, sizeof name, "gemm-%016llx.txt",
                static_cast<unsigned long long>(fnv1a(cpuModelName() + "|" + readCpuField("flags"))));
  return (dir / "latentlab" / name).string();
}

std::array<double, kGemmBackends> measureGemmBackends(double* seconds) {
  const double begin = now();
  // The dense model's products (784-500-500; 100 + 100 columns, and 100 + 10 x 100 for the marginal decoder):
  // forward W x, weight gradient dOut x^T, input gradient W^T dOut.
  struct Shape {
    int m, n, k;
    GemmOp a, b;
  };
  static const Shape shapes[] = {
      {784, 1100, 500, GemmOp::N, GemmOp::N}, {784, 500, 1100, GemmOp::N, GemmOp::T},
      {500, 1100, 784, GemmOp::T, GemmOp::N}, {500, 1100, 500, GemmOp::N, GemmOp::N},
      {500, 500, 1100, GemmOp::N, GemmOp::T}, {500, 1100, 500, GemmOp::T, GemmOp::N},
      {500, 200, 784, GemmOp::N, GemmOp::N},  {500, 784, 200, GemmOp::N, GemmOp::T},
  };
  size_t sizeA = 0, sizeB = 0, sizeC = 0;
  for (const auto& s : shapes) {
    sizeA = std::max(sizeA, size_t(s.m) * s.k);
    sizeB = std::max(sizeB, size_t(s.k) * s.n);
    sizeC = std::max(sizeC, size_t(s.m) * s.n);
  }
  std::vector<float> A(sizeA), B(sizeB), C(sizeC);
  uint32_t x = 12345;
  const auto fill = [&](std::vector<float>& v) {
    for (float& f : v) {
      x = x * 1664525u + 1013904223u;
      f = float(x >> 8) / float(1 << 24) - 0.5f;
    }
  };
  fill(A);
  fill(B);

  std::vector<GemmBackend> present;
  for (GemmBackend b : kAllGemmBackends)
    if (gemmBackendAvailable(b)) present.push_back(b);
  const auto run = [&](GemmBackend b, const Shape& s) {
    const int lda = s.a == GemmOp::N ? s.m : s.k, ldb = s.b == GemmOp::N ? s.k : s.n;
    const double t0 = now();
    gemmWith(b, s.a, s.b, s.m, s.n, s.k, 1.f, A.data(), lda, B.data(), ldb, 0.f, C.data(), s.m);
    return now() - t0;
  };
  // Warm-up on the largest shape (library initialisation, packing buffers, first touch of C), then rounds in
  // which the backends take turns on each shape, so that a busy machine slows them alike; the best time of
  // each shape counts. Two rounds at least, a third when the first two were quick (~0.1 s a round at 130
  // GFLOP/s with three backends): the whole stays under a second on the machines met so far.
  for (GemmBackend b : present) run(b, shapes[0]);
  constexpr int kShapes = int(sizeof shapes / sizeof shapes[0]);
  std::vector<double> best(present.size() * kShapes, 1e30);
  const double start = now();
  for (int round = 0; round < 3; ++round) {
    if (round == 2 && now() - start > 0.3) break;
    for (int s = 0; s < kShapes; ++s)
      for (size_t i = 0; i < present.size(); ++i)
        best[i * kShapes + s] = std::min(best[i * kShapes + s], run(present[i], shapes[s]));
  }
  double flops = 0;
  for (const auto& s : shapes) flops += 2.0 * s.m * s.n * s.k;
  std::array<double, kGemmBackends> g{};
  for (size_t i = 0; i < present.size(); ++i) {
    double t = 0;
    for (int s = 0; s < kShapes; ++s) t += best[i * kShapes + s];
    g[size_t(int(present[i]))] = flops / t / 1e9;
  }
  if (seconds) *seconds = now() - begin;
  return g;
}

}  // namespace latentlab
