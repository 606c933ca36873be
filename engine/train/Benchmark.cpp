#include "engine/train/Benchmark.h"

#include <algorithm>
#include <chrono>
#include <numeric>

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

double modelFlopsPerStep(const ModelConfig& m, int nl, int nu) {
  const int D = m.inputSize, d = m.latent, K = m.classes;
  double encMac = 0, decMac = 0;
  int in = D;
  for (int h : m.hidden) {
    encMac += double(in) * h;
    in = h;
  }
  encMac += double(in) * (2 * d + K);
  int prev = d + K;
  for (auto it = m.hidden.rbegin(); it != m.hidden.rend(); ++it) {
    decMac += double(prev) * *it;
    prev = *it;
  }
  decMac += double(prev) * D;
  const double encRows = nl + nu;
  const double decRows = m.objective == Objective::Single ? nl + nu : nl + double(nu) * K;
  const double fwd = encRows * encMac + decRows * decMac;
  const double firstInputGradient = encRows * D * m.hidden.front();
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

  // The largest product of the step: the decoder's output layer over every decoded column. It is timed
  // between the training steps, so both see the same machine: these machines are noisy.
  BenchResult r;
  const int decRows = config.model.objective == Objective::Single
                          ? config.labelledBatch + config.unlabelledBatch
                          : config.labelledBatch + config.unlabelledBatch * config.model.classes;
  r.gemmM = config.model.inputSize;
  r.gemmK = config.model.hidden.front();
  r.gemmN = decRows;
  Matrix<Scalar> W(r.gemmM, r.gemmK), X(r.gemmK, r.gemmN), Y(r.gemmM, r.gemmN);
  rng.fillUniform(W, -1.f, 1.f);
  rng.fillUniform(X, -1.f, 1.f);

  std::vector<double> times, gemmTimes;
  StepLosses losses;
  for (int i = 0; i < config.warmup + config.steps; ++i) {
    const double t0 = now();
    trainer.step(losses);
    const double t1 = now();
    Y.noalias() = W * X;
    const double t2 = now();
    if (i >= config.warmup) {
      times.push_back(t1 - t0);
      gemmTimes.push_back(t2 - t1);
    }
  }
  r.msPerStep = 1e3 * median(times);
  r.msPerStepMean = 1e3 * std::accumulate(times.begin(), times.end(), 0.0) / std::max<size_t>(times.size(), 1);
  r.stepsPerEpoch = data.train.size() / std::max(config.unlabelledBatch, 1);
  r.secondsPerEpoch = r.msPerStep * 1e-3 * r.stepsPerEpoch;
  r.flopsPerStep = modelFlopsPerStep(config.model, config.labelledBatch, config.unlabelledBatch);
  r.gflops = r.flopsPerStep / (r.msPerStep * 1e-3) / 1e9;
  r.gemmGflops = 2.0 * r.gemmM * r.gemmK * r.gemmN / median(gemmTimes) / 1e9;
  return r;
}

}  // namespace latentlab
