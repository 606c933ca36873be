// The whole semi-supervised VAE's gradient, every parameter of every layer, against central differences in
// double precision: every flavour, both objectives, both likelihoods, the model without class input, and the
// supervised classifier path.
#include "GradientCheck.h"
#include "engine/model/SemiSupervisedVae.h"

using namespace latentlab;
using namespace latentlab::test;

class ModelGradientTest : public QObject {
  Q_OBJECT

  static ModelConfig smallConfig(Objective objective, Likelihood likelihood, ActivationKind act) {
    ModelConfig c;
    c.inputSize = 6;
    c.hidden = {5, 4};
    c.latent = 3;
    c.classes = 3;
    c.activation = act;
    c.objective = objective;
    c.likelihood = likelihood;
    c.alpha = 2.5;
    c.beta = 0.7;
    return c;
  }

  // The same, with a conv trunk (1x4x4 images, two convolutions 4x4 stride 2 with padding: 4 -> 2 -> 1) or a
  // recurrent one (3 steps of 2 channels, LSTMs of 4 units).
  static ModelConfig smallConfig(Flavour flavour, Objective objective, Likelihood likelihood, int layers = 1,
                                 SequencePooling pooling = SequencePooling::Last) {
    ModelConfig c = smallConfig(objective, likelihood, ActivationKind::Softplus);
    c.flavour = flavour;
    if (flavour == Flavour::Conv) {
      c.setInput(SampleShape::image(4, 4));
      c.conv.channels = {2, 3};
      c.conv.kernel = 4;
      c.hidden = {5};
    } else if (flavour == Flavour::Recurrent) {
      c.setInput(SampleShape::sequence(3, 2));
      c.recurrent.hidden = 4;
      c.recurrent.layers = layers;
      c.recurrent.pooling = pooling;
    }
    return c;
  }

  static Batch<double> smallBatch(Random& rng, int nl, int nu, int D, int d, int K, bool binaryish) {
    Batch<double> b;
    b.x = binaryish ? randomMatrix(rng, D, nl + nu, 0, 1) : randomMatrix(rng, D, nl + nu, -1, 1);
    for (int i = 0; i < nl; ++i) b.labels.push_back(int(rng.below(K)));
    b.eps = randomMatrix(rng, d, nl + nu, -2, 2);
    return b;
  }

  static std::string checkModel(SemiSupervisedVae<double>& model, const Batch<double>& b) {
    std::vector<Variable> vars;
    for (auto& p : model.parameters()) {
      Mat* g = p.grad;
      vars.push_back({p.name, p.value, [g]() -> const Mat& { return *g; }, g});
    }
    GradientCheck check;
    return check.run(
        vars, [&] { return model.computeGradients(b).total; }, [&] { model.computeGradients(b); });
  }

 private slots:
  void fullObjective_data() {
    QTest::addColumn<int>("objective");
    QTest::addColumn<int>("likelihood");
    QTest::addColumn<int>("labelled");
    QTest::addColumn<int>("unlabelled");
    QTest::newRow("single bernoulli") << int(Objective::Single) << int(Likelihood::Bernoulli) << 3 << 4;
    QTest::newRow("marginal bernoulli") << int(Objective::Marginal) << int(Likelihood::Bernoulli) << 3 << 4;
    QTest::newRow("single gaussian") << int(Objective::Single) << int(Likelihood::Gaussian) << 2 << 3;
    QTest::newRow("marginal gaussian") << int(Objective::Marginal) << int(Likelihood::Gaussian) << 2 << 3;
    QTest::newRow("labelled only") << int(Objective::Marginal) << int(Likelihood::Bernoulli) << 4 << 0;
    QTest::newRow("unlabelled only") << int(Objective::Single) << int(Likelihood::Bernoulli) << 0 << 4;
  }
  void fullObjective() {
    QFETCH(int, objective);
    QFETCH(int, likelihood);
    QFETCH(int, labelled);
    QFETCH(int, unlabelled);
    const ModelConfig c = smallConfig(Objective(objective), Likelihood(likelihood), ActivationKind::Softplus);
    SemiSupervisedVae<double> model(c, 11);
    Random rng(12);
    const Batch<double> b = smallBatch(rng, labelled, unlabelled, c.inputSize, c.latent, c.classes,
                                       Likelihood(likelihood) == Likelihood::Bernoulli);
    const std::string failure = checkModel(model, b);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void flavours_data() {
    QTest::addColumn<int>("flavour");
    QTest::addColumn<int>("objective");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("pooling");
    for (Objective o : {Objective::Single, Objective::Marginal}) {
      const QString name = QString::fromStdString(toString(o));
      QTest::newRow(qPrintable("conv " + name)) << int(Flavour::Conv) << int(o) << 1 << 0;
      QTest::newRow(qPrintable("recurrent " + name)) << int(Flavour::Recurrent) << int(o) << 1 << 0;
    }
    QTest::newRow("recurrent two layers, mean") << int(Flavour::Recurrent) << int(Objective::Marginal) << 2
                                                << int(SequencePooling::Mean);
  }
  void flavours() {
    QFETCH(int, flavour);
    QFETCH(int, objective);
    QFETCH(int, layers);
    QFETCH(int, pooling);
    const ModelConfig c = smallConfig(Flavour(flavour), Objective(objective), Likelihood::Bernoulli, layers,
                                      SequencePooling(pooling));
    SemiSupervisedVae<double> model(c, 21);
    Random rng(22);
    const Batch<double> b = smallBatch(rng, 2, 3, c.inputSize, c.latent, c.classes, true);
    const std::string failure = checkModel(model, b);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // The conv flavour's classifier path, as the equivalent supervised classifier EQ_S_C trains it.
  void convClassifierPath() {
    const ModelConfig c = smallConfig(Flavour::Conv, Objective::Single, Likelihood::Bernoulli);
    SemiSupervisedVae<double> model(c, 23);
    Random rng(24);
    Mat x = randomMatrix(rng, c.inputSize, 4, 0, 1);
    const std::vector<int> labels{2, 0, 1, 2};
    std::vector<Variable> vars;
    for (auto& p : model.classifierParameters()) {
      Mat* g = p.grad;
      vars.push_back({p.name, p.value, [g]() -> const Mat& { return *g; }, g});
    }
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, vars, [&] { return model.computeClassifierGradients(x, labels).total; },
        [&] { model.computeClassifierGradients(x, labels); });
  }

  void flavourShapesAreChecked() {
    ModelConfig conv = smallConfig(Flavour::Conv, Objective::Single, Likelihood::Bernoulli);
    conv.setInput(SampleShape::sequence(3, 2));
    QVERIFY_THROWS_EXCEPTION(Error, SemiSupervisedVae<double>(conv, 1));  // conv needs an image
    conv = smallConfig(Flavour::Conv, Objective::Single, Likelihood::Bernoulli);
    conv.conv.kernel = 3;
    QVERIFY_THROWS_EXCEPTION(Error, SemiSupervisedVae<double>(conv, 1));  // odd kernel: no exact mirror
    conv = smallConfig(Flavour::Conv, Objective::Single, Likelihood::Bernoulli);
    conv.setInput(SampleShape::image(6, 6));
    QVERIFY_THROWS_EXCEPTION(Error, SemiSupervisedVae<double>(conv, 1));  // 6 -> 3 cannot halve again
    ModelConfig rec = smallConfig(Flavour::Recurrent, Objective::Single, Likelihood::Bernoulli);
    rec.setInput(SampleShape::image(4, 4));
    QVERIFY_THROWS_EXCEPTION(Error, SemiSupervisedVae<double>(rec, 1));  // recurrent needs a sequence
    ModelConfig wrong = smallConfig(Objective::Single, Likelihood::Bernoulli, ActivationKind::Relu);
    wrong.input = SampleShape::image(2, 2);  // 4 features, but inputSize says 6
    QVERIFY_THROWS_EXCEPTION(Error, SemiSupervisedVae<double>(wrong, 1));
  }

  // The pruned marginal with fixed draws: its gradient is the gradient of its own value (the pruned classes'
  // mass multiplies the decoded stand-in), so the finite-difference check applies as it is.
  void prunedMarginal() {
    ModelConfig c = smallConfig(Objective::Marginal, Likelihood::Bernoulli, ActivationKind::Softplus);
    c.classes = 4;
    c.marginalMass = 0.5;
    SemiSupervisedVae<double> model(c, 31);
    Random rng(32);
    Batch<double> b = smallBatch(rng, 2, 5, c.inputSize, c.latent, c.classes, true);
    for (int j = 0; j < 5; ++j) b.draws.push_back(rng.uniform());
    const std::string failure = checkModel(model, b);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // Averaged over the class drawn for the pruned ones, the pruned marginal is the exact marginal: with one
  // unlabelled point, enumerate the draws (one per pruned class, weighted by its share of the pruned mass).
  void prunedMarginalIsUnbiased() {
    ModelConfig c = smallConfig(Objective::Marginal, Likelihood::Bernoulli, ActivationKind::Softplus);
    c.classes = 5;
    SemiSupervisedVae<double> exact(c, 41);
    c.marginalMass = 0.3;
    SemiSupervisedVae<double> pruned(c, 41);
    Random rng(42);
    Batch<double> b = smallBatch(rng, 1, 1, c.inputSize, c.latent, c.classes, true);
    const double reference = exact.computeGradients(b).total;
    Mat probs;
    exact.classify(b.x.rightCols(1), probs);
    // The classes by decreasing q; S is the first ones up to 0.3 of the mass, T the rest.
    std::vector<int> order{0, 1, 2, 3, 4};
    std::sort(order.begin(), order.end(), [&](int a, int k) { return probs(a, 0) > probs(k, 0); });
    double kept = 0;
    size_t s = 0;
    while (s < order.size() && (s == 0 || kept < 0.3)) kept += probs(order[s++], 0);
    QVERIFY(s < order.size());  // something is pruned
    const double tail = 1 - kept;
    double expected = 0, before = 0;
    for (size_t i = s; i < order.size(); ++i) {
      const double share = probs(order[i], 0) / tail;
      b.draws = {before + share / 2};  // the middle of class order[i]'s interval
      before += share;
      expected += share * pruned.computeGradients(b).total;
    }
    QVERIFY2(std::abs(expected - reference) < 1e-9 * std::abs(reference), qPrintable(QString("%1 vs %2").arg(expected).arg(reference)));
    // Nothing pruned: the same value as the exact marginal, whatever the draw.
    c.marginalMass = 1.0;
    SemiSupervisedVae<double> whole(c, 41);
    b.draws = {0.5};
    QVERIFY(std::abs(whole.computeGradients(b).total - reference) < 1e-12 * std::abs(reference));
  }

  // Without class input (the labels-off anomaly model): the plain ELBO, plus the label cross-entropy when there
  // are labelled points; the decoder has no Wy and q(y|x)'s rows of the heads get no gradient from unlabelled
  // points.
  void withoutClassInput_data() {
    QTest::addColumn<int>("flavour");
    QTest::addColumn<int>("likelihood");
    QTest::addColumn<int>("labelled");
    QTest::addColumn<int>("unlabelled");
    QTest::newRow("dense bernoulli, unlabelled") << int(Flavour::Dense) << int(Likelihood::Bernoulli) << 0 << 4;
    QTest::newRow("dense gaussian, both") << int(Flavour::Dense) << int(Likelihood::Gaussian) << 2 << 3;
    QTest::newRow("conv bernoulli, both") << int(Flavour::Conv) << int(Likelihood::Bernoulli) << 2 << 3;
    QTest::newRow("recurrent gaussian, unlabelled") << int(Flavour::Recurrent) << int(Likelihood::Gaussian) << 0 << 3;
  }
  void withoutClassInput() {
    QFETCH(int, flavour);
    QFETCH(int, likelihood);
    QFETCH(int, labelled);
    QFETCH(int, unlabelled);
    ModelConfig c = smallConfig(Flavour(flavour), Objective::Single, Likelihood(likelihood));
    c.classInput = false;
    SemiSupervisedVae<double> model(c, 51);
    Random rng(52);
    const Batch<double> b = smallBatch(rng, labelled, unlabelled, c.inputSize, c.latent, c.classes,
                                       Likelihood(likelihood) == Likelihood::Bernoulli);
    const std::string failure = checkModel(model, b);
    QVERIFY2(failure.empty(), failure.c_str());
    for (auto& p : model.parameters()) QVERIFY(p.name != "decoder.input.Wy");
    if (labelled == 0) {
      model.computeGradients(b);
      for (auto& p : model.parameters())
        if (p.name == "encoder.heads.W" || p.name == "encoder.heads.b")  // pi learns nothing without labels
          QVERIFY(p.grad->bottomRows(c.classes).cwiseAbs().maxCoeff() == 0.0);
    }
  }

  void withoutClassInputIsAPlainVae() {
    ModelConfig c = smallConfig(Objective::Single, Likelihood::Bernoulli, ActivationKind::Softplus);
    c.classInput = false;
    SemiSupervisedVae<double> model(c, 61);
    QStringList names;
    for (auto& p : model.parameters()) names << QString::fromStdString(p.name);
    QCOMPARE(names, QStringList({"encoder.trunk.0.W", "encoder.trunk.0.b", "encoder.trunk.2.W", "encoder.trunk.2.b",
                                 "encoder.heads.W", "encoder.heads.b", "decoder.input.Wz", "decoder.input.b",
                                 "decoder.body.1.W", "decoder.body.1.b", "decoder.body.3.W", "decoder.body.3.b"}));
    // The same count as with class input, less Wy (4 x 3).
    QCOMPARE(model.parameterCount(), size_t(35 + 24 + 45 + 28 + 25 + 36 - 12));
    // The decoder ignores y: any class decodes the same.
    Mat z(3, 1), y0 = Mat::Zero(3, 1), y2 = Mat::Zero(3, 1), a, b;
    z << 0.3, -0.2, 1.1;
    y0(0, 0) = 1;
    y2(2, 0) = 1;
    model.decode(z, y0, a);
    model.decode(z, y2, b);
    QVERIFY((a - b).cwiseAbs().maxCoeff() == 0.0);
    // No marginal over classes without them.
    c.objective = Objective::Marginal;
    QVERIFY_THROWS_EXCEPTION(Error, SemiSupervisedVae<double>(c, 1));
  }

  void classifierPath() {
    const ModelConfig c = smallConfig(Objective::Single, Likelihood::Bernoulli, ActivationKind::Tanh);
    SemiSupervisedVae<double> model(c, 13);
    Random rng(14);
    Mat x = randomMatrix(rng, c.inputSize, 5, 0, 1);
    const std::vector<int> labels{0, 1, 2, 1, 0};
    std::vector<Variable> vars;
    for (auto& p : model.classifierParameters()) {
      Mat* g = p.grad;
      vars.push_back({p.name, p.value, [g]() -> const Mat& { return *g; }, g});
    }
    QCOMPARE(vars.size(), size_t(6));  // two trunk layers + the heads, weight and bias each
    GradientCheck check;
    LATENTLAB_EXPECT_GRADIENTS(
        check, vars, [&] { return model.computeClassifierGradients(x, labels).total; },
        [&] { model.computeClassifierGradients(x, labels); });
  }

  void parameterNamesAreStable() {
    SemiSupervisedVae<double> model(smallConfig(Objective::Single, Likelihood::Bernoulli, ActivationKind::Relu), 1);
    QStringList names;
    for (auto& p : model.parameters()) names << QString::fromStdString(p.name);
    QCOMPARE(names, QStringList({"encoder.trunk.0.W", "encoder.trunk.0.b", "encoder.trunk.2.W", "encoder.trunk.2.b",
                                 "encoder.heads.W", "encoder.heads.b", "decoder.input.Wz", "decoder.input.Wy",
                                 "decoder.input.b", "decoder.body.1.W", "decoder.body.1.b", "decoder.body.3.W",
                                 "decoder.body.3.b"}));
    QCOMPARE(model.parameters()[4].value->rows(), Eigen::Index(3 + 3 + 3));  // mu, logvar, pi rows
    // 6*5+5 + 5*4+4 + 4*(3+3+3)+9 + 3*4+3*4+4 + 4*5+5 + 5*6+6
    QCOMPARE(model.parameterCount(), size_t(35 + 24 + 45 + 28 + 25 + 36));
  }
};

QTEST_APPLESS_MAIN(ModelGradientTest)
#include "ModelGradientTest.moc"
