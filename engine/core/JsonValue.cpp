#include "engine/core/JsonValue.h"

#include <cmath>
#include <cstdlib>

#include "engine/core/Error.h"

namespace latentlab {

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : s_(text) {}

  JsonValue document() {
    JsonValue v = value(0);
    skipSpace();
    if (i_ != s_.size()) fail("text after the value");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 64;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error("JSON", what + ", at byte " + std::to_string(i_));
  }
  void skipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool literal(const char* word) {
    const std::string w(word);
    if (s_.compare(i_, w.size(), w) != 0) return false;
    i_ += w.size();
    return true;
  }

  JsonValue value(int depth) {
    if (depth > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth));
    skipSpace();
    if (i_ >= s_.size()) fail("unexpected end");
    JsonValue v;
    const char c = s_[i_];
    if (c == '{') {
      v.type_ = JsonValue::Type::Object;
      ++i_;
      skipSpace();
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, v;
      for (;;) {
        skipSpace();
        if (i_ >= s_.size() || s_[i_] != '"') fail("expected a key");
        std::string key = string();
        skipSpace();
        if (i_ >= s_.size() || s_[i_] != ':') fail("expected ':'");
        ++i_;
        v.object_[key] = value(depth + 1);
        skipSpace();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') return ++i_, v;
        fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.type_ = JsonValue::Type::Array;
      ++i_;
      skipSpace();
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, v;
      for (;;) {
        v.array_.push_back(value(depth + 1));
        skipSpace();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') return ++i_, v;
        fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.type_ = JsonValue::Type::String;
      v.string_ = string();
      return v;
    }
    if (literal("true") || literal("false")) {
      v.type_ = JsonValue::Type::Bool;
      v.bool_ = s_[i_ - 1] == 'e' && s_[i_ - 2] == 'u';
      return v;
    }
    if (literal("null")) return v;
    if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = i_;
      while (i_ < s_.size() && std::string("+-0123456789.eE").find(s_[i_]) != std::string::npos) ++i_;
      const std::string text = s_.substr(start, i_ - start);
      char* end = nullptr;
      v.number_ = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) {
        i_ = start;
        fail("a malformed number");
      }
      v.type_ = JsonValue::Type::Number;
      return v;
    }
    fail(std::string("unexpected '") + c + "'");
  }

  // A quoted string at i_; \uXXXX escapes become UTF-8 (surrogate pairs are not joined: not written here).
  std::string string() {
    ++i_;
    std::string out;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          if (i_ + 4 > s_.size()) fail("a short \\u escape");
          unsigned code = 0;
          for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            code <<= 4;
            if (h >= '0' && h <= '9')
              code |= unsigned(h - '0');
            else if (h >= 'a' && h <= 'f')
              code |= unsigned(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
              code |= unsigned(h - 'A' + 10);
            else
              fail("a bad \\u escape");
          }
          if (code < 0x80) {
            out += char(code);
          } else if (code < 0x800) {
            out += char(0xC0 | (code >> 6));
            out += char(0x80 | (code & 0x3F));
          } else {
            out += char(0xE0 | (code >> 12));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
          }
          break;
        }
        default:
          fail("a bad escape");
      }
    }
    fail("an unterminated string");
  }

  const std::string& s_;
  size_t i_ = 0;
};

JsonValue JsonValue::parse(const std::string& text) {
  if (text.size() > (size_t(64) << 20)) throw Error("JSON", "the text is over 64 MB");
  return JsonParser(text).document();
}

double JsonValue::number(double fallback) const {
  if (type_ == Type::Number) return number_;
  return type_ == Type::Null ? std::nan("") : fallback;
}

std::string JsonValue::string(const std::string& fallback) const { return type_ == Type::String ? string_ : fallback; }

const JsonValue& JsonValue::operator[](const std::string& key) const {
  static const JsonValue null;
  const auto it = object_.find(key);
  return type_ == Type::Object && it != object_.end() ? it->second : null;
}

bool JsonValue::has(const std::string& key) const { return type_ == Type::Object && object_.count(key) > 0; }

const std::vector<JsonValue>& JsonValue::array() const { return array_; }

std::vector<double> JsonValue::numbers() const {
  std::vector<double> out;
  for (const JsonValue& v : array_) out.push_back(v.number(std::nan("")));
  return out;
}

const std::map<std::string, JsonValue>& JsonValue::object() const { return object_; }

}  // namespace latentlab
