// The array and table readers: NumPy .npy/.npz (fixtures written by NumPy itself, see
// fixtures/make_array_fixtures.py), HDF5 (written by h5py), CSV; the shape, type and label rules of ArrayData.h.
#include <QtTest/QtTest>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "DataTestSupport.h"
#include "engine/data/ArrayData.h"
#include "engine/data/CsvData.h"
#include "engine/data/DataSource.h"
#include "engine/data/NumpyFile.h"
#include "engine/io/Hdf5Data.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

// The fixture formulas (make_array_fixtures.py) over the flat C-order index.
float ramp(int64_t i) { return float(double(i) * 0.25 - 3); }
float byte(int64_t i) { return float(i * 7 % 256) / 255.0f; }

const ArrayInfo* findInfo(const std::vector<ArrayInfo>& list, const std::string& name) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const ArrayInfo& a) { return a.name == name; });
  return it == list.end() ? nullptr : &*it;
}

DataSplit open(const std::string& path, double testFraction = 0, const std::string& x = "", const std::string& y = "") {
  DataRequest r;
  r.path = path;
  r.testFraction = testFraction;
  r.x = x;
  r.y = y;
  return openData(r);
}

}  // namespace

class ArrayReadersTest : public QObject {
  Q_OBJECT

 private slots:
  void npzStoredUint8Images() {
    const NpzFile f(fixture("images_u8.npz"));
    QCOMPARE(f.names(), (std::vector<std::string>{"x", "y"}));
    const auto list = f.list();
    QVERIFY(findInfo(list, "x") && findInfo(list, "x")->dims == (std::vector<int64_t>{6, 4, 4}));
    QCOMPARE(findInfo(list, "x")->type, std::string("uint8"));
    const ArraySamples s = samplesFromArray(f.read("x"));
    QVERIFY(s.shape == SampleShape::image(4, 4, 1));  // uint8 n x H x W: images
    for (int i = 0; i < 6; ++i)
      for (int p = 0; p < 16; ++p) QVERIFY(std::abs(s.x(p, i) - byte(i * 16 + p)) < 1e-7f);
    // Stratified hold-out: two samples per class, one of each held out.
    const DataSplit d = open(fixture("images_u8.npz"), 0.5);
    QCOMPARE(d.train.size(), 3);
    QCOMPARE(d.test.size(), 3);
    std::vector<int> test = d.test.labels;
    std::sort(test.begin(), test.end());
    QCOMPARE(test, (std::vector<int>{0, 1, 2}));
  }

  void npzDeflatedChannelsFirstBecomesChannelsLast() {
    const DataSplit d = open(fixture("nchw_f32.npz"));
    QVERIFY(d.train.shape == SampleShape::image(3, 3, 2));
    QCOMPARE(d.train.size(), 5);
    QCOMPARE(d.test.size(), 0);
    QCOMPARE(d.train.classNames, (std::vector<std::string>{"1", "3"}));  // the "labels" array: 3 1 3 1 3
    QCOMPARE(d.train.labels, (std::vector<int>{1, 0, 1, 0, 1}));
    for (int i = 0; i < 5; ++i)
      for (int p = 0; p < 9; ++p)
        for (int c = 0; c < 2; ++c) QCOMPARE(d.train.x(p * 2 + c, i), ramp(i * 18 + c * 9 + p));
  }

  void npzKerasLayoutIsTheSplit() {
    const DataSplit d = open(fixture("keras.npz"), 0.2);
    QCOMPARE(d.train.size(), 6);
    QCOMPARE(d.test.size(), 4);
    QVERIFY(d.train.shape == SampleShape::image(3, 3, 1));
    QCOMPARE(d.test.labels, (std::vector<int>{1, 0, 1, 0}));
    QVERIFY(std::abs(d.test.x(4, 1) - byte(9 + 4)) < 1e-7f);
    QVERIFY(d.description.find("x_test") != std::string::npos);
  }

  void npyBigEndianSequences() {
    const RawArray a = readNpy(fixture("seq_f64_be.npy"));
    QVERIFY(a.type == ElementType::Float64 && a.bigEndian);
    const ArraySamples s = samplesFromArray(a);
    QVERIFY(s.shape == SampleShape::sequence(5, 3));  // 5 != 3: n x T x C
    for (int i = 0; i < 4; ++i)
      for (int t = 0; t < 5; ++t)
        for (int c = 0; c < 3; ++c) QCOMPARE(s.x(t * 3 + c, i), ramp(i * 15 + t * 3 + c));
    QVERIFY(samplesFromArray(a, SampleLayout::Image).shape == SampleShape::image(5, 3, 1));
    QVERIFY(samplesFromArray(a, SampleLayout::Vector).shape == SampleShape::vector(15));
  }

  void npyFortranOrderAndLabelsFile() {
    const DataSplit d = open(fixture("fortran_f32.npy"), 0, "", "labels_i16.npy");
    QVERIFY(d.train.shape == SampleShape::vector(4));
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j) QCOMPARE(d.train.x(j, i), ramp(i * 4 + j));
    QCOMPARE(d.train.labels, (std::vector<int>{0, 1, 0}));
    QCOMPARE(d.train.classNames, (std::vector<std::string>{"1", "2"}));
    const auto info = listArrays(fixture("fortran_f32.npy"));
    QCOMPARE(info.size(), size_t(1));
    QCOMPARE(info[0].type, std::string("float32"));
  }

  void npyChannelsLastFourDimensions() {
    std::vector<float> v(2 * 4 * 4 * 3);
    for (size_t i = 0; i < v.size(); ++i) v[i] = float(i);
    QTemporaryDir dir;
    const std::string path = dir.filePath("nhwc.npy").toStdString();
    writeFile(path, npy("<f4", "(2, 4, 4, 3)", raw(v)));
    const ArraySamples s = samplesFromArray(readNpy(path));
    QVERIFY(s.shape == SampleShape::image(4, 4, 3));  // last dimension 3, second 4: already channels-last
    QCOMPARE(s.x(47, 1), 95.0f);
    // Every integer type is accepted for y, and bool.
    for (const char* descr : {"|i1", "<i2", "<i4", "<i8", "|u1", ">u2", "<u4", "<u8", "|b1"}) {
      const int size = descr[2] - '0';
      std::string data(size_t(3 * size), '\0');
      for (int i = 0; i < 3; ++i) data[size_t(i * size + (descr[0] == '>' ? size - 1 : 0))] = char(i % 2);
      const std::string file = npy(descr, "(3,)", data);
      const RawLabels l = labelsFromArray(parseNpy({file.begin(), file.end()}, "y"), 3, "y.npy");
      QVERIFY2(l.numbers == (std::vector<int64_t>{0, 1, 0}), descr);
    }
  }

  void hdf5ListsAndReads() {
    const auto list = listHdf5Datasets(fixture("arrays.h5"));
    const ArrayInfo* x = findInfo(list, "x");
    QVERIFY(x && x->dims == (std::vector<int64_t>{6, 4}) && x->type == "float32");
    QVERIFY(findInfo(list, "group/images") && findInfo(list, "group/images")->type == "uint8");
    QCOMPARE(findInfo(list, "flags")->type, std::string("bool"));
    QCOMPARE(findInfo(list, "names")->type, std::string("string"));
    QCOMPARE(findInfo(list, "labels")->type, std::string("int16"));
    QCOMPARE(listArrays(fixture("arrays.h5")).size(), list.size());

    const DataSplit d = open(fixture("arrays.h5"));  // x and "labels" by default
    QVERIFY(d.train.shape == SampleShape::vector(4));
    QCOMPARE(d.train.labels, (std::vector<int>{2, 0, 1, 2, 0, 1}));
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 4; ++j) QCOMPARE(d.train.x(j, i), ramp(i * 4 + j));
    const DataSplit g = open(fixture("arrays.h5"), 0, "/group/images", "flags");
    QVERIFY(g.train.shape == SampleShape::image(2, 2, 1));
    QCOMPARE(g.train.labels, (std::vector<int>{1, 0, 1, 1, 0, 0}));
    QVERIFY(std::abs(g.train.x(3, 5) - byte(23)) < 1e-7f);
    const DataSplit z = open(fixture("arrays.h5"), 0, "gz", "none");  // gzip-compressed chunks
    QVERIFY(!z.train.hasLabels());
    QCOMPARE(z.train.x(3, 5), ramp(23));
  }

  // Found by fuzz_hdf5_data: a chunk of 1x2x512 declared for a 3x2x2 dataset made libhdf5 read past its buffer.
  // (The file is compressed.h5 of tests/fuzz/corpus/hdf5_data with one chunk dimension damaged.)
  void hdf5DamagedChunksAreRefused() {
    const std::string path = fixture("damaged_chunks.h5");
    QCOMPARE(listHdf5Datasets(path).size(), size_t(1));
    try {
      open(path, 0, "x", "none");
      QFAIL("a chunk larger than its dataset was read");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("chunk dimension 2 is 512") != std::string::npos, e.what());
    }
    // The same chunk with the dataset's maximum made unlimited (a chunk may then exceed the extent): caught when
    // its 4 inflated bytes do not make a chunk of 1024.
    try {
      open(fixture("damaged_chunk_size.h5"), 0, "x", "none");
      QFAIL("a chunk that inflates short was read");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("does not unpack to its 1024 bytes") != std::string::npos, e.what());
    }
  }

  // Found by fuzz_hdf5_data: a superblock whose base address is not its own position made libhdf5 crash (a
  // memcpy from null in H5F__accum_read) in a release build; a truncated file was not noticed because libhdf5
  // adds that base to the file's size. Both are refused before libhdf5 opens the file.
  void hdf5DamagedSuperblockIsRefused() {
    std::ifstream in(fixture("arrays.h5"), std::ios::binary);
    const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(int(good[8]), 0);  // superblock version 0: the base address is at byte 24
    QTemporaryDir dir;
    const auto refused = [&](const std::string& bytes, const char* expected) {
      const std::string path = dir.filePath("damaged.h5").toStdString();
      writeFile(path, bytes);
      try {
        open(path, 0, "x", "none");
        return false;
      } catch (const Error& e) {
        return std::string(e.what()).find(expected) != std::string::npos;
      }
    };
    std::string base = good;
    base[24] = char(0xff);
    base[25] = char(0x05);
    QVERIFY(refused(base, "base address 1535, but the superblock is at byte 0"));
    QVERIFY(refused(good.substr(0, good.size() - 100), "it is truncated"));
    // A user block (the superblock at byte 1024) is legal, and such a file opens.
    const std::string path = dir.filePath("userblock.h5").toStdString();
    const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_userblock(fcpl, 1024);
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    const hsize_t n[2] = {3, 2};
    const hid_t space = H5Screate_simple(2, n, nullptr);
    const hid_t ds = H5Dcreate2(f, "x", H5T_NATIVE_FLOAT, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const float values[6] = {1, 2, 3, 4, 5, 6};
    H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    H5Dclose(ds);
    H5Sclose(space);
    H5Fclose(f);
    H5Pclose(fcpl);
    const DataSplit d = open(path, 0, "x", "none");
    QCOMPARE(d.train.size(), 3);
    QCOMPARE(d.train.x(1, 2), 6.0f);
  }

  // Found by fuzz_hdf5_data: the root group's symbol table pointing its local heap at the undefined address
  // (all bits set) crashed libhdf5's metadata accumulator in a release build. Read through engine/io's driver,
  // the read is refused and the file is an error (the fuzzer's 4.5 KB input, kept as it was found).
  void hdf5UndefinedAddressIsAnError() {
    try {
      open(fixture("undefined_heap_address.h5"), 0, "x", "none");
      QFAIL("a file whose root group cannot be read was read");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("undefined_heap_address.h5: its groups cannot be read") != std::string::npos,
               e.what());
    }
  }

  // Found by fuzz_hdf5_data: a damaged group that contains itself made H5Lvisit recurse until the stack
  // overflowed; the reader's own walk lists each group once.
  void hdf5GroupCycleEnds() {
    const auto list = listHdf5Datasets(fixture("group_cycle.h5"));
    QVERIFY(list.size() < 100);
  }

  // Found by fuzz_hdf5_data: damage that crashed libhdf5 1.10 itself, now found by the reader's own look at the
  // metadata first (engine/io/Hdf5Metadata.h). A chunked layout of dimensionality 0 (libhdf5 wrote 16 GB past an
  // array: SIGSEGV) and a group's name heap whose free list loops (libhdf5 allocated until memory ran out).
  void hdf5DamageThatCrashedLibhdf5IsAnError() {
    const auto refusedWith = [](const std::string& path, const char* expected) {
      try {
        listHdf5Datasets(path);
        return false;
      } catch (const Error& e) {
        return std::string(e.what()).find(expected) != std::string::npos;
      }
    };
    QVERIFY(refusedWith(fixture("libhdf5_crash_layout.h5"), "chunk layout is damaged (dimensionality 0"));
    QVERIFY(refusedWith(fixture("local_heap_free_list_loop.h5"), "name heap is damaged (its free list loops)"));
  }

  // What HDF5 writes today passes those checks: version-2 object headers, layout version 4, a new-style group,
  // and x's layout in a continuation block of its header (fixtures/make_array_fixtures.py).
  void hdf5LatestFormatPassesTheChecks() {
    const std::string path = fixture("latest_format.h5");
    const auto list = listHdf5Datasets(path);
    QCOMPARE(list.size(), size_t(3));
    QVERIFY(findInfo(list, "x") && findInfo(list, "group/labels") && findInfo(list, "group/unlimited"));
    const DataSplit d = open(path, 0, "x", "group/labels");
    QCOMPARE(d.train.labels, (std::vector<int>{2, 0, 1, 2, 0, 1}));
    QCOMPARE(d.train.x(3, 5), ramp(23));

    // x's layout message lies in the continuation block; byte 1661 is its dimensionality (3: two dimensions and
    // the element). Damaged, x is an error that says so, and the other datasets still list and read.
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(int(bytes[1661]), 3);
    QTemporaryDir dir;
    for (const int dims : {0, 5}) {
      bytes[1661] = char(dims);
      const std::string damaged = dir.filePath("damaged.h5").toStdString();
      writeFile(damaged, bytes);
      const auto rest = listHdf5Datasets(damaged);
      QCOMPARE(rest.size(), size_t(2));
      QVERIFY(!findInfo(rest, "x"));
      try {
        open(damaged, 0, "x", "group/labels");
        QFAIL("a damaged layout was read");
      } catch (const Error& e) {
        const std::string expected = "x in damaged.h5: a dataset's chunk layout is damaged (dimensionality " +
                                     std::to_string(dims) + " for a shape of 2 dimensions";
        QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
      }
      QCOMPARE(open(damaged, 0, "group/unlimited", "group/labels").train.size(), 6);
    }
  }

  void csvHeaderAndNamedLabels() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("animals.csv").toStdString();
    writeFile(path, "a,b,species\n1,2,dog\n3,4,cat\n5,6,dog\n");
    const CsvData c = readCsv(path);
    QVERIFY(c.header);
    QCOMPARE(c.labelName, std::string("species"));
    QCOMPARE(c.columns, (std::vector<std::string>{"a", "b"}));
    const DataSplit d = open(path);
    QCOMPARE(d.train.classNames, (std::vector<std::string>{"cat", "dog"}));  // sorted, not by first appearance
    QCOMPARE(d.train.labels, (std::vector<int>{1, 0, 1}));
    QCOMPARE(d.train.x(1, 2), 6.0f);
  }

  void csvSeparatorsQuotesAndLabelColumns() {
    QTemporaryDir dir;
    const auto path = [&](const char* name) { return dir.filePath(name).toStdString(); };
    writeFile(path("semi.csv"), "1;2;x\n3;4;y\n");  // one textual column: the labels
    CsvData c = readCsv(path("semi.csv"));
    QVERIFY(!c.header && c.separator == ';' && c.labels.names == (std::vector<std::string>{"x", "y"}));
    writeFile(path("tabs.tsv"), "\"a\"\t\"b,\"\"c\"\"\"\n1\t2\n");
    c = readCsv(path("tabs.tsv"));
    QVERIFY(c.header && c.columns[1] == "b,\"c\"" && c.labels.size() == 0);
    writeFile(path("blank.txt"), "# numpy.savetxt\n1.0 2.0 -3e-1\n\n4.0 5.0 6.0\n");
    c = readCsv(path("blank.txt"));
    QVERIFY(c.separator == ' ' && c.x.cols() == 2 && std::abs(c.x(2, 0) + 0.3f) < 1e-7f);
    writeFile(path("last.csv"), "0,1,2\n1,2,10\n3,4,1\n5,6,2\n");
    c = readCsv(path("last.csv"), {"last", HeaderMode::Yes});
    QVERIFY(c.header && c.x.cols() == 3 && c.labelName == "2");
    DataRequest r;
    r.path = path("last.csv");
    r.labelColumn = "last";
    r.testFraction = 0;
    const DataSplit d = openData(r);
    QCOMPARE(d.train.size(), 4);  // no header detected: every line is a sample
    QCOMPARE(d.train.classNames, (std::vector<std::string>{"1", "2", "10"}));  // integers sorted numerically
    QCOMPARE(d.train.labels, (std::vector<int>{1, 2, 0, 1}));
    r.labelColumn = "0";
    QCOMPARE(openData(r).train.classNames.front(), std::string("0"));
    r.labelColumn = "none";
    QVERIFY(!openData(r).train.hasLabels());
  }

  void csvTestFileAndClassesFile() {
    QTemporaryDir dir;
    const auto path = [&](const char* name) { return dir.filePath(name).toStdString(); };
    writeFile(path("train.csv"), "x,y,label\n1,2,cat\n3,4,dog\n");
    writeFile(path("test.csv"), "x,y,label\n5,6,bird\n7,8,dog\n");
    DataRequest r;
    r.path = path("train.csv");
    r.testPath = path("test.csv");
    const DataSplit d = openData(r);
    QCOMPARE(d.train.classNames, (std::vector<std::string>{"bird", "cat", "dog"}));
    QCOMPARE(d.test.labels, (std::vector<int>{0, 2}));
    // Integer labels 1..3 with a classes file of three names: counted from 1.
    writeFile(path("ints.csv"), "1,1\n2,2\n3,3\n4,1\n");
    writeFile(path("classes.txt"), "# one name a line\nred\n\ngreen\nblue\n");
    r = DataRequest{};
    r.path = path("ints.csv");
    r.labelColumn = "last";
    r.classesPath = path("classes.txt");
    r.testFraction = 0;
    const DataSplit c = openData(r);
    QCOMPARE(c.train.classNames, (std::vector<std::string>{"red", "green", "blue"}));
    QCOMPARE(c.train.labels, (std::vector<int>{0, 1, 2, 0}));
  }
};

QTEST_GUILESS_MAIN(ArrayReadersTest)
#include "ArrayReadersTest.moc"
