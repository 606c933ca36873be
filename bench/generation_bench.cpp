// How long the Generation view's slider update takes: one decode (z, y) -> image with the default dense model
// (784-500-500, latent 50, 10 classes), plus the strip of every class and encoding a set for the principal
// basis. The weights are random: the cost depends on the shapes only. Exits 1 if one decode is not well
// under the 30 ms an interactive slider can afford (the budget is 10 ms, a third of it).
//   generation-bench [--repeats N]
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/generation/Generator.h"
#include "engine/generation/StyleBasis.h"

using namespace latentlab;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
  double median = 0, p99 = 0, min = 0;
};

template <typename F>
Timing timeIt(int repeats, F&& f) {
  for (int i = 0; i < std::max(3, repeats / 10); ++i) f();  // warm caches and buffers
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, size_t(0.99 * ms.size()))], ms.front()};
}

void print(const char* what, const Timing& t) {
  std::printf("%-44s median %8.3f ms   p99 %8.3f ms   min %8.3f ms\n", what, t.median, t.p99, t.min);
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 500;
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
  Eigen::setNbThreads(1);  // the GUI thread decodes alone

  const ModelConfig config;  // the default dense model
  Generator g(std::make_unique<SemiSupervisedVae<float>>(config, 1));
  std::printf("model: dense %d-%d-%d, latent %d, %d classes; Eigen SIMD: %s\n", config.inputSize, config.hidden[0],
              config.hidden[1], config.latent, config.classes, Eigen::SimdInstructionSetsInUse());

  Random rng(1);
  const StyleBasis basis = StyleBasis::axisAligned(g.latent());
  Vector<float> sliders = basis.randomSliders(1.0, rng), image;
  int k = 0;
  // What one slider step costs: sliders -> z -> decode one image of the picked class.
  const Timing one = timeIt(repeats, [&] {
    sliders(k % g.latent()) += 0.01f;
    image = g.decode(basis.toLatent(sliders), k++ % g.classes());
  });
  print("one decode (slider update)", one);
  const Timing strip = timeIt(repeats, [&] {
    sliders(k % g.latent()) += 0.01f;
    image = g.everyClass(basis.toLatent(sliders)).col(0);
    ++k;
  });
  print("every class at one z (10 decodes, batched)", strip);

  Matrix<float> x(config.inputSize, 2000);
  rng.fillUniform(x, 0.f, 1.f);
  const Timing encode = timeIt(std::max(1, repeats / 100), [&] {
    const Matrix<float> mu = g.stylesOf(x);
    const StyleBasis pca = StyleBasis::principal(mu);
    image = pca.mean;
  });
  print("encode 2000 images + PCA basis", encode);

  const double budget = 10;
  std::printf("decode_ms %.3f (budget %.0f ms of the 30 ms a slider frame can take): %s\n", one.median, budget,
              one.median < budget ? "ok" : "TOO SLOW");
  return one.median < budget ? 0 : 1;
}
