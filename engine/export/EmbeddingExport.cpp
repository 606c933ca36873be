#include "engine/export/EmbeddingExport.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/core/Error.h"
#include "engine/export/NpzWriter.h"
#include "engine/export/PngWriter.h"
#include "engine/export/Sprite.h"

namespace latentlab {
namespace {

namespace fs = std::filesystem;

// A metadata field: the projector splits on tabs and lines.
std::string field(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s.empty() ? "?" : s;
}

std::string quoted(const std::string& s) {  // a string for the .pbtxt and the .json
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class Output {
 public:
  Output(const fs::path& folder, const std::string& name, EmbeddingFiles& files)
      : path_(folder / name), f_(path_, std::ios::binary | std::ios::trunc) {
    if (!f_) fail();
    files.files.push_back(name);
  }
  std::ofstream& stream() { return f_; }
  void close() {
    f_.close();
    if (!f_) fail();
  }

 private:
  [[noreturn]] void fail() const { throw Error("EmbeddingExport", path_.string() + ": cannot write"); }
  fs::path path_;
  std::ofstream f_;
};

// A (rows x n) matrix as n lines of rows tab-separated values.
void writeTsv(std::ofstream& out, const Matrix<float>& m) {
  char buf[32];
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      std::snprintf(buf, sizeof buf, "%.7g", double(m(i, j)));
      if (i) out << '\t';
      out << buf;
    }
    out << '\n';
  }
}

}  // namespace

std::string toString(EmbeddingInput input) {
  switch (input) {
    case EmbeddingInput::LatentMeans:
      return "mu";
    case EmbeddingInput::ClassLogRatios:
      return "clr";
    case EmbeddingInput::ClassProbabilities:
      return "probs";
  }
  return "?";
}

EmbeddingInput embeddingInputFromString(const std::string& s) {
  if (s == "mu") return EmbeddingInput::LatentMeans;
  if (s == "clr") return EmbeddingInput::ClassLogRatios;
  if (s == "probs") return EmbeddingInput::ClassProbabilities;
  throw Error("EmbeddingExport", "unknown input '" + s + "' (mu: latent means, clr: q(y|x) log-ratios, probs: q(y|x))");
}

std::string describe(EmbeddingInput input) {
  switch (input) {
    case EmbeddingInput::LatentMeans:
      return "latent means mu";
    case EmbeddingInput::ClassLogRatios:
      return "q(y|x) log-ratios";
    case EmbeddingInput::ClassProbabilities:
      return "q(y|x)";
  }
  return "?";
}

EmbeddingFiles writeEmbedding(const std::string& folder, const EmbeddingRequest& r) {
  if (!r.encoding || !r.data) throw Error("EmbeddingExport", "nothing to export");
  const ProjectionEncoding& e = *r.encoding;
  const DataSplit& data = *r.data;
  const int n = e.size();
  if (n < 1) throw Error("EmbeddingExport", "no samples to export");
  if (!r.labelled.empty() && int(r.labelled.size()) != n)
    throw Error("EmbeddingExport", "one labelled flag per sample is needed");
  const Matrix<float>& tensors = r.input == EmbeddingInput::LatentMeans      ? e.mu
                                 : r.input == EmbeddingInput::ClassLogRatios ? e.logRatios
                                                                             : e.probs;
  if (tensors.cols() != n)
    throw Error("EmbeddingExport", "the encoding has " + std::to_string(tensors.cols()) + " columns for " +
                                       std::to_string(n) + " samples");
  for (const SampleRef& s : e.samples)
    if (s.index < 0 || s.index >= (s.fromTest ? data.test.size() : data.train.size()))
      throw Error("EmbeddingExport", "sample " + std::to_string(s.index) + " is outside the " +
                                         (s.fromTest ? "test" : "training") + " set");

  std::error_code ec;
  fs::create_directories(folder, ec);
  if (!fs::is_directory(folder)) throw Error("EmbeddingExport", folder + ": cannot create the folder");
  EmbeddingFiles files;
  files.folder = folder;
  files.samples = n;
  files.dimensions = int(tensors.rows());
  auto className = [&](int k) {
    return k >= 0 && k < int(r.classNames.size()) ? r.classNames[size_t(k)] : k >= 0 ? std::to_string(k) : "";
  };
  const size_t count = size_t(n);
  std::vector<int32_t> label(count), prediction(count), index(count);
  std::vector<uint8_t> labelled(count), test(count);
  for (int j = 0; j < n; ++j) {
    const SampleRef& s = e.samples[size_t(j)];
    const Dataset& d = s.fromTest ? data.test : data.train;
    label[size_t(j)] = s.index < int(d.labels.size()) ? d.labels[size_t(s.index)] : -1;
    prediction[size_t(j)] = e.predicted(j);
    index[size_t(j)] = s.index;
    labelled[size_t(j)] = !r.labelled.empty() && r.labelled[size_t(j)];
    test[size_t(j)] = s.fromTest;
  }

  {
    Output out(folder, "tensors.tsv", files);
    writeTsv(out.stream(), tensors);
    out.close();
  }
  {
    Output out(folder, "metadata.tsv", files);
    out.stream() << "label\tprediction\tlabelled\tset\tindex\n";
    for (int j = 0; j < n; ++j)
      out.stream() << field(className(label[size_t(j)])) << '\t' << field(className(prediction[size_t(j)])) << '\t'
                   << (labelled[size_t(j)] ? "yes" : "no") << '\t' << (test[size_t(j)] ? "test" : "training") << '\t'
                   << index[size_t(j)] << '\n';
    out.close();
  }

  // The sprite: the samples of each set where they are (a mixed selection is gathered first).
  if (r.sprite) {
    Matrix<float> gathered;
    const SampleShape& shape = data.train.size() ? data.train.shape : data.test.shape;
    if (shape.isImage() || shape.isSequence()) {
      gathered.resize(shape.features(), n);
      for (int j = 0; j < n; ++j) {
        const SampleRef& s = e.samples[size_t(j)];
        gathered.col(j) = (s.fromTest ? data.test.x : data.train.x).col(s.index);
      }
      std::vector<int> all(count);
      for (int j = 0; j < n; ++j) all[size_t(j)] = j;
      if (const auto sprite = makeSprite(gathered, all, shape)) {
        writePng((fs::path(folder) / "sprite.png").string(), sprite->width, sprite->height, 3, sprite->rgb);
        files.files.push_back("sprite.png");
        files.sprite = true;
        files.thumbWidth = sprite->thumbWidth;
        files.thumbHeight = sprite->thumbHeight;
        files.spriteWidth = sprite->width;
        files.spriteHeight = sprite->height;
      }
    }
  }

  const std::string name = describe(r.input);
  {
    Output out(folder, "projector_config.pbtxt", files);
    std::ofstream& o = out.stream();
    o << "embeddings {\n  tensor_name: " << quoted(name) << "\n  tensor_path: \"tensors.tsv\"\n"
      << "  metadata_path: \"metadata.tsv\"\n";
    if (files.sprite)
      o << "  sprite {\n    image_path: \"sprite.png\"\n    single_image_dim: " << files.thumbWidth
        << "\n    single_image_dim: " << files.thumbHeight << "\n  }\n";
    o << "}\n";
    out.close();
  }
  {
    std::string base = r.baseUrl;  // the standalone projector fetches these paths as they are
    if (!base.empty() && base.back() != '/') base += '/';
    Output out(folder, "projector_config.json", files);
    std::ofstream& o = out.stream();
    o << "{\n  \"embeddings\": [\n    {\n      \"tensorName\": " << quoted(name) << ",\n      \"tensorShape\": [" << n
      << ", " << files.dimensions << "],\n      \"tensorPath\": " << quoted(base + "tensors.tsv")
      << ",\n      \"metadataPath\": " << quoted(base + "metadata.tsv");
    if (files.sprite)
      o << ",\n      \"sprite\": {\"imagePath\": " << quoted(base + "sprite.png") << ", \"singleImageDim\": ["
        << files.thumbWidth << ", " << files.thumbHeight << "]}";
    o << "\n    }\n  ]\n}\n";
    out.close();
  }

  NpzWriter npz;
  const int64_t N = n;
  npz.addFloat32("tensors", {N, tensors.rows()}, tensors.data());  // (D x n) column-major = (n, D) C order
  npz.addFloat32("mu", {N, e.mu.rows()}, e.mu.data());
  npz.addFloat32("log_ratios", {N, e.logRatios.rows()}, e.logRatios.data());
  npz.addFloat32("probs", {N, e.probs.rows()}, e.probs.data());
  npz.addInt32("label", {N}, label.data());
  npz.addInt32("prediction", {N}, prediction.data());
  npz.addUint8("labelled", {N}, labelled.data());
  npz.addUint8("test", {N}, test.data());
  npz.addInt32("index", {N}, index.data());
  std::vector<std::string> names;
  for (int k = 0; k < int(e.probs.rows()); ++k) names.push_back(className(k));
  npz.addStrings("class_names", names);
  npz.write((fs::path(folder) / "embedding.npz").string());
  files.files.push_back("embedding.npz");
  return files;
}

}  // namespace latentlab
