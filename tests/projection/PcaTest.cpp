// PCA: recovers known principal axes and variances, the Gram path agrees with an SVD, alignment reorders and
// flips components to match a previous PCA, bad input is refused.
#include <Eigen/QR>
#include <Eigen/SVD>
#include <QtTest/QtTest>
#include <cmath>

#include "engine/core/Error.h"
#include "engine/core/Random.h"
#include "engine/projection/Pca.h"

using namespace latentlab;

namespace {

// A random rotation (D x D): Q of the QR decomposition of a Gaussian matrix.
Matrix<double> rotation(int D, uint64_t seed) {
  Random rng(seed);
  Matrix<double> g(D, D);
  rng.fillNormal(g);
  Eigen::HouseholderQR<Matrix<double>> qr(g);
  return qr.householderQ() * Matrix<double>::Identity(D, D);
}

// N samples of a centred Gaussian with standard deviations sd along the columns of R, moved to `offset`.
Matrix<float> rotatedGaussian(const Matrix<double>& R, const std::vector<double>& sd, int N, double offset,
                              uint64_t seed) {
  const int D = int(R.rows());
  Random rng(seed);
  Matrix<double> s(D, N);
  rng.fillNormal(s);
  for (int d = 0; d < D; ++d) s.row(d) *= sd[d];
  return ((R * s).array() + offset).matrix().cast<float>();
}

double absCos(const Vector<float>& a, const Vector<double>& b) {
  return std::abs(a.cast<double>().dot(b)) / (a.cast<double>().norm() * b.norm());
}

}  // namespace

class PcaTest : public QObject {
  Q_OBJECT

 private slots:
  void recoversKnownAxes() {
    // 6-D, standard deviations 5, 2, 1, 0.5, 0.3, 0.1 along a known rotation; 5000 samples.
    const Matrix<double> R = rotation(6, 11);
    const std::vector<double> sd{5, 2, 1, 0.5, 0.3, 0.1};
    const Matrix<float> x = rotatedGaussian(R, sd, 5000, 3.0, 12);
    const PcaResult p = computePca(x, 2);
    QCOMPARE(p.projection.rows(), 2);
    QCOMPARE(p.projection.cols(), 5000);
    QVERIFY(absCos(p.components.col(0), R.col(0)) > 0.99);
    QVERIFY(absCos(p.components.col(1), R.col(1)) > 0.99);
    // Expected ratios from the generating variances: 25 / 30.35 and 4 / 30.35; sampling error ~ 2%.
    double total = 0;
    for (double s : sd) total += s * s;
    QVERIFY(std::abs(p.explainedVarianceRatio(0) - 25 / total) < 0.03);
    QVERIFY(std::abs(p.explainedVarianceRatio(1) - 4 / total) < 0.01);
    QVERIFY(std::abs(p.explainedVariance(0) / 25 - 1) < 0.05);
    QVERIFY(std::abs(p.mean.mean() - 3.0) < 0.2);
    // Orthonormal components; the projection is components^T (x - mean), its variance the eigenvalue.
    QVERIFY((p.components.transpose() * p.components - Matrix<float>::Identity(2, 2)).norm() < 1e-4);
    const Matrix<float> again = projectPca(p, x);
    QVERIFY((again - p.projection).norm() / p.projection.norm() < 1e-5);
    const double var0 = p.projection.row(0).squaredNorm() / (5000 - 1);
    QVERIFY(std::abs(var0 / p.explainedVariance(0) - 1) < 1e-3);
    // Signs are fixed: the largest coefficient of each component is positive.
    for (int c = 0; c < 2; ++c) {
      Eigen::Index arg;
      p.components.col(c).cwiseAbs().maxCoeff(&arg);
      QVERIFY(p.components(arg, c) > 0);
    }
  }

  void gramPathAgreesWithSvd() {
    // More dimensions than samples (60 x 25): the Gram matrix route. Reference: SVD of the centred data.
    Random rng(3);
    Matrix<float> x(60, 25);
    rng.fillNormal(x);
    x.row(0) *= 6.0f;
    x.row(1) *= 3.0f;
    const PcaResult p = computePca(x, 3);
    const Matrix<double> xc = x.cast<double>().colwise() - x.cast<double>().rowwise().mean();
    Eigen::JacobiSVD<Matrix<double>> svd(xc, Eigen::ComputeThinU);
    for (int c = 0; c < 3; ++c) {
      QVERIFY(absCos(p.components.col(c), svd.matrixU().col(c)) > 0.9999);
      const double expected = svd.singularValues()(c) * svd.singularValues()(c) / 24;
      QVERIFY(std::abs(p.explainedVariance(c) / expected - 1) < 1e-4);
    }
  }

  void alignmentReordersAndFlips() {
    const Matrix<double> R = rotation(5, 21);
    const Matrix<float> x = rotatedGaussian(R, {4, 2, 1, 0.5, 0.2}, 3000, 0, 22);
    PcaResult p = computePca(x, 3);
    const PcaResult original = p;
    // A previous PCA with the first two swapped and the (new) first negated.
    Matrix<float> previous(5, 3);
    previous.col(0) = -original.components.col(1);
    previous.col(1) = original.components.col(0);
    previous.col(2) = original.components.col(2);
    const std::vector<int> perm = alignPca(p, previous);
    QCOMPARE(perm, (std::vector<int>{1, 0, 2}));
    QVERIFY((p.components - previous).norm() < 1e-5);
    QVERIFY((p.projection.row(0) + original.projection.row(1)).norm() < 1e-3);
    QVERIFY((p.projection.row(1) - original.projection.row(0)).norm() < 1e-3);
    QCOMPARE(p.explainedVariance(0), original.explainedVariance(1));
    QCOMPARE(p.explainedVarianceRatio(1), original.explainedVarianceRatio(0));
    // Aligning with itself changes nothing.
    PcaResult same = original;
    QCOMPARE(alignPca(same, original.components), (std::vector<int>{0, 1, 2}));
    QVERIFY((same.projection - original.projection).norm() == 0);
  }

  void alignmentFollowsAxesAcrossRefreshes() {
    // Two refreshes of a changing model: the variances of the two main axes swap order, and the sign of
    // the second data set's axes is whatever the eigensolver gives. After alignment each new component
    // points the way the old one with the same axis did.
    const Matrix<double> R = rotation(4, 31);
    const PcaResult before = computePca(rotatedGaussian(R, {3, 2, 0.5, 0.2}, 4000, 0, 32), 2);
    PcaResult after = computePca(rotatedGaussian(R, {2, 3, 0.5, 0.2}, 4000, 0, 33), 2);
    QVERIFY(absCos(after.components.col(0), R.col(1)) > 0.99);  // the order did swap
    alignPca(after, before.components);
    for (int c = 0; c < 2; ++c) {
      const double cos = after.components.col(c).dot(before.components.col(c));
      QVERIFY2(cos > 0.99, qPrintable(QString("component %1: cos %2").arg(c).arg(cos)));
    }
    QVERIFY(after.explainedVariance(1) > after.explainedVariance(0));
  }

  void unpairedComponentsKeepTheirOrder() {
    // Previous PCA had one component; the new one three: only position 0 is paired.
    const Matrix<double> R = rotation(5, 41);
    PcaResult p = computePca(rotatedGaussian(R, {4, 2, 1, 0.5, 0.2}, 2000, 0, 42), 3);
    const PcaResult original = p;
    const Matrix<float> previous = -original.components.col(2);
    QCOMPARE(alignPca(p, previous), (std::vector<int>{2, 0, 1}));
    QVERIFY((p.components.col(0) - previous).norm() < 1e-6);
    QVERIFY((p.components.col(1) - original.components.col(0)).norm() == 0);
  }

  void refusesBadInput() {
    Matrix<float> x = Matrix<float>::Random(3, 10);
    QVERIFY_THROWS_EXCEPTION(Error, computePca(x, 4));
    QVERIFY_THROWS_EXCEPTION(Error, computePca(x, 0));
    QVERIFY_THROWS_EXCEPTION(Error, computePca(Matrix<float>::Random(3, 1), 1));
    PcaResult p = computePca(x, 2);
    QVERIFY_THROWS_EXCEPTION(Error, alignPca(p, Matrix<float>::Identity(4, 2)));
    QVERIFY_THROWS_EXCEPTION(Error, projectPca(p, Matrix<float>::Random(4, 2)));
  }
};

QTEST_APPLESS_MAIN(PcaTest)
#include "PcaTest.moc"
