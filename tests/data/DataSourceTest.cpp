// openData's detection, the held-out test split, and how labels become classes.
#include <QtTest/QtTest>
#include <algorithm>
#include <map>

#include "DataTestSupport.h"
#include "engine/data/ClassLabels.h"
#include "engine/data/DataSource.h"
#include "engine/data/HoldOut.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

Dataset labelled(const std::vector<int>& labels, int classes) {
  Dataset d;
  d.x.resize(2, Eigen::Index(labels.size()));
  for (Eigen::Index i = 0; i < d.x.cols(); ++i) d.x.col(i).setConstant(float(i));
  d.shape = SampleShape::vector(2);
  d.labels = labels;
  d.classes = classes;
  return d;
}

}  // namespace

class DataSourceTest : public QObject {
  Q_OBJECT

 private slots:
  void detection() {
    QVERIFY(detectFormat("mnist-rows") == DataFormat::MnistRows);
    QVERIFY(detectFormat("mnist-rows:/anywhere") == DataFormat::MnistRows);
    QVERIFY(detectFormat(fixture("images_u8.npz")) == DataFormat::Npz);
    QVERIFY(detectFormat(fixture("seq_f64_be.npy")) == DataFormat::Npy);
    QVERIFY(detectFormat(fixture("arrays.h5")) == DataFormat::Hdf5);
    QVERIFY(detectFormat(fixture("Tiny_TEST.ts")) == DataFormat::Ts);
    QVERIFY(detectFormat(fixture("")) == DataFormat::TsPair);  // the fixtures folder holds one pair
    const QByteArray mnist = qgetenv("LATENTLAB_MNIST");
    if (!mnist.isEmpty()) QVERIFY(detectFormat(mnist.toStdString()) == DataFormat::Idx);
    QTemporaryDir dir;
    // By content when the extension says nothing.
    QVERIFY(QFile::copy(QString::fromStdString(fixture("arrays.h5")), dir.filePath("arrays.bin")));
    QVERIFY(detectFormat(dir.filePath("arrays.bin").toStdString()) == DataFormat::Hdf5);
    writeFile(dir.filePath("notes.doc").toStdString(), "hello");
    expectError([&] { detectFormat(dir.filePath("notes.doc").toStdString()); },
                {"notes.doc", "unknown kind of data file"});
    expectError([&] { detectFormat(dir.filePath("nothing").toStdString()); }, {"nothing: no such file or folder"});
    writeFile(dir.filePath("sub/readme.txt").toStdString(), "x");
    expectError([&] { detectFormat(dir.filePath("sub").toStdString()); }, {"sub: not a data folder"});
  }

  void holdOutIsStratifiedDeterministicAndKeepsOrder() {
    std::vector<int> labels;
    for (int i = 0; i < 100; ++i) labels.push_back(i < 70 ? 0 : i < 95 ? 1 : 2);  // 70 / 25 / 5
    const Dataset d = labelled(labels, 3);
    const DataSplit a = holdOut(d, 0.2, 7), b = holdOut(d, 0.2, 7), c = holdOut(d, 0.2, 8);
    QCOMPARE(a.test.x, b.test.x);
    QVERIFY(a.test.x != c.test.x);
    std::map<int, int> perClass;
    for (int l : a.test.labels) ++perClass[l];
    QCOMPARE(perClass[0], 14);
    QCOMPARE(perClass[1], 5);
    QCOMPARE(perClass[2], 1);
    QCOMPARE(a.train.size() + a.test.size(), 100);
    for (int i = 1; i < a.test.size(); ++i) QVERIFY(a.test.x(0, i) > a.test.x(0, i - 1));  // file order kept
    for (int i = 0; i < a.test.size(); ++i) QCOMPARE(a.test.labels[size_t(i)], labels[size_t(a.test.x(0, i))]);
    // A class of one sample stays in training; unlabelled data gives round(fraction x n).
    const DataSplit one = holdOut(labelled({0, 0, 0, 1}, 2), 0.5, 1);
    QCOMPARE(std::count(one.train.labels.begin(), one.train.labels.end(), 1), 1L);
    Dataset plain = d;
    plain.labels.clear();
    const DataSplit p = holdOut(plain, 0.25, 1);
    QCOMPARE(p.test.size(), 25);
    QVERIFY(!p.test.hasLabels());
    QCOMPARE(holdOut(d, 0, 1).test.size(), 0);
    expectError([&] { holdOut(d, 1.0, 1); }, {"test fraction"});
  }

  void classesFromLabels() {
    Dataset train, test;
    train.x.resize(1, 3);
    test.x.resize(1, 2);
    RawLabels a, b;
    a.file = "train.csv";
    b.file = "test.csv";
    a.numbers = {10, -1, 2};
    b.numbers = {2, 7};
    assignClasses(a, b, {}, "", train, test);
    QCOMPARE(train.classNames, (std::vector<std::string>{"-1", "2", "7", "10"}));
    QCOMPARE(train.labels, (std::vector<int>{3, 0, 1}));
    QCOMPARE(test.labels, (std::vector<int>{1, 2}));
    // Declared names: 0-based when every label fits 0..K-1.
    a.numbers = {0, 1, 2};
    assignClasses(a, RawLabels{}, {"a", "b", "c"}, "names.txt", train, test);
    QCOMPARE(train.labels, (std::vector<int>{0, 1, 2}));
    QVERIFY(!test.hasLabels());
    QCOMPARE(test.classes, 3);
    a.numbers = {0, 5, 1};
    expectError(
        [&] {
          assignClasses(a, RawLabels{}, {"a", "b", "c"}, "names.txt", train, test);
        },
        {"train.csv", "index 1", "label 5 is outside the 3 classes of names.txt"});
    // Unlabelled with a classes file: no labels, the classes known.
    assignClasses(RawLabels{}, RawLabels{}, {"a", "b"}, "names.txt", train, test);
    QVERIFY(!train.hasLabels() && train.classes == 2);
  }

  void classNamesFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("classes.txt").toStdString();
    writeFile(path, "\xEF\xBB\xBF  cat \r\ndog\r\n\r\n");
    QCOMPARE(readClassNames(path), (std::vector<std::string>{"cat", "dog"}));
  }

  void idxThroughOpenData() {
    const QByteArray mnist = qgetenv("LATENTLAB_MNIST");
    if (mnist.isEmpty()) QSKIP("LATENTLAB_MNIST not set");
    DataRequest r;
    r.path = mnist.toStdString();
    const DataSplit s = openData(r);
    QCOMPARE(s.train.size(), 60000);
    QVERIFY(s.train.shape == SampleShape::image(28, 28, 1));
    QVERIFY(s.description.find("IDX") != std::string::npos);
    r.testPath = "x.csv";
    expectError([&] { openData(r); }, {"brings its own test split"});
  }
};

QTEST_GUILESS_MAIN(DataSourceTest)
#include "DataSourceTest.moc"
