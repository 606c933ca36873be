#pragma once
// A text file read whole and walked line by line, for the text data readers (.ts, UCI-HAR, CSV, class lists).
// Every error names the file and the line: "TsReader: Foo_TRAIN.ts: line 12: ...". The file's size is checked
// against limits::kMaxFileBytes before it is read; a UTF-8 byte-order mark is skipped; lines end in \n or \r\n.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace latentlab {

class TextFile {
 public:
  // Reads the whole file; throws Error(component, ...) when it is missing, a folder, too large or unreadable.
  TextFile(const std::string& path, std::string component);

  const std::string& path() const { return path_; }
  const std::string& name() const { return name_; }  // the file name, as errors quote it
  const std::string& component() const { return component_; }
  size_t bytes() const { return text_.size(); }

  // The next line without its end; false at the end of the file. lineNumber() is then its number, from 1.
  bool next(std::string_view& line);
  int64_t lineNumber() const { return line_; }
  // Back to the first line.
  void rewind();

  [[noreturn]] void fail(const std::string& what) const { failAt(line_, what); }  // at the current line
  [[noreturn]] void failAt(int64_t line, const std::string& what) const;
  [[noreturn]] void failFile(const std::string& what) const;  // about the whole file

 private:
  std::string path_, name_, component_;
  std::string text_;
  size_t pos_ = 0;
  int64_t line_ = 0;
};

std::string_view trim(std::string_view s);  // without leading and trailing blanks (space, tab, \r)
// The fields of s between separators (s empty: one empty field).
void split(std::string_view s, char separator, std::vector<std::string_view>& fields);
// The runs of non-blank characters of s.
void splitBlanks(std::string_view s, std::vector<std::string_view>& fields);

// One decimal number, blanks around it and a leading '+' allowed, "nan"/"inf" parsed as such; false when s is
// not a number.
bool parseNumber(std::string_view s, double& out);
// A finite float value, or fails at f's current line: "<what> 'abc' is not a number" / "... is not finite".
float parseFinite(const TextFile& f, std::string_view s, const std::string& what);

// s quoted for an error message: at most 40 characters, control bytes as '?'.
std::string quoteText(std::string_view s);

}  // namespace latentlab
