// IDX reading on good and bad files: every bad file gets an error naming the file and what is wrong.
#include <QtTest/QtTest>
#include <zlib.h>

#include <fstream>

#include "engine/core/Error.h"
#include "engine/data/IdxReader.h"
#include "engine/data/Mnist.h"

using namespace latentlab;

namespace {

std::vector<uint8_t> be32(uint32_t v) { return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }

std::vector<uint8_t> images(uint32_t count, uint32_t rows, uint32_t cols, uint32_t magic = 0x803) {
  std::vector<uint8_t> b;
  for (uint32_t v : {magic, count, rows, cols}) {
    auto w = be32(v);
    b.insert(b.end(), w.begin(), w.end());
  }
  for (uint32_t i = 0; i < count * rows * cols; ++i) b.push_back(uint8_t(i * 37));
  return b;
}

std::vector<uint8_t> labels(std::vector<uint8_t> values, uint32_t magic = 0x801) {
  std::vector<uint8_t> b = be32(magic);
  auto n = be32(uint32_t(values.size()));
  b.insert(b.end(), n.begin(), n.end());
  b.insert(b.end(), values.begin(), values.end());
  return b;
}

void write(const QString& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path.toStdString(), std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void writeGz(const QString& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.toStdString().c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
}

// Runs f, which must throw latentlab::Error whose text contains every part.
template <typename F> void expectError(F f, const QStringList& parts) {
  try {
    f();
    QFAIL("no error was raised");
  } catch (const Error& e) {
    const QString text = e.what();
    for (const QString& p : parts) QVERIFY2(text.contains(p), qPrintable("'" + text + "' lacks '" + p + "'"));
  }
}

}  // namespace

class IdxReaderTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString path(const QString& name) const { return dir_.filePath(name); }

  // A complete small folder: 6 training and 4 test 3x2 images, labels in 0..2.
  void writeFolder(const QString& folder) {
    QDir().mkpath(folder);
    write(folder + "/train-images-idx3-ubyte", images(6, 3, 2));
    writeGz(folder + "/train-labels-idx1-ubyte.gz", labels({0, 1, 2, 0, 1, 2}));
    write(folder + "/t10k-images-idx3-ubyte", images(4, 3, 2));
    write(folder + "/t10k-labels-idx1-ubyte", labels({2, 1, 0, 1}));
  }

 private slots:
  void readsRawImages() {
    write(path("a"), images(2, 3, 4));
    const IdxImages img = readIdxImages(path("a").toStdString());
    QCOMPARE(img.count, 2);
    QCOMPARE(img.rows, 3);
    QCOMPARE(img.cols, 4);
    QCOMPARE(img.pixels.size(), size_t(24));
    QCOMPARE(int(img.pixels[5]), (5 * 37) % 256);
  }

  void readsGzipLabels() {
    writeGz(path("l.gz"), labels({3, 1, 4}));
    QCOMPARE(readIdxLabels(path("l.gz").toStdString()), (std::vector<uint8_t>{3, 1, 4}));
  }

  void wrongMagic() {
    write(path("bad-magic"), images(2, 3, 4, 0x801));
    expectError([&] { readIdxImages(path("bad-magic").toStdString()); }, {"bad-magic", "wrong magic number"});
  }

  void truncatedRaw() {
    auto b = images(3, 4, 4);
    b.resize(b.size() - 5);
    write(path("short"), b);
    expectError([&] { readIdxImages(path("short").toStdString()); }, {"short", "truncated"});
  }

  void truncatedGzip() {
    writeGz(path("cut.gz"), images(50, 28, 28));
    QFile f(path("cut.gz"));
    const qint64 full = f.size();
    QVERIFY(f.resize(full / 2));
    expectError([&] { readIdxImages(path("cut.gz").toStdString()); }, {"cut.gz", "gzip"});
  }

  void tooShortForHeader() {
    write(path("tiny"), {0, 0, 8});
    expectError([&] { readIdxLabels(path("tiny").toStdString()); }, {"tiny", "too short"});
  }

  void trailingBytes() {
    auto b = labels({1, 2});
    b.push_back(9);
    write(path("long"), b);
    expectError([&] { readIdxLabels(path("long").toStdString()); }, {"long", "payload is 3 bytes"});
  }

  void missingFile() {
    expectError([&] { readIdxLabels(path("nope").toStdString()); }, {"nope", "no such file"});
  }

  void foreignFile() {
    std::vector<uint8_t> png{0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    png.resize(200, 7);
    write(path("foreign.png"), png);
    expectError([&] { readIdxImages(path("foreign.png").toStdString()); }, {"foreign.png", "magic"});
  }

  void goodFolder() {
    writeFolder(path("good"));
    const DataSplit s = loadIdxFolder(path("good").toStdString(), 3);
    QCOMPARE(s.train.size(), 6);
    QCOMPARE(s.test.size(), 4);
    QCOMPARE(s.train.features(), 6);
    QCOMPARE(s.train.labels[2], 2);
    QVERIFY(std::abs(s.train.x(1, 0) - 37.0f / 255.0f) < 1e-7f);
    QCOMPARE(s.train.shape.height, 3);
  }

  void classNames() {
    writeFolder(path("fashion-mnist"));
    QCOMPARE(loadIdxFolder(path("fashion-mnist").toStdString(), 3).train.classNames,
             (std::vector<std::string>{"0", "1", "2"}));  // Fashion's names are for its ten classes only
    QCOMPARE(classNamesFor(path("fashion-mnist").toStdString(), 10).back(), std::string("Ankle boot"));
    QFile names(path("fashion-mnist/classes.txt"));
    QVERIFY(names.open(QIODevice::WriteOnly));
    names.write("walk\nrun\nsit\n");
    names.close();
    const DataSplit s = loadIdxFolder(path("fashion-mnist").toStdString(), 3);
    QCOMPARE(s.test.classNames, (std::vector<std::string>{"walk", "run", "sit"}));
  }

  void labelCountMismatch() {
    writeFolder(path("count"));
    write(path("count/t10k-labels-idx1-ubyte"), labels({0, 1, 2}));
    expectError([&] { loadIdxFolder(path("count").toStdString(), 3); },
                {"t10k-labels-idx1-ubyte", "3 labels for 4 images"});
  }

  void labelOutOfRange() {
    writeFolder(path("range"));
    write(path("range/t10k-labels-idx1-ubyte"), labels({0, 1, 7, 2}));
    expectError([&] { loadIdxFolder(path("range").toStdString(), 3); }, {"label 7", "index 2", "outside 0..2"});
  }

  void missingFileInFolder() {
    writeFolder(path("missing"));
    QFile::remove(path("missing/t10k-images-idx3-ubyte"));
    expectError([&] { loadIdxFolder(path("missing").toStdString(), 3); }, {"missing t10k-images-idx3-ubyte"});
  }

  void splitsOfDifferentShapes() {
    writeFolder(path("shape"));
    write(path("shape/t10k-images-idx3-ubyte"), images(4, 2, 3));
    expectError([&] { loadIdxFolder(path("shape").toStdString(), 3); }, {"3x2", "2x3"});
  }

  // The bundled MNIST: sizes and the well-known first labels (5 in training, 7 in test).
  void bundledMnist() {
    const QByteArray folder = qgetenv("LATENTLAB_MNIST");
    if (folder.isEmpty()) QSKIP("LATENTLAB_MNIST not set");
    const DataSplit s = loadIdxFolder(folder.toStdString());
    QCOMPARE(s.train.size(), 60000);
    QCOMPARE(s.test.size(), 10000);
    QCOMPARE(s.train.features(), 784);
    QCOMPARE(s.train.labels[0], 5);
    QCOMPARE(s.test.labels[0], 7);
    QVERIFY(s.train.x.maxCoeff() == 1.0f && s.train.x.minCoeff() == 0.0f);
  }
};

QTEST_GUILESS_MAIN(IdxReaderTest)
#include "IdxReaderTest.moc"
