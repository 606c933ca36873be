// The anomaly scores on tiny models of every flavour and both likelihoods, with and without class input:
// each score against a hand computation in double precision from the model's own encode and decode (the
// probabilities, not the logits the engine scores from; the IWAE with the documented draws); the IWAE with
// S = 1 is the ELBO in expectation and the estimate of log p(x) rises with S; every symptom map sums to its
// score; the symptom views and the ranking; S = 0 is refused.
#include <QtTest/QtTest>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/Symptoms.h"
#include "engine/core/Error.h"
#include "support/RandomData.h"

using namespace latentlab;

namespace {

using Md = Eigen::MatrixXd;

ModelConfig tinyModel(Flavour flavour, Likelihood likelihood, bool classInput) {
  ModelConfig c;
  c.flavour = flavour;
  c.inputSize = 6;
  c.hidden = {5};
  c.latent = 2;
  c.classes = 3;
  c.likelihood = likelihood;
  c.objective = Objective::Single;
  c.classInput = classInput;
  c.gaussianVariance = 0.5;
  if (flavour == Flavour::Conv) {
    c.setInput(SampleShape::image(4, 4));
    c.conv.channels = {2};
  } else if (flavour == Flavour::Recurrent) {
    c.setInput(SampleShape::sequence(3, 2));
    c.recurrent.hidden = 4;
  }
  return c;
}

Matrix<float> randomData(int D, int n, uint64_t seed) { return testing::uniformMatrix(D, n, seed); }

// -log p(x | decoded mean) per column, in double, from the means (probabilities or Gaussian means).
Eigen::RowVectorXd nllByHand(const ModelConfig& c, const Md& x, const Md& mean) {
  if (c.likelihood == Likelihood::Bernoulli)
    return -(x.array() * mean.array().log() + (1 - x.array()) * (1 - mean.array()).log()).colwise().sum();
  const double var = c.gaussianVariance;
  return ((x - mean).array().square() / (2 * var) + 0.5 * std::log(2 * std::numbers::pi * var)).colwise().sum();
}

struct Posterior {
  Md mu, logvar, probs;
};

Posterior encodeByHand(SemiSupervisedVae<float>& model, const Matrix<float>& x) {
  Matrix<float> mu, logvar, probs;
  model.encode(x, mu, logvar, &probs);
  return {mu.cast<double>(), logvar.cast<double>(), probs.cast<double>()};
}

Md decodeByHand(SemiSupervisedVae<float>& model, const Md& z, int cls) {
  Matrix<float> y = Matrix<float>::Zero(model.config().classes, z.cols()), mean;
  if (cls >= 0) y.row(cls).setOnes();
  model.decode(z.cast<float>(), y, mean);
  return mean.cast<double>();
}

// sum_k q_k (-log p(x | z, k)), or -log p(x | z) without class input; one z column per x column.
Eigen::RowVectorXd expectedNll(SemiSupervisedVae<float>& model, const Md& x, const Md& z, const Md& probs) {
  const ModelConfig& c = model.config();
  if (!c.classInput) return nllByHand(c, x, decodeByHand(model, z, -1));
  Eigen::RowVectorXd r = Eigen::RowVectorXd::Zero(x.cols());
  for (int k = 0; k < c.classes; ++k) r += probs.row(k).cwiseProduct(nllByHand(c, x, decodeByHand(model, z, k)));
  return r;
}

Eigen::RowVectorXd klByHand(const ModelConfig& c, const Posterior& p) {
  Eigen::RowVectorXd kl = 0.5 * (p.logvar.array().exp() + p.mu.array().square() - 1 - p.logvar.array()).colwise().sum();
  if (c.classInput) kl += (p.probs.array() * (p.probs.array() * c.classes).log()).colwise().sum().matrix();
  return kl;
}

// log N(v; m, exp(lv)) summed over the dimensions.
double logNormal(const Eigen::VectorXd& v, const Eigen::VectorXd& m, const Eigen::VectorXd& lv) {
  double s = 0;
  for (int i = 0; i < v.size(); ++i)
    s += -0.5 * std::log(2 * std::numbers::pi) - 0.5 * lv(i) - 0.5 * (v(i) - m(i)) * (v(i) - m(i)) / std::exp(lv(i));
  return s;
}

// The IWAE estimate of -log p(x) of column j (id j) with the documented draws.
double iwaeByHand(SemiSupervisedVae<float>& model, const Md& x, const Posterior& p, int j, int S, uint64_t seed) {
  const ModelConfig& c = model.config();
  Random rng = pointRandom(seed, j);
  std::vector<double> logw;
  for (int s = 0; s < S; ++s) {
    Eigen::VectorXd eps(c.latent);
    for (int i = 0; i < c.latent; ++i) eps(i) = rng.normal();
    const Eigen::VectorXd z = p.mu.col(j).array() + (0.5 * p.logvar.col(j).array()).exp() * eps.array();
    int cls = -1;
    double logPy = 0;
    if (c.classInput) {
      const double u = rng.uniform();
      double cumulative = 0;
      for (int k = 0; k < c.classes; ++k) {
        cumulative += p.probs(k, j);
        if (u < cumulative) {
          cls = k;
          break;
        }
      }
      if (cls < 0) cls = c.classes - 1;
      logPy = -std::log(double(c.classes)) - std::log(p.probs(cls, j));
    }
    const double logPx = -nllByHand(c, x.col(j), decodeByHand(model, z, cls))(0);
    logw.push_back(logPx + logNormal(z, Eigen::VectorXd::Zero(c.latent), Eigen::VectorXd::Zero(c.latent)) -
                   logNormal(z, p.mu.col(j), p.logvar.col(j)) + logPy);
  }
  const double top = *std::max_element(logw.begin(), logw.end());
  double sum = 0;
  for (double l : logw) sum += std::exp(l - top);
  return -(top + std::log(sum / S));
}

ScoreBreakdown score(SemiSupervisedVae<float>& model, const Matrix<float>& x, ScoreKind kind, int samples = 8,
                     uint64_t seed = 1, int elboSamples = 0) {
  ScoreSettings s;
  s.kind = kind;
  s.samples = samples;
  s.seed = seed;
  s.elboSamples = elboSamples;
  s.perFeature = true;
  ScoreBreakdown out;
  scoreChunk(model, x, s, {}, out);
  return out;
}

bool near(double a, double b, double rel = 2e-4) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

}  // namespace

class AnomalyScoreTest : public QObject {
  Q_OBJECT

 private slots:
  void matchesHandComputation_data() {
    QTest::addColumn<int>("flavour");
    QTest::addColumn<int>("likelihood");
    QTest::addColumn<bool>("classInput");
    for (Flavour f : {Flavour::Dense, Flavour::Conv, Flavour::Recurrent})
      for (Likelihood l : {Likelihood::Bernoulli, Likelihood::Gaussian})
        for (bool ci : {true, false})
          QTest::newRow(qPrintable(QString("%1 %2 %3")
                                       .arg(QString::fromStdString(toString(f)), QString::fromStdString(toString(l)),
                                            ci ? "with classes" : "without classes")))
              << int(f) << int(l) << ci;
  }
  void matchesHandComputation() {
    QFETCH(int, flavour);
    QFETCH(int, likelihood);
    QFETCH(bool, classInput);
    const ModelConfig c = tinyModel(Flavour(flavour), Likelihood(likelihood), classInput);
    SemiSupervisedVae<float> model(c, 7);
    const Matrix<float> x = randomData(c.inputSize, 4, 8);
    const Md xd = x.cast<double>();
    const Posterior p = encodeByHand(model, x);
    const Eigen::RowVectorXd rec = expectedNll(model, xd, p.mu, p.probs);
    const Eigen::RowVectorXd kl = klByHand(c, p);

    const ScoreBreakdown r = score(model, x, ScoreKind::Reconstruction);
    const ScoreBreakdown e = score(model, x, ScoreKind::NegativeElbo);
    const ScoreBreakdown w = score(model, x, ScoreKind::Iwae, 7, 5);
    for (int j = 0; j < 4; ++j) {
      QVERIFY2(near(r.total(j), rec(j)), qPrintable(QString("recon %1 vs %2").arg(r.total(j)).arg(rec(j))));
      QCOMPARE(r.latent(j), 0.0f);
      QVERIFY2(near(e.total(j), rec(j) + kl(j)),
               qPrintable(QString("elbo %1 vs %2").arg(e.total(j)).arg(rec(j) + kl(j))));
      QVERIFY(near(e.latent(j), kl(j)));
      const double iw = iwaeByHand(model, xd, p, j, 7, 5);
      QVERIFY2(near(w.total(j), iw), qPrintable(QString("iwae %1 vs %2").arg(w.total(j)).arg(iw)));
    }

    // Every score's symptom map sums to it, less its latent term; the views of the map keep the sum.
    for (const ScoreBreakdown* b : {&r, &e, &w}) {
      QCOMPARE(b->perFeature.rows(), Eigen::Index(c.inputSize));
      for (int j = 0; j < 4; ++j) {
        const double sum = b->perFeature.col(j).cast<double>().sum();
        QVERIFY2(near(sum + b->latent(j), b->total(j), 1e-5),
                 qPrintable(QString("%1 + %2 vs %3").arg(sum).arg(b->latent(j)).arg(b->total(j))));
        const Vector<float> f = b->perFeature.col(j);
        QVERIFY(near(symptomsPerPosition(f, c.inputShape()).sum(), sum, 1e-5));
        QVERIFY(near(symptomsPerChannel(f, c.inputShape()).sum(), sum, 1e-5));
      }
    }
  }

  // The -ELBO with sampled z: the same hand computation over the documented draws.
  void sampledElbo() {
    const ModelConfig c = tinyModel(Flavour::Dense, Likelihood::Bernoulli, true);
    SemiSupervisedVae<float> model(c, 9);
    const Matrix<float> x = randomData(c.inputSize, 3, 10);
    const Posterior p = encodeByHand(model, x);
    const ScoreBreakdown e = score(model, x, ScoreKind::NegativeElbo, 1, 3, 5);
    const Eigen::RowVectorXd kl = klByHand(c, p);
    for (int j = 0; j < 3; ++j) {
      Random rng = pointRandom(3, j);
      double rec = 0;
      for (int s = 0; s < 5; ++s) {
        Md z(c.latent, 1);
        for (int i = 0; i < c.latent; ++i) z(i, 0) = p.mu(i, j) + std::exp(0.5 * p.logvar(i, j)) * rng.normal();
        rec += expectedNll(model, x.col(j).cast<double>(), z, p.probs.col(j))(0) / 5;
      }
      QVERIFY2(near(e.total(j), rec + kl(j)), qPrintable(QString("%1 vs %2").arg(e.total(j)).arg(rec + kl(j))));
    }
  }

  // S = 1: one joint draw (z, y) from q; its expectation is the ELBO. With the same seed the -ELBO with one z
  // sample draws the same z, so the paired difference has mean zero and a small spread.
  void iwaeWithOneSampleIsTheElboInExpectation() {
    for (bool classInput : {true, false}) {
      const ModelConfig c = tinyModel(Flavour::Dense, Likelihood::Bernoulli, classInput);
      SemiSupervisedVae<float> model(c, 11);
      const Matrix<float> x = randomData(c.inputSize, 2, 12);
      const int draws = 4000;
      for (int j = 0; j < 2; ++j) {
        double mean = 0, meanSquare = 0;
        for (int seed = 1; seed <= draws; ++seed) {
          const double d = score(model, x.col(j), ScoreKind::Iwae, 1, uint64_t(seed)).total(0) -
                           score(model, x.col(j), ScoreKind::NegativeElbo, 1, uint64_t(seed), 1).total(0);
          mean += d / draws;
          meanSquare += d * d / draws;
        }
        const double standardError = std::sqrt(std::max(0.0, meanSquare - mean * mean) / draws);
        QVERIFY2(std::abs(mean) < 4 * standardError + 1e-4,
                 qPrintable(QString("mean difference %1, standard error %2").arg(mean).arg(standardError)));
      }
    }
  }

  // The estimate of log p(x) rises with S (the score falls), and every IWAE lies below the ELBO's score.
  void iwaeRisesWithSamples() {
    const ModelConfig c = tinyModel(Flavour::Dense, Likelihood::Bernoulli, true);
    SemiSupervisedVae<float> model(c, 13);
    const Matrix<float> x = randomData(c.inputSize, 3, 14);
    const int repeats = 300;
    std::vector<double> means;
    for (int S : {1, 4, 32}) {
      double m = 0;
      for (int seed = 1; seed <= repeats; ++seed) m += score(model, x, ScoreKind::Iwae, S, uint64_t(seed)).total.sum();
      means.push_back(m / repeats);
    }
    double elbo = 0;
    for (int seed = 1; seed <= repeats; ++seed)
      elbo += score(model, x, ScoreKind::NegativeElbo, 1, uint64_t(seed), 1).total.sum() / repeats;
    QVERIFY2(means[0] > means[1] && means[1] > means[2],
             qPrintable(QString("%1 %2 %3").arg(means[0]).arg(means[1]).arg(means[2])));
    QVERIFY2(std::abs(means[0] - elbo) < 0.05 * std::abs(elbo),
             qPrintable(QString("%1 vs %2").arg(means[0]).arg(elbo)));
    QVERIFY(means[2] < elbo);
  }

  // A point's score does not depend on the chunk it is scored in or on the other points.
  void scoresDoNotDependOnChunking() {
    const ModelConfig c = tinyModel(Flavour::Dense, Likelihood::Bernoulli, true);
    SemiSupervisedVae<float> model(c, 15);
    const Matrix<float> data = randomData(c.inputSize, 300, 16);
    ScoreSettings s;
    s.kind = ScoreKind::Iwae;
    s.samples = 10;
    std::vector<int> all(300), few{250, 3, 17};
    std::iota(all.begin(), all.end(), 0);
    ScoreBreakdown a, b;
    std::vector<int> progress;
    QCOMPARE(int(scoreColumns(model, data, all, s, a, [&](int done, int) { progress.push_back(done); })),
             int(JobStatus::Finished));
    QVERIFY(progress.size() > 1);  // 204 points a chunk at S = 10
    QCOMPARE(progress.back(), 300);
    scoreColumns(model, data, few, s, b);
    for (int i = 0; i < 3; ++i) QVERIFY(near(b.total(i), a.total(few[size_t(i)]), 1e-5));
    CancelFlag cancel{true};
    QCOMPARE(int(scoreColumns(model, data, all, s, a, {}, &cancel)), int(JobStatus::Cancelled));
  }

  void symptomViewsAndRanking() {
    // A 2x3 image of two channels: feature (y * 3 + x) * 2 + c.
    Vector<float> f(12);
    for (int i = 0; i < 12; ++i) f(i) = float(i);
    const SampleShape image = SampleShape::image(2, 3, 2);
    const Vector<float> pixels = symptomsPerPosition(f, image), channels = symptomsPerChannel(f, image);
    QCOMPARE(pixels.size(), Eigen::Index(6));
    QCOMPARE(pixels(0), 1.0f);     // 0 + 1
    QCOMPARE(pixels(5), 21.0f);    // 10 + 11
    QCOMPARE(channels(0), 30.0f);  // 0 + 2 + ... + 10
    QCOMPARE(channels(1), 36.0f);
    // A sequence of 4 steps x 3 channels: feature t * 3 + c.
    const SampleShape seq = SampleShape::sequence(4, 3);
    QCOMPARE(symptomsPerChannel(f, seq)(2), 2.0f + 5 + 8 + 11);
    QCOMPARE(symptomsPerPosition(f, seq)(1), 3.0f + 4 + 5);
    QCOMPARE(describeFeature(7, seq), std::string("channel 1, step 2"));
    QCOMPARE(describeFeature(5, SampleShape::image(28, 28)), std::string("pixel (row 0, column 5)"));
    QCOMPARE(describeFeature(9, image), std::string("pixel (row 1, column 1) channel 1"));
    QVERIFY_THROWS_EXCEPTION(Error, symptomsPerChannel(f, SampleShape::image(28, 28)));

    Vector<float> g(5);
    g << 0.5f, 3.0f, -1.0f, 3.0f, 2.0f;
    const std::vector<RankedFeature> top = topFeatures(g, 3);
    QCOMPARE(int(top.size()), 3);
    QCOMPARE(top[0].feature, 1);  // ties: the lower index first
    QCOMPARE(top[1].feature, 3);
    QCOMPARE(top[2].feature, 4);
    QCOMPARE(top[2].contribution, 2.0f);
    QCOMPARE(int(topFeatures(g, 99).size()), 5);
  }

  void badRequestsAreRefused() {
    const ModelConfig c = tinyModel(Flavour::Dense, Likelihood::Bernoulli, true);
    SemiSupervisedVae<float> model(c, 17);
    const Matrix<float> x = randomData(c.inputSize, 2, 18);
    ScoreSettings s;
    s.kind = ScoreKind::Iwae;
    s.samples = 0;
    ScoreBreakdown out;
    try {
      scoreChunk(model, x, s, {}, out);
      QFAIL("S = 0 was accepted");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("at least one sample"), e.what());
    }
    s.samples = 5;
    QVERIFY_THROWS_EXCEPTION(Error, scoreChunk(model, randomData(7, 2, 1), s, {}, out));  // another input size
    QVERIFY_THROWS_EXCEPTION(Error, scoreColumns(model, x, {0, 2}, s, out));              // no column 2
    QVERIFY_THROWS_EXCEPTION(Error, scoreKindFromString("likelihood"));
    QCOMPARE(int(scoreKindFromString("iwae")), int(ScoreKind::Iwae));
  }
};

QTEST_APPLESS_MAIN(AnomalyScoreTest)
#include "AnomalyScoreTest.moc"
