#include "engine/export/NpzWriter.h"

#include <zlib.h>

#include <cstring>
#include <fstream>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

void put16(std::vector<uint8_t>& out, uint32_t v) {  // little-endian, as zip and .npy store integers
  out.push_back(uint8_t(v));
  out.push_back(uint8_t(v >> 8));
}
void put32(std::vector<uint8_t>& out, uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

size_t count(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t s : shape) {
    if (s < 0) throw Error("Npz", "an array dimension is negative");
    n *= size_t(s);
  }
  return n;
}

// Code points of a UTF-8 string (an invalid byte stands for itself, as Latin-1).
std::vector<uint32_t> codePoints(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = uint8_t(s[i]);
    const int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    uint32_t cp = extra == 0 ? c : c & (0x3f >> extra);
    bool ok = i + size_t(extra) < s.size() + (extra == 0 ? 1 : 0);
    for (int k = 1; ok && k <= extra; ++k) {
      const auto next = uint8_t(s[i + size_t(k)]);
      if ((next & 0xc0) != 0x80) ok = false;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (!ok) {
      out.push_back(c);
      ++i;
    } else {
      out.push_back(cp);
      i += size_t(extra) + 1;
    }
  }
  return out;
}

}  // namespace

void NpzWriter::add(const std::string& name, const std::string& descr, const std::vector<int64_t>& shape,
                    const void* data, size_t bytes) {
  std::string dims;
  for (int64_t s : shape) dims += std::to_string(s) + ", ";
  if (shape.size() > 1) dims.resize(dims.size() - 2);  // (n, d); a 1-D shape keeps its comma: (n,)
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t prefix = 10;  // magic, version, header length
  header.append(63 - (prefix + header.size()) % 64, ' ');
  header.push_back('\n');  // prefix + header is now a multiple of 64
  std::vector<uint8_t> npy{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  put16(npy, uint32_t(header.size()));
  npy.insert(npy.end(), header.begin(), header.end());
  const auto* p = static_cast<const uint8_t*>(data);
  npy.insert(npy.end(), p, p + bytes);
  names_.push_back(name);
  entries_.push_back(std::move(npy));
}

void NpzWriter::addFloat32(const std::string& name, const std::vector<int64_t>& shape, const float* values) {
  add(name, "<f4", shape, values, count(shape) * sizeof(float));
}
void NpzWriter::addInt32(const std::string& name, const std::vector<int64_t>& shape, const int32_t* values) {
  add(name, "<i4", shape, values, count(shape) * sizeof(int32_t));
}
void NpzWriter::addUint8(const std::string& name, const std::vector<int64_t>& shape, const uint8_t* values) {
  add(name, "|u1", shape, values, count(shape));
}

void NpzWriter::addStrings(const std::string& name, const std::vector<std::string>& values) {
  std::vector<std::vector<uint32_t>> points;
  size_t longest = 1;
  for (const auto& v : values) {
    points.push_back(codePoints(v));
    longest = std::max(longest, points.back().size());
  }
  std::vector<uint8_t> bytes;
  for (const auto& p : points)
    for (size_t i = 0; i < longest; ++i) put32(bytes, i < p.size() ? p[i] : 0);  // NUL-padded UTF-32LE
  add(name, "<U" + std::to_string(longest), {int64_t(values.size())}, bytes.data(), bytes.size());
}

void NpzWriter::write(const std::string& path) const {
  std::vector<uint8_t> zip, directory;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const std::string file = names_[i] + ".npy";
    const std::vector<uint8_t>& data = entries_[i];
    if (zip.size() + data.size() > 0xfff00000u) throw Error("Npz", path + ": more than 4 GiB of arrays");
    const uint32_t crc = uint32_t(crc32(crc32(0L, Z_NULL, 0), data.data(), uInt(data.size())));
    const auto offset = uint32_t(zip.size());
    // local file header: version 2.0, no flags, stored, no time, CRC, sizes, name
    put32(zip, 0x04034b50);
    put16(zip, 20);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, 0x21);  // 1980-01-01
    put32(zip, crc);
    put32(zip, uint32_t(data.size()));
    put32(zip, uint32_t(data.size()));
    put16(zip, uint32_t(file.size()));
    put16(zip, 0);
    zip.insert(zip.end(), file.begin(), file.end());
    zip.insert(zip.end(), data.begin(), data.end());
    // its central directory record
    put32(directory, 0x02014b50);
    put16(directory, 20);
    put16(directory, 20);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0x21);
    put32(directory, crc);
    put32(directory, uint32_t(data.size()));
    put32(directory, uint32_t(data.size()));
    put16(directory, uint32_t(file.size()));
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, offset);
    directory.insert(directory.end(), file.begin(), file.end());
  }
  const auto directoryOffset = uint32_t(zip.size());
  zip.insert(zip.end(), directory.begin(), directory.end());
  put32(zip, 0x06054b50);  // end of central directory
  put16(zip, 0);
  put16(zip, 0);
  put16(zip, uint32_t(entries_.size()));
  put16(zip, uint32_t(entries_.size()));
  put32(zip, uint32_t(directory.size()));
  put32(zip, directoryOffset);
  put16(zip, 0);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(zip.data()), std::streamsize(zip.size()));
  f.close();
  if (!f) throw Error("Npz", path + ": cannot write");
}

}  // namespace latentlab
