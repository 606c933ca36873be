#pragma once
// Helpers shared by the data reader tests: files written into a temporary folder, NumPy and zip images built
// in memory, and a check that a call throws latentlab::Error with every expected fragment in its text.
#include <zlib.h>

#include <QtTest/QtTest>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/core/Error.h"

namespace latentlab::testing {

inline void writeFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}

inline std::string bytesOf(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

// The folder of the committed fixtures (tests/data/fixtures).
inline std::string fixture(const std::string& name) { return std::string(LATENTLAB_FIXTURES) + "/" + name; }

// An .npy (version 1.0) image: descr like "<f4", shape like "(3, 4)", then the raw element bytes.
inline std::string npy(const std::string& descr, const std::string& shape, const std::string& data,
                       bool fortran = false) {
  std::string header =
      "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  return out + header + data;
}

template <typename T>
std::string raw(const std::vector<T>& v) {
  std::string s(v.size() * sizeof(T), '\0');
  std::memcpy(s.data(), v.data(), s.size());
  return s;
}

// A zip archive of the given entries, stored or deflated (raw deflate, as zip holds it).
inline std::string zip(const std::vector<std::pair<std::string, std::string>>& entries, bool deflated) {
  auto le = [](std::string& s, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s += char((v >> (8 * i)) & 0xff);
  };
  std::string out, central;
  for (const auto& [name, data] : entries) {
    std::string body = data;
    if (deflated) {
      z_stream zs{};
      deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
      body.assign(deflateBound(&zs, uLong(data.size())), '\0');
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      zs.avail_in = uInt(data.size());
      zs.next_out = reinterpret_cast<Bytef*>(body.data());
      zs.avail_out = uInt(body.size());
      deflate(&zs, Z_FINISH);
      body.resize(zs.total_out);
      deflateEnd(&zs);
    }
    const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
    const uint64_t offset = out.size();
    le(out, 0x04034b50, 4);
    le(out, 20, 2);
    le(out, 0, 2);
    le(out, deflated ? 8 : 0, 2);
    le(out, 0, 4);
    le(out, crc, 4);
    le(out, body.size(), 4);
    le(out, data.size(), 4);
    le(out, name.size(), 2);
    le(out, 0, 2);
    out += name + body;
    le(central, 0x02014b50, 4);
    le(central, 20, 2);
    le(central, 20, 2);
    le(central, 0, 2);
    le(central, deflated ? 8 : 0, 2);
    le(central, 0, 4);
    le(central, crc, 4);
    le(central, body.size(), 4);
    le(central, data.size(), 4);
    le(central, name.size(), 2);
    le(central, 0, 2);
    le(central, 0, 2);
    le(central, 0, 2);
    le(central, 0, 2);
    le(central, 0, 4);
    le(central, offset, 4);
    central += name;
  }
  const uint64_t cdOffset = out.size();
  out += central;
  le(out, 0x06054b50, 4);
  le(out, 0, 2);
  le(out, 0, 2);
  le(out, entries.size(), 2);
  le(out, entries.size(), 2);
  le(out, central.size(), 4);
  le(out, cdOffset, 4);
  le(out, 0, 2);
  return out;
}

// Runs f, which must throw latentlab::Error whose text contains every part (LATENTLAB_SHOW_ERRORS=1 prints it).
template <typename F>
void expectError(F&& f, const QStringList& parts) {
  try {
    f();
    QFAIL(qPrintable("no error was raised (expected '" + parts.join("', '") + "')"));
  } catch (const Error& e) {
    const QString text = QString::fromUtf8(e.what());
    if (qEnvironmentVariableIsSet("LATENTLAB_SHOW_ERRORS")) qInfo("%s", e.what());  // to review the messages
    for (const QString& p : parts) QVERIFY2(text.contains(p), qPrintable("'" + text + "' lacks '" + p + "'"));
  }
}

}  // namespace latentlab::testing
