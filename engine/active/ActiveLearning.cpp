#include "engine/active/ActiveLearning.h"

#include <chrono>
#include <numeric>

#include "engine/active/PoolScores.h"
#include "engine/active/Ranking.h"
#include "engine/core/Error.h"

namespace latentlab {

ActiveLearningSimulation::ActiveLearningSimulation(SemiSupervisedVae<float>& model, const DataSplit& data,
                                                   TrainConfig train, ActiveLearningConfig config)
    : model_(model), data_(data), train_(train), config_(config) {
  if (config_.start < data.train.classes)
    throw Error("ActiveLearning", "--start needs at least one label per class (" +
                                      std::to_string(data.train.classes) + ")");
  if (config_.rounds < 0 || config_.perRound < 1 || config_.epochsPerRound < 1)
    throw Error("ActiveLearning", "rounds >= 0, per-round >= 1 and epochs-per-round >= 1 are needed");
  if (config_.start + size_t(config_.rounds) * config_.perRound > size_t(data.train.size()))
    throw Error("ActiveLearning", "more labels asked for than the training set has samples");
}

std::vector<int> ActiveLearningSimulation::query(int count, Random& rng) {
  const auto snapshot = labels_.snapshot();
  std::vector<char> labelled(data_.train.size(), 0);
  for (const auto& e : *snapshot) labelled[e.index] = 1;
  std::vector<int> pool, known;
  for (int i = 0; i < data_.train.size(); ++i) (labelled[i] ? known : pool).push_back(i);

  const PoolScores scores = scorePool(model_, data_.train.x, pool, config_.strategy == QueryStrategy::Anomalous);
  Matrix<float> knownMu;
  if (config_.strategy == QueryStrategy::Diversity) knownMu = scorePool(model_, data_.train.x, known).mu;
  std::vector<int> chosen;
  for (int position : rankPool(config_.strategy, scores, count, knownMu, rng)) chosen.push_back(pool[position]);
  return chosen;
}

std::vector<ActiveRound> ActiveLearningSimulation::run() {
  Random labelRng(config_.seed), queryRng(config_.seed ^ 0x9e3779b97f4a7c15ULL);
  labels_ = balancedLabelSet(data_.train.labels, config_.start, data_.train.classes, labelRng);
  TrainConfig tc = train_;
  tc.seed = config_.seed;
  tc.epochs = 0;
  Trainer trainer(model_, data_, labels_, tc);
  trainer.onEpoch = onEpoch;
  std::vector<ActiveRound> rounds;
  for (int round = 0; round <= config_.rounds; ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    ActiveRound r;
    r.round = round;
    if (round > 0) {
      r.queried = query(config_.perRound, queryRng);
      for (int i : r.queried) labels_.set(i, data_.train.labels[i], LabelSource::User);  // the oracle answers
    }
    trainer.setEpochs(trainer.epochsDone() + config_.epochsPerRound);
    if (trainer.run() != TrainStatus::Finished)
      throw Error("ActiveLearning", "training stopped in round " + std::to_string(round) +
                                        " (the loss was not finite)");
    r.testAccuracy = trainer.history().back().testAccuracy;
    r.labels = labels_.size();
    r.perClass = labels_.countsPerClass(data_.train.classes);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rounds.push_back(r);
    if (onRound) onRound(r);
  }
  return rounds;
}

}  // namespace latentlab
