// cwlf scan [--pack FILE|builtin] [--dialect filter|insights] [--param K=V]...
//           [--format table|jsonl] [--summary json] [--alarms] [--validate] [--threads N]
//           [--no-progress] PATH...
// Runs every rule of a pack over CloudTrail / CloudWatch Logs files (formats:
// src/scan/reader.hpp) and prints per-rule counts, match lines or a summary.
// Exit 0 when all input was read, 1 when some had to be skipped (reported on
// stderr with file and line), 2 for a bad pack, pattern or arguments. Not a
// deployer and not a live tail: it reads files once, in sorted order.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "pack/pack.hpp"
#include "scan/alarm.hpp"
#include "scan/input.hpp"
#include "scan/output.hpp"
#include "scan/progress.hpp"
#include "scan/reader.hpp"
#include "scan/compiled_pack.hpp"
#include "scan/scanner.hpp"

namespace cwlf::cli {

namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  std::string pack = "builtin";
  std::string dialect = "filter";
  std::vector<std::string> params;
  std::string format = "table";
  std::string summary;
  bool alarms = false;
  bool validate = false;
  int threads = 0;  // 0: one per hardware thread
  bool no_progress = false;
};

void WriteOut(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int RunScan(const ScanArgs& args) {
  const bool insights = args.dialect == "insights";
  pack::LoadOptions load_options;
  load_options.overrides = args.params;
  load_options.compile_insights_queries = insights;
  // A compiled pack (`cwlf compile`) brings its RuleSet: no pattern is
  // compiled unless alarms replay metrics.
  std::optional<RuleSet> prebuilt;
  std::expected<pack::Pack, pack::Problems> loaded = std::unexpected(pack::Problems{});
  // The pack file is read once: as a compiled pack, as pack JSON, or (when
  // it cannot be read) by LoadPackFile, which says why.
  std::string bytes;
  bool readable = false;
  if (args.pack != "builtin") {
    std::ifstream in(args.pack, std::ios::binary);
    std::ostringstream buffer;
    if (in) buffer << in.rdbuf();
    readable = in && !in.bad();
    bytes = buffer.str();
  }
  if (scan::IsCompiledPack(bytes)) {
    load_options.compile_filter_patterns = args.alarms;
    auto compiled = scan::LoadCompiledPack(bytes, args.pack, load_options);
    if (compiled) {
      if (!insights) prebuilt = std::move(compiled->rule_set);
      loaded = std::move(compiled->pack);
    } else {
      loaded = std::unexpected(std::move(compiled.error()));
    }
  } else if (readable) {
    loaded = pack::LoadPack(bytes, args.pack, load_options);
  } else {
    loaded = pack::LoadPackFile(args.pack, load_options);
  }
  if (!loaded) {
    for (const pack::Problem& p : loaded.error()) std::cerr << p.Render();
    std::cerr << fmt::format("cwlf scan: {}: {} problem{}; the pack was not loaded\n", args.pack,
                             loaded.error().size(), loaded.error().size() == 1 ? "" : "s");
    return 2;
  }
  const pack::Pack& pack = *loaded;
  std::vector<const pack::Rule*> rules;
  for (const pack::Rule& rule : pack.rules) {
    if (insights ? rule.query.has_value() : rule.has_filter_pattern) {
      rules.push_back(&rule);
    } else {
      std::cerr << fmt::format("cwlf scan: {}#{}: note: no {}; skipped by --dialect {}\n", pack.origin, rule.id,
                               insights ? "insightsQuery" : "filterPattern", args.dialect);
    }
  }
  if (rules.empty()) {
    std::cerr << fmt::format("cwlf scan: {}: no rule has a {}\n", pack.origin,
                             insights ? "insightsQuery" : "filterPattern");
    return 2;
  }

  const auto start = std::chrono::steady_clock::now();
  const scan::InputList inputs = scan::ExpandInputs(args.paths);
  uint64_t total_bytes = 0;
  bool unknown_size = false;
  for (const scan::InputFile& f : inputs.files) {
    total_bytes += f.size;
    unknown_size |= f.path == "-";
  }
  scan::Progress progress(!args.no_progress && scan::StderrIsTerminal(), unknown_size ? 0 : total_bytes);
  uint64_t malformed = 0;
  auto warn = [&](const std::string& text) {
    progress.Clear();
    std::fputs(text.c_str(), stderr);
  };
  for (const std::string& error : inputs.errors) {
    warn(fmt::format("cwlf scan: {}\n", error));
    ++malformed;
  }
  if (inputs.files.empty() && inputs.errors.empty()) warn("cwlf scan: note: no input files found\n");

  scan::ScanConfig config;
  const int cpus = static_cast<int>(std::thread::hardware_concurrency());
  config.threads = args.threads > 0 ? args.threads : std::max(1, cpus);
  config.insights = insights;
  config.alarms = args.alarms;
  config.validate_all = args.validate;
  config.rule_set = std::move(prebuilt);
  config.malformed = [&](uint32_t file, uint64_t line, const std::string& why) {
    ++malformed;
    warn(fmt::format("cwlf scan: {}:{}: {}\n", inputs.files[file].path, line, why));
  };
  if (args.format == "jsonl") {
    config.format_hit = [&inputs, &rules](const scan::HitContext& hit) {
      return scan::FormatMatchLine(hit, rules[hit.rule]->id, inputs.files[hit.batch->file].path);
    };
    config.emit = [](const std::string& line) { WriteOut(line); };
  }
  scan::Scanner scanner(rules, config);

  uint64_t files_read = 0;
  uint64_t bytes_done = 0;
  uint64_t events_read = 0;
  for (size_t i = 0; i < inputs.files.size(); ++i) {
    const scan::InputFile& file = inputs.files[i];
    scan::ByteStream stream;
    if (!stream.Open(file.path)) {
      warn(fmt::format("cwlf scan: {}: cannot read: {}\n", file.path, stream.error()));
      ++malformed;
      bytes_done += file.size;
      continue;
    }
    ++files_read;
    scan::Reader::Sink sink;
    sink.batch = [&](scan::Batch&& batch) {
      events_read += batch.events.size();
      scanner.Submit(std::move(batch));
    };
    sink.malformed = [&](const scan::Malformed& m) {
      ++malformed;
      warn(m.line > 0 ? fmt::format("cwlf scan: {}:{}: {}\n", file.path, m.line, m.message)
                      : fmt::format("cwlf scan: {}: {}\n", file.path, m.message));
    };
    sink.progress = [&](uint64_t raw) { progress.Update(bytes_done + raw, events_read); };
    scan::Reader reader(static_cast<uint32_t>(i), std::move(sink));
    reader.Run(stream);
    bytes_done += file.size > 0 ? file.size : stream.raw_bytes_read();
  }
  scanner.Finish();
  progress.Finish();

  scan::ScanReport report;
  report.rules = rules;
  report.totals = &scanner.totals();
  report.malformed = malformed;
  report.files = files_read;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.alarms_requested = args.alarms;
  if (args.alarms) {
    for (size_t r = 0; r < rules.size(); ++r) {
      const pack::Rule& rule = *rules[r];
      if (!rule.alarm || !rule.metric) {
        if (rule.alarm)
          std::cerr << fmt::format("cwlf scan: {}#{}: note: alarm without metricTransformation; not replayed\n",
                                   pack.origin, rule.id);
        continue;
      }
      scan::AlarmReplayInput input;
      input.alarm = *rule.alarm;
      input.default_value = rule.metric->default_value;
      input.matches = scanner.totals().rules[r].periods;
      if (auto it = scanner.totals().event_periods.find(rule.alarm->period);
          it != scanner.totals().event_periods.end())
        input.event_periods = it->second;
      report.alarms.push_back({r, scan::ReplayAlarm(input)});
    }
  }

  if (args.format == "jsonl") {
    for (const scan::RuleAlarms& a : report.alarms)
      for (const scan::AlarmTransition& t : a.transitions) WriteOut(scan::FormatAlarmLine(*rules[a.rule], t));
    if (args.summary == "json") WriteOut(scan::FormatSummaryJson(report));
  } else if (args.summary == "json") {
    WriteOut(scan::FormatSummaryJson(report));
  } else {
    WriteOut(scan::FormatTable(report));
  }
  std::fflush(stdout);
  return malformed > 0 ? 1 : 0;
}

}  // namespace

Runner AddScan(CLI::App& app) {
  auto* cmd = app.add_subcommand("scan", "run a rule pack over CloudTrail / CloudWatch Logs files");
  auto args = std::make_shared<ScanArgs>();
  cmd->add_option("paths", args->paths,
                  "files or directories (walked recursively, S3 layout included; - is stdin); plain or gzip, "
                  "CloudTrail delivery files, NDJSON, subscription payloads, filter-log-events output or text")
      ->required();
  cmd->add_option("--pack", args->pack, "a pack file, a compiled pack (cwlf compile), or builtin (the default)");
  cmd->add_option("--dialect", args->dialect, "filter (filterPattern) or insights (insightsQuery)")
      ->check(CLI::IsMember({"filter", "insights"}));
  cmd->add_option("--param", args->params,
                  "override a pack parameter: NAME=VALUE; lists as a,b,c or a JSON array (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--format", args->format, "table (per-rule counts) or jsonl (one line per match)")
      ->check(CLI::IsMember({"table", "jsonl"}));
  cmd->add_option("--summary", args->summary, "json: print the run summary object instead of the table")
      ->check(CLI::IsMember({"json"}));
  cmd->add_flag("--alarms", args->alarms, "replay each rule's metric and alarm over event time");
  cmd->add_flag("--validate", args->validate,
                "parse every NDJSON line to report all malformed ones (by default a line no rule can match "
                "is only checked to be {...})");
  cmd->add_option("--threads", args->threads, "matching threads (default: one per CPU)")->check(CLI::Range(1, 256));
  cmd->add_flag("--no-progress", args->no_progress, "never draw the progress line on stderr");
  return [args]() {
    for (std::string& path : args->paths) path = Unshield(path);
    return RunScan(*args);
  };
}

}  // namespace cwlf::cli
