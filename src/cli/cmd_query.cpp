// cwlf query QUERY [FILE...] [--events-json FILE] [--format table|json]: runs
// a Logs Insights query over events offline. Events: plain lines or NDJSON
// (one event per line), or --events-json with a JSON array of strings or of
// {"timestamp": ms, "message": "..."} objects, or filter-log-events output
// ({"events": [...]}). --format json prints the GetQueryResults shape.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cwlf/cwlf.hpp"

namespace cwlf::cli {

namespace {

bool EventsFromJson(const nlohmann::json& doc, std::vector<LogEvent>& out, std::string* error) {
  const nlohmann::json* list = &doc;
  if (doc.is_object() && doc.contains("events")) list = &doc["events"];
  if (!list->is_array()) {
    *error = "expected a JSON array of events or {\"events\": [...]}";
    return false;
  }
  for (const auto& item : *list) {
    LogEvent e;
    if (item.is_string()) {
      e.message = item.get<std::string>();
    } else if (item.is_object() && item.contains("message") && item["message"].is_string()) {
      e.message = item["message"].get<std::string>();
      if (item.contains("timestamp") && item["timestamp"].is_number()) e.timestamp_ms = item["timestamp"].get<int64_t>();
      if (item.contains("ingestionTime") && item["ingestionTime"].is_number())
        e.ingestion_time_ms = item["ingestionTime"].get<int64_t>();
      if (item.contains("logStreamName") && item["logStreamName"].is_string())
        e.log_stream = item["logStreamName"].get<std::string>();
    } else {
      *error = "each event must be a string or an object with a \"message\" string";
      return false;
    }
    out.push_back(std::move(e));
  }
  return true;
}

void PrintTable(const QueryResult& result) {
  std::vector<std::string> columns;
  for (const ResultRow& row : result.rows)
    for (const auto& [field, value] : row)
      if (field != "@ptr" && std::find(columns.begin(), columns.end(), field) == columns.end()) columns.push_back(field);
  std::vector<size_t> widths;
  for (const std::string& c : columns) widths.push_back(c.size());
  auto cell = [](const ResultRow& row, const std::string& c) {
    for (const auto& [field, value] : row)
      if (field == c) return value;
    return std::string();
  };
  for (const ResultRow& row : result.rows)
    for (size_t i = 0; i < columns.size(); ++i) widths[i] = std::min<size_t>(60, std::max(widths[i], cell(row, columns[i]).size()));
  std::string line;
  for (size_t i = 0; i < columns.size(); ++i) line += fmt::format("{:<{}}  ", columns[i], widths[i]);
  std::cout << line << "\n";
  for (const ResultRow& row : result.rows) {
    line.clear();
    for (size_t i = 0; i < columns.size(); ++i) {
      std::string v = cell(row, columns[i]);
      for (char& ch : v)
        if (ch == '\n' || ch == '\t') ch = ' ';
      if (v.size() > 60) v = v.substr(0, 57) + "...";
      line += fmt::format("{:<{}}  ", v, widths[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
  std::cerr << fmt::format("{} rows; {} of {} records matched, {} bytes scanned\n", result.rows.size(),
                           result.records_matched, result.records_scanned, result.bytes_scanned);
}

}  // namespace

Runner AddQuery(CLI::App& app) {
  auto* cmd = app.add_subcommand("query", "run a Logs Insights query over events");
  struct Args {
    std::string query;
    std::vector<std::string> files;
    std::string events_json;
    std::string format = "table";
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("query", args->query, "the query")->required();
  cmd->add_option("files", args->files, "event files (one event per line; gzip is detected)");
  cmd->add_option("--events-json", args->events_json, "a JSON array of events, or filter-log-events output");
  cmd->add_option("--format", args->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  return [args]() {
    args->query = Unshield(args->query);
    for (std::string& f : args->files) f = Unshield(f);
    auto query = Query::Compile(args->query);
    if (!query) {
      std::cerr << query.error().Render();
      return 2;
    }
    for (const Diagnostic& d : query->warnings()) std::cerr << d.Render(args->query);
    std::vector<LogEvent> events;
    std::string error;
    if (!args->events_json.empty()) {
      auto text = ReadInput(args->events_json, &error);
      if (!text) {
        std::cerr << "cwlf query: " << error << "\n";
        return 3;
      }
      auto doc = nlohmann::json::parse(*text, nullptr, false);
      if (doc.is_discarded() || !EventsFromJson(doc, events, &error)) {
        std::cerr << "cwlf query: " << args->events_json << ": " << (error.empty() ? "not JSON" : error) << "\n";
        return 2;
      }
    }
    std::vector<std::string> files = args->files;
    if (files.empty() && args->events_json.empty()) files.push_back("-");
    for (const std::string& f : files) {
      auto text = ReadInput(f, &error);
      if (!text) {
        std::cerr << "cwlf query: " << error << "\n";
        return 3;
      }
      for (std::string& line : SplitLines(*text))
        if (!line.empty()) events.push_back(LogEvent{std::move(line)});
    }
    const QueryResult result = query->Run(events);
    if (args->format == "json") {
      nlohmann::json rows = nlohmann::json::array();
      for (const ResultRow& row : result.rows) {
        nlohmann::json cells = nlohmann::json::array();
        for (const auto& [field, value] : row) cells.push_back({{"field", field}, {"value", value}});
        rows.push_back(std::move(cells));
      }
      nlohmann::json out = {{"status", "Complete"},
                            {"results", rows},
                            {"statistics",
                             {{"recordsMatched", static_cast<double>(result.records_matched)},
                              {"recordsScanned", static_cast<double>(result.records_scanned)},
                              {"bytesScanned", static_cast<double>(result.bytes_scanned)}}}};
      std::cout << out.dump(4, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      PrintTable(result);
    }
    return 0;
  };
}

}  // namespace cwlf::cli
