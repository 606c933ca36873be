#pragma once
// How the labelling queue ranks unlabelled samples: most useful to label first.
#include <string>
#include <vector>

namespace latentlab {

enum class QueryStrategy {
  Entropy,          // highest entropy of q(y|x)
  Margin,           // smallest gap between the two most probable classes
  LeastConfidence,  // lowest top probability
  Random,
  Diversity,        // k-center greedy on the latent means: farthest from everything labelled or chosen
  Anomalous,        // highest negative ELBO: what the model explains worst
};

std::string toString(QueryStrategy s);
QueryStrategy queryStrategyFromString(const std::string& s);  // throws Error with the valid names
const std::vector<QueryStrategy>& allQueryStrategies();
// A short sentence for tooltips and help.
std::string describe(QueryStrategy s);

}  // namespace latentlab
