// The subcommands of the `cwlf` executable. Each registers its options on the
// CLI11 app and returns the process exit code when run:
// 0 success, 1 no match (test), 2 invalid pattern or request, 3 unreadable input.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace cwlf::cli {

using Runner = std::function<int()>;

Runner AddCheck(CLI::App& app);
Runner AddExplain(CLI::App& app);
Runner AddTest(CLI::App& app);
Runner AddScan(CLI::App& app);
Runner AddQuery(CLI::App& app);

}  // namespace cwlf::cli
