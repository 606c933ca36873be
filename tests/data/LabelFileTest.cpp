// The label file: round trip, atomic replacement with a previous copy, a cut-off file detected and the
// previous good copy used, foreign files refused, CSV import and export.
#include <QtTest/QtTest>

#include <QTemporaryDir>
#include <filesystem>
#include <fstream>

#include "engine/core/Error.h"
#include "engine/data/LabelFile.h"

using namespace latentlab;

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

  void csvExportAndImportWithClassNames() {
    const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover"};
    const auto p = path("export.csv");
    exportLabelsCsv(p, {{5, 1, LabelSource::User}, {9, 2, LabelSource::AcceptedPrediction}}, names);
    const auto back = importLabelsCsv(p, names, 100);
    QCOMPARE(back.size(), size_t(2));
    QCOMPARE(back[0].label, 1);
    QVERIFY(back[1].source == LabelSource::AcceptedPrediction);
    write(p, "index,label\n3,Pullover\n4, 0\n");
    const auto plain = importLabelsCsv(p, names, 100);
    QCOMPARE(plain.size(), size_t(2));
    QCOMPARE(plain[0].label, 2);
    QCOMPARE(plain[1].label, 0);
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
