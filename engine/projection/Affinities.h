#pragma once
// t-SNE's input similarities (van der Maaten 2014): for each sample i a Gaussian over its k nearest
// neighbours, p(j|i) = exp(-beta_i d_ij^2) / sum, with beta_i found by binary search so that the entropy of
// p(.|i) is log(perplexity); then the symmetric joint P_ij = (p(j|i) + p(i|j)) / (2 N), which sums to 1.
// Stored sparse, one row per sample (compressed rows), columns ascending within a row.
#include <vector>

#include "engine/projection/NearestNeighbours.h"

namespace latentlab {

struct SparseAffinities {
  int n = 0;
  std::vector<int> rowStart;  // (n + 1) entries of row i at [rowStart[i], rowStart[i + 1])
  std::vector<int> column;
  std::vector<double> value;

  size_t entries() const { return column.size(); }
};

// The conditional p(j|i) over each sample's neighbours, (n x k) like nn.index. Throws Error unless
// 1 < perplexity <= k.
std::vector<double> conditionalAffinities(const NearestNeighbours& nn, double perplexity);

// Symmetrised joint P from the neighbours, as above.
SparseAffinities jointAffinities(const NearestNeighbours& nn, double perplexity);

}  // namespace latentlab
