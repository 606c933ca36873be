// The whole semi-supervised VAE's gradient, every parameter of every layer, against central differences in
// double precision: both objectives, both likelihoods, and the supervised classifier path.
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
