#pragma once
// Ranks the unlabelled samples for the labelling queue, off the GUI thread: scores the pool with a private
// copy of the model, then orders it with the chosen strategy. Also keeps every sample's prediction, for
// "accept confident predictions".
#include <atomic>
#include <memory>
#include <vector>

#include "engine/active/QueryStrategy.h"
#include "engine/data/Dataset.h"
#include "engine/io/ModelFile.h"

struct QueueRanking {
  latentlab::QueryStrategy strategy = latentlab::QueryStrategy::Entropy;
  int epoch = 0;                 // the model's epoch when ranked (0: none or untrained)
  bool withModel = false;        // false: no model yet, random order without predictions
  std::vector<int> queue;        // data set indices, most worth labelling first
  std::vector<int> poolIndices;  // every unlabelled sample when ranked...
  std::vector<int> predicted;    // ...its predicted class
  std::vector<float> confidence; // ...and the probability of it
  double seconds = 0;
};

// labelled: one flag per training sample. poolLimit > 0: only the first poolLimit samples (a run on a subset). Throws latentlab::Error (bad model) or latentlab::Cancelled.
QueueRanking rankQueue(const latentlab::ModelFile* model, const latentlab::DataSplit& data,
                       const std::vector<char>& labelled, latentlab::QueryStrategy strategy, int count,
                       uint64_t seed, const std::atomic<bool>* cancel, int poolLimit = 0);
