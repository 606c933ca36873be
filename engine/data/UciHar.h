#pragma once
// The UCI-HAR layout (Human Activity Recognition Using Smartphones, Anguita et al. 2013), as it unpacks:
//   UCI HAR Dataset/activity_labels.txt          "1 WALKING" ... "6 LAYING": class names, ids 1..K in order
//   UCI HAR Dataset/{train,test}/y_{train,test}.txt                     one label a line, 1..K
//   UCI HAR Dataset/{train,test}/Inertial Signals/SIGNAL_{train,test}.txt   N lines of T blank-separated values
// The channels are the signal files that are there, in this fixed order (the same files in both splits):
//   body_acc_x, body_acc_y, body_acc_z, body_gyro_x, body_gyro_y, body_gyro_z, total_acc_x, total_acc_y,
//   total_acc_z
// so an accelerometer-only copy (body_acc_*, total_acc_*) is 6 channels. Samples are SampleShape::sequence(T,
// channels), T (the window length, 128 in the original) read from the files; values are kept as they are
// (acceleration in g, angular velocity in rad/s). Every signal file of both splits must have the same number of
// values on every line; a split's signal files and y file the same number of lines. A split without its y file
// is unlabelled; without activity_labels.txt the classes are named by their numbers 1..K (K the largest label).
// Errors name the file and the line: Error("UciHar", "body_acc_x_train.txt: line 12: ...").
#include <string>
#include <vector>

#include "engine/data/Dataset.h"

namespace latentlab {

// The nine signal names in channel order.
const std::vector<std::string>& uciHarSignals();

// The "UCI HAR Dataset" folder at path or directly inside it; empty when neither holds train/Inertial Signals.
std::string findUciHarFolder(const std::string& path);

DataSplit loadUciHar(const std::string& folder);

}  // namespace latentlab
