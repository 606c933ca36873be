#pragma once
// What the Generation tabs share, owned by the panel: the generator (null without a model), the data whose test
// images lend their styles (null when there are none that fit the model), the class names and the class picked
// in the class bar.
#include <QStringList>
#include <QVector>
#include <memory>
#include <vector>

#include "engine/data/Dataset.h"
#include "engine/generation/Generator.h"

namespace generation {

struct Context {
  latentlab::Generator* generator = nullptr;
  std::shared_ptr<const latentlab::DataSplit> data;
  QStringList classNames;
  int currentClass = 0;

  bool hasTestImages() const { return data && data->test.size() > 0; }
  int testImageCount() const { return data ? data->test.size() : 0; }
  latentlab::Vector<float> testImage(int index) const { return data->test.x.col(index); }
  latentlab::Matrix<float> testImages(const QVector<int>& indices) const {  // (D x n)
    latentlab::Matrix<float> x(data->test.features(), indices.size());
    for (int i = 0; i < indices.size(); ++i) x.col(i) = data->test.x.col(indices[i]);
    return x;
  }
  // The first `limit` test images labelled k.
  QVector<int> testIndicesOfClass(int k, int limit) const {
    QVector<int> out;
    const auto& labels = data->test.labels;
    for (int i = 0; i < int(labels.size()) && out.size() < limit; ++i)
      if (labels[i] == k) out << i;
    return out;
  }
  std::vector<int> allClasses() const {
    std::vector<int> all(size_t(generator ? generator->classes() : 0));
    for (int k = 0; k < int(all.size()); ++k) all[size_t(k)] = k;
    return all;
  }
};

}  // namespace generation
