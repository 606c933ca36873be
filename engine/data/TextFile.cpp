#include "engine/data/TextFile.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"

namespace latentlab {
namespace fs = std::filesystem;

TextFile::TextFile(const std::string& path, std::string component)
    : path_(path), name_(fs::path(path).filename().string()), component_(std::move(component)) {
  std::error_code ec;
  if (!fs::exists(path, ec)) failFile("no such file");
  if (!fs::is_regular_file(path, ec)) failFile("not a file");
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) failFile("cannot read its size (" + ec.message() + ")");
  if (size > uintmax_t(limits::kMaxFileBytes))
    failFile("file is " + std::to_string(size) + " bytes, more than the " + std::to_string(limits::kMaxFileBytes) +
             " a text data file may have");
  std::ifstream in(path, std::ios::binary);
  if (!in) failFile("cannot open");
  text_.resize(size_t(size));
  in.read(text_.data(), std::streamsize(size));
  if (size_t(in.gcount()) != size_t(size)) failFile("cannot read (the file changed while being read?)");
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // UTF-8 byte-order mark
}

void TextFile::rewind() {
  pos_ = text_.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  line_ = 0;
}

bool TextFile::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  size_t end = text_.find('\n', pos_);
  if (end == std::string::npos) end = text_.size();
  size_t stop = end;
  if (stop > pos_ && text_[stop - 1] == '\r') --stop;
  line = std::string_view(text_).substr(pos_, stop - pos_);
  pos_ = end + 1;
  ++line_;
  return true;
}

void TextFile::failAt(int64_t line, const std::string& what) const {
  throw Error(component_, name_ + ": line " + std::to_string(line) + ": " + what);
}

void TextFile::failFile(const std::string& what) const { throw Error(component_, name_ + ": " + what); }

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

void split(std::string_view s, char separator, std::vector<std::string_view>& fields) {
  fields.clear();
  for (;;) {
    const size_t at = s.find(separator);
    fields.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return;
    s.remove_prefix(at + 1);
  }
}

void splitBlanks(std::string_view s, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') ++i;
    if (i > start) fields.push_back(s.substr(start, i - start));
  }
}

bool parseNumber(std::string_view s, double& out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) return false;
  }
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  // Out of range: from_chars leaves out unchanged; report it as infinite (or zero) so the caller decides.
  if (ec == std::errc::result_out_of_range && end == s.data() + s.size()) {
    const size_t e = s.find_first_of("eE");
    const bool tiny = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';  // underflow
    out = tiny ? 0.0 : (s.front() == '-' ? -HUGE_VAL : HUGE_VAL);
    return true;
  }
  return ec == std::errc() && end == s.data() + s.size();
}

float parseFinite(const TextFile& f, std::string_view s, const std::string& what) {
  double v = 0;
  if (!parseNumber(s, v)) f.fail(what + " " + quoteText(trim(s)) + " is not a number");
  const float x = float(v);
  if (!std::isfinite(x))
    f.fail(what + " " + quoteText(trim(s)) + " is not finite (NaN, infinite or beyond float range)");
  return x;
}

std::string quoteText(std::string_view s) {
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out += c < 0x20 || c == 0x7f ? '?' : char(c);
  }
  if (s.size() > 40) out += "...";
  return out + "'";
}

}  // namespace latentlab
