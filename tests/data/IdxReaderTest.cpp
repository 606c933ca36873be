// IDX reading on good and bad files: every bad file gets an error naming the file and what is wrong.
#include <sys/resource.h>
#include <zlib.h>

#include <QtTest/QtTest>
#include <fstream>

#include "engine/core/Error.h"
#include "support/GzipWriter.h"
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

std::vector<uint8_t> gzip(const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> header(bytes);
  return gzipWithZeros(header, 0);
}

long peakRssKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Runs f, which must throw latentlab::Error whose text contains every part.
template <typename F>
void expectError(F f, const QStringList& parts) {
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

  // Sizes are checked before anything is allocated, in 64 bits: one 46341 x 46341 image (whose pixel count
  // overflowed an int in the loader), dimensions whose product overflows 64 bits, a count over the limit.
  void hugeDimensionsAreRefusedBeforeAllocating() {
    auto header = [](uint32_t count, uint32_t rows, uint32_t cols) {
      std::vector<uint8_t> b;
      for (uint32_t v : {0x803u, count, rows, cols}) {
        auto w = be32(v);
        b.insert(b.end(), w.begin(), w.end());
      }
      b.resize(b.size() + 1000, 0);
      return b;
    };
    write(path("huge-image"), header(1, 46341, 46341));
    expectError([&] { readIdxImages(path("huge-image").toStdString()); },
                {"huge-image", "46341 x 46341", "limit of 16777216 pixels per image"});
    writeGz(path("huge-image.gz"), header(1, 46341, 46341));
    expectError([&] { readIdxImages(path("huge-image.gz").toStdString()); }, {"huge-image.gz", "pixels per image"});
    write(path("overflow"), header(0xffffffffu, 0xffffffffu, 0xffffffffu));
    expectError([&] { readIdxImages(path("overflow").toStdString()); }, {"overflow", "4294967295 images"});
    write(path("too-many"), header(200000000, 28, 28));  // 157 GB
    expectError([&] { readIdxImages(path("too-many").toStdString()); },
                {"too-many", "156800000000 bytes of data", "more than the limit of 2147483648"});
    // The loader of a folder gets the same error (it used to overflow computing rows * cols).
    writeFolder(path("huge"));
    write(path("huge/train-images-idx3-ubyte"), header(1, 46341, 46341));
    expectError([&] { loadIdxFolder(path("huge").toStdString(), 3); }, {"train-images-idx3-ubyte", "pixels per image"});
    // Limits can be lowered: a header over them is refused whatever the file holds.
    write(path("limited"), images(10, 4, 4));
    IdxLimits small;
    small.maxPayloadBytes = 100;
    expectError([&] { readIdxImages(path("limited").toStdString(), small); }, {"160 bytes", "limit of 100"});
    small = {};
    small.maxCount = 5;
    expectError([&] { readIdxImages(path("limited").toStdString(), small); }, {"10 images", "limit of 5"});
  }

  // A gzip bomb: a header announcing 10 28x28 images followed by 512 MiB of zeros in 0.5 MB. Reading stops
  // one byte past the announced size; memory stays near that size.
  void gzipBombIsRefusedAtTheAnnouncedSize() {
    auto header = images(10, 28, 28);
    const auto bomb = gzipWithZeros(header, uint64_t(512) << 20);
    QVERIFY(bomb.size() < 1'000'000);
    write(path("bomb.gz"), bomb);
    const long before = peakRssKiB();
    QElapsedTimer clock;
    clock.start();
    expectError([&] { readIdxImages(path("bomb.gz").toStdString()); },
                {"bomb.gz", "holds more than the 7840 bytes the header announces"});
    qInfo("bomb refused in %lld ms, peak memory +%ld KiB", clock.elapsed(), peakRssKiB() - before);
    QVERIFY(peakRssKiB() - before < 16 * 1024);
    QVERIFY(clock.elapsed() < 2000);  // it inflated a few kB, not 512 MiB
    // A header announcing more than the file could hold at deflate's best ratio (1032:1): refused at once.
    const auto one = images(1, 1, 1);
    std::vector<uint8_t> claims(one.begin(), one.begin() + 16);
    claims[4] = 0x7f, claims[5] = 0xff, claims[6] = 0xff, claims[7] = 0xff;  // 2^31 - 1 images of 1 x 1
    write(path("claims.gz"), gzip(claims));
    expectError([&] { readIdxImages(path("claims.gz").toStdString()); },
                {"claims.gz", "more than", "bytes of gzip data can hold"});
  }

  // gzip: concatenated members read as one stream (as gunzip does); anything else after the last member,
  // a damaged CRC, a member cut off, or a complete member holding too little is refused.
  void gzipRules() {
    const auto full = labels({1, 2, 3, 4, 5, 6});
    std::vector<uint8_t> two = gzip(std::vector<uint8_t>(full.begin(), full.begin() + 10));
    const auto second = gzip(std::vector<uint8_t>(full.begin() + 10, full.end()));
    two.insert(two.end(), second.begin(), second.end());
    write(path("two-members.gz"), two);
    QCOMPARE(readIdxLabels(path("two-members.gz").toStdString()), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));

    auto garbage = gzip(full);
    for (uint8_t b : {uint8_t('j'), uint8_t('u'), uint8_t('n'), uint8_t('k'), uint8_t(0)}) garbage.push_back(b);
    write(path("garbage.gz"), garbage);
    expectError([&] { readIdxLabels(path("garbage.gz").toStdString()); },
                {"garbage.gz", "5 bytes of trailing data after the end of the gzip stream"});
    auto zeros = gzip(full);
    zeros.resize(zeros.size() + 512, 0);  // zero padding (a tape block) is trailing data too
    write(path("padded.gz"), zeros);
    expectError([&] { readIdxLabels(path("padded.gz").toStdString()); }, {"padded.gz", "512 bytes of trailing data"});

    auto badCrc = gzip(full);
    badCrc[badCrc.size() - 8] ^= 0xff;  // the CRC-32 of the trailer
    write(path("crc.gz"), badCrc);
    expectError([&] { readIdxLabels(path("crc.gz").toStdString()); }, {"crc.gz", "corrupt gzip data"});

    const auto whole = gzip(full);
    for (size_t keep : {size_t(3), size_t(12), whole.size() - 4}) {  // in the gzip header, the data, the trailer
      write(path("cut.gz"), std::vector<uint8_t>(whole.begin(), whole.begin() + long(keep)));
      expectError([&] { readIdxLabels(path("cut.gz").toStdString()); }, {"cut.gz", "truncated"});
    }
    write(path("short.gz"), gzip(std::vector<uint8_t>(full.begin(), full.end() - 2)));  // complete, 2 labels short
    expectError([&] { readIdxLabels(path("short.gz").toStdString()); },
                {"short.gz", "payload is 4 bytes but the header announces 6 (truncated file)"});
    write(path("header-only.gz"), gzip(std::vector<uint8_t>(full.begin(), full.begin() + 5)));
    expectError([&] { readIdxLabels(path("header-only.gz").toStdString()); },
                {"header-only.gz", "5 bytes, too short for an IDX header"});
  }

  void truncatedAndOddFiles() {
    auto b = images(3, 4, 4);
    write(path("header-only"), std::vector<uint8_t>(b.begin(), b.begin() + 16));
    expectError([&] { readIdxImages(path("header-only").toStdString()); },
                {"header-only", "payload is 0 bytes but the header announces 48 (truncated file)"});
    write(path("empty"), {});
    expectError([&] { readIdxImages(path("empty").toStdString()); }, {"empty", "0 bytes, too short"});
    QDir().mkpath(path("folder"));
    expectError([&] { readIdxImages(path("folder").toStdString()); }, {"folder", "not a regular file"});
    auto zeroDim = images(3, 4, 4);
    zeroDim[11] = 0;  // rows = 0
    write(path("zero-dim"), zeroDim);
    expectError([&] { readIdxImages(path("zero-dim").toStdString()); }, {"zero-dim", "dimension 1 is zero"});
  }

  // The in-memory entry points (the fuzzers') give the same results as the files.
  void memoryMatchesFile() {
    const auto raw = images(2, 3, 4);
    const auto packed = gzip(raw);
    const IdxImages a = parseIdxImages(raw.data(), raw.size(), "mem"),
                    b = parseIdxImages(packed.data(), packed.size(), "mem.gz");
    QCOMPARE(a.pixels, b.pixels);
    QCOMPARE(a.count, 2);
    QCOMPARE(b.cols, 4);
    expectError([&] { parseIdxLabels(raw.data(), raw.size(), "mem"); }, {"mem", "wrong magic number 0x00000803"});
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
