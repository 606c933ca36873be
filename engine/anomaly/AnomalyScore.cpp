#include "engine/anomaly/AnomalyScore.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/anomaly/ScoreReference.h"
#include "engine/core/Error.h"
#include "engine/losses/Softmax.h"

namespace latentlab {

std::string toString(ScoreKind k) {
  switch (k) {
    case ScoreKind::Reconstruction:
      return "recon";
    case ScoreKind::NegativeElbo:
      return "elbo";
    case ScoreKind::Iwae:
      return "iwae";
    case ScoreKind::Surprise:
      return "surprise";
  }
  return "?";
}

ScoreKind scoreKindFromString(const std::string& s) {
  if (s == "recon") return ScoreKind::Reconstruction;
  if (s == "elbo") return ScoreKind::NegativeElbo;
  if (s == "iwae") return ScoreKind::Iwae;
  if (s == "surprise") return ScoreKind::Surprise;
  throw Error("AnomalyScore", "unknown score '" + s + "' (recon, elbo, iwae, surprise)");
}

std::string describe(ScoreKind k, int samples) {
  switch (k) {
    case ScoreKind::Reconstruction:
      return "reconstruction";
    case ScoreKind::NegativeElbo:
      return "-ELBO";
    case ScoreKind::Iwae:
      return "IWAE S=" + std::to_string(samples);
    case ScoreKind::Surprise:
      return "surprise (-ELBO, class doubt)";
  }
  return "?";
}

void ScoreSettings::validate() const {
  if (kind == ScoreKind::Iwae && samples < 1)
    throw Error("AnomalyScore", "the IWAE needs at least one sample (S = " + std::to_string(samples) + ")");
  if (elboSamples < 0) throw Error("AnomalyScore", "the ELBO's z samples cannot be negative");
  if (kind == ScoreKind::Surprise && !(reference && reference->fitted()))
    throw Error("AnomalyScore", "the surprise score needs the reference of normal training points (fitScoreReference)");
}

int ScoreSettings::decodesPerPoint(const ModelConfig& model) const {
  const int K = model.classInput ? model.classes : 1;
  switch (kind) {
    case ScoreKind::Reconstruction:
      return K;
    case ScoreKind::NegativeElbo:
    case ScoreKind::Surprise:
      return K * std::max(1, elboSamples);
    case ScoreKind::Iwae:
      return samples;
  }
  return 1;
}

Random pointRandom(uint64_t seed, long id) {
  return Random(seed * 0x9E3779B97F4A7C15ull + uint64_t(id) * 0xD1B54A32D192ED03ull + 1);
}

void featureNll(const ModelConfig& model, const Matrix<float>& output, const Matrix<float>& targets,
                Matrix<float>& nll) {
  if (output.rows() != targets.rows() || output.cols() != targets.cols())
    throw Error("AnomalyScore", "decoder output and targets differ in shape");
  if (model.likelihood == Likelihood::Bernoulli) {
    // softplus(l) - x l = max(l, 0) + log(1 + exp(-|l|)) - x l
    nll =
        (output.array().max(0.0f) + (-output.array().abs()).exp().log1p() - targets.array() * output.array()).matrix();
  } else {
    const float var = float(model.gaussianVariance);
    const float constant = 0.5f * std::log(2.0f * std::numbers::pi_v<float> * var);
    nll = ((targets - output).array().square() / (2.0f * var) + constant).matrix();
  }
}

namespace {

// Columns of x repeated: column j * copies + r of the result is x.col(j).
Matrix<float> repeatColumns(const Matrix<float>& x, int copies) {
  Matrix<float> r(x.rows(), x.cols() * copies);
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (int c = 0; c < copies; ++c) r.col(j * copies + c) = x.col(j);
  return r;
}

// Draws a class from probabilities q (K) with the uniform u: the first class whose cumulative sum exceeds u.
int drawClass(const Eigen::Ref<const Vector<float>>& q, double u) {
  double cumulative = 0;
  int last = 0;
  for (int k = 0; k < int(q.size()); ++k) {
    if (q(k) <= 0) continue;
    last = k;
    cumulative += q(k);
    if (u < cumulative) return k;
  }
  return last;  // rounding left u above the total
}

// Reconstruction part, expected under q(y|x), of z columns: zs (d x n Z), Z z samples per point, each decoded
// with every class (or once without class input). rec (n) and, if wanted, perFeature (D x n) are averages
// over the Z samples.
void expectedReconstruction(SemiSupervisedVae<float>& model, const Matrix<float>& x, const Matrix<float>& zs, int Z,
                            const Matrix<float>& probs, RowVector<float>& rec, Matrix<float>* perFeature) {
  const ModelConfig& c = model.config();
  const int n = int(x.cols()), D = int(x.rows()), K = c.classes;
  const int classes = c.classInput ? K : 1;
  const int per = Z * classes;  // decoded columns per point: sample-major, class-minor
  Matrix<float> z(c.latent, n * per), y = Matrix<float>::Zero(K, n * per);
  for (int j = 0; j < n; ++j)
    for (int s = 0; s < Z; ++s)
      for (int k = 0; k < classes; ++k) {
        const int col = j * per + s * classes + k;
        z.col(col) = zs.col(j * Z + s);
        if (c.classInput) y(k, col) = 1;
      }
  Matrix<float> out, nll;
  model.decodeOutput(z, y, out);
  featureNll(c, out, repeatColumns(x, per), nll);
  // Weight of each decoded column: q(k|x) / Z.
  RowVector<float> w(n * per);
  for (int j = 0; j < n; ++j)
    for (int s = 0; s < Z; ++s)
      for (int k = 0; k < classes; ++k) w(j * per + s * classes + k) = (c.classInput ? probs(k, j) : 1.0f) / float(Z);
  rec.resize(n);
  if (perFeature) perFeature->setZero(D, n);
  for (int j = 0; j < n; ++j) {
    double r = 0;
    for (int i = 0; i < per; ++i) {
      const int col = j * per + i;
      r += double(w(col)) * nll.col(col).sum();
      if (perFeature) perFeature->col(j) += w(col) * nll.col(col);
    }
    rec(j) = float(r);
  }
}

}  // namespace

void scoreChunk(SemiSupervisedVae<float>& model, const Matrix<float>& x, const ScoreSettings& settings,
                const std::vector<long>& ids, ScoreBreakdown& out) {
  settings.validate();
  const ModelConfig& c = model.config();
  if (x.rows() != c.inputSize)
    throw Error("AnomalyScore", "the model reads " + std::to_string(c.inputSize) + " features, the data has " +
                                    std::to_string(x.rows()));
  const int n = int(x.cols()), d = c.latent, K = c.classes;
  auto idOf = [&](int j) { return ids.empty() ? long(j) : ids[size_t(j)]; };
  Matrix<float> mu, logvar, probs, logq;
  model.encode(x, mu, logvar, &probs);
  logSoftmax(model.logits(), logq);
  out.total.resize(n);
  out.latent.resize(n);
  Matrix<float>* perFeature = settings.perFeature ? &out.perFeature : nullptr;
  if (!perFeature) out.perFeature.resize(0, 0);

  // KL(q(z|x) || N(0, I)) and KL(q(y|x) || uniform) per point.
  RowVector<float> klZ = 0.5f * (logvar.array().exp() + mu.array().square() - 1.0f - logvar.array()).colwise().sum();
  RowVector<float> klY = RowVector<float>::Zero(n);
  if (c.classInput) klY = (probs.array() * (logq.array() + std::log(float(K)))).colwise().sum().matrix();

  if (settings.kind != ScoreKind::Iwae) {
    const bool sampled = settings.kind != ScoreKind::Reconstruction && settings.elboSamples > 0;
    const int Z = sampled ? settings.elboSamples : 1;
    Matrix<float> zs(d, n * Z);
    if (!sampled) {
      zs = mu;
    } else {
      const Matrix<float> sigma = (0.5f * logvar.array()).exp().matrix();
      for (int j = 0; j < n; ++j) {
        Random rng = pointRandom(settings.seed, idOf(j));
        for (int s = 0; s < Z; ++s)
          for (int i = 0; i < d; ++i) zs(i, j * Z + s) = mu(i, j) + sigma(i, j) * float(rng.normal());
      }
    }
    RowVector<float> rec;
    expectedReconstruction(model, x, zs, Z, probs, rec, perFeature);
    if (settings.kind == ScoreKind::Reconstruction) {
      out.total = rec;
      out.latent.setZero();
    } else {
      out.latent = klZ + klY;
      out.total = rec + out.latent;
    }
    if (settings.kind == ScoreKind::Surprise) {
      // The map stays the -ELBO's reconstruction part; the latent term takes the rest.
      RowVector<float> surprise;
      settings.reference->surprise(out.total, c.classInput ? probs : Matrix<float>(), surprise);
      out.latent = surprise - rec;
      out.total = surprise;
    }
    return;
  }

  // IWAE: S joint draws (z_s, y_s) per point, decoded in one product.
  const int S = settings.samples, m = n * S;
  Matrix<float> z(d, m), y = Matrix<float>::Zero(K, m);
  std::vector<double> logPrior(size_t(m), 0.0);  // log p(z_s) p(y_s) - log q(z_s, y_s | x), constants cancelled
  for (int j = 0; j < n; ++j) {
    Random rng = pointRandom(settings.seed, idOf(j));
    for (int s = 0; s < S; ++s) {
      const int col = j * S + s;
      double lw = 0;
      for (int i = 0; i < d; ++i) {
        const double e = rng.normal(), lv = logvar(i, j);
        const double zi = double(mu(i, j)) + std::exp(0.5 * lv) * e;
        z(i, col) = float(zi);
        // log N(z; 0, I) - log N(z; mu, sigma^2) = -z^2 / 2 + eps^2 / 2 + logvar / 2 per dimension
        lw += -0.5 * zi * zi + 0.5 * e * e + 0.5 * lv;
      }
      if (c.classInput) {
        const int k = drawClass(probs.col(j), rng.uniform());
        y(k, col) = 1;
        lw += -std::log(double(K)) - double(logq(k, j));  // log p(y) - log q(y|x)
      }
      logPrior[size_t(col)] = lw;
    }
  }
  Matrix<float> decoded, nll;
  model.decodeOutput(z, y, decoded);
  featureNll(c, decoded, repeatColumns(x, S), nll);
  const RowVector<float> rec = nll.colwise().sum();
  if (perFeature) perFeature->setZero(x.rows(), n);
  std::vector<double> logw(static_cast<size_t>(S));
  for (int j = 0; j < n; ++j) {
    double top = -INFINITY;
    for (int s = 0; s < S; ++s) {
      logw[size_t(s)] = -double(rec(j * S + s)) + logPrior[size_t(j * S + s)];
      top = std::max(top, logw[size_t(s)]);
    }
    double sum = 0;
    for (int s = 0; s < S; ++s) sum += std::exp(logw[size_t(s)] - top);
    const double logMean = top + std::log(sum) - std::log(double(S));
    double weightedRec = 0;
    for (int s = 0; s < S; ++s) {
      const double wn = std::exp(logw[size_t(s)] - top) / sum;  // self-normalised weight
      weightedRec += wn * double(rec(j * S + s));
      if (perFeature) perFeature->col(j) += float(wn) * nll.col(j * S + s);
    }
    out.total(j) = float(-logMean);
    out.latent(j) = float(-logMean - weightedRec);
  }
}

JobStatus scoreColumns(SemiSupervisedVae<float>& model, const Matrix<float>& data, const std::vector<int>& columns,
                       const ScoreSettings& settings, ScoreBreakdown& out,
                       const std::function<void(int, int)>& progress, const CancelFlag* cancel) {
  settings.validate();
  const ModelConfig& c = model.config();
  if (data.rows() != c.inputSize)
    throw Error("AnomalyScore", "the model reads " + std::to_string(c.inputSize) + " features, the data has " +
                                    std::to_string(data.rows()));
  for (int i : columns)
    if (i < 0 || i >= data.cols())
      throw Error("AnomalyScore",
                  "sample " + std::to_string(i) + " is outside the data (" + std::to_string(data.cols()) + " samples)");
  const int n = int(columns.size());
  const int step = std::max(1, 2048 / std::max(1, settings.decodesPerPoint(c)));
  out.total.setZero(n);
  out.latent.setZero(n);
  if (settings.perFeature)
    out.perFeature.setZero(data.rows(), n);
  else
    out.perFeature.resize(0, 0);
  Matrix<float> x;
  std::vector<long> ids;
  ScoreBreakdown part;
  for (int start = 0; start < n; start += step) {
    if (cancelRequested(cancel)) return JobStatus::Cancelled;
    const int m = std::min(step, n - start);
    x.resize(data.rows(), m);
    ids.resize(size_t(m));
    for (int j = 0; j < m; ++j) {
      x.col(j) = data.col(columns[size_t(start + j)]);
      ids[size_t(j)] = columns[size_t(start + j)];
    }
    scoreChunk(model, x, settings, ids, part);
    out.total.segment(start, m) = part.total;
    out.latent.segment(start, m) = part.latent;
    if (settings.perFeature) out.perFeature.middleCols(start, m) = part.perFeature;
    if (progress) progress(start + m, n);
  }
  return JobStatus::Finished;
}

}  // namespace latentlab
