// cwlf test: TestMetricFilter offline. `cwlf test PATTERN [FILE|-]` (one event
// per line) or `cwlf test --cli-input-json FILE` (the request JSON). Prints
// the response JSON {"matches":[{eventNumber (1-based), eventMessage,
// extractedValues}]} in input order. Invalid pattern: exit 2, nothing on
// stdout, the diagnostic on stderr.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"

namespace cwlf::cli {

Runner AddTest(CLI::App& app) {
  auto* cmd = app.add_subcommand("test", "match events as TestMetricFilter does");
  struct Args {
    std::vector<std::string> positional;
    std::string request;
    bool reference = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("pattern_and_file", args->positional, "PATTERN [FILE|-]")->expected(0, 2);
  cmd->add_option("--cli-input-json", args->request, "a TestMetricFilter request JSON file");
  cmd->add_flag("--reference", args->reference, "use the reference evaluator instead of the VM");
  return [args]() {
    std::string pattern;
    std::vector<std::string> messages;
    std::string error;
    if (!args->request.empty()) {
      auto text = ReadInput(args->request, &error);
      if (!text) {
        std::cerr << "cwlf test: " << error << "\n";
        return 3;
      }
      nlohmann::json request = nlohmann::json::parse(*text, nullptr, false);
      if (request.is_discarded() || !request.is_object() || !request.contains("filterPattern") ||
          !request["filterPattern"].is_string() || !request.contains("logEventMessages") ||
          !request["logEventMessages"].is_array()) {
        std::cerr << "cwlf test: " << args->request
                  << ": expected {\"filterPattern\": string, \"logEventMessages\": [string, ...]}\n";
        return 2;
      }
      pattern = request["filterPattern"].get<std::string>();
      for (const auto& m : request["logEventMessages"]) {
        if (!m.is_string()) {
          std::cerr << "cwlf test: logEventMessages must hold strings\n";
          return 2;
        }
        messages.push_back(m.get<std::string>());
      }
    } else {
      if (args->positional.empty()) {
        std::cerr << "cwlf test: give a PATTERN (and FILE) or --cli-input-json FILE\n";
        return 2;
      }
      pattern = Unshield(args->positional[0]);
      const std::string path = args->positional.size() > 1 ? Unshield(args->positional[1]) : "-";
      auto text = ReadInput(path, &error);
      if (!text) {
        std::cerr << "cwlf test: " << error << "\n";
        return 3;
      }
      messages = SplitLines(*text);
    }
    auto program = Program::Compile(pattern);
    if (!program) {
      std::cerr << program.error().Render();
      return 2;
    }
    Matcher matcher(*program);
    nlohmann::json matches = nlohmann::json::array();
    for (size_t i = 0; i < messages.size(); ++i) {
      bool matched = false;
      std::vector<ExtractedValue> values;
      if (args->reference) {
        reference::Answer answer = reference::Evaluate(*program, messages[i]);
        matched = answer.matched;
        values = std::move(answer.extracted);
      } else {
        matched = matcher.Match(messages[i]).matched;
        if (matched) values = matcher.ExtractedValues();
      }
      if (!matched) continue;
      nlohmann::json extracted = nlohmann::json::object();
      for (const ExtractedValue& v : values) extracted[v.name] = v.value;
      matches.push_back({{"eventNumber", i + 1}, {"eventMessage", messages[i]}, {"extractedValues", extracted}});
    }
    nlohmann::json response = {{"matches", matches}};
    std::cout << response.dump(4, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  };
}

}  // namespace cwlf::cli
