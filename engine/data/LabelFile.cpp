#include "engine/data/LabelFile.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

constexpr const char* kMagic = "# latentlab labels 1";

std::string checksum(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(trim(field));
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

bool parseInt(const std::string& s, int& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (*end != '\0' || errno != 0 || v < INT32_MIN || v > INT32_MAX) return false;
  out = int(v);
  return true;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("LabelFile", path + ": cannot open (" + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes text to path through a temporary file that is flushed to disk and then renamed over it.
void writeAtomically(const std::string& path, const std::string& text, bool keepPrevious) {
  const std::string part = path + ".part";
  FILE* f = std::fopen(part.c_str(), "wb");
  if (!f) throw Error("LabelFile", part + ": cannot write (" + std::strerror(errno) + ")");
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                       ::fsync(fileno(f)) == 0;
  const int err = errno;
  std::fclose(f);
  if (!written) {
    std::remove(part.c_str());
    throw Error("LabelFile", part + ": write failed (" + std::strerror(err) + ")");
  }
  std::error_code ec;
  if (keepPrevious && std::filesystem::exists(path, ec)) {
    // Between these two renames the file is briefly missing; the loader then reads the previous copy.
    std::filesystem::rename(path, previousCopyPath(path), ec);
    if (ec) throw Error("LabelFile", path + ": cannot keep the previous copy (" + ec.message() + ")");
  }
  std::filesystem::rename(part, path, ec);
  if (ec) throw Error("LabelFile", path + ": cannot replace (" + ec.message() + ")");
}

}  // namespace

std::string previousCopyPath(const std::string& path) { return path + ".previous"; }

LabelSource labelSourceFromString(const std::string& s) {
  for (LabelSource src : {LabelSource::Initial, LabelSource::User, LabelSource::AcceptedPrediction, LabelSource::Dataset})
    if (toString(src) == s) return src;
  throw Error("LabelFile", "unknown label source '" + s + "'");
}

void writeLabelFile(const std::string& path, const LabelFileContent& content) {
  std::string body = "index,label,source\n";
  for (const auto& e : content.entries)
    body += std::to_string(e.index) + "," + std::to_string(e.label) + "," + toString(e.source) + "\n";
  std::string text = std::string(kMagic) + "\n# dataset " + content.datasetFingerprint + "\n" + body;
  text += "# end " + std::to_string(content.entries.size()) + " " + checksum(body) + "\n";
  // Only a good file becomes the previous copy: a damaged one must not push out the last good copy.
  bool currentIsGood = false;
  try {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      readLabelFile(path);
      currentIsGood = true;
    }
  } catch (const Error&) {
  }
  writeAtomically(path, text, currentIsGood);
}

LabelFileContent readLabelFile(const std::string& path) {
  const std::string text = readAll(path);
  auto fail = [&](const std::string& what) { return Error("LabelFile", path + ": " + what); };
  if (text.rfind(kMagic, 0) != 0) throw fail("not a Latentlab label file (it does not start with '" + std::string(kMagic) + "')");
  const size_t endPos = text.rfind("# end ");
  if (endPos == std::string::npos || text.back() != '\n')
    throw fail("cut off: the end marker is missing (the file was not completely written)");
  std::istringstream in(text.substr(0, endPos));
  std::string line, body;
  LabelFileContent c;
  std::getline(in, line);  // magic
  int lineNo = 1;
  size_t expected = 0;
  {
    std::istringstream tail(text.substr(endPos + 6));
    std::string sum;
    if (!(tail >> expected >> sum)) throw fail("damaged end marker");
    if (std::getline(in, line), ++lineNo, line.rfind("# dataset ", 0) != 0) throw fail("line 2: expected '# dataset'");
    c.datasetFingerprint = trim(line.substr(10));
    const size_t bodyStart = size_t(in.tellg());
    body = text.substr(bodyStart, endPos - bodyStart);
    if (checksum(body) != sum) throw fail("checksum mismatch: the file is damaged");
  }
  std::istringstream rows(body);
  std::getline(rows, line);
  ++lineNo;
  if (trim(line) != "index,label,source") throw fail("line 3: expected the header 'index,label,source'");
  while (std::getline(rows, line)) {
    ++lineNo;
    const auto f = split(line);
    int index, label;
    if (f.size() != 3 || !parseInt(f[0], index) || !parseInt(f[1], label) || index < 0 || label < 0)
      throw fail("line " + std::to_string(lineNo) + ": expected 'index,label,source'");
    c.entries.push_back({index, label, labelSourceFromString(f[2])});
  }
  if (c.entries.size() != expected)
    throw fail(std::to_string(c.entries.size()) + " entries where the end marker says " + std::to_string(expected));
  return c;
}

LabelFileLoad loadLabelFile(const std::string& path) {
  LabelFileLoad r;
  std::error_code ec;
  const bool here = std::filesystem::exists(path, ec);
  const std::string previous = previousCopyPath(path);
  if (here) {
    try {
      r.content = readLabelFile(path);
      r.found = true;
      return r;
    } catch (const Error& e) {
      r.warning = e.what();
    }
  }
  if (!std::filesystem::exists(previous, ec)) {
    if (here) throw Error("LabelFile", r.warning + "; no previous copy to fall back to");
    return r;  // a new session
  }
  try {
    r.content = readLabelFile(previous);
  } catch (const Error& e) {
    throw Error("LabelFile", (here ? r.warning + "; " : "") + "the previous copy is damaged too: " + e.what());
  }
  if (!here) r.warning = path + " is missing (an interrupted save)";
  r.found = true;
  r.fromPrevious = true;
  return r;
}

void exportLabelsCsv(const std::string& path, const std::vector<LabelEntry>& entries,
                     const std::vector<std::string>& classNames) {
  std::string text = "index,label,source\n";
  for (const auto& e : entries) {
    const bool named = e.label < int(classNames.size()) && classNames[e.label].find(',') == std::string::npos;
    text += std::to_string(e.index) + "," + (named ? classNames[e.label] : std::to_string(e.label)) + "," +
            toString(e.source) + "\n";
  }
  writeAtomically(path, text, false);
}

std::vector<LabelEntry> importLabelsCsv(const std::string& path, const std::vector<std::string>& classNames,
                                        int trainingSamples) {
  std::istringstream in(readAll(path));
  auto fail = [&](int lineNo, const std::string& what) {
    return Error("LabelFile", path + ": line " + std::to_string(lineNo) + ": " + what);
  };
  std::string line;
  int lineNo = 0;
  std::vector<LabelEntry> out;
  while (std::getline(in, line)) {
    ++lineNo;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto f = split(line);
    if (lineNo == 1 && !f.empty() && f[0] == "index") continue;  // the header
    if (f.size() < 2 || f.size() > 3) throw fail(lineNo, "expected 'index,label' or 'index,label,source'");
    int index, label = -1;
    if (!parseInt(f[0], index) || index < 0 || index >= trainingSamples)
      throw fail(lineNo, "index '" + f[0] + "' is not a training sample (0 to " + std::to_string(trainingSamples - 1) + ")");
    if (!parseInt(f[1], label)) {
      for (int k = 0; k < int(classNames.size()); ++k)
        if (classNames[k] == f[1]) label = k;
    }
    if (label < 0 || label >= int(classNames.size()))
      throw fail(lineNo, "label '" + f[1] + "' is not one of the " + std::to_string(classNames.size()) + " classes");
    LabelSource source = LabelSource::User;
    if (f.size() == 3 && !f[2].empty()) {
      try {
        source = labelSourceFromString(f[2]);
      } catch (const Error&) {
        throw fail(lineNo, "unknown source '" + f[2] + "'");
      }
    }
    out.push_back({index, label, source});
  }
  return out;
}

}  // namespace latentlab
