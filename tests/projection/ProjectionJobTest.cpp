// The projection job, headless: encodes the chosen samples (a mixed selection as each split alone would), places
// them by PCA (aligned to a previous map on request), t-SNE (maps shown as they form, the perplexity lowered for
// a few samples) or as a 2-D latent plane; reports its progress stage by stage; a cancel while encoding or during
// t-SNE ends it with status Cancelled; bad requests are refused. The deterministic subset of a large set.
#include <QtTest/QtTest>
#include <cmath>
#include <set>
#include <vector>

#include "engine/core/Error.h"
#include "engine/projection/ProjectionJob.h"

using namespace latentlab;

namespace {

ModelConfig smallModel(int latent = 4, int inputSize = 12) {
  ModelConfig mc;
  mc.inputSize = inputSize;
  mc.hidden = {16};
  mc.latent = latent;
  mc.classes = 3;
  return mc;
}

// 400 training and 100 test samples of 12 features in [0, 1], 3 classes.
DataSplit randomData() {
  DataSplit d;
  for (Dataset* s : {&d.train, &d.test}) {
    const int n = s == &d.train ? 400 : 100;
    Random rng(s == &d.train ? 1 : 2);
    s->x.resize(12, n);
    rng.fillUniform(s->x, 0.f, 1.f);
    for (int i = 0; i < n; ++i) s->labels.push_back(i % 3);
    s->classes = 3;
  }
  return d;
}

std::vector<SampleRef> firstOf(int n, bool fromTest) {
  std::vector<SampleRef> s;
  for (int i = 0; i < n; ++i) s.push_back({i, fromTest});
  return s;
}

float maxDifference(const Matrix<float>& a, const Matrix<float>& b) { return (a - b).cwiseAbs().maxCoeff(); }

}  // namespace

class ProjectionJobTest : public QObject {
  Q_OBJECT

 private slots:
  void pcaOfTheLatentMeansWithProgress() {
    const DataSplit data = randomData();
    SemiSupervisedVae<float> model(smallModel(), 3);
    ProjectionRequest q;
    q.samples = firstOf(400, false);
    q.chunk = 150;
    ProjectionJob job(model, data, q);
    std::vector<ProjectionProgress> progress;
    job.onProgress = [&](const ProjectionProgress& p) { progress.push_back(p); };
    const ProjectionResult r = job.run();
    QCOMPARE(int(r.status), int(JobStatus::Finished));
    QVERIFY(r.encoding);
    const ProjectionEncoding& e = *r.encoding;
    QCOMPARE(e.size(), 400);
    QCOMPARE(e.mu.rows(), 4);
    QCOMPARE(e.probs.rows(), 3);
    QCOMPARE(e.negElbo.size(), size_t(400));
    QCOMPARE(r.xy.rows(), 2);
    QCOMPARE(r.xy.cols(), 400);
    QVERIFY(r.xy.allFinite());
    QCOMPARE(r.components.rows(), 4);
    QCOMPARE(r.varianceRatio.size(), 2);
    QVERIFY(r.varianceRatio(0) >= r.varianceRatio(1) && r.varianceRatio.sum() <= 1 + 1e-9);
    // The log-ratios are centred per sample; predictions are the argmax of q(y|x).
    QVERIFY(e.logRatios.colwise().sum().cwiseAbs().maxCoeff() < 1e-4f);
    for (int j : {0, 17, 399}) {
      Eigen::Index k;
      e.probs.col(j).maxCoeff(&k);
      QCOMPARE(e.predicted(j), int(k));
    }
    QCOMPARE(e.predicted(400), -1);
    // Encoding 150, 300, 400 of 400, then the projection once.
    QCOMPARE(progress.size(), size_t(4));
    for (int i = 0; i < 3; ++i) QVERIFY(progress[size_t(i)].stage == ProjectionStage::Encoding);
    QCOMPARE(progress[0].done, 150);
    QCOMPARE(progress[2].done, 400);
    QCOMPARE(progress[2].total, 400);
    QVERIFY(progress[3].stage == ProjectionStage::Projecting);

    // Aligned to a previous map's axes: to its own, the samples land where they were; to its axes flipped, on
    // the mirror image.
    ProjectionRequest again = q;
    again.alignTo = r.components;
    QVERIFY(maxDifference(ProjectionJob(model, data, again).run().xy, r.xy) < 1e-4f);
    again.alignTo = -r.components;
    QVERIFY(maxDifference(ProjectionJob(model, data, again).run().xy, -r.xy) < 1e-4f);
  }

  // A selection mixing the two splits is encoded as each split alone would be.
  void mixedSelectionEncodesLikeEachSplit() {
    const DataSplit data = randomData();
    SemiSupervisedVae<float> model(smallModel(), 3);
    ProjectionRequest q;
    q.samples = {{5, false}, {7, true}, {0, false}, {99, true}};
    q.input = ProjectionInput::ClassProbabilities;
    const ProjectionResult mixed = ProjectionJob(model, data, q).run();
    q.samples = {{5, false}, {0, false}};
    const ProjectionResult training = ProjectionJob(model, data, q).run();
    q.samples = {{7, true}, {99, true}};
    const ProjectionResult test = ProjectionJob(model, data, q).run();
    const ProjectionEncoding &m = *mixed.encoding, &a = *training.encoding, &b = *test.encoding;
    QVERIFY(maxDifference(m.mu.col(0), a.mu.col(0)) < 1e-6f);
    QVERIFY(maxDifference(m.mu.col(2), a.mu.col(1)) < 1e-6f);
    QVERIFY(maxDifference(m.probs.col(1), b.probs.col(0)) < 1e-6f);
    QVERIFY(maxDifference(m.probs.col(3), b.probs.col(1)) < 1e-6f);
    QVERIFY(std::abs(m.negElbo[3] - b.negElbo[1]) < 1e-3f * std::abs(b.negElbo[1]));
  }

  void tsneShowsItsMapAsItForms() {
    const DataSplit data = randomData();
    SemiSupervisedVae<float> model(smallModel(), 3);
    ProjectionRequest q;
    q.samples = firstOf(100, true);
    q.method = ProjectionMethod::Tsne;
    q.input = ProjectionInput::ClassLogRatios;
    q.tsne.perplexity = 10;
    q.tsne.iterations = 60;
    q.tsne.embeddingEvery = 20;
    ProjectionJob job(model, data, q);
    int maps = 0, lastIteration = -1, total = 0;
    std::shared_ptr<const ProjectionEncoding> seen;
    job.onMap = [&](const std::shared_ptr<const ProjectionEncoding>& e, const Matrix<float>& xy) {
      QCOMPARE(xy.rows(), 2);
      QCOMPARE(xy.cols(), 100);
      seen = e;
      ++maps;
    };
    job.onProgress = [&](const ProjectionProgress& p) {
      if (p.stage != ProjectionStage::Tsne) return;
      QCOMPARE(p.done, lastIteration + 1);  // 0 (affinities ready), then every step
      lastIteration = p.done;
      total = p.total;
    };
    const ProjectionResult r = job.run();
    QCOMPARE(int(r.status), int(JobStatus::Finished));
    QCOMPARE(maps, 3);
    QCOMPARE(seen.get(), r.encoding.get());  // the maps place the result's samples
    QCOMPARE(lastIteration, 60);
    QCOMPARE(total, 60);
    QCOMPARE(r.xy.cols(), 100);
    QVERIFY(r.xy.allFinite());
    QVERIFY(r.klDivergence >= 0);
    QCOMPARE(r.components.size(), 0);

    // Twelve samples: a perplexity of 30 is lowered to what they allow instead of failing.
    q.samples = firstOf(12, true);
    q.tsne.perplexity = 30;
    QCOMPARE(ProjectionJob(model, data, q).run().xy.cols(), 12);
  }

  void latentPlaneIsTheLatentAsItIs() {
    const DataSplit data = randomData();
    SemiSupervisedVae<float> model(smallModel(2), 3);
    ProjectionRequest q;
    q.samples = firstOf(50, false);
    q.input = ProjectionInput::LatentPlane;
    q.method = ProjectionMethod::Tsne;  // not used for the plane
    const ProjectionResult r = ProjectionJob(model, data, q).run();
    QVERIFY(maxDifference(r.xy, r.encoding->mu) < 1e-7f);
    SemiSupervisedVae<float> one(smallModel(1), 3);
    QVERIFY_THROWS_EXCEPTION(Error, ProjectionJob(one, data, q).run());
  }

  void cancelWhileEncodingOrDuringTsne() {
    const DataSplit data = randomData();
    SemiSupervisedVae<float> model(smallModel(), 3);
    ProjectionRequest q;
    q.samples = firstOf(400, false);
    q.method = ProjectionMethod::Tsne;
    q.tsne.iterations = 1000;
    q.chunk = 100;
    CancelFlag cancel{false};
    {
      ProjectionJob job(model, data, q);
      int encoded = 0;
      job.onProgress = [&](const ProjectionProgress& p) {
        QVERIFY(p.stage == ProjectionStage::Encoding);  // nothing after the cancel
        encoded = p.done;
        cancel = true;
      };
      const ProjectionResult r = job.run(&cancel);
      QCOMPARE(int(r.status), int(JobStatus::Cancelled));
      QCOMPARE(encoded, 100);
      QVERIFY(!r.encoding);
      QCOMPARE(r.xy.size(), 0);
    }
    cancel = false;
    {
      ProjectionJob job(model, data, q);
      int iterations = 0;
      job.onProgress = [&](const ProjectionProgress& p) {
        if (p.stage != ProjectionStage::Tsne) return;
        iterations = p.done;
        if (p.done == 25) cancel = true;
      };
      const ProjectionResult r = job.run(&cancel);
      QCOMPARE(int(r.status), int(JobStatus::Cancelled));
      QCOMPARE(iterations, 25);  // stopped before the next step
      QVERIFY(r.encoding);       // the samples were encoded
      QCOMPARE(r.encoding->size(), 400);
      QCOMPARE(r.xy.size(), 0);
    }
  }

  void refusesBadRequests() {
    const DataSplit data = randomData();
    SemiSupervisedVae<float> other(smallModel(4, 20), 3);
    ProjectionRequest q;
    q.samples = firstOf(10, false);
    QVERIFY_THROWS_EXCEPTION(Error, ProjectionJob(other, data, q).run());  // 20 features, the data has 12
    SemiSupervisedVae<float> model(smallModel(), 3);
    q.samples.push_back({100, true});  // the test set has 100 samples
    QVERIFY_THROWS_EXCEPTION(Error, ProjectionJob(model, data, q).run());
  }

  void subsetIsTheSameEveryTime() {
    std::vector<SampleRef> all = firstOf(1000, true);
    const std::vector<SampleRef> training = firstOf(500, false);
    all.insert(all.end(), training.begin(), training.end());
    const std::vector<SampleRef> a = sampleSubset(all, 300);
    QCOMPARE(a.size(), size_t(300));
    QVERIFY(a == sampleSubset(all, 300));
    std::set<std::pair<bool, int>> distinct;
    for (const SampleRef& s : a) distinct.insert({s.fromTest, s.index});
    QCOMPARE(distinct.size(), size_t(300));
    for (size_t i = 1; i < a.size(); ++i)  // training first, each split by index
      QVERIFY(a[i - 1].fromTest < a[i].fromTest || (a[i - 1].fromTest == a[i].fromTest && a[i - 1].index < a[i].index));
    QVERIFY(sampleSubset(training, 600) == training);
  }
};

QTEST_GUILESS_MAIN(ProjectionJobTest)
#include "ProjectionJobTest.moc"
