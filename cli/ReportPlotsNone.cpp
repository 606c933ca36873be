#include "cli/ReportPlots.h"

namespace latentlab::cli {
const ReportPlotter* reportPlotter() { return nullptr; }  // built without Qt: report.md only
}  // namespace latentlab::cli
