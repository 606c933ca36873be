#include "engine/io/Hdf5Metadata.h"

#include <cstring>
#include <set>
#include <vector>

namespace latentlab::hdf5 {

namespace {

constexpr int kDataspace = 0x01, kLayout = 0x08, kAttribute = 0x0c, kContinuation = 0x10, kSymbolTable = 0x11;
constexpr int kVariableLength = 9;  // datatype class
constexpr unsigned kShared = 0x02;  // the message holds a reference to a shared copy, not the message
constexpr int kChunked = 2;         // layout class
constexpr uint64_t kFreeNull = 1;   // a local heap's "no more free blocks"
constexpr size_t kMaxBlocks = 64;   // header blocks followed; more is left to libhdf5
constexpr uint64_t kMaxBlockBytes = uint64_t(1) << 20;

int64_t elements(const unsigned char* p, size_t bytes, int L);

struct Message {
  int type = 0;
  unsigned flags = 0;
  std::vector<unsigned char> body;
};

// The messages of an object header, version 1 or 2, with its continuation blocks. False when the header
// cannot be followed (then libhdf5 is left to judge it).
bool headerMessages(const RawFile& f, uint64_t address, std::vector<Message>& out) {
  unsigned char prefix[6 + 16 + 4 + 8] = {};  // the largest version-2 prefix
  if (!f.read(address, prefix, 16)) return false;
  struct Block {
    uint64_t start, length;
  };
  std::vector<Block> blocks;
  bool v1 = prefix[0] == 1;
  int messageHeader = 8;
  if (v1) {
    blocks.push_back({address + 16, little(prefix + 8, 4)});
  } else if (std::memcmp(prefix, "OHDR", 4) == 0 && prefix[4] == 2) {
    const unsigned flags = prefix[5];
    const size_t at = 6 + ((flags & 0x20) ? 16 : 0) + ((flags & 0x10) ? 4 : 0);
    const int sizeBytes = 1 << (flags & 0x03);
    if (!f.read(address, prefix, at + size_t(sizeBytes))) return false;
    blocks.push_back({address + at + uint64_t(sizeBytes), little(prefix + at, sizeBytes)});
    messageHeader = (flags & 0x04) ? 6 : 4;
  } else {
    return false;
  }
  std::set<uint64_t> seen;
  for (size_t b = 0; b < blocks.size(); ++b) {
    if (b >= kMaxBlocks || blocks[b].length > kMaxBlockBytes || !seen.insert(blocks[b].start).second) return false;
    std::vector<unsigned char> bytes(size_t(blocks[b].length));
    if (!f.read(blocks[b].start, bytes.data(), bytes.size())) return false;
    size_t o = 0;
    if (!v1 && b > 0) {  // "OCHK" ... checksum
      if (bytes.size() < 8 || std::memcmp(bytes.data(), "OCHK", 4) != 0) return false;
      o = 4;
      bytes.resize(bytes.size() - 4);
    }
    while (o + size_t(messageHeader) <= bytes.size()) {
      Message m;
      m.type = v1 ? int(little(&bytes[o], 2)) : bytes[o];
      const size_t size = size_t(little(&bytes[o + (v1 ? 2 : 1)], 2));
      m.flags = bytes[o + (v1 ? 4 : 3)];
      o += size_t(messageHeader);
      if (o + size > bytes.size()) return false;
      m.body.assign(bytes.begin() + std::ptrdiff_t(o), bytes.begin() + std::ptrdiff_t(o + size));
      if (m.type == kContinuation) {
        // libhdf5 decodes a continuation's address and length whatever size the message declares: so here.
        const size_t O = size_t(f.offsetSize()), L = size_t(f.lengthSize());
        if (o + O + L > bytes.size()) return false;
        blocks.push_back({little(&bytes[o], int(O)), little(&bytes[o + O], int(L))});
      }
      o += size;
      out.push_back(std::move(m));
    }
  }
  return true;
}

std::string layoutProblem(const std::vector<Message>& messages, int L) {
  int rank = -1;  // unknown
  for (const Message& m : messages) {
    if (m.type != kDataspace || (m.flags & kShared)) continue;
    if (elements(m.body.data(), m.body.size(), L) < 0) return "a dataset's shape is damaged";
    rank = m.body[1];
    if (m.body[0] == 2 && m.body[3] != 1) rank = 0;  // version 2: scalar or null
  }
  for (const Message& m : messages) {
    if (m.type != kLayout || m.body.size() < 4) continue;
    const int version = m.body[0];
    int cls = -1, dims = -1;
    if (version == 1 || version == 2) {
      dims = m.body[1];
      cls = m.body[2];
    } else if (version == 3) {
      cls = m.body[1];
      dims = m.body[2];
    } else if (version == 4) {
      cls = m.body[1];
      dims = m.body[3];
    }
    // libhdf5 1.10 only asserts the class of versions 1 and 2: another one leaves the layout without its
    // operations, which it then calls.
    if (version <= 2 && cls > kChunked) return "a dataset's layout is damaged (class " + std::to_string(cls) + ")";
    if (cls != kChunked) continue;
    // A chunk has the dataspace's dimensions and one more for the element.
    if (dims < 2 || (rank >= 0 && dims != rank + 1))
      return "a dataset's chunk layout is damaged (dimensionality " + std::to_string(dims) +
             (rank >= 0 ? " for a shape of " + std::to_string(rank) + " dimensions, where HDF5 writes " +
                              std::to_string(rank + 1)
                        : std::string()) +
             ")";
  }
  return {};
}

std::string localHeapProblem(const RawFile& f, uint64_t heap) {
  const int O = f.offsetSize(), L = f.lengthSize();
  unsigned char h[8 + 3 * 8] = {};
  if (!f.read(heap, h, uint64_t(8 + 2 * L + O)) || std::memcmp(h, "HEAP", 4) != 0) return {};
  const uint64_t dataSize = little(h + 8, L), data = little(h + 8 + 2 * L, O);
  std::set<uint64_t> seen;
  for (uint64_t free = little(h + 8 + L, L); free != kFreeNull;) {
    if (free >= dataSize) return {};  // libhdf5 refuses it
    // Blocks do not overlap and each holds two lengths, so a list that visits an offset twice loops.
    if (!seen.insert(free).second || seen.size() > dataSize / uint64_t(2 * L) + 1)
      return "a group's name heap is damaged (its free list loops)";
    unsigned char block[16] = {};
    if (!f.read(data + free, block, uint64_t(2 * L))) return {};
    free = little(block, L);
  }
  return {};
}

uint64_t align8(uint64_t n) { return (n + 7) / 8 * 8; }

// An attribute message's parts (H5O_attr_decode); ok is false when they do not fit in the message.
struct AttributeParts {
  bool ok = false;
  std::string name;
  bool sharedType = false, sharedSpace = false;
  uint64_t typeAt = 0, typeSize = 0, spaceAt = 0, spaceSize = 0, dataAt = 0;
};

AttributeParts attributeParts(const std::vector<unsigned char>& b) {
  AttributeParts a;
  if (b.size() < 8) return a;
  const int version = b[0];
  if (version < 1 || version > 3) return a;
  const unsigned flags = version == 1 ? 0 : b[1];
  a.sharedType = flags & 0x01;
  a.sharedSpace = flags & 0x02;
  const uint64_t nameSize = little(&b[2], 2);
  a.typeSize = little(&b[4], 2);
  a.spaceSize = little(&b[6], 2);
  const auto padded = [&](uint64_t n) { return version == 1 ? align8(n) : n; };
  const uint64_t nameAt = version == 3 ? 9 : 8;
  a.typeAt = nameAt + padded(nameSize);
  a.spaceAt = a.typeAt + padded(a.typeSize);
  a.dataAt = a.spaceAt + padded(a.spaceSize);
  if (nameSize == 0 || a.dataAt > b.size()) return a;
  const char* name = reinterpret_cast<const char*>(&b[size_t(nameAt)]);
  // libhdf5 copies the name up to its terminating zero, wherever that is, and only then compares the length.
  if (strnlen(name, size_t(nameSize)) != size_t(nameSize) - 1) return a;
  a.name.assign(name, size_t(nameSize) - 1);
  a.ok = true;
  return a;
}

// "" or what is wrong with an attribute message: parts that do not fit, a dataspace that is damaged, or values
// that run past the message (libhdf5 1.10 checks them against the whole message, not against what is left).
std::string attributeProblem(const Message& m, const RawFile& f, bool strict) {
  const AttributeParts a = attributeParts(m.body);
  if (!a.ok) return "an attribute is damaged (its parts do not fit in it)";
  if (a.sharedType || a.sharedSpace) return {};
  const std::string damaged = "attribute '" + a.name + "' is damaged";
  if (a.typeSize < 8) return damaged + " (its type)";
  const int cls = m.body[size_t(a.typeAt)] & 0x0f;
  const uint64_t elementSize = little(&m.body[size_t(a.typeAt) + 4], 4);
  // libhdf5 allocates the values by the declared size but copies a variable-length element at its size in the
  // file (length, heap address, index) when it reads them.
  if (cls == kVariableLength && elementSize != 8 + uint64_t(f.offsetSize())) return damaged + " (its type's size)";
  // A variable-length string's characters are bytes: libhdf5 sizes its buffers by length x the base type's size
  // (a damaged base of 65536 bytes asked for 1.6 GB).
  const bool string = cls == kVariableLength && (m.body[size_t(a.typeAt) + 1] & 0x0f) == 1;
  if (string && (a.typeSize < 16 || little(&m.body[size_t(a.typeAt) + 12], 4) != 1))
    return damaged + " (its characters' size)";
  // A model file holds integers, floats and strings (fixed or variable-length), nothing else.
  if (strict && cls != 0 && cls != 1 && cls != 3 && !string) return damaged + " (a type Latentlab does not write)";
  const int64_t n = elements(m.body.data() + a.spaceAt, size_t(a.spaceSize), f.lengthSize());
  if (n < 0) return damaged + " (its shape)";
  if (elementSize > m.body.size() || (elementSize > 0 && uint64_t(n) > (m.body.size() - a.dataAt) / elementSize))
    return damaged + " (its values run past it)";
  return {};
}

// Elements of a dataspace message (version 1 or 2) of `bytes` bytes; -1 when it is damaged: more dimensions
// than HDF5 has, or than its bytes hold (libhdf5 1.10 reads them all without looking at the message's size).
int64_t elements(const unsigned char* p, size_t bytes, int L) {
  if (bytes < 4) return -1;
  const int version = p[0], rank = p[1];
  if ((version != 1 && version != 2) || rank > 32) return -1;
  if (version == 2 && p[3] == 2) return 0;  // null
  if (version == 2 && p[3] == 0) return 1;  // scalar
  if (rank == 0) return 1;
  const size_t dims = version == 1 ? 8 : 4;
  if (bytes < dims + size_t(rank) * size_t(L) * ((p[2] & 0x01) ? 2 : 1)) return -1;  // flag 1: maximum sizes too
  int64_t n = 1;
  for (int k = 0; k < rank; ++k) {
    const uint64_t d = little(p + dims + size_t(k) * size_t(L), L);
    constexpr int64_t kMany = int64_t(1) << 62;  // more than any message holds: the count stops there
    n = d == 0 ? 0 : uint64_t(n) > uint64_t(kMany) / d ? kMany : n * int64_t(d);
  }
  return n;
}

// What libhdf5 1.10 does with a global heap collection, checked: H5HG__cache_heap_deserialize's walk over its
// objects, then H5HG_read's copy of object `index` into a buffer of `length` bytes.
std::string globalHeapProblem(const RawFile& f, uint64_t collection, uint64_t index, uint64_t length) {
  const int L = f.lengthSize();
  const uint64_t header = 8 + uint64_t(L), objectHeader = 8 + uint64_t(L);
  unsigned char h[16] = {};
  if (!f.read(collection, h, header) || std::memcmp(h, "GCOL", 4) != 0 || h[4] != 1)
    return "its string heap is damaged (no collection where a string points)";
  const uint64_t size = little(h + 8, L);
  if (size < header || size > f.size() || size > (uint64_t(64) << 20))
    return "its string heap is damaged (a collection of " + std::to_string(size) + " bytes)";
  std::vector<unsigned char> c(size_t(size), 0);
  if (!f.read(collection, c.data(), size)) return "its string heap is damaged (a collection past the file's end)";
  bool found = false;
  uint64_t objectSize = 0;
  for (uint64_t p = header; p < size && p + objectHeader <= size;) {
    const uint64_t idx = little(&c[size_t(p)], 2), bytes = little(&c[size_t(p) + 8], L);
    if (idx == 0 && bytes == 0) return "its string heap is damaged (free space of 0 bytes)";
    if (idx > 0 && bytes > size - p - objectHeader)
      return "its string heap is damaged (an object of " + std::to_string(bytes) + " bytes past its collection)";
    if (idx == index) {
      found = true;
      objectSize = bytes;
    }
    // libhdf5 steps by the object's size without comparing it with what is left: a free-space object of 2^64 -
    // 65536 bytes took its walk back before the collection and round for ever.
    const uint64_t need = idx == 0 ? bytes : objectHeader + align8(bytes);
    if (need > size - p) return "its string heap is damaged (an object runs past its collection)";
    p += need;
  }
  if (!found) return "its string heap is damaged (a string points to an object its collection does not hold)";
  if (objectSize != length)
    return "its string heap is damaged (a string of " + std::to_string(length) + " bytes in an object of " +
           std::to_string(objectSize) + ")";
  return {};
}

}  // namespace

RawFile::RawFile(const std::string& path, uint64_t base, int offsetSize, int lengthSize)
    : in_(path, std::ios::binary | std::ios::ate), base_(base), offsetSize_(offsetSize), lengthSize_(lengthSize) {
  if (in_) size_ = uint64_t(in_.tellg());
  if (offsetSize_ < 1 || offsetSize_ > 8) offsetSize_ = 8;
  if (lengthSize_ < 1 || lengthSize_ > 8) lengthSize_ = 8;
}

std::unique_ptr<RawFile> RawFile::of(hid_t object, const std::string& path) {
  const hid_t file = H5Iget_file_id(object);
  const hid_t fcpl = file < 0 ? -1 : H5Fget_create_plist(file);
  hsize_t userBlock = 0;
  size_t offsets = 0, lengths = 0;
  const bool ok = fcpl >= 0 && H5Pget_userblock(fcpl, &userBlock) >= 0 && H5Pget_sizes(fcpl, &offsets, &lengths) >= 0;
  if (fcpl >= 0) H5Pclose(fcpl);
  if (file >= 0) H5Fclose(file);
  return ok ? std::make_unique<RawFile>(path, userBlock, int(offsets), int(lengths)) : nullptr;
}

bool RawFile::read(uint64_t address, void* out, uint64_t n) const {
  const uint64_t start = address + base_;
  if (!in_ || address > size_ || start > size_ || n > size_ - start) return false;
  in_.clear();
  in_.seekg(std::streamoff(start));
  return bool(in_.read(static_cast<char*>(out), std::streamsize(n)));
}

std::string objectProblem(const RawFile& file, uint64_t address, bool strict) {
  std::vector<Message> messages;
  if (!headerMessages(file, address, messages)) return strict ? "its object header cannot be followed" : "";
  if (std::string problem = layoutProblem(messages, file.lengthSize()); !problem.empty()) return problem;
  for (const Message& m : messages) {
    if (m.type != kAttribute || (m.flags & kShared)) continue;
    if (std::string problem = attributeProblem(m, file, strict); !problem.empty()) return problem;
  }
  for (const Message& m : messages) {
    const int O = file.offsetSize();
    if (m.type != kSymbolTable || (m.flags & kShared) || m.body.size() < size_t(2 * O)) continue;
    if (std::string problem = localHeapProblem(file, little(m.body.data() + O, O)); !problem.empty()) return problem;
  }
  return {};
}

std::string variableStringsProblem(const RawFile& file, uint64_t address, const std::string& name) {
  const std::string unchecked = "its attribute '" + name + "' cannot be found in its object header";
  std::vector<Message> messages;
  if (!headerMessages(file, address, messages)) return unchecked;
  const int O = file.offsetSize(), L = file.lengthSize();
  for (const Message& m : messages) {
    if (m.type != kAttribute || (m.flags & kShared)) continue;
    const AttributeParts a = attributeParts(m.body);
    if (!a.ok || a.name != name) continue;
    if (a.sharedType || a.sharedSpace) return {};
    const std::vector<unsigned char>& b = m.body;
    if (a.typeSize < 8 || (b[size_t(a.typeAt)] & 0x0f) != kVariableLength) return {};
    const int64_t n = elements(b.data() + a.spaceAt, size_t(a.spaceSize), L);
    const uint64_t each = 4 + uint64_t(O) + 4;  // length, collection address, object index
    if (n < 0 || uint64_t(n) > (b.size() - a.dataAt) / each) return "its attribute '" + name + "' is damaged";
    for (int64_t i = 0; i < n; ++i) {
      const unsigned char* e = &b[size_t(a.dataAt + uint64_t(i) * each)];
      const uint64_t length = little(e, 4), collection = little(e + 4, O), index = little(e + 4 + O, 4);
      if (collection == 0) continue;  // libhdf5 reads no heap object for it (an empty string is an object of 0)
      if (std::string problem = globalHeapProblem(file, collection, index, length); !problem.empty()) return problem;
    }
    return {};
  }
  return unchecked;
}

}  // namespace latentlab::hdf5
