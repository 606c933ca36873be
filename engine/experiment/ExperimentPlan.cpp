#include "engine/experiment/ExperimentPlan.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "engine/core/Error.h"

namespace latentlab {

std::string toString(ExperimentProtocol p) {
  switch (p) {
    case ExperimentProtocol::Classification:
      return "classification";
    case ExperimentProtocol::Regulariser:
      return "regulariser";
    case ExperimentProtocol::Anomaly:
      return "anomaly";
  }
  return "?";
}

ExperimentProtocol experimentProtocolFromString(const std::string& s) {
  if (s == "classification") return ExperimentProtocol::Classification;
  if (s == "regulariser" || s == "regularizer") return ExperimentProtocol::Regulariser;
  if (s == "anomaly") return ExperimentProtocol::Anomaly;
  throw Error("Experiment", "unknown experiment '" + s + "' (classification, regulariser or anomaly)");
}

int defaultExperimentEpochs(ExperimentProtocol protocol, Flavour flavour) {
  if (protocol == ExperimentProtocol::Anomaly) return 10;
  return flavour == Flavour::Recurrent ? 40 : 20;
}

void ExperimentRequest::validate() const {
  if (seeds.empty()) throw Error("Experiment", "no seeds");
  for (int s : seeds)
    if (s < 0) throw Error("Experiment", "seeds are 0 or more");
  if (epochs < 0 || epochs > 100000) throw Error("Experiment", "epochs must be in 1..100000");
  for (int n : labelCounts)
    if (n < 0) throw Error("Experiment", "label counts are positive (0: every label)");
  if (protocol == ExperimentProtocol::Classification && labelCounts.empty())
    throw Error("Experiment", "no label counts");
  for (int c : holdouts)
    if (c < 0) throw Error("Experiment", "held-out classes are 0 or more");
  if (trainSamples < 0 || testSamples < 0) throw Error("Experiment", "sample counts are 0 (all) or more");
  if (threads < 1 || threads > 256) throw Error("Experiment", "threads must be in 1..256");
}

std::string dataTag(const std::string& data) {
  if (data.empty()) return "mnist";
  std::filesystem::path p(data);
  while (!p.empty() && p.filename().empty()) p = p.parent_path();  // "datasets/mnist/"
  std::string tag = p.stem().string();
  for (char& c : tag)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return tag.empty() ? "data" : tag;
}

std::string RunSpec::id() const {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::string temporaries.
  const std::string count = labels > 0 ? std::to_string(labels) : std::string("all");
  std::string s = dataTag(data);
  s.append("-").append(toString(flavour)).append("-").append(arm);
  if (arm == "anomaly")
    s.append("-h").append(std::to_string(holdout));
  else
    s.append("-").append(count);
  s += "-s" + std::to_string(seed) + "-e" + std::to_string(epochs);
  if (trainSamples > 0) s += "-n" + std::to_string(trainSamples);
  if (testSamples > 0) s += "-t" + std::to_string(testSamples);
  return s;
}

namespace {
// Single quotes for a POSIX shell, only where needed.
std::string shellWord(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string("-_./:,=+@").find(c) == std::string::npos)
      plain = false;
  if (plain) return s;
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}
}  // namespace

std::string RunSpec::commandLine(const std::string& program, const std::string& outDir) const {
  const ExperimentProtocol p = protocol == ExperimentProtocol::Anomaly ? protocol : ExperimentProtocol::Classification;
  std::string c = shellWord(program) + " experiment " + toString(p) + " --flavour " + toString(flavour);
  if (!data.empty()) c += " --data " + shellWord(data);
  c += " --seeds " + std::to_string(seed) + " --epochs " + std::to_string(epochs);
  const std::string count = labels > 0 ? std::to_string(labels) : std::string("all");
  if (arm != "anomaly") c.append(" --label-counts ").append(count);
  if (arm == "anomaly") c += " --holdout " + std::to_string(holdout);
  if (trainSamples > 0) c += " --train-samples " + std::to_string(trainSamples);
  if (testSamples > 0) c += " --test-samples " + std::to_string(testSamples);
  if (threads != 1) c += " --threads " + std::to_string(threads);
  return c + " --out " + shellWord(outDir) + " --only " + id();
}

namespace {
std::vector<int> parseList(const std::string& list, const char* what, bool allowAll, long lo) {
  std::vector<int> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(',', start), list.size());
    std::string item = list.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    char* stop = nullptr;
    const long n = std::strtol(item.c_str(), &stop, 10);
    if (allowAll && item == "all")
      out.push_back(0);
    else if (item.empty() || *stop || n < lo || n > 100000000)
      throw Error("Experiment", std::string(what) + ": '" + item + "' is not " +
                                    (allowAll ? "a positive count or all" : "a whole number of 0 or more"));
    else
      out.push_back(int(n));
    start = end + 1;
  }
  return out;
}
}  // namespace

std::vector<int> parseLabelCounts(const std::string& list) { return parseList(list, "label counts", true, 1); }
std::vector<int> parseSeeds(const std::string& list) { return parseList(list, "seeds", false, 0); }

std::vector<RunSpec> planRuns(const ExperimentRequest& r, int classes) {
  r.validate();
  RunSpec base;
  base.flavour = r.flavour;
  base.data = r.data;
  base.epochs = r.epochs > 0 ? r.epochs : defaultExperimentEpochs(r.protocol, r.flavour);
  base.trainSamples = r.trainSamples;
  base.testSamples = r.testSamples;
  base.threads = r.threads;
  std::vector<RunSpec> runs;
  if (r.protocol == ExperimentProtocol::Anomaly) {
    base.protocol = ExperimentProtocol::Anomaly;
    base.arm = "anomaly";
    std::vector<int> holdouts = r.holdouts;
    if (holdouts.empty())
      for (int c = 0; c < classes; ++c) holdouts.push_back(c);
    for (int c : holdouts)
      if (c >= classes)
        throw Error("Experiment", "there is no class " + std::to_string(c) + " to hold out (the data has classes 0.." +
                                      std::to_string(classes - 1) + ")");
    for (int seed : r.seeds)
      for (int c : holdouts) {
        RunSpec s = base;
        s.holdout = c;
        s.seed = seed;
        runs.push_back(s);
      }
    return runs;
  }
  const std::vector<int> counts = r.protocol == ExperimentProtocol::Regulariser ? std::vector<int>{0} : r.labelCounts;
  // Seeds outermost: after the first seed every label count has a result, so a cut-off sweep still reports.
  for (int seed : r.seeds)
    for (int labels : counts)
      for (const char* arm : {"eq_s", "ss"}) {
        RunSpec s = base;
        s.arm = arm;
        s.labels = labels;
        s.seed = seed;
        runs.push_back(s);
      }
  return runs;
}

}  // namespace latentlab
