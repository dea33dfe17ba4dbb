// cwlf check PATTERN... : validates patterns. Text diagnostics with carets on
// stderr, or --format json on stdout. Exit 0 when all are valid, 2 otherwise.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cwlf/cwlf.hpp"

namespace cwlf::cli {

namespace {
nlohmann::json DiagnosticJson(const Diagnostic& d) {
  return {{"severity", std::string(SeverityName(d.severity))},
          {"code", std::string(ErrorCodeName(d.code))},
          {"message", d.message},
          {"line", d.location.line},
          {"column", d.location.column},
          {"span", {d.span.begin, d.span.end}}};
}
}  // namespace

Runner AddCheck(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "validate filter patterns (exit 2 if any is invalid)");
  auto patterns = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("text");
  auto dialect = std::make_shared<std::string>("filter");
  cmd->add_option("patterns", *patterns, "filter patterns")->required();
  cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--dialect", *dialect, "filter (patterns) or insights (queries)")
      ->check(CLI::IsMember({"filter", "insights"}));
  return [patterns, format, dialect]() {
    bool all_valid = true;
    nlohmann::json report = nlohmann::json::array();
    for (const std::string& shielded : *patterns) {
      const std::string pattern = Unshield(shielded);
      std::vector<Diagnostic> diagnostics;
      bool valid = true;
      auto collect = [&](const auto& compiled) {
        if (compiled) {
          diagnostics.assign(compiled->warnings().begin(), compiled->warnings().end());
        } else {
          valid = false;
          diagnostics.assign(compiled.error().all().begin(), compiled.error().all().end());
        }
      };
      if (*dialect == "insights") collect(Query::Compile(pattern));
      else collect(Program::Compile(pattern));
      all_valid &= valid;
      if (*format == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (const Diagnostic& d : diagnostics) list.push_back(DiagnosticJson(d));
        report.push_back({{"pattern", pattern}, {"valid", valid}, {"diagnostics", list}});
      } else {
        for (const Diagnostic& d : diagnostics) std::cerr << d.Render(pattern);
      }
    }
    if (*format == "json") std::cout << report.dump(2) << "\n";
    return all_valid ? 0 : 2;
  };
}

}  // namespace cwlf::cli
