// The label set: balanced draws, determinism, edits and snapshots.
#include <QtTest/QtTest>

#include "engine/core/Error.h"
#include "engine/data/LabelSet.h"

using namespace latentlab;

class LabelSetTest : public QObject {
  Q_OBJECT
  static std::vector<int> labels() {
    std::vector<int> l;
    for (int i = 0; i < 300; ++i) l.push_back(i % 3);
    return l;
  }

 private slots:
  void balancedDraw() {
    Random rng(1);
    const LabelSet s = balancedLabelSet(labels(), 10, 3, rng);
    QCOMPARE(s.size(), size_t(10));
    QCOMPARE(s.countsPerClass(3), (std::vector<int>{4, 3, 3}));
    for (const auto& e : *s.snapshot()) QCOMPARE(e.label, labels()[e.index]);
  }

  void sameSeedSameSubset() {
    Random a(5), b(5), c(6);
    auto ea = *balancedLabelSet(labels(), 30, 3, a).snapshot();
    auto eb = *balancedLabelSet(labels(), 30, 3, b).snapshot();
    auto ec = *balancedLabelSet(labels(), 30, 3, c).snapshot();
    bool sameAsB = true, sameAsC = true;
    for (size_t i = 0; i < ea.size(); ++i) {
      sameAsB &= ea[i].index == eb[i].index;
      sameAsC &= ea[i].index == ec[i].index;
    }
    QVERIFY(sameAsB);
    QVERIFY(!sameAsC);
  }

  void tooFewSamples() {
    Random rng(1);
    QVERIFY_THROWS_EXCEPTION(Error, balancedLabelSet(labels(), 400, 3, rng));
    QVERIFY_THROWS_EXCEPTION(Error, balancedLabelSet(labels(), 2, 3, rng));
  }

  void editsBumpTheVersionAndKeepSnapshots() {
    LabelSet s;
    const uint64_t v0 = s.version();
    auto before = s.snapshot();
    s.set(7, 2, LabelSource::User);
    QVERIFY(s.version() != v0);
    QCOMPARE(before->size(), size_t(0));  // an old snapshot is unchanged
    s.set(7, 1, LabelSource::User);       // relabel replaces
    QCOMPARE(s.size(), size_t(1));
    QCOMPARE(s.snapshot()->front().label, 1);
    QVERIFY(s.remove(7));
    QVERIFY(!s.remove(7));
    QCOMPARE(s.size(), size_t(0));
  }
};

QTEST_APPLESS_MAIN(LabelSetTest)
#include "LabelSetTest.moc"
