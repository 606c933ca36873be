#pragma once
// Hands a set of encoded samples to TensorBoard's Embedding Projector (and to NumPy users). One folder:
//   tensors.tsv             one line per sample, the exported vector's values separated by tabs
//   metadata.tsv            a header line "label\tprediction\tlabelled\tset\tindex", then one line per sample:
//                           the data set's own class name ("?" when it has none), the predicted class name
//                           (argmax q(y|x)), yes/no (the user labelled it), training/test, the sample's column
//                           in its set
//   sprite.png              one thumbnail per sample in a square grid (Sprite.h); images and sequences only
//   projector_config.pbtxt  TensorBoard's projector config (embeddings { tensor_path, metadata_path, sprite })
//   projector_config.json   the same for the standalone projector (projector.tensorflow.org, "?config=URL"),
//                           which fetches the paths in it as they are: with a base URL they are that URL plus the
//                           file name, else the file names alone (a projector served from the same folder)
//   embedding.npz           float32 tensors (n x D), mu (n x d), log_ratios and probs (n x K); int32 label (-1:
//                           none), prediction and index; uint8 labelled and test; class_names (unicode)
// The exported vector is the latent means, q(y|x)'s centred log-ratios or q(y|x) (ProjectionJob.h).
#include <string>
#include <vector>

#include "engine/data/Dataset.h"
#include "engine/projection/ProjectionJob.h"

namespace latentlab {

enum class EmbeddingInput { LatentMeans, ClassLogRatios, ClassProbabilities };

std::string toString(EmbeddingInput input);                     // mu, clr, probs
EmbeddingInput embeddingInputFromString(const std::string& s);  // throws Error naming the choices
std::string describe(EmbeddingInput input);                     // the projector's tensor name

struct EmbeddingRequest {
  const ProjectionEncoding* encoding = nullptr;  // the samples and what the model made of them
  const DataSplit* data = nullptr;               // where the samples are (their labels, their pixels)
  EmbeddingInput input = EmbeddingInput::LatentMeans;
  std::vector<std::string> classNames;  // K names (missing ones are the class numbers)
  std::vector<bool> labelled;           // per exported sample: labelled by the user (empty: none)
  bool sprite = true;                   // write sprite.png when the samples are images or sequences
  std::string baseUrl;                  // projector_config.json names its files by this URL (empty: bare names)
};

struct EmbeddingFiles {
  std::string folder;
  int samples = 0, dimensions = 0;
  bool sprite = false;
  int thumbWidth = 0, thumbHeight = 0, spriteWidth = 0, spriteHeight = 0;
  std::vector<std::string> files;  // the names written, in the folder
};

// Creates the folder when missing and writes the files; throws Error("EmbeddingExport", ...) naming the file.
EmbeddingFiles writeEmbedding(const std::string& folder, const EmbeddingRequest& request);

}  // namespace latentlab
