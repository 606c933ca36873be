#pragma once
// The directions the style sliders move along. A slider vector s (m) maps to
//   z = mean + sum_i s_i sd_i dir_i,
// so s_i = +/-1 is one standard deviation along direction i and the sliders span about +/-kSliderRange.
// Two bases:
//   axis-aligned: the latent dimensions themselves, mean 0 and sd 1, because the prior is N(0, I);
//   principal:    the principal directions of the posterior means mu over a set of images (PCA of their
//                 covariance), largest variance first; this follows the data the encoder actually saw,
//                 whose spread is narrower and correlated where the prior is not.
// Shapes: mean (d), directions (d x m) orthonormal columns, sd (m).
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/Error.h"
#include "engine/core/Random.h"
#include "engine/core/Types.h"

namespace latentlab {

struct StyleBasis {
  static constexpr double kSliderRange = 3;  // standard deviations either side

  Vector<float> mean;
  Matrix<float> directions;
  Vector<float> sd;

  int latent() const { return int(directions.rows()); }
  int size() const { return int(directions.cols()); }

  // z = mean + D diag(sd) s
  Vector<float> toLatent(const Vector<float>& s) const {
    if (s.size() != size()) throw Error("StyleBasis", "expected " + std::to_string(size()) + " slider values");
    return mean + directions * sd.cwiseProduct(s);
  }

  // The slider values whose z is the projection of z onto the basis: s_i = dir_i . (z - mean) / sd_i.
  // Exact (toLatent(toSliders(z)) == z) when the basis spans every latent dimension.
  Vector<float> toSliders(const Vector<float>& z) const {
    if (z.size() != latent()) throw Error("StyleBasis", "z has the wrong size");
    return (directions.transpose() * (z - mean)).cwiseQuotient(sd);
  }

  // Sliders for a random style: s ~ temperature N(0, I), i.e. the prior in the axis-aligned basis and the
  // Gaussian fitted to the posterior means in the principal one.
  Vector<float> randomSliders(double temperature, Random& rng) const {
    Matrix<float> s(size(), 1);
    rng.fillNormal(s);
    return (s.col(0) * float(temperature)).eval();
  }

  static StyleBasis axisAligned(int latent) {
    if (latent <= 0) throw Error("StyleBasis", "latent size must be positive");
    StyleBasis b;
    b.mean = Vector<float>::Zero(latent);
    b.directions = Matrix<float>::Identity(latent, latent);
    b.sd = Vector<float>::Ones(latent);
    return b;
  }

  // PCA of the columns of mu (d x n, n >= 2): directions are the covariance's eigenvectors, largest
  // eigenvalue first, at most count of them (count <= 0: all d). Each direction's sign is chosen so that its
  // largest component is positive, so the same data always gives the same sliders. A direction with (almost)
  // no variance keeps a tiny sd rather than zero so that toSliders stays finite.
  static StyleBasis principal(const Matrix<float>& mu, int count = 0) {
    const int d = int(mu.rows()), n = int(mu.cols());
    if (d == 0 || n < 2) throw Error("StyleBasis", "principal directions need at least two encoded images");
    const Eigen::VectorXd m = mu.cast<double>().rowwise().mean();
    const Eigen::MatrixXd centred = mu.cast<double>().colwise() - m;
    const Eigen::MatrixXd cov = centred * centred.transpose() / double(n - 1);  // (d x d)
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    if (eig.info() != Eigen::Success) throw Error("StyleBasis", "the eigen-decomposition of the covariance failed");
    const int k = count <= 0 ? d : std::min(count, d);
    StyleBasis b;
    b.mean = m.cast<float>();
    b.directions.resize(d, k);
    b.sd.resize(k);
    const double floor = 1e-6 * std::max(eig.eigenvalues().maxCoeff(), 1e-12);
    for (int i = 0; i < k; ++i) {
      const int src = d - 1 - i;  // ascending eigenvalues: the largest is last
      Eigen::VectorXd v = eig.eigenvectors().col(src);
      Eigen::Index big;
      v.cwiseAbs().maxCoeff(&big);
      if (v(big) < 0) v = -v;
      b.directions.col(i) = v.cast<float>();
      b.sd(i) = float(std::sqrt(std::max(eig.eigenvalues()(src), floor)));
    }
    return b;
  }
};

}  // namespace latentlab
