#pragma once
// Orders a scored pool for labelling, most useful first.
#include <vector>

#include "engine/active/PoolScores.h"
#include "engine/active/QueryStrategy.h"
#include "engine/core/Random.h"

namespace latentlab {

// Higher is more worth labelling, for the strategies that score samples one by one (not Random, Diversity).
float queryScore(QueryStrategy strategy, const PoolScores& scores, int i);

// Positions in scores (0..n-1), best first, at most count of them. labelledMu (latent x m, may be empty) holds
// the latent means of the labelled samples, the starting centres for Diversity; rng serves Random.
std::vector<int> rankPool(QueryStrategy strategy, const PoolScores& scores, int count,
                          const Matrix<float>& labelledMu, Random& rng);

// k-center greedy (Sener & Savarese 2018): repeatedly takes the point farthest from its nearest centre,
// which then becomes a centre. Returns positions in points, in the order taken.
std::vector<int> kCenterGreedy(const Matrix<float>& points, const Matrix<float>& centres, int count);

}  // namespace latentlab
