#include "engine/data/CsvData.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"
#include "engine/data/TextFile.h"

namespace latentlab {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The fields of one line; quoted fields are unquoted into storage. Fails on an unterminated quote.
class LineSplitter {
 public:
  explicit LineSplitter(char separator) : sep_(separator) {}

  const std::vector<std::string_view>& operator()(const TextFile& f, std::string_view line, int64_t lineNumber) {
    if (sep_ == ' ') {
      splitBlanks(line, fields_);
      return fields_;
    }
    fields_.clear();
    storage_.clear();
    bool anyQuote = line.find('"') != std::string_view::npos;
    if (!anyQuote) {
      split(line, sep_, fields_);
      for (auto& v : fields_) v = trim(v);
      return fields_;
    }
    // Quoted fields: unquote into storage_, then point the views at it.
    std::vector<std::pair<size_t, size_t>> spans;
    size_t i = 0;
    for (;;) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t') && line[i] != sep_) ++i;
      const size_t start = storage_.size();
      if (i < line.size() && line[i] == '"') {
        ++i;
        for (;;) {
          if (i >= line.size()) f.failAt(lineNumber, "unterminated quoted field");
          if (line[i] == '"') {
            if (i + 1 < line.size() && line[i + 1] == '"') {
              storage_ += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          storage_ += line[i++];
        }
        while (i < line.size() && line[i] != sep_) {
          if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') f.failAt(lineNumber, "text after a quoted field");
          ++i;
        }
        spans.emplace_back(start, storage_.size() - start);
      } else {
        const size_t end = std::min(line.find(sep_, i), line.size());
        const std::string_view v = trim(line.substr(i, end - i));
        storage_ += v;
        spans.emplace_back(start, v.size());
        i = end;
      }
      if (i >= line.size()) break;
      ++i;  // the separator
    }
    for (const auto& [s, n] : spans) fields_.push_back(std::string_view(storage_).substr(s, n));
    return fields_;
  }

 private:
  char sep_;
  std::string storage_;
  std::vector<std::string_view> fields_;
};

bool isNumber(std::string_view s) {
  double v;
  return parseNumber(s, v);
}

bool isIndex(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

HeaderMode headerModeFromString(const std::string& s) {
  if (s == "auto" || s.empty()) return HeaderMode::Auto;
  if (s == "yes" || s == "true" || s == "1") return HeaderMode::Yes;
  if (s == "no" || s == "false" || s == "0") return HeaderMode::No;
  throw Error("CsvReader", "--header is auto, yes or no, not '" + s + "'");
}

CsvData readCsv(const std::string& path, const CsvOptions& options) {
  TextFile f(path, "CsvReader");
  CsvData out;
  // The first two content lines decide the separator, the header and the label column.
  std::string_view line, first, second;
  int64_t firstLine = 0, secondLine = 0;
  auto content = [](std::string_view l) { return !trim(l).empty() && trim(l).front() != '#'; };
  while (f.next(line))
    if (content(line)) {
      if (first.empty()) {
        first = line;
        firstLine = f.lineNumber();
      } else {
        second = line;
        secondLine = f.lineNumber();
        break;
      }
    }
  if (first.empty()) f.failFile("no data lines");
  // The separator: the first of ',' ';' tab found outside double quotes on the first line.
  std::string unquoted;
  for (size_t i = 0, inQuotes = 0; i < first.size(); ++i) {
    if (first[i] == '"')
      inQuotes = !inQuotes;
    else if (!inQuotes)
      unquoted += first[i];
  }
  out.separator = unquoted.find(',') != std::string::npos    ? ','
                  : unquoted.find(';') != std::string::npos  ? ';'
                  : unquoted.find('\t') != std::string::npos ? '\t'
                                                             : ' ';
  LineSplitter splitLine(out.separator);
  // The views of LineSplitter are overwritten by the next call: copy the first line's fields.
  std::vector<std::string> head;
  for (auto v : splitLine(f, first, firstLine)) head.emplace_back(v);
  std::vector<bool> secondNumeric;
  if (!second.empty())
    for (auto v : splitLine(f, second, secondLine)) secondNumeric.push_back(isNumber(v));

  const std::string& spec = options.labelColumn;
  int64_t index = -1;
  const bool byName = !spec.empty() && spec != "none" && spec != "last" && !isIndex(spec, index);
  bool header = false;
  if (options.header == HeaderMode::Yes || byName) {
    header = true;
    if (options.header == HeaderMode::No)
      f.failAt(firstLine, "--label-column " + quoteText(spec) + " names a column, which needs a header line");
  } else if (options.header == HeaderMode::Auto) {
    for (size_t c = 0; c < head.size() && c < secondNumeric.size(); ++c)
      if (!isNumber(head[c]) && secondNumeric[c]) header = true;
  }
  out.header = header;
  const size_t width = head.size();

  // The label column.
  int64_t label = -1;
  if (spec == "none") {
  } else if (spec == "last") {
    label = int64_t(width) - 1;
  } else if (byName) {
    const auto it = std::find(head.begin(), head.end(), spec);
    if (it == head.end()) f.failAt(firstLine, "no column named " + quoteText(spec) + " in the header");
    label = it - head.begin();
  } else if (!spec.empty()) {
    if (index < 0 || index >= int64_t(width))
      f.failAt(firstLine, "--label-column " + spec + " is outside the " + std::to_string(width) + " columns (0.." +
                              std::to_string(width - 1) + ")");
    label = index;
  } else {       // auto
    if (header)  // the names in this order of preference
      for (const char* name : {"label", "labels", "class", "target", "y"})
        for (size_t c = 0; c < width && label < 0; ++c)
          if (lower(head[c]) == name) label = int64_t(c);
    if (label < 0) {
      std::vector<std::string> firstData;
      if (header) {
        if (!second.empty())
          for (auto v : splitLine(f, second, secondLine)) firstData.emplace_back(v);
      } else {
        firstData = head;
      }
      int64_t textual = -1, count = 0;
      for (size_t c = 0; c < firstData.size() && c < width; ++c)  // a longer line is reported as ragged below
        if (!isNumber(firstData[c])) {
          textual = int64_t(c);
          ++count;
        }
      if (count == 1) label = textual;
    }
  }
  if (label >= 0) out.labelName = header ? head[size_t(label)] : "column " + std::to_string(label);
  const int64_t D = int64_t(width) - (label >= 0 ? 1 : 0);
  if (D < 1) f.failAt(firstLine, "no feature columns (only the label column)");
  if (D > limits::kMaxFeatures) f.failAt(firstLine, std::to_string(D) + " columns, more than the engine takes");
  if (header)
    for (size_t c = 0; c < width; ++c)
      if (int64_t(c) != label) out.columns.push_back(head[c]);

  // The data lines.
  out.labels.file = path;
  out.labels.textual = true;
  std::vector<float> values;
  f.rewind();
  int64_t n = 0;
  auto columnName = [&](size_t c) {
    return "column " + std::to_string(c) + (header ? " (" + quoteText(head[c]) + ")" : "");
  };
  while (f.next(line)) {
    if (!content(line)) continue;
    if (header && f.lineNumber() == firstLine) continue;
    const auto& fields = splitLine(f, line, f.lineNumber());
    if (fields.size() != width)
      f.fail(std::to_string(fields.size()) + " fields, but line " + std::to_string(firstLine) + " has " +
             std::to_string(width));
    for (size_t c = 0; c < width; ++c) {
      if (int64_t(c) == label) {
        if (fields[c].empty()) f.fail(columnName(c) + ": empty label");
        out.labels.names.emplace_back(fields[c]);
        out.labels.lines.push_back(f.lineNumber());
        continue;
      }
      values.push_back(parseFinite(f, fields[c], columnName(c) + ": value"));
    }
    ++n;
    if (n > limits::kMaxSamples || int64_t(values.size()) > limits::kMaxValues)
      f.fail("more samples than the engine takes");
  }
  if (n == 0) f.failFile("no samples" + std::string(header ? " after the header" : ""));
  out.x = Eigen::Map<const Matrix<float>>(values.data(), Eigen::Index(D), Eigen::Index(n));
  if (label < 0) out.labels = RawLabels{};
  return out;
}

}  // namespace latentlab
