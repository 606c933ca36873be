// The label file: round trip, atomic replacement with a previous copy, a cut-off file detected and the
// previous good copy used, foreign files refused, CSV import and export.
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "engine/core/Error.h"
#include "engine/data/LabelFile.h"

using namespace latentlab;

namespace {

// The label file's checksum (FNV-1a 64 of the body), to build damaged files that pass it.
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

// A version 1 label file around `body` (header and rows) with a correct checksum and the given count (files
// written before version 2 are still read).
std::string sealed(const std::string& body, size_t count) {
  return "# latentlab labels 1\n# dataset fnv1a64:00000000deadbeef\n" + body + "# end " + std::to_string(count) + " " +
         fnv(body) + "\n";
}

std::string readText(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class LabelFileTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) { return (dir_.path() + "/" + name).toStdString(); }
  static LabelFileContent content(int n) {
    LabelFileContent c{"fnv1a64:00000000deadbeef", {}};
    for (int i = 0; i < n; ++i) c.entries.push_back({i * 7, i % 10, i % 2 ? LabelSource::User : LabelSource::Initial});
    return c;
  }
  static void write(const std::string& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

 private slots:
  void roundTrip() {
    const auto p = path("round.csv");
    writeLabelFile(p, content(25));
    const auto c = readLabelFile(p);
    QCOMPARE(c.datasetFingerprint, std::string("fnv1a64:00000000deadbeef"));
    QCOMPARE(c.entries.size(), size_t(25));
    QCOMPARE(c.entries[3].index, 21);
    QCOMPARE(c.entries[3].label, 3);
    QVERIFY(c.entries[3].source == LabelSource::User);
    QVERIFY(!std::filesystem::exists(p + ".part"));
  }

  void eachWriteKeepsThePreviousCopy() {
    const auto p = path("prev.csv");
    writeLabelFile(p, content(1));
    writeLabelFile(p, content(2));
    QCOMPARE(readLabelFile(p).entries.size(), size_t(2));
    QCOMPARE(readLabelFile(previousCopyPath(p)).entries.size(), size_t(1));
  }

  void cutOffFileFallsBackToThePreviousCopy() {
    const auto p = path("cut.csv");
    writeLabelFile(p, content(10));
    writeLabelFile(p, content(11));
    const auto size = std::filesystem::file_size(p);
    for (auto keep : {size - 1, size / 2, uintmax_t(30)}) {  // cut at the very end, in the middle, in the header
      std::filesystem::resize_file(p, keep);
      QVERIFY_THROWS_EXCEPTION(Error, readLabelFile(p));
      const auto load = loadLabelFile(p);
      QVERIFY(load.found);
      QVERIFY(load.fromPrevious);
      QVERIFY(!load.warning.empty());
      QCOMPARE(load.content.entries.size(), size_t(10));  // the previous good copy
    }
    // A save over the damaged file keeps the last good copy as the previous one.
    writeLabelFile(p, content(12));
    QCOMPARE(readLabelFile(p).entries.size(), size_t(12));
    QCOMPARE(readLabelFile(previousCopyPath(p)).entries.size(), size_t(10));
  }

  void missingFileAfterAnInterruptedSaveUsesThePreviousCopy() {
    const auto p = path("gone.csv");
    writeLabelFile(p, content(3));
    writeLabelFile(p, content(4));
    std::filesystem::remove(p);  // the moment between keeping the previous copy and renaming the new one
    const auto load = loadLabelFile(p);
    QVERIFY(load.fromPrevious);
    QCOMPARE(load.content.entries.size(), size_t(3));
  }

  void newSessionHasNoFile() {
    const auto load = loadLabelFile(path("none.csv"));
    QVERIFY(!load.found);
    QVERIFY(load.content.entries.empty());
  }

  void damagedFileAndPreviousThrowWithTheReason() {
    const auto p = path("bad.csv");
    writeLabelFile(p, content(5));
    std::string text;
    {
      std::ifstream in(p);
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    text[text.find("\n21,") + 1] = '9';  // one digit changed: the checksum catches it
    write(p, text);
    try {
      readLabelFile(p);
      QFAIL("a changed digit was not detected");
    } catch (const Error& e) {
      QVERIFY(QString(e.what()).contains("checksum"));
    }
    write(p, "\x89HDF\r\n\x1a\n some other program's file");
    std::filesystem::remove(previousCopyPath(p));
    try {
      loadLabelFile(p);
      QFAIL("a foreign file was accepted");
    } catch (const Error& e) {
      QVERIFY(QString(e.what()).contains("not a Latentlab label file"));
      QVERIFY(QString(e.what()).contains("no previous copy"));
    }
  }

  // Every malformed label file gets a latentlab::Error (no other exception), and loadLabelFile then reads
  // the previous copy; the checksum-valid cases are damage a checksum cannot see (or a hand-edited file).
  void everyMalformedFileIsAnErrorAndFallsBack() {
    const std::string good = sealed("index,label,source\n0,3,user\n7,1,initial\n", 2);
    const std::pair<std::string, const char*> cases[] = {
        {"", "empty"},
        {"# latentlab labels 1\n# end 0 fnv1a64:0\n", "only 2 lines"},
        {"# latentlab labels 1\n# end 0 fnv1a64:0\nindex,label,source\n# end 0 " + fnv("") + "\n",
         "line 2: an end marker before the last line"},
        {"# latentlab labels 1\n# dataset x# end 0 " + fnv("") + "\n", "end marker is missing"},  // was out_of_range
        {"# latentlab labels 1\n# dataset x\n# end 0 " + fnv("") + "\n", "only 3 lines"},
        {"# latentlab labels 1", "end marker is missing"},
        {"# latentlab labels 1\n", "end marker is missing"},
        {"# latentlab labels 3\n# dataset x\nindex,label,source\n# end 0 x\n", "newer Latentlab (label file version 3"},
        {"# latentlab labels x\n# dataset x\nindex,label,source\n# end 0 x\n", "damaged first line"},
        {"# latentlab label 1\n# dataset x\nindex,label,source\n# end 0 x\n", "not a Latentlab label file"},
        {good.substr(0, good.size() - 1), "last line is incomplete"},
        {sealed("index,label,source\n0,3,user\n", 2), "1 entries where the end marker says 2"},
        {sealed("index,label,source\n0,3,user\n", 99999999999), "damaged end marker"},
        {sealed("index,label,source\n0,3,user\n", 1) + "\n", "line 5: an end marker before the last line"},
        {"# latentlab labels 1\n# dataset x\nindex,label,source\n# end 0\n", "damaged end marker"},
        {"# latentlab labels 1\n# dataset x\nindex,label,source\n# end -1 fnv1a64:0 more\n", "damaged end marker"},
        {"# latentlab labels 1\n# dataset x\nindex,label,source\n# end 0 fnv1a64:0\n", "checksum mismatch"},
        {"# latentlab labels 1\nsomething\nindex,label,source\n# end 0 " + fnv("index,label,source\n") + "\n",
         "line 2: expected '# dataset'"},
        {sealed("index,label\n0,3\n", 1), "line 3: expected the header"},
        {sealed("index,label,source\n0,3,user\n0,4,user\n", 2), "line 5: index 0 is already labelled on line 4"},
        {sealed("index,label,source\n-1,3,user\n", 1), "line 4: expected 'index,label,source'"},
        {sealed("index,label,source\n99999999999,3,user\n", 1), "line 4: expected"},
        {sealed("index,label,source\n1,x,user\n", 1), "line 4: expected"},
        {sealed("index,label,source\n1,2,somebody\n", 1), "line 4: unknown label source 'somebody'"},
        {sealed("index,label,source\n1,2,user,extra\n", 1), "line 4: expected"},
        {sealed("index,label,source\n\n", 1), "line 4: expected"},
        {sealed(std::string("index,label,source\n1,2,us\0er\n", 29), 1), "line 4: unknown label source 'us?er'"},
        {"# latentlab labels 1\r\n# dataset x\r\nindex,label,source\r\n# end 0 x\r\n", "not a Latentlab"},
        {"\x89HDF\r\n\x1a\n", "not a Latentlab label file"},
    };
    const auto p = path("malformed.csv");
    writeLabelFile(p, content(4));
    for (const auto& [text, message] : cases) {
      writeLabelFile(p, content(4));  // a good file, becoming the previous copy
      write(p, text);
      try {
        readLabelFile(p);
        QFAIL(qPrintable(QString("accepted: %1").arg(QString::fromStdString(text))));
      } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), qPrintable(QString(e.what()) + " lacks " + message));
      }
      const auto load = loadLabelFile(p);
      QVERIFY(load.fromPrevious);
      QCOMPARE(load.content.entries.size(), size_t(4));
      QVERIFY(QString::fromStdString(load.warning).contains(message));
    }
    // Not a file at all: a folder in its place, an oversized (sparse) file.
    writeLabelFile(p, content(4));
    writeLabelFile(p, content(5));
    std::filesystem::remove(p);
    std::filesystem::create_directory(p);
    QVERIFY_THROWS_EXCEPTION(Error, readLabelFile(p));
    QCOMPARE(loadLabelFile(p).content.entries.size(), size_t(4));
    std::filesystem::remove(p);
    write(p, "# latentlab labels 1\n");
    std::filesystem::resize_file(p, kMaxLabelTextBytes + 1);
    try {
      readLabelFile(p);
      QFAIL("an oversized file was read");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("more than the 512 MiB"), e.what());
    }
    QCOMPARE(loadLabelFile(p).content.entries.size(), size_t(4));
    std::filesystem::remove(p);
  }

  // Random damage (flips, cuts, insertions, deletions) of a good file: each is either refused with an Error
  // or, when the damage is invisible (a flip in the fingerprint line), reads the same entries.
  void randomDamageIsDetected() {
    const auto p = path("random.csv");
    writeLabelFile(p, content(30));
    const std::string good = readText(p);
    const auto goodEntries = readLabelFile(p).entries;
    std::mt19937 rng(12);
    int refused = 0, same = 0;
    for (int trial = 0; trial < 2000; ++trial) {
      std::string text = good;
      const size_t at = rng() % text.size();
      switch (trial % 4) {
        case 0:
          text[at] = char(text[at] ^ (1 << (rng() % 8)));
          break;
        case 1:
          text.resize(at);
          break;
        case 2:
          text.insert(at, 1, char(rng() % 256));
          break;
        case 3:
          text.erase(at, 1 + rng() % 4);
          break;
      }
      if (text == good) continue;
      try {
        const auto c = parseLabelFile(text, "random.csv");
        QCOMPARE(c.entries.size(), goodEntries.size());
        for (size_t i = 0; i < c.entries.size(); ++i) {
          QCOMPARE(c.entries[i].index, goodEntries[i].index);
          QCOMPARE(c.entries[i].label, goodEntries[i].label);
        }
        ++same;
      } catch (const Error&) {
        ++refused;
      }
    }
    // A version 1 file (rows-only checksum) written before still reads.
    write(p, sealed("index,label,source\n4,2,user\n", 1));
    QCOMPARE(readLabelFile(p).entries.at(0).index, 4);
    qInfo("2000 damaged copies: %d refused, %d read the same entries", refused, same);
    QCOMPARE(same, 0);  // version 2 checksums the fingerprint line too
  }

  // Saves leave no temporaries, and remove those of saves killed earlier (processes that no longer run).
  void savesCleanUpTemporaries() {
    const auto p = path("tidy.csv");
    int deadPid = 4000000;
    while (::kill(deadPid, 0) == 0 || errno != ESRCH) --deadPid;
    write(p + ".part-" + std::to_string(deadPid) + "-0", "left by a killed save");
    write(p + ".part-" + std::to_string(deadPid) + "-link3", "left by a killed save");
    write(p + ".part-1-0", "pid 1 runs: not stale");
    writeLabelFile(p, content(3));
    writeLabelFile(p, content(4));
    QVERIFY(!std::filesystem::exists(p + ".part-" + std::to_string(deadPid) + "-0"));
    QVERIFY(!std::filesystem::exists(p + ".part-" + std::to_string(deadPid) + "-link3"));
    QVERIFY(std::filesystem::exists(p + ".part-1-0"));
    std::filesystem::remove(p + ".part-1-0");
    int others = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path().toStdString()))
      others += e.path().filename().string().rfind("tidy.csv", 0) == 0;
    QCOMPARE(others, 2);  // the file and its previous copy
    // The previous copy is a snapshot of the old file, not a name for the new one.
    QCOMPARE(readLabelFile(previousCopyPath(p)).entries.size(), size_t(3));
    writeLabelFile(p, content(5));
    QCOMPARE(readLabelFile(previousCopyPath(p)).entries.size(), size_t(4));
    QCOMPARE(readLabelFile(p).entries.size(), size_t(5));
    // A save killed between its two renames leaves the previous copy and the file as links to one file;
    // the next save then leaves no temporary behind either.
    std::filesystem::remove(previousCopyPath(p));
    std::filesystem::create_hard_link(p, previousCopyPath(p));
    writeLabelFile(p, content(6));
    int left = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path().toStdString()))
      left += e.path().filename().string().rfind("tidy.csv.part-", 0) == 0;
    QCOMPARE(left, 0);
    QCOMPARE(readLabelFile(previousCopyPath(p)).entries.size(), size_t(5));
    QCOMPARE(readLabelFile(p).entries.size(), size_t(6));
  }

  void csvExportAndImportWithClassNames() {
    const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover"};
    const auto p = path("export.csv");
    exportLabelsCsv(p, {{5, 1, LabelSource::User}, {9, 2, LabelSource::AcceptedPrediction}}, names);
    const auto back = importLabelsCsv(p, names, 100).entries;
    QCOMPARE(back.size(), size_t(2));
    QCOMPARE(back[0].label, 1);
    QVERIFY(back[1].source == LabelSource::AcceptedPrediction);
    write(p, "index,label\n3,Pullover\n4, 0\n");
    const auto plain = importLabelsCsv(p, names, 100).entries;
    QCOMPARE(plain.size(), size_t(2));
    QCOMPARE(plain[0].label, 2);
    QCOMPARE(plain[1].label, 0);
  }

  // What spreadsheets and editors produce: a UTF-8 byte order mark, CRLF, blank and comment lines before the
  // header; an index on several rows (the last wins, counted).
  void csvImportToleratesWhatEditorsWrite() {
    const std::vector<std::string> names{"cat", "dog", "bird"};
    const auto p = path("editors.csv");
    write(p, "\xef\xbb\xbfindex,label\r\n1,dog\r\n2,0\r\n");
    auto r = importLabelsCsv(p, names, 10);
    QCOMPARE(r.entries.size(), size_t(2));
    QCOMPARE(r.entries[0].label, 1);
    write(p, "\n# exported by hand\n\n  Index , Label \n3,bird\n\n# a comment\n4,cat,initial\n");
    r = importLabelsCsv(p, names, 10);
    QCOMPARE(r.rows, 2);
    QCOMPARE(r.entries[1].index, 4);
    QVERIFY(r.entries[1].source == LabelSource::Initial);
    write(p,
          "\xef\xbb\xbf"
          "3,bird\n");  // no header at all
    QCOMPARE(importLabelsCsv(p, names, 10).entries.size(), size_t(1));
    write(p, "\"index\",\"label\"\n\"7\", \"dog\" ,user\n");  // quoted fields, as some spreadsheets write
    r = importLabelsCsv(p, names, 10);
    QCOMPARE(r.entries.at(0).index, 7);
    QCOMPARE(r.entries.at(0).label, 1);
    write(p, "index,label\n5,cat\n6,dog\n5,bird\n5,dog\n");
    r = importLabelsCsv(p, names, 10);
    QCOMPARE(r.rows, 4);
    QCOMPARE(r.duplicates, 2);
    QCOMPARE(r.entries.size(), size_t(2));
    QCOMPARE(r.entries[0].index, 5);
    QCOMPARE(r.entries[0].label, 1);  // the last row of index 5
  }

  void csvImportRefusesWhatIsNotACsv() {
    const std::vector<std::string> names{"0", "1"};
    auto expect = [&](const std::string& p, const char* message) {
      try {
        importLabelsCsv(p, names, 10);
        QFAIL(qPrintable(QString::fromStdString(p) + " was accepted"));
      } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
      }
    };
    std::filesystem::create_directory(path("a-folder"));
    expect(path("a-folder"), "is a folder, not a file");
    expect(path("no-such.csv"), "no such file");
    write(path("empty.csv"), "");
    expect(path("empty.csv"), "no label rows");
    write(path("header.csv"), "index,label,source\n\n");
    expect(path("header.csv"), "no label rows");
    write(path("utf16.csv"), std::string("\xff\xfei\0n\0", 6));
    expect(path("utf16.csv"), "UTF-16");
    write(path("binary.csv"), std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    expect(path("binary.csv"), "line 1: expected 'index,label' or 'index,label,source', found '?PNG'");
    write(path("open-quote.csv"), "index,label\n\"1,0\n");
    expect(path("open-quote.csv"), "line 2: a quote is not closed");
    write(path("semicolons.csv"), "index;label\n1;0\n");
    expect(path("semicolons.csv"), "line 1: fields are separated by ';', not commas");
    write(path("huge-index.csv"), "index,label\n99999999999999999999,1\n");
    expect(path("huge-index.csv"), "line 2: index '99999999999999999999' is not a training sample");
  }

  void csvImportNamesTheBadLine() {
    const std::vector<std::string> names{"0", "1", "2"};
    const auto p = path("bad-import.csv");
    const std::pair<const char*, const char*> cases[] = {
        {"index,label\n1,1\n2,7\n", "line 3: label '7'"},
        {"index,label\n100,1\n", "line 2: index '100'"},
        {"index,label\n-3,1\n", "line 2: index '-3'"},
        {"index,label\n1\n", "line 2: expected"},
        {"index,label\n1,1,somebody\n", "line 2: unknown source"},
    };
    for (const auto& [text, message] : cases) {
      write(p, text);
      try {
        importLabelsCsv(p, names, 100);
        QFAIL(text);
      } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
      }
    }
  }
};

QTEST_GUILESS_MAIN(LabelFileTest)
#include "LabelFileTest.moc"
