// Loss terms against values computed by hand (each reference's derivation is beside it), and the model's
// objective against an independent re-computation from its encode / decode pieces.
#include <QtTest/QtTest>

#include <cmath>

#include "engine/losses/BernoulliNll.h"
#include "engine/losses/CrossEntropy.h"
#include "engine/losses/Entropy.h"
#include "engine/losses/GaussianKl.h"
#include "engine/losses/GaussianNll.h"
#include "engine/model/SemiSupervisedVae.h"

using namespace latentlab;
using Mat = Matrix<double>;
using Row = RowVector<double>;

class LossValueTest : public QObject {
  Q_OBJECT

  static Mat m(int rows, int cols, std::initializer_list<double> colMajor) {
    Mat r(rows, cols);
    int i = 0;
    for (double v : colMajor) r.data()[i++] = v;
    return r;
  }

 private slots:
  void bernoulli() {
    Row l;
    bernoulliNll(m(2, 2, {0, 2, -1, 3}), m(2, 2, {1, 0, 0.5, 1}), l);
    // column 0: softplus(0) - 1*0 + softplus(2) - 0 = ln 2 + ln(1 + e^2)
    QVERIFY(std::abs(l(0) - 2.820075192) < 1e-9);
    // column 1: softplus(-1) + 0.5 + softplus(3) - 3
    QVERIFY(std::abs(l(1) - 0.861849039) < 1e-9);
  }

  void bernoulliIsStableForLargeLogits() {
    Row l;
    bernoulliNll(m(2, 1, {200, -200}), m(2, 1, {0, 1}), l);  // each term is 200
    QVERIFY(std::abs(l(0) - 400) < 1e-9);
  }

  void gaussian() {
    Row l;
    gaussianNll(m(2, 1, {1, 2}), m(2, 1, {0, 0}), 1.0, l);
    // (1 + 4) / 2 + 2 * 1/2 ln(2 pi)
    QVERIFY(std::abs(l(0) - 4.337877066) < 1e-9);
  }

  void kl() {
    Row l;
    gaussianKl(m(2, 1, {1, 0}), m(2, 1, {0, std::log(2.0)}), l);
    // 1/2 [(1 + 1 - 1 - 0) + (2 + 0 - 1 - ln 2)]
    QVERIFY(std::abs(l(0) - 0.653426410) < 1e-9);
    gaussianKl(m(3, 1, {0, 0, 0}), m(3, 1, {0, 0, 0}), l);
    QCOMPARE(l(0), 0.0);  // q = prior
  }

  void crossEntropy() {
    Row l;
    latentlab::crossEntropy(m(3, 1, {1, 2, 3}), {2}, l);
    // logsumexp(1, 2, 3) - 3 = ln(1 + e^-1 + e^-2)
    QVERIFY(std::abs(l(0) - 0.407605964) < 1e-9);
  }

  void entropy() {
    Row l;
    latentlab::entropy(m(4, 1, {0, 0, 0, 0}), l);
    QVERIFY(std::abs(l(0) - 1.386294361) < 1e-9);  // ln 4
    latentlab::entropy(m(2, 1, {0, std::log(3.0)}), l);
    QVERIFY(std::abs(l(0) - 0.562335145) < 1e-9);  // p = (1/4, 3/4)
  }

  // J from computeGradients equals the objective of MODEL.md rebuilt from encode() and decode().
  void objectiveMatchesIndependentComputation_data() {
    QTest::addColumn<int>("objective");
    QTest::newRow("single") << int(Objective::Single);
    QTest::newRow("marginal") << int(Objective::Marginal);
  }
  void objectiveMatchesIndependentComputation() {
    QFETCH(int, objective);
    ModelConfig c;
    c.inputSize = 5;
    c.hidden = {4};
    c.latent = 2;
    c.classes = 3;
    c.objective = Objective(objective);
    c.alpha = 3.0;
    c.beta = 0.5;
    SemiSupervisedVae<double> model(c, 3);
    Random rng(4);
    Batch<double> b;
    b.x.resize(5, 4);
    rng.fillUniform(b.x, 0.0, 1.0);
    b.labels = {2, 0};
    b.eps.resize(2, 4);
    rng.fillNormal(b.eps);
    const double J = model.computeGradients(b).total;

    Mat mu, lv, probs;
    model.encode(b.x, mu, lv, &probs);
    const Mat z = (mu.array() + (0.5 * lv.array()).exp() * b.eps.array()).matrix();
    auto rec = [&](int col, const Mat& y) {
      Mat p;
      model.decode(z.col(col), y, p);
      double r = 0;
      for (int d = 0; d < 5; ++d) r -= b.x(d, col) * std::log(p(d)) + (1 - b.x(d, col)) * std::log(1 - p(d));
      return r;
    };
    auto kl = [&](int col) {
      return 0.5 * (lv.col(col).array().exp() + mu.col(col).array().square() - 1 - lv.col(col).array()).sum();
    };
    auto onehot = [](int k) {
      Mat y = Mat::Zero(3, 1);
      y(k) = 1;
      return y;
    };
    double labelled = 0, unlabelled = 0;
    for (int i = 0; i < 2; ++i)
      labelled += rec(i, onehot(b.labels[i])) + 0.5 * kl(i) - 3.0 * std::log(probs(b.labels[i], i));
    for (int j = 2; j < 4; ++j) {
      if (c.objective == Objective::Single) {
        unlabelled += rec(j, probs.col(j)) + 0.5 * kl(j);
      } else {
        for (int k = 0; k < 3; ++k)
          unlabelled += probs(k, j) * (rec(j, onehot(k)) + 0.5 * kl(j) + std::log(probs(k, j)));
      }
    }
    const double expected = labelled / 2 + unlabelled / 2;
    QVERIFY2(std::abs(J - expected) < 1e-9 * std::abs(expected),
             qPrintable(QString("J %1 vs rebuilt %2").arg(J, 0, 'g', 15).arg(expected, 0, 'g', 15)));
  }
};

QTEST_APPLESS_MAIN(LossValueTest)
#include "LossValueTest.moc"
