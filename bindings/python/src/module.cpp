// cwlf._cwlf: a thin, mechanical pybind11 binding of the public C++ API
// (Program, Matcher, Query, RuleSet, Diagnostic, PatternError). Matching loops
// run with the GIL released. Not the API users import (cwlf/__init__.py is,
// with its conveniences) and not a place for semantics: those stay in the library.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwlf/cwlf.hpp"

namespace py = pybind11;
using namespace py::literals;

namespace {

// Messages handed to the library per GIL release in the *_many loops.
constexpr size_t kBatch = 4096;

// Text leaving the library as str; bytes that are not UTF-8 (from bytes
// events) become U+FFFD, as in the CLI's JSON output.
py::str Text(std::string_view text) {
  PyObject* object = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (object == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(object);
}

// A diagnostic with the text its span refers to, so that it renders itself.
// `has_source` is false for problems of no one text (a duplicate rule id).
struct PyDiagnostic {
  cwlf::Diagnostic diagnostic;
  std::string source;
  bool has_source = true;

  std::string Render() const {
    std::string out = diagnostic.Render(source);
    if (!has_source) out.resize(out.find('\n') + 1);
    return out;
  }
};

// Thrown for a failed Result; translated into cwlf.PatternError.
struct CompileFailure : std::exception {
  std::vector<PyDiagnostic> diagnostics;
  std::string rendered;

  explicit CompileFailure(std::vector<PyDiagnostic> all) : diagnostics(std::move(all)) {
    for (const PyDiagnostic& d : diagnostics) rendered += d.Render();
    while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
  }
  const char* what() const noexcept override { return rendered.c_str(); }
};

std::vector<PyDiagnostic> FromError(const cwlf::Error& error) {
  std::vector<PyDiagnostic> out;
  for (const cwlf::Diagnostic& d : error.all()) out.push_back({d, error.source(), true});
  return out;
}

template <typename T>
T Unwrap(cwlf::Result<T> result) {
  if (!result) throw CompileFailure(FromError(result.error()));
  return std::move(*result);
}

py::list Diagnostics(std::span<const cwlf::Diagnostic> diagnostics, std::string_view source) {
  py::list out;
  for (const cwlf::Diagnostic& d : diagnostics) out.append(py::cast(PyDiagnostic{d, std::string(source), true}));
  return out;
}

// The exception type, created once at import and kept for the translator.
PyObject* g_pattern_error = nullptr;

void TranslateExceptions(std::exception_ptr error) {
  auto raise = [](const std::vector<PyDiagnostic>& diagnostics, std::string_view rendered) {
    py::tuple items(diagnostics.size());
    for (size_t i = 0; i < diagnostics.size(); ++i) items[i] = py::cast(diagnostics[i]);
    py::object instance = py::handle(g_pattern_error)(Text(rendered));
    instance.attr("diagnostics") = items;
    PyErr_SetObject(g_pattern_error, instance.ptr());
  };
  try {
    if (error) std::rethrow_exception(error);
  } catch (const CompileFailure& e) {
    raise(e.diagnostics, e.rendered);
  } catch (const cwlf::PatternError& e) {
    CompileFailure failure(FromError(e.error()));
    raise(failure.diagnostics, failure.rendered);
  }
}

cwlf::CompileOptions Options(std::string_view dialect) {
  cwlf::CompileOptions options;
  if (dialect == "filter") {
    options.dialect = cwlf::Dialect::kFilterPattern;
  } else if (dialect == "insights") {
    options.dialect = cwlf::Dialect::kInsightsFilter;
  } else {
    throw py::value_error("dialect must be \"filter\" or \"insights\", not \"" + std::string(dialect) + "\"");
  }
  return options;
}

cwlf::Stage StageNamed(std::string_view stage) {
  if (stage == "ast") return cwlf::Stage::kAst;
  if (stage == "ir") return cwlf::Stage::kIr;
  if (stage == "bytecode") return cwlf::Stage::kBytecode;
  throw py::value_error("stage must be \"ast\", \"ir\" or \"bytecode\", not \"" + std::string(stage) + "\"");
}

bool IsMessage(py::handle object) {
  return PyUnicode_Check(object.ptr()) || PyBytes_Check(object.ptr()) || PyByteArray_Check(object.ptr());
}

// The bytes of one message: a view into a str (its UTF-8) or a bytes object,
// valid while the object lives; a bytearray (mutable) is copied into `copies`.
// `what` names the argument in the TypeError for anything else.
std::string_view MessageView(py::handle message, std::deque<std::string>& copies, const char* what = "a message") {
  PyObject* object = message.ptr();
  if (PyUnicode_Check(object)) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(object, &size);
    if (data == nullptr) throw py::error_already_set();
    return {data, static_cast<size_t>(size)};
  }
  if (PyBytes_Check(object)) return {PyBytes_AS_STRING(object), static_cast<size_t>(PyBytes_GET_SIZE(object))};
  if (PyByteArray_Check(object)) {
    return copies.emplace_back(PyByteArray_AS_STRING(object), static_cast<size_t>(PyByteArray_GET_SIZE(object)));
  }
  throw py::type_error(std::string(what) + " must be str or bytes, not " + Py_TYPE(object)->tp_name);
}

// Up to kBatch messages pulled from an iterator with the GIL held; the
// objects are kept alive so that their views stay valid once it is released.
class MessageBatch {
 public:
  explicit MessageBatch(py::handle iterable) {
    if (IsMessage(iterable)) throw py::type_error("expected an iterable of messages, not a single message");
    iterator_ = py::reinterpret_steal<py::object>(PyObject_GetIter(iterable.ptr()));
    if (!iterator_) throw py::error_already_set();
  }

  // Reads the next batch; false when the iterator had nothing left.
  bool Next() {
    owners_.clear();
    copies_.clear();
    views_.clear();
    while (views_.size() < kBatch) {
      py::object item = py::reinterpret_steal<py::object>(PyIter_Next(iterator_.ptr()));
      if (!item) {
        if (PyErr_Occurred()) throw py::error_already_set();
        break;
      }
      views_.push_back(MessageView(item, copies_));
      owners_.push_back(std::move(item));
    }
    return !views_.empty();
  }

  const std::vector<std::string_view>& views() const { return views_; }

 private:
  py::object iterator_;
  std::vector<py::object> owners_;
  std::deque<std::string> copies_;
  std::vector<std::string_view> views_;
};

// A Matcher for Python: the mutex makes sharing one across threads safe
// (serialised); it is only ever locked with the GIL released. The values of
// the last match are copied under the lock, as the Matcher's refer to the
// message, which Python may free once the call returns.
class PyMatcher {
 public:
  explicit PyMatcher(cwlf::Program program) : matcher_(std::move(program)) {}

  bool Match(py::handle message) {
    std::deque<std::string> copies;
    const std::string_view view = MessageView(message, copies);
    py::gil_scoped_release release;
    std::lock_guard lock(mutex_);
    return MatchLocked(view, true);
  }

  py::list MatchMany(py::handle messages) {
    MessageBatch batch(messages);
    py::list out;
    std::vector<uint8_t> matched;
    while (batch.Next()) {
      const std::vector<std::string_view>& views = batch.views();
      matched.assign(views.size(), 0);
      {
        py::gil_scoped_release release;
        std::lock_guard lock(mutex_);
        for (size_t i = 0; i < views.size(); ++i) matched[i] = MatchLocked(views[i], i + 1 == views.size());
      }
      for (uint8_t m : matched) out.append(py::bool_(m != 0));
    }
    return out;
  }

  py::dict ExtractedValues() {
    std::vector<cwlf::ExtractedValue> values;
    {
      py::gil_scoped_release release;
      std::lock_guard lock(mutex_);
      values = last_values_;
    }
    py::dict out;
    for (const cwlf::ExtractedValue& v : values) out[Text(v.name)] = Text(v.value);
    return out;
  }

  std::string_view Status() {
    py::gil_scoped_release release;
    std::lock_guard lock(mutex_);
    return cwlf::MatchStatusName(last_status_);
  }

  const cwlf::Program& program() const { return matcher_.program(); }

 private:
  bool MatchLocked(std::string_view message, bool keep_values) {
    const cwlf::MatchResult result = matcher_.Match(message);
    last_status_ = result.status;
    if (keep_values) last_values_ = result.matched ? matcher_.ExtractedValues() : std::vector<cwlf::ExtractedValue>{};
    return result.matched;
  }

  std::mutex mutex_;
  cwlf::Matcher matcher_;
  cwlf::MatchStatus last_status_ = cwlf::MatchStatus::kOk;
  std::vector<cwlf::ExtractedValue> last_values_;
};

cwlf::RuleId RuleIdOf(py::handle id) {
  if (!PyLong_Check(id.ptr())) {
    throw py::type_error(std::string("a rule id must be an int, not ") + Py_TYPE(id.ptr())->tp_name);
  }
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(id.ptr(), &overflow);
  if (value == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow != 0 || value < 0 || value > std::numeric_limits<cwlf::RuleId>::max()) {
    throw py::value_error("a rule id must be between 0 and 4294967295");
  }
  return static_cast<cwlf::RuleId>(value);
}

// Builds a RuleSet from (id, pattern-or-Program) pairs or an {id: pattern}
// mapping. Patterns are compiled here rather than by the Builder so that each
// diagnostic keeps the text it points into.
cwlf::RuleSet BuildRuleSet(py::handle rules, std::string_view dialect) {
  const cwlf::CompileOptions options = Options(dialect);
  py::object pairs = py::reinterpret_borrow<py::object>(rules);
  if (PyDict_Check(rules.ptr())) pairs = rules.attr("items")();
  cwlf::RuleSet::Builder builder;
  std::vector<PyDiagnostic> problems;
  for (py::handle item : pairs) {
    if (!PySequence_Check(item.ptr()) || IsMessage(item) || PySequence_Size(item.ptr()) != 2) {
      throw py::type_error("each rule must be an (id, pattern) pair");
    }
    py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
    const cwlf::RuleId id = RuleIdOf(pair[0]);
    py::object pattern = pair[1];
    if (py::isinstance<cwlf::Program>(pattern)) {
      builder.Add(id, pattern.cast<cwlf::Program>());
      continue;
    }
    std::deque<std::string> copies;
    const std::string_view text = MessageView(pattern, copies, "a rule's pattern");
    auto program = cwlf::Program::Compile(text, options);
    if (program) {
      builder.Add(id, std::move(*program));
      continue;
    }
    for (PyDiagnostic& d : FromError(program.error())) {
      d.diagnostic.origin = "rule " + std::to_string(id);
      problems.push_back(std::move(d));
    }
  }
  auto built = builder.Build();
  if (!built) {
    for (const cwlf::Diagnostic& d : built.error().all()) problems.push_back({d, built.error().source(), false});
  }
  if (!problems.empty()) throw CompileFailure(std::move(problems));
  return std::move(*built);
}

// A RuleSetMatcher for Python, guarded like PyMatcher.
class PyRuleSet {
 public:
  PyRuleSet(py::handle rules, std::string_view dialect) : matcher_(BuildRuleSet(rules, dialect)) {}
  explicit PyRuleSet(cwlf::RuleSet rules) : matcher_(std::move(rules)) {}

  // A RuleSet image (RuleSet::Serialize); also what pickling carries, so a
  // set travels to Dask workers without compiling its patterns again.
  static std::unique_ptr<PyRuleSet> FromImage(const py::bytes& image) {
    const std::string bytes = image;
    auto set = cwlf::RuleSet::Deserialize(bytes);
    if (!set) throw py::value_error(set.error().all().front().message);
    return std::make_unique<PyRuleSet>(std::move(*set));
  }
  py::bytes Image() const { return py::bytes(matcher_.rules().Serialize()); }

  py::list Match(py::handle message) {
    std::deque<std::string> copies;
    const std::string_view view = MessageView(message, copies);
    std::vector<cwlf::RuleId> hits;
    {
      py::gil_scoped_release release;
      std::lock_guard lock(mutex_);
      matcher_.Match(view, hits);
    }
    return Ids(hits.begin(), hits.end());
  }

  py::list MatchMany(py::handle messages) {
    MessageBatch batch(messages);
    py::list out;
    std::vector<cwlf::RuleId> hits, all;
    std::vector<size_t> ends;
    while (batch.Next()) {
      all.clear();
      ends.clear();
      {
        py::gil_scoped_release release;
        std::lock_guard lock(mutex_);
        for (std::string_view view : batch.views()) {
          matcher_.Match(view, hits);
          all.insert(all.end(), hits.begin(), hits.end());
          ends.push_back(all.size());
        }
      }
      size_t begin = 0;
      for (size_t end : ends) {
        out.append(Ids(all.begin() + static_cast<ptrdiff_t>(begin), all.begin() + static_cast<ptrdiff_t>(end)));
        begin = end;
      }
    }
    return out;
  }

  const cwlf::RuleSet& rules() const { return matcher_.rules(); }

 private:
  template <typename It>
  static py::list Ids(It begin, It end) {
    py::list out;
    for (It it = begin; it != end; ++it) out.append(py::int_(*it));
    return out;
  }

  std::mutex mutex_;
  cwlf::RuleSetMatcher matcher_;
};

// One query input: a message, a (timestamp_ms, message) pair, or a
// FilterLogEvents-style {"message", "timestamp", ...} dict.
cwlf::LogEvent EventOf(py::handle item) {
  std::deque<std::string> copies;
  cwlf::LogEvent event;
  auto integer = [](py::handle value, const char* what) {
    if (!PyLong_Check(value.ptr())) throw py::type_error(std::string(what) + " must be an int (milliseconds)");
    return value.cast<int64_t>();
  };
  if (IsMessage(item)) {
    event.message = std::string(MessageView(item, copies));
  } else if (PyDict_Check(item.ptr())) {
    py::dict d = py::reinterpret_borrow<py::dict>(item);
    if (!d.contains("message")) throw py::type_error("an event dict must have a \"message\"");
    event.message = std::string(MessageView(d["message"], copies));
    if (d.contains("timestamp")) event.timestamp_ms = integer(d["timestamp"], "timestamp");
    if (d.contains("ingestionTime")) event.ingestion_time_ms = integer(d["ingestionTime"], "ingestionTime");
    if (d.contains("logStreamName")) event.log_stream = std::string(MessageView(d["logStreamName"], copies, "logStreamName"));
    if (d.contains("logGroupName")) event.log_group = std::string(MessageView(d["logGroupName"], copies, "logGroupName"));
  } else if ((PyTuple_Check(item.ptr()) || PyList_Check(item.ptr())) && PySequence_Size(item.ptr()) == 2) {
    py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
    event.timestamp_ms = integer(pair[0], "timestamp");
    event.message = std::string(MessageView(pair[1], copies));
  } else {
    throw py::type_error(std::string("an event must be a message, a (timestamp_ms, message) pair or a dict, not ") +
                         Py_TYPE(item.ptr())->tp_name);
  }
  return event;
}

// Query.run: GetQueryResults' shape (results as field/value cells, statistics).
py::dict RunQuery(const cwlf::Query& query, py::handle events) {
  if (IsMessage(events)) throw py::type_error("expected an iterable of events, not a single message");
  std::vector<cwlf::LogEvent> inputs;
  for (py::handle item : events) inputs.push_back(EventOf(item));
  cwlf::QueryResult result;
  {
    py::gil_scoped_release release;
    result = query.Run(inputs);
  }
  py::list rows;
  for (const cwlf::ResultRow& row : result.rows) {
    py::list cells;
    for (const auto& [field, value] : row) cells.append(py::dict("field"_a = Text(field), "value"_a = Text(value)));
    rows.append(cells);
  }
  py::dict statistics("recordsMatched"_a = static_cast<double>(result.records_matched),
                      "recordsScanned"_a = static_cast<double>(result.records_scanned),
                      "bytesScanned"_a = static_cast<double>(result.bytes_scanned));
  return py::dict("status"_a = "Complete", "results"_a = rows, "statistics"_a = statistics);
}

std::string Quoted(std::string_view text) { return py::repr(Text(text)).cast<std::string>(); }

}  // namespace

PYBIND11_MODULE(_cwlf, m) {
  m.doc() = "cwlf's C++ core (import cwlf instead)";
  m.attr("__version__") = cwlf::kVersion;
  m.attr("MAX_EVENT_BYTES") = cwlf::kMaxEventBytes;

  g_pattern_error = PyErr_NewExceptionWithDoc(
      "cwlf.PatternError",
      "A pattern or query that does not compile. str() is the rendered diagnostics with carets; "
      ".diagnostics holds them one by one.",
      PyExc_ValueError, nullptr);
  if (g_pattern_error == nullptr) throw py::error_already_set();
  py::handle(g_pattern_error).attr("diagnostics") = py::tuple();
  m.add_object("PatternError", py::handle(g_pattern_error));
  py::register_exception_translator(&TranslateExceptions);

  py::class_<PyDiagnostic>(m, "Diagnostic", "One error or warning about a pattern or query.")
      .def_property_readonly("code", [](const PyDiagnostic& d) { return Text(cwlf::ErrorCodeName(d.diagnostic.code)); })
      .def_property_readonly("severity",
                             [](const PyDiagnostic& d) { return Text(cwlf::SeverityName(d.diagnostic.severity)); })
      .def_property_readonly("message", [](const PyDiagnostic& d) { return Text(d.diagnostic.message); })
      .def_property_readonly("line", [](const PyDiagnostic& d) { return d.diagnostic.location.line; })
      .def_property_readonly("column", [](const PyDiagnostic& d) { return d.diagnostic.location.column; })
      .def_property_readonly("span",
                             [](const PyDiagnostic& d) {
                               return py::make_tuple(d.diagnostic.span.begin, d.diagnostic.span.end);
                             })
      .def_property_readonly("origin", [](const PyDiagnostic& d) { return Text(d.diagnostic.origin); })
      .def("render", [](const PyDiagnostic& d) { return Text(d.Render()); })
      .def("__str__", [](const PyDiagnostic& d) { return Text(d.Render()); })
      .def("__repr__", [](const PyDiagnostic& d) {
        return "Diagnostic(code=" + Quoted(cwlf::ErrorCodeName(d.diagnostic.code)) +
               ", severity=" + Quoted(cwlf::SeverityName(d.diagnostic.severity)) +
               ", line=" + std::to_string(d.diagnostic.location.line) +
               ", column=" + std::to_string(d.diagnostic.location.column) +
               ", message=" + Quoted(d.diagnostic.message) + ")";
      });

  py::class_<cwlf::Program>(m, "Program", "A compiled filter pattern; immutable and shareable across threads.")
      .def_static(
          "compile",
          [](py::handle pattern, std::string_view dialect) {
            std::deque<std::string> copies;
            const std::string_view text = MessageView(pattern, copies, "a pattern");
            return Unwrap(cwlf::Program::Compile(text, Options(dialect)));
          },
          "pattern"_a, "dialect"_a = "filter")
      .def(
          "explain", [](const cwlf::Program& p, std::string_view stage) { return Text(p.Explain(StageNamed(stage))); },
          "stage"_a = "bytecode")
      .def_property_readonly("pattern", [](const cwlf::Program& p) { return Text(p.pattern()); })
      .def_property_readonly("kind", [](const cwlf::Program& p) { return Text(cwlf::PatternKindName(p.kind())); })
      .def_property_readonly("warnings", [](const cwlf::Program& p) { return Diagnostics(p.warnings(), p.pattern()); })
      .def("__repr__", [](const cwlf::Program& p) {
        return "Program(" + Quoted(p.pattern()) + ", kind=" + Quoted(cwlf::PatternKindName(p.kind())) + ")";
      });

  py::class_<PyMatcher>(m, "Matcher", "Matches events against one Program (per-thread scratch, lock-guarded).")
      .def(py::init<cwlf::Program>(), "program"_a)
      .def(py::init([](py::handle pattern, std::string_view dialect) {
             std::deque<std::string> copies;
             const std::string_view text = MessageView(pattern, copies, "a pattern (or Program)");
             return std::make_unique<PyMatcher>(Unwrap(cwlf::Program::Compile(text, Options(dialect))));
           }),
           "pattern"_a, "dialect"_a = "filter")
      .def("match", &PyMatcher::Match, "message"_a)
      .def("match_many", &PyMatcher::MatchMany, "messages"_a)
      .def("extracted_values", &PyMatcher::ExtractedValues)
      .def_property_readonly("status", &PyMatcher::Status)
      .def_property_readonly("program", [](const PyMatcher& matcher) { return matcher.program(); })
      .def("__repr__", [](const PyMatcher& matcher) { return "Matcher(" + Quoted(matcher.program().pattern()) + ")"; });

  py::class_<cwlf::Query>(m, "Query", "A compiled Logs Insights query; immutable and shareable across threads.")
      .def_static(
          "compile",
          [](py::handle text) {
            std::deque<std::string> copies;
            return Unwrap(cwlf::Query::Compile(MessageView(text, copies, "a query")));
          },
          "text"_a)
      .def("run", &RunQuery, "events"_a)
      .def(
          "explain", [](const cwlf::Query& q, std::string_view stage) { return Text(q.Explain(StageNamed(stage))); },
          "stage"_a = "ast")
      .def_property_readonly("text", [](const cwlf::Query& q) { return Text(q.text()); })
      .def_property_readonly("warnings", [](const cwlf::Query& q) { return Diagnostics(q.warnings(), q.text()); })
      .def("__repr__", [](const cwlf::Query& q) { return "Query(" + Quoted(q.text()) + ")"; });

  py::class_<PyRuleSet>(m, "RuleSet", "Many patterns matched together, one pass per event (lock-guarded).")
      .def(py::init<py::handle, std::string_view>(), "rules"_a, "dialect"_a = "filter")
      .def("match", &PyRuleSet::Match, "message"_a)
      .def("match_many", &PyRuleSet::MatchMany, "messages"_a)
      .def("serialize", &PyRuleSet::Image, "The set as a verified, versioned image (bytes).")
      .def_static("from_image", &PyRuleSet::FromImage, "image"_a,
                  "Loads serialize()'s bytes; ValueError for a damaged or foreign image.")
      .def(py::pickle([](const PyRuleSet& r) { return r.Image(); },
                      [](const py::bytes& image) { return PyRuleSet::FromImage(image); }))
      .def_property_readonly("ids",
                             [](const PyRuleSet& r) {
                               py::list out;
                               for (cwlf::RuleId id : r.rules().ids()) out.append(py::int_(id));
                               return out;
                             })
      .def_property_readonly("dispatch_summary", [](const PyRuleSet& r) { return Text(r.rules().DispatchSummary()); })
      .def("__len__", [](const PyRuleSet& r) { return r.rules().size(); })
      .def("__repr__", [](const PyRuleSet& r) { return "RuleSet(<" + std::to_string(r.rules().size()) + " rules>)"; });
}
