// Logs Insights queries: compile once (syntax, functions and regexes
// checked, filter stages lowered to the same IR and VM as filter patterns
// where they can be), then run over log events. Std-only.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwlf/diagnostic.hpp"
#include "cwlf/options.hpp"
#include "cwlf/program.hpp"
#include "cwlf/result.hpp"

namespace cwlf {

// One log event as CloudWatch Logs holds it.
struct LogEvent {
  std::string message;
  int64_t timestamp_ms = 0;       // @timestamp (0: taken from a JSON eventTime when there is one)
  int64_t ingestion_time_ms = 0;  // @ingestionTime
  std::string log_stream;         // @logStream
  std::string log_group;          // @log
};

// One result row: (field, value) pairs in column order; absent fields are
// left out of the row (semantics.md R-I8). Every row carries "@ptr".
using ResultRow = std::vector<std::pair<std::string, std::string>>;

struct QueryResult {
  std::vector<ResultRow> rows;
  uint64_t records_matched = 0;  // events that passed every filter before any stats
  uint64_t records_scanned = 0;
  uint64_t bytes_scanned = 0;
};

namespace detail {
struct QueryImage;
}  // namespace detail

class Query {
 public:
  // Compiles a query. Syntax errors stop at the first; unsupported commands
  // and functions are errors with their positions. Never throws.
  static Result<Query> Compile(std::string_view text, const CompileOptions& options = {});

  // Stage::kAst prints the commands; kIr and kBytecode print each filter
  // stage that compiled to a program ("(interpreted)" for the others).
  std::string Explain(Stage stage) const;
  std::span<const Diagnostic> warnings() const;
  std::string_view text() const;

  // Runs the whole query over `events` (in the given order). Thread-safe.
  QueryResult Run(std::span<const LogEvent> events) const;

  // True when `event` survives every filter stage that comes before the
  // first stats/limit/dedup: what a detection rule written as a query
  // "matches". Thread-safe; cost: the VM for compiled filters, the
  // interpreter for the rest.
  bool Selects(const LogEvent& event) const;

  explicit Query(std::shared_ptr<const detail::QueryImage> image) : image_(std::move(image)) {}
  const detail::QueryImage& image() const { return *image_; }

 private:
  std::shared_ptr<const detail::QueryImage> image_;
};

namespace detail {
class SelectorState;
}  // namespace detail

// Per-thread scratch for Query::Selects over many events (the Matchers of
// the compiled filter stages, reused). Not thread-safe; the Query is shared.
class QuerySelector {
 public:
  explicit QuerySelector(Query query);
  ~QuerySelector();
  QuerySelector(QuerySelector&&) noexcept;
  QuerySelector& operator=(QuerySelector&&) noexcept;
  bool Selects(const LogEvent& event);
  const Query& query() const { return query_; }

 private:
  Query query_;
  std::unique_ptr<detail::SelectorState> state_;
};

}  // namespace cwlf
