#include "engine/anomaly/ScoreReference.h"

#include <algorithm>
#include <cmath>

#include "engine/core/Error.h"

namespace latentlab {

RowVector<float> classDoubt(const Matrix<float>& posterior) {
  RowVector<float> h = RowVector<float>::Zero(posterior.cols());
  for (Eigen::Index j = 0; j < posterior.cols(); ++j)
    for (Eigen::Index k = 0; k < posterior.rows(); ++k) {
      const double q = posterior(k, j);
      if (q > 0) h(j) -= float(q * std::log(q));
    }
  return h;
}

double tailSurprise(const std::vector<float>& ascending, float v) {
  const auto atLeast = ascending.end() - std::lower_bound(ascending.begin(), ascending.end(), v);
  const size_t n = ascending.size();
  const double counted = -std::log(double(atLeast + 1) / double(n + 1));
  if (atLeast > 0 || n < 2) return counted;
  // Beyond every reference point: an exponential tail, its scale the mean excess of the top tenth over the
  // point below them, so that points far beyond are told apart from points just beyond.
  const size_t k = std::clamp<size_t>(n / 10, 1, n - 1);
  const double below = ascending[n - 1 - k];
  double excess = 0;
  for (size_t i = n - k; i < n; ++i) excess += double(ascending[i]) - below;
  const double scale = excess / double(k);
  return scale > 0 ? counted + (double(v) - double(ascending.back())) / scale : counted;
}

ScoreReference ScoreReference::fit(const RowVector<float>& elbo, const Matrix<float>& posterior) {
  if (elbo.size() == 0) throw Error("ScoreReference", "the surprise score needs at least one reference point");
  if (posterior.rows() && posterior.cols() != elbo.size())
    throw Error("ScoreReference", "the -ELBO and the class probabilities differ in count");
  if (!elbo.allFinite() || !posterior.allFinite())
    throw Error("ScoreReference", "a reference point's -ELBO or class probabilities are not finite");
  ScoreReference r;
  r.elbo.assign(elbo.data(), elbo.data() + elbo.size());
  std::sort(r.elbo.begin(), r.elbo.end());
  if (posterior.rows()) {
    const RowVector<float> h = classDoubt(posterior);
    r.doubt.assign(h.data(), h.data() + h.size());
    std::sort(r.doubt.begin(), r.doubt.end());
  }
  return r;
}

void ScoreReference::surprise(const RowVector<float>& e, const Matrix<float>& posterior, RowVector<float>& out) const {
  if (!fitted()) throw Error("ScoreReference", "the reference is not fitted");
  const bool classes = !doubt.empty();
  if (classes != (posterior.rows() > 0) || (classes && posterior.cols() != e.size()))
    throw Error("ScoreReference", "the reference was fitted on a model with" + std::string(classes ? "" : "out") +
                                      " class input");
  const RowVector<float> h = classes ? classDoubt(posterior) : RowVector<float>();
  out.resize(e.size());
  for (Eigen::Index j = 0; j < e.size(); ++j)
    out(j) = float(tailSurprise(elbo, e(j)) + (classes ? tailSurprise(doubt, h(j)) : 0.0));
}

ScoreReference fitScoreReference(SemiSupervisedVae<float>& model, const Matrix<float>& data,
                                 const std::vector<int>& columns, const ScoreSettings& settings,
                                 const std::function<void(int, int)>& progress, const CancelFlag* cancel) {
  ScoreSettings elbo = settings;
  elbo.kind = ScoreKind::NegativeElbo;
  elbo.perFeature = false;
  elbo.reference.reset();
  ScoreBreakdown scores;
  if (scoreColumns(model, data, columns, elbo, scores, progress, cancel) == JobStatus::Cancelled) return {};
  Matrix<float> posterior;
  if (model.config().classInput) {
    posterior.resize(model.config().classes, Eigen::Index(columns.size()));
    Matrix<float> x, probs;
    for (size_t start = 0; start < columns.size(); start += 1000) {
      const size_t m = std::min<size_t>(1000, columns.size() - start);
      x.resize(data.rows(), Eigen::Index(m));
      for (size_t j = 0; j < m; ++j) x.col(Eigen::Index(j)) = data.col(columns[start + j]);
      model.classify(x, probs);
      posterior.middleCols(Eigen::Index(start), Eigen::Index(m)) = probs;
    }
  }
  return ScoreReference::fit(scores.total, posterior);
}

}  // namespace latentlab
