#include "engine/data/LabelFile.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unordered_map>

#include "engine/core/Error.h"

namespace latentlab {
namespace {
namespace fs = std::filesystem;

// Version 2 (written since the hardening of issue 12) checksums everything before the end marker, the
// data set's fingerprint included; version 1 checksummed the rows only and is still read.
constexpr std::string_view kMagic = "# latentlab labels 2";
constexpr std::string_view kMagicPrefix = "# latentlab labels ";
constexpr std::string_view kHeader = "index,label,source";
constexpr std::string_view kEnd = "# end ";

std::string checksum(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> out;
  for (;;) {
    const size_t comma = line.find(',');
    out.emplace_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

// What a file held, for a message: at most 40 bytes, control bytes and bytes that are not UTF-8 shown as '?'.
std::string shown(std::string_view s) {
  const std::string_view head = s.substr(0, 40);
  std::string out;
  for (size_t i = 0; i < head.size();) {
    const unsigned char c = head[i];
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = len > 0 && i + len <= head.size();
    for (size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(head[i + k]) >> 6) == 2;
    if (!valid || c < 0x20 || c == 0x7f) {
      out += '?';
      ++i;
    } else {
      out.append(head.substr(i, len));
      i += len;
    }
  }
  if (s.size() > 40) out += "...";
  return "'" + out + "'";
}

// A decimal integer in [0, INT32_MAX]: digits only (no sign, no spaces, no exponent).
bool parseCount(std::string_view s, int& out) {
  if (s.empty() || s.size() > 10) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > INT32_MAX) return false;
  out = int(v);
  return true;
}

// The text of a regular file of at most kMaxLabelTextBytes; anything else is an Error naming the file.
std::string readAll(const std::string& path) {
  auto fail = [&](const std::string& what) { return Error("LabelFile", path + ": " + what); };
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) throw fail("no such file");
  if (fs::is_directory(st)) throw fail("is a folder, not a file");
  if (!fs::is_regular_file(st)) throw fail("not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail(std::string("cannot open (") + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw fail("cannot read its size");
  if (uint64_t(size) > kMaxLabelTextBytes)
    throw fail("is " + std::to_string(size) + " bytes, more than the " + std::to_string(kMaxLabelTextBytes >> 20) +
               " MiB a label file may have");
  in.seekg(0);
  std::string text;
  try {
    text.resize(size_t(size));
  } catch (const std::bad_alloc&) {
    throw fail("not enough memory to read it");
  }
  in.read(text.data(), size);
  if (in.gcount() != size) throw fail("read error (the file changed while it was read?)");
  return text;
}

// The file's lines without their '\n'; the last one is what follows the last '\n' (empty when the text
// ends with one).
std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  for (;;) {
    const size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) return out;
    text.remove_prefix(nl + 1);
  }
}

void fsyncFolder(const std::string& path) {
  const std::string folder = fs::path(path).parent_path().empty() ? "." : fs::path(path).parent_path().string();
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);  // best effort: the rename is durable once the folder is
    ::close(fd);
  }
}

// A name no other writer uses: PATH.part-PID-N, created exclusively.
std::string uniqueTemporary(const std::string& path, int& fd) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string name = path + ".part-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return name;
  }
  return {};
}

// Writes text to a new temporary beside path, flushed to disk, and renames it to `target`.
void replaceAtomically(const std::string& path, const std::string& target, std::string_view text) {
  int fd = -1;
  const std::string part = uniqueTemporary(path, fd);
  if (fd < 0) throw Error("LabelFile", path + ": cannot write a temporary beside it (" + std::strerror(errno) + ")");
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += size_t(n);
  }
  const bool written = done == text.size() && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!written) {
    ::unlink(part.c_str());
    throw Error("LabelFile", part + ": write failed (" + std::strerror(err) + ")");
  }
  if (::rename(part.c_str(), target.c_str()) != 0) {
    const int e = errno;
    ::unlink(part.c_str());
    throw Error("LabelFile", target + ": cannot replace (" + std::strerror(e) + ")");
  }
  fsyncFolder(target);
}

// previous := the current file, atomically: a hard link renamed over the previous copy (the current file
// stays in place), or, where the file system has no hard links, a copy of its text.
void keepPreviousCopy(const std::string& path, const std::string& currentText) {
  const std::string previous = previousCopyPath(path);
  static std::atomic<unsigned> counter{0};
  const std::string link = path + ".part-" + std::to_string(::getpid()) + "-link" + std::to_string(counter++);
  ::unlink(link.c_str());
  if (::link(path.c_str(), link.c_str()) == 0) {
    if (::rename(link.c_str(), previous.c_str()) == 0) {
      // rename() does nothing when both names are already links to one file (a save killed between its
      // two renames leaves the previous copy and the file so): the link is then still there.
      ::unlink(link.c_str());
      return;
    }
    const int e = errno;
    ::unlink(link.c_str());
    throw Error("LabelFile", path + ": cannot keep the previous copy (" + std::strerror(e) + ")");
  }
  replaceAtomically(path, previous, currentText);
}

// Temporaries left by saves that were killed: PATH.part-PID-... of a process that no longer runs.
void removeStaleTemporaries(const std::string& path) {
  const fs::path p(path);
  const std::string prefix = p.filename().string() + ".part-";
  std::error_code ec;
  for (fs::directory_iterator it(p.parent_path().empty() ? "." : p.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    int pid = 0;
    if (!parseCount(rest.substr(0, rest.find('-')), pid) || pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

}  // namespace

std::string previousCopyPath(const std::string& path) { return path + ".previous"; }

LabelSource labelSourceFromString(const std::string& s) {
  for (LabelSource src :
       {LabelSource::Initial, LabelSource::User, LabelSource::AcceptedPrediction, LabelSource::Dataset})
    if (toString(src) == s) return src;
  throw Error("LabelFile", "unknown label source " + shown(s));
}

std::string labelFileText(const LabelFileContent& content) {
  std::string text =
      std::string(kMagic) + "\n# dataset " + content.datasetFingerprint + "\n" + std::string(kHeader) + "\n";
  for (const auto& e : content.entries)
    text += std::to_string(e.index) + "," + std::to_string(e.label) + "," + toString(e.source) + "\n";
  return text + std::string(kEnd) + std::to_string(content.entries.size()) + " " + checksum(text) + "\n";
}

void writeLabelFile(const std::string& path, const LabelFileContent& content) {
  const std::string text = labelFileText(content);
  removeStaleTemporaries(path);
  // Only a good file becomes the previous copy: a damaged one must not push out the last good copy.
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::string current;
    bool good = false;
    try {
      current = readAll(path);
      parseLabelFile(current, path);
      good = true;
    } catch (const std::exception&) {
    }
    if (good) keepPreviousCopy(path, current);
  }
  replaceAtomically(path, path, text);
}

LabelFileContent readLabelFile(const std::string& path) { return parseLabelFile(readAll(path), path); }

LabelFileContent parseLabelFile(const std::string& text, const std::string& name) {
  auto fail = [&](const std::string& what) { return Error("LabelFile", name + ": " + what); };
  if (text.empty()) throw fail("the file is empty (0 bytes)");
  const std::string_view first = std::string_view(text).substr(0, text.find('\n'));
  int version = 0;
  if (first.substr(0, kMagicPrefix.size()) != kMagicPrefix)
    throw fail("not a Latentlab label file (it does not start with '" + std::string(kMagicPrefix) + "')");
  if (!parseCount(first.substr(kMagicPrefix.size()), version) || version < 1)
    throw fail("not a Latentlab label file (damaged first line " + shown(first) + ")");
  if (version > 2)
    throw fail("written by a newer Latentlab (label file version " + std::to_string(version) +
               ", this one reads 1 and 2)");
  if (first.size() == text.size())
    throw fail("cut off: the end marker is missing (the file was not completely written)");
  if (text.back() != '\n') throw fail("cut off: the last line is incomplete (the file was not completely written)");
  std::vector<std::string_view> ls = lines(text);
  ls.pop_back();  // the empty piece after the final '\n'
  // ls[0] magic, ls[1] '# dataset', ls[2] the header, rows, ls.back() the end marker.
  const size_t last = ls.size() - 1;
  for (size_t i = 1; i < last; ++i)
    if (ls[i].substr(0, kEnd.size() - 1) == kEnd.substr(0, kEnd.size() - 1))
      throw fail("line " + std::to_string(i + 1) + ": an end marker before the last line (more lines follow it)");
  if (ls[last].substr(0, kEnd.size()) != kEnd)
    throw fail("cut off: the end marker is missing (the file was not completely written)");
  if (ls.size() < 4) throw fail("only " + std::to_string(ls.size()) + " lines, fewer than a label file has");
  const std::vector<std::string> endFields = [&] {
    std::vector<std::string> f;
    std::string_view rest = ls[last].substr(kEnd.size());
    while (!rest.empty()) {
      const size_t space = rest.find(' ');
      f.emplace_back(rest.substr(0, space));
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
    return f;
  }();
  int expected = 0;
  if (endFields.size() != 2 || !parseCount(endFields[0], expected) || endFields[1].rfind("fnv1a64:", 0) != 0)
    throw fail("line " + std::to_string(last + 1) + ": damaged end marker " + shown(ls[last]));
  LabelFileContent c;
  if (ls[1].substr(0, 10) != "# dataset ") throw fail("line 2: expected '# dataset', found " + shown(ls[1]));
  c.datasetFingerprint = std::string(trim(ls[1].substr(10)));
  // Version 1: the checksum covers the rows and their header; version 2: everything before the end marker.
  const size_t bodyStart = version == 1 ? size_t(ls[2].data() - text.data()) : 0;
  const size_t bodyEnd = size_t(ls[last].data() - text.data());
  if (checksum(std::string_view(text).substr(bodyStart, bodyEnd - bodyStart)) != endFields[1])
    throw fail("checksum mismatch: the file is damaged");
  if (trim(ls[2]) != kHeader) throw fail("line 3: expected the header '" + std::string(kHeader) + "'");
  if (size_t(expected) != last - 3)
    throw fail(std::to_string(last - 3) + " entries where the end marker says " + std::to_string(expected));
  std::unordered_map<int, size_t> lineOf;
  c.entries.reserve(last - 3);
  for (size_t i = 3; i < last; ++i) {
    const std::string lineNo = "line " + std::to_string(i + 1) + ": ";
    const auto f = split(ls[i]);
    int index, label;
    if (f.size() != 3 || !parseCount(f[0], index) || !parseCount(f[1], label))
      throw fail(lineNo + "expected 'index,label,source', found " + shown(ls[i]));
    LabelSource source;
    try {
      source = labelSourceFromString(f[2]);
    } catch (const Error&) {
      throw fail(lineNo + "unknown label source " + shown(f[2]));
    }
    const auto [it, fresh] = lineOf.emplace(index, i + 1);
    if (!fresh)
      throw fail(lineNo + "index " + std::to_string(index) + " is already labelled on line " +
                 std::to_string(it->second));
    c.entries.push_back({index, label, source});
  }
  return c;
}

LabelFileLoad loadLabelFile(const std::string& path) {
  LabelFileLoad r;
  std::error_code ec;
  const bool here = fs::exists(fs::symlink_status(path, ec));
  const std::string previous = previousCopyPath(path);
  if (here) {
    try {
      r.content = readLabelFile(path);
      r.found = true;
      return r;
    } catch (const Error& e) {
      r.warning = e.what();
    } catch (const std::exception& e) {
      r.warning = "LabelFile: " + path + ": cannot be read (" + e.what() + ")";
    }
  }
  // Messages joined into one Error carry the component once.
  auto bare = [](std::string m) { return m.rfind("LabelFile: ", 0) == 0 ? m.substr(11) : m; };
  if (!fs::exists(fs::symlink_status(previous, ec))) {
    if (here) throw Error("LabelFile", bare(r.warning) + "; no previous copy to fall back to");
    return r;  // a new session
  }
  try {
    r.content = readLabelFile(previous);
  } catch (const std::exception& e) {
    throw Error("LabelFile",
                (here ? bare(r.warning) + "; " : "") + "the previous copy is damaged too: " + bare(e.what()));
  }
  if (!here) r.warning = path + " is missing (an interrupted save)";
  r.found = true;
  r.fromPrevious = true;
  return r;
}

void exportLabelsCsv(const std::string& path, const std::vector<LabelEntry>& entries,
                     const std::vector<std::string>& classNames) {
  std::string text = std::string(kHeader) + "\n";
  int dummy;
  for (const auto& e : entries) {
    const bool named = e.label >= 0 && e.label < int(classNames.size()) &&
                       classNames[e.label].find_first_of(",\r\n#") == std::string::npos &&
                       trim(classNames[e.label]) == classNames[e.label] && !classNames[e.label].empty() &&
                       !parseCount(classNames[e.label], dummy);  // a name that reads as a number: the number
    text += std::to_string(e.index) + "," + (named ? classNames[e.label] : std::to_string(e.label)) + "," +
            toString(e.source) + "\n";
  }
  replaceAtomically(path, path, text);
}

LabelCsvImport importLabelsCsv(const std::string& path, const std::vector<std::string>& classNames,
                               int trainingSamples) {
  return parseLabelsCsv(readAll(path), path, classNames, trainingSamples);
}

namespace {

// The fields of one CSV line: commas separate, a field in double quotes may hold commas and "" for a quote
// (RFC 4180, within one line). Returns false for a quote left open or text after a closing quote.
bool csvFields(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  for (;;) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::string field;
    if (i < line.size() && line[i] == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            ++i;
          } else {
            ++i;
            break;
          }
        } else {
          field += line[i];
        }
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') return false;
    } else {
      const size_t comma = line.find(',', i);
      field = std::string(trim(line.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i)));
      i = comma == std::string_view::npos ? line.size() : comma;
    }
    out.push_back(std::move(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

}  // namespace

LabelCsvImport parseLabelsCsv(const std::string& text, const std::string& name,
                              const std::vector<std::string>& classNames, int trainingSamples) {
  auto fail = [&](size_t lineNo, const std::string& what) {
    return Error("LabelFile", name + ": line " + std::to_string(lineNo) + ": " + what);
  };
  std::string_view body(text);
  if (body.substr(0, 2) == "\xff\xfe" || body.substr(0, 2) == "\xfe\xff")
    throw Error("LabelFile", name + ": the file is UTF-16 text; save it as UTF-8 (or plain ASCII) CSV");
  if (body.substr(0, 3) == "\xef\xbb\xbf") body.remove_prefix(3);  // a UTF-8 byte order mark
  LabelCsvImport r;
  std::unordered_map<int, size_t> slot;  // index -> position in r.entries
  bool first = true;
  size_t lineNo = 0;
  for (std::string_view raw : lines(body)) {
    ++lineNo;
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    if (!csvFields(line, f)) throw fail(lineNo, "a quote is not closed where the field ends: " + shown(line));
    if (f.size() == 1 && line.find_first_of(";\t") != std::string_view::npos)
      throw fail(lineNo, std::string("fields are separated by ") +
                             (line.find(';') != std::string_view::npos ? "';'" : "tabs") +
                             ", not commas: save the file as comma-separated CSV");
    if (first) {
      first = false;
      std::string head = f[0];
      for (char& ch : head) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      if (head == "index") continue;  // the header
    }
    if (f.size() < 2 || f.size() > 3)
      throw fail(lineNo, "expected 'index,label' or 'index,label,source', found " + shown(line));
    int index = -1, label = -1;
    if (!parseCount(f[0], index) || index >= trainingSamples)
      throw fail(lineNo, "index " + shown(f[0]) + " is not a training sample (0 to " +
                             std::to_string(trainingSamples - 1) + ")");
    if (!parseCount(f[1], label)) {
      for (int k = 0; k < int(classNames.size()); ++k)
        if (classNames[k] == f[1]) label = k;
    }
    if (label < 0 || label >= int(classNames.size()))
      throw fail(lineNo,
                 "label " + shown(f[1]) + " is not one of the " + std::to_string(classNames.size()) + " classes");
    LabelSource source = LabelSource::User;
    if (f.size() == 3 && !f[2].empty()) {
      try {
        source = labelSourceFromString(f[2]);
      } catch (const Error&) {
        throw fail(lineNo, "unknown source " + shown(f[2]));
      }
    }
    ++r.rows;
    const auto [it, fresh] = slot.emplace(index, r.entries.size());
    if (fresh) {
      r.entries.push_back({index, label, source});
    } else {
      r.entries[it->second] = {index, label, source};  // the last row wins
      ++r.duplicates;
    }
  }
  if (r.rows == 0) throw Error("LabelFile", name + ": no label rows (expected lines 'index,label[,source]')");
  return r;
}

}  // namespace latentlab
