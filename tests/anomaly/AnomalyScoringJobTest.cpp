// The Anomaly view's job on a small MNIST subset: every test point scored with its symptoms (which sum to its
// score less the latent term), the training points of the other classes for the threshold, the held-out
// class's test points flagged and their ROC; the most anomalous come first; a sample's score is found by its
// column; progress covers test then training points; a cancel stops it; bad requests are refused.
#include <QtTest/QtTest>

#include <numeric>

#include "engine/anomaly/AnomalyScoringJob.h"
#include "engine/anomaly/ScoreReference.h"
#include "engine/core/Error.h"
#include "engine/data/Mnist.h"

using namespace latentlab;

namespace {

const DataSplit& mnist() {
  static const DataSplit d = [] {
    DataSplit all = loadIdxFolder(qEnvironmentVariable("LATENTLAB_MNIST").toStdString());
    all.train = all.train.head(500);
    all.test = all.test.head(300);
    return all;
  }();
  return d;
}

ModelConfig smallModel() {
  ModelConfig c;
  c.hidden = {32};
  c.latent = 4;
  return c;
}

}  // namespace

class AnomalyScoringJobTest : public QObject {
  Q_OBJECT

 private slots:
  void scoresTestAndTraining() {
    SemiSupervisedVae<float> model(smallModel(), 1);
    AnomalyScoringRequest q;
    q.score.kind = ScoreKind::Iwae;
    q.score.samples = 4;
    q.score.perFeature = true;
    q.holdout = 3;
    q.trainingSamples = 200;
    AnomalyScoringJob job(model, mnist(), q);
    std::vector<AnomalyScoringProgress> progress;
    job.onProgress = [&](const AnomalyScoringProgress& p) { progress.push_back(p); };
    const AnomalyScoringResult r = job.run();
    QCOMPARE(int(r.status), int(JobStatus::Finished));
    const AnomalyScores& s = *r.scores;
    QCOMPARE(int(s.test.size()), 300);
    QCOMPARE(int(s.training.size()), 200);
    for (int i : s.trainingIndices) QVERIFY(mnist().train.labels[size_t(i)] != 3);
    QCOMPARE(s.symptoms.cols(), Eigen::Index(300));
    for (int j = 0; j < 300; ++j) {
      QVERIFY(std::abs(s.symptoms.col(j).sum() + s.testLatent[size_t(j)] - s.test[size_t(j)]) <
              1e-4f * std::abs(s.test[size_t(j)]));
      QCOMPARE(bool(s.anomalous[size_t(j)]), mnist().test.labels[size_t(j)] == 3);
    }
    QVERIFY(s.hasRoc());
    QCOMPARE(s.roc.positives, int(std::count(mnist().test.labels.begin(), mnist().test.labels.end(), 3)));
    const std::vector<int> top = s.mostAnomalous(10);
    QCOMPARE(int(top.size()), 10);
    for (size_t i = 1; i < top.size(); ++i) QVERIFY(s.test[size_t(top[i - 1])] >= s.test[size_t(top[i])]);
    QCOMPARE(*std::max_element(s.test.begin(), s.test.end()), s.test[size_t(top[0])]);
    QCOMPARE(s.scoreOf(17, true), s.test[17]);
    QCOMPARE(s.scoreOf(s.trainingIndices[5], false), s.training[5]);
    QVERIFY(std::isnan(s.scoreOf(450, false)) || s.trainingPosition[450] >= 0);
    QVERIFY(std::isnan(s.scoreOf(-1, true)));
    // About 5% of the training scores lie above their 95th percentile.
    const double t = s.thresholdAt(95);
    QCOMPARE(int(std::count_if(s.training.begin(), s.training.end(), [&](float v) { return v > t; })), 10);
    const ThresholdCounts c = s.countsAt(t);
    QCOMPARE(c.truePositives + c.falsePositives, c.flagged);
    QVERIFY(!progress.empty());
    QCOMPARE(progress.back().done, 500);
    QCOMPARE(progress.back().total, 500);
    QVERIFY(progress.back().training);
  }

  // The surprise score compares with the training points it scores for the threshold: progress covers them
  // twice (the reference, then the threshold), and each training score is its own share among them.
  void surpriseComparesWithTrainingPoints() {
    SemiSupervisedVae<float> model(smallModel(), 4);
    AnomalyScoringRequest q;
    q.score.kind = ScoreKind::Surprise;
    q.score.perFeature = true;
    q.holdout = 3;
    q.testSamples = 100;
    q.trainingSamples = 150;
    AnomalyScoringJob job(model, mnist(), q);
    std::vector<AnomalyScoringProgress> progress;
    job.onProgress = [&](const AnomalyScoringProgress& p) { progress.push_back(p); };
    const AnomalyScoringResult r = job.run();
    QCOMPARE(int(r.status), int(JobStatus::Finished));
    const AnomalyScores& s = *r.scores;
    QVERIFY(s.score.reference && s.score.reference->size() == 150);
    QCOMPARE(progress.back().done, 400);
    QCOMPARE(progress.back().total, 400);
    for (size_t i = 1; i < progress.size(); ++i) QVERIFY(progress[i].done >= progress[i - 1].done);
    // Scores are -log of shares: at least 0. On the reference points themselves each term is -log(rank / 151)
    // for ranks 1..150 (ties only lower it), whose mean is log 151 - log(150!) / 150 = 0.984.
    for (float v : s.test) QVERIFY(v >= 0 && std::isfinite(v));
    for (float v : s.training) QVERIFY(v <= 2 * std::log(151.0f) + 1e-4f);
    const double mean = std::accumulate(s.training.begin(), s.training.end(), 0.0) / double(s.training.size());
    QVERIFY2(mean > 1.0 && mean <= 2 * 0.984 + 1e-3, qPrintable(QString::number(mean)));
    for (int j = 0; j < 100; ++j)
      QVERIFY(std::abs(s.symptoms.col(j).sum() + s.testLatent[size_t(j)] - s.test[size_t(j)]) < 1e-3f);
  }

  void withoutHoldoutAndCancel() {
    SemiSupervisedVae<float> model(smallModel(), 2);
    AnomalyScoringRequest q;
    q.testSamples = 50;
    q.trainingSamples = 0;  // every training point
    AnomalyScoringResult r = AnomalyScoringJob(model, mnist(), q).run();
    QCOMPARE(int(r.scores->test.size()), 50);
    QCOMPARE(int(r.scores->training.size()), 500);
    QVERIFY(r.scores->anomalous.empty());
    QVERIFY(!r.scores->hasRoc());
    QCOMPARE(r.scores->symptoms.size(), Eigen::Index(0));
    CancelFlag cancel{true};
    r = AnomalyScoringJob(model, mnist(), q).run(&cancel);
    QCOMPARE(int(r.status), int(JobStatus::Cancelled));
    QVERIFY(!r.scores);
  }

  void badRequestsAreRefused() {
    SemiSupervisedVae<float> model(smallModel(), 3);
    AnomalyScoringRequest q;
    q.holdout = 10;
    try {
      AnomalyScoringJob(model, mnist(), q).run();
      QFAIL("class 10 was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("there is no class 10"), e.what());
    }
    q.holdout = -1;
    q.score.kind = ScoreKind::Iwae;
    q.score.samples = 0;
    QVERIFY_THROWS_EXCEPTION(Error, AnomalyScoringJob(model, mnist(), q).run());
    ModelConfig other = smallModel();
    other.inputSize = 100;
    SemiSupervisedVae<float> wrong(other, 4);
    QVERIFY_THROWS_EXCEPTION(Error, AnomalyScoringJob(wrong, mnist(), AnomalyScoringRequest{}).run());
  }
};

QTEST_APPLESS_MAIN(AnomalyScoringJobTest)
#include "AnomalyScoringJobTest.moc"
