// Writing and reading back the metrics file (CSV or JSON lines).
#include "driver/MetricsLog.h"

#include "checkpoint/AtomicFile.h"
#include "driver/Errors.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nnc::rt::driver {

double valueOf(const MetricsRow &row, const std::string &column) {
  for (const auto &[name, value] : row)
    if (name == column) return value;
  return std::nan("");
}

std::optional<MetricsFormat> metricsFormatFor(const std::string &path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".csv") return MetricsFormat::Csv;
  if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") return MetricsFormat::JsonLines;
  return std::nullopt;
}

namespace {

std::string number(double v, bool json) {
  if (std::isnan(v)) return json ? "null" : "";
  if (std::isinf(v)) return json ? "null" : (v > 0 ? "inf" : "-inf");
  if (v == std::floor(v) && std::fabs(v) < 9e15) return fmt::format("{}", int64_t(v));
  return fmt::format("{}", v); // shortest round-trip representation
}

// A whole field as a number: empty, "null" -> NaN; nullopt when it is not a number.
std::optional<double> parseNumber(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  if (text.empty() || text == "null") return std::nan("");
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

std::vector<std::string> splitCsv(const std::string &line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.push_back("");
  return fields;
}

// {"key": number, ...} as written by formatMetrics.
std::optional<MetricsRow> parseJsonLine(const std::string &line) {
  MetricsRow row;
  size_t i = line.find('{');
  if (i == std::string::npos) return std::nullopt;
  ++i;
  while (true) {
    size_t q = line.find('"', i);
    if (q == std::string::npos) break;
    size_t q2 = line.find('"', q + 1);
    size_t colon = line.find(':', q2 == std::string::npos ? q : q2);
    if (q2 == std::string::npos || colon == std::string::npos) return std::nullopt;
    size_t end = line.find_first_of(",}", colon);
    if (end == std::string::npos) return std::nullopt;
    auto v = parseNumber(line.substr(colon + 1, end - colon - 1));
    if (!v) return std::nullopt;
    row.emplace_back(line.substr(q + 1, q2 - q - 1), *v);
    i = end + 1;
  }
  return row;
}

} // namespace

std::string formatMetrics(MetricsFormat format, const std::vector<MetricsRow> &rows) {
  std::string out;
  if (format == MetricsFormat::Csv) {
    if (rows.empty()) return out;
    for (size_t i = 0; i < rows[0].size(); ++i) out += (i ? "," : "") + rows[0][i].first;
    out += '\n';
    for (const MetricsRow &row : rows) {
      for (size_t i = 0; i < rows[0].size(); ++i) out += (i ? "," : "") + number(valueOf(row, rows[0][i].first), false);
      out += '\n';
    }
    return out;
  }
  for (const MetricsRow &row : rows) {
    out += '{';
    for (size_t i = 0; i < row.size(); ++i) out += fmt::format("{}\"{}\": {}", i ? ", " : "", row[i].first, number(row[i].second, true));
    out += "}\n";
  }
  return out;
}

Status writeMetrics(const std::string &path, MetricsFormat format, const std::vector<MetricsRow> &rows) {
  std::string text = formatMetrics(format, rows);
  auto status = writeFileAtomically(path, std::as_bytes(std::span<const char>(text.data(), text.size())));
  if (!status) return fromCheckpoint(status.error());
  return okStatus();
}

Expected<std::vector<MetricsRow>> readMetrics(const std::string &path, MetricsFormat format) {
  std::ifstream in(path);
  if (!in) return fileError(ErrorCode::Io, path, "cannot open the metrics file");
  std::vector<MetricsRow> rows;
  std::vector<std::string> header;
  std::string line;
  for (int lineNo = 1; std::getline(in, line); ++lineNo) {
    if (line.empty()) continue;
    auto bad = [&] { return fileError(ErrorCode::Format, path, fmt::format("line {}: not a metrics row of nnc", lineNo)); };
    if (format == MetricsFormat::JsonLines) {
      auto row = parseJsonLine(line);
      if (!row) return bad();
      rows.push_back(std::move(*row));
      continue;
    }
    std::vector<std::string> fields = splitCsv(line);
    if (header.empty()) {
      header = fields;
      continue;
    }
    if (fields.size() != header.size()) return bad();
    MetricsRow row;
    for (size_t i = 0; i < fields.size(); ++i) {
      auto v = parseNumber(fields[i]);
      if (!v) return bad();
      row.emplace_back(header[i], *v);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

} // namespace nnc::rt::driver
