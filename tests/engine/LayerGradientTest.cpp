// Every layer's backward pass against central differences (double precision, random upstream gradient).
#include <array>

#include "GradientCheck.h"
#include "engine/layers/ActivationKind.h"
#include "engine/layers/Conv2d.h"
#include "engine/layers/ConvTranspose2d.h"
#include "engine/layers/Dense.h"
#include "engine/layers/Lstm.h"
#include "engine/layers/Sequential.h"
#include "engine/layers/StepDense.h"
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

  static double maxAbs(const Mat& a) { return a.size() ? a.cwiseAbs().maxCoeff() : 0.0; }

  // The convolution written out as seven loops over the channels-last layout (index (y*W + x)*C + c), zero
  // padding, weight column (ky*k + kx)*Cin + c: the reference for Conv2d's im2col product.
  static Mat naiveConv(const Mat& x, const Mat& W, const Mat& b, int Cin, int H, int Wd, int k, int s, int p) {
    const int Cout = int(W.rows()), OH = (H + 2 * p - k) / s + 1, OW = (Wd + 2 * p - k) / s + 1;
    Mat out(Cout * OH * OW, x.cols());
    for (int j = 0; j < x.cols(); ++j)
      for (int oy = 0; oy < OH; ++oy)
        for (int ox = 0; ox < OW; ++ox)
          for (int co = 0; co < Cout; ++co) {
            double sum = b(co);
            for (int ky = 0; ky < k; ++ky)
              for (int kx = 0; kx < k; ++kx)
                for (int c = 0; c < Cin; ++c) {
                  const int y = oy * s - p + ky, xx = ox * s - p + kx;
                  if (y < 0 || y >= H || xx < 0 || xx >= Wd) continue;
                  sum += W(co, (ky * k + kx) * Cin + c) * x((y * Wd + xx) * Cin + c, j);
                }
            out((oy * OW + ox) * Cout + co, j) = sum;
          }
    return out;
  }

  // One LSTM sample written step by step from the equations (gate rows i, f, g, o), for any option set:
  // the reference for Lstm's batched products and strided step views.
  static Mat naiveLstm(Lstm<double>& l, const Mat& in) {
    const int T = l.steps(), C = l.channels(), H = l.hidden();
    const auto ps = l.parameters();
    const Mat &Wx = *ps[0].value, &Wh = *ps[1].value, &b = *ps[2].value;
    auto sigmoid = [](const Vector<double>& a) -> Vector<double> {
      return (1.0 / (1.0 + (-a.array()).exp())).matrix();
    };
    Mat out(l.outputSize(), in.cols());
    for (int j = 0; j < in.cols(); ++j) {
      Vector<double> h = Vector<double>::Zero(H), c = Vector<double>::Zero(H), mean = Vector<double>::Zero(H);
      if (l.initialState() == LstmInitialState::Input) h = in.col(j);
      for (int t = 0; t < T; ++t) {
        const Vector<double> x =
            l.inputMode() == LstmInput::Sequence ? Vector<double>(in.col(j).segment(t * C, C)) : in.col(j);
        const Vector<double> a = Wx * x + Wh * h + b.col(0);
        const Vector<double> i = sigmoid(a.segment(0, H)), f = sigmoid(a.segment(H, H)),
                             g = a.segment(2 * H, H).array().tanh().matrix(), o = sigmoid(a.segment(3 * H, H));
        c = (f.array() * c.array() + i.array() * g.array()).matrix();
        h = (o.array() * c.array().tanh()).matrix();
        mean += h / T;
        if (l.outputMode() == LstmOutput::All) out.col(j).segment(t * H, H) = h;
      }
      if (l.outputMode() == LstmOutput::Last) out.col(j) = h;
      if (l.outputMode() == LstmOutput::Mean) out.col(j) = mean;
    }
    return out;
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

  // Strided, padded, non-square and kernel-larger-than-stride geometries: (Cin, H, W, Cout, k, s, p).
  void convGeometries_data() {
    QTest::addColumn<QList<int>>("g");
    QTest::newRow("2x5x5 k3 s2 p1") << QList<int>{2, 5, 5, 3, 3, 2, 1};
    QTest::newRow("1x4x6 k2 s1 p0") << QList<int>{1, 4, 6, 2, 2, 1, 0};
    QTest::newRow("3x6x5 k4 s2 p1") << QList<int>{3, 6, 5, 2, 4, 2, 1};
    QTest::newRow("2x3x3 k3 s1 p2") << QList<int>{2, 3, 3, 2, 3, 1, 2};
  }

  void conv2d_data() { convGeometries_data(); }
  void conv2d() {
    QFETCH(QList<int>, g);
    Random rng(8);
    Conv2d<double> layer(g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
    layer.initialise(rng);
    const std::string failure = checkLayer(layer, randomMatrix(rng, layer.inputSize(), 2), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void conv2dEqualsSevenLoops_data() { convGeometries_data(); }
  void conv2dEqualsSevenLoops() {
    QFETCH(QList<int>, g);
    Random rng(9);
    Conv2d<double> layer(g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
    layer.initialise(rng);
    const Mat x = randomMatrix(rng, layer.inputSize(), 3);
    const Mat reference = naiveConv(x, layer.weight(), layer.bias(), g[0], g[1], g[2], g[4], g[5], g[6]);
    QCOMPARE(reference.rows(), Eigen::Index(layer.outputSize()));
    QVERIFY(maxAbs(layer.forward(x) - reference) < 1e-12);
  }

  // Transposed geometries (Cin, H, W, Cout, k, s, p); the output is (H - 1)s - 2p + k on each side.
  void convTranspose2d_data() {
    QTest::addColumn<QList<int>>("g");
    QTest::newRow("3x3x3 k3 s2 p1") << QList<int>{3, 3, 3, 2, 3, 2, 1};
    QTest::newRow("2x3x5 k2 s1 p0") << QList<int>{2, 3, 5, 1, 2, 1, 0};
    QTest::newRow("2x3x2 k4 s2 p1") << QList<int>{2, 3, 2, 3, 4, 2, 1};
  }
  void convTranspose2d() {
    QFETCH(QList<int>, g);
    Random rng(10);
    ConvTranspose2d<double> layer(g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
    layer.initialise(rng);
    QCOMPARE(layer.outHeight(), (g[1] - 1) * g[5] - 2 * g[6] + g[4]);
    QCOMPARE(layer.outWidth(), (g[2] - 1) * g[5] - 2 * g[6] + g[4]);
    const std::string failure = checkLayer(layer, randomMatrix(rng, layer.inputSize(), 2), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // ConvTranspose2d(Cb, OH, OW -> Ca) with the weight matrix of Conv2d(Ca, H, W -> Cb), both (Cb x k*k*Ca),
  // column (ky*k + kx)*Ca + c, and zero biases, is the adjoint: dot(conv(x), y) == dot(x, convT(y)).
  void convTransposeIsConvAdjoint_data() { convTranspose2d_data(); }
  void convTransposeIsConvAdjoint() {
    QFETCH(QList<int>, g);
    Random rng(11);
    ConvTranspose2d<double> convT(g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
    Conv2d<double> conv(g[3], convT.outHeight(), convT.outWidth(), g[0], g[4], g[5], g[6]);
    QCOMPARE(conv.outHeight(), g[1]);
    QCOMPARE(conv.outWidth(), g[2]);
    conv.initialise(rng);
    conv.bias().setZero();
    convT.weight() = conv.weight();
    const Mat x = randomMatrix(rng, conv.inputSize(), 3), y = randomMatrix(rng, convT.inputSize(), 3);
    const double a = dot(conv.forward(x), y), b = dot(x, convT.forward(y));
    QVERIFY2(std::abs(a - b) < 1e-12 * (1 + std::abs(a)), (std::to_string(a) + " vs " + std::to_string(b)).c_str());
    // And the bias adds b(c) to every output pixel of channel c.
    Random rngB(12);
    convT.initialise(rngB);
    const Mat y1 = randomMatrix(rng, convT.inputSize(), 1);
    const Mat withBias = convT.forward(y1);
    const Mat bias = convT.bias();
    convT.bias().setZero();
    const Mat diff = withBias - convT.forward(y1);
    for (Eigen::Index r = 0; r < diff.rows(); ++r) QVERIFY(std::abs(diff(r, 0) - bias(r % g[3])) < 1e-12);
  }

  // Chunks of samples (one im2col and product each): the gradients, and the same values as one product.
  void convChunks() {
    Random rng(19);
    Conv2d<double> conv(2, 5, 5, 3, 3, 2, 1);
    ConvTranspose2d<double> convT(3, 3, 3, 2, 3, 2, 1);
    for (Layer<double>* layer : std::initializer_list<Layer<double>*>{&conv, &convT}) {
      auto setChunk = [&](int m) {
        if (layer == &conv)
          conv.setSamplesPerProduct(m);
        else
          convT.setSamplesPerProduct(m);
      };
      layer->initialise(rng);
      const Mat x = randomMatrix(rng, layer->inputSize(), 5), G = randomMatrix(rng, layer->outputSize(), 5);
      setChunk(0);
      const Mat out = layer->forward(x), dIn = layer->backward(G), dW = *layer->parameters()[0].grad;
      setChunk(2);  // chunks of 2, 2, 1
      QVERIFY(maxAbs(layer->forward(x) - out) < 1e-12);
      QVERIFY(maxAbs(layer->backward(G) - dIn) < 1e-12);
      QVERIFY(maxAbs(*layer->parameters()[0].grad - dW) < 1e-12);
      const std::string failure = checkLayer(*layer, x, rng);
      QVERIFY2(failure.empty(), (layer->kind() + ": " + failure).c_str());
    }
  }

  // The peer's shapes: 1x28x28 -> 32x14x14 -> 64x7x7 and back.
  void convPeerShapes() {
    Conv2d<float> c1(1, 28, 28, 32, 4, 2, 1), c2(32, 14, 14, 64, 4, 2, 1);
    ConvTranspose2d<float> t1(64, 7, 7, 32, 4, 2, 1), t2(32, 14, 14, 1, 4, 2, 1);
    QCOMPARE(c1.outputSize(), 32 * 14 * 14);
    QCOMPARE(c2.outHeight(), 7);
    QCOMPARE(c2.outputSize(), 64 * 7 * 7);
    QCOMPARE(t1.inputSize(), 64 * 7 * 7);
    QCOMPARE(t1.outHeight(), 14);
    QCOMPARE(t2.outputSize(), 784);
    QCOMPARE(c2.parameters()[0].value->cols(), Eigen::Index(4 * 4 * 32));
    QCOMPARE(t1.parameters()[0].value->rows(), Eigen::Index(64));
    QCOMPARE(t1.parameters()[0].value->cols(), Eigen::Index(4 * 4 * 32));
    QVERIFY_THROWS_EXCEPTION(latentlab::Error, Conv2d<float>(1, 2, 2, 1, 5, 1, 1));
  }

  // Every option set: input Sequence/Repeated, initial Zero/Input (Repeated, C == H), output Last/Mean/All.
  void lstm_data() {
    QTest::addColumn<int>("input");
    QTest::addColumn<int>("initial");
    QTest::addColumn<int>("output");
    const char* in[] = {"sequence", "repeated"};
    const char* init[] = {"zero", "input"};
    const char* out[] = {"last", "mean", "all"};
    for (int i = 0; i < 2; ++i)
      for (int s = 0; s < 2; ++s)
        for (int o = 0; o < 3; ++o)
          if (!(i == 0 && s == 1)) QTest::addRow("%s %s %s", in[i], init[s], out[o]) << i << s << o;
  }
  static Lstm<double> makeLstm(int input, int initial, int output, int T = 3) {
    const int H = 3, C = initial == 1 ? H : 2;
    return Lstm<double>(T, C, H, LstmInput(input), LstmOutput(output), LstmInitialState(initial));
  }
  void lstm() {
    QFETCH(int, input);
    QFETCH(int, initial);
    QFETCH(int, output);
    Random rng(13);
    Lstm<double> layer = makeLstm(input, initial, output);
    layer.initialise(rng);
    const std::string failure = checkLayer(layer, randomMatrix(rng, layer.inputSize(), 2), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void lstmEqualsStepByStep_data() { lstm_data(); }
  void lstmEqualsStepByStep() {
    QFETCH(int, input);
    QFETCH(int, initial);
    QFETCH(int, output);
    Random rng(14);
    Lstm<double> layer = makeLstm(input, initial, output, 4);
    layer.initialise(rng);
    const Mat x = randomMatrix(rng, layer.inputSize(), 3, -2, 2);
    QVERIFY(maxAbs(layer.forward(x) - naiveLstm(layer, x)) < 1e-12);
  }

  // T = 1, one sample, C = 1, H = 1: the four gates by hand.
  void lstmOneStepByHand() {
    Lstm<double> layer(1, 1, 1);
    auto ps = layer.parameters();
    *ps[0].value << 0.5, -0.3, 0.8, 1.2;  // Wx rows i, f, g, o
    *ps[1].value << 0.7, 0.1, -0.4, 0.2;  // Wh: unused, h_{-1} = 0
    *ps[2].value << 0.1, 0.2, -0.1, 0.05;
    Mat x(1, 1);
    x << 0.9;
    const double i = 1 / (1 + std::exp(-(0.5 * 0.9 + 0.1))), g = std::tanh(0.8 * 0.9 - 0.1),
                 o = 1 / (1 + std::exp(-(1.2 * 0.9 + 0.05)));
    const double h = o * std::tanh(i * g);  // c = f * 0 + i g
    QVERIFY(std::abs(layer.forward(x)(0, 0) - h) < 1e-14);
  }

  // Lstm(All) feeding Lstm(Last): a stacked LSTM through a Sequential.
  void stackedLstm() {
    Random rng(15);
    Sequential<double> net;
    net.add(std::make_unique<Lstm<double>>(3, 2, 3, LstmInput::Sequence, LstmOutput::All));
    net.add(std::make_unique<Lstm<double>>(3, 3, 2, LstmInput::Sequence, LstmOutput::Last));
    net.initialise(rng);
    const std::string failure = checkLayer(net, randomMatrix(rng, net.inputSize(), 2), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void stepDense() {
    Random rng(16);
    StepDense<double> layer(3, 2, 4);
    layer.initialise(rng);
    const std::string failure = checkLayer(layer, randomMatrix(rng, 12, 2), rng);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void stepDenseIsDenseAtEveryStep() {
    Random rng(17);
    StepDense<double> layer(3, 2, 4);
    layer.initialise(rng);
    const Mat x = randomMatrix(rng, 12, 3);
    const Mat out = layer.forward(x);
    for (int t = 0; t < 4; ++t) {
      const Mat expected = (layer.weight() * x.middleRows(t * 3, 3)).colwise() + layer.bias().col(0);
      QVERIFY(maxAbs(out.middleRows(t * 2, 2) - expected) < 1e-12);
    }
  }

  // Each new layer: a second batch size after the first (buffers resize, gradients still right), and no
  // input gradient when it is not needed.
  void newLayersResizeAndSkipInputGradient_data() {
    QTest::addColumn<int>("which");
    for (int w = 0; w < 5; ++w)
      QTest::newRow(std::array{"conv2d", "conv_transpose2d", "lstm sequence", "lstm repeated", "step_dense"}[w]) << w;
  }
  void newLayersResizeAndSkipInputGradient() {
    QFETCH(int, which);
    Random rng(18);
    LayerPtr<double> layer;
    if (which == 0) layer = std::make_unique<Conv2d<double>>(2, 5, 5, 3, 3, 2, 1);
    if (which == 1) layer = std::make_unique<ConvTranspose2d<double>>(3, 3, 3, 2, 3, 2, 1);
    if (which == 2) layer = std::make_unique<Lstm<double>>(3, 2, 3, LstmInput::Sequence, LstmOutput::All);
    if (which == 3)
      layer = std::make_unique<Lstm<double>>(3, 3, 3, LstmInput::Repeated, LstmOutput::All, LstmInitialState::Input);
    if (which == 4) layer = std::make_unique<StepDense<double>>(3, 2, 4);
    layer->initialise(rng);
    for (int n : {2, 3, 1}) {
      const std::string failure = checkLayer(*layer, randomMatrix(rng, layer->inputSize(), n), rng);
      QVERIFY2(failure.empty(), (std::to_string(n) + " columns: " + failure).c_str());
      QCOMPARE(layer->forward(randomMatrix(rng, layer->inputSize(), n)).cols(), Eigen::Index(n));
    }
    layer->setInputGradientNeeded(false);
    Mat x = randomMatrix(rng, layer->inputSize(), 4);
    layer->forward(x);
    QCOMPARE(layer->backward(randomMatrix(rng, layer->outputSize(), 4)).size(), Eigen::Index(0));
    const std::string failure = checkLayer(*layer, x, rng, false);  // parameters still right
    QVERIFY2(failure.empty(), failure.c_str());
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
