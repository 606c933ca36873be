// The sequence readers: UCI-HAR folders, UEA/UCR .ts files (unequal lengths, missing values), sequential
// MNIST, and the real Japanese Vowels data when ../shared/data is there.
#include <QtTest/QtTest>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "DataTestSupport.h"
#include "engine/data/DataSource.h"
#include "engine/data/Mnist.h"
#include "engine/data/Resample.h"
#include "engine/data/SequentialMnist.h"
#include "engine/data/TsFile.h"
#include "engine/data/UciHar.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

// Value of channel c, window i, step t in a written UCI-HAR fixture; the test split is offset by 1000.
double harValue(bool test, int c, int i, int t) { return (test ? 1000 : 0) + c * 100 + i * 10 + t + 0.5; }

// UCI's own notation: two leading blanks, seven decimals, three-digit exponents ("2.5717778e-001").
std::string uciNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7e", v);
  std::string s = buf;
  const size_t e = s.find('e');
  s.insert(e + 2, "0");
  return (v < 0 ? " " : "  ") + s;
}

// A "UCI HAR Dataset" folder under root with the given signals (names as in uciHarSignals()), n windows of T
// steps per split (train, test), labels 1..6 cycling, and activity_labels.txt.
std::string writeHar(const std::string& root, const std::vector<std::string>& signalNames, int nTrain = 4,
                     int nTest = 3, int T = 5) {
  const std::string base = root + "/UCI HAR Dataset";
  writeFile(base + "/activity_labels.txt",
            "1 WALKING\n2 WALKING_UPSTAIRS\n3 WALKING_DOWNSTAIRS\n4 SITTING\n5 STANDING\n6 LAYING\n");
  for (const bool test : {false, true}) {
    const std::string split = test ? "test" : "train";
    const int n = test ? nTest : nTrain;
    std::string y;
    for (int i = 0; i < n; ++i) y += std::to_string(1 + (i + (test ? 3 : 0)) % 6) + "\n";
    writeFile(base + "/" + split + "/y_" + split + ".txt", y);
    for (const std::string& s : signalNames) {
      const auto& all = uciHarSignals();
      const int c = int(std::find(all.begin(), all.end(), s) - all.begin());
      std::string text;
      for (int i = 0; i < n; ++i) {
        for (int t = 0; t < T; ++t) text += uciNumber(harValue(test, c, i, t));
        text += "\n";
      }
      writeFile(base + "/" + split + "/Inertial Signals/" + s + "_" + split + ".txt", text);
    }
  }
  return base;
}

}  // namespace

class SequenceReadersTest : public QObject {
  Q_OBJECT

 private slots:
  void fillMissingInterpolates() {
    const float nan = std::nanf("");
    std::vector<float> v{nan, 2, nan, nan, 8, nan};
    QVERIFY(fillMissing(v.data(), v.size()));
    const std::vector<float> want{2, 2, 4, 6, 8, 8};
    for (size_t i = 0; i < v.size(); ++i) QVERIFY(std::abs(v[i] - want[i]) < 1e-6f);
    std::vector<float> none{nan, nan};
    QVERIFY(!fillMissing(none.data(), none.size()));
  }

  void resampleKeepsEndsAndInterpolates() {
    const std::vector<float> in{0, 10, 20};
    std::vector<float> out(5);
    resampleLinear(in.data(), in.size(), out.data(), 5, 1);
    const std::vector<float> want{0, 5, 10, 15, 20};
    for (size_t i = 0; i < 5; ++i) QVERIFY(std::abs(out[i] - want[i]) < 1e-5f);
    std::vector<float> down(3);
    const std::vector<float> nine{0, 1, 2, 3, 4, 5, 6, 7, 8};
    resampleLinear(nine.data(), 9, down.data(), 3, 1);
    QVERIFY(std::abs(down[1] - 4) < 1e-6f && std::abs(down[2] - 8) < 1e-6f);
  }

  void uciHarAllNineChannels() {
    QTemporaryDir dir;
    const std::string base = writeHar(dir.path().toStdString(), uciHarSignals());
    QCOMPARE(findUciHarFolder(dir.path().toStdString()), base);  // the parent finds it too
    const DataSplit s = loadUciHar(base);
    QVERIFY(s.train.shape == SampleShape::sequence(5, 9));
    QCOMPARE(s.train.size(), 4);
    QCOMPARE(s.test.size(), 3);
    QCOMPARE(s.train.classes, 6);
    QCOMPARE(s.train.classNames[1], std::string("WALKING_UPSTAIRS"));
    QCOMPARE(s.train.labels[0], 0);
    QCOMPARE(s.test.labels[0], 3);  // y = 4 (SITTING)
    for (int i = 0; i < 4; ++i)
      for (int c = 0; c < 9; ++c)
        for (int t = 0; t < 5; ++t)
          QVERIFY(std::abs(s.train.x(t * 9 + c, i) - float(harValue(false, c, i, t))) < 1e-3f);
    QVERIFY(std::abs(s.test.x(4 * 9 + 8, 2) - float(harValue(true, 8, 2, 4))) < 1e-3f);
    QVERIFY(s.description.find("5 steps x 9 channels") != std::string::npos);
  }

  void uciHarAccelerometerOnlyKeepsTheFixedOrder() {
    QTemporaryDir dir;
    const std::vector<std::string> acc{"total_acc_x", "total_acc_y", "total_acc_z",
                                       "body_acc_x",  "body_acc_y",  "body_acc_z"};
    writeHar(dir.path().toStdString(), acc, 3, 2, 7);
    DataRequest r;
    r.path = dir.path().toStdString();  // the parent of "UCI HAR Dataset"
    QVERIFY(detectFormat(r.path) == DataFormat::UciHar);
    const DataSplit s = openData(r);
    QVERIFY(s.train.shape == SampleShape::sequence(7, 6));
    // Channel order: body_acc_x, body_acc_y, body_acc_z, total_acc_x, total_acc_y, total_acc_z.
    const int channelOf[6] = {0, 1, 2, 6, 7, 8};  // their places among the nine
    for (int c = 0; c < 6; ++c)
      QVERIFY(std::abs(s.train.x(2 * 6 + c, 1) - float(harValue(false, channelOf[c], 1, 2))) < 1e-3f);
  }

  void tsPairResamplesAndFillsMissing() {
    const DataSplit s = loadTsPair(fixture("Tiny_TRAIN.ts"), fixture("Tiny_TEST.ts"));
    QVERIFY(s.train.shape == SampleShape::sequence(5, 2));  // the longest training series
    QCOMPARE(s.train.size(), 6);
    QCOMPARE(s.test.size(), 3);
    QCOMPARE(s.train.classNames, (std::vector<std::string>{"up", "down", "flat"}));
    QCOMPARE(s.train.labels, (std::vector<int>{0, 1, 2, 0, 1, 2}));
    QCOMPARE(s.test.labels, (std::vector<int>{0, 2, 1}));
    auto at = [](const Dataset& d, int i, int t, int c) { return d.x(t * 2 + c, i); };
    // Series 1: channel 0 "4,?,2" -> 4,3,2 -> 5 steps 4,3.5,3,2.5,2; channel 1 "5,5,5".
    const float ch0[5] = {4, 3.5f, 3, 2.5f, 2};
    for (int t = 0; t < 5; ++t) {
      QVERIFY(std::abs(at(s.train, 1, t, 0) - ch0[t]) < 1e-5f);
      QVERIFY(std::abs(at(s.train, 1, t, 1) - 5) < 1e-6f);
      QVERIFY(std::abs(at(s.train, 2, t, 0) - 1) < 1e-6f);         // "1,1"
      QVERIFY(std::abs(at(s.train, 2, t, 1) - 3) < 1e-6f);         // "?,3,?"
      QVERIFY(std::abs(at(s.train, 0, t, 1) - (10 + t)) < 1e-5f);  // already 5 steps
      // Test series 0 has 9 steps, resampled down to 5: 0, 2, 4, 6, 8.
      QVERIFY(std::abs(at(s.test, 0, t, 0) - 2 * t) < 1e-5f);
      QVERIFY(std::abs(at(s.test, 1, t, 0) - 7) < 1e-6f);  // one step, repeated
      QVERIFY(std::abs(at(s.test, 1, t, 1) - 1) < 1e-6f);
      QVERIFY(std::abs(at(s.test, 2, t, 1) - (1 + t)) < 1e-5f);  // "1e0,+2,3.0,4,5"
    }
    QVERIFY(s.description.find("resampled to 5") != std::string::npos);
    QVERIFY(s.description.find("missing values interpolated") != std::string::npos);
  }

  void tsFolderAndTrainFileOpenThePair() {
    QTemporaryDir dir;
    for (const char* name : {"Tiny_TRAIN.ts", "Tiny_TEST.ts"})
      QVERIFY(QFile::copy(QString::fromStdString(fixture(name)), dir.filePath(name)));
    DataRequest r;
    r.path = dir.path().toStdString();
    QVERIFY(detectFormat(r.path) == DataFormat::TsPair);
    const DataSplit a = openData(r);
    r.path = dir.filePath("Tiny_TRAIN.ts").toStdString();
    QVERIFY(detectFormat(r.path) == DataFormat::Ts);
    const DataSplit b = openData(r);
    QCOMPARE(a.train.size(), 6);
    QCOMPARE(b.test.size(), 3);
    QVERIFY(a.test.x.isApprox(b.test.x));
  }

  void tsUnlabelledUnivariateHeldOut() {
    QTemporaryDir dir;
    std::string text =
        "@problemName Uni\n@univariate true\n@equalLength true\n@seriesLength 4\n@classLabel false\n@data\n";
    for (int i = 0; i < 10; ++i) text += std::to_string(i) + ",1,2,3\n";
    const std::string path = dir.filePath("uni.ts").toStdString();
    writeFile(path, text);
    DataRequest r;
    r.path = path;
    r.testFraction = 0.3;
    const DataSplit s = openData(r);
    QVERIFY(!s.train.hasLabels() && !s.test.hasLabels());
    QCOMPARE(s.train.size() + s.test.size(), 10);
    QCOMPARE(s.test.size(), 3);
    QVERIFY(s.train.shape == SampleShape::sequence(4, 1));
    QVERIFY(s.description.find("unlabelled") != std::string::npos);
    const Dataset h = s.train.head(2);  // head() copes with no labels
    QCOMPARE(h.size(), 2);
    QVERIFY(h.labels.empty());
  }

  void tsClassesFileRenames() {
    QTemporaryDir dir;
    const std::string names = dir.filePath("names.txt").toStdString();
    writeFile(names, "rising\nfalling\nlevel\n");
    DataRequest r;
    r.path = fixture("Tiny_TRAIN.ts");
    r.classesPath = names;
    const DataSplit s = openData(r);
    QCOMPARE(s.train.classNames, (std::vector<std::string>{"rising", "falling", "level"}));
    QCOMPARE(s.test.classNames, s.train.classNames);
  }

  void mnistRowsIsTheSameBytesAsSequences() {
    const QByteArray mnist = qgetenv("LATENTLAB_MNIST");
    if (mnist.isEmpty() || !QDir(mnist).exists()) QSKIP("LATENTLAB_MNIST not set");
    std::string folder;
    QVERIFY(parseMnistRowsName("mnist-rows", folder) && folder.empty());
    QVERIFY(parseMnistRowsName("mnist-rows:/x/y", folder) && folder == "/x/y");
    QVERIFY(!parseMnistRowsName("mnist-rowsX", folder));
    DataRequest r;
    r.path = "mnist-rows:" + mnist.toStdString();
    const DataSplit rows = openData(r);
    QVERIFY(rows.train.shape == SampleShape::sequence(28, 28));
    QVERIFY(rows.test.shape == SampleShape::sequence(28, 28));
    r.path = "mnist-rows";
    r.defaultMnist = mnist.toStdString();
    QCOMPARE(openData(r).test.size(), rows.test.size());
    const DataSplit images = loadIdxFolder(mnist.toStdString());
    QVERIFY(images.train.x.leftCols(100) == rows.train.x.leftCols(100));
    QCOMPARE(images.train.labels, rows.train.labels);
    QCOMPARE(images.train.classNames, rows.train.classNames);
  }

  // The real archive data (../shared/data/JapaneseVowels), when this checkout has it.
  void japaneseVowels() {
    const QByteArray folder = qgetenv("LATENTLAB_JAPANESE_VOWELS");
    if (folder.isEmpty() || !QDir(folder).exists()) QSKIP("LATENTLAB_JAPANESE_VOWELS not set (no ../shared/data)");
    DataRequest r;
    r.path = folder.toStdString();
    const auto start = std::chrono::steady_clock::now();
    const DataSplit s = openData(r);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    qInfo("%s: %d training / %d test series, loaded in %.1f ms", s.description.c_str(), s.train.size(), s.test.size(),
          ms);
    QCOMPARE(s.train.size(), 270);
    QCOMPARE(s.test.size(), 370);
    // The longest training series has 26 steps (7-26 in training, 7-29 in the test file): every series is
    // resampled to 26.
    QVERIFY(s.train.shape == SampleShape::sequence(26, 12));
    QVERIFY(s.test.shape == s.train.shape);
    QCOMPARE(s.train.classes, 9);
    QCOMPARE(s.train.classNames.front(), std::string("1"));
    std::vector<int> perClass(9, 0);
    for (int l : s.train.labels) ++perClass[size_t(l)];
    for (int c : perClass) QCOMPARE(c, 30);  // 30 utterances per speaker in the training file
    QVERIFY(s.train.x.allFinite() && s.test.x.allFinite());
    QVERIFY(s.train.x.cwiseAbs().maxCoeff() < 10);  // LPC cepstrum coefficients are small
  }
};

QTEST_GUILESS_MAIN(SequenceReadersTest)
#include "SequenceReadersTest.moc"
