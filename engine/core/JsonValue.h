#pragma once
// Reading JSON: a parsed value (null, bool, number, string, array, object) and a parser that never crashes on
// bad input. For the files Latentlab writes itself (experiment results) and reads back: a malformed file throws
// Error("JSON", "<what>, at byte N"), so a caller can skip it with a message. Depth and size are bounded.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace latentlab {

class JsonValue {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };

  JsonValue() = default;
  static JsonValue parse(const std::string& text);  // throws Error("JSON", ...)

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isNumber() const { return type_ == Type::Number; }
  bool isString() const { return type_ == Type::String; }
  bool isArray() const { return type_ == Type::Array; }
  bool isObject() const { return type_ == Type::Object; }

  // Lenient accessors for optional fields: the fallback when the value is of another type (null reads as NaN).
  double number(double fallback) const;
  std::string string(const std::string& fallback = "") const;
  bool boolean(bool fallback) const { return type_ == Type::Bool ? bool_ : fallback; }
  // The member of an object (a null value when absent or not an object).
  const JsonValue& operator[](const std::string& key) const;
  bool has(const std::string& key) const;
  const std::vector<JsonValue>& array() const;  // empty when not an array
  std::vector<double> numbers() const;          // an array of numbers (nulls as NaN)
  const std::map<std::string, JsonValue>& object() const;

 private:
  friend class JsonParser;
  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::map<std::string, JsonValue> object_;
};

}  // namespace latentlab
