// latentlab-cli experiment: the article's experiments as a resumable sweep of runs, one JSON file each, and the
// report that merges them (engine/experiment/).
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "cli/Options.h"
#include "cli/ReportPlots.h"
#include "engine/core/AtomicFile.h"
#include "engine/core/GemmBackend.h"
#include "engine/experiment/ExperimentPlan.h"
#include "engine/experiment/ExperimentReport.h"
#include "engine/experiment/ExperimentRun.h"
#include "engine/experiment/ExperimentSweep.h"

namespace latentlab::cli {
namespace {

CancelFlag gExperimentCancel{false};
extern "C" void onExperimentInterrupt(int) { gExperimentCancel.store(true); }  // atomic: safe in a handler

int reportCommand(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0].rfind("--", 0) == 0) throw UsageError("experiment report takes one folder: DIR");
  const ExperimentResults results = loadExperimentResults(args[0]);
  const std::string path = writeExperimentReport(args[0], reportPlotter());
  std::printf("# %zu results merged, %zu files skipped; report: %s\n", results.runs.size(), results.skipped.size(),
              path.c_str());
  for (const std::string& s : results.skipped) std::printf("#   skipped %s\n", s.c_str());
  return 0;
}

}  // namespace

const char* experimentHelp() {
  return "usage: latentlab-cli experiment classification|regulariser|anomaly [options]\n"
         "       latentlab-cli experiment report DIR\n"
         "The source article's experiments as a sweep of runs. Each run writes DIR/<run id>.json (config, commit,\n"
         "machine, time taken, figures) when it finishes; a run whose file exists is skipped, so a sweep that was\n"
         "cut off continues where it stopped, and runs two experiments share are trained once. At the end the\n"
         "report is written (DIR/report.md and PNG plots). Ctrl-C stops the run under way (it leaves no file).\n"
         "\n"
         "  classification             SS against EQ_S (trunk + pi on the labels alone) at 100, 1000 and every\n"
         "                             label\n"
         "  regulariser                every label: SS classified with trunk + pi against EQ_S, accuracy and\n"
         "                             log loss (the classification runs with every label)\n"
         "  anomaly                    each class held out in turn: a VAE without labels against the SS VAE with\n"
         "                             the other classes' labels, -ELBO score, PCA and autoencoder baselines\n"
         "  report DIR                 merge whatever results DIR holds into DIR/report.md and plots\n"
         "\n"
         "  --flavour dense|conv|recurrent  (default dense; the flavour's default architecture)\n"
         "  --data PATH                labelled data as `train --data` takes it (default the bundled MNIST)\n"
         "  --seeds 1,2,3              one run per seed (default 1,2,3)\n"
         "  --epochs N                 default: 20 (images), 40 (sequences); anomaly 10 (three models a run)\n"
         "  --label-counts 100,1000,all  classification's label counts (default 100,1000,all)\n"
         "  --holdout C|all            anomaly: the classes held out (default all)\n"
         "  --out DIR                  the results folder (default experiments)\n"
         "  --plan                     print one command line per run still to do (for a Slurm job array or\n"
         "                             GNU parallel over ssh), run nothing; then `experiment report DIR`\n"
         "  --only ID                  run that one run of the sweep (what --plan prints)\n"
         "  --train-samples N          the first N training samples only (quick sweeps; in the run ids)\n"
         "  --test-samples N           the first N test samples only\n"
         "  --threads T                threads for the matrix products (default 1)\n";
}

int experimentCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) throw UsageError("say which experiment: classification, regulariser, anomaly or report");
  if (argv[0] == "report") return reportCommand({argv.begin() + 1, argv.end()});
  ExperimentRequest request;
  try {
    request.protocol = experimentProtocolFromString(argv[0]);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  const Arguments a({argv.begin() + 1, argv.end()},
                    {"flavour", "data", "seeds", "epochs", "label-counts", "holdout", "out", "only", "train-samples",
                     "test-samples", "threads", "gemm"},
                    {"plan"});
  applyCompute(a);
  try {
    request.flavour = flavourFromString(a.string("flavour", "dense"));
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  request.data = a.string("data", "");
  try {
    if (a.has("seeds")) request.seeds = parseSeeds(a.string("seeds", ""));
    request.labelCounts = parseLabelCounts(a.string("label-counts", "100,1000,all"));
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  request.epochs = a.integer("epochs", 0);
  if (a.has("epochs") && request.epochs < 1) throw UsageError("--epochs must be at least 1");
  const std::string holdout = a.string("holdout", "all");
  if (holdout != "all") request.holdouts = {a.integer("holdout", -1)};
  request.trainSamples = a.integer("train-samples", 0);
  request.testSamples = a.integer("test-samples", 0);
  request.threads = a.integer("threads", 1);
  try {
    request.validate();
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  const std::string out = a.string("out", "experiments");

  // The data once: its class count plans the anomaly runs; every run cuts its own samples from it.
  const DataSplit data = openExperimentData(request.data.empty() ? defaultDataPath() : request.data);
  std::vector<RunSpec> runs = planRuns(request, data.train.classes);
  if (a.has("only")) {
    const std::string only = a.string("only", "");
    std::vector<RunSpec> kept;
    for (const RunSpec& r : runs)
      if (r.id() == only) kept.push_back(r);
    if (kept.empty()) {
      std::string ids;
      for (const RunSpec& r : runs) ids.append(" ").append(r.id());  // not " " + string: GCC 12 -Wrestrict
      throw UsageError("--only " + only + ": no such run in this sweep (its runs:" + ids + ")");
    }
    runs = kept;
  }

  if (a.has("plan")) {
    int todo = 0;
    for (const RunSpec& r : runs) {
      if (runDone(out, r)) {
        std::printf("# done: %s\n", r.id().c_str());
        continue;
      }
      std::printf("%s\n", r.commandLine("latentlab-cli", out).c_str());
      ++todo;
    }
    std::printf("# %d of %zu runs to do; then: latentlab-cli experiment report %s\n", todo, runs.size(), out.c_str());
    return 0;
  }

  std::error_code ec;
  std::filesystem::create_directories(out, ec);  // a missing folder is made; an unwritable one is said now
  checkOutputPath((std::filesystem::path(out) / "report.md").string(), "experiment --out");
  std::printf("# latentlab experiment %s: %s, %s, %zu runs into %s (commit %s, %s, threads %d)\n",
              toString(request.protocol).c_str(), data.description.c_str(), toString(request.flavour).c_str(),
              runs.size(), out.c_str(), buildCommit().c_str(), cpuModelName().c_str(), gemmThreads());
  std::fflush(stdout);
  const bool tty = isatty(fileno(stderr));
  std::signal(SIGINT, onExperimentInterrupt);
  SweepEvents events;
  events.skipped = [&](size_t i) {
    std::printf("[%zu/%zu] %s: done before, skipped\n", i + 1, runs.size(), runs[i].id().c_str());
  };
  events.progress = [&](size_t i, const RunProgress& p) {
    if (tty)
      std::fprintf(stderr, "\r  [%zu/%zu] %s: %s %3.0f%%      ", i + 1, runs.size(), runs[i].id().c_str(),
                   p.stage.c_str(), 100 * p.fraction);
  };
  events.finished = [&](size_t i, const RunOutcome& o) {
    if (tty) std::fprintf(stderr, "\r%100s\r", "");
    std::printf("[%zu/%zu] %s: %s in %.0f s, %s\n", i + 1, runs.size(), runs[i].id().c_str(), o.trainStatus.c_str(),
                o.seconds, o.figures.str().substr(0, 160).c_str());
    std::fflush(stdout);
  };
  const SweepSummary sweep = runSweep(runs, data, out, events, &gExperimentCancel);
  if (tty) std::fprintf(stderr, "\r%100s\r", "");
  if (sweep.cancelledRun >= 0)
    std::printf("[%ld/%zu] %s: stopped (no result written; it runs again next time)\n", sweep.cancelledRun + 1,
                runs.size(), runs[size_t(sweep.cancelledRun)].id().c_str());
  const bool cancelled = sweep.cancelled;
  const int ran = sweep.ran, skipped = sweep.skipped;
  std::signal(SIGINT, SIG_DFL);
  std::printf("# %d runs done now, %d skipped (done before)%s\n", ran, skipped, cancelled ? ", stopped" : "");
  if (!a.has("only") && !cancelled) {
    const std::string path = writeExperimentReport(out, reportPlotter());
    std::printf("# report: %s\n", path.c_str());
  }
  return cancelled ? 130 : 0;
}

}  // namespace latentlab::cli
