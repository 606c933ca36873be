#include <cstdio>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "engine/core/JsonObject.h"
#include "cli/Options.h"
#include "engine/active/ActiveLearning.h"
#include "engine/train/Defaults.h"

namespace latentlab::cli {

const char* activeHelp() {
  static const std::string text = std::string(
      "usage: latentlab-cli active [options]\n"
      "Active-learning simulation: an oracle that answers with the true labels plays the user. Starts from a\n"
      "balanced labelled subset, trains, then each round ranks the unlabelled training samples with the\n"
      "strategy, labels the top of the queue and trains on. Prints the test accuracy after every round.\n"
      "\n"
      "  --strategy NAME            entropy, margin, least-confidence, random, diversity, anomalous\n"
      "                             (default entropy)\n"
      "  --start N                  balanced initial labels, drawn with the seed (default 10)\n"
      "  --rounds R                 query rounds after the first training (default 9)\n"
      "  --per-round K              labels added each round (default 10)\n"
      "  --epochs-per-round E       training epochs before each evaluation (default 1)\n"
      "  --seed S                   seeds the initial labels, weights, batches, noise and random queries\n"
      "  --train-samples N          pool: the first N training samples (default all)\n"
      "  --test-samples N           evaluate on the first N test samples (default all)\n"
      "  --lr RATE                  Adam learning rate (default 1e-3)\n"
      "  --threads T                threads for the matrix products (default 1)\n"
      + std::string(kGemmHelp) +
      "  --json                     last line: a JSON object with the results\n") + kDataHelp + kModelHelp;
  return text.c_str();
}

int activeCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"strategy", "start", "rounds", "per-round", "epochs-per-round", "seed", "data",
                               "train-samples", "test-samples", "lr", "threads", "gemm"};
  values.insert(kModelOptions.begin(), kModelOptions.end());
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"json"});
  applyCompute(a);

  ActiveLearningConfig ac;
  ac.strategy = queryStrategyFromString(a.string("strategy", "entropy"));
  ac.start = a.integer("start", ac.start);
  ac.rounds = a.integer("rounds", ac.rounds);
  ac.perRound = a.integer("per-round", ac.perRound);
  ac.epochsPerRound = a.integer("epochs-per-round", ac.epochsPerRound);
  ac.seed = uint64_t(a.integer("seed", 1));

  DataSplit data = openLabelledData(a, "active");
  if (a.has("train-samples")) data.train = data.train.head(a.integer("train-samples", data.train.size()));
  if (a.has("test-samples")) data.test = data.test.head(a.integer("test-samples", data.test.size()));
  TrainConfig tc = defaultTrainConfig();
  tc.learningRate = a.number("lr", tc.learningRate);
  const ModelConfig mc = modelFromArguments(a, data.train);
  SemiSupervisedVae<Scalar> model(mc, ac.seed);

  std::printf("# latentlab active: %s, strategy %s, %d + %d x %d labels, %d epoch(s) per round, pool %d, "
              "%d test samples, %s objective, seed %llu\n",
              data.source.c_str(), toString(ac.strategy).c_str(), ac.start, ac.rounds, ac.perRound, ac.epochsPerRound,
              data.train.size(), data.test.size(), toString(mc.objective).c_str(), (unsigned long long)ac.seed);
  std::fflush(stdout);
  ActiveLearningSimulation sim(model, data, tc, ac);
  std::vector<double> accuracies, labelCounts;
  sim.onRound = [&](const ActiveRound& r) {
    accuracies.push_back(r.testAccuracy);
    labelCounts.push_back(double(r.labels));
    std::string perClass;
    for (int c : r.perClass) {
      if (!perClass.empty()) perClass += ',';
      perClass += std::to_string(c);
    }
    std::printf("round %2d  labels %4zu  test_acc %.4f  per-class %s  %.1f s\n", r.round, r.labels, r.testAccuracy,
                perClass.c_str(), r.seconds);
    std::fflush(stdout);
  };
  const auto rounds = sim.run();
  if (a.has("json")) {
    JsonObject o;
    o.add("final_accuracy", rounds.back().testAccuracy)
        .add("labels", long(rounds.back().labels))
        .add("strategy", toString(ac.strategy))
        .add("seed", long(ac.seed))
        .add("start", ac.start)
        .add("rounds", ac.rounds)
        .add("per_round", ac.perRound)
        .add("epochs_per_round", ac.epochsPerRound)
        .add("pool", data.train.size())
        .add("objective", toString(mc.objective))
        .add("accuracy_per_round", accuracies)
        .add("labels_per_round", labelCounts);
    std::printf("%s\n", o.str().c_str());
  }
  return 0;
}

}  // namespace latentlab::cli
