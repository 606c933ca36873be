#include "engine/active/QueryStrategy.h"

#include "engine/core/Error.h"

namespace latentlab {

std::string toString(QueryStrategy s) {
  switch (s) {
    case QueryStrategy::Entropy: return "entropy";
    case QueryStrategy::Margin: return "margin";
    case QueryStrategy::LeastConfidence: return "least-confidence";
    case QueryStrategy::Random: return "random";
    case QueryStrategy::Diversity: return "diversity";
    case QueryStrategy::Anomalous: return "anomalous";
  }
  return "?";
}

const std::vector<QueryStrategy>& allQueryStrategies() {
  static const std::vector<QueryStrategy> all{QueryStrategy::Entropy,   QueryStrategy::Margin,
                                              QueryStrategy::LeastConfidence, QueryStrategy::Random,
                                              QueryStrategy::Diversity, QueryStrategy::Anomalous};
  return all;
}

QueryStrategy queryStrategyFromString(const std::string& s) {
  std::string names;
  for (QueryStrategy q : allQueryStrategies()) {
    if (toString(q) == s) return q;
    names += (names.empty() ? "" : ", ") + toString(q);
  }
  throw Error("QueryStrategy", "unknown strategy '" + s + "' (" + names + ")");
}

std::string describe(QueryStrategy s) {
  switch (s) {
    case QueryStrategy::Entropy: return "highest entropy of the predicted class distribution";
    case QueryStrategy::Margin: return "smallest gap between the two most likely classes";
    case QueryStrategy::LeastConfidence: return "lowest probability of the predicted class";
    case QueryStrategy::Random: return "uniformly at random";
    case QueryStrategy::Diversity: return "farthest in latent space from everything labelled (k-center greedy)";
    case QueryStrategy::Anomalous: return "worst explained by the model (highest negative ELBO)";
  }
  return "";
}

}  // namespace latentlab
