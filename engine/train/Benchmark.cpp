#include "engine/train/Benchmark.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "engine/core/Gemm.h"
#include "engine/train/Trainer.h"

namespace latentlab {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace

double modelFlopsPerStep(const ModelConfig& m, int nl, int nu, double unlabelledDecodes) {
  const SemiSupervisedVae<Scalar> model(m, 0);  // the layers count their own products
  const double encRows = nl + nu;
  const double decRows = nl + (unlabelledDecodes >= 0          ? unlabelledDecodes
                               : m.objective == Objective::Single ? double(nu)
                                                                  : double(nu) * m.classes);
  const double fwd = encRows * model.encoderMultiplyAdds() + decRows * model.decoderMultiplyAdds();
  const double firstInputGradient = encRows * model.firstLayerMultiplyAdds();
  return 2.0 * (3.0 * fwd - firstInputGradient);
}

BenchResult runBenchmark(const BenchConfig& config, const DataSplit& data) {
  SemiSupervisedVae<Scalar> model(config.model, config.seed);
  Random rng(config.seed);
  LabelSet labels = balancedLabelSet(data.train.labels, 100, config.model.classes, rng);
  TrainConfig tc;
  tc.labelledBatch = config.labelledBatch;
  tc.unlabelledBatch = config.unlabelledBatch;
  tc.seed = config.seed;
  tc.epochs = 1;
  tc.stepsPerEpoch = config.warmup + config.steps;
  tc.evalSamples = 1;
  Trainer trainer(model, data, labels, tc);

  // The largest product of the step (for the dense flavour, the decoder's output layer over every decoded
  // column), found in the first step. It is timed between the training steps, so both see the same machine:
  // these machines are noisy.
  BenchResult r;
  StepLosses losses;
  setGemmTiming(true);
  takeGemmTiming();
  trainer.step(losses);
  const GemmTiming first = takeGemmTiming();
  r.gemmM = std::max(first.largestM, 1);
  r.gemmN = std::max(first.largestN, 1);
  r.gemmK = std::max(first.largestK, 1);
  Matrix<Scalar> W(r.gemmM, r.gemmK), X(r.gemmK, r.gemmN), Y(r.gemmM, r.gemmN);
  rng.fillUniform(W, -1.f, 1.f);
  rng.fillUniform(X, -1.f, 1.f);

  std::vector<double> times, gemmTimes, productTimes, otherTimes, productFlops, productCalls, decodes;
  for (int i = 0; i < config.warmup + config.steps; ++i) {
    takeGemmTiming();  // drops the plain product of the last round
    const double t0 = now();
    trainer.step(losses);
    const double t1 = now();
    const GemmTiming inStep = takeGemmTiming();
    gemm(W, GemmOp::N, X, GemmOp::N, Y);
    const double t2 = now();
    if (i >= config.warmup) {
      times.push_back(t1 - t0);
      gemmTimes.push_back(t2 - t1);
      productTimes.push_back(inStep.seconds);
      otherTimes.push_back(t1 - t0 - inStep.seconds);
      productFlops.push_back(inStep.flops);
      productCalls.push_back(double(inStep.calls));
      decodes.push_back(model.lastUnlabelledDecodes());
    }
  }
  setGemmTiming(false);
  takeGemmTiming();
  r.msPerStep = 1e3 * median(times);
  r.msPerStepMean = 1e3 * std::accumulate(times.begin(), times.end(), 0.0) / std::max<size_t>(times.size(), 1);
  r.stepsPerEpoch = data.train.size() / std::max(config.unlabelledBatch, 1);
  r.secondsPerEpoch = r.msPerStep * 1e-3 * r.stepsPerEpoch;
  r.flopsPerStep = modelFlopsPerStep(config.model, config.labelledBatch, config.unlabelledBatch,
                                     std::accumulate(decodes.begin(), decodes.end(), 0.0) / std::max<size_t>(decodes.size(), 1));
  r.gflops = r.flopsPerStep / (r.msPerStep * 1e-3) / 1e9;
  r.gemmGflops = 2.0 * r.gemmM * r.gemmK * r.gemmN / median(gemmTimes) / 1e9;
  r.productMsPerStep = 1e3 * median(productTimes);
  r.otherMsPerStep = 1e3 * median(otherTimes);
  r.productGflops = median(productFlops) / median(productTimes) / 1e9;
  r.productCallsPerStep = median(productCalls);
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) r.maxRssMb = double(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
  return r;
}

}  // namespace latentlab
