// Every layer's backward pass against central differences (double precision, random upstream gradient).
#include "GradientCheck.h"
#include "engine/layers/ActivationKind.h"
#include "engine/layers/Dense.h"
#include "engine/layers/Sequential.h"
#include "engine/model/DecoderInput.h"
#include "engine/model/Reparameterisation.h"

using namespace latentlab;
using namespace latentlab::test;

class LayerGradientTest : public QObject {
  Q_OBJECT

  // Checks d dot(layer(x), G) / d(x, params) for any Layer.
  static std::string checkLayer(Layer<double>& layer, Mat x, Random& rng, bool checkInput = true) {
    const Mat G = randomMatrix(rng, layer.outputSize(), int(x.cols()));
    Mat dIn;
    std::vector<Variable> vars;
    if (checkInput) vars.push_back({"input", &x, [&]() -> const Mat& { return dIn; }});
    for (auto& p : layer.parameters()) {
      Mat* g = p.grad;
      vars.push_back({p.name, p.value, [g]() -> const Mat& { return *g; }, g});
    }
    GradientCheck check;
    return check.run(
        vars, [&] { return dot(layer.forward(x), G); },
        [&] {
          layer.forward(x);
          dIn = layer.backward(G);
        });
  }

 private slots:
  void dense() {
    Random rng(1);
    Dense<double> layer(5, 4);
    layer.initialise(rng);
    const std::string failure = checkLayer(layer, randomMatrix(rng, 5, 3), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void denseWithoutInputGradientLeavesItEmpty() {
    Random rng(2);
    Dense<double> layer(3, 2);
    layer.initialise(rng);
    layer.setInputGradientNeeded(false);
    Mat x = randomMatrix(rng, 3, 4);
    layer.forward(x);
    QCOMPARE(layer.backward(randomMatrix(rng, 2, 4)).size(), Eigen::Index(0));
    const std::string failure = checkLayer(layer, x, rng, false);  // parameters still right
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void activations_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"softplus", "relu", "sigmoid", "tanh"}) QTest::newRow(n) << QString(n);
  }
  void activations() {
    QFETCH(QString, name);
    Random rng(3);
    auto layer = makeActivation<double>(activationFromString(name.toStdString()), 6);
    QCOMPARE(QString::fromStdString(layer->kind()), name);
    const std::string failure = checkLayer(*layer, randomAwayFromZero(rng, 6, 4), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void sequentialChainsLayers() {
    Random rng(4);
    Sequential<double> net;
    net.add(std::make_unique<Dense<double>>(4, 5));
    net.add(makeActivation<double>(ActivationKind::Softplus, 5));
    net.add(std::make_unique<Dense<double>>(5, 3));
    net.add(makeActivation<double>(ActivationKind::Tanh, 3));
    net.initialise(rng);
    QCOMPARE(net.parameters().size(), size_t(4));
    QCOMPARE(QString::fromStdString(net.parameters()[2].name), QString("2.W"));
    const std::string failure = checkLayer(net, randomMatrix(rng, 4, 3), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void sequentialRejectsMismatchedSizes() {
    Sequential<double> net;
    net.add(std::make_unique<Dense<double>>(4, 5));
    QVERIFY_THROWS_EXCEPTION(latentlab::Error, net.add(std::make_unique<Dense<double>>(6, 2)));
  }

  // The decoder's input layer with one-hot columns, shared z columns and probability columns at once.
  void decoderInput() {
    Random rng(5);
    const int d = 3, K = 4, H = 5;
    DecoderInput<double> layer(d, K, H);
    layer.initialise(rng);
    Mat z = randomMatrix(rng, d, 3);
    Mat probs = randomMatrix(rng, K, 2, 0, 1);
    DecoderColumns cols;
    cols.zColumn = {0, 1, 1, 1, 2, 0};  // z1 decoded three times, as the marginal objective does
    cols.label = {2, 0, 3, 1};
    cols.probsStart = 4;  // the last two columns read probabilities
    const Mat G = randomMatrix(rng, H, 6);
    Mat dZ, dProbs;
    std::vector<Variable> vars{{"z", &z, [&]() -> const Mat& { return dZ; }},
                               {"probs", &probs, [&]() -> const Mat& { return dProbs; }}};
    for (auto& p : layer.parameters()) {
      Mat* g = p.grad;
      vars.push_back({p.name, p.value, [g]() -> const Mat& { return *g; }, g});
    }
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, vars, [&] { return dot(layer.forward(z, cols, &probs), G); },
        [&] {
          layer.forward(z, cols, &probs);
          dZ = layer.backward(G);
          dProbs = layer.probsGradient();
        });
  }

  void decoderInputIsConcatenatedDense() {
    // out = [Wz Wy] [z; y] + b: the column pick must equal the product with an explicit one-hot.
    Random rng(6);
    DecoderInput<double> layer(2, 3, 4);
    layer.initialise(rng);
    Mat z = randomMatrix(rng, 2, 2);
    DecoderColumns pick{{0, 1}, {2, 0}, 2};
    const Mat a = layer.forward(z, pick, nullptr);
    Mat onehot = Mat::Zero(3, 2);
    onehot(2, 0) = 1;
    onehot(0, 1) = 1;
    DecoderColumns dense{{0, 1}, {}, 0};
    const Mat b = layer.forward(z, dense, &onehot);
    QVERIFY((a - b).cwiseAbs().maxCoeff() < 1e-12);
  }

  // A Layer on [mu; logvar] with its noise set beforehand.
  void reparameterisation() {
    Random rng(7);
    Reparameterisation<double> r(3);
    const Mat eps = randomMatrix(rng, 3, 4, -2, 2);
    r.setNoise(eps);
    const std::string failure = checkLayer(r, randomMatrix(rng, 6, 4), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }
};

QTEST_APPLESS_MAIN(LayerGradientTest)
#include "LayerGradientTest.moc"
