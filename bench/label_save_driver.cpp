// The label-file side of a labelling session, for the kill -9 test (bench/label_kill.sh):
//   label-save-driver run FILE     reopens FILE as a session does (loadLabelFile, the previous copy when the
//                                  file is damaged), then labels one more sample and saves, again and again,
//                                  printing "saved N" once the save of N labels has returned. Sample i gets
//                                  label i % 10 and source user, so what a file holds can be checked exactly.
//   label-save-driver check FILE   reads FILE as a session would and prints
//                                  "ok N from-file|from-previous temporaries T", or "DAMAGED why" (rc 1):
//                                  the file must read, hold samples 0..N-1 with their labels, and so must its
//                                  previous copy when there is one.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/core/Error.h"
#include "engine/data/LabelFile.h"

using namespace latentlab;

namespace {

// The entries must be samples 0..n-1 in order with label i % 10; returns n, or -1.
int sequential(const LabelFileContent& c) {
  for (size_t i = 0; i < c.entries.size(); ++i) {
    const LabelEntry& e = c.entries[i];
    if (e.index != int(i) || e.label != int(i % 10) || e.source != LabelSource::User) return -1;
  }
  return int(c.entries.size());
}

int temporaries(const std::string& path) {
  const std::filesystem::path p(path);
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(p.parent_path()))
    n += e.path().filename().string().rfind(p.filename().string() + ".part-", 0) == 0;
  return n;
}

int check(const std::string& path) {
  try {
    const LabelFileLoad load = loadLabelFile(path);
    const int n = sequential(load.content);
    if (n < 0) {
      std::printf("DAMAGED the entries are not the ones saved\n");
      return 1;
    }
    if (std::filesystem::exists(previousCopyPath(path))) {
      const int p = sequential(readLabelFile(previousCopyPath(path)));
      if (p < 0 || p > n) {
        std::printf("DAMAGED the previous copy holds %d entries, the file %d\n", p, n);
        return 1;
      }
    }
    std::printf("ok %d %s temporaries %d\n", n, load.fromPrevious ? "from-previous" : "from-file", temporaries(path));
    return 0;
  } catch (const std::exception& e) {
    std::printf("DAMAGED %s\n", e.what());
    return 1;
  }
}

int run(const std::string& path) {
  LabelFileContent c;
  c.datasetFingerprint = "fnv1a64:00000000deadbeef";
  const LabelFileLoad load = loadLabelFile(path);
  if (load.found) c = load.content;
  if (sequential(c) < 0) {
    std::fprintf(stderr, "label-save-driver: %s does not hold the driver's labels\n", path.c_str());
    return 1;
  }
  for (;;) {
    const int i = int(c.entries.size());
    c.entries.push_back({i, i % 10, LabelSource::User});
    writeLabelFile(path, c);
    std::printf("saved %d\n", i + 1);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "run") != 0 && std::strcmp(argv[1], "check") != 0)) {
    std::fprintf(stderr, "usage: label-save-driver run|check FILE\n");
    return 2;
  }
  return std::strcmp(argv[1], "run") == 0 ? run(argv[2]) : check(argv[2]);
}
