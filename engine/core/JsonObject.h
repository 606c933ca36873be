#pragma once
// A JSON object written in one line: the CLI's --json outputs, the experiment runs' result files. Objects
// nest (add(key, JsonObject)); NaN and infinities are written as null (JSON has neither).
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace latentlab {

class JsonObject {
 public:
  JsonObject& add(const std::string& key, double v) {
    char buf[64];
    if (std::isfinite(v))
      std::snprintf(buf, sizeof buf, "%.10g", v);
    else
      std::snprintf(buf, sizeof buf, "null");
    return raw(key, buf);
  }
  JsonObject& add(const std::string& key, long v) { return raw(key, std::to_string(v)); }
  JsonObject& add(const std::string& key, int v) { return raw(key, std::to_string(v)); }
  JsonObject& add(const std::string& key, bool v) { return raw(key, v ? "true" : "false"); }
  JsonObject& add(const std::string& key, const std::string& v) { return raw(key, quote(v)); }
  JsonObject& add(const std::string& key, const char* v) { return raw(key, quote(v)); }
  JsonObject& add(const std::string& key, const std::vector<double>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      char buf[32];  // JSON has no NaN or infinity: null, as for a single number
      if (std::isfinite(v[i]))
        std::snprintf(buf, sizeof buf, "%s%.6g", i ? "," : "", v[i]);
      else
        std::snprintf(buf, sizeof buf, "%snull", i ? "," : "");
      s += buf;
    }
    return raw(key, s + "]");
  }
  // An array of objects (one record per element).
  JsonObject& add(const std::string& key, const std::vector<JsonObject>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i].str();
    return raw(key, s + "]");
  }
  JsonObject& add(const std::string& key, const JsonObject& v) { return raw(key, v.str()); }
  JsonObject& add(const std::string& key, const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + quote(v[i]);
    return raw(key, s + "]");
  }
  bool empty() const { return body_.empty(); }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  JsonObject& raw(const std::string& key, const std::string& value) {
    if (!body_.empty()) body_ += ", ";
    body_ += quote(key) + ": " + value;
    return *this;
  }
  static std::string quote(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') {
        o += '\\';
        o += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        o += buf;
      } else {
        o += c;
      }
    }
    return o + "\"";
  }
  std::string body_;
};

}  // namespace latentlab
