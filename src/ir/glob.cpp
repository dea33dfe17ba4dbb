// Glob compilation and matching (semantics.md R-G1, R-G2).
#include "ir/glob.hpp"

namespace cwlf::ir {

Glob Glob::Compile(std::string_view text, GlobMode mode) {
  Glob g;
  g.source_ = std::string(text);
  if (mode == GlobMode::kEdgesOnly) {
    // Only a leading and a trailing '*' are wildcards; a middle one is literal.
    std::string_view body = text;
    g.anchored_start_ = !(body.size() >= 1 && body.front() == '*');
    if (!g.anchored_start_) body.remove_prefix(1);
    g.anchored_end_ = !(!body.empty() && body.back() == '*');
    if (!g.anchored_end_) body.remove_suffix(1);
    g.chunks_.emplace_back(body);
  } else {
    size_t start = 0;
    std::vector<std::string> pieces;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == '*') {
        pieces.emplace_back(text.substr(start, i - start));
        start = i + 1;
      }
    }
    if (pieces.size() == 1) {
      g.chunks_ = std::move(pieces);  // no '*': exact equality
    } else {
      g.anchored_start_ = !pieces.front().empty();
      g.anchored_end_ = !pieces.back().empty();
      // Consecutive and edge stars leave empty pieces; they add nothing.
      for (auto& piece : pieces)
        if (!piece.empty()) g.chunks_.push_back(std::move(piece));
      if (g.chunks_.empty()) g.chunks_.emplace_back();
    }
  }
  const bool one = g.chunks_.size() == 1;
  if (one && g.anchored_start_ && g.anchored_end_) {
    g.shape_ = Shape::kExact;
  } else if (one && g.chunks_.front().empty()) {
    g.shape_ = Shape::kAny;
  } else if (one && g.anchored_start_) {
    g.shape_ = Shape::kPrefix;
  } else if (one && g.anchored_end_) {
    // "*X": X's first occurrence must end the string (R-G1), which is not the
    // same as "ends with X" when X occurs earlier too.
    g.shape_ = Shape::kGeneral;
  } else if (one) {
    g.shape_ = Shape::kContains;
  } else {
    g.shape_ = Shape::kGeneral;
  }
  if (mode == GlobMode::kEdgesOnly && one && !g.anchored_start_ && g.anchored_end_) {
    g.shape_ = Shape::kSuffix;  // the documented reading: a plain suffix test
  }
  return g;
}

bool Glob::Match(std::string_view s) const {
  switch (shape_) {
    case Shape::kExact:
      return s == chunks_.front();
    case Shape::kAny:
      return true;
    case Shape::kPrefix:
      return s.starts_with(chunks_.front());
    case Shape::kSuffix:
      return s.ends_with(chunks_.front());
    case Shape::kContains:
      return s.find(chunks_.front()) != std::string_view::npos;
    case Shape::kGeneral:
      break;
  }
  size_t pos = 0;
  size_t i = 0;
  if (anchored_start_) {
    if (!s.starts_with(chunks_.front())) return false;
    pos = chunks_.front().size();
    i = 1;
  }
  size_t last_end = pos;
  for (; i < chunks_.size(); ++i) {
    size_t at = s.find(chunks_[i], pos);
    if (at == std::string_view::npos) return false;
    pos = at + chunks_[i].size();
    last_end = pos;
  }
  return !anchored_end_ || last_end == s.size();
}

}  // namespace cwlf::ir
