// The model file's record taken from, and put back into, a model and its trainer: plain C++, no HDF5, so the
// engine library (the training session, generation, jobs) has it without linking the file format.
#include "engine/core/Error.h"
#include "engine/io/ModelFile.h"

namespace latentlab {

ModelFile captureModel(SemiSupervisedVae<float>& model, const std::vector<std::string>& classNames,
                       const DatasetInfo& dataset, Trainer* trainer, const LabelSet* labels) {
  ModelFile f;
  f.model = model.config();
  f.classNames = classNames;
  for (auto& p : model.parameters()) f.parameters.emplace_back(p.name, *p.value);
  f.dataset = dataset;
  if (trainer) {
    f.model.beta = trainer->targetBeta();  // not the warm-up's current value
    f.decoderTrained = !trainer->config().supervisedOnly;
    TrainingSnapshot t;
    t.config = trainer->config();
    t.state = trainer->state();
    Adam<float>& adam = trainer->optimiser();
    t.optimiser.config = adam.config();
    t.optimiser.steps = adam.steps();
    for (const auto& p : adam.parameters()) t.optimiser.names.push_back(p.name);
    t.optimiser.m = adam.firstMoments();
    t.optimiser.v = adam.secondMoments();
    f.training = std::move(t);
  }
  if (labels) f.labels = *labels->snapshot();
  return f;
}

std::unique_ptr<SemiSupervisedVae<float>> instantiateModel(const ModelFile& f) {
  auto model = std::make_unique<SemiSupervisedVae<float>>(f.model, 0);
  auto params = model->parameters();
  if (params.size() != f.parameters.size()) throw Error("ModelFile", "parameter count does not match the architecture");
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name != f.parameters[i].first || params[i].value->rows() != f.parameters[i].second.rows() ||
        params[i].value->cols() != f.parameters[i].second.cols())
      throw Error("ModelFile", "parameter " + f.parameters[i].first + " does not fit the architecture");
    *params[i].value = f.parameters[i].second;
  }
  return model;
}

void restoreTraining(const ModelFile& f, Trainer& trainer) {
  if (!f.training) throw Error("ModelFile", "the file holds no training state to resume");
  const TrainingSnapshot& t = *f.training;
  Adam<float>& adam = trainer.optimiser();
  const auto& params = adam.parameters();
  if (params.size() != t.optimiser.names.size())
    throw Error("ModelFile", "the optimiser state covers " + std::to_string(t.optimiser.names.size()) +
                                 " parameters, the trainer " + std::to_string(params.size()));
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].name != t.optimiser.names[i])
      throw Error("ModelFile",
                  "optimiser parameter " + t.optimiser.names[i] + " is not the trainer's " + params[i].name);
  trainer.restore(t.state);  // validates the sample order before anything is changed below
  adam.firstMoments() = t.optimiser.m;
  adam.secondMoments() = t.optimiser.v;
  adam.setSteps(t.optimiser.steps);
}

}  // namespace latentlab
