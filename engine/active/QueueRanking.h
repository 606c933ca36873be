#pragma once
// The labelling queue as a job: scores the unlabelled part of the training set with the caller's model, then
// orders it with a query strategy, most worth labelling first. Keeps every scored sample's prediction and its
// probability, for "accept confident predictions". Without a model: a random order, without predictions.
// Progress and cancel as every engine job (engine/core/Cancellation.h).
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/active/QueryStrategy.h"
#include "engine/core/Cancellation.h"
#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

struct QueueRankingRequest {
  QueryStrategy strategy = QueryStrategy::Entropy;
  std::vector<char> labelled;  // one flag per training sample: labelled samples are not ranked
  int count = 120;             // the queue's length
  uint64_t seed = 1;           // the Random strategy's draw
  int poolLimit = 0;           // > 0: only the first poolLimit training samples (a run on a subset)
};

struct QueueRanking {
  JobStatus status = JobStatus::Finished;           // Cancelled: nothing else is filled in
  QueryStrategy strategy = QueryStrategy::Entropy;  // the strategy used (Random without a model)
  bool withModel = false;                           // false: no model yet, random order without predictions
  std::vector<int> queue;                           // training-set indices, most worth labelling first
  std::vector<int> poolIndices;                     // every unlabelled sample when ranked, ascending...
  std::vector<int> predicted;                       // ...its predicted class
  std::vector<float> confidence;                    // ...and the probability of it
  double seconds = 0;
};

class QueueRankingJob {
 public:
  // model: the caller's (null: none yet), used by nothing else while run() runs; data outlives run().
  QueueRankingJob(SemiSupervisedVae<float>* model, const DataSplit& data, QueueRankingRequest request)
      : model_(model), data_(data), request_(std::move(request)) {}

  // Samples scored so far: the pool, then (Diversity) the labelled samples whose latent means are the centres.
  std::function<void(int done, int total)> onProgress;

  // Throws Error when the model does not fit the data (features or classes) or the flags do not cover the pool.
  QueueRanking run(const CancelFlag* cancel = nullptr);

 private:
  SemiSupervisedVae<float>* model_;
  const DataSplit& data_;
  QueueRankingRequest request_;
};

}  // namespace latentlab
