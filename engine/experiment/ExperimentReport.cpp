#include "engine/experiment/ExperimentReport.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "engine/core/AtomicFile.h"
#include "engine/core/Error.h"

namespace latentlab {
namespace fs = std::filesystem;

namespace {

std::string format(const char* fmt, double a, double b = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

// "93.41 ± 0.52" in percent, "–" without runs.
std::string percent(const SeedStats& s) {
  if (s.n == 0) return "–";
  return s.n > 1 ? format("%.2f ± %.2f", 100 * s.mean, 100 * s.sd) : format("%.2f", 100 * s.mean);
}
std::string plain(const SeedStats& s, const char* fmt1 = "%.4f", const char* fmt2 = "%.4f ± %.4f") {
  if (s.n == 0) return "–";
  return s.n > 1 ? format(fmt2, s.mean, s.sd) : format(fmt1, s.mean);
}
std::string labelText(int requested, int used) {
  return requested > 0 ? std::to_string(requested) : "all (" + std::to_string(used) + ")";
}
// "dense, 20 epochs" -> "dense-20-epochs"
std::string slug(const std::string& s) {
  std::string o;
  for (char c : s) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c));
    if (keep || (!o.empty() && o.back() != '-')) o += keep ? c : '-';
  }
  while (!o.empty() && o.back() == '-') o.pop_back();
  return o;
}

}  // namespace

ExperimentResults loadExperimentResults(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error("Experiment", dir + ": not a folder");
  ExperimentResults r;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
  if (ec) throw Error("Experiment", dir + ": cannot list the folder (" + ec.message() + ")");
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    const std::string name = p.filename().string();
    if (fs::file_size(p, ec) > (size_t(16) << 20)) {
      r.skipped.push_back(name + ": over 16 MB, not a result file");
      continue;
    }
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
      JsonValue v = JsonValue::parse(text.str());
      if (!v["id"].isString() || !v["figures"].isObject() || !v["arm"].isString()) {
        r.skipped.push_back(name + ": not an experiment result (no id, arm or figures)");
        continue;
      }
      r.runs.push_back(std::move(v));
    } catch (const Error& e) {
      r.skipped.push_back(name + ": " + e.what());
    }
  }
  return r;
}

SeedStats seedStats(const std::vector<double>& values) {
  SeedStats s;
  double sum = 0;
  for (double v : values)
    if (std::isfinite(v)) sum += v, ++s.n;
  if (s.n == 0) return s;
  s.mean = sum / s.n;
  double sq = 0;
  for (double v : values)
    if (std::isfinite(v)) sq += (v - s.mean) * (v - s.mean);
  s.sd = s.n > 1 ? std::sqrt(sq / (s.n - 1)) : 0;
  return s;
}

std::string runSetting(const JsonValue& v) {
  const int epochs = int(v["epochs"].number(0)), n = int(v["train_samples"].number(0));
  std::string s = v["flavour"].string("?");
  s.append(", ").append(std::to_string(epochs)).append(epochs == 1 ? " epoch" : " epochs");
  if (n > 0) s.append(", ").append(std::to_string(n)).append(" training samples");
  return s;
}

std::vector<ClassificationRow> classificationRows(const ExperimentResults& r) {
  // (data, setting, labels: 0 sorts last) -> values per arm
  using Key = std::tuple<std::string, std::string, long>;
  struct Values {
    std::vector<double> ss, eqs, ssLoss, eqsLoss;
    int labels = 0;
    std::string flavour;
  };
  std::map<Key, Values> groups;
  for (const JsonValue& v : r.runs) {
    const std::string arm = v["arm"].string();
    if (arm != "ss" && arm != "eq_s") continue;
    const std::string requested = v["labels_requested"].string("all");
    const int count = requested == "all" ? 0 : std::atoi(requested.c_str());
    Values& g = groups[{v["data"].string(), runSetting(v), count > 0 ? count : 1L << 40}];
    g.labels = int(v["labels"].number(0));
    g.flavour = v["flavour"].string();
    const double acc = v["figures"]["test_accuracy"].number(std::nan(""));
    const double loss = v["figures"]["test_log_loss"].number(std::nan(""));
    (arm == "ss" ? g.ss : g.eqs).push_back(acc);
    (arm == "ss" ? g.ssLoss : g.eqsLoss).push_back(loss);
  }
  std::vector<ClassificationRow> rows;
  for (const auto& [key, g] : groups) {
    ClassificationRow row;
    row.data = std::get<0>(key);
    row.setting = std::get<1>(key);
    row.flavour = g.flavour;
    row.labelsRequested = std::get<2>(key) == (1L << 40) ? 0 : int(std::get<2>(key));
    row.labels = g.labels;
    row.ss = seedStats(g.ss);
    row.eqs = seedStats(g.eqs);
    row.ssLogLoss = seedStats(g.ssLoss);
    row.eqsLogLoss = seedStats(g.eqsLoss);
    rows.push_back(row);
  }
  return rows;
}

std::vector<AnomalyRow> anomalyRows(const ExperimentResults& r) {
  using Key = std::tuple<std::string, std::string, int>;
  std::map<Key, std::array<std::vector<double>, 6>> groups;
  std::map<Key, std::string> flavours;
  for (const JsonValue& v : r.runs) {
    if (v["arm"].string() != "anomaly") continue;
    const Key key{v["data"].string(), runSetting(v), int(v["holdout"].number(-1))};
    flavours[key] = v["flavour"].string();
    auto& g = groups[key];
    const JsonValue& f = v["figures"];
    const char* keys[] = {"auroc_off", "auroc_on", "auroc_pca", "auroc_ae", "auroc_off_surprise", "auroc_on_surprise"};
    for (int k = 0; k < 6; ++k)
      if (const double x = f[keys[k]].number(std::nan("")); std::isfinite(x)) g[size_t(k)].push_back(x);
  }
  std::vector<AnomalyRow> rows;
  for (const auto& [key, g] : groups) {
    AnomalyRow row;
    std::tie(row.data, row.setting, row.holdout) = key;
    row.flavour = flavours[key];
    row.off = seedStats(g[0]);
    row.on = seedStats(g[1]);
    row.pca = seedStats(g[2]);
    row.ae = seedStats(g[3]);
    row.offSurprise = seedStats(g[4]);
    row.onSurprise = seedStats(g[5]);
    rows.push_back(row);
  }
  return rows;
}

double articleGap(const std::string& flavour, int labelsRequested) {
  if (flavour == "dense" && labelsRequested == 100) return 6.3;
  if (flavour == "dense" && labelsRequested == 1000) return 10.1;
  if (flavour == "conv" && labelsRequested == 100) return 13.9;
  if (flavour == "conv" && labelsRequested == 1000) return 2.7;
  return std::nan("");
}

std::string writeExperimentReport(const std::string& dir, const ReportPlotter* plotter) {
  const ExperimentResults results = loadExperimentResults(dir);
  if (results.runs.empty())
    throw Error("Experiment", dir + ": no result files to report" +
                                  (results.skipped.empty() ? std::string() : " (" + results.skipped.front() + ")"));
  std::ostringstream md;
  md << "# Latentlab experiment report\n\n";

  // Where and when: commits, machines, wall time.
  std::set<std::string> commits, machines;
  double seconds = 0;
  std::string first = "~", last;
  double begin = INFINITY, end = -INFINITY;  // wall clock: the first start to the last end, UTC seconds
  for (const JsonValue& v : results.runs) {
    std::tm tm{};
    const std::string started = v["started"].string("");
    if (strptime(started.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
      const double t = double(timegm(&tm));
      begin = std::min(begin, t);
      end = std::max(end, t + v["seconds"].number(0));
    }
    commits.insert(v["commit"].string("unknown"));
    const JsonValue& m = v["machine"];
    machines.insert(m["cpu"].string("unknown CPU") + " (" + m["isa"].string("?") + ", " +
                    std::to_string(int(m["cores"].number(0))) + " cores, " +
                    std::to_string(int(m["threads"].number(1))) + " thread(s), products " + m["products"].string("?") +
                    ")");
    seconds += v["seconds"].number(0);
    first = std::min(first, v["started"].string("~"));
    last = std::max(last, v["started"].string(""));
  }
  md << results.runs.size() << " runs";
  if (!results.skipped.empty()) md << " (" << results.skipped.size() << " files skipped, listed at the end)";
  md << ", started between " << first << " and " << last << ". Wall time from the first start to the last end: "
     << (end >= begin ? format("%.1f h (%.0f s)", (end - begin) / 3600, end - begin) : std::string("unknown"))
     << " (runs on several machines overlap; a sweep resumed later includes the pause). Training time, summed over "
        "the runs: "
     << format("%.1f h", seconds / 3600) << " (" << format("%.0f s", seconds) << ").\n\n";
  md << "- **Commit" << (commits.size() > 1 ? "s" : "") << ":** ";
  for (const std::string& c : commits) md << "`" << c << "` ";
  md << "\n- **Machine" << (machines.size() > 1 ? "s" : "") << ":**";
  for (const std::string& m : machines) md << (machines.size() > 1 ? "\n  - " : " ") << m;
  md << "\n\nEach figure is the mean ± sample standard deviation over the seeds run (n). Accuracies are on the "
        "test split, after the last epoch, of argmax q(y|x) (SS: the semi-supervised model's trunk + pi; EQ_S: "
        "the same trunk + pi trained on the labelled points alone).\n\n";

  std::vector<std::string> plotNotes;
  auto plot = [&](bool drawn, const std::string& file, const std::string& alt) {
    if (drawn) return "![" + alt + "](" + file + ")\n\n";
    plotNotes.push_back(file);
    return std::string();
  };

  const std::vector<ClassificationRow> rows = classificationRows(results);
  if (!rows.empty()) {
    md << "## Classification: semi-supervised (SS) against the equivalent supervised classifier (EQ_S)\n\n"
       << "The article: SS ahead by 6.3 points (dense) and 13.9 (conv) at 100 labels, 10.1 and 2.7 at 1000.\n\n"
       << "| data | model | labels | SS accuracy % | EQ_S accuracy % | SS − EQ_S (points) | article | SS ahead? | "
          "seeds (SS/EQ_S) |\n|---|---|---|---|---|---|---|---|---|\n";
    for (const ClassificationRow& r : rows) {
      const bool both = r.ss.n && r.eqs.n;
      const double gap = 100 * (r.ss.mean - r.eqs.mean);
      const double article = articleGap(r.flavour, r.labelsRequested);
      md << "| " << r.data << " | " << r.setting << " | " << labelText(r.labelsRequested, r.labels) << " | "
         << percent(r.ss) << " | " << percent(r.eqs) << " | " << (both ? format("%+.2f", gap) : "–") << " | "
         << (std::isnan(article) ? (r.labelsRequested == 0 ? "slightly ahead" : "–") : format("%+.1f", article))
         << " | " << (both ? (gap > 0 ? "yes" : "no") : "–") << " | " << r.ss.n << "/" << r.eqs.n << " |\n";
    }
    md << "\n";
    std::set<std::pair<std::string, std::string>> series;
    for (const ClassificationRow& r : rows) series.insert({r.data, r.setting});
    for (const auto& [data, flavour] : series) {  // flavour: the setting (flavour, epochs, subset)
      std::vector<ClassificationRow> part;
      for (const ClassificationRow& r : rows)
        if (r.data == data && r.setting == flavour) part.push_back(r);
      const std::string file = "accuracy-" + slug(data) + "-" + slug(flavour) + ".png";
      const bool drawn = plotter && plotter->accuracy &&
                         plotter->accuracy(part, data + ", " + flavour, (fs::path(dir) / file).string());
      md << plot(drawn, file, "Test accuracy against label count, " + data + ", " + flavour);
    }

    md << "## Regulariser: every label\n\nThe article: with every label SS still scores slightly higher, more so in "
          "log loss (mean -log q(y|x) of the true class, nats; lower is better).\n\n"
       << "| data | model | SS accuracy % | EQ_S accuracy % | SS log loss | EQ_S log loss | accuracy ahead? | "
          "log loss ahead? |\n|---|---|---|---|---|---|---|---|\n";
    for (const ClassificationRow& r : rows) {
      if (r.labelsRequested != 0) continue;
      const bool both = r.ss.n && r.eqs.n;
      md << "| " << r.data << " | " << r.setting << " | " << percent(r.ss) << " | " << percent(r.eqs) << " | "
         << plain(r.ssLogLoss) << " | " << plain(r.eqsLogLoss) << " | "
         << (both ? (r.ss.mean > r.eqs.mean ? "yes" : "no") : "–") << " | "
         << (both ? (r.ssLogLoss.mean < r.eqsLogLoss.mean ? "yes" : "no") : "–") << " |\n";
    }
    md << "\n";
  }

  const std::vector<AnomalyRow> anomaly = anomalyRows(results);
  if (!anomaly.empty()) {
    md << "## Anomaly detection: each class held out\n\nThe article: the model consuming labels always beats the "
          "equivalent model without them. Scores: -ELBO (y marginalised over q(y|x)), and surprise (how rare the "
          "point's -ELBO and its class doubt, the entropy of q(y|x), are among 5,000 normal training points: -log of "
          "each tail probability, summed; the labels-off model has no classifier, so its surprise orders points as "
          "its -ELBO); baselines PCA (10 components) and a deterministic autoencoder of the same trunk and "
          "decoder.\n\n"
       << "| data | model | held out | -ELBO, labels off | -ELBO, labels on | on − off | surprise, labels off | "
          "surprise, labels on | on − off | PCA | autoencoder | seeds |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    std::set<std::pair<std::string, std::string>> series;
    for (const AnomalyRow& r : anomaly) {
      series.insert({r.data, r.setting});
      const bool both = r.off.n && r.on.n, bothSurprise = r.offSurprise.n && r.onSurprise.n;
      md << "| " << r.data << " | " << r.setting << " | " << r.holdout << " | " << plain(r.off, "%.3f", "%.3f ± %.3f")
         << " | " << plain(r.on, "%.3f", "%.3f ± %.3f") << " | "
         << (both ? format("%+.3f", r.on.mean - r.off.mean) : "–") << " | "
         << plain(r.offSurprise, "%.3f", "%.3f ± %.3f") << " | " << plain(r.onSurprise, "%.3f", "%.3f ± %.3f")
         << " | " << (bothSurprise ? format("%+.3f", r.onSurprise.mean - r.offSurprise.mean) : "–") << " | "
         << plain(r.pca, "%.3f", "%.3f ± %.3f")
         << " | " << plain(r.ae, "%.3f", "%.3f ± %.3f") << " | " << r.on.n << " |\n";
    }
    md << "\n";
    for (const auto& [data, flavour] : series) {
      std::vector<AnomalyRow> part;
      for (const AnomalyRow& r : anomaly)
        if (r.data == data && r.setting == flavour) part.push_back(r);
      // One summary line per score: the means over the classes and how often labels help.
      const std::string name = data + ", " + flavour;  // structured bindings cannot be captured before C++20
      auto summary = [&](const char* score, SeedStats AnomalyRow::*offOf, SeedStats AnomalyRow::*onOf) {
        std::vector<double> off, on;
        int ahead = 0, compared = 0;
        for (const AnomalyRow& r : part) {
          if ((r.*offOf).n) off.push_back((r.*offOf).mean);
          if ((r.*onOf).n) on.push_back((r.*onOf).mean);
          if ((r.*offOf).n && (r.*onOf).n) ++compared, ahead += (r.*onOf).mean > (r.*offOf).mean;
        }
        if (off.empty() && on.empty()) return;
        md << "**" << name << ", " << score << ":** mean AUROC over the classes "
           << plain(seedStats(off), "%.3f", "%.3f ± %.3f") << " without labels, "
           << plain(seedStats(on), "%.3f", "%.3f ± %.3f") << " with labels; labels help on " << ahead << " of "
           << compared << " classes: the article's claim (always) "
           << (compared == 0       ? "is not tested"
               : ahead == compared ? "holds here"
                                   : "does not hold here")
           << ".\n\n";
      };
      summary("-ELBO", &AnomalyRow::off, &AnomalyRow::on);
      summary("surprise", &AnomalyRow::offSurprise, &AnomalyRow::onSurprise);
      const std::string file = "auroc-" + slug(data) + "-" + slug(flavour) + ".png";
      const bool drawn =
          plotter && plotter->auroc && plotter->auroc(part, data + ", " + flavour, (fs::path(dir) / file).string());
      md << plot(drawn, file, "AUROC per held-out class, labels off and on, " + data + ", " + flavour);
    }
  }

  md << "## Runs\n\n| run | status | seconds | started | commit | command |\n|---|---|---|---|---|---|\n";
  for (const JsonValue& v : results.runs)
    md << "| " << v["id"].string() << " | " << v["status"].string("?") << " | "
       << format("%.0f", v["seconds"].number(0)) << " | " << v["started"].string() << " | `" << v["commit"].string()
       << "` | `" << v["command"].string() << "` |\n";
  md << "\n";
  if (!plotNotes.empty()) {
    md << "Plots not drawn (this build has no plot renderer; the workbench's build draws them):";
    for (const std::string& p : plotNotes) md << " " << p;
    md << "\n\n";
  }
  if (!results.skipped.empty()) {
    md << "Files skipped:\n\n";
    for (const std::string& s : results.skipped) md << "- " << s << "\n";
  }

  const std::string path = (fs::path(dir) / "report.md").string();
  const std::string tmp = temporaryPathFor(path);
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << md.str();
    f.flush();
    if (!f) throw Error("Experiment", path + ": cannot write the report");
  }
  commitTemporary(tmp, path, "Experiment");
  return path;
}

}  // namespace latentlab
