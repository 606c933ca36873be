// The baselines of the anomaly experiment. PCA: points on a plane in 5-D score their squared distance to it,
// split per feature. The deterministic autoencoder: its whole gradient against central differences in double
// (every flavour, both likelihoods; engine/../GradientCheck.h), and training lowers its loss on data it can
// learn, so that a point unlike the training data scores higher.
#include <QtTest/QtTest>

#include "engine/GradientCheck.h"
#include "engine/anomaly/AutoencoderDetector.h"
#include "engine/anomaly/PcaDetector.h"
#include "engine/core/Error.h"

using namespace latentlab;
using namespace latentlab::test;

class BaselinesTest : public QObject {
  Q_OBJECT

 private slots:
  void pcaScoresTheDistanceToThePlane() {
    // 200 points a u + b v + m with u, v orthonormal in 5-D.
    Vector<float> u(5), v(5), m(5);
    u << 1, 0, 0, 0, 0;
    v << 0, 0.6f, 0.8f, 0, 0;
    m << 0.5f, -1, 2, 0.25f, 0;
    Random rng(3);
    Matrix<float> x(5, 200);
    for (int j = 0; j < 200; ++j) x.col(j) = float(rng.normal()) * u + float(rng.normal()) * v + m;
    const PcaDetector pca(x, 2);
    QCOMPARE(pca.components(), 2);
    Matrix<float> probe(5, 2);
    probe.col(0) = 0.3f * u - 1.2f * v + m;  // on the plane
    Vector<float> w(5);
    w << 0, 0.8f, -0.6f, 0, 0;  // orthogonal to the plane; distance 2 along w, 1 along the last axis
    probe.col(1) = 1.5f * u + 2 * w + m;
    probe(4, 1) += 1;
    ScoreBreakdown s;
    pca.score(probe, s, true);
    QVERIFY(s.total(0) < 1e-6f);
    QVERIFY(std::abs(s.total(1) - 5.0f) < 1e-4f);  // 2^2 + 1^2
    QVERIFY(std::abs(s.perFeature(4, 1) - 1.0f) < 1e-4f);
    QVERIFY(std::abs(s.perFeature(1, 1) - 0.8f * 0.8f * 4) < 1e-4f);  // (2 * 0.8)^2
    QVERIFY(std::abs(s.perFeature.col(1).sum() - s.total(1)) < 1e-5f);
    QCOMPARE(s.latent(1), 0.0f);
    QVERIFY_THROWS_EXCEPTION(Error, PcaDetector(x, 6));
  }

  void autoencoderGradients_data() {
    QTest::addColumn<int>("flavour");
    QTest::addColumn<int>("likelihood");
    for (Flavour f : {Flavour::Dense, Flavour::Conv, Flavour::Recurrent})
      for (Likelihood l : {Likelihood::Bernoulli, Likelihood::Gaussian})
        QTest::newRow(qPrintable(QString::fromStdString(toString(f) + " " + toString(l)))) << int(f) << int(l);
  }
  void autoencoderGradients() {
    QFETCH(int, flavour);
    QFETCH(int, likelihood);
    ModelConfig c;
    c.flavour = Flavour(flavour);
    c.likelihood = Likelihood(likelihood);
    c.inputSize = 6;
    c.hidden = {5, 4};
    c.latent = 3;
    c.objective = Objective::Single;
    c.classInput = false;
    if (c.flavour == Flavour::Conv) {
      c.setInput(SampleShape::image(4, 4));
      c.conv.channels = {2, 3};
      c.hidden = {5};
    } else if (c.flavour == Flavour::Recurrent) {
      c.setInput(SampleShape::sequence(3, 2));
      c.recurrent.hidden = 4;
    }
    DeterministicAutoencoder<double> ae(c, 5);
    Random rng(6);
    const Mat x = randomMatrix(rng, c.inputSize, 4, 0, 1);
    std::vector<Variable> vars;
    for (auto& p : ae.parameters()) {
      Mat* g = p.grad;
      vars.push_back({p.name, p.value, [g]() -> const Mat& { return *g; }, g});
    }
    QCOMPARE(vars[vars.size() - 1].name.rfind("decoder.body.", 0), size_t(0));
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, vars, [&] { return double(ae.computeGradients(x)); }, [&] { ae.computeGradients(x); });
  }

  void autoencoderLearnsItsData() {
    // Binary patterns: the first half of the features on, or the second half.
    ModelConfig c;
    c.inputSize = 8;
    c.hidden = {16};
    c.latent = 2;
    c.objective = Objective::Single;
    c.classInput = false;
    Matrix<float> x = Matrix<float>::Zero(8, 400);
    for (int j = 0; j < 400; ++j) x.block(j % 2 ? 4 : 0, j, 4, 1).setOnes();
    AutoencoderDetector ae(c, 7);
    ScoreBreakdown before, after;
    ae.score(x.leftCols(2), before);
    std::vector<double> losses;
    AutoencoderTraining t;
    t.epochs = 30;
    t.batch = 20;
    t.learningRate = 1e-2;
    QCOMPARE(int(ae.train(x, t, [&](int, int, double loss) { losses.push_back(loss); })), int(JobStatus::Finished));
    QCOMPARE(int(losses.size()), 30);
    QVERIFY(losses.back() < 0.2 * losses.front());
    Matrix<float> odd = Matrix<float>::Zero(8, 1);
    odd(0, 0) = odd(7, 0) = 1;  // one feature of each half
    ScoreBreakdown normal, anomaly;
    ae.score(x.leftCols(2), normal, true);
    ae.score(odd, anomaly, true);
    QVERIFY(anomaly.total(0) > 2 * normal.total.maxCoeff());
    QVERIFY(std::abs(anomaly.perFeature.col(0).sum() - anomaly.total(0)) < 1e-4f);
    CancelFlag cancel{true};
    QCOMPARE(int(ae.train(x, t, {}, &cancel)), int(JobStatus::Cancelled));
  }
};

QTEST_APPLESS_MAIN(BaselinesTest)
#include "BaselinesTest.moc"
