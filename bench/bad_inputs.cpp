// Writes the tables of docs/bad-inputs.md: every bad input tried on the IDX reader, the label file reader,
// the CSV import, the HDF5 data reader and the model file reader, and the exact message the engine gives (the CLI prints it after
// "latentlab-cli COMMAND: error: ", the workbench shows it as it is or inside a sentence, see the doc).
//   bad-inputs > tables.md
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/Error.h"
#include "engine/data/IdxReader.h"
#include "engine/data/LabelFile.h"
#include "engine/data/DataSource.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "support/GzipWriter.h"

using namespace latentlab;
namespace fs = std::filesystem;

namespace {

fs::path root;

std::vector<uint8_t> be32(uint32_t v) { return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }

std::vector<uint8_t> images(uint32_t count, uint32_t rows, uint32_t cols, size_t pixels = SIZE_MAX) {
  std::vector<uint8_t> b;
  for (uint32_t v : {0x803u, count, rows, cols}) {
    auto w = be32(v);
    b.insert(b.end(), w.begin(), w.end());
  }
  if (pixels == SIZE_MAX) pixels = size_t(count) * rows * cols;
  for (size_t i = 0; i < pixels; ++i) b.push_back(uint8_t(i * 37));
  return b;
}

std::vector<uint8_t> labels(std::vector<uint8_t> values) {
  std::vector<uint8_t> b = be32(0x801);
  auto n = be32(uint32_t(values.size()));
  b.insert(b.end(), n.begin(), n.end());
  b.insert(b.end(), values.begin(), values.end());
  return b;
}

std::vector<uint8_t> gzip(const std::vector<uint8_t>& bytes, uint64_t zeros = 0) { return gzipWithZeros(bytes, zeros); }

void write(const fs::path& p, const std::vector<uint8_t>& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void write(const fs::path& p, const std::string& text) { write(p, std::vector<uint8_t>(text.begin(), text.end())); }

// The message, with the temporary folder's path left out.
std::string outcome(const std::function<std::string()>& f) {
  std::string text;
  try {
    text = f();
  } catch (const std::exception& e) {
    text = e.what();
  }
  for (size_t at; (at = text.find(root.string() + "/")) != std::string::npos;) text.erase(at, root.string().size() + 1);
  for (size_t at = 0; (at = text.find('|', at)) != std::string::npos; at += 2) text.replace(at, 1, "\\|");
  return text;
}

void row(const std::string& input, const std::function<std::string()>& f) {
  std::printf("| %s | `%s` |\n", input.c_str(), outcome(f).c_str());
}

std::string imagesOf(const fs::path& p) {
  const IdxImages img = readIdxImages(p.string());
  return "accepted: " + std::to_string(img.count) + " images of " + std::to_string(img.rows) + " x " +
         std::to_string(img.cols);
}

std::string labelsOf(const fs::path& p) {
  return "accepted: " + std::to_string(readIdxLabels(p.string()).size()) + " labels";
}

void folder(const fs::path& f) {
  write(f / "train-images-idx3-ubyte", images(6, 3, 2));
  write(f / "train-labels-idx1-ubyte", labels({0, 1, 2, 0, 1, 2}));
  write(f / "t10k-images-idx3-ubyte", images(4, 3, 2));
  write(f / "t10k-labels-idx1-ubyte", labels({2, 1, 0, 1}));
}

std::string loadFolder(const fs::path& f) {
  const DataSplit s = loadIdxFolder(f.string(), 3);
  return "accepted: " + std::to_string(s.train.size()) + " + " + std::to_string(s.test.size()) + " samples";
}

void idxTable() {
  std::printf("| Input | What the user sees |\n| --- | --- |\n");
  const fs::path d = root / "idx";
  row("images: wrong magic number (a labels file)", [&] {
    write(d / "labels", labels({1, 2, 3, 4, 5, 6, 7, 8}));
    return imagesOf(d / "labels");
  });
  std::vector<uint8_t> png{0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  png.resize(200, 7);
  row("a PNG named as an IDX file", [&] {
    write(d / "photo.png", png);
    return imagesOf(d / "photo.png");
  });
  row("empty file (0 bytes)", [&] {
    write(d / "empty", std::vector<uint8_t>{});
    return imagesOf(d / "empty");
  });
  row("3 bytes", [&] {
    write(d / "tiny", std::vector<uint8_t>{0, 0, 8});
    return labelsOf(d / "tiny");
  });
  row("images: header only (no pixels)", [&] {
    auto b = images(3, 4, 4);
    b.resize(16);
    write(d / "header-only", b);
    return imagesOf(d / "header-only");
  });
  row("images: cut 5 bytes short", [&] {
    auto b = images(3, 4, 4);
    b.resize(b.size() - 5);
    write(d / "short", b);
    return imagesOf(d / "short");
  });
  row("labels: one byte too many", [&] {
    auto b = labels({1, 2});
    b.push_back(9);
    write(d / "long", b);
    return labelsOf(d / "long");
  });
  row("images: a dimension of 0", [&] {
    write(d / "zero", images(3, 0, 4));
    return imagesOf(d / "zero");
  });
  row("one 46341 x 46341 image (the pixel count overflowed an int: UBSan in Mnist.cpp, a segfault)", [&] {
    write(d / "huge", images(1, 46341, 46341, 1000));
    return imagesOf(d / "huge");
  });
  row("the same, gzip (64 MiB of zeros after the header)", [&] {
    write(d / "huge.gz", gzip(images(1, 46341, 46341, 0), uint64_t(64) << 20));
    return imagesOf(d / "huge.gz");
  });
  row("count, rows and cols all 2^32-1 (their product overflows 64 bits)", [&] {
    write(d / "overflow", images(0xffffffffu, 0xffffffffu, 0xffffffffu, 16));
    return imagesOf(d / "overflow");
  });
  row("200 million 28 x 28 images announced (157 GB)", [&] {
    write(d / "many", images(200000000, 28, 28, 100));
    return imagesOf(d / "many");
  });
  row("gzip bomb: 10 28 x 28 images announced, 1 GiB of zeros inside (1 MB file)", [&] {
    write(d / "bomb.gz", gzip(images(10, 28, 28, 0), uint64_t(1) << 30));
    return imagesOf(d / "bomb.gz");
  });
  row("gzip: header announcing 2^31-1 labels in a 40-byte file", [&] {
    auto b = labels({});
    b[4] = 0x7f, b[5] = b[6] = b[7] = 0xff;
    write(d / "claims.gz", gzip(b));
    return labelsOf(d / "claims.gz");
  });
  row("gzip: trailing garbage after the member", [&] {
    auto b = gzip(labels({1, 2, 3}));
    for (char c : std::string("junk")) b.push_back(uint8_t(c));
    write(d / "garbage.gz", b);
    return labelsOf(d / "garbage.gz");
  });
  row("gzip: 512 zero bytes of padding after the member", [&] {
    auto b = gzip(labels({1, 2, 3}));
    b.resize(b.size() + 512, 0);
    write(d / "padded.gz", b);
    return labelsOf(d / "padded.gz");
  });
  row("gzip: two members (as `cat a.gz b.gz` makes)", [&] {
    const auto full = labels({1, 2, 3, 4});
    auto b = gzip(std::vector<uint8_t>(full.begin(), full.begin() + 9));
    const auto rest = gzip(std::vector<uint8_t>(full.begin() + 9, full.end()));
    b.insert(b.end(), rest.begin(), rest.end());
    write(d / "two.gz", b);
    return labelsOf(d / "two.gz");
  });
  row("gzip: damaged CRC", [&] {
    auto b = gzip(labels({1, 2, 3}));
    b[b.size() - 8] ^= 0xff;
    write(d / "crc.gz", b);
    return labelsOf(d / "crc.gz");
  });
  row("gzip: damaged deflate data", [&] {
    auto b = gzip(images(5, 28, 28));
    for (size_t i = 12; i < 40; ++i) b[i] ^= 0x55;
    write(d / "bits.gz", b);
    return imagesOf(d / "bits.gz");
  });
  const auto whole = gzip(images(50, 28, 28));
  row("gzip: cut in its header (3 bytes)", [&] {
    write(d / "cut3.gz", std::vector<uint8_t>(whole.begin(), whole.begin() + 3));
    return imagesOf(d / "cut3.gz");
  });
  row("gzip: cut in half", [&] {
    write(d / "half.gz", std::vector<uint8_t>(whole.begin(), whole.begin() + long(whole.size() / 2)));
    return imagesOf(d / "half.gz");
  });
  row("gzip: cut in its 8-byte trailer", [&] {
    write(d / "trailer.gz", std::vector<uint8_t>(whole.begin(), whole.end() - 4));
    return imagesOf(d / "trailer.gz");
  });
  row("gzip: complete, but 2 labels fewer than announced", [&] {
    auto b = labels({1, 2, 3, 4});
    b.resize(b.size() - 2);
    write(d / "few.gz", gzip(b));
    return labelsOf(d / "few.gz");
  });
  row("gzip: 5 bytes inside, too short for a header", [&] {
    write(d / "five.gz", gzip({0, 0, 8, 1, 0}));
    return labelsOf(d / "five.gz");
  });
  row("a folder where the file should be", [&] {
    fs::create_directories(d / "dir");
    return imagesOf(d / "dir");
  });
  row("a missing file", [&] { return imagesOf(d / "nope"); });
  row("folder: not a folder", [&] { return loadFolder(d / "no-such-folder"); });
  row("folder: t10k-images missing", [&] {
    folder(d / "missing");
    fs::remove(d / "missing" / "t10k-images-idx3-ubyte");
    return loadFolder(d / "missing");
  });
  row("folder: 3 labels for 4 images", [&] {
    folder(d / "count");
    write(d / "count" / "t10k-labels-idx1-ubyte", labels({0, 1, 2}));
    return loadFolder(d / "count");
  });
  row("folder: label 7 with 3 classes", [&] {
    folder(d / "range");
    write(d / "range" / "t10k-labels-idx1-ubyte", labels({0, 1, 7, 2}));
    return loadFolder(d / "range");
  });
  row("folder: 3x2 training images, 2x3 test images", [&] {
    folder(d / "shape");
    write(d / "shape" / "t10k-images-idx3-ubyte", images(4, 2, 3));
    return loadFolder(d / "shape");
  });
  row("folder: 46341 x 46341 training image", [&] {
    folder(d / "hugef");
    write(d / "hugef" / "train-images-idx3-ubyte", images(1, 46341, 46341, 100));
    return loadFolder(d / "hugef");
  });
  row("folder: a good one (control)", [&] {
    folder(d / "good");
    return loadFolder(d / "good");
  });
}

std::string fnv(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string sealed(const std::string& body, size_t count) {
  return "# latentlab labels 1\n# dataset fnv1a64:00000000deadbeef\n" + body + "# end " + std::to_string(count) + " " +
         fnv(body) + "\n";
}

void labelTable() {
  std::printf(
      "| Input | What the user sees: the reader's message | With a good previous copy |\n| --- | --- | --- |\n");
  const fs::path p = root / "labels" / "labels.csv";
  fs::create_directories(p.parent_path());
  LabelFileContent good{"fnv1a64:00000000deadbeef", {{0, 3, LabelSource::User}, {7, 1, LabelSource::Initial}}};
  const std::string text = labelFileText(good);
  auto caseOf = [&](const std::string& input, const std::function<void()>& damage) {
    fs::remove_all(p);
    fs::remove(previousCopyPath(p.string()));
    damage();
    const std::string message = outcome([&]() -> std::string {
      const LabelFileLoad l = loadLabelFile(p.string());
      return l.found ? "accepted: " + std::to_string(l.content.entries.size()) + " labels" : "a new session";
    });
    writeLabelFile(previousCopyPath(p.string()), good);
    fs::remove(previousCopyPath(p.string()) + ".previous");
    const std::string fallback = outcome([&]() -> std::string {
      const LabelFileLoad l = loadLabelFile(p.string());
      return l.fromPrevious ? "previous copy used (" + std::to_string(l.content.entries.size()) + " labels)"
                            : "the file itself is read";
    });
    std::printf("| %s | `%s` | %s |\n", input.c_str(), message.c_str(), fallback.c_str());
  };
  auto text_ = [&](const std::string& t) { return [&p, t] { write(p, t); }; };
  caseOf("`# end` on line 2 (threw std::out_of_range)",
         text_("# latentlab labels 1\n# dataset x# end 0 " + fnv("") + "\n"));
  caseOf("an end marker on line 2, rows after it",
         text_("# latentlab labels 2\n# end 0 fnv1a64:0\nindex,label,source\n# end 0 x\n"));
  caseOf("empty file", text_(""));
  caseOf("cut off mid-line", text_(text.substr(0, text.size() / 2)));
  caseOf("cut off after a complete line (end marker missing)", text_(text.substr(0, text.find("7,1"))));
  caseOf("last byte missing", text_(text.substr(0, text.size() - 1)));
  caseOf("one digit changed", text_([&] {
           std::string t = text;
           t[t.find("7,1")] = '8';
           return t;
         }()));
  caseOf("the data set fingerprint changed", text_([&] {
           std::string t = text;
           t[t.find("deadbeef")] = 'e';
           return t;
         }()));
  caseOf("an extra line after the end marker", text_(text + "\n"));
  caseOf("CRLF line ends (saved by a Windows editor)", text_([&] {
           std::string t;
           for (char c : text) t += c == '\n' ? std::string("\r\n") : std::string(1, c);
           return t;
         }()));
  caseOf("another program's file (HDF5)", text_("\x89HDF\r\n\x1a\n some other program's file"));
  caseOf("version 3 (a newer Latentlab)", text_("# latentlab labels 3\n# dataset x\nindex,label,source\n# end 0 x\n"));
  caseOf("end marker without checksum", text_("# latentlab labels 2\n# dataset x\nindex,label,source\n# end 0\n"));
  caseOf("end marker count 99999999999", text_(sealed("index,label,source\n0,3,user\n", 99999999999)));
  caseOf("end marker count 2, one row (checksum right)", text_(sealed("index,label,source\n0,3,user\n", 2)));
  caseOf("header line changed (checksum right)", text_(sealed("index,label\n0,3\n", 1)));
  caseOf("a duplicate index (checksum right)", text_(sealed("index,label,source\n0,3,user\n0,4,user\n", 2)));
  caseOf("a negative index (checksum right)", text_(sealed("index,label,source\n-1,3,user\n", 1)));
  caseOf("an index past 2^31 (checksum right)", text_(sealed("index,label,source\n99999999999,3,user\n", 1)));
  caseOf("an unknown source (checksum right)", text_(sealed("index,label,source\n1,2,somebody\n", 1)));
  caseOf("a NUL byte in a row (checksum right)", text_(sealed(std::string("index,label,source\n1,2,us\0er\n", 29), 1)));
  caseOf("a folder in place of the file", [&] { fs::create_directories(p); });
  caseOf("600 MB file (sparse)", [&] {
    write(p, std::string("# latentlab labels 2\n"));
    fs::resize_file(p, uint64_t(600) << 20);
  });
  caseOf("the file missing, its previous copy there (killed between renames, before hard links)", [] {});
  caseOf("a good file (control)", [&] { writeLabelFile(p.string(), good); });
}

void csvTable() {
  std::printf("| Input | What the user sees |\n| --- | --- |\n");
  const std::vector<std::string> names{"cat", "dog", "bird"};
  const fs::path d = root / "csv";
  fs::create_directories(d);
  auto import = [&](const std::string& name, const std::string& text) {
    return [&, name, text] {
      write(d / name, text);
      const LabelCsvImport r = importLabelsCsv((d / name).string(), names, 100);
      return "accepted: " + std::to_string(r.rows) + " rows, " + std::to_string(r.entries.size()) + " labels, " +
             std::to_string(r.duplicates) + " repeated indices";
    };
  };
  row("a folder", [&] {
    fs::create_directories(d / "folder.csv");
    return std::to_string(importLabelsCsv((d / "folder.csv").string(), names, 100).entries.size()) + " entries";
  });
  row("a missing file", [&] {
    return std::to_string(importLabelsCsv((d / "none.csv").string(), names, 100).entries.size()) + " entries";
  });
  row("empty file", import("empty.csv", ""));
  row("header only", import("header.csv", "index,label,source\n"));
  row("UTF-8 byte order mark, CRLF (Excel)", import("bom.csv", "\xef\xbb\xbfindex,label\r\n1,dog\r\n2,0\r\n"));
  row("UTF-16 (Excel's \"Unicode text\")", import("utf16.csv", std::string("\xff\xfei\0n\0d\0e\0x\0", 10)));
  row("blank and comment lines before the header", import("comments.csv", "\n# by hand\n\nindex,label\n3,bird\n"));
  row("no header", import("noheader.csv", "3,bird\n4,cat\n"));
  row("an index on three rows", import("dup.csv", "index,label\n5,cat\n6,dog\n5,bird\n5,dog\n"));
  row("label 7 with 3 classes", import("label.csv", "index,label\n1,1\n2,7\n"));
  row("an unknown class name", import("name.csv", "index,label\n1,horse\n"));
  row("index 100 of 100 samples", import("index.csv", "index,label\n100,1\n"));
  row("a negative index", import("neg.csv", "index,label\n-3,1\n"));
  row("an index of 20 digits", import("big.csv", "index,label\n99999999999999999999,1\n"));
  row("one field", import("one.csv", "index,label\n1\n"));
  row("four fields", import("four.csv", "index,label\n1,2,user,x\n"));
  row("an unknown source", import("source.csv", "index,label\n1,1,somebody\n"));
  row("quoted fields (\"1\",\"dog\")", import("quoted.csv", "index,label\n\"1\",\"dog\"\n"));
  row("a quote left open", import("open.csv", "index,label\n\"1,dog\n"));
  row("semicolons (a German Excel)", import("semi.csv", "index;label\n1;dog\n"));
  row("tabs", import("tabs.csv", "index\tlabel\n1\tdog\n"));
  row("a PNG", import("photo.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)));
}

std::vector<uint8_t> bytesOf(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string dataOf(const fs::path& p, const std::string& x = "x") {
  DataRequest r;
  r.path = p.string();
  r.x = x;
  r.y = "none";
  const DataSplit d = openData(r);
  return "accepted: " + std::to_string(d.train.size()) + " samples";
}

std::string modelOf(const fs::path& p) {
  const ModelFile f = readModelFile(p.string());
  return "accepted: a " + toString(f.model.flavour) + " model";
}

// HDF5 files: the fixtures of tests/data (written by h5py, then damaged) and the inputs the fuzzers found.
void hdf5Table() {
  const fs::path fixtures = LATENTLAB_FIXTURES, corpus = LATENTLAB_FUZZ_CORPUS, d = root / "hdf5";
  fs::create_directories(d);
  const std::vector<uint8_t> arrays = bytesOf(fixtures / "arrays.h5"), model = bytesOf(LATENTLAB_MODEL_V1);
  auto copy = [&](const fs::path& from, const std::string& name) {
    fs::copy_file(from, d / name, fs::copy_options::overwrite_existing);
    return d / name;
  };
  auto damaged = [&](std::vector<uint8_t> bytes, const std::string& name, size_t at, std::vector<uint8_t> with) {
    for (size_t i = 0; i < with.size(); ++i) bytes[at + i] = with[i];
    write(d / name, bytes);
    return d / name;
  };
  auto cut = [&](const std::vector<uint8_t>& bytes, const std::string& name) {
    write(d / name, std::vector<uint8_t>(bytes.begin(), bytes.begin() + long(bytes.size() / 2)));
    return d / name;
  };
  std::printf("Data files (`--data FILE.h5 --x NAME`, the Data dock's Open data file):\n\n");
  std::printf("| Input | What the user sees |\n| --- | --- |\n");
  row("a good file (arrays.h5, dataset x)", [&] { return dataOf(copy(fixtures / "arrays.h5", "arrays.h5")); });
  row("an array that is not there", [&] { return dataOf(copy(fixtures / "arrays.h5", "arrays.h5"), "nothing"); });
  row("an int16 array (labels)", [&] { return dataOf(copy(fixtures / "arrays.h5", "arrays.h5"), "labels"); });
  row("half of the file", [&] { return dataOf(cut(arrays, "half.h5")); });
  row("superblock base address 1535 (the superblock is at 0)",
      [&] { return dataOf(damaged(arrays, "base.h5", 24, {0xff, 0x05})); });
  row("a root group whose local heap is at the undefined address (fuzzer)",
      [&] { return dataOf(copy(fixtures / "undefined_heap_address.h5", "undefined_heap_address.h5")); });
  row("a fuzzer's input that made libhdf5 ask for 11.9 GB (a damaged local heap and superblock)",
      [&] { return dataOf(copy(corpus / "regression-oom-declared-local-heap", "heap.h5")); });
  row("a chunk of 1x2x512 in a 3x2x2 dataset (fuzzer)",
      [&] { return dataOf(copy(fixtures / "damaged_chunks.h5", "damaged_chunks.h5")); });
  row("a chunk that inflates to 4 of its 1024 bytes (fuzzer)",
      [&] { return dataOf(copy(fixtures / "damaged_chunk_size.h5", "damaged_chunk_size.h5")); });
  row("a chunk layout of dimensionality 0 (fuzzer; libhdf5 wrote 16 GB past an array: SIGSEGV)",
      [&] { return dataOf(copy(fixtures / "libhdf5_crash_layout.h5", "layout.h5")); });
  row("a group's name heap whose free list loops (fuzzer; libhdf5 allocated until memory ran out)",
      [&] { return dataOf(copy(fixtures / "local_heap_free_list_loop.h5", "heap-loop.h5")); });
  row("a good file in HDF5's newest format (version-2 headers, layout version 4)",
      [&] { return dataOf(copy(fixtures / "latest_format.h5", "latest_format.h5")); });
  row("a model file", [&] { return dataOf(copy(LATENTLAB_MODEL_V1, "model.h5")); });
  std::printf("\nModel files (`eval --model`, `inspect`, `train --resume`, File > Open model; the workbench reads the "
              "file in a child process first, so a crash there is an error message):\n\n");
  std::printf("| Input | What the user sees |\n| --- | --- |\n");
  row("a good version-1 file (tests/io/format-v1.h5)", [&] { return modelOf(copy(LATENTLAB_MODEL_V1, "v1.h5")); });
  row("a missing file", [&] { return modelOf(d / "none.h5"); });
  row("an empty file", [&] {
    write(d / "empty.h5", std::string());
    return modelOf(d / "empty.h5");
  });
  row("a text file", [&] {
    write(d / "text.h5", std::string("weights: 1 2 3\n"));
    return modelOf(d / "text.h5");
  });
  row("another program's HDF5 (arrays.h5)", [&] { return modelOf(copy(fixtures / "arrays.h5", "arrays.h5")); });
  row("half of the file", [&] { return modelOf(cut(model, "half-model.h5")); });
  row("superblock base address 1535", [&] { return modelOf(damaged(model, "base-model.h5", 24, {0xff, 0x05})); });
  row("a root group whose local heap is at the undefined address (fuzzer)",
      [&] { return modelOf(copy(fixtures / "undefined_heap_address.h5", "undefined_heap_address.h5")); });
  // Single-byte flips of a version-1 file (no checksums) that crashed libhdf5 in H5HG_read or made it loop.
  const fs::path flips = corpus.parent_path() / "model_file";
  row("version 1, a string pointing to an object its heap collection does not hold (byte flip; SIGSEGV)",
      [&] { return modelOf(copy(flips / "regression-v1-flip-at1839-sigsegv.h5", "v1-flip-1839.h5")); });
  row("version 1, a string heap object of 3.3e18 bytes (byte flip; an overlapping memcpy)",
      [&] { return modelOf(copy(flips / "regression-v1-flip-at2640-sigsegv.h5", "v1-flip-2640.h5")); });
  row("version 1, a string heap's free space of 0 bytes (byte flip; libhdf5 looped for ever)",
      [&] { return modelOf(copy(flips / "regression-v1-flip-at2377-hang.h5", "v1-flip-2377.h5")); });
}

}  // namespace

int main() {
  char tmpl[] = "/tmp/latentlab-bad-inputs-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  root = tmpl;
  std::printf("## IDX files\n\n");
  idxTable();
  std::printf("\n## Label files\n\n");
  labelTable();
  std::printf("\n## CSV import\n\n");
  csvTable();
  std::printf("\n## HDF5 files\n\n");
  hdf5Table();
  fs::remove_all(root);
}
