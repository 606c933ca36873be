// Adam's update against hand-computed steps.
#include <QtTest/QtTest>

#include "engine/optim/Adam.h"

using namespace latentlab;

class AdamTest : public QObject {
  Q_OBJECT
 private slots:
  void firstStepMovesByLearningRate() {
    // Step 1: mhat = g, vhat = g^2, so p -= lr * g / (|g| + eps) = lr * sign(g).
    Matrix<double> p(2, 1), g(2, 1);
    p << 1.0, -2.0;
    g << 0.5, -3.0;
    Adam<double> adam({{"p", &p, &g}}, AdamConfig{0.1, 0.9, 0.999, 1e-8});
    adam.step();
    QVERIFY(std::abs(p(0) - 0.9) < 1e-7);
    QVERIFY(std::abs(p(1) - -1.9) < 1e-7);
    QCOMPARE(adam.steps(), 1L);
  }

  void secondStepUsesBiasCorrectedMoments() {
    Matrix<double> p(1, 1), g(1, 1);
    p << 0.0;
    Adam<double> adam({{"p", &p, &g}}, AdamConfig{0.01, 0.9, 0.999, 0.0});
    g << 1.0;
    adam.step();
    g << 3.0;
    adam.step();
    // m2 = 0.9*0.1 + 0.1*3 = 0.39, v2 = 0.999*0.001 + 0.001*9 = 0.009999
    // mhat = 0.39 / (1 - 0.81) = 2.0526316, vhat = 0.009999 / (1 - 0.998001) = 5.0020010
    const double expected = -0.01 - 0.01 * (0.39 / 0.19) / std::sqrt(0.009999 / 0.001999);
    QVERIFY(std::abs(p(0) - expected) < 1e-12);
  }
};

QTEST_APPLESS_MAIN(AdamTest)
#include "AdamTest.moc"
