#include "engine/active/QueueRanking.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "engine/active/PoolScores.h"
#include "engine/active/Ranking.h"
#include "engine/core/Error.h"

namespace latentlab {

namespace {

QueueRanking cancelled() {
  QueueRanking r;
  r.status = JobStatus::Cancelled;
  return r;
}

}  // namespace

QueueRanking QueueRankingJob::run(const CancelFlag* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  const QueueRankingRequest& q = request_;
  const int n = q.poolLimit > 0 ? std::min(q.poolLimit, data_.train.size()) : data_.train.size();
  if (int(q.labelled.size()) < n)
    throw Error("QueueRanking", "one labelled flag per training sample is needed (" + std::to_string(n) + "), got " +
                                    std::to_string(q.labelled.size()));
  QueueRanking r;
  r.strategy = q.strategy;
  std::vector<int> known;
  for (int i = 0; i < n; ++i) (q.labelled[size_t(i)] ? known : r.poolIndices).push_back(i);
  Random rng(q.seed);
  if (!model_) {
    r.strategy = QueryStrategy::Random;
    PoolScores s;
    s.indices = r.poolIndices;
    s.probs.resize(1, s.size());
    for (int p : rankPool(QueryStrategy::Random, s, q.count, Matrix<float>(), rng)) r.queue.push_back(r.poolIndices[p]);
    r.poolIndices.clear();
  } else {
    const ModelConfig& config = model_->config();
    if (config.inputSize != data_.train.features() || config.classes != data_.train.classes)
      throw Error("QueueRanking", "the model does not fit this data set");
    r.withModel = true;
    const bool diversity = q.strategy == QueryStrategy::Diversity;
    const int total = int(r.poolIndices.size() + (diversity ? known.size() : 0));
    auto score = [&](const std::vector<int>& indices, int before) {
      PoolScoringRequest request;
      request.indices = indices;
      request.negElbo = q.strategy == QueryStrategy::Anomalous;
      PoolScoringJob job(*model_, data_.train.x, std::move(request));
      if (onProgress) job.onProgress = [this, before, total](int done, int) { onProgress(before + done, total); };
      return job.run(cancel);
    };
    const PoolScores s = score(r.poolIndices, 0);
    Matrix<float> knownMu;
    if (s.status == JobStatus::Finished && diversity) {
      PoolScores centres = score(known, s.size());
      if (centres.status == JobStatus::Cancelled) return cancelled();
      knownMu = std::move(centres.mu);
    }
    if (s.status == JobStatus::Cancelled) return cancelled();
    for (int p : rankPool(q.strategy, s, q.count, knownMu, rng)) r.queue.push_back(r.poolIndices[p]);
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

}  // namespace latentlab
