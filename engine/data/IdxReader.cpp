#include "engine/data/IdxReader.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>

#include "engine/core/Error.h"

namespace latentlab {
namespace {

// deflate never compresses better than 1032:1, so n compressed bytes hold at most this many bytes; a header
// announcing more than the file can hold is refused before anything is allocated.
constexpr uint64_t kDeflateMaxRatio = 1032;

std::string fileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw Error("IdxReader", fileName(name) + ": " + what);
}

// Where the file's bytes come from: a file on disk or a buffer; size() is known before reading.
class Input {
 public:
  virtual ~Input() = default;
  virtual size_t read(uint8_t* dst, size_t n) = 0;  // fewer than n only at the end
  virtual uint64_t size() const = 0;
  virtual uint64_t position() const = 0;
};

class MemoryInput : public Input {
 public:
  MemoryInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t read(uint8_t* dst, size_t n) override {
    n = std::min(n, size_ - pos_);
    if (n) std::memcpy(dst, data_ + pos_, n);
    pos_ += n;
    return n;
  }
  uint64_t size() const override { return size_; }
  uint64_t position() const override { return pos_; }

 private:
  const uint8_t* data_;
  size_t size_, pos_ = 0;
};

class FileInput : public Input {
 public:
  explicit FileInput(const std::string& path) : path_(path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
    if (!std::filesystem::is_regular_file(path, ec)) fail(path, "not a regular file");
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_) fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fileno(f_), &st) != 0 || !S_ISREG(st.st_mode)) fail(path, "not a regular file");
    size_ = uint64_t(st.st_size);
  }
  ~FileInput() override {
    if (f_) std::fclose(f_);
  }
  size_t read(uint8_t* dst, size_t n) override {
    const size_t got = std::fread(dst, 1, n, f_);
    if (got < n && std::ferror(f_)) fail(path_, std::string("read error (") + std::strerror(errno) + ")");
    pos_ += got;
    return got;
  }
  uint64_t size() const override { return size_; }
  uint64_t position() const override { return pos_; }

 private:
  std::string path_;
  FILE* f_ = nullptr;
  uint64_t size_ = 0, pos_ = 0;
};

// The file's content, raw or inflated from gzip; read() returns fewer bytes than asked only at the end of
// the content, after the gzip checks (CRC, length, nothing after the last member) have passed.
class Content {
 public:
  Content(Input& in, std::string name) : in_(in), name_(std::move(name)) {
    buffer_.reset(new uint8_t[kBuffer]);
    avail_ = in_.read(buffer_.get(), kBuffer);
    gzip_ = avail_ >= 2 && buffer_[0] == 0x1f && buffer_[1] == 0x8b;
    if (gzip_) {
      std::memset(&z_, 0, sizeof z_);
      if (inflateInit2(&z_, 15 + 16) != Z_OK) fail(name_, "cannot start the gzip decoder");
      zOpen_ = true;
      z_.next_in = buffer_.get();
      z_.avail_in = unsigned(avail_);
      inMember_ = true;
    }
  }
  ~Content() {
    if (zOpen_) inflateEnd(&z_);
  }
  bool gzip() const { return gzip_; }
  uint64_t fileSize() const { return in_.size(); }

  size_t read(uint8_t* dst, size_t n) { return gzip_ ? inflateInto(dst, n) : readRaw(dst, n); }

 private:
  static constexpr size_t kBuffer = 1 << 16;

  size_t readRaw(uint8_t* dst, size_t n) {
    size_t done = 0;
    const size_t fromBuffer = std::min(n, avail_ - used_);
    if (fromBuffer) std::memcpy(dst, buffer_.get() + used_, fromBuffer);
    used_ += fromBuffer;
    done += fromBuffer;
    if (done < n) done += in_.read(dst + done, n - done);
    return done;
  }

  size_t inflateInto(uint8_t* dst, size_t n) {
    size_t done = 0;
    while (done < n) {
      if (z_.avail_in == 0 && !inputEnded_) {
        z_.next_in = buffer_.get();
        z_.avail_in = unsigned(in_.read(buffer_.get(), kBuffer));
        inputEnded_ = z_.avail_in == 0;
      }
      if (!inMember_) {  // between members: the end, another member, or garbage
        if (z_.avail_in == 0) return done;
        if (z_.avail_in >= 2 && z_.next_in[0] == 0x1f && z_.next_in[1] == 0x8b) {
          inflateReset(&z_);
          inMember_ = true;
        } else {
          const uint64_t trailing = z_.avail_in + (in_.size() - std::min(in_.size(), in_.position()));
          fail(name_, std::to_string(trailing) + " bytes of trailing data after the end of the gzip stream");
        }
      }
      const size_t chunk = std::min<size_t>(n - done, 1u << 30);
      z_.next_out = dst + done;
      z_.avail_out = unsigned(chunk);
      const int rc = inflate(&z_, Z_NO_FLUSH);
      done += chunk - z_.avail_out;
      if (rc == Z_STREAM_END) {
        inMember_ = false;
      } else if (rc == Z_BUF_ERROR) {  // no progress: it needs more input
        if (z_.avail_in != 0) fail(name_, "corrupt gzip data (the decoder made no progress)");
        if (inputEnded_) fail(name_, "truncated gzip data (the file ends inside the stream)");
      } else if (rc != Z_OK) {
        fail(name_, std::string("corrupt gzip data (") + (z_.msg ? z_.msg : zError(rc)) + ")");
      }
    }
    return done;
  }

  Input& in_;
  std::string name_;
  std::unique_ptr<uint8_t[]> buffer_;
  size_t avail_ = 0, used_ = 0;
  bool gzip_ = false, zOpen_ = false, inMember_ = false, inputEnded_ = false;
  z_stream z_;
};

uint32_t bigEndian(const uint8_t* b) {
  return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
}

std::string magicText(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Reads and checks the header and the payload: the dimensions and their products against the limits and
// against what the file can hold, then the payload, allocated only then, and the end of the content.
std::vector<uint8_t> readIdx(Content& c, const std::string& name, int dims, const char* what, const IdxLimits& limits,
                             std::vector<uint32_t>& d) {
  const size_t headerSize = 4 + 4 * size_t(dims);
  uint8_t header[16];
  const size_t got = c.read(header, headerSize);
  if (got < headerSize)
    fail(name,
         (c.gzip() ? "gzip data holds " : "file is ") + std::to_string(got) + " bytes, too short for an IDX header");
  const uint32_t magic = bigEndian(header);
  const uint32_t expected = 0x00000800u | uint32_t(dims);
  if (magic != expected)
    fail(name,
         "wrong magic number " + magicText(magic) + " (expected " + magicText(expected) + " for IDX " + what + ")");
  d.assign(dims, 0);
  for (int i = 0; i < dims; ++i) {
    d[i] = bigEndian(header + 4 + 4 * i);
    if (d[i] == 0) fail(name, "dimension " + std::to_string(i) + " is zero");
  }
  // Every product below is of factors < 2^32 and checked before the next multiplication: no overflow.
  if (d[0] > limits.maxCount)
    fail(name, "the header announces " + std::to_string(d[0]) + " " + what + ", more than the limit of " +
                   std::to_string(limits.maxCount));
  uint64_t perSample = 1;
  for (int i = 1; i < dims; ++i) {
    perSample *= d[i];  // <= maxPixelsPerImage (< 2^32) times < 2^32: fits
    if (perSample > limits.maxPixelsPerImage)
      fail(name, "the header announces images of " + std::to_string(d[1]) + " x " + std::to_string(d[2]) +
                     " pixels, more than the limit of " + std::to_string(limits.maxPixelsPerImage) +
                     " pixels per image");
  }
  const uint64_t payload = uint64_t(d[0]) * perSample;  // < 2^31 * 2^32: fits
  if (payload > limits.maxPayloadBytes)
    fail(name, "the header announces " + std::to_string(payload) + " bytes of data, more than the limit of " +
                   std::to_string(limits.maxPayloadBytes));
  if (!c.gzip()) {
    const uint64_t rest = c.fileSize() >= headerSize ? c.fileSize() - headerSize : 0;
    if (rest != payload)
      fail(name, "payload is " + std::to_string(rest) + " bytes but the header announces " + std::to_string(payload) +
                     (rest < payload ? " (truncated file)" : ""));
  } else if (payload + headerSize > c.fileSize() * kDeflateMaxRatio) {
    fail(name, "the header announces " + std::to_string(payload) + " bytes of data, more than " +
                   std::to_string(c.fileSize()) + " bytes of gzip data can hold (truncated file or damaged header)");
  }
  std::vector<uint8_t> out;
  try {
    out.resize(payload);
  } catch (const std::bad_alloc&) {
    fail(name, "not enough memory for " + std::to_string(payload) + " bytes of data");
  }
  const size_t read = c.read(out.data(), payload);
  if (read < payload)
    fail(name, "payload is " + std::to_string(read) + " bytes but the header announces " + std::to_string(payload) +
                   " (truncated file)");
  uint8_t extra;
  if (c.read(&extra, 1) != 0)
    fail(name, c.gzip() ? "the gzip data holds more than the " + std::to_string(payload) +
                              " bytes the header announces (reading stopped there)"
                        : "the file is longer than the header announces");
  return out;
}

IdxImages images(Input& in, const std::string& name, const IdxLimits& limits) {
  Content c(in, name);
  std::vector<uint32_t> d;
  IdxImages img;
  img.pixels = readIdx(c, name, 3, "images", limits, d);
  img.count = int(d[0]);
  img.rows = int(d[1]);
  img.cols = int(d[2]);
  return img;
}

std::vector<uint8_t> labels(Input& in, const std::string& name, const IdxLimits& limits) {
  Content c(in, name);
  std::vector<uint32_t> d;
  return readIdx(c, name, 1, "labels", limits, d);
}

}  // namespace

IdxImages readIdxImages(const std::string& path, const IdxLimits& limits) {
  FileInput in(path);
  return images(in, path, limits);
}

std::vector<uint8_t> readIdxLabels(const std::string& path, const IdxLimits& limits) {
  FileInput in(path);
  return labels(in, path, limits);
}

IdxImages parseIdxImages(const uint8_t* data, size_t size, const std::string& name, const IdxLimits& limits) {
  MemoryInput in(data, size);
  return images(in, name, limits);
}

std::vector<uint8_t> parseIdxLabels(const uint8_t* data, size_t size, const std::string& name,
                                    const IdxLimits& limits) {
  MemoryInput in(data, size);
  return labels(in, name, limits);
}

}  // namespace latentlab
