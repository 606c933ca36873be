// The seeded generator: same seed, same stream; normals have the right moments; shuffles are permutations.
#include <QtTest/QtTest>

#include <numeric>

#include "engine/core/Random.h"

using namespace latentlab;

class RandomTest : public QObject {
  Q_OBJECT
 private slots:
  void sameSeedSameStream() {
    Random a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 100; ++i) {
      const uint64_t x = a.next();
      QCOMPARE(x, b.next());
      differs |= x != c.next();
    }
    QVERIFY(differs);
  }

  void normalMoments() {
    Random r(7);
    const int n = 200000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
      const double x = r.normal();
      s += x;
      s2 += x * x;
    }
    QVERIFY(std::abs(s / n) < 0.01);
    QVERIFY(std::abs(s2 / n - 1) < 0.02);
  }

  void belowStaysInRange() {
    Random r(1);
    std::vector<int> hits(7, 0);
    for (int i = 0; i < 7000; ++i) ++hits[r.below(7)];
    for (int h : hits) QVERIFY(h > 800 && h < 1200);
  }

  void shuffleIsAPermutation() {
    Random r(3);
    std::vector<int> v(100);
    std::iota(v.begin(), v.end(), 0);
    r.shuffle(v);
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 100; ++i) QCOMPARE(sorted[i], i);
    QVERIFY(v != sorted);
  }
};

QTEST_APPLESS_MAIN(RandomTest)
#include "RandomTest.moc"
