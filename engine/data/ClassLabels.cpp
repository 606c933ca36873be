#include "engine/data/ClassLabels.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"
#include "engine/data/TextFile.h"

namespace latentlab {
namespace {

std::string fileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

[[noreturn]] void fail(const RawLabels& l, size_t i, const std::string& what) {
  throw Error("Labels", fileName(l.file) + ": " + l.where(i) + ": " + what);
}

bool parseInteger(std::string_view s, int64_t& out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Textual labels that are all integers become integers.
RawLabels normalised(const RawLabels& l) {
  if (!l.textual) return l;
  RawLabels n = l;
  n.numbers.resize(l.names.size());
  for (size_t i = 0; i < l.names.size(); ++i)
    if (!parseInteger(l.names[i], n.numbers[i])) return l;
  n.names.clear();
  n.textual = false;
  return n;
}

void checkCount(size_t distinct, const RawLabels& a) {
  if (int64_t(distinct) > limits::kMaxClasses)
    throw Error("Labels", fileName(a.file) + ": " + std::to_string(distinct) + " distinct labels, more than the " +
                              std::to_string(limits::kMaxClasses) +
                              " classes allowed (is it a regression target or an identifier column?)");
}

}  // namespace

std::string RawLabels::where(size_t i) const {
  if (i < lines.size()) return "line " + std::to_string(lines[i]);
  return "index " + std::to_string(i);
}

void assignClasses(const RawLabels& trainRaw, const RawLabels& testRaw, const std::vector<std::string>& declared,
                   const std::string& declaredFile, Dataset& trainOut, Dataset& testOut) {
  RawLabels train = normalised(trainRaw), test = normalised(testRaw);
  const bool anyText = (train.size() && train.textual) || (test.size() && test.textual);
  // One split textual, the other integer: compare them as text.
  auto asText = [](RawLabels l) {
    if (l.textual) return l;
    l.names.resize(l.numbers.size());
    for (size_t i = 0; i < l.numbers.size(); ++i) l.names[i] = std::to_string(l.numbers[i]);
    l.numbers.clear();
    l.textual = true;
    return l;
  };
  if (anyText) {
    train = asText(train);
    test = asText(test);
  }
  std::vector<std::string> names;
  std::map<std::string, int> byName;
  int64_t offset = 0;  // integer label - offset = class, with declared names
  std::map<int64_t, int> byNumber;
  if (!declared.empty()) {
    names = declared;
    for (size_t k = 0; k < names.size(); ++k) byName[names[k]] = int(k);
    if (!anyText) {
      const int64_t K = int64_t(names.size());
      bool from0 = true, from1 = true;
      for (const RawLabels* l : {&train, &test})
        for (int64_t v : l->numbers) {
          from0 = from0 && v >= 0 && v < K;
          from1 = from1 && v >= 1 && v <= K;
        }
      offset = from0 ? 0 : from1 ? 1 : -1;
      if (offset < 0)
        for (const RawLabels* l : {&train, &test})
          for (size_t i = 0; i < l->numbers.size(); ++i)
            if (l->numbers[i] < 0 || l->numbers[i] > K)
              fail(*l, i,
                   "label " + std::to_string(l->numbers[i]) + " is outside the " + std::to_string(K) + " classes of " +
                       fileName(declaredFile) + " (0.." + std::to_string(K - 1) + " or 1.." + std::to_string(K) + ")");
      if (offset < 0)  // both 0 and K occur
        throw Error("Labels", fileName(train.file) + ": labels run from 0 to " + std::to_string(K) + ", " +
                                  std::to_string(K + 1) + " values for the " + std::to_string(K) + " classes of " +
                                  fileName(declaredFile));
    }
  } else if (anyText) {
    std::set<std::string> distinct;
    for (const RawLabels* l : {&train, &test}) {
      distinct.insert(l->names.begin(), l->names.end());
      checkCount(distinct.size(), *l);
    }
    names.assign(distinct.begin(), distinct.end());
    for (size_t k = 0; k < names.size(); ++k) byName[names[k]] = int(k);
  } else {
    std::set<int64_t> distinct;
    for (const RawLabels* l : {&train, &test}) {
      distinct.insert(l->numbers.begin(), l->numbers.end());
      checkCount(distinct.size(), *l);
    }
    for (int64_t v : distinct) {
      byNumber[v] = int(names.size());
      names.push_back(std::to_string(v));
    }
  }

  auto apply = [&](const RawLabels& l, Dataset& out) {
    out.classes = int(names.size());
    out.classNames = names;
    out.labels.clear();
    if (l.size() == 0) return;
    if (l.size() != size_t(out.size()))
      throw Error("Labels", fileName(l.file) + ": " + std::to_string(l.size()) + " labels for " +
                                std::to_string(out.size()) + " samples");
    out.labels.resize(l.size());
    for (size_t i = 0; i < l.size(); ++i) {
      if (anyText) {
        const auto it = byName.find(l.names[i]);
        if (it == byName.end())
          fail(l, i, "label " + quoteText(l.names[i]) + " is not one of the classes in " + fileName(declaredFile));
        out.labels[i] = it->second;
      } else if (!declared.empty()) {
        out.labels[i] = int(l.numbers[i] - offset);
      } else {
        out.labels[i] = byNumber.at(l.numbers[i]);
      }
    }
  };
  apply(train, trainOut);
  apply(test, testOut);
}

std::vector<std::string> readClassNames(const std::string& path) {
  TextFile f(path, "ClassNames");
  std::vector<std::string> names;
  std::map<std::string, int64_t> seen;
  std::string_view line;
  while (f.next(line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const std::string name(line);
    const auto [it, fresh] = seen.emplace(name, f.lineNumber());
    if (!fresh) f.fail("class " + quoteText(name) + " is already named on line " + std::to_string(it->second));
    if (int64_t(names.size()) >= limits::kMaxClasses)
      f.fail("more than " + std::to_string(limits::kMaxClasses) + " classes");
    names.push_back(name);
  }
  if (names.empty()) f.failFile("no class names (one name a line)");
  return names;
}

void renameClasses(Dataset& train, Dataset& test, const std::vector<std::string>& names, const std::string& file) {
  if (int(names.size()) != train.classes)
    throw Error("ClassNames", fileName(file) + ": " + std::to_string(names.size()) + " names for the " +
                                  std::to_string(train.classes) + " classes of the data");
  train.classNames = test.classNames = names;
}

}  // namespace latentlab
