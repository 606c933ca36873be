// The product backends: every backend present agrees with a double-precision reference on random shapes
// (transposes, leading dimensions, alpha and beta, odd sizes); forcing a backend (request or LATENTLAB_GEMM)
// works; the choice is cached, read back, and a corrupt cache is ignored; a model step gives the same losses
// and gradients on every backend.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <limits>

#include "engine/core/Error.h"
#include "engine/core/Gemm.h"
#include "engine/core/GemmBackend.h"
#include "engine/core/Parallel.h"
#include "engine/core/Random.h"
#include "engine/layers/Dense.h"
#include "engine/losses/BernoulliNll.h"
#include "engine/model/SemiSupervisedVae.h"
#include "engine/optim/Adam.h"

using namespace latentlab;

namespace {

std::vector<GemmBackend> presentBackends() {
  std::vector<GemmBackend> v;
  for (GemmBackend b : kAllGemmBackends)
    if (gemmBackendAvailable(b)) v.push_back(b);
  return v;
}

Matrix<float> randomFloat(Random& rng, int rows, int cols) {
  Matrix<float> m(rows, cols);
  rng.fillUniform(m, -1.f, 1.f);
  return m;
}

// Largest |C - reference| relative to what float rounding of a k-term sum can reach:
// |alpha| |op(A)| |op(B)| + |beta| |C0|, entry by entry, times k float epsilons.
double worstError(const Matrix<float>& C, const Eigen::MatrixXd& ref, const Eigen::MatrixXd& scale, int k) {
  double worst = 0;
  const double eps = std::numeric_limits<float>::epsilon();
  for (Eigen::Index j = 0; j < C.cols(); ++j)
    for (Eigen::Index i = 0; i < C.rows(); ++i) {
      const double bound = (k + 2) * eps * scale(i, j) + 1e-30;
      worst = std::max(worst, std::abs(double(C(i, j)) - ref(i, j)) / bound);
    }
  return worst;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

}  // namespace

class GemmTest : public QObject {
  Q_OBJECT

  QTemporaryDir cache_;

 private slots:
  void initTestCase() {
    QVERIFY(cache_.isValid());
    qputenv("XDG_CACHE_HOME", cache_.path().toUtf8());  // never the user's cache
    qunsetenv("LATENTLAB_GEMM");
    setGemmThreads(1);
    for (GemmBackend b : kAllGemmBackends) qInfo("%s: %s", toString(b), gemmBackendVersion(b).c_str());
  }
  void init() {
    setGemmThreads(1);  // whatever a failed test left
    qunsetenv("LATENTLAB_GEMM");
  }

  // Raw form on each backend directly: C (m x n) inside a larger buffer (ldc > m), A and B likewise.
  void backendsAgreeWithReference() {
    struct Case {
      int m, n, k;
    };
    const Case cases[] = {{1, 1, 1},      {7, 13, 5},    {64, 64, 64},    {67, 129, 65},
                          {200, 33, 310}, {31, 250, 97}, {500, 110, 200}, {3, 300, 1}};
    Random rng(7);
    for (GemmBackend b : presentBackends())
      for (const Case& c : cases)
        for (GemmOp opA : {GemmOp::N, GemmOp::T})
          for (GemmOp opB : {GemmOp::N, GemmOp::T})
            for (const auto& [alpha, beta] : {std::pair{1.f, 0.f}, {1.f, 1.f}, {0.7f, -0.5f}}) {
              const int rowsA = opA == GemmOp::N ? c.m : c.k, colsA = opA == GemmOp::N ? c.k : c.m;
              const int rowsB = opB == GemmOp::N ? c.k : c.n, colsB = opB == GemmOp::N ? c.n : c.k;
              const int padA = 3, padB = 1, padC = 5;
              const Matrix<float> A = randomFloat(rng, rowsA + padA, colsA);
              const Matrix<float> B = randomFloat(rng, rowsB + padB, colsB);
              Matrix<float> C = randomFloat(rng, c.m + padC, c.n);
              const Matrix<float> C0 = C;
              if (beta == 0.f) C.topRows(c.m).setConstant(std::numeric_limits<float>::quiet_NaN());
              gemmWith(b, opA, opB, c.m, c.n, c.k, alpha, A.data(), rowsA + padA, B.data(), rowsB + padB, beta,
                       C.data(), c.m + padC);

              Eigen::MatrixXd a = A.topRows(rowsA).cast<double>(), bb = B.topRows(rowsB).cast<double>();
              if (opA == GemmOp::T) a.transposeInPlace();
              if (opB == GemmOp::T) bb.transposeInPlace();
              const Eigen::MatrixXd c0 = C0.topRows(c.m).cast<double>();
              const Eigen::MatrixXd ref = double(alpha) * a * bb + double(beta) * c0;
              const Eigen::MatrixXd scale =
                  std::abs(double(alpha)) * a.cwiseAbs() * bb.cwiseAbs() + std::abs(double(beta)) * c0.cwiseAbs();
              const double worst = worstError(C.topRows(c.m), ref, scale, c.k);
              const QByteArray what = QByteArray(toString(b)) + " " + QByteArray::number(c.m) + "x" +
                                      QByteArray::number(c.n) + "x" + QByteArray::number(c.k) +
                                      (opA == GemmOp::T ? " T" : " N") + (opB == GemmOp::T ? "T" : "N") + " beta " +
                                      QByteArray::number(beta) + ": error " + QByteArray::number(worst) +
                                      " of the rounding bound";
              QVERIFY2(worst <= 1.0, what.constData());
              // The padding rows below C are never written.
              QVERIFY2(C.bottomRows(padC) == C0.bottomRows(padC), what.constData());
            }
  }

  // The Eigen form with blocks and Maps, on each backend forced through the selection: out-of-place blocks of
  // larger matrices, accumulate into a block (beta = 1), and the small-product rule's Eigen path.
  void blocksAndMapsOnEachBackend() {
    Random rng(11);
    const Matrix<float> big = randomFloat(rng, 700, 400);
    const Matrix<float> other = randomFloat(rng, 300, 500);
    for (GemmBackend b : presentBackends()) {
      const GemmChoice c = selectGemmBackend(toString(b));
      QCOMPARE(c.backend, b);
      QCOMPARE(gemmBackend(), b);
      QCOMPARE(QString::fromStdString(c.how), QString("forced"));
      // C block (201 x 150) = big[10:211, 5:305] (201 x 300) * other[0:300, 7:157]
      Matrix<float> out = Matrix<float>::Zero(260, 180);
      out.block(3, 4, 201, 150) = randomFloat(rng, 201, 150);
      const Matrix<float> before = out;
      gemm(big.block(10, 5, 201, 300), GemmOp::N, other.middleCols(7, 150), GemmOp::N, out.block(3, 4, 201, 150), 0.5f,
           2.f);
      const Matrix<float> expect =
          0.5f * big.block(10, 5, 201, 300) * other.middleCols(7, 150) + 2.f * before.block(3, 4, 201, 150);
      QVERIFY((out.block(3, 4, 201, 150) - expect).cwiseAbs().maxCoeff() < 1e-3f);
      out.block(3, 4, 201, 150) = before.block(3, 4, 201, 150);
      QVERIFY(out == before);  // nothing outside the block moved
      // Transposed operands through a Map with a leading dimension: (120 x 300)^T (120 x 90).
      const Eigen::Map<const Matrix<float>, 0, Eigen::OuterStride<>> A(big.data(), 120, 300, Eigen::OuterStride<>(700));
      Matrix<float> C(300, 90);
      gemm(A, GemmOp::T, big.block(0, 310, 120, 90), GemmOp::N, C);
      const Matrix<float> E = A.transpose() * big.block(0, 310, 120, 90);
      QVERIFY((C - E).cwiseAbs().maxCoeff() < 1e-3f);
      // A product small enough to stay with Eigen, and an empty one.
      Matrix<float> s(4, 5);
      gemm(big.topLeftCorner(4, 6), GemmOp::N, other.topLeftCorner(6, 5), GemmOp::N, s);
      QVERIFY((s - big.topLeftCorner(4, 6) * other.topLeftCorner(6, 5)).cwiseAbs().maxCoeff() < 1e-5f);
      Matrix<float> zeroK = Matrix<float>::Constant(3, 2, 5.f);
      gemm(Matrix<float>(3, 0), GemmOp::N, Matrix<float>(0, 2), GemmOp::N, zeroK, 1.f, 0.5f);
      QVERIFY((zeroK.array() == 2.5f).all());
    }
    // Shapes that do not match, and an output that overlaps an operand, are errors.
    Matrix<float> wrong(3, 3), x = randomFloat(rng, 4, 4);
    QVERIFY_THROWS_EXCEPTION(Error, gemm(x, GemmOp::N, x, GemmOp::N, wrong));
    QVERIFY_THROWS_EXCEPTION(Error, gemm(x.leftCols(2), GemmOp::T, x, GemmOp::N, x.rightCols(4).topRows(2)));
    // double: always Eigen.
    Eigen::MatrixXd da = Eigen::MatrixXd::Random(80, 90), db = Eigen::MatrixXd::Random(80, 70), dc(90, 70);
    gemm(da, GemmOp::T, db, GemmOp::N, dc);
    QVERIFY((dc - da.transpose() * db).cwiseAbs().maxCoeff() < 1e-12);
  }

  // Two threads: the libraries follow the engine's thread count, and still agree.
  void twoThreadsAgree() {
    Random rng(5);
    const Matrix<float> A = randomFloat(rng, 300, 400), B = randomFloat(rng, 300, 350);
    const Matrix<float> ref = A.transpose() * B;
    setGemmThreads(2);
    QCOMPARE(gemmThreads(), 2);
    for (GemmBackend b : presentBackends()) {
      Matrix<float> C(400, 350);
      gemmWith(b, GemmOp::T, GemmOp::N, 400, 350, 300, 1.f, A.data(), 300, B.data(), 300, 0.f, C.data(), 400);
      QVERIFY2((C - ref).cwiseAbs().maxCoeff() < 1e-3f, toString(b));
    }
    setGemmThreads(1);
  }

  // The element-wise work on two threads: ranges cover every item once, and results are the same bits as on
  // one thread (softplus, the Bernoulli loss and its gradient, Adam).
  void elementWiseThreads() {
    setGemmThreads(2);
    for (Eigen::Index n : {0, 1, 15, 16, 17, 1000, 100003}) {
      std::vector<int> seen(size_t(n), 0);
      parallelRanges(n, kParallelWorkPerThread, [&](Eigen::Index begin, Eigen::Index end) {
        QVERIFY(begin % 16 == 0);
        for (Eigen::Index i = begin; i < end; ++i) ++seen[size_t(i)];
      });
      QVERIFY(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
    }
    Random rng(21);
    const Matrix<float> a = 6.f * randomFloat(rng, 500, 1100), x = randomFloat(rng, 500, 1100).cwiseAbs();
    const RowVector<float> w = randomFloat(rng, 1, 1100).cwiseAbs();
    Matrix<float> p0 = randomFloat(rng, 500, 784), g = randomFloat(rng, 500, 784);
    struct Out {
      Matrix<float> f, d, dl, p;
      RowVector<float> loss;
    };
    const auto run = [&](int threads) {
      setGemmThreads(threads);
      Out o;
      o.f.resize(500, 1100);
      o.d.resize(500, 1100);
      softplusWithDerivative(a, o.f, o.d);
      bernoulliNllWithGradient(a, x, w, o.loss, o.dl);
      o.p = p0;
      Matrix<float> grad = g;
      Adam<float> adam({{"p", &o.p, &grad}}, AdamConfig{});
      adam.step();
      adam.step();
      return o;
    };
    const Out one = run(1), two = run(2);
    // A dense layer's bias: replicated into the output and summed over the columns for its gradient, by row
    // blocks on two threads (the weights zero, so that the output is the bias alone).
    const auto dense = [&](int threads) {
      setGemmThreads(threads);
      Dense<float> layer(300, 500);
      Random init(3);
      layer.initialise(init);
      layer.weight().setZero();
      const Matrix<float> x = randomFloat(rng, 300, 1100);
      std::pair<Matrix<float>, Matrix<float>> r{layer.forward(x), Matrix<float>()};
      layer.backward(a);
      r.second = *layer.parameters()[1].grad;
      return r;
    };
    const auto d1 = dense(1), d2 = dense(2);
    QVERIFY(d1.first == d2.first);
    QVERIFY(d1.second == d2.second);
    setGemmThreads(1);
    Dense<float> check(300, 500);
    Random init(3);
    check.initialise(init);
    QVERIFY((d1.first.colwise() - check.bias().col(0)).cwiseAbs().maxCoeff() == 0);
    QVERIFY((d2.second - a.rowwise().sum()).cwiseAbs().maxCoeff() < 1e-3f);
    QVERIFY(one.f == two.f);
    QVERIFY(one.d == two.d);
    QVERIFY(one.dl == two.dl);
    QVERIFY(one.loss == two.loss);
    QVERIFY(one.p == two.p);
    setGemmThreads(1);
  }

  void overrides() {
    QVERIFY_THROWS_EXCEPTION(Error, selectGemmBackend("mkl"));
    QVERIFY(!gemmBackendFromString("auto"));
    for (GemmBackend b : kAllGemmBackends) {
      if (!gemmBackendAvailable(b)) {
        QVERIFY_THROWS_EXCEPTION(Error, selectGemmBackend(toString(b)));
        continue;
      }
      qputenv("LATENTLAB_GEMM", toString(b));
      const GemmChoice c = selectGemmBackend("");
      QCOMPARE(c.backend, b);
      QCOMPARE(QString::fromStdString(c.how), QString("forced"));
    }
    // An explicit request wins over the environment.
    qputenv("LATENTLAB_GEMM", "openblas");
    QCOMPARE(selectGemmBackend("eigen").backend, GemmBackend::Eigen);
    // A bad environment value is ignored (a warning), not fatal: the choice is made by measurement.
    qputenv("LATENTLAB_GEMM", "no-such-library");
    const GemmChoice c = selectGemmBackend("");
    QVERIFY(c.how != "forced");
    QVERIFY(gemmBackendAvailable(c.backend));
    qunsetenv("LATENTLAB_GEMM");
    QVERIFY(!gemmDescription().empty());
    qInfo("%s", gemmDescription().c_str());
  }

  void cacheWrittenReadAndCorruptIgnored() {
    if (presentBackends().size() < 2) {
      QCOMPARE(QString::fromStdString(selectGemmBackend("auto").how), QString("only backend"));
      QSKIP("only Eigen here: nothing to choose, nothing cached");
    }
    const std::string path = gemmCachePath();
    QVERIFY(QString::fromStdString(path).startsWith(cache_.path()));
    std::remove(path.c_str());

    QElapsedTimer timer;
    timer.start();
    const GemmChoice measured = selectGemmBackend("auto");
    qInfo("measured in %lld ms: eigen %.1f blis %.1f openblas %.1f GFLOP/s -> %s", timer.elapsed(), measured.gflops[0],
          measured.gflops[1], measured.gflops[2], toString(measured.backend));
    QCOMPARE(QString::fromStdString(measured.how), QString("measured"));
    QCOMPARE(measured.cacheFile, path);
    for (GemmBackend b : presentBackends()) QVERIFY(measured.gflops[size_t(int(b))] > 0);
    const std::string written = readFile(path);
    QVERIFY(written.find(std::string("\t") + toString(measured.backend) + "\t") != std::string::npos);

    const GemmChoice cached = selectGemmBackend("auto");
    QCOMPARE(QString::fromStdString(cached.how), QString("cached"));
    QCOMPARE(cached.backend, measured.backend);

    // The cache decides, whatever was fastest: rewrite its choice to another backend.
    const GemmBackend other = measured.backend == GemmBackend::Eigen ? presentBackends()[1] : GemmBackend::Eigen;
    std::string edited = written;
    const std::string from = std::string("\t") + toString(measured.backend) + "\t";
    edited.replace(edited.find(from), from.size(), std::string("\t") + toString(other) + "\t");
    writeFile(path, edited);
    QCOMPARE(selectGemmBackend("auto").backend, other);

    // Another thread count is another configuration: measured anew, the first line kept.
    setGemmThreads(2);
    QCOMPARE(QString::fromStdString(selectGemmBackend("auto").how), QString("measured"));
    setGemmThreads(1);
    QCOMPARE(QString::fromStdString(selectGemmBackend("auto").how), QString("cached"));

    // Corrupt files: garbage, a truncated line, a bad number, an unknown backend. All ignored, then replaced.
    const std::string line = written.substr(0, written.find('\n'));
    for (const std::string& bad : {std::string("\x01\x02garbage\n\n\t\t\t"), line.substr(0, line.size() / 2),
                                   line.substr(0, line.rfind('=') + 1) + "fast\n",
                                   line.substr(0, line.find('\t')) + "\tmkl\teigen=1\tblis=1\topenblas=1\n"}) {
      writeFile(path, bad);
      const GemmChoice again = selectGemmBackend("auto");
      QCOMPARE(QString::fromStdString(again.how), QString("measured"));
      QVERIFY(gemmBackendAvailable(again.backend));
      QCOMPARE(QString::fromStdString(selectGemmBackend("auto").how), QString("cached"));
    }
    // remeasure (bench) measures even with a valid cache.
    QCOMPARE(QString::fromStdString(selectGemmBackend("auto", true).how), QString("measured"));
  }

  // A training step of a small dense model (products above the small-product rule) on every backend: the
  // losses and gradients agree with Eigen's within float tolerance.
  void modelStepAcrossBackends_data() {
    QTest::addColumn<int>("objective");
    QTest::newRow("single") << int(Objective::Single);
    QTest::newRow("marginal") << int(Objective::Marginal);
  }
  void modelStepAcrossBackends() {
    QFETCH(int, objective);
    ModelConfig mc;
    mc.inputSize = 196;
    mc.hidden = {96, 80};
    mc.latent = 8;
    mc.classes = 10;
    mc.objective = Objective(objective);
    mc.alpha = 50;
    Random rng(3);
    Batch<float> b;
    b.x = randomFloat(rng, mc.inputSize, 60).array().abs().matrix();
    for (int i = 0; i < 30; ++i) b.labels.push_back(int(rng.below(10)));
    b.eps = randomFloat(rng, mc.latent, 60);

    selectGemmBackend("eigen");
    SemiSupervisedVae<float> reference(mc, 9);
    const StepLosses ref = reference.computeGradients(b);
    for (GemmBackend backend : presentBackends()) {
      selectGemmBackend(toString(backend));
      SemiSupervisedVae<float> model(mc, 9);
      const StepLosses s = model.computeGradients(b);
      const QByteArray name = toString(backend);
      QVERIFY2(std::abs(s.total - ref.total) <= 1e-4 * std::abs(ref.total), name.constData());
      QVERIFY2(std::abs(s.reconstruction - ref.reconstruction) <= 1e-4 * std::abs(ref.reconstruction),
               name.constData());
      QVERIFY2(std::abs(s.kl - ref.kl) <= 1e-4 * std::abs(ref.kl) + 1e-6, name.constData());
      const auto pr = reference.parameters(), pm = model.parameters();
      for (size_t i = 0; i < pr.size(); ++i) {
        const double diff = (*pm[i].grad - *pr[i].grad).norm(), size = pr[i].grad->norm();
        const QByteArray what = name + " " + QByteArray::fromStdString(pr[i].name) + ": |difference| " +
                                QByteArray::number(diff) + " of " + QByteArray::number(size);
        QVERIFY2(diff <= 1e-4 * size + 1e-7, what.constData());
      }
    }
    selectGemmBackend("eigen");
  }
};

QTEST_GUILESS_MAIN(GemmTest)
#include "GemmTest.moc"
