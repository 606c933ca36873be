#pragma once
// Parses the sample indices a user types: "3, 17 42" or ranges "10-14", separated by commas or spaces.
// Every index must lie in [0, size); the message names the first bad item.
#include <QRegularExpression>
#include <QString>
#include <QVector>

struct IndexList {
  QVector<int> indices;
  QString error;  // empty when parsing succeeded
  bool ok() const { return error.isEmpty(); }

  static IndexList parse(const QString& text, int size, int maxCount = 1000) {
    IndexList r;
    const QStringList items = text.split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts);
    static const QRegularExpression range("^(\\d+)-(\\d+)$");
    for (const QString& item : items) {
      bool okA = false, okB = true;
      int a = item.toInt(&okA), b = a;
      if (const auto m = range.match(item); m.hasMatch()) {
        a = m.captured(1).toInt(&okA);
        b = m.captured(2).toInt(&okB);
      }
      if (!okA || !okB || a > b) {
        r.error = QStringLiteral("'%1' is not an index or a range like 10-14").arg(item);
        return r;
      }
      if (a < 0 || b >= size) {
        r.error = QStringLiteral("%1 is outside the test set (0..%2)").arg(item).arg(size - 1);
        return r;
      }
      for (int i = a; i <= b; ++i) {
        if (r.indices.size() >= maxCount) {
          r.error = QStringLiteral("at most %1 indices").arg(maxCount);
          return r;
        }
        r.indices << i;
      }
    }
    if (r.indices.isEmpty()) r.error = QStringLiteral("no index given");
    return r;
  }
};
