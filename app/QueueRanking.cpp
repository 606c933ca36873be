#include "app/QueueRanking.h"

#include <chrono>

#include "engine/active/PoolScores.h"
#include "engine/active/Ranking.h"
#include "engine/core/Error.h"

using namespace latentlab;

QueueRanking rankQueue(const ModelFile* file, const DataSplit& data, const std::vector<char>& labelled,
                       QueryStrategy strategy, int count, uint64_t seed, const std::atomic<bool>* cancel,
                       int poolLimit) {
  const auto t0 = std::chrono::steady_clock::now();
  QueueRanking r;
  r.strategy = strategy;
  std::vector<int> known;
  const int n = poolLimit > 0 ? std::min(poolLimit, data.train.size()) : data.train.size();
  for (int i = 0; i < n; ++i) (labelled[i] ? known : r.poolIndices).push_back(i);
  Random rng(seed);
  if (!file) {
    r.strategy = QueryStrategy::Random;
    PoolScores s;
    s.indices = r.poolIndices;
    s.probs.resize(1, s.size());
    for (int p : rankPool(QueryStrategy::Random, s, count, Matrix<float>(), rng)) r.queue.push_back(r.poolIndices[p]);
    r.poolIndices.clear();
  } else {
    if (file->model.inputSize != data.train.features() || file->model.classes != data.train.classes)
      throw Error("Labelling", "the model does not fit this data set");
    auto model = instantiateModel(*file);
    r.withModel = true;
    r.epoch = file->training ? file->training->state.epoch : 0;
    PoolScoring how;
    how.negElbo = strategy == QueryStrategy::Anomalous;
    how.cancel = cancel;
    const PoolScores s = scorePool(*model, data.train.x, r.poolIndices, how);
    Matrix<float> knownMu;
    if (strategy == QueryStrategy::Diversity) knownMu = scorePool(*model, data.train.x, known, how).mu;
    for (int p : rankPool(strategy, s, count, knownMu, rng)) r.queue.push_back(r.poolIndices[p]);
    r.predicted.resize(s.size());
    r.confidence.resize(s.size());
    for (int i = 0; i < s.size(); ++i) {
      r.predicted[i] = s.predicted(i);
      r.confidence[i] = s.confidence(i);
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}
