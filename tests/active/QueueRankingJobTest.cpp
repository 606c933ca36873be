// Queue ranking as a job, headless: with a model the queue holds the most uncertain unlabelled samples of the
// pool, best first, with every pool sample's prediction; without one it is a random order; progress counts the
// samples scored (the labelled ones too for Diversity's centres); a cancel ends it with status Cancelled; a model
// for other data is refused.
#include <QtTest/QtTest>
#include <set>
#include <vector>

#include "engine/active/PoolScores.h"
#include "engine/active/QueueRanking.h"
#include "engine/active/Ranking.h"
#include "engine/core/Error.h"

using namespace latentlab;

namespace {

ModelConfig smallModel(int inputSize = 12) {
  ModelConfig mc;
  mc.inputSize = inputSize;
  mc.hidden = {16};
  mc.latent = 4;
  mc.classes = 3;
  return mc;
}

// n random training samples of 12 features, 3 classes.
DataSplit randomData(int n) {
  DataSplit d;
  Random rng(5);
  d.train.x.resize(12, n);
  rng.fillUniform(d.train.x, 0.f, 1.f);
  for (int i = 0; i < n; ++i) d.train.labels.push_back(i % 3);
  d.train.classes = 3;
  d.test = d.train.head(10);
  return d;
}

}  // namespace

class QueueRankingJobTest : public QObject {
  Q_OBJECT

 private slots:
  void ranksTheUnlabelledPoolWithTheModel() {
    const DataSplit data = randomData(500);
    SemiSupervisedVae<float> model(smallModel(), 2);
    QueueRankingRequest q;
    q.strategy = QueryStrategy::Entropy;
    q.labelled.assign(500, 0);
    for (int i = 0; i < 500; i += 7) q.labelled[size_t(i)] = 1;
    q.count = 40;
    q.poolLimit = 300;  // a run on the first 300 samples
    QueueRankingJob job(&model, data, q);
    std::vector<int> done;
    int total = 0;
    job.onProgress = [&](int d, int t) {
      done.push_back(d);
      total = t;
    };
    const QueueRanking r = job.run();
    QCOMPARE(int(r.status), int(JobStatus::Finished));
    QVERIFY(r.withModel);
    QCOMPARE(int(r.strategy), int(QueryStrategy::Entropy));
    QCOMPARE(r.queue.size(), size_t(40));
    QCOMPARE(r.poolIndices.size(), size_t(300 - 43));  // 0, 7, ..., 294 are labelled
    QCOMPARE(r.predicted.size(), r.poolIndices.size());
    QCOMPARE(r.confidence.size(), r.poolIndices.size());
    QVERIFY(std::is_sorted(r.poolIndices.begin(), r.poolIndices.end()));
    QCOMPARE(total, int(r.poolIndices.size()));
    QCOMPARE(done.back(), total);
    QVERIFY(std::is_sorted(done.begin(), done.end()));
    const std::set<int> distinct(r.queue.begin(), r.queue.end());
    QCOMPARE(distinct.size(), r.queue.size());
    // The queue is the pool ordered by entropy, best first; predictions are the argmax of q(y|x).
    const PoolScores s = scorePool(model, data.train.x, r.poolIndices);
    std::vector<float> entropy;
    for (int sample : r.queue) {
      QVERIFY(sample < 300 && !q.labelled[size_t(sample)]);
      const int i = int(std::lower_bound(r.poolIndices.begin(), r.poolIndices.end(), sample) - r.poolIndices.begin());
      entropy.push_back(queryScore(QueryStrategy::Entropy, s, i));
    }
    for (size_t j = 1; j < entropy.size(); ++j) QVERIFY(entropy[j] <= entropy[j - 1] + 1e-6f);
    for (int i = 0; i < s.size(); ++i)  // nothing left out of the queue is more uncertain than its last
      if (!distinct.count(r.poolIndices[size_t(i)]))
        QVERIFY(queryScore(QueryStrategy::Entropy, s, i) <= entropy.back() + 1e-6f);
    for (int i = 0; i < s.size(); ++i) {
      QCOMPARE(r.predicted[size_t(i)], s.predicted(i));
      QVERIFY(std::abs(r.confidence[size_t(i)] - s.confidence(i)) < 1e-6f);
    }
    QVERIFY(r.seconds >= 0);
  }

  void withoutAModelARandomOrder() {
    const DataSplit data = randomData(200);
    QueueRankingRequest q;
    q.strategy = QueryStrategy::Margin;
    q.labelled.assign(200, 0);
    q.labelled[3] = 1;
    q.count = 50;
    const QueueRanking r = QueueRankingJob(nullptr, data, q).run();
    QVERIFY(!r.withModel);
    QCOMPARE(int(r.strategy), int(QueryStrategy::Random));
    QCOMPARE(r.queue.size(), size_t(50));
    QVERIFY(r.predicted.empty() && r.poolIndices.empty());
    for (int sample : r.queue) QVERIFY(sample != 3);
    QCOMPARE(QueueRankingJob(nullptr, data, q).run().queue, r.queue);  // the seed decides
  }

  // Diversity scores the labelled samples too (their latent means are the first centres): progress counts both.
  void diversityProgressCountsTheCentres() {
    const DataSplit data = randomData(300);
    SemiSupervisedVae<float> model(smallModel(), 2);
    QueueRankingRequest q;
    q.strategy = QueryStrategy::Diversity;
    q.labelled.assign(300, 0);
    for (int i = 0; i < 30; ++i) q.labelled[size_t(i)] = 1;
    q.count = 10;
    QueueRankingJob job(&model, data, q);
    int last = 0, total = 0;
    job.onProgress = [&](int d, int t) {
      QVERIFY(d >= last);
      last = d;
      total = t;
    };
    const QueueRanking r = job.run();
    QCOMPARE(r.queue.size(), size_t(10));
    QCOMPARE(total, 300);
    QCOMPARE(last, 300);
  }

  void cancelEndsTheJob() {
    const DataSplit data = randomData(3000);
    SemiSupervisedVae<float> model(smallModel(), 2);
    QueueRankingRequest q;
    q.labelled.assign(3000, 0);
    q.strategy = QueryStrategy::Anomalous;
    CancelFlag cancel{false};
    QueueRankingJob job(&model, data, q);
    int reports = 0;
    job.onProgress = [&](int, int) {
      ++reports;
      cancel = true;  // after the first chunk of 1000
    };
    const QueueRanking r = job.run(&cancel);
    QCOMPARE(int(r.status), int(JobStatus::Cancelled));
    QCOMPARE(reports, 1);
    QVERIFY(r.queue.empty());
  }

  void refusesAModelForOtherData() {
    const DataSplit data = randomData(100);
    SemiSupervisedVae<float> other(smallModel(20), 2);
    QueueRankingRequest q;
    q.labelled.assign(100, 0);
    QVERIFY_THROWS_EXCEPTION(Error, QueueRankingJob(&other, data, q).run());
    q.labelled.assign(50, 0);  // flags for half the pool
    SemiSupervisedVae<float> model(smallModel(), 2);
    QVERIFY_THROWS_EXCEPTION(Error, QueueRankingJob(&model, data, q).run());
  }
};

QTEST_GUILESS_MAIN(QueueRankingJobTest)
#include "QueueRankingJobTest.moc"
