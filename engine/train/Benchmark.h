#pragma once
// Times training steps of the semi-supervised VAE on real data and, in the same run, a plain product of the
// model's largest shape on the chosen backend (engine/core/GemmBackend.h), so the step's efficiency can be read
// against what the products alone reach. Inside the steps, the products are timed apart from the rest.
#include "engine/data/Dataset.h"
#include "engine/model/ModelConfig.h"

namespace latentlab {

struct BenchConfig {
  ModelConfig model;
  int steps = 200;
  int warmup = 20;
  int labelledBatch = 100;
  int unlabelledBatch = 100;
  uint64_t seed = 1;
};

struct BenchResult {
  double msPerStep = 0;  // median
  double msPerStepMean = 0;
  double secondsPerEpoch = 0;  // median step x steps in one pass over the training set
  double flopsPerStep = 0;
  double gflops = 0;            // flopsPerStep / median step
  double gemmGflops = 0;        // plain product of the largest shape, median
  int gemmM = 0, gemmK = 0, gemmN = 0;
  int stepsPerEpoch = 0;
  // The split inside a step (medians over the timed steps): the float products through gemm() against
  // everything else (activations, losses, Adam, copies).
  double productMsPerStep = 0;
  double otherMsPerStep = 0;
  double productGflops = 0;   // gemm() FLOPs of a step / their time: the products' own rate inside the step
  double productCallsPerStep = 0;
  double maxRssMb = 0;        // peak resident memory of the process (getrusage)
};

// Model FLOPs of one training step, counted as the PyTorch peer counts them (2 per multiply-add of every
// matrix product: forward, weight gradients and input gradients, without the first layer's input gradient;
// the decoder's input layer counted as a full (d + K) x H product). Element-wise work is not counted.
// The conv and recurrent flavours count their layers' products the same way (Layer::multiplyAdds; an LSTM's
// first-layer saving counted as its whole forward product, a slight undercount). unlabelledDecodes: the
// pruned marginal's decodes per step (< 0: nu for single, K nu for marginal).
double modelFlopsPerStep(const ModelConfig& model, int labelledBatch, int unlabelledBatch,
                         double unlabelledDecodes = -1);

BenchResult runBenchmark(const BenchConfig& config, const DataSplit& data);

}  // namespace latentlab
