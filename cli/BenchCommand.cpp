#include <cstdio>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "cli/Json.h"
#include "cli/Options.h"
#include "engine/train/Benchmark.h"
#include "engine/train/Defaults.h"

namespace latentlab::cli {

const char* benchHelp() {
  static const std::string text = std::string(
      "usage: latentlab-cli bench [options]\n"
      "Times training steps (batches of 100 unlabelled + 100 labelled MNIST images) after a warm-up and\n"
      "prints the median ms per step, seconds per 600-step epoch and achieved GFLOP/s (model FLOPs, counted\n"
      "as engine/train/Benchmark.h states), beside a plain Eigen product of the model's largest shape.\n"
      "\n"
      "  --steps N                  timed steps (default 200)\n"
      "  --warmup N                 untimed steps first (default 20)\n"
      "  --threads T                threads for the matrix products (default 1)\n"
      "  --seed S                   (default 1)\n"
      "  --json                     last line: a JSON object with the figures\n") + kDataHelp + kModelHelp;
  return text.c_str();
}

int benchCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"data", "steps", "warmup", "threads", "seed"};
  values.insert(kModelOptions.begin(), kModelOptions.end());
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"json"});
  setThreads(a.integer("threads", 1));
  const DataSplit data = openLabelledData(a, "bench");
  BenchConfig bc;
  bc.model = modelFromArguments(a, data.train);
  bc.steps = a.integer("steps", bc.steps);
  bc.warmup = a.integer("warmup", bc.warmup);
  bc.seed = uint64_t(a.integer("seed", 1));
  if (bc.steps < 1 || bc.warmup < 0) throw UsageError("--steps must be at least 1 and --warmup at least 0");
  const BenchResult r = runBenchmark(bc, data);
  std::printf("bench %s %s %s threads=%d: %.2f ms/step (median of %d, mean %.2f), %.2f s/epoch (%d steps), "
              "%.1f GFLOP/s (%.3f GFLOP/step); plain product %dx%d * %dx%d: %.1f GFLOP/s; step at %.0f%% of it\n",
              toString(bc.model.flavour).c_str(), toString(bc.model.objective).c_str(),
              toString(bc.model.activation).c_str(), Eigen::nbThreads(), r.msPerStep, bc.steps, r.msPerStepMean,
              r.secondsPerEpoch, r.stepsPerEpoch, r.gflops, r.flopsPerStep / 1e9, r.gemmM, r.gemmK, r.gemmK, r.gemmN,
              r.gemmGflops, 100.0 * r.gflops / r.gemmGflops);
  if (a.has("json")) {
    JsonObject o;
    o.add("flavour", toString(bc.model.flavour))
        .add("objective", toString(bc.model.objective))
        .add("threads", Eigen::nbThreads())
        .add("steps", bc.steps)
        .add("ms_per_step", r.msPerStep)
        .add("ms_per_step_mean", r.msPerStepMean)
        .add("seconds_per_epoch", r.secondsPerEpoch)
        .add("gflop_per_step", r.flopsPerStep / 1e9)
        .add("gflops", r.gflops)
        .add("gemm_gflops", r.gemmGflops)
        .add("fraction_of_gemm", r.gflops / r.gemmGflops);
    std::printf("%s\n", o.str().c_str());
  }
  return 0;
}

}  // namespace latentlab::cli
