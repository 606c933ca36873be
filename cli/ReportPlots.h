#pragma once
// The report's plot renderer: QCustomPlot drawn offscreen (cli/ReportPlotsQt.cpp) when the workbench is built,
// none otherwise (cli/ReportPlotsNone.cpp: the report lists the plots it could not draw).
#include "engine/experiment/ExperimentReport.h"

namespace latentlab::cli {
const ReportPlotter* reportPlotter();
}
