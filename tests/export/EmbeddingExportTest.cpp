// The Embedding Projector export (engine/export): the PNG encoder's files decode (chunk CRCs, zlib stream, the
// pixels back), the .npz reads back through the engine's own NumPy reader, the sprite grid's geometry for images
// (full size, and shrunk to the size limit), sequences (curves, or a heat map for many channels) and vectors
// (none), and a whole export's files: counts, the metadata header, the sprite's size, the projector configs.
#include <zlib.h>

#include <QtTest/QtTest>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/Error.h"
#include "engine/core/Random.h"
#include "engine/data/NumpyFile.h"
#include "engine/export/EmbeddingExport.h"
#include "engine/export/NpzWriter.h"
#include "engine/export/PngWriter.h"
#include "engine/export/Sprite.h"

using namespace latentlab;
namespace fs = std::filesystem;

namespace {

struct DecodedPng {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> pixels;
};

uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

// An independent reader for what encodePng writes: every chunk's CRC, IHDR, the IDAT stream inflated, filter 0.
DecodedPng decodePng(const std::vector<uint8_t>& b) {
  const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (b.size() < 8 || std::memcmp(b.data(), signature, 8) != 0) throw std::runtime_error("no PNG signature");
  DecodedPng png;
  std::vector<uint8_t> idat;
  bool ended = false;
  for (size_t pos = 8; pos < b.size();) {
    const uint32_t length = be32(&b[pos]);
    const std::string type(reinterpret_cast<const char*>(&b[pos + 4]), 4);
    const uint8_t* data = &b[pos + 8];
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), &b[pos + 4], uInt(length + 4));
    if (crc != be32(data + length)) throw std::runtime_error("bad CRC in " + type);
    if (type == "IHDR") {
      png.width = int(be32(data));
      png.height = int(be32(data + 4));
      if (data[8] != 8) throw std::runtime_error("not 8-bit");
      png.channels = data[9] == 0 ? 1 : data[9] == 2 ? 3 : 0;
    } else if (type == "IDAT") {
      idat.insert(idat.end(), data, data + length);
    } else if (type == "IEND") {
      ended = true;
    }
    pos += 12 + length;
  }
  if (!ended) throw std::runtime_error("no IEND");
  const size_t row = size_t(png.width) * size_t(png.channels);
  std::vector<uint8_t> raw((row + 1) * size_t(png.height));
  uLongf size = uLongf(raw.size());
  if (uncompress(raw.data(), &size, idat.data(), uLong(idat.size())) != Z_OK || size != raw.size())
    throw std::runtime_error("IDAT does not inflate to the image");
  for (int y = 0; y < png.height; ++y) {
    if (raw[size_t(y) * (row + 1)] != 0) throw std::runtime_error("unexpected filter");
    png.pixels.insert(png.pixels.end(), raw.begin() + std::ptrdiff_t(size_t(y) * (row + 1) + 1),
                      raw.begin() + std::ptrdiff_t(size_t(y + 1) * (row + 1)));
  }
  return png;
}

std::vector<uint8_t> readBytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<std::string> readLines(const fs::path& p) {
  std::ifstream f(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(f, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string f; std::getline(in, f, sep);) out.push_back(f);
  return out;
}

// n samples of the shape in [0, 1], labels 0..2 (none for the unlabelled test split).
DataSplit dataOf(const SampleShape& shape, int n) {
  DataSplit d;
  d.train.shape = d.test.shape = shape;
  d.train.x.resize(shape.features(), n);
  d.test.x.resize(shape.features(), 5);
  Random rng(7);
  rng.fillUniform(d.train.x, 0.f, 1.f);
  rng.fillUniform(d.test.x, 0.f, 1.f);
  for (int i = 0; i < n; ++i) d.train.labels.push_back(i % 3);
  d.train.classes = d.test.classes = 3;
  return d;
}

// An encoding of the first n training samples with a latent of d and 3 classes; sample j predicted j % 3 + 1.
ProjectionEncoding encodingOf(int n, int d, bool fromTest = false) {
  ProjectionEncoding e;
  for (int i = 0; i < n; ++i) e.samples.push_back({i, fromTest});
  e.mu = Matrix<float>::Random(d, n);
  e.probs = Matrix<float>::Constant(3, n, 0.1f);
  for (int j = 0; j < n; ++j) e.probs((j + 1) % 3, j) = 0.8f;
  e.logRatios = e.probs.array().log().matrix();
  e.logRatios = e.logRatios.rowwise() - e.logRatios.colwise().mean();
  return e;
}

// Element i of an array the engine's reader returned (little-endian, as the writer stores it).
template <typename T>
double at(const RawArray& a, size_t i) {
  T v;
  std::memcpy(&v, a.bytes.data() + i * sizeof(T), sizeof(T));
  return double(v);
}

fs::path scratch(const char* name) {
  const fs::path p = fs::temp_directory_path() / ("latentlab-export-test-" + std::to_string(::getpid())) / name;
  fs::remove_all(p);
  return p;
}

}  // namespace

class EmbeddingExportTest : public QObject {
  Q_OBJECT

 private slots:
  void pngDecodesToItsPixels() {
    for (int channels : {1, 3}) {
      const int w = 37, h = 5;
      std::vector<uint8_t> pixels(size_t(w * h * channels));
      for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = uint8_t(i * 7);
      const DecodedPng png = decodePng(encodePng(w, h, channels, pixels));
      QCOMPARE(png.width, w);
      QCOMPARE(png.height, h);
      QCOMPARE(png.channels, channels);
      QVERIFY(png.pixels == pixels);
    }
    QVERIFY_THROWS_EXCEPTION(Error, encodePng(0, 3, 1, {}));
    QVERIFY_THROWS_EXCEPTION(Error, encodePng(2, 2, 2, std::vector<uint8_t>(8)));
    QVERIFY_THROWS_EXCEPTION(Error, encodePng(2, 2, 1, std::vector<uint8_t>(3)));
  }

  void npzReadsBackThroughTheEngineReader() {
    const fs::path dir = scratch("npz");
    fs::create_directories(dir);
    Matrix<float> m(3, 4);  // (d x n): read back as (n, d)
    for (int i = 0; i < m.size(); ++i) m.data()[i] = float(i) * 0.5f;
    const std::vector<int32_t> ints{-1, 0, 7, 123456};
    const std::vector<uint8_t> bytes{0, 1, 1, 0};
    NpzWriter npz;
    npz.addFloat32("tensors", {4, 3}, m.data());
    npz.addInt32("label", {4}, ints.data());
    npz.addUint8("labelled", {4}, bytes.data());
    npz.addStrings("class_names", {"T-shirt/top", "Stiefel \xc3\xbc", "x"});
    npz.write((dir / "a.npz").string());

    NpzFile f((dir / "a.npz").string());
    QCOMPARE(f.names(), (std::vector<std::string>{"tensors", "label", "labelled", "class_names"}));
    const RawArray t = f.read("tensors");
    QCOMPARE(t.dims, (std::vector<int64_t>{4, 3}));
    QCOMPARE(int(t.type), int(ElementType::Float32));
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 3; ++i) QCOMPARE(at<float>(t, size_t(j * 3 + i)), double(m(i, j)));
    const RawArray l = f.read("label");
    QCOMPARE(l.dims, (std::vector<int64_t>{4}));
    QCOMPARE(int(l.type), int(ElementType::Int32));
    for (int i = 0; i < 4; ++i) QCOMPARE(at<int32_t>(l, size_t(i)), double(ints[size_t(i)]));
    QCOMPARE(at<uint8_t>(f.read("labelled"), 2), 1.0);
    bool listed = false;  // the engine reads no strings, but its header is NumPy's unicode of the longest name
    for (const ArrayInfo& info : f.list())
      if (info.name == "class_names") listed = info.dims == std::vector<int64_t>{3} && info.type == "<U11";
    QVERIFY(listed);
    fs::remove_all(dir.parent_path());
  }

  void spriteGeometry() {
    // Images at full size: 10 samples of 6x4 (h x w) in a 4-column grid.
    const DataSplit images = dataOf(SampleShape::image(6, 4), 10);
    std::vector<int> ten(10);
    for (int i = 0; i < 10; ++i) ten[size_t(i)] = i;
    auto s = makeSprite(images.train.x, ten, images.train.shape);
    QVERIFY(s.has_value());
    QCOMPARE(s->columns, 4);
    QCOMPARE(s->thumbWidth, 4);
    QCOMPARE(s->thumbHeight, 6);
    QCOMPARE(s->width, 16);
    QCOMPARE(s->height, 18);  // 3 rows
    QCOMPARE(s->rgb.size(), size_t(16 * 18 * 3));
    // One channel is dark ink on white: pixel (0, 0) of sample 5 (row 1, column 1) is 255 - 255 v, grey.
    const float v = images.train.x(0, 5);
    const uint8_t* p = &s->rgb[(size_t(6) * 16 + 4) * 3];
    QVERIFY(std::abs(int(p[0]) - (255 - int(std::lround(v * 255)))) <= 1);
    QCOMPARE(p[0], p[1]);
    QCOMPARE(p[1], p[2]);
    QCOMPARE(s->rgb.back(), uint8_t(255));  // no sample in the last cells: white

    // Too many for the limit at full size: the thumbnails shrink, keeping their aspect, within the limit.
    const DataSplit big = dataOf(SampleShape::image(28, 14), 100);
    std::vector<int> hundred(100);
    for (int i = 0; i < 100; ++i) hundred[size_t(i)] = i;
    s = makeSprite(big.train.x, hundred, big.train.shape, 100);
    QCOMPARE(s->columns, 10);
    QCOMPARE(s->thumbHeight, 10);
    QCOMPARE(s->thumbWidth, 5);
    QVERIFY(s->width <= 100 && s->height <= 100);

    // Sequences: curves up to kMostCurves channels, a heat map of steps x channels beyond.
    const DataSplit curves = dataOf(SampleShape::sequence(50, 3), 10);
    s = makeSprite(curves.train.x, ten, curves.train.shape);
    QCOMPARE(s->thumbWidth, kSequenceThumbnail);
    QCOMPARE(s->thumbHeight, kSequenceThumbnail);
    bool coloured = false;
    for (size_t i = 0; i < s->rgb.size(); i += 3) coloured |= s->rgb[i] != s->rgb[i + 1] || s->rgb[i] != s->rgb[i + 2];
    QVERIFY(coloured);
    const DataSplit rows = dataOf(SampleShape::sequence(28, 28), 10);
    s = makeSprite(rows.train.x, ten, rows.train.shape);
    QCOMPARE(s->thumbWidth, 28);
    QCOMPARE(s->thumbHeight, 28);

    // Plain vectors have no picture; a column outside the data is an error.
    const DataSplit vectors = dataOf(SampleShape::vector(12), 10);
    QVERIFY(!makeSprite(vectors.train.x, ten, vectors.train.shape).has_value());
    QVERIFY_THROWS_EXCEPTION(Error, makeSprite(images.train.x, {10}, images.train.shape));
  }

  void exportWritesWellFormedFiles() {
    const int n = 20, d = 5;
    const DataSplit data = dataOf(SampleShape::image(28, 28), n);
    const ProjectionEncoding e = encodingOf(n, d);
    EmbeddingRequest r;
    r.encoding = &e;
    r.data = &data;
    r.input = EmbeddingInput::LatentMeans;
    r.classNames = {"zero", "one\tuno", "two"};  // a tab in a name must not split the column
    for (int j = 0; j < n; ++j) r.labelled.push_back(j < 4);
    const fs::path dir = scratch("images");
    const EmbeddingFiles files = writeEmbedding(dir.string(), r);
    QCOMPARE(files.samples, n);
    QCOMPARE(files.dimensions, d);
    QVERIFY(files.sprite);

    const auto tensors = readLines(dir / "tensors.tsv");
    QCOMPARE(int(tensors.size()), n);
    for (int j = 0; j < n; ++j) {
      const auto values = split(tensors[size_t(j)], '\t');
      QCOMPARE(int(values.size()), d);
      for (int i = 0; i < d; ++i) QVERIFY(std::abs(std::stod(values[size_t(i)]) - e.mu(i, j)) < 1e-6);
    }
    const auto meta = readLines(dir / "metadata.tsv");
    QCOMPARE(int(meta.size()), n + 1);
    QCOMPARE(meta[0], std::string("label\tprediction\tlabelled\tset\tindex"));
    for (int j = 0; j < n; ++j) {
      const auto f = split(meta[size_t(j) + 1], '\t');
      QCOMPARE(int(f.size()), 5);
      QCOMPARE(f[0], r.classNames[size_t(j % 3)] == "one\tuno" ? std::string("one uno") : r.classNames[size_t(j % 3)]);
      QCOMPARE(f[2], std::string(j < 4 ? "yes" : "no"));
      QCOMPARE(f[3], std::string("training"));
      QCOMPARE(std::stoi(f[4]), j);
    }
    QCOMPARE(split(meta[1], '\t')[1], std::string("one uno"));  // sample 0 is predicted class 1

    const DecodedPng sprite = decodePng(readBytes(dir / "sprite.png"));
    QCOMPARE(sprite.width, 5 * 28);  // ceil(sqrt(20)) = 5 columns, 4 rows
    QCOMPARE(sprite.height, 4 * 28);
    QCOMPARE(sprite.channels, 3);
    std::ifstream pbtxt(dir / "projector_config.pbtxt");
    const std::string config((std::istreambuf_iterator<char>(pbtxt)), std::istreambuf_iterator<char>());
    for (const char* part : {"tensor_path: \"tensors.tsv\"", "metadata_path: \"metadata.tsv\"",
                             "image_path: \"sprite.png\"", "single_image_dim: 28"})
      QVERIFY2(config.find(part) != std::string::npos, part);
    std::ifstream json(dir / "projector_config.json");
    const std::string js((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
    QVERIFY(js.find("\"tensorShape\": [20, 5]") != std::string::npos);
    QVERIFY(js.find("\"singleImageDim\": [28, 28]") != std::string::npos);

    NpzFile npz((dir / "embedding.npz").string());
    QCOMPARE(npz.read("tensors").dims, (std::vector<int64_t>{n, d}));
    QCOMPARE(npz.read("log_ratios").dims, (std::vector<int64_t>{n, 3}));
    QCOMPARE(at<int32_t>(npz.read("prediction"), 0), 1.0);
    QCOMPARE(at<uint8_t>(npz.read("labelled"), 3), 1.0);
    QCOMPARE(at<uint8_t>(npz.read("labelled"), 4), 0.0);
    fs::remove_all(dir);

    // Test samples of unlabelled data, q(y|x) log-ratios, plain vectors: "?" labels, no sprite, no sprite config.
    const DataSplit vectors = dataOf(SampleShape::vector(12), 8);
    const ProjectionEncoding t = encodingOf(5, 2, true);
    r.encoding = &t;
    r.data = &vectors;
    r.input = EmbeddingInput::ClassLogRatios;
    r.labelled.clear();
    r.baseUrl = "https://example.org/emb";  // the standalone projector's config names the files by URL
    const fs::path dir2 = scratch("vectors");
    const EmbeddingFiles f2 = writeEmbedding(dir2.string(), r);
    QCOMPARE(f2.dimensions, 3);
    QVERIFY(!f2.sprite);
    QVERIFY(!fs::exists(dir2 / "sprite.png"));
    const auto meta2 = readLines(dir2 / "metadata.tsv");
    QCOMPARE(int(meta2.size()), 6);
    QCOMPARE(split(meta2[1], '\t')[0], std::string("?"));
    QCOMPARE(split(meta2[1], '\t')[3], std::string("test"));
    std::ifstream pb2(dir2 / "projector_config.pbtxt");
    const std::string c2((std::istreambuf_iterator<char>(pb2)), std::istreambuf_iterator<char>());
    QVERIFY(c2.find("sprite") == std::string::npos);
    QVERIFY(c2.find("q(y|x) log-ratios") != std::string::npos);
    std::ifstream json2(dir2 / "projector_config.json");
    const std::string j2((std::istreambuf_iterator<char>(json2)), std::istreambuf_iterator<char>());
    QVERIFY(j2.find("\"tensorPath\": \"https://example.org/emb/tensors.tsv\"") != std::string::npos);
    QVERIFY(j2.find("\"metadataPath\": \"https://example.org/emb/metadata.tsv\"") != std::string::npos);
    QVERIFY(c2.find("tensor_path: \"tensors.tsv\"") != std::string::npos);  // TensorBoard's: beside the config

    // A sample outside its set is refused before anything is written.
    ProjectionEncoding bad = encodingOf(3, 2, true);
    bad.samples[2].index = 99;
    r.encoding = &bad;
    QVERIFY_THROWS_EXCEPTION(Error, writeEmbedding(scratch("bad").string(), r));
    QVERIFY(!fs::exists(scratch("bad")));
    fs::remove_all(dir2.parent_path());
  }
};

QTEST_GUILESS_MAIN(EmbeddingExportTest)
#include "EmbeddingExportTest.moc"
