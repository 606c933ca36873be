// Every loss term's gradient against central differences: objective = sum_c w_c loss_c, random w.
#include "GradientCheck.h"
#include "engine/losses/BernoulliNll.h"
#include "engine/losses/CrossEntropy.h"
#include "engine/losses/Entropy.h"
#include "engine/losses/GaussianKl.h"
#include "engine/losses/GaussianNll.h"
#include "engine/losses/Softmax.h"

using namespace latentlab;
using namespace latentlab::test;
using Row = RowVector<double>;

class LossGradientTest : public QObject {
  Q_OBJECT

  static Row weights(Random& rng, int n) {
    Row w(n);
    for (int i = 0; i < n; ++i) w(i) = rng.uniform() * 2 - 0.5;
    return w;
  }

 private slots:
  void bernoulli() {
    Random rng(1);
    Mat logits = randomMatrix(rng, 6, 4, -4, 4), x = randomMatrix(rng, 6, 4, 0, 1);
    const Row w = weights(rng, 4);
    Mat d;
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, (std::vector<Variable>{{"logits", &logits, [&]() -> const Mat& { return d; }, &d}}),
        [&] {
          Row l;
          bernoulliNll(logits, x, l);
          return (l.array() * w.array()).sum();
        },
        [&] { bernoulliNllBackward(logits, x, w, d); });
  }

  // The fused loss-and-gradient kernel the model uses agrees with the separate pair, in float too.
  void bernoulliFusedMatchesSeparate() {
    Random rng(8);
    Matrix<float> logits(7, 5), x(7, 5), dFused, dSeparate;
    rng.fillUniform(logits, -20.f, 20.f);
    rng.fillUniform(x, 0.f, 1.f);
    RowVector<float> w(5), fused, separate;
    for (int i = 0; i < 5; ++i) w(i) = float(rng.uniform());
    bernoulliNllWithGradient(logits, x, w, fused, dFused);
    bernoulliNll(logits, x, separate);
    bernoulliNllBackward(logits, x, w, dSeparate);
    QVERIFY(((fused - separate).array().abs() <= 1e-5f * separate.array().abs()).all());
    QVERIFY((dFused - dSeparate).cwiseAbs().maxCoeff() < 1e-6f);
  }

  void gaussian() {
    Random rng(2);
    Mat mean = randomMatrix(rng, 5, 3), x = randomMatrix(rng, 5, 3);
    const Row w = weights(rng, 3);
    Mat d;
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, (std::vector<Variable>{{"mean", &mean, [&]() -> const Mat& { return d; }, &d}}),
        [&] {
          Row l;
          gaussianNll(mean, x, 0.7, l);
          return (l.array() * w.array()).sum();
        },
        [&] { gaussianNllBackward(mean, x, 0.7, w, d); });
  }

  void kl() {
    Random rng(3);
    Mat mu = randomMatrix(rng, 4, 3), lv = randomMatrix(rng, 4, 3);
    const Row w = weights(rng, 3);
    Mat dMu, dLv;
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check,
        (std::vector<Variable>{{"mu", &mu, [&]() -> const Mat& { return dMu; }},
                               {"logvar", &lv, [&]() -> const Mat& { return dLv; }}}),
        [&] {
          Row l;
          gaussianKl(mu, lv, l);
          return (l.array() * w.array()).sum();
        },
        [&] {
          dMu.setZero(4, 3);  // backward adds into these
          dLv.setZero(4, 3);
          gaussianKlBackwardAdd(mu, lv, w, dMu, dLv);
        });
  }

  void crossEntropyFromLogits() {
    Random rng(4);
    Mat logits = randomMatrix(rng, 5, 4, -3, 3);
    const std::vector<int> labels{0, 4, 2, 2};
    const Row w = weights(rng, 4);
    Mat d;
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, (std::vector<Variable>{{"logits", &logits, [&]() -> const Mat& { return d; }, &d}}),
        [&] {
          Row l;
          crossEntropy(logits, labels, l);
          return (l.array() * w.array()).sum();
        },
        [&] { crossEntropyBackward(logits, labels, w, d); });
  }

  void entropyOfSoftmax() {
    Random rng(5);
    Mat logits = randomMatrix(rng, 4, 3, -3, 3);
    const Row w = weights(rng, 3);
    Mat d;
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, (std::vector<Variable>{{"logits", &logits, [&]() -> const Mat& { return d; }, &d}}),
        [&] {
          Row l;
          entropy(logits, l);
          return (l.array() * w.array()).sum();
        },
        [&] { entropyBackward(logits, w, d); });
  }

  void softmaxJacobian() {
    Random rng(6);
    Mat logits = randomMatrix(rng, 4, 3, -3, 3);
    const Mat G = randomMatrix(rng, 4, 3);
    Mat d;
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, (std::vector<Variable>{{"logits", &logits, [&]() -> const Mat& { return d; }}}),
        [&] {
          Mat p;
          softmax(logits, p);
          return dot(p, G);
        },
        [&] {
          Mat p;
          softmax(logits, p);
          softmaxBackward(p, G, d);
        });
  }
};

QTEST_APPLESS_MAIN(LossGradientTest)
#include "LossGradientTest.moc"
