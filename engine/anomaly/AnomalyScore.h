#pragma once
// Anomaly scores of any model (every flavour: only encode and decode are used; both likelihoods), in nats,
// higher = more anomalous (MODEL.md, section 3):
//   reconstruction  rec(x) = E_q(y|x)[ -log p(x | z = mu, y) ]
//   negative ELBO   -ELBO(x) = E_q(y|x) E_q(z|x)[ -log p(x | z, y) ] + KL(q(z|x) || N(0, I)) + KL(q(y|x) || p(y))
//   IWAE            -log p(x) ~ -log (1/S) sum_s p(x | z_s, y_s) p(z_s) p(y_s) / (q(z_s|x) q(y_s|x)),
//                   (z_s, y_s) ~ q(z|x) q(y|x)
// with p(y) uniform over the model's K classes. Each score is the plain bound (beta = 1, whatever beta trained).
//
// How y enters at test time, for a model whose decoder reads the class: the test point's class is unknown (an
// anomaly has none of the model's classes), so the scores take the model's own posterior q(y|x), as the
// marginal objective does for an unlabelled point. -ELBO sums over every class with weight q(y|x): it is the
// unlabelled bound U(x) of the marginal objective (Kingma et al.'s M2) plus log K, the exact ELBO of the
// generative model p(x, y, z) = p(x | z, y) p(y) p(z). Taking only the most likely class would score the
// point as if its class were known and drop the classifier's doubt. The IWAE draws y from q(y|x) together with
// z, so that its proposal is the same q(z, y | x) as the ELBO's: with S = 1 it is the ELBO in expectation, it
// rises with S towards log p(x), and it costs S decodes per point (summing over y inside each weight would be
// K times that). A model without class input (ModelConfig::classInput false) has no y: the KL(q(y|x)) term
// and the draws of y are absent.
//
// The split per feature (the symptoms): each score = sum over features of a reconstruction part + one latent
// term that is not split.
//   reconstruction  per feature: E_q(y|x)[ -log p(x_i | mu, y) ]; latent term 0
//   -ELBO           per feature: the same expectation (at z = mu, or averaged over the z samples); latent
//                   term: KL(q(z|x) || p(z)) + KL(q(y|x) || p(y))
//   IWAE            per feature: sum_s wn_s (-log p(x_i | z_s, y_s)) with the self-normalised importance weights
//                   wn_s = w_s / sum_t w_t; latent term: the rest, which is
//                   sum_s wn_s log(q(z_s, y_s | x) / p(z_s, y_s)) - (H(wn) - log S)
// so perFeature.col(j).sum() + latent(j) == total(j) for every score (up to float rounding).
// Per-feature terms: Bernoulli softplus(l_i) - x_i l_i from the decoder's logits; Gaussian
// (x_i - m_i)^2 / (2 var) + log(2 pi var) / 2.
//
// Random draws: point j (its column in the data set, given as its id) draws from its own generator seeded by
// (seed, id), so that its score does not depend on the chunking or on the other points. Order: per sample s,
// d normals for eps (z = mu + exp(logvar / 2) eps), then (IWAE, with class input) one uniform that picks y by
// q(y|x)'s cumulative sum in class order.
//
// surprise (ScoreReference.h): how unusual the point's -ELBO and its class doubt (the entropy of q(y|x)) are among
// normal training points, -log of each tail probability, summed; it needs the reference fitted on those points
// (ScoreSettings::reference). Its map is the -ELBO's reconstruction part, its latent term the rest.
//
// Shapes: x (D x n), one point per column; total, latent (n); perFeature (D x n).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/Cancellation.h"
#include "engine/core/Random.h"
#include "engine/core/Types.h"
#include "engine/model/SemiSupervisedVae.h"

namespace latentlab {

enum class ScoreKind { Reconstruction, NegativeElbo, Iwae, Surprise };

struct ScoreReference;

std::string toString(ScoreKind k);  // "recon", "elbo", "iwae", "surprise"
ScoreKind scoreKindFromString(const std::string& s);
std::string describe(ScoreKind k, int samples);  // for people: "reconstruction", "−ELBO", "IWAE S=50", "surprise"

struct ScoreSettings {
  ScoreKind kind = ScoreKind::NegativeElbo;
  int samples = 50;         // IWAE: importance samples S, at least 1
  int elboSamples = 0;      // -ELBO: z samples for the reconstruction's expectation; 0: z at the posterior mean
  uint64_t seed = 1;        // the draws (see above)
  bool perFeature = false;  // keep the split per feature (D x n floats)
  std::shared_ptr<const ScoreReference> reference;  // surprise: fitted on training points (fitScoreReference)

  // Throws Error("AnomalyScore", ...) for S < 1, negative ELBO samples, or surprise without a reference.
  void validate() const;
  // Decoded columns per point: K (reconstruction, -ELBO at the mean) or K L (-ELBO, surprise) with class input,
  // S (IWAE).
  int decodesPerPoint(const ModelConfig& model) const;
};

struct ScoreBreakdown {
  RowVector<float> total;    // (n) the score
  RowVector<float> latent;   // (n) the part not split per feature
  Matrix<float> perFeature;  // (D x n) the reconstruction part per feature; empty unless asked for

  int size() const { return int(total.size()); }
};

// The generator of point `id`'s draws.
Random pointRandom(uint64_t seed, long id);

// Scores the columns of x, all at once (a chunk); ids[j] is column j's id for its draws (empty: firstId + j).
void scoreChunk(SemiSupervisedVae<float>& model, const Matrix<float>& x, const ScoreSettings& settings,
                const std::vector<long>& ids, ScoreBreakdown& out);

// Scores the columns `columns` of data (D x N) in chunks of about 2,000 decoded columns, each point's id its
// column. out has one entry per requested column, in that order. Progress (points done, total) after each
// chunk; a cancel between chunks returns Cancelled with the chunks done filled in. Throws Error for a column
// outside data or a model that reads another input size.
JobStatus scoreColumns(SemiSupervisedVae<float>& model, const Matrix<float>& data, const std::vector<int>& columns,
                       const ScoreSettings& settings, ScoreBreakdown& out,
                       const std::function<void(int done, int total)>& progress = {},
                       const CancelFlag* cancel = nullptr);

// Per-feature reconstruction NLL of targets (D x m) under the decoder's raw output (D x m): Bernoulli logits or
// Gaussian means (likelihood and variance of the model).
void featureNll(const ModelConfig& model, const Matrix<float>& output, const Matrix<float>& targets,
                Matrix<float>& nll);

}  // namespace latentlab
