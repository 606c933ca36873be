#include "engine/projection/Tsne.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "engine/core/Error.h"
#include "engine/core/Random.h"
#include "engine/projection/Affinities.h"
#include "engine/projection/NearestNeighbours.h"
#include "engine/projection/Pca.h"
#include "engine/projection/QuadTree.h"

namespace latentlab {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int sign(double v) { return (v > 0) - (v < 0); }

// y: interleaved (x, y) pairs, n points.
Matrix<float> toMatrix(const std::vector<double>& y, int n) {
  Matrix<float> m(2, n);
  for (int i = 0; i < n; ++i) {
    m(0, i) = float(y[2 * i]);
    m(1, i) = float(y[2 * i + 1]);
  }
  return m;
}

// The KL gradient, without the factor 4 (see Tsne.h), into grad (2n, interleaved); returns Z.
//   attractive_i = sum_j P_ij q_ij (y_i - y_j) over P's non-zeros
//   repulsive_i  = sum_j q_ij^2 (y_i - y_j), and Z = sum_i sum_j q_ij, from the quadtree
double gradient(const std::vector<double>& y, const SparseAffinities& P, double exaggeration, double theta, int threads,
                QuadTree& tree, std::vector<double>& repulsive, std::vector<double>& zPart, std::vector<double>& grad) {
  const int n = P.n;
  tree.build(y.data(), n);
  const std::vector<int>& order = tree.order();
  const double theta2 = theta * theta;
  // In the tree's order consecutive points walk nearly the same cells. Each point writes only its own
  // entries, so threads do not change the result.
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads) if (threads > 1)
  for (int t = 0; t < n; ++t) {
    const int i = order[t];
    tree.repulsion(i, theta2, repulsive[2 * i], repulsive[2 * i + 1], zPart[i]);
  }
  double z = 0;
  for (int i = 0; i < n; ++i) z += zPart[i];  // in index order: the same sum every time
  const double invZ = 1.0 / z;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (int i = 0; i < n; ++i) {
    const double xi = y[2 * i], yi = y[2 * i + 1];
    double ax = 0, ay = 0;
    for (int e = P.rowStart[i]; e < P.rowStart[i + 1]; ++e) {
      const int j = P.column[e];
      const double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
      const double pq = P.value[e] / (1.0 + dx * dx + dy * dy);
      ax += pq * dx;
      ay += pq * dy;
    }
    grad[2 * i] = exaggeration * ax - repulsive[2 * i] * invZ;
    grad[2 * i + 1] = exaggeration * ay - repulsive[2 * i + 1] * invZ;
  }
  return z;
}

// KL(P || Q) = sum P_ij log(P_ij / Q_ij), Q_ij = q_ij / Z, over P's non-zeros (the rest contribute 0).
double klDivergence(const std::vector<double>& y, const SparseAffinities& P, double z) {
  double kl = 0;
  for (int i = 0; i < P.n; ++i)
    for (int e = P.rowStart[i]; e < P.rowStart[i + 1]; ++e) {
      const int j = P.column[e];
      const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const double p = P.value[e];
      if (p > 0) kl += p * std::log(p * z * (1.0 + dx * dx + dy * dy));
    }
  return kl;
}

}  // namespace

TsneResult Tsne::run(const Matrix<float>& x, const CancelFlag* cancel) {
  const TsneConfig& c = config_;
  const int N = int(x.cols());
  if (!(c.perplexity > 1)) throw Error("Tsne", "perplexity must be above 1, got " + std::to_string(c.perplexity));
  if (!(c.theta >= 0)) throw Error("Tsne", "theta must be at least 0, got " + std::to_string(c.theta));
  if (c.iterations < 0) throw Error("Tsne", "iterations must be at least 0");
  const int k = int(3 * c.perplexity);
  if (k >= N)
    throw Error("Tsne", "perplexity " + std::to_string(c.perplexity) + " needs at least " + std::to_string(k + 1) +
                            " samples (3 x perplexity + 1), got " + std::to_string(N));
  if (!x.allFinite()) throw Error("Tsne", "the samples hold NaN or infinite values");
  if (c.init == TsneInit::Given && (c.initial.rows() != 2 || c.initial.cols() != N || !c.initial.allFinite()))
    throw Error("Tsne", "the given start must be (2 x " + std::to_string(N) + ") and finite, got (" +
                            std::to_string(c.initial.rows()) + " x " + std::to_string(c.initial.cols()) + ")");

  TsneResult result;
  const auto start = Clock::now();
  NearestNeighbours nn = exactNearestNeighbours(x, k, cancel);
  if (nn.status == JobStatus::Cancelled) {
    result.status = JobStatus::Cancelled;
    return result;
  }
  const SparseAffinities P = jointAffinities(nn, c.perplexity);
  nn = {};
  result.affinitySeconds = secondsSince(start);
  if (onProgress) onProgress(0, c.iterations);

  const auto optimiseStart = Clock::now();
  std::vector<double> y(2 * size_t(N));
  bool initialised = false;
  // Either start is scaled so that its first coordinate has standard deviation 1e-4 (openTSNE's scale: as
  // small as a random start's), which early exaggeration needs.
  auto start2 = [&](const Matrix<float>& xy, double sd) {
    if (!(sd > 0)) return false;
    const double scale = 1e-4 / sd;
    for (int i = 0; i < N; ++i) {
      y[2 * i] = xy(0, i) * scale;
      y[2 * i + 1] = xy(1, i) * scale;
    }
    return true;
  };
  if (c.init == TsneInit::Given) {
    const Vector<float> mean = c.initial.rowwise().mean();
    const Matrix<float> centred = c.initial.colwise() - mean;
    initialised = start2(centred, std::sqrt(centred.row(0).squaredNorm() / std::max(1, N - 1)));
  } else if (c.init == TsneInit::Pca && x.rows() >= 2) {
    const PcaResult pca = computePca(x, 2);
    initialised = start2(pca.projection, std::sqrt(pca.explainedVariance(0)));
  }
  if (!initialised) {
    Random rng(c.seed);
    for (double& v : y) v = 1e-4 * rng.normal();
  }

  const double eta = c.learningRate > 0 ? c.learningRate : std::max(200.0, N / 12.0);
  const int threads = std::max(1, c.threads);
  std::vector<double> update(y.size(), 0.0), gains(y.size(), 1.0), grad(y.size()), repulsive(y.size()), zPart(N);
  // A Given start is a finished map: exaggerating it again from the shrunk start scrambles its clusters'
  // layout (a mirrored map came back unmirrored in 7 of 40 runs differing by 1e-6 noise; none without).
  const int exaggerationIterations = c.init == TsneInit::Given ? 0 : c.exaggerationIterations;
  QuadTree tree;
  for (int it = 0; it < c.iterations; ++it) {
    if (cancelRequested(cancel)) {
      result.status = JobStatus::Cancelled;
      result.embedding = toMatrix(y, N);
      result.iterations = it;
      result.optimiseSeconds = secondsSince(optimiseStart);
      return result;
    }
    const double exaggeration = it < exaggerationIterations ? c.earlyExaggeration : 1.0;
    const double momentum = it < c.momentumSwitchIteration ? c.initialMomentum : c.finalMomentum;
    gradient(y, P, exaggeration, c.theta, threads, tree, repulsive, zPart, grad);
    // Gains (Jacobs 1988, as bhtsne): grow a coordinate's step while the gradient keeps pushing the way it
    // moves, shrink it when the gradient turns. As bhtsne, a zero update (the first step) counts as not turned.
    for (size_t e = 0; e < y.size(); ++e) {
      const bool turned = sign(grad[e]) == sign(update[e]);
      gains[e] = turned ? std::max(gains[e] * 0.8, 0.01) : gains[e] + 0.2;
      update[e] = momentum * update[e] - eta * gains[e] * grad[e];
      y[e] += update[e];
    }
    double mx = 0, my = 0;
    for (int i = 0; i < N; ++i) {
      mx += y[2 * i];
      my += y[2 * i + 1];
    }
    mx /= N;
    my /= N;
    for (int i = 0; i < N; ++i) {  // the cost ignores translation: keep the cloud centred
      y[2 * i] -= mx;
      y[2 * i + 1] -= my;
    }
    result.iterations = it + 1;
    if (onProgress) onProgress(it + 1, c.iterations);
    if (onEmbedding && c.embeddingEvery > 0 && (it + 1) % c.embeddingEvery == 0) onEmbedding(it + 1, toMatrix(y, N));
  }

  const double z = gradient(y, P, 1.0, c.theta, threads, tree, repulsive, zPart, grad);
  result.klDivergence = klDivergence(y, P, z);
  result.embedding = toMatrix(y, N);
  result.optimiseSeconds = secondsSince(optimiseStart);
  return result;
}

}  // namespace latentlab
