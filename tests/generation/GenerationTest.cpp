// Generation from a small randomly initialised model (no training needed: the properties tested hold for any
// weights): decoding is deterministic, grids have the right shape and cells, the class changes the image,
// slerp keeps its endpoints and a well-behaved norm, principal style directions are orthonormal.
#include <QtTest/QtTest>
#include <cmath>

#include "engine/generation/Generator.h"
#include "engine/generation/Interpolation.h"
#include "engine/generation/LatentArithmetic.h"
#include "engine/generation/StyleBasis.h"
#include "engine/io/ModelFile.h"  // the caller builds the model from a file: generation has no HDF5

using namespace latentlab;

namespace {

ModelConfig smallConfig() {
  ModelConfig c;
  c.inputSize = 784;  // MNIST-shaped
  c.hidden = {64};
  c.latent = 8;
  c.classes = 10;
  return c;
}

std::unique_ptr<SemiSupervisedVae<float>> smallModel(uint64_t seed = 5) {
  return std::make_unique<SemiSupervisedVae<float>>(smallConfig(), seed);
}

Vector<float> randomVector(int n, Random& rng, float scale = 1) {
  Matrix<float> m(n, 1);
  rng.fillNormal(m);
  return m.col(0) * scale;
}

float maxDiff(const Matrix<float>& a, const Matrix<float>& b) { return (a - b).cwiseAbs().maxCoeff(); }

}  // namespace

class GenerationTest : public QObject {
  Q_OBJECT
 private slots:
  void decodingIsDeterministic() {
    Generator g(smallModel());
    Random rng(1);
    const Vector<float> z = randomVector(8, rng);
    const Vector<float> first = g.decode(z, 3);
    g.decode(randomVector(8, rng), 5);  // other work in between must not leak through the reused buffers
    const Vector<float> again = g.decode(z, 3);
    QCOMPARE(first.size(), 784);
    QVERIFY(first == again);                                  // bit for bit
    QVERIFY(first.minCoeff() >= 0 && first.maxCoeff() <= 1);  // Bernoulli means
  }

  void classChangesTheImage() {
    Generator g(smallModel());
    Random rng(2);
    const Vector<float> z = randomVector(8, rng);
    const Matrix<float> all = g.everyClass(z);
    QCOMPARE(all.cols(), 10);
    for (int a = 0; a < 10; ++a)
      for (int b = a + 1; b < 10; ++b) QVERIFY2(maxDiff(all.col(a), all.col(b)) > 1e-3, "two classes decode alike");
  }

  void classByStyleGridShapeAndCells() {
    Generator g(smallModel());
    Random rng(3);
    const std::vector<int> classes{0, 3, 7};
    const Matrix<float> styles = g.randomStyles(5, 1.0, rng);
    const Matrix<float> grid = g.classByStyleGrid(classes, styles);
    QCOMPARE(grid.rows(), 784);
    QCOMPARE(grid.cols(), 3 * 5);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 5; ++c) {
        const Vector<float> one = g.decode(Vector<float>(styles.col(c)), classes[r]);
        QVERIFY(maxDiff(grid.col(r * 5 + c), one) < 1e-5);  // batched and single decodes agree
      }
  }

  void styleTransferDecodesTheImagesMeanWithEveryClass() {
    Generator g(smallModel());
    Random rng(4);
    Matrix<float> x(784, 1);
    rng.fillUniform(x, 0.f, 1.f);
    const Vector<float> image = x.col(0);
    const Vector<float> mu = g.styleOf(image);
    QCOMPARE(mu.size(), 8);
    QVERIFY(g.styleOf(image) == mu);  // the mean, no sampling
    const Matrix<float> transfer = g.styleTransfer(image);
    QCOMPARE(transfer.cols(), 10);
    for (int k = 0; k < 10; ++k) QVERIFY(maxDiff(transfer.col(k), g.decode(mu, k)) < 1e-5);
  }

  void chunkedEncodingMatchesOneBatch() {
    Generator g(smallModel());
    Random rng(5);
    Matrix<float> x(784, 25);
    rng.fillUniform(x, 0.f, 1.f);
    Matrix<float> probsA, probsB;
    const Matrix<float> a = g.stylesOf(x, &probsA, 1000), b = g.stylesOf(x, &probsB, 7);
    QVERIFY(maxDiff(a, b) < 1e-5);
    QVERIFY(maxDiff(probsA, probsB) < 1e-6);
    QCOMPARE(probsA.cols(), 25);
  }

  void generatorFromModelFileDecodesLikeTheModel() {
    auto model = smallModel(9);
    const ModelFile file = captureModel(*model, {}, DatasetInfo{});
    Generator fromFile(instantiateModel(file));
    Generator direct(std::move(model));
    Random rng(6);
    const Vector<float> z = randomVector(8, rng);
    QVERIFY(fromFile.decode(z, 2) == direct.decode(z, 2));
  }

  void randomStyleIsSeededAndScaledByTemperature() {
    Generator g(smallModel());
    Random a(11), b(11), c(12);
    const Vector<float> za = g.randomStyle(1.0, a), zb = g.randomStyle(0.5, b), zc = g.randomStyle(1.0, c);
    QCOMPARE(za.size(), 8);
    QVERIFY(maxDiff(zb, za * 0.5f) < 1e-7);
    QVERIFY(maxDiff(za, zc) > 1e-3);
  }

  void badInputsAreRefused() {
    Generator g(smallModel());
    QVERIFY_THROWS_EXCEPTION(Error, g.decode(Vector<float>::Zero(8), 10));
    QVERIFY_THROWS_EXCEPTION(Error, g.decode(Vector<float>::Zero(7), 0));
    QVERIFY_THROWS_EXCEPTION(Error, g.stylesOf(Matrix<float>::Zero(100, 2)));
    QVERIFY_THROWS_EXCEPTION(Error,
                             interpolate(Vector<float>::Zero(8), Vector<float>::Zero(8), 1, InterpolationKind::Linear));
    QVERIFY_THROWS_EXCEPTION(Error, StyleBasis::principal(Matrix<float>::Zero(8, 1)));
  }

  void slerpEndpointsAndNorms() {
    Random rng(7);
    const Vector<float> a = randomVector(50, rng), b = randomVector(50, rng, 2.0f);
    const int N = 11;
    const Matrix<float> s = interpolate(a, b, N, InterpolationKind::Spherical);
    QCOMPARE(s.cols(), N);
    QVERIFY(Vector<float>(s.col(0)) == a);
    QVERIFY(Vector<float>(s.col(N - 1)) == b);
    double lastAngle = -1;
    for (int i = 0; i < N; ++i) {
      const double t = double(i) / (N - 1);
      const Vector<float> p = s.col(i);
      // The norm moves linearly between the endpoints' norms: never shrinks towards the origin.
      const double expected = (1 - t) * a.norm() + t * b.norm();
      QVERIFY2(std::abs(p.norm() - expected) < 1e-4 * expected,
               qPrintable(QString("step %1 norm %2, expected %3").arg(i).arg(p.norm()).arg(expected)));
      // The direction turns steadily away from a, in the plane of a and b.
      const double angle = std::acos(std::clamp(double(p.normalized().dot(a.normalized())), -1.0, 1.0));
      QVERIFY(angle > lastAngle - 1e-6);
      lastAngle = angle;
      const Vector<float> outOfPlane = p - a * (a.dot(p) / a.squaredNorm());
      const Vector<float> bPerp = b - a * (a.dot(b) / a.squaredNorm());
      const Vector<float> residual = outOfPlane - bPerp * (bPerp.dot(outOfPlane) / bPerp.squaredNorm());
      QVERIFY(residual.norm() < 1e-4 * p.norm());
    }
    // Equal norms stay equal all the way; linear interpolation dips in the middle.
    const Vector<float> c = b.normalized() * a.norm();
    const Matrix<float> sph = interpolate(a, c, 5, InterpolationKind::Spherical);
    const Matrix<float> lin = interpolate(a, c, 5, InterpolationKind::Linear);
    for (int i = 0; i < 5; ++i) QVERIFY(std::abs(sph.col(i).norm() - a.norm()) < 1e-4 * a.norm());
    QVERIFY(lin.col(2).norm() < 0.9 * a.norm());  // two random 50-d vectors are nearly orthogonal
    QVERIFY(maxDiff(lin.col(2), (a + c) / 2) < 1e-6);
    QVERIFY(Vector<float>(lin.col(0)) == a && Vector<float>(lin.col(4)) == c);
  }

  void slerpFallsBackWhereUndefined() {
    const Vector<float> a = Vector<float>::Ones(4), zero = Vector<float>::Zero(4);
    const Vector<float> half = slerp(a, 3 * a, 0.5);  // parallel: no great circle, linear instead
    QVERIFY(maxDiff(half, 2 * a) < 1e-6);
    QVERIFY(maxDiff(slerp(zero, a, 0.25), 0.25f * a) < 1e-6);
    QVERIFY(half.allFinite());
  }

  void principalDirectionsAreOrthonormal() {
    // Correlated styles with known spread: mu = A eps + m, eps ~ N(0, I).
    Random rng(8);
    const int d = 8, n = 4000;
    Matrix<float> A(d, d), eps(d, n);
    rng.fillNormal(A);
    rng.fillNormal(eps);
    Vector<float> m = randomVector(d, rng);
    const Matrix<float> mu = (A * eps).colwise() + m;
    const StyleBasis basis = StyleBasis::principal(mu);
    QCOMPARE(basis.size(), d);
    QCOMPARE(basis.latent(), d);
    const Matrix<float> gram = basis.directions.transpose() * basis.directions;
    QVERIFY(maxDiff(gram, Matrix<float>::Identity(d, d)) < 1e-5);
    for (int i = 1; i < d; ++i) QVERIFY(basis.sd(i) <= basis.sd(i - 1));  // largest variance first
    // sd_i is the spread of the projections on direction i; the mean is the data's mean.
    const Matrix<float> proj = basis.directions.transpose() * (mu.colwise() - basis.mean);
    for (int i = 0; i < d; ++i) {
      const double var = proj.row(i).squaredNorm() / (n - 1);
      QVERIFY(std::abs(std::sqrt(var) - basis.sd(i)) < 1e-3 * basis.sd(0));
    }
    QVERIFY(maxDiff(basis.mean, mu.rowwise().mean()) < 1e-4);
    // A full basis maps sliders to z and back exactly; zero sliders give the mean.
    const Vector<float> z = randomVector(d, rng);
    QVERIFY(maxDiff(basis.toLatent(basis.toSliders(z)), z) < 1e-4);
    QVERIFY(maxDiff(basis.toLatent(Vector<float>::Zero(d)), basis.mean) < 1e-7);
    // A truncated basis keeps the leading directions.
    const StyleBasis three = StyleBasis::principal(mu, 3);
    QCOMPARE(three.size(), 3);
    QVERIFY(maxDiff(three.directions.transpose() * three.directions, Matrix<float>::Identity(3, 3)) < 1e-5);
    QVERIFY(maxDiff(three.directions, basis.directions.leftCols(3)) < 1e-5);
  }

  void axisAlignedBasisIsTheLatentItself() {
    const StyleBasis b = StyleBasis::axisAligned(6);
    Vector<float> s(6);
    s << 3, -3, 0, 1.5f, 0, -0.5f;
    QVERIFY(b.toLatent(s) == s);  // unit sd: slider +/-3 is +/-3 prior standard deviations
    QVERIFY(b.toSliders(s) == s);
    // Its random sliders are the prior's random style, draw for draw.
    Random r1(3), r2(3);
    QVERIFY(StyleBasis::axisAligned(8).randomSliders(0.7, r1) == Generator(smallModel()).randomStyle(0.7, r2));
  }

  void latentArithmetic() {
    Matrix<float> muA(2, 2), muB(2, 3);
    muA << 1, 3, 2, 4;         // mean (2, 3)
    muB << 0, 0, 3, -1, 1, 3;  // mean (1, 1)
    const Vector<float> dir = latentDirection(muA, muB);
    QVERIFY(maxDiff(dir, Vector<float>((Vector<float>(2) << 1, 2).finished())) < 1e-6);
    const Vector<float> z = Vector<float>::Zero(2);
    QVERIFY(moveAlong(z, dir, 0) == z);
    QVERIFY(maxDiff(moveAlong(z, dir, -2), -2 * dir) < 1e-6);
    const Matrix<float> path = alongDirection(z, dir, -1, 1, 5);
    QCOMPARE(path.cols(), 5);
    QVERIFY(maxDiff(path.col(2), z) < 1e-6 && maxDiff(path.col(4), dir) < 1e-6);
    QVERIFY_THROWS_EXCEPTION(Error, latentDirection(muA, Matrix<float>(2, 0)));
  }
};

QTEST_APPLESS_MAIN(GenerationTest)
#include "GenerationTest.moc"
