#pragma once
// The Projection view's computation as a job: encode a chosen set of samples with the caller's model (q(y|x),
// its logits, the latent means, the negative ELBO), then place them in two dimensions from one input (the latent
// means, q(y|x), its centred log-ratios, or a 2-D latent as it is) by PCA or t-SNE. Progress and cancel as every
// engine job (engine/core/Cancellation.h); a first t-SNE map can be watched as it forms (onMap).
//
// Shapes: n chosen samples; probs / logRatios (K x n), mu (d x n), negElbo (n), xy (2 x n).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/Cancellation.h"
#include "engine/core/Types.h"
#include "engine/data/Dataset.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/projection/Tsne.h"

namespace latentlab {

// A sample of a data split: a column of the training set (fromTest false) or of the test set.
struct SampleRef {
  int index = 0;
  bool fromTest = false;
  bool operator==(const SampleRef&) const = default;
};

// At most cap of the samples, drawn at random with a fixed seed (the same ones every time), in data order:
// training samples first, then test samples, each by index. Fewer than cap: returned as they are.
std::vector<SampleRef> sampleSubset(std::vector<SampleRef> samples, int cap);

enum class ProjectionInput {
  LatentMeans,         // mu (d x n): the style
  ClassProbabilities,  // q(y|x) (K x n)
  ClassLogRatios,      // log q(y|x) less its mean over the classes: confident samples spread out, not pile up
  LatentPlane,         // a 2-D latent as it is (the first two rows of mu), no projection
};
enum class ProjectionMethod { Pca, Tsne };

struct ProjectionRequest {
  std::vector<SampleRef> samples;
  ProjectionInput input = ProjectionInput::LatentMeans;
  ProjectionMethod method = ProjectionMethod::Pca;  // not used for LatentPlane
  Matrix<float> alignTo;  // PCA: a previous map's components (D x 2) to align the new axes to; empty: none
  TsneConfig tsne;        // t-SNE: TsneInit::Given with the previous map keeps a refresh's layout;
                          // embeddingEvery > 0 calls onMap as the map forms. The perplexity is lowered to what
                          // n samples allow, (n - 1) / 3.
  bool negElbo = true;    // the anomaly score: a decode per class and sample, most of the encoding time
  int chunk = 1000;       // samples per encode
};

// The samples as the model saw them; shared, read-only, between the job and whoever shows them.
struct ProjectionEncoding {
  std::vector<SampleRef> samples;
  Matrix<float> probs, logRatios, mu;
  std::vector<float> negElbo;  // empty unless asked for

  int size() const { return int(samples.size()); }
  int predicted(int i) const;
};

struct ProjectionResult {
  JobStatus status = JobStatus::Finished;  // Cancelled: encoding set when it was done, xy empty
  std::shared_ptr<const ProjectionEncoding> encoding;
  Matrix<float> xy;              // (2 x n)
  Matrix<float> components;      // PCA: the axes (D x 2), to align the next map to
  Vector<double> varianceRatio;  // PCA: the share of the input's variance along each axis (2)
  double klDivergence = -1;      // t-SNE: KL(P || Q) of the final map
};

enum class ProjectionStage {
  Encoding,    // done of total samples encoded
  Projecting,  // once, 0 of 0, when the projection starts
  Tsne,        // done of total gradient steps (0: the affinities are ready)
};
struct ProjectionProgress {
  ProjectionStage stage = ProjectionStage::Encoding;
  int done = 0, total = 0;
};

class ProjectionJob {
 public:
  // The model is the caller's, used by nothing else while run() runs; model and data outlive run().
  ProjectionJob(SemiSupervisedVae<float>& model, const DataSplit& data, ProjectionRequest request)
      : model_(model), data_(data), request_(std::move(request)) {}

  std::function<void(const ProjectionProgress&)> onProgress;
  // A t-SNE map as it forms, every request.tsne.embeddingEvery steps, with the encoding it places.
  std::function<void(const std::shared_ptr<const ProjectionEncoding>&, const Matrix<float>& xy)> onMap;

  // Throws Error for a model that does not read this data's samples, a sample outside its set, a plane of a
  // latent under 2 dimensions, or too few samples for the method (PCA 2, t-SNE 5).
  ProjectionResult run(const CancelFlag* cancel = nullptr);

 private:
  void report(ProjectionStage stage, int done, int total) const;

  SemiSupervisedVae<float>& model_;
  const DataSplit& data_;
  ProjectionRequest request_;
};

}  // namespace latentlab
