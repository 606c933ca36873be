#pragma once
// The experiment report's rows as the plots of widgets/ExperimentPlots, and the report's plot renderer built
// on them (the CLI's `experiment report` and the Experiments window both draw with it).
#include <QVector>

#include "engine/experiment/ExperimentReport.h"
#include "widgets/ExperimentPlots.h"

// SS and EQ_S accuracy against label count; ticks at the label counts ("all (60000)" at the count used).
QVector<PlotSeries> accuracySeries(const std::vector<latentlab::ClassificationRow>& rows, QVector<double>* ticks,
                                   QVector<QString>* tickLabels);
// AUROC per held-out class: labels off, labels on, PCA, autoencoder.
QVector<PlotSeries> aurocSeries(const std::vector<latentlab::AnomalyRow>& rows);

void showAccuracy(LabelCurvePlot* plot, const std::vector<latentlab::ClassificationRow>& rows, const QString& title);
void showAuroc(ClassBarsPlot* plot, const std::vector<latentlab::AnomalyRow>& rows, const QString& title);

// Draws offscreen into PNG files; needs a QApplication.
latentlab::ReportPlotter makeReportPlotter();
