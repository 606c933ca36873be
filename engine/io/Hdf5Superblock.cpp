#include "engine/io/Hdf5Superblock.h"

#include "engine/io/Hdf5Metadata.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace latentlab::hdf5 {

namespace {

constexpr std::array<unsigned char, 8> kSignature{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

}  // namespace

std::string superblockProblem(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "cannot be read";
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  // Where libhdf5 looks for the signature: 0, 512, 1024, 2048, ...
  for (uint64_t at = 0; at + 64 <= size; at = at == 0 ? 512 : at * 2) {
    std::array<unsigned char, 96> b{};
    in.seekg(static_cast<std::streamoff>(at));
    const auto got = static_cast<size_t>(in.read(reinterpret_cast<char*>(b.data()), b.size()).gcount());
    in.clear();
    if (std::memcmp(b.data(), kSignature.data(), kSignature.size()) != 0) continue;
    const int version = b[8];
    int offsets = 0;
    size_t fields = 0;  // where the base address starts
    if (version == 0 || version == 1) {
      offsets = b[13];
      fields = version == 0 ? 24 : 28;
    } else if (version == 2 || version == 3) {
      offsets = b[9];
      fields = 12;
    } else {
      return "superblock version " + std::to_string(version) + " is not one HDF5 1.10 writes";
    }
    if (offsets != 4 && offsets != 8) return {};  // unusual but legal sizes: left to libhdf5
    const size_t need = fields + 3 * static_cast<size_t>(offsets);
    if (got < need) return "the superblock is truncated";
    const unsigned char* p = b.data() + fields;
    const uint64_t base = little(p, offsets);
    // v0/v1: base, free-space info, end of file; v2/v3: base, superblock extension, end of file. libhdf5 1.10
    // stores the end of file counting the user block (a file with a 1024-byte user block: the file's length).
    const uint64_t endOfFile = little(p + 2 * offsets, offsets);
    if (base != at)
      return "its superblock is damaged (base address " + std::to_string(base) + ", but the superblock is at byte " +
             std::to_string(at) + ")";
    if (endOfFile > size)
      return "it is truncated: its superblock says the data ends at byte " + std::to_string(endOfFile) +
             ", but the file has " + std::to_string(size) + " bytes";
    return {};
  }
  return "no HDF5 superblock found";
}

}  // namespace latentlab::hdf5
