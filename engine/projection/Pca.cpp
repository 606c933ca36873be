#include "engine/projection/Pca.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "engine/core/Error.h"

namespace latentlab {

namespace {

// The same data must give the same picture: an eigenvector's sign is arbitrary, so make its largest
// coefficient positive.
void fixSign(Eigen::Ref<Vector<float>> v) {
  Eigen::Index arg = 0;
  v.cwiseAbs().maxCoeff(&arg);
  if (v(arg) < 0) v = -v;
}

}  // namespace

PcaResult computePca(const Matrix<float>& x, int k) {
  const int D = int(x.rows()), N = int(x.cols());
  if (N < 2) throw Error("Pca", "needs at least two samples, got " + std::to_string(N));
  if (k < 1 || k > std::min(D, N))
    throw Error("Pca", "cannot reduce " + std::to_string(D) + " dimensions of " + std::to_string(N) + " samples to " +
                           std::to_string(k));

  PcaResult r;
  r.mean = x.rowwise().mean();
  const Matrix<float> xc = x.colwise() - r.mean;  // (D x N)
  const double norm = 1.0 / double(N - 1);
  r.totalVariance = double(xc.squaredNorm()) * norm;
  r.components.resize(D, k);
  r.explainedVariance.resize(k);

  if (D <= N) {
    // Covariance (D x D): one rank-N update in float, the eigensolver in double.
    Matrix<float> cov = Matrix<float>::Zero(D, D);
    cov.selfadjointView<Eigen::Lower>().rankUpdate(xc);
    const Matrix<double> c = cov.cast<double>().selfadjointView<Eigen::Lower>();
    Eigen::SelfAdjointEigenSolver<Matrix<double>> eig(c);
    // Eigenvalues come in increasing order: the last k, largest first.
    for (int i = 0; i < k; ++i) {
      r.components.col(i) = eig.eigenvectors().col(D - 1 - i).cast<float>();
      r.explainedVariance(i) = std::max(0.0, eig.eigenvalues()(D - 1 - i)) * norm;
    }
  } else {
    // More dimensions than samples: the Gram matrix (N x N) has the same non-zero spectrum, and an
    // eigenvector v of xc^T xc gives the principal axis xc v / |xc v|.
    Matrix<float> gram = Matrix<float>::Zero(N, N);
    gram.selfadjointView<Eigen::Lower>().rankUpdate(xc.transpose());
    const Matrix<double> g = gram.cast<double>().selfadjointView<Eigen::Lower>();
    Eigen::SelfAdjointEigenSolver<Matrix<double>> eig(g);
    for (int i = 0; i < k; ++i) {
      const Vector<float> v = eig.eigenvectors().col(N - 1 - i).cast<float>();
      Vector<float> u = xc * v;
      const float len = u.norm();
      if (len > 0) u /= len;  // a zero-variance direction stays zero: there is no axis to show
      r.components.col(i) = u;
      r.explainedVariance(i) = std::max(0.0, eig.eigenvalues()(N - 1 - i)) * norm;
    }
  }
  for (int i = 0; i < k; ++i) fixSign(r.components.col(i));
  r.explainedVarianceRatio =
      r.totalVariance > 0 ? Vector<double>(r.explainedVariance / r.totalVariance) : Vector<double>::Zero(k);
  r.projection = r.components.transpose() * xc;
  return r;
}

std::vector<int> alignPca(PcaResult& result, const Matrix<float>& previous) {
  const int k = result.dimensions(), kp = int(previous.cols());
  if (previous.rows() != result.components.rows())
    throw Error("Pca", "cannot align components of " + std::to_string(result.components.rows()) +
                           " dimensions with previous ones of " + std::to_string(previous.rows()));
  // cosines(p, j): previous component p against new component j (both unit vectors).
  const Matrix<double> cosines = (previous.transpose() * result.components).cast<double>();
  const int paired = std::min(k, kp);
  auto score = [&](const std::vector<int>& perm) {
    double s = 0;
    for (int p = 0; p < paired; ++p) s += std::abs(cosines(p, perm[p]));
    return s;
  };

  std::vector<int> perm(k);
  std::iota(perm.begin(), perm.end(), 0);
  if (k <= 8) {
    // At most 8! = 40320 orders: try them all. Ties keep the lexicographically first, so unpaired
    // components stay in their order.
    std::vector<int> candidate = perm;
    double best = score(perm);
    while (std::next_permutation(candidate.begin(), candidate.end())) {
      const double s = score(candidate);
      if (s > best + 1e-12) {
        best = s;
        perm = candidate;
      }
    }
  } else {
    // Greedy: the strongest remaining |cos| first.
    std::vector<bool> usedNew(k, false), usedOld(paired, false);
    std::vector<int> assigned(k, -1);
    for (int round = 0; round < paired; ++round) {
      int bp = -1, bj = -1;
      double bv = -1;
      for (int p = 0; p < paired; ++p)
        for (int j = 0; j < k; ++j)
          if (!usedOld[p] && !usedNew[j] && std::abs(cosines(p, j)) > bv) {
            bv = std::abs(cosines(p, j));
            bp = p;
            bj = j;
          }
      usedOld[bp] = usedNew[bj] = true;
      assigned[bp] = bj;
    }
    int next = 0;
    for (int p = 0; p < k; ++p) {
      if (assigned[p] >= 0) continue;
      while (usedNew[next]) ++next;
      assigned[p] = next;
      usedNew[next] = true;
    }
    perm = assigned;
  }

  PcaResult aligned = result;
  for (int p = 0; p < k; ++p) {
    const int j = perm[p];
    const float sign = p < paired && cosines(p, j) < 0 ? -1.0f : 1.0f;
    aligned.components.col(p) = sign * result.components.col(j);
    aligned.projection.row(p) = sign * result.projection.row(j);
    aligned.explainedVariance(p) = result.explainedVariance(j);
    aligned.explainedVarianceRatio(p) = result.explainedVarianceRatio(j);
  }
  result = std::move(aligned);
  return perm;
}

Matrix<float> projectPca(const PcaResult& pca, const Matrix<float>& x) {
  if (x.rows() != pca.mean.size())
    throw Error("Pca",
                "samples have " + std::to_string(x.rows()) + " dimensions, the PCA " + std::to_string(pca.mean.size()));
  return pca.components.transpose() * (x.colwise() - pca.mean);
}

}  // namespace latentlab
