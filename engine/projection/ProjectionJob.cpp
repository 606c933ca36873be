#include "engine/projection/ProjectionJob.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include "engine/active/PoolScores.h"
#include "engine/core/Error.h"
#include "engine/projection/Pca.h"

namespace latentlab {

std::vector<SampleRef> sampleSubset(std::vector<SampleRef> samples, int cap) {
  if (int(samples.size()) <= cap) return samples;
  std::mt19937 rng(12345);
  std::shuffle(samples.begin(), samples.end(), rng);
  samples.resize(size_t(std::max(0, cap)));
  std::sort(samples.begin(), samples.end(), [](const SampleRef& a, const SampleRef& b) {
    return a.fromTest != b.fromTest ? !a.fromTest : a.index < b.index;
  });
  return samples;
}

int ProjectionEncoding::predicted(int i) const {
  if (i < 0 || i >= int(probs.cols())) return -1;
  Eigen::Index k = 0;
  probs.col(i).maxCoeff(&k);
  return int(k);
}

void ProjectionJob::report(ProjectionStage stage, int done, int total) const {
  if (onProgress) onProgress({stage, done, total});
}

ProjectionResult ProjectionJob::run(const CancelFlag* cancel) {
  const ProjectionRequest& q = request_;
  const std::vector<SampleRef>& chosen = q.samples;
  const int n = int(chosen.size());
  if (model_.config().inputSize != data_.train.features())
    throw Error("ProjectionJob", "the model reads " + std::to_string(model_.config().inputSize) +
                                     " features per sample and the data has " + std::to_string(data_.train.features()));
  for (const SampleRef& s : chosen)
    if (s.index < 0 || s.index >= (s.fromTest ? data_.test.size() : data_.train.size()))
      throw Error("ProjectionJob", "sample " + std::to_string(s.index) + " is outside the " +
                                       (s.fromTest ? "test" : "training") + " set");
  if (q.input == ProjectionInput::LatentPlane && model_.config().latent < 2)
    throw Error("ProjectionJob", "a latent plane needs a latent of 2 dimensions");

  // Samples of one split are read where they are; a selection may mix the two and is gathered.
  const bool allTest = std::all_of(chosen.begin(), chosen.end(), [](const SampleRef& s) { return s.fromTest; });
  const bool allTraining = std::none_of(chosen.begin(), chosen.end(), [](const SampleRef& s) { return s.fromTest; });
  std::vector<int> cols(size_t(n), 0);
  Matrix<float> gathered;
  if (allTest || allTraining) {
    for (int j = 0; j < n; ++j) cols[size_t(j)] = chosen[size_t(j)].index;
  } else {
    gathered.resize(data_.train.features(), n);
    for (int j = 0; j < n; ++j) {
      const SampleRef& s = chosen[size_t(j)];
      gathered.col(j) = s.fromTest ? data_.test.x.col(s.index) : data_.train.x.col(s.index);
    }
    std::iota(cols.begin(), cols.end(), 0);
  }
  const Matrix<float>& x = allTest ? data_.test.x : allTraining ? data_.train.x : gathered;

  ProjectionResult result;
  PoolScoringRequest scoring;
  scoring.indices = std::move(cols);
  scoring.negElbo = q.negElbo;
  scoring.chunk = q.chunk;
  PoolScoringJob encode(model_, x, std::move(scoring));
  encode.onProgress = [this](int done, int total) { report(ProjectionStage::Encoding, done, total); };
  PoolScores scores = encode.run(cancel);
  if (scores.status == JobStatus::Cancelled) {
    result.status = JobStatus::Cancelled;
    return result;
  }
  auto e = std::make_shared<ProjectionEncoding>();
  e->samples = chosen;
  e->probs = std::move(scores.probs);
  e->logRatios = scores.logits.rowwise() - scores.logits.colwise().mean();
  e->mu = std::move(scores.mu);
  e->negElbo = std::move(scores.negElbo);
  result.encoding = e;

  report(ProjectionStage::Projecting, 0, 0);
  const Matrix<float>& in = q.input == ProjectionInput::ClassProbabilities ? e->probs
                            : q.input == ProjectionInput::ClassLogRatios   ? e->logRatios
                                                                           : e->mu;
  if (q.input == ProjectionInput::LatentPlane) {
    result.xy = e->mu.topRows(2);
  } else if (q.method == ProjectionMethod::Pca) {
    PcaResult pca = computePca(in, 2);
    if (q.alignTo.rows() == in.rows() && q.alignTo.cols() == 2) alignPca(pca, q.alignTo);
    result.xy = std::move(pca.projection);
    result.components = std::move(pca.components);
    result.varianceRatio = pca.explainedVarianceRatio;
  } else {
    TsneConfig c = q.tsne;
    c.perplexity = std::min(c.perplexity, (n - 1) / 3.0 - 0.01);
    Tsne tsne(c);
    tsne.onProgress = [this](int it, int total) { report(ProjectionStage::Tsne, it, total); };
    if (onMap) tsne.onEmbedding = [this, e](int, const Matrix<float>& y) { onMap(e, y); };
    TsneResult t = tsne.run(in, cancel);
    if (t.status == JobStatus::Cancelled) {
      result.status = JobStatus::Cancelled;
      return result;
    }
    result.xy = std::move(t.embedding);
    result.klDivergence = t.klDivergence;
  }
  return result;
}

}  // namespace latentlab
