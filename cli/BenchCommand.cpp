#include <cstdio>

#include "engine/core/GemmBackend.h"

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "engine/core/JsonObject.h"
#include "cli/Options.h"
#include "engine/train/Benchmark.h"
#include "engine/train/Defaults.h"

namespace latentlab::cli {

const char* benchHelp() {
  static const std::string text = std::string(
      "usage: latentlab-cli bench [options]\n"
      "Times training steps (batches of 100 unlabelled + 100 labelled MNIST images) after a warm-up and\n"
      "prints the median ms per step, seconds per 600-step epoch and achieved GFLOP/s (model FLOPs, counted\n"
      "as engine/train/Benchmark.h states), beside a plain product of the model's largest shape on the chosen\n"
      "backend, and the step's split: time in the matrix products against everything else. First it times\n"
      "each product backend on the model's shapes (eigen, and blis / openblas where installed), prints their\n"
      "GFLOP/s and, with --gemm auto (the default), uses and caches the fastest.\n"
      "\n"
      "  --steps N                  timed steps (default 200)\n"
      "  --warmup N                 untimed steps first (default 20)\n"
      "  --threads T                threads for the matrix products (default 1)\n"
      + std::string(kGemmHelp) +
      "  --seed S                   (default 1)\n"
      "  --json                     last line: a JSON object with the figures\n") + kDataHelp + kModelHelp;
  return text.c_str();
}

int benchCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"data", "steps", "warmup", "threads", "gemm", "seed"};
  values.insert(kModelOptions.begin(), kModelOptions.end());
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"json"});
  const GemmChoice choice = applyCompute(a, /*remeasure=*/true);
  std::printf("products: %s; model shapes at %d thread(s):", gemmDescription().c_str(), choice.threads);
  for (GemmBackend b : kAllGemmBackends) {
    if (gemmBackendAvailable(b))
      std::printf(" %s %.1f GFLOP/s%s", toString(b), choice.gflops[size_t(int(b))], b == choice.backend ? " *" : "");
    else
      std::printf(" %s absent", toString(b));
  }
  if (choice.measureSeconds > 0) std::printf(" (measured in %.2f s)", choice.measureSeconds);
  std::printf("\n");
  const DataSplit data = openLabelledData(a, "bench");
  BenchConfig bc;
  bc.model = modelFromArguments(a, data.train);
  bc.steps = a.integer("steps", bc.steps);
  bc.warmup = a.integer("warmup", bc.warmup);
  bc.seed = uint64_t(a.integer("seed", 1));
  if (bc.steps < 1 || bc.warmup < 0) throw UsageError("--steps must be at least 1 and --warmup at least 0");
  const BenchResult r = runBenchmark(bc, data);
  std::printf("bench %s %s %s threads=%d gemm=%s: %.2f ms/step (median of %d, mean %.2f), %.2f s/epoch (%d steps), "
              "%.1f GFLOP/s (%.3f GFLOP/step); plain product %dx%d * %dx%d: %.1f GFLOP/s; step at %.0f%% of it\n",
              toString(bc.model.flavour).c_str(), toString(bc.model.objective).c_str(),
              toString(bc.model.activation).c_str(), Eigen::nbThreads(), toString(gemmBackend()), r.msPerStep,
              bc.steps, r.msPerStepMean, r.secondsPerEpoch, r.stepsPerEpoch, r.gflops, r.flopsPerStep / 1e9, r.gemmM,
              r.gemmK, r.gemmK, r.gemmN, r.gemmGflops, 100.0 * r.gflops / r.gemmGflops);
  std::printf("split: products %.2f ms/step (%.0f%%, %.0f calls, %.1f GFLOP/s), everything else %.2f ms/step; "
              "peak resident memory %.0f MB\n",
              r.productMsPerStep, 100.0 * r.productMsPerStep / r.msPerStep, r.productCallsPerStep, r.productGflops,
              r.otherMsPerStep, r.maxRssMb);
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
        .add("fraction_of_gemm", r.gflops / r.gemmGflops)
        .add("gemm_backend", toString(gemmBackend()))
        .add("gemm_library", gemmBackendVersion(gemmBackend()))
        .add("gemm_selection", choice.how)
        .add("gemm_shape", std::to_string(r.gemmM) + "x" + std::to_string(r.gemmK) + "x" + std::to_string(r.gemmN))
        .add("product_ms_per_step", r.productMsPerStep)
        .add("other_ms_per_step", r.otherMsPerStep)
        .add("product_fraction", r.productMsPerStep / r.msPerStep)
        .add("product_gflops", r.productGflops)
        .add("product_calls_per_step", r.productCallsPerStep)
        .add("max_rss_mb", r.maxRssMb);
    for (GemmBackend b : kAllGemmBackends)
      o.add(std::string("backend_gflops_") + toString(b),
            gemmBackendAvailable(b) ? choice.gflops[size_t(int(b))] : std::nan(""));  // null when absent
    std::printf("%s\n", o.str().c_str());
  }
  return 0;
}

}  // namespace latentlab::cli
