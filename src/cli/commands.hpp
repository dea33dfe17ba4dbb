// The subcommands of the `cwlf` executable. Each registers its options on the
// CLI11 app and returns the process exit code when run:
// 0 success, 1 no match (test), 2 invalid pattern or request, 3 unreadable input.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace cwlf::cli {

using Runner = std::function<int()>;

// CLI11 splits an argument written like "[a, b]" into a list for options
// that take several values, which would tear space-delimited patterns apart.
// main() shields every argument that starts with '[' behind this prefix and
// Unshield() restores the text where a command reads it.
inline constexpr char kShield = '\x01';
inline std::string Unshield(const std::string& arg) {
  return !arg.empty() && arg[0] == kShield ? arg.substr(1) : arg;
}

Runner AddCheck(CLI::App& app);
Runner AddExplain(CLI::App& app);
Runner AddTest(CLI::App& app);
Runner AddScan(CLI::App& app);
Runner AddCompile(CLI::App& app);
Runner AddQuery(CLI::App& app);

}  // namespace cwlf::cli
