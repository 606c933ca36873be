#pragma once
// Classification accuracy of argmax q(y|x) on a data set, in chunks. A set cancel flag ends it between
// chunks (returning NaN), so stopping a run never waits for a whole evaluation; unlabelled data has no
// accuracy (NaN) and an empty confusion matrix. The confusion matrix says which classes the errors are between.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

// Calls f(sample, predicted class) for every sample, classifying in chunks. Returns false when the cancel
// flag stopped it between chunks.
template <typename T, typename F>
bool forEachPrediction(SemiSupervisedVae<T>& model, const Dataset& data, int chunk, const std::atomic<bool>* cancel,
                       F&& f) {
  Matrix<T> x, probs;
  for (int start = 0; start < data.size(); start += chunk) {
    if (cancel && cancel->load(std::memory_order_acquire)) return false;
    const int n = std::min(chunk, data.size() - start);
    x = data.x.middleCols(start, n).template cast<T>();
    model.classify(x, probs);
    for (int i = 0; i < n; ++i) {
      Eigen::Index arg;
      probs.col(i).maxCoeff(&arg);
      f(start + i, int(arg));
    }
  }
  return true;
}

template <typename T>
double accuracy(SemiSupervisedVae<T>& model, const Dataset& data, int chunk = 1000,
                const std::atomic<bool>* cancel = nullptr) {
  if (data.size() == 0) return 0;
  if (!data.hasLabels()) return std::nan("");  // unlabelled test samples: no accuracy to report
  long correct = 0;
  if (!forEachPrediction(model, data, chunk, cancel, [&](int i, int k) { correct += k == data.labels[i]; }))
    return std::nan("");
  return double(correct) / data.size();
}

// Mean -log q(y_true|x) over a labelled data set (nats): the log loss that accuracy cannot see (a confident
// mistake costs more than a hesitant one). Probabilities below 1e-12 count as 1e-12, so one certain mistake is
// finite. NaN for unlabelled data or a cancelled evaluation.
template <typename T>
double logLoss(SemiSupervisedVae<T>& model, const Dataset& data, int chunk = 1000,
               const std::atomic<bool>* cancel = nullptr) {
  if (data.size() == 0 || !data.hasLabels()) return std::nan("");
  Matrix<T> x, probs;
  double sum = 0;
  for (int start = 0; start < data.size(); start += chunk) {
    if (cancel && cancel->load(std::memory_order_acquire)) return std::nan("");
    const int n = std::min(chunk, data.size() - start);
    x = data.x.middleCols(start, n).template cast<T>();
    model.classify(x, probs);
    for (int i = 0; i < n; ++i) {
      const int y = data.labels[size_t(start + i)];
      const double p = y >= 0 && y < probs.rows() ? double(probs(y, i)) : 0.0;
      sum -= std::log(std::max(p, 1e-12));
    }
  }
  return sum / data.size();
}

// counts(t, p): samples of true class t predicted as p; (classes x classes). The trace over the total is the
// accuracy.
template <typename T>
Eigen::MatrixXi confusionMatrix(SemiSupervisedVae<T>& model, const Dataset& data, int chunk = 1000) {
  const int K = model.config().classes;
  Eigen::MatrixXi counts = Eigen::MatrixXi::Zero(K, K);
  if (!data.hasLabels()) return counts;
  forEachPrediction(model, data, chunk, nullptr, [&](int i, int k) {
    const int truth = data.labels[size_t(i)];
    if (truth >= 0 && truth < K) ++counts(truth, k);
  });
  return counts;
}

}  // namespace latentlab
