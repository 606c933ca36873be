// latentlab-cli: the headless front end over the engine.
#include <Eigen/Core>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "cli/Options.h"
#include "engine/core/Error.h"

namespace {

const char* kUsage =
    "usage: latentlab-cli COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  train             train a semi-supervised VAE (or its supervised baseline) and report test accuracy\n"
    "  bench             time training steps and compare with a plain matrix product\n"
    "  eval              test accuracy of a saved model\n"
    "  inspect           print a model file's architecture, state and tensors\n"
    "  export            write a model's reference outputs for other programs to check against\n"
    "  export-embedding  a model's latent means or q(y|x) log-ratios for TensorBoard's Embedding Projector\n"
    "  active            active-learning simulation: which query strategy gains most per label\n"
    "  anomaly           held-out-class anomaly detection: labels off against labels on, with baselines\n"
    "  experiment        the article's experiments as a resumable sweep of runs, and their report\n"
    "\n"
    "`latentlab-cli COMMAND --help` lists a command's options; `latentlab-cli --version` prints the version.\n";

}  // namespace

namespace latentlab::cli {
void setThreads(int threads) {
  if (threads > 0) latentlab::setGemmThreads(threads);
}

latentlab::GemmChoice applyCompute(const Arguments& a, bool remeasure) {
  const int threads = a.integer("threads", 1);
  if (threads < 1 || threads > 256) throw UsageError("--threads must be in 1..256");
  setThreads(threads);
  const std::string gemm = a.string("gemm", "");
  if (a.has("gemm") && gemm != "auto" && gemm != "eigen" && gemm != "blis" && gemm != "openblas")
    throw UsageError("--gemm is eigen, blis, openblas or auto");
  return latentlab::selectGemmBackend(gemm, remeasure);
}
}  // namespace latentlab::cli

int main(int argc, char** argv) {
  using namespace latentlab::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version") || !std::strcmp(argv[1], "version")) {
    std::printf("latentlab-cli %s\n", LATENTLAB_VERSION);
    return 0;
  }
  const std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
  try {
    if (command == "train") return help ? (std::fputs(trainHelp(), stdout), 0) : trainCommand(args);
    if (command == "bench") return help ? (std::fputs(benchHelp(), stdout), 0) : benchCommand(args);
    if (command == "eval") return help ? (std::fputs(evalHelp(), stdout), 0) : evalCommand(args);
    if (command == "inspect") return help ? (std::fputs(inspectHelp(), stdout), 0) : inspectCommand(args);
    if (command == "active") return help ? (std::fputs(activeHelp(), stdout), 0) : activeCommand(args);
    if (command == "anomaly") return help ? (std::fputs(anomalyHelp(), stdout), 0) : anomalyCommand(args);
    if (command == "experiment")
      return help ? (std::fputs(experimentHelp(), stdout), 0) : experimentCommand(args);
    if (command == "export") return help ? (std::fputs(exportHelp(), stdout), 0) : exportCommand(args);
    if (command == "export-embedding")
      return help ? (std::fputs(exportEmbeddingHelp(), stdout), 0) : exportEmbeddingCommand(args);
    std::fprintf(stderr, "latentlab-cli: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "latentlab-cli %s: %s (see latentlab-cli %s --help)\n", command.c_str(), e.what(),
                 command.c_str());
    return 2;
  } catch (const latentlab::Error& e) {
    std::fprintf(stderr, "latentlab-cli %s: error: %s\n", command.c_str(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "latentlab-cli %s: unexpected error: %s\n", command.c_str(), e.what());
    return 1;
  }
}
