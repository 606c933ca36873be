// export-embedding: a model's view of a data set for TensorBoard's Embedding Projector and NumPy.
#include <cstdio>
#include <set>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "cli/Options.h"
#include "engine/export/EmbeddingExport.h"
#include "engine/io/ModelFile.h"
#include "engine/projection/ProjectionJob.h"

namespace latentlab::cli {

const char* exportEmbeddingHelp() {
  static const std::string text =
      std::string(
          "usage: latentlab-cli export-embedding --model FILE.h5 --out DIR [--input mu|clr|probs] [--set "
          "test|training]\n"
          "                                      [--samples N] [--no-sprite] [--base-url URL] [--data PATH ...]\n"
          "Encodes samples with a saved model and writes them in TensorBoard's Embedding Projector format:\n"
          "tensors.tsv, metadata.tsv (label, prediction, labelled, set, index), sprite.png (images: the samples;\n"
          "sequences: small line plots), projector_config.pbtxt and projector_config.json, and embedding.npz\n"
          "(tensors, mu, log_ratios, probs, label, prediction, labelled, test, index, class_names).\n"
          "\n"
          "  --input mu|clr|probs       the latent means (default), q(y|x)'s log-ratios (log q less its mean over\n"
          "                             the classes) or q(y|x)\n"
          "  --set test|training        which split's samples (default test; training when there is no test split)\n"
          "  --samples N                at most N of them, the same random ones every time (default 10000)\n"
          "  --no-sprite                no sprite.png\n"
          "  --base-url URL             where DIR will be served over HTTP: projector_config.json then names its\n"
          "                             files by URL, as projector.tensorflow.org/?config=URL/projector_config.json\n"
          "                             needs (default: the bare file names)\n"
          "  --threads T                threads for the matrix products (default 1)\n") +
      kDataHelp;
  return text.c_str();
}

int exportEmbeddingCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"model", "out", "input", "set", "samples", "threads", "base-url"};
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"no-sprite"});
  if (!a.has("model") || !a.has("out")) throw UsageError("--model FILE.h5 and --out DIR are required");
  setThreads(a.integer("threads", 1));
  EmbeddingInput input;
  try {
    input = embeddingInputFromString(a.string("input", "mu"));
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  const std::string set = a.string("set", "test");
  if (set != "test" && set != "training") throw UsageError("--set is test or training");
  const int cap = a.integer("samples", 10000);
  if (cap < 3) throw UsageError("--samples must be at least 3");

  const ModelFile f = readModelFile(a.string("model", ""));
  DataSplit data = openData(dataRequestFromArguments(a, f.model.classes));
  readInputs(data, a, &f.input);
  if (data.train.features() != f.model.inputSize)
    throw Error("export-embedding", "the model takes " + std::to_string(f.model.inputSize) + " features, " +
                                        data.source + " has " + std::to_string(data.train.features()));
  const bool fromTest = set == "test" && data.test.size() > 0;
  const Dataset& split = fromTest ? data.test : data.train;
  std::vector<SampleRef> samples;
  for (int i = 0; i < split.size(); ++i) samples.push_back({i, fromTest});
  samples = sampleSubset(std::move(samples), cap);
  if (samples.size() < 3) throw Error("export-embedding", data.source + ": too few samples to export");

  auto model = instantiateModel(f);
  ProjectionRequest request;
  request.samples = samples;
  request.input = input == EmbeddingInput::LatentMeans      ? ProjectionInput::LatentMeans
                  : input == EmbeddingInput::ClassLogRatios ? ProjectionInput::ClassLogRatios
                                                            : ProjectionInput::ClassProbabilities;
  request.method = ProjectionMethod::Pca;
  request.negElbo = false;
  ProjectionJob job(*model, data, request);
  const ProjectionResult projected = job.run();

  std::set<int> labelledIndices;
  for (const LabelEntry& e : f.labels) labelledIndices.insert(e.index);
  EmbeddingRequest r;
  r.encoding = projected.encoding.get();
  r.data = &data;
  r.input = input;
  r.classNames = int(split.classNames.size()) == f.model.classes ? split.classNames : f.classNames;
  for (const SampleRef& s : samples) r.labelled.push_back(!s.fromTest && labelledIndices.count(s.index) > 0);
  r.sprite = !a.has("no-sprite");
  r.baseUrl = a.string("base-url", "");
  const EmbeddingFiles files = writeEmbedding(a.string("out", ""), r);

  std::printf("wrote %d %s samples of %s, %s (%d dimensions), to %s:", files.samples, fromTest ? "test" : "training",
              data.source.c_str(), describe(input).c_str(), files.dimensions, files.folder.c_str());
  for (const auto& name : files.files) std::printf(" %s", name.c_str());
  std::printf("\n");
  if (files.sprite)
    std::printf("sprite %dx%d, thumbnails %dx%d\n", files.spriteWidth, files.spriteHeight, files.thumbWidth,
                files.thumbHeight);
  else
    std::printf("no sprite%s\n", r.sprite ? " (the samples are plain vectors)" : "");
  return 0;
}

}  // namespace latentlab::cli
