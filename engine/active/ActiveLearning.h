#pragma once
// Active-learning simulation: an oracle that answers with the data set's true labels plays the user.
// Start with a balanced labelled subset, then each round train, rank the unlabelled pool with a strategy and
// label the top of the queue. Measures what a strategy is worth before a person spends time on it.
#include <functional>
#include <vector>

#include "engine/active/QueryStrategy.h"
#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/train/Trainer.h"

namespace latentlab {

struct ActiveLearningConfig {
  QueryStrategy strategy = QueryStrategy::Entropy;
  int start = 10;           // balanced initial labels
  int rounds = 9;           // query rounds after the first training
  int perRound = 10;        // labels added each round
  int epochsPerRound = 1;   // training before each evaluation
  uint64_t seed = 1;
};

struct ActiveRound {
  int round = 0;  // 0: after training on the initial labels
  size_t labels = 0;
  double testAccuracy = 0;
  double seconds = 0;          // training and querying this round
  std::vector<int> perClass;   // labels per class after the round's query
  std::vector<int> queried;    // the samples labelled this round
};

class ActiveLearningSimulation {
 public:
  ActiveLearningSimulation(SemiSupervisedVae<float>& model, const DataSplit& data, TrainConfig train,
                           ActiveLearningConfig config);
  std::function<void(const ActiveRound&)> onRound;
  std::function<void(const EpochReport&)> onEpoch;
  // Returns every round; throws Error when training stops on a non-finite loss.
  std::vector<ActiveRound> run();
  const LabelSet& labels() const { return labels_; }

 private:
  std::vector<int> query(int count, Random& rng);

  SemiSupervisedVae<float>& model_;
  const DataSplit& data_;
  TrainConfig train_;
  ActiveLearningConfig config_;
  LabelSet labels_;
};

}  // namespace latentlab
