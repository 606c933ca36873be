// Query strategies: each score orders samples as its definition says, k-center greedy takes the farthest
// point, random is reproducible, the negative ELBO agrees with a hand computation, and a short simulation on
// real MNIST answers with the true labels and grows the label set as configured (pool scoring in chunks:
// tests/active/PoolScoringJobTest.cpp).
#include <QtTest/QtTest>

#include <cmath>
#include <set>

#include "engine/active/ActiveLearning.h"
#include "engine/active/PoolScores.h"
#include "engine/active/Ranking.h"
#include "engine/core/Error.h"
#include "engine/data/Mnist.h"
#include "engine/losses/Softmax.h"

using namespace latentlab;

class ActiveLearningTest : public QObject {
  Q_OBJECT
  static PoolScores pool(std::vector<std::vector<float>> columns) {
    PoolScores s;
    s.probs.resize(int(columns[0].size()), int(columns.size()));
    for (int i = 0; i < int(columns.size()); ++i) {
      s.indices.push_back(100 + i);
      for (int k = 0; k < int(columns[i].size()); ++k) s.probs(k, i) = columns[i][k];
    }
    return s;
  }

  // 6 inputs, 5 hidden units, a 2-D latent, 3 classes, the marginal objective: small enough to check by hand.
  static ModelConfig tinyModel() {
    ModelConfig mc;
    mc.inputSize = 6;
    mc.hidden = {5};
    mc.latent = 2;
    mc.classes = 3;
    mc.objective = Objective::Marginal;
    return mc;
  }

 private slots:
  void uncertaintyScoresOrderAsDefined() {
    // 0: confident; 1: two-way tie; 2: flat over three; 3: a 0.5 top with the rest spread.
    const PoolScores s = pool({{0.98f, 0.01f, 0.01f, 0.0f},
                               {0.49f, 0.49f, 0.01f, 0.01f},
                               {0.34f, 0.33f, 0.33f, 0.0f},
                               {0.5f, 0.2f, 0.15f, 0.15f}});
    Random rng(1);
    const Matrix<float> none;
    QCOMPARE(rankPool(QueryStrategy::Margin, s, 4, none, rng), (std::vector<int>{1, 2, 3, 0}));
    QCOMPARE(rankPool(QueryStrategy::LeastConfidence, s, 4, none, rng), (std::vector<int>{2, 1, 3, 0}));
    QCOMPARE(rankPool(QueryStrategy::Entropy, s, 2, none, rng), (std::vector<int>{3, 2}));
    // Entropy by hand for column 2: -(0.34 ln 0.34 + 2 * 0.33 ln 0.33).
    QVERIFY(std::abs(queryScore(QueryStrategy::Entropy, s, 2) -
                     -(0.34 * std::log(0.34) + 2 * 0.33 * std::log(0.33))) < 1e-5);
    QVERIFY(std::abs(queryScore(QueryStrategy::Margin, s, 3) - -(0.5 - 0.2)) < 1e-6);
  }

  void anomalousNeedsTheElbo() {
    const PoolScores s = pool({{1, 0}, {0, 1}});
    QVERIFY_THROWS_EXCEPTION(Error, queryScore(QueryStrategy::Anomalous, s, 0));
  }

  void randomIsReproducibleAndDistinct() {
    PoolScores s = pool(std::vector<std::vector<float>>(50, {0.5f, 0.5f}));
    Random a(3), b(3);
    const Matrix<float> none;
    const auto ra = rankPool(QueryStrategy::Random, s, 20, none, a);
    QCOMPARE(ra, rankPool(QueryStrategy::Random, s, 20, none, b));
    QCOMPARE(std::set<int>(ra.begin(), ra.end()).size(), size_t(20));
  }

  void kCenterGreedyTakesTheFarthestPoint() {
    Matrix<float> points(2, 5);
    points << 0, 1, 10, 0, 5,  //
              0, 0, 0, 9, 5;
    Matrix<float> centres(2, 1);
    centres << 0, 0;
    // Farthest from the origin: (10, 0) at 100; then from {origin, (10,0)}: (0, 9) at 81; then (5, 5) at 50.
    QCOMPARE(kCenterGreedy(points, centres, 3), (std::vector<int>{2, 3, 4}));
    // Without centres it starts at the first point, then goes to the farthest from it.
    QCOMPARE(kCenterGreedy(points, Matrix<float>(2, 0), 2), (std::vector<int>{0, 2}));
  }

  void negativeElboMatchesAHandComputation() {
    SemiSupervisedVae<float> model(tinyModel(), 4);
    Random rng(2);
    Matrix<float> x(6, 2);
    for (int i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform());
    Matrix<float> mu, logvar, probs;
    model.encode(x, mu, logvar, &probs);
    float out[2];
    negativeElbo(model, x, mu, logvar, probs, out);
    for (int c = 0; c < 2; ++c) {
      double expected = 0;
      for (int k = 0; k < 3; ++k) {
        Matrix<float> y = Matrix<float>::Zero(3, 1), mean;
        y(k, 0) = 1;
        model.decode(mu.col(c), y, mean);
        double rec = 0;
        for (int d = 0; d < 6; ++d) rec -= x(d, c) * std::log(mean(d, 0)) + (1 - x(d, c)) * std::log(1 - mean(d, 0));
        expected += probs(k, c) * (rec + std::log(probs(k, c) * 3));
      }
      for (int j = 0; j < 2; ++j)
        expected += 0.5 * (std::exp(logvar(j, c)) + mu(j, c) * mu(j, c) - 1 - logvar(j, c));
      QVERIFY2(std::abs(out[c] - expected) < 1e-4 * std::max(1.0, std::abs(expected)),
               qPrintable(QString("%1 vs %2").arg(out[c]).arg(expected)));
    }
  }

  void simulationAnswersWithTrueLabels() {
    const QByteArray dir = qgetenv("LATENTLAB_MNIST");
    if (dir.isEmpty()) QSKIP("LATENTLAB_MNIST not set");
    DataSplit data = loadIdxFolder(dir.toStdString());
    data.train = data.train.head(1500);
    data.test = data.test.head(300);
    ModelConfig mc;
    mc.hidden = {32};
    mc.latent = 4;
    SemiSupervisedVae<float> model(mc, 1);
    TrainConfig tc;
    for (QueryStrategy q : {QueryStrategy::Entropy, QueryStrategy::Diversity, QueryStrategy::Anomalous}) {
      ActiveLearningConfig ac;
      ac.strategy = q;
      ac.start = 10;
      ac.rounds = 2;
      ac.perRound = 5;
      ActiveLearningSimulation sim(model, data, tc, ac);
      const auto rounds = sim.run();
      QCOMPARE(rounds.size(), size_t(3));
      QCOMPARE(rounds.back().labels, size_t(20));
      QCOMPARE(rounds[1].queried.size(), size_t(5));
      for (const auto& e : *sim.labels().snapshot()) QCOMPARE(e.label, data.train.labels[e.index]);
      std::set<int> distinct;
      for (const auto& e : *sim.labels().snapshot()) distinct.insert(e.index);
      QCOMPARE(distinct.size(), size_t(20));  // never asks twice for the same sample
    }
  }
};

QTEST_GUILESS_MAIN(ActiveLearningTest)
#include "ActiveLearningTest.moc"
