// Pool scoring as a job: every column scored once, in order, in chunks with progress after each; the logits are
// those of q(y|x) and the indices pick the columns; a cancel between chunks ends it with status Cancelled and no
// further progress; an index outside the data is refused.
#include <QtTest/QtTest>
#include <cmath>
#include <utility>
#include <vector>

#include "engine/active/PoolScores.h"
#include "engine/core/Error.h"
#include "support/RandomData.h"

using namespace latentlab;

namespace {

// 6 inputs, 5 hidden units, a 2-D latent, 3 classes: small enough to compare column by column.
ModelConfig tinyModel() {
  ModelConfig mc;
  mc.inputSize = 6;
  mc.hidden = {5};
  mc.latent = 2;
  mc.classes = 3;
  mc.objective = Objective::Marginal;
  return mc;
}

Matrix<float> randomData(int n) { return testing::uniformMatrix(6, n, 3); }

}  // namespace

class PoolScoringJobTest : public QObject {
  Q_OBJECT

 private slots:
  void scoresInChunksWithProgress() {
    SemiSupervisedVae<float> model(tinyModel(), 4);
    const Matrix<float> x = randomData(9);
    const std::vector<int> indices{8, 0, 3, 3, 5, 1, 7};
    PoolScoringJob job(model, x, {indices, false, 3});
    std::vector<std::pair<int, int>> progress;
    job.onProgress = [&](int done, int total) { progress.emplace_back(done, total); };
    const PoolScores s = job.run();
    QCOMPARE(int(s.status), int(JobStatus::Finished));
    QCOMPARE(progress, (std::vector<std::pair<int, int>>{{3, 7}, {6, 7}, {7, 7}}));
    QVERIFY(s.negElbo.empty());
    for (int j = 0; j < 7; ++j) {
      Matrix<float> mu, logvar, probs;
      model.encode(x.col(indices[size_t(j)]), mu, logvar, &probs);
      QVERIFY((s.mu.col(j) - mu).cwiseAbs().maxCoeff() < 1e-6f);
      QVERIFY((s.probs.col(j) - probs).cwiseAbs().maxCoeff() < 1e-6f);
      const Eigen::VectorXf e = (s.logits.col(j).array() - s.logits.col(j).maxCoeff()).exp();
      QVERIFY((e / e.sum() - probs).cwiseAbs().maxCoeff() < 1e-6f);
    }
    // The shorthand gives the same scores, and the negative ELBO when asked.
    const PoolScores whole = scorePool(model, x, indices, true);
    QVERIFY((whole.probs - s.probs).cwiseAbs().maxCoeff() < 1e-6f);
    QCOMPARE(whole.negElbo.size(), size_t(7));
    for (float v : whole.negElbo) QVERIFY(std::isfinite(v) && v > 0);
  }

  void cancelStopsBetweenChunks() {
    SemiSupervisedVae<float> model(tinyModel(), 4);
    const Matrix<float> x = randomData(20);
    std::vector<int> indices(20);
    for (int i = 0; i < 20; ++i) indices[size_t(i)] = i;
    CancelFlag cancel{false};
    PoolScoringJob job(model, x, {indices, true, 4});
    std::vector<int> done;
    job.onProgress = [&](int d, int) {
      done.push_back(d);
      if (d == 8) cancel = true;  // after the second chunk
    };
    const PoolScores s = job.run(&cancel);
    QCOMPARE(int(s.status), int(JobStatus::Cancelled));
    QCOMPARE(done, (std::vector<int>{4, 8}));  // no chunk after the cancel
    // Cancelled before it starts: no progress at all.
    done.clear();
    QCOMPARE(int(job.run(&cancel).status), int(JobStatus::Cancelled));
    QVERIFY(done.empty());
  }

  void refusesAnIndexOutsideTheData() {
    SemiSupervisedVae<float> model(tinyModel(), 4);
    const Matrix<float> x = randomData(5);
    QVERIFY_THROWS_EXCEPTION(Error, PoolScoringJob(model, x, {{0, 5}}).run());
  }
};

QTEST_GUILESS_MAIN(PoolScoringJobTest)
#include "PoolScoringJobTest.moc"
