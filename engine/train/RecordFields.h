#pragma once
// One field table per history record, walked by the model file's columns, the dashboard, its CSV export and the
// CLI's JSON. A record's columns are its own fields (the table here), then its losses (kStepLossFields, in
// StepLosses.h): StepRecord::losses, EpochReport::mean. A column is addressed by its index in that order.
#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>

#include "engine/model/StepLosses.h"
#include "engine/train/Trainer.h"

namespace latentlab {

template <typename Record>
struct RecordField {
  const char* name;
  double (*get)(const Record&);
  bool (*set)(Record&, double);  // false: the value does not fit the field (an integer field's NaN, -1 or 2^70)
};

namespace detail {
// Integer fields hold counts: whole numbers from 0 to the type's maximum. A double outside that range would be
// undefined behaviour to convert.
template <typename T>
bool fits(double v) {
  if constexpr (std::is_integral_v<T>)
    return v >= 0 && v < std::ldexp(1.0, std::numeric_limits<T>::digits) && v == std::floor(v);
  else
    return true;
}
template <typename Record, auto Member>
constexpr RecordField<Record> field(const char* name) {
  using T = std::remove_cvref_t<decltype(std::declval<Record&>().*Member)>;
  return {name, [](const Record& r) { return double(r.*Member); },
          [](Record& r, double v) {
            if (!fits<T>(v)) return false;
            r.*Member = T(v);
            return true;
          }};
}
}  // namespace detail

inline constexpr RecordField<StepRecord> kStepRecordFields[] = {
    detail::field<StepRecord, &StepRecord::step>("step"),
    detail::field<StepRecord, &StepRecord::epoch>("epoch"),
    detail::field<StepRecord, &StepRecord::learningRate>("learning_rate"),
    detail::field<StepRecord, &StepRecord::beta>("beta"),
};

inline constexpr RecordField<EpochReport> kEpochReportFields[] = {
    detail::field<EpochReport, &EpochReport::epoch>("epoch"),
    detail::field<EpochReport, &EpochReport::step>("step"),
    detail::field<EpochReport, &EpochReport::seconds>("seconds"),
    detail::field<EpochReport, &EpochReport::testAccuracy>("test_accuracy"),
    detail::field<EpochReport, &EpochReport::labels>("labels"),
    detail::field<EpochReport, &EpochReport::baselineAccuracy>("baseline_accuracy"),
    detail::field<EpochReport, &EpochReport::validationAccuracy>("validation_accuracy"),
    detail::field<EpochReport, &EpochReport::validationElbo>("validation_elbo"),
    detail::field<EpochReport, &EpochReport::agreement>("agreement"),
};

inline std::span<const RecordField<StepRecord>> recordFields(const StepRecord*) { return kStepRecordFields; }
inline std::span<const RecordField<EpochReport>> recordFields(const EpochReport*) { return kEpochReportFields; }
inline StepLosses& lossesOf(StepRecord& r) { return r.losses; }
inline const StepLosses& lossesOf(const StepRecord& r) { return r.losses; }
inline StepLosses& lossesOf(EpochReport& r) { return r.mean; }
inline const StepLosses& lossesOf(const EpochReport& r) { return r.mean; }

inline constexpr int kStepLossCount = int(std::size(kStepLossFields));

template <typename Record>
int columnCount() {
  return int(recordFields(static_cast<const Record*>(nullptr)).size()) + kStepLossCount;
}

template <typename Record>
const char* columnName(int i) {
  const auto own = recordFields(static_cast<const Record*>(nullptr));
  return i < int(own.size()) ? own[size_t(i)].name : kStepLossFields[i - own.size()].name;
}

// -1 for a name the record does not have.
template <typename Record>
int columnIndex(std::string_view name) {
  for (int i = 0; i < columnCount<Record>(); ++i)
    if (name == columnName<Record>(i)) return i;
  return -1;
}

template <typename Record>
double columnValue(const Record& r, int i) {
  const auto own = recordFields(&r);
  return i < int(own.size()) ? own[size_t(i)].get(r) : lossesOf(r).*kStepLossFields[i - own.size()].member;
}

// False when the value does not fit the column (see RecordField::set).
template <typename Record>
bool setColumnValue(Record& r, int i, double v) {
  const auto own = recordFields(&r);
  if (i < int(own.size())) return own[size_t(i)].set(r, v);
  lossesOf(r).*kStepLossFields[i - own.size()].member = v;
  return true;
}

}  // namespace latentlab
