// Bad input, table-driven: every bad file gives a latentlab::Error that names the file and the line (text
// formats) or the array and field (binary formats), and says what is wrong. openData returns a whole DataSplit
// or throws, so nothing is ever loaded half.
#include <QtTest/QtTest>
#include <functional>
#include <map>

#include "DataTestSupport.h"
#include "engine/data/DataSource.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

using Files = std::map<std::string, std::string>;

// A valid UCI-HAR layout: two signals, 3 training and 2 test windows of 4 steps.
Files har() {
  const std::string d = "UCI HAR Dataset/";
  Files f;
  f[d + "activity_labels.txt"] = "1 WALKING\n2 SITTING\n";
  for (const std::string split : {"train", "test"}) {
    const int n = split == "train" ? 3 : 2;
    std::string y, v;
    for (int i = 0; i < n; ++i) {
      y += std::to_string(1 + i % 2) + "\n";
      v += "  1.0e+000  2.0e+000  3.0e+000  4.0e+000\n";
    }
    f[d + split + "/y_" + split + ".txt"] = y;
    for (const std::string s : {"body_acc_x", "body_acc_y"})
      f[d + split + "/Inertial Signals/" + s + "_" + split + ".txt"] = v;
  }
  return f;
}
Files har(const std::string& file, const std::string& content) {
  Files f = har();
  f["UCI HAR Dataset/" + file] = content;
  return f;
}

const std::string kTsHeader =
    "@problemName Bad\n@timeStamps false\n@missing false\n@univariate false\n@dimensions 2\n"
    "@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n";  // data starts on line 10
Files ts(const std::string& data, const std::string& header = kTsHeader) { return {{"bad.ts", header + data}}; }

std::string f32(std::vector<float> v) { return raw(v); }
std::string i64(std::vector<int64_t> v) { return raw(v); }
const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

struct BadCase {
  const char* name;
  Files files;
  std::string path;  // relative to the folder of the files
  std::function<void(DataRequest&)> options;
  QStringList expected;
};

std::vector<BadCase> cases() {
  const std::string npzX = npy("<f4", "(4, 2)", f32({1, 2, 3, 4, 5, 6, 7, 8}));
  const std::string npzY = npy("<i8", "(3,)", i64({0, 1, 0}));
  std::string corrupt = zip({{"x.npy", npzX}}, false);
  corrupt[60] ^= 0x55;  // a byte of the array's data: the CRC no longer matches
  std::string bomb = zip({{"x.npy", npzX}}, true);
  {  // declare 4 GB uncompressed for a few dozen deflated bytes
    const size_t cd = bomb.find(std::string("PK\x01\x02", 4));
    for (int i = 0; i < 4; ++i) bomb[cd + 24 + size_t(i)] = char(0xff);
    bomb[cd + 27] = char(0x7f);
  }
  return {
      // UCI-HAR
      {"har channel files of different line counts",
       har("train/Inertial Signals/body_acc_y_train.txt", "  1 2 3 4\n  1 2 3 4\n"),
       "UCI HAR Dataset",
       {},
       {"body_acc_y_train.txt", "2 lines, but body_acc_x_train.txt has 3"}},
      {"har channel files of different lengths",
       har("train/Inertial Signals/body_acc_y_train.txt", "1 2 3\n1 2 3\n1 2 3\n"),
       "UCI HAR Dataset",
       {},
       {"body_acc_y_train.txt", "lines of 3 values, but body_acc_x_train.txt has 4"}},
      {"har ragged line",
       har("test/Inertial Signals/body_acc_x_test.txt", "1 2 3 4\n1 2 3\n"),
       "UCI HAR Dataset",
       {},
       {"body_acc_x_test.txt: line 2: 3 values, but line 1 has 4"}},
      {"har non-numeric value",
       har("train/Inertial Signals/body_acc_x_train.txt", "1 2 3 4\n1 2 3 4\n1 2 x3 4\n"),
       "UCI HAR Dataset",
       {},
       {"body_acc_x_train.txt: line 3: value 'x3' is not a number"}},
      {"har NaN value",
       har("train/Inertial Signals/body_acc_x_train.txt", "1 2 3 4\nNaN 2 3 4\n1 2 3 4\n"),
       "UCI HAR Dataset",
       {},
       {"body_acc_x_train.txt: line 2: value 'NaN' is not finite"}},
      {"har label outside the classes",
       har("train/y_train.txt", "1\n3\n2\n"),
       "UCI HAR Dataset",
       {},
       {"y_train.txt: line 2: label '3' is outside the classes 1..2"}},
      {"har labels and windows of different counts",
       har("test/y_test.txt", "1\n2\n1\n"),
       "UCI HAR Dataset",
       {},
       {"y_test.txt: 3 labels for the 2 lines of body_acc_x_test.txt"}},
      {"har signal missing from the test split",
       [] {
         Files f = har();
         f["UCI HAR Dataset/train/Inertial Signals/total_acc_z_train.txt"] = "1 2 3 4\n1 2 3 4\n1 2 3 4\n";
         return f;
       }(),
       "UCI HAR Dataset",
       {},
       {"total_acc_z_train.txt is there but not total_acc_z_test.txt"}},
      {"har class names out of order",
       har("activity_labels.txt", "1 WALKING\n3 SITTING\n"),
       "UCI HAR Dataset",
       {},
       {"activity_labels.txt: line 2: class number '3' where 2 was expected"}},
      {"har empty line inside",
       har("train/y_train.txt", "1\n\n2\n1\n"),
       "UCI HAR Dataset",
       {},
       {"y_train.txt: line 2: empty line before the last label"}},

      // .ts
      {"ts channel count against @dimensions",
       ts("1,2,3:1,2,3:a\n1,2,3:b\n"),
       "bad.ts",
       {},
       {"bad.ts: line 11: 1 channel, but the header declares 2"}},
      {"ts label outside @classLabel",
       ts("1,2,3:1,2,3:a\n1,2,3:1,2,3:c\n"),
       "bad.ts",
       {},
       {"bad.ts: line 11: class 'c' is not one of @classLabel's (a b)"}},
      {"ts missing value under @missing false",
       ts("1,?,3:1,2,3:a\n"),
       "bad.ts",
       {},
       {"bad.ts: line 10: missing value '?'", "@missing false"}},
      {"ts length against @seriesLength",
       ts("1,2,3:1,2,3:a\n1,2,3,4:1,2,3,4:b\n"),
       "bad.ts",
       {},
       {"bad.ts: line 11: channel 1 has 4 values, but the header says @seriesLength 3"}},
      {"ts unequal lengths under @equalLength true",
       ts("1,2:1,2:a\n1,2,3:1,2,3:b\n", "@dimensions 2\n@equalLength true\n@classLabel true a b\n@data\n"),
       "bad.ts",
       {},
       {"bad.ts: line 6: channel 1 has 3 values", "@equalLength true and the series on line 5 has 2"}},
      {"ts non-numeric value",
       ts("1,2,3:1,x2,3:a\n"),
       "bad.ts",
       {},
       {"bad.ts: line 10: channel 2: value 'x2' is not a number"}},
      {"ts infinite value",
       ts("1,2,3:1,1e999,3:a\n"),
       "bad.ts",
       {},
       {"bad.ts: line 10: channel 2: value '1e999' is infinite"}},
      {"ts ragged empty channel", ts("1,2,3::a\n"), "bad.ts", {}, {"bad.ts: line 10: channel 2 is empty"}},
      {"ts all-missing channel",
       ts("1,2:?,?:a\n", "@dimensions 2\n@missing true\n@classLabel true a b\n@data\n"),
       "bad.ts",
       {},
       {"bad.ts: line 5: channel 2 has no values (all missing)"}},
      {"ts without @data",
       {{"bad.ts", "@problemName X\n@classLabel false\n"}},
       "bad.ts",
       {},
       {"bad.ts: no @data line"}},
      {"ts with timestamps",
       {{"bad.ts", "@timeStamps true\n@classLabel false\n@data\n"}},
       "bad.ts",
       {},
       {"bad.ts: line 1: @timeStamps true"}},
      {"ts univariate against dimensions",
       {{"bad.ts", "@univariate true\n@dimensions 3\n@classLabel false\n@data\n1,2\n"}},
       "bad.ts",
       {},
       {"bad.ts: line 4: @univariate true but @dimensions 3"}},
      {"ts header boolean",
       {{"bad.ts", "@missing maybe\n"}},
       "bad.ts",
       {},
       {"bad.ts: line 1: @missing is 'maybe', neither true nor false"}},
      {"ts pair with other channels",
       {{"P_TRAIN.ts", "@classLabel true a\n@data\n1,2:3,4:a\n"}, {"P_TEST.ts", "@classLabel true a\n@data\n1,2:a\n"}},
       ".",
       {},
       {"P_TEST.ts: 1 channel, but P_TRAIN.ts has 2"}},

      // CSV
      {"csv ragged line",
       {{"d.csv", "a,b,c\n1,2,3\n4,5\n"}},
       "d.csv",
       {},
       {"d.csv: line 3: 2 fields, but line 1 has 3"}},
      {"csv non-numeric field",
       {{"d.csv", "a,b\n1,2\n3,x\n"}},
       "d.csv",
       [](DataRequest& r) { r.labelColumn = "none"; },
       {"d.csv: line 3: column 1 ('b'): value 'x' is not a number"}},
      {"csv NaN", {{"d.csv", "1,2\nnan,4\n"}}, "d.csv", {}, {"d.csv: line 2: column 0: value 'nan' is not finite"}},
      {"csv empty field",
       {{"d.csv", "1,2,3\n4,,6\n"}},
       "d.csv",
       [](DataRequest& r) { r.labelColumn = "last"; },
       {"d.csv: line 2: column 1: value '' is not a number"}},
      {"csv label column not in the header",
       {{"d.csv", "a,b\n1,2\n"}},
       "d.csv",
       [](DataRequest& r) { r.labelColumn = "species"; },
       {"d.csv: line 1: no column named 'species' in the header"}},
      {"csv label index out of range",
       {{"d.csv", "1,2\n3,4\n"}},
       "d.csv",
       [](DataRequest& r) { r.labelColumn = "5"; },
       {"d.csv: line 1: --label-column 5 is outside the 2 columns"}},
      {"csv label outside the classes file",
       {{"d.csv", "1,cat\n2,dgo\n"}, {"classes.txt", "cat\ndog\n"}},
       "d.csv",
       [](DataRequest& r) { r.classesPath = "classes.txt"; },
       {"d.csv: line 2: label 'dgo' is not one of the classes in classes.txt"}},
      {"csv integer label outside the classes file",
       {{"d.csv", "1,1\n2,2\n3,7\n"}, {"classes.txt", "a\nb\nc\n"}},
       "d.csv",
       [](DataRequest& r) {
         r.classesPath = "classes.txt";
         r.labelColumn = "last";
       },
       {"d.csv: line 3: label 7 is outside the 3 classes of classes.txt"}},
      {"csv header only",
       {{"d.csv", "a,b,label\n"}},
       "d.csv",
       [](DataRequest& r) { r.header = HeaderMode::Yes; },
       {"d.csv: no samples after the header"}},
      {"csv unterminated quote", {{"d.csv", "1,\"2\n"}}, "d.csv", {}, {"d.csv: line 1: unterminated quoted field"}},
      {"csv test file of other width",
       {{"a.csv", "1,2\n3,4\n"}, {"b.csv", "1,2,3\n"}},
       "a.csv",
       [](DataRequest& r) { r.testPath = "b.csv"; },
       {"b.csv: test samples are 3 features but training samples are 2"}},
      {"csv duplicate class name",
       {{"d.csv", "1,2\n"}, {"classes.txt", "a\nb\na\n"}},
       "d.csv",
       [](DataRequest& r) { r.classesPath = "classes.txt"; },
       {"classes.txt: line 3: class 'a' is already named on line 1"}},

      // NumPy
      {"npy wrong dtype for X",
       {{"x.npy", npy("<i8", "(2, 2)", i64({1, 2, 3, 4}))}},
       "x.npy",
       {},
       {"x.npy: X is int64; it must be float32, float64 or uint8"}},
      {"npy unsupported dtype",
       {{"x.npy", npy("<U1", "(2,)", std::string(8, 'a'))}},
       "x.npy",
       {},
       {"x.npy: dtype '<U1' is not supported"}},
      {"npy truncated data",
       {{"x.npy", npy("<f4", "(4, 3)", f32({1, 2, 3}))}},
       "x.npy",
       {},
       {"x.npy: shape 4 x 3 needs 48 bytes of data, the file holds 12"}},
      {"npy extra bytes",
       {{"x.npy", npy("<f4", "(1, 1)", f32({1, 2}))}},
       "x.npy",
       {},
       {"x.npy: 4 bytes after the 1 x 1 array"}},
      {"npy too large declared shape",
       {{"x.npy", npy("<f4", "(1099511627776, 4)", "")}},
       "x.npy",
       {},
       {"x.npy: 1099511627776 x 4 is more than the 4294967296 values an array may hold"}},
      {"npy overflowing shape",
       {{"x.npy", npy("<f8", "(4611686018427387904, 4611686018427387904)", "")}},
       "x.npy",
       {},
       {"x.npy", "more than the 4294967296 values"}},
      {"npy NaN in X",
       {{"x.npy", npy("<f4", "(2, 3)", f32({1, 2, 3, 4, 5, kNaN}))}},
       "x.npy",
       {},
       {"x.npy: X[1, 2] is NaN"}},
      {"npy infinity in X",
       {{"x.npy", npy("<f4", "(2, 2, 3)", f32({1, 2, 3, 4, 5, 6, 1, kInf, 3, 4, 5, 6}))}},
       "x.npy",
       {},
       {"x.npy: X[1, 0, 1] is infinite"}},
      {"npy one-dimensional X",
       {{"x.npy", npy("<f4", "(4,)", f32({1, 2, 3, 4}))}},
       "x.npy",
       {},
       {"x.npy: X is 4; it must be n x D"}},
      {"npy bad magic", {{"x.npy", "NUMPY not really"}}, "x.npy", {}, {"x.npy: not an .npy array"}},
      {"npy broken header",
       {{"x.npy", npy("<f4", "(2, oops)", f32({1, 2}))}},
       "x.npy",
       {},
       {"x.npy: shape holds something other than sizes"}},
      {"npy labels of another count",
       {{"x.npy", npy("<f4", "(4, 2)", f32({1, 2, 3, 4, 5, 6, 7, 8}))}, {"y.npy", npzY}},
       "x.npy",
       [](DataRequest& r) { r.y = "y.npy"; },
       {"y.npy: 3 labels for 4 samples in X"}},
      {"npy fractional labels",
       {{"x.npy", npy("<f4", "(2, 1)", f32({1, 2}))}, {"y.npy", npy("<f4", "(2,)", f32({0, 0.5f}))}},
       "x.npy",
       [](DataRequest& r) { r.y = "y.npy"; },
       {"y.npy: y[1] = 0.5", "not a class number"}},
      {"npy one-hot labels",
       {{"x.npy", npy("<f4", "(2, 1)", f32({1, 2}))}, {"y.npy", npy("<f4", "(2, 2)", f32({1, 0, 0, 1}))}},
       "x.npy",
       [](DataRequest& r) { r.y = "y.npy"; },
       {"y.npy: y is 2 x 2; it must be n or n x 1"}},
      {"npz X and y of different counts",
       {{"d.npz", zip({{"x.npy", npzX}, {"y.npy", npzY}}, false)}},
       "d.npz",
       {},
       {"y in d.npz: 3 labels for 4 samples in X"}},
      {"npz without x",
       {{"d.npz", zip({{"a.npy", npzX}, {"b.npy", npzY}}, true)}},
       "d.npz",
       {},
       {"d.npz: no array named x or X (arrays: a, b); choose one with --x NAME"}},
      {"npz named array absent",
       {{"d.npz", zip({{"x.npy", npzX}}, true)}},
       "d.npz",
       [](DataRequest& r) { r.y = "target"; },
       {"d.npz: no array named 'target' (arrays: x)"}},
      {"npz damaged data (CRC)", {{"d.npz", corrupt}}, "d.npz", {}, {"d.npz: x.npy: CRC-32 mismatch"}},
      {"npz truncated archive",
       {{"d.npz", zip({{"x.npy", npzX}}, true).substr(0, 40)}},
       "d.npz",
       {},
       {"d.npz: not a zip archive"}},
      {"npz decompression bomb",
       {{"d.npz", bomb}},
       "d.npz",
       {},
       {"d.npz: x.npy: declares", "more than deflate can produce"}},

      // HDF5 (the h5py fixture)
      {"hdf5 string X",
       {},
       "@arrays.h5",
       [](DataRequest& r) { r.x = "names"; },
       {"names in arrays.h5: type string is not supported"}},
      {"hdf5 X and y of different counts",
       {},
       "@arrays.h5",
       [](DataRequest& r) { r.y = "short_labels"; },
       {"short_labels in arrays.h5: 5 labels for 6 samples in X"}},
      {"hdf5 never-written dataset",
       {},
       "@arrays.h5",
       [](DataRequest& r) { r.x = "never_written"; },
       {"never_written in arrays.h5", "needs 400000000 bytes but the file stores 0"}},
      {"hdf5 absent dataset",
       {},
       "@arrays.h5",
       [](DataRequest& r) { r.x = "/no/such"; },
       {"arrays.h5: no array named '/no/such'"}},
      {"hdf5 not an HDF5 file", {{"d.h5", "just text"}}, "d.h5", {}, {"d.h5: not an HDF5 file"}},
  };
}

}  // namespace

class BadDataTest : public QObject {
  Q_OBJECT

 private slots:
  void badInput_data() {
    QTest::addColumn<int>("index");
    const auto all = cases();
    for (size_t i = 0; i < all.size(); ++i) QTest::newRow(all[i].name) << int(i);
  }

  void badInput() {
    QFETCH(int, index);
    const BadCase c = cases()[size_t(index)];
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString() + "/";
    for (const auto& [name, bytes] : c.files) writeFile(root + name, bytes);
    DataRequest r;
    r.path = c.path.front() == '@' ? fixture(c.path.substr(1)) : root + c.path;
    if (c.options) c.options(r);
    for (std::string* p : {&r.testPath, &r.classesPath})
      if (!p->empty()) *p = root + *p;
    if (!r.y.empty() && r.y.find(".npy") != std::string::npos) r.y = root + r.y;
    expectError([&] { openData(r); }, c.expected);
  }

  // A folder holding only part of a layout says what it lacks.
  void partialLayouts() {
    QTemporaryDir dir;
    writeFile(dir.filePath("UCI HAR Dataset/train/Inertial Signals/readme").toStdString(), "");
    DataRequest r;
    r.path = dir.path().toStdString();
    expectError([&] { openData(r); }, {"no signal files in train/Inertial Signals"});
  }
};

QTEST_GUILESS_MAIN(BadDataTest)
#include "BadDataTest.moc"
