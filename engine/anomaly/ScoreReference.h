#pragma once
// The reference the "surprise" score needs: the -ELBO and the class doubt of normal training points.
//
//   surprise(x) = -log P(-ELBO >= -ELBO(x)) - log P(H >= H(x)),   H(x) = -sum_k q(k|x) log q(k|x)
//
// each P the share of reference points at least as high, counted as (count + 1) / (n + 1). Beyond every
// reference point the count runs out: there the tail goes on as an exponential, -log P = log(n + 1) +
// (v - max) / s, with s the mean excess of the top tenth of the reference over the point below them (the
// peaks-over-threshold estimate with an exponential tail), so that anomalies far beyond the normal points
// still rank above those just beyond; a small reference (a few hundred points) would otherwise tie them all.
// The two tail probabilities are combined as in Fisher's method: each term is the point's surprise, in nats,
// under one of the two distributions.
//
// Why: the -ELBO alone calls a point normal when it is easy to reconstruct (a held-out digit 1, with little
// ink, gets a lower -ELBO than any training digit). A model trained with labels also has a classifier that
// knows the normal classes: a point of none of them leaves q(y|x) in doubt, and its entropy sees what the
// -ELBO misses. The -ELBO itself cannot use that: its KL(q(y|x) || p(y)) term falls as the doubt grows. A
// model without class input has no classifier: its surprise is the -ELBO term alone, which orders points as
// the -ELBO does.
//
// The split per feature (symptoms): the -ELBO's reconstruction part per feature, as the -ELBO score; the latent
// term is the rest of the surprise, so that the map and the latent term still sum to the score.
#include <functional>
#include <vector>

#include "engine/anomaly/AnomalyScore.h"

namespace latentlab {

struct ScoreReference {
  std::vector<float> elbo;   // the reference points' -ELBO, ascending
  std::vector<float> doubt;  // their entropy of q(y|x), ascending; empty for a model without class input

  bool fitted() const { return !elbo.empty(); }
  int size() const { return int(elbo.size()); }

  // From the reference points' -ELBO (n) and q(y|x) (K x n; no rows: a model without class input). Throws Error
  // for no point, a non-finite value, or shapes that differ.
  static ScoreReference fit(const RowVector<float>& elbo, const Matrix<float>& posterior);

  // The surprise of points with this -ELBO (n) and q(y|x) (K x n, or no rows as fitted).
  void surprise(const RowVector<float>& elbo, const Matrix<float>& posterior, RowVector<float>& out) const;
};

// The entropy of each column of q(y|x) (K x n), nats.
RowVector<float> classDoubt(const Matrix<float>& posterior);

// -log of the share of `ascending` at least v, counted as (count + 1) / (n + 1); beyond its last value, the
// exponential tail above.
double tailSurprise(const std::vector<float>& ascending, float v);

// Scores the training columns `columns` of data with the -ELBO of `settings` (its elboSamples and seed) and
// classifies them: the reference of the surprise score. Cancelled: an unfitted reference.
ScoreReference fitScoreReference(SemiSupervisedVae<float>& model, const Matrix<float>& data,
                                 const std::vector<int>& columns, const ScoreSettings& settings,
                                 const std::function<void(int done, int total)>& progress = {},
                                 const CancelFlag* cancel = nullptr);

}  // namespace latentlab
