#include "engine/data/NumpyFile.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "engine/core/Error.h"
#include "engine/data/DataLimits.h"
#include "engine/data/ZipArchive.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kMaxHeader = 1 << 20;

std::string fileName(const std::string& path) { return fs::path(path).filename().string(); }

struct NpyHeader {
  std::string descr;
  bool fortran = false;
  std::vector<int64_t> dims;
  size_t dataOffset = 0;
  bool supported = false;  // descr is one of the types below
  ElementType type = ElementType::Float32;
  bool bigEndian = false;
};

// The dict literal of an .npy header: string keys, values a string, True/False or a tuple of integers.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  NpyHeader parse() {
    NpyHeader h;
    bool haveDescr = false, haveOrder = false, haveShape = false;
    expect('{');
    for (;;) {
      blanks();
      if (peek() == '}') break;
      const std::string key = string();
      expect(':');
      blanks();
      if (key == "descr") {
        if (peek() == '[') fail("structured dtypes (records) are not supported");
        h.descr = string();
        haveDescr = true;
      } else if (key == "fortran_order") {
        h.fortran = boolean();
        haveOrder = true;
      } else if (key == "shape") {
        h.dims = tuple();
        haveShape = true;
      } else {
        fail("unknown header key '" + key + "'");
      }
      blanks();
      if (peek() == ',')
        ++i_;
      else if (peek() != '}')
        fail("expected ',' or '}' in the header");
    }
    if (!haveDescr || !haveOrder || !haveShape) fail("header lacks descr, fortran_order or shape");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error("Numpy", name_ + ": " + what); }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void blanks() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void expect(char c) {
    blanks();
    if (peek() != c) fail(std::string("expected '") + c + "' in the header");
    ++i_;
  }
  std::string string() {
    blanks();
    const char q = peek();
    if (q != '\'' && q != '"') fail("expected a quoted string in the header");
    const size_t end = s_.find(q, i_ + 1);
    if (end == std::string_view::npos) fail("unterminated string in the header");
    std::string v(s_.substr(i_ + 1, end - i_ - 1));
    i_ = end + 1;
    return v;
  }
  bool boolean() {
    if (s_.substr(i_, 4) == "True") return i_ += 4, true;
    if (s_.substr(i_, 5) == "False") return i_ += 5, false;
    fail("fortran_order is neither True nor False");
  }
  std::vector<int64_t> tuple() {
    std::vector<int64_t> dims;
    expect('(');
    for (;;) {
      blanks();
      if (peek() == ')') break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("shape holds something other than sizes");
      int64_t v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        if (!limits::multiply(v, 10, v) || __builtin_add_overflow(v, peek() - '0', &v)) fail("shape size overflows");
        ++i_;
      }
      if (peek() == 'L') ++i_;  // Python 2 long
      if (dims.size() >= size_t(limits::kMaxDims))
        fail("more than " + std::to_string(limits::kMaxDims) + " dimensions");
      dims.push_back(v);
      blanks();
      if (peek() == ',')
        ++i_;
      else if (peek() != ')')
        fail("expected ',' or ')' in the shape");
    }
    ++i_;
    return dims;
  }

  std::string_view s_;
  std::string name_;
  size_t i_ = 0;
};

bool typeFromDescr(const std::string& d, ElementType& type, bool& bigEndian) {
  if (d.size() < 3) return false;
  const char order = d[0];
  if (order != '<' && order != '>' && order != '|' && order != '=') return false;
  bigEndian = order == '>' || (order == '=' && std::endian::native == std::endian::big);
  const std::string t = d.substr(1);
  static const std::pair<const char*, ElementType> kTypes[] = {
      {"f4", ElementType::Float32}, {"f8", ElementType::Float64}, {"i1", ElementType::Int8},
      {"i2", ElementType::Int16},   {"i4", ElementType::Int32},   {"i8", ElementType::Int64},
      {"u1", ElementType::UInt8},   {"u2", ElementType::UInt16},  {"u4", ElementType::UInt32},
      {"u8", ElementType::UInt64},  {"b1", ElementType::Bool}};
  for (const auto& [code, et] : kTypes)
    if (t == code) {
      type = et;
      return true;
    }
  return false;
}

NpyHeader parseHeader(const std::vector<uint8_t>& b, const std::string& name) {
  auto fail = [&](const std::string& what) -> void { throw Error("Numpy", name + ": " + what); };
  if (b.size() < 10 || std::string(b.begin(), b.begin() + 6) != "\x93NUMPY")
    fail("not an .npy array (no \\x93NUMPY magic)");
  const int major = b[6];
  if (major < 1 || major > 3) fail("unknown .npy format version " + std::to_string(major));
  uint64_t len = 0, prefix = 0;
  if (major == 1) {
    len = uint64_t(b[8]) | uint64_t(b[9]) << 8;
    prefix = 10;
  } else {
    if (b.size() < 12) fail("truncated header");
    len = uint64_t(b[8]) | uint64_t(b[9]) << 8 | uint64_t(b[10]) << 16 | uint64_t(b[11]) << 24;
    prefix = 12;
  }
  if (len > kMaxHeader) fail("header of " + std::to_string(len) + " bytes is implausibly long");
  if (len > b.size() - prefix) fail("truncated header");
  const std::string_view text(reinterpret_cast<const char*>(b.data() + prefix), size_t(len));
  NpyHeader h = HeaderParser(text, name).parse();
  h.dataOffset = size_t(prefix + len);
  h.supported = typeFromDescr(h.descr, h.type, h.bigEndian);
  return h;
}

// Fortran (column-major) element order to C (row-major) order.
std::vector<uint8_t> toCOrder(const std::vector<uint8_t>& in, const std::vector<int64_t>& dims, size_t item) {
  std::vector<uint8_t> out(in.size());
  const size_t rank = dims.size();
  std::vector<int64_t> stride(rank, 1), idx(rank, 0);  // Fortran strides in elements
  for (size_t k = 1; k < rank; ++k) stride[k] = stride[k - 1] * dims[k - 1];
  const int64_t n = int64_t(in.size() / item);
  int64_t src = 0;
  for (int64_t i = 0; i < n; ++i) {  // i walks C order; src follows in Fortran order
    std::copy_n(in.data() + size_t(src) * item, item, out.data() + size_t(i) * item);
    for (size_t k = rank; k-- > 0;) {
      src += stride[k];
      if (++idx[k] < dims[k]) break;
      src -= stride[k] * dims[k];
      idx[k] = 0;
    }
  }
  return out;
}

}  // namespace

std::vector<uint8_t> readBinaryFile(const std::string& path, const std::string& component) {
  const std::string name = fileName(path);
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(component, name + ": no such file");
  if (!fs::is_regular_file(path, ec)) throw Error(component, name + ": not a file");
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) throw Error(component, name + ": cannot read its size (" + ec.message() + ")");
  if (size > uintmax_t(limits::kMaxFileBytes))
    throw Error(component, name + ": file is " + std::to_string(size) + " bytes, more than the " +
                               std::to_string(limits::kMaxFileBytes) + " allowed");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(component, name + ": cannot open");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
  if (size_t(in.gcount()) != size_t(size)) throw Error(component, name + ": cannot read");
  return bytes;
}

RawArray parseNpy(const std::vector<uint8_t>& b, const std::string& name) {
  const NpyHeader h = parseHeader(b, name);
  if (!h.supported)
    throw Error("Numpy", name + ": dtype '" + h.descr +
                             "' is not supported (float32, float64, integers, bool; X: float32, float64 or uint8)");
  RawArray a;
  a.name = name;
  a.dims = h.dims;
  a.type = h.type;
  a.bigEndian = h.bigEndian;
  const int64_t n = checkedElements(h.dims, "Numpy", name);
  const int64_t bytes = limits::checkedProduct(n, elementSize(h.type), "Numpy", name);
  const uint64_t have = b.size() - h.dataOffset;
  if (have < uint64_t(bytes))
    throw Error("Numpy", name + ": shape " + describeDims(h.dims) + " needs " + std::to_string(bytes) +
                             " bytes of data, the file holds " + std::to_string(have) + " (truncated?)");
  if (have > uint64_t(bytes))
    throw Error("Numpy", name + ": " + std::to_string(have - uint64_t(bytes)) + " bytes after the " +
                             describeDims(h.dims) + " array");
  a.bytes.assign(b.begin() + std::ptrdiff_t(h.dataOffset), b.end());
  if (h.fortran && h.dims.size() > 1) a.bytes = toCOrder(a.bytes, h.dims, size_t(elementSize(h.type)));
  return a;
}

RawArray readNpy(const std::string& path) { return parseNpy(readBinaryFile(path, "Numpy"), fileName(path)); }

ArrayInfo npyInfo(const std::string& path) {
  const NpyHeader h = parseHeader(readBinaryFile(path, "Numpy"), fileName(path));
  return {fs::path(path).stem().string(), h.dims, h.supported ? toString(h.type) : h.descr};
}

NpzFile::NpzFile(const std::string& path)
    : path_(path),
      fileName_(fileName(path)),
      zip_(std::make_unique<ZipArchive>(readBinaryFile(path, "Numpy"), fileName(path))) {}

NpzFile::~NpzFile() = default;

namespace {
std::string arrayName(const std::string& entry) {
  return entry.size() > 4 && entry.compare(entry.size() - 4, 4, ".npy") == 0 ? entry.substr(0, entry.size() - 4)
                                                                             : entry;
}
}  // namespace

std::vector<std::string> NpzFile::names() const {
  std::vector<std::string> out;
  for (const auto& e : zip_->entries()) out.push_back(arrayName(e.name));
  return out;
}

bool NpzFile::has(const std::string& name) const { return zip_->find(name + ".npy") || zip_->find(name); }

RawArray NpzFile::read(const std::string& name) const {
  const ZipEntry* e = zip_->find(name + ".npy");
  if (!e) e = zip_->find(name);
  if (!e) throw Error("Numpy", fileName_ + ": no array named '" + name + "'");
  return parseNpy(zip_->read(*e), name + " in " + fileName_);
}

std::vector<ArrayInfo> NpzFile::list() const {
  std::vector<ArrayInfo> out;
  for (const auto& e : zip_->entries()) {
    const std::string name = arrayName(e.name);
    const NpyHeader h = parseHeader(zip_->read(e, 12 + kMaxHeader), name + " in " + fileName_);
    out.push_back({name, h.dims, h.supported ? toString(h.type) : h.descr});
  }
  return out;
}

}  // namespace latentlab
