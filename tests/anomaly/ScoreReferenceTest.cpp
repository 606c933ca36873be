// The surprise score (engine/anomaly/ScoreReference.h): the tail counts and the entropy against hand-computed
// values; the score of a tiny model, with and without class input, against the reference applied by hand to
// its -ELBO and q(y|x); its map is the -ELBO's and sums to it with the latent term; a point of no known class
// that the -ELBO calls normal is surprising through its doubt; bad uses are refused.
#include <QtTest/QtTest>
#include <cmath>
#include <memory>
#include <numeric>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/ScoreReference.h"
#include "engine/core/Error.h"
#include "support/RandomData.h"

using namespace latentlab;

namespace {

ModelConfig tinyModel(bool classInput) {
  ModelConfig c;
  c.inputSize = 6;
  c.hidden = {5};
  c.latent = 2;
  c.classes = 3;
  c.objective = Objective::Single;
  c.classInput = classInput;
  return c;
}

Matrix<float> randomData(int D, int n, uint64_t seed) { return testing::uniformMatrix(D, n, seed); }

RowVector<float> row(std::initializer_list<float> v) {
  RowVector<float> r(Eigen::Index(v.size()));
  int i = 0;
  for (float x : v) r(i++) = x;
  return r;
}

}  // namespace

class ScoreReferenceTest : public QObject {
  Q_OBJECT

 private slots:
  void tailCountsAndEntropy() {
    const std::vector<float> ref{1, 2, 2, 3, 4};  // ascending, n = 5
    // Points at least v, plus one, over n + 1.
    QVERIFY(std::abs(tailSurprise(ref, 0.5f) - -std::log(6.0 / 6)) < 1e-12);
    QVERIFY(std::abs(tailSurprise(ref, 2.0f) - -std::log(5.0 / 6)) < 1e-12);  // 2, 2, 3, 4
    QVERIFY(std::abs(tailSurprise(ref, 2.5f) - -std::log(3.0 / 6)) < 1e-12);  // 3, 4
    // Beyond all: log(n + 1), then an exponential tail; the top tenth (one point, 4) exceeds the point below
    // it (3) by 1 on average.
    QVERIFY(std::abs(tailSurprise(ref, 4.5f) - (std::log(6.0) + 0.5)) < 1e-9);
    QVERIFY(std::abs(tailSurprise(ref, 9.0f) - (std::log(6.0) + 5.0)) < 1e-9);
    QVERIFY(std::abs(tailSurprise({2, 2, 2}, 3.0f) - std::log(4.0)) < 1e-12);  // no spread: no tail to go on

    Matrix<float> q(3, 3);
    q << 1, 0.5f, 1 / 3.0f,  //
        0, 0.5f, 1 / 3.0f,   //
        0, 0, 1 / 3.0f;
    const RowVector<float> h = classDoubt(q);
    QCOMPARE(h(0), 0.0f);
    QVERIFY(std::abs(h(1) - std::log(2.0f)) < 1e-6f);
    QVERIFY(std::abs(h(2) - std::log(3.0f)) < 1e-6f);
  }

  void surpriseByHand() {
    // Reference -ELBO {10, 20, 30, 40}; doubts {0, 0, log 2, 0} (one point torn between two classes).
    Matrix<float> q(2, 4);
    q << 1, 0, 0.5f, 1,  //
        0, 1, 0.5f, 0;
    const ScoreReference r = ScoreReference::fit(row({30, 10, 40, 20}), q);
    QCOMPARE(r.size(), 4);
    QVERIFY(std::is_sorted(r.elbo.begin(), r.elbo.end()) && std::is_sorted(r.doubt.begin(), r.doubt.end()));
    // A point with -ELBO 25 (2 of 4 at least) and doubt log 2 (1 of 4): -log(3/5) - log(2/5).
    Matrix<float> p(2, 2);
    p << 0.5f, 1,  //
        0.5f, 0;
    RowVector<float> s;
    r.surprise(row({25, 5}), p, s);
    QVERIFY(std::abs(s(0) - float(-std::log(3.0 / 5) - std::log(2.0 / 5))) < 1e-5f);
    // -ELBO below every reference point and no doubt: nothing surprising.
    QVERIFY(std::abs(s(1)) < 1e-6f);

    // Without class input: the -ELBO's term alone.
    const ScoreReference plain = ScoreReference::fit(row({30, 10, 40, 20}), Matrix<float>());
    QVERIFY(plain.doubt.empty());
    plain.surprise(row({45}), Matrix<float>(), s);
    QVERIFY(std::abs(s(0) - float(std::log(5.0) + 0.5)) < 1e-5f);  // 5 beyond 40; the top point exceeds 30 by 10
  }

  // The score of a model: the reference applied to its own -ELBO and q(y|x); the map is the -ELBO's.
  void modelScore_data() {
    QTest::addColumn<bool>("classInput");
    QTest::newRow("with classes") << true;
    QTest::newRow("without classes") << false;
  }
  void modelScore() {
    QFETCH(bool, classInput);
    SemiSupervisedVae<float> model(tinyModel(classInput), 3);
    const Matrix<float> train = randomData(6, 50, 4), x = randomData(6, 5, 5);
    std::vector<int> columns(50);
    std::iota(columns.begin(), columns.end(), 0);
    ScoreSettings s;
    s.kind = ScoreKind::Surprise;
    s.perFeature = true;
    const ScoreReference fitted = fitScoreReference(model, train, columns, s);
    QCOMPARE(fitted.size(), 50);
    QCOMPARE(fitted.doubt.empty(), !classInput);
    s.reference = std::make_shared<ScoreReference>(fitted);

    ScoreSettings es = s;
    es.kind = ScoreKind::NegativeElbo;
    ScoreBreakdown elbo, surprise;
    scoreChunk(model, x, es, {}, elbo);
    scoreChunk(model, x, s, {}, surprise);
    Matrix<float> probs;
    model.classify(x, probs);
    for (int j = 0; j < 5; ++j) {
      double expected = tailSurprise(fitted.elbo, elbo.total(j));
      if (classInput) expected += tailSurprise(fitted.doubt, classDoubt(probs.col(j))(0));
      QVERIFY2(std::abs(surprise.total(j) - expected) < 1e-4,
               qPrintable(QString("%1 vs %2").arg(surprise.total(j)).arg(expected)));
      QVERIFY(surprise.perFeature.col(j).isApprox(elbo.perFeature.col(j)));
      QVERIFY(std::abs(surprise.perFeature.col(j).sum() + surprise.latent(j) - surprise.total(j)) < 1e-3f);
    }
  }

  // A point whose -ELBO is the lowest of all but that leaves the classifier in doubt is still surprising.
  void doubtAloneIsSurprising() {
    Matrix<float> q = Matrix<float>::Zero(3, 100);
    q.row(0).setOnes();  // every reference point is certain
    RowVector<float> e(100);
    for (int j = 0; j < 100; ++j) e(j) = float(50 + j);
    const ScoreReference r = ScoreReference::fit(e, q);
    Matrix<float> p = Matrix<float>::Constant(3, 2, 1 / 3.0f);
    p.col(1) << 1, 0, 0;
    RowVector<float> s;
    r.surprise(row({10, 10}), p, s);
    QVERIFY(s(0) > 4.6f);  // doubt beyond every reference point: at least log(101)
    QVERIFY(s(1) < 0.01f);
  }

  void badUsesAreRefused() {
    SemiSupervisedVae<float> model(tinyModel(true), 3);
    ScoreSettings s;
    s.kind = ScoreKind::Surprise;
    ScoreBreakdown out;
    try {
      scoreChunk(model, randomData(6, 2, 1), s, {}, out);
      QFAIL("surprise without a reference was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("reference"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, ScoreReference::fit(RowVector<float>(), Matrix<float>()));
    QVERIFY_THROWS_EXCEPTION(Error, ScoreReference::fit(row({1, 2}), Matrix<float>::Ones(3, 5)));
    QVERIFY_THROWS_EXCEPTION(Error, ScoreReference::fit(row({1, NAN}), Matrix<float>()));
    // Fitted without class input, applied with class probabilities (and the other way round).
    RowVector<float> r;
    QVERIFY_THROWS_EXCEPTION(Error, ScoreReference::fit(row({1, 2}), Matrix<float>()).surprise(row({1}), Matrix<float>::Ones(3, 1), r));
    QVERIFY_THROWS_EXCEPTION(Error, ScoreReference::fit(row({1, 2}), Matrix<float>::Ones(2, 2)).surprise(row({1}), Matrix<float>(), r));
    QCOMPARE(int(scoreKindFromString("surprise")), int(ScoreKind::Surprise));
  }
};

QTEST_APPLESS_MAIN(ScoreReferenceTest)
#include "ScoreReferenceTest.moc"
