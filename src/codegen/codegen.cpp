// IR -> bytecode with labels, then jump threading and dead-code removal.
#include "codegen/codegen.hpp"

#include <fmt/format.h>

#include <functional>

#include "util/number.hpp"

namespace cwlf::codegen {

namespace {

using vm::Inst;
using vm::Op;

class Generator {
 public:
  Generator(const ir::Filter& filter, detail::Image& image) : filter_(filter), image_(image) {
    // An IR node emits at most one instruction and binds at most one label, so
    // these vectors never regrow (BM_Compile: 234k -> 226k instructions).
    const size_t nodes = 2 + CountNodes(filter.root);
    code_.reserve(nodes);
    spans_.reserve(nodes);
    targets_.reserve(nodes);
    label_pc_.reserve(nodes);
    label_pc_ = {vm::kRejectPc, vm::kAcceptPc};
    code_.push_back({Op::REJECT});
    code_.push_back({Op::ACCEPT});
    spans_.resize(2);
    targets_.resize(2);
  }

  std::expected<void, std::string> Run() {
    const int entry = static_cast<int>(code_.size());
    Emit(filter_.root, kAccept, kReject);
    if (code_.size() > 0xFFFF) {
      return std::unexpected(fmt::format("the program needs {} instructions; the limit is {}",
                                         code_.size(), image_.options.max_instructions));
    }
    // Resolve labels.
    for (size_t pc = 2; pc < code_.size(); ++pc) {
      code_[pc].jt = static_cast<uint16_t>(label_pc_[static_cast<size_t>(targets_[pc].first)]);
      code_[pc].jf = static_cast<uint16_t>(label_pc_[static_cast<size_t>(targets_[pc].second)]);
    }
    uint32_t start = Thread(static_cast<uint32_t>(entry));
    Compact(start);
    if (image_.code.size() > image_.options.max_instructions) {
      return std::unexpected(fmt::format("the program needs {} instructions; the limit is {}",
                                         image_.code.size(), image_.options.max_instructions));
    }
    return {};
  }

 private:
  static constexpr int kReject = 0;
  static constexpr int kAccept = 1;

  static size_t CountNodes(const ir::Expr& e) {
    size_t n = 1;
    for (const ir::Expr& c : e.children) n += CountNodes(c);
    return n;
  }

  int NewLabel() {
    label_pc_.push_back(-1);
    return static_cast<int>(label_pc_.size() - 1);
  }
  void Bind(int label) { label_pc_[static_cast<size_t>(label)] = static_cast<int>(code_.size()); }

  void EmitInst(Inst inst, int t, int f, SourceSpan span) {
    code_.push_back(inst);
    targets_.emplace_back(t, f);
    spans_.push_back(span);
  }

  // The index of `s` in the string pool, added when new. The scan compares
  // hashes before strings, since a 1024-character pattern can hold a hundred
  // strings (BM_Compile: 270k -> 258k instructions against comparing the
  // strings; a std::unordered_map took 275k at that size).
  uint32_t InternString(const std::string& s) {
    const size_t hash = std::hash<std::string>{}(s);
    for (size_t i = 0; i < string_hashes_.size(); ++i)
      if (string_hashes_[i] == hash && image_.strings[i] == s) return static_cast<uint32_t>(i);
    string_hashes_.push_back(hash);
    image_.strings.push_back(s);
    return static_cast<uint32_t>(image_.strings.size() - 1);
  }

  void Emit(const ir::Expr& e, int t, int f) {
    using ir::Kind;
    switch (e.kind) {
      case Kind::kTrue: EmitInst({Op::JUMP}, t, t, e.span); return;
      case Kind::kFalse: EmitInst({Op::JUMP}, f, f, e.span); return;
      case Kind::kNot: Emit(e.children.front(), f, t); return;
      case Kind::kAll:
      case Kind::kAny: {
        if (e.children.empty()) {
          const int to = e.kind == Kind::kAll ? t : f;
          EmitInst({Op::JUMP}, to, to, e.span);
          return;
        }
        for (size_t i = 0; i + 1 < e.children.size(); ++i) {
          const int next = NewLabel();
          if (e.kind == Kind::kAll) Emit(e.children[i], next, f);
          else Emit(e.children[i], t, next);
          Bind(next);
        }
        Emit(e.children.back(), t, f);
        return;
      }
      default:
        EmitInst(Lower(e), t, f, e.span);
        return;
    }
  }

  Inst Lower(const ir::Expr& e) {
    using ir::Kind;
    Inst inst;
    inst.slot = e.operand;
    inst.flags = e.negate ? vm::kNegate : 0;
    const bool on_message =
        e.operand < filter_.operands.size() && filter_.operands[e.operand].kind == ir::OperandKind::kMessage;
    switch (e.kind) {
      case Kind::kIsJsonObject: inst.op = Op::IS_JSON_OBJECT; inst.slot = 0; break;
      case Kind::kMinFields: inst.op = Op::MIN_FIELDS; inst.k = e.count; inst.slot = 0; break;
      case Kind::kExactFields: inst.op = Op::EXACT_FIELDS; inst.k = e.count; inst.slot = 0; break;
      case Kind::kExists: inst.op = Op::EXISTS; break;
      case Kind::kIsNull: inst.op = Op::IS_NULL; break;
      case Kind::kIsTrue: inst.op = Op::IS_TRUE; break;
      case Kind::kIsFalse: inst.op = Op::IS_FALSE; break;
      case Kind::kContains:
        inst.op = on_message ? Op::MSG_CONTAINS : Op::STR_CONTAINS;
        inst.k = InternString(e.text);
        break;
      case Kind::kRegex:
        inst.op = on_message ? Op::MSG_REGEX : Op::STR_REGEX;
        inst.k = RegexIndex(e.count);
        break;
      case Kind::kStrMatch: {
        if (e.text.find('*') == std::string::npos) {
          // No '*': exact equality in every GlobMode, and the common case, so
          // no Glob is built for it (BM_Compile: 289k -> 275k instructions).
          inst.op = Op::STR_EQ;
          inst.k = InternString(e.text);
          break;
        }
        ir::Glob glob = ir::Glob::Compile(e.text, filter_.glob_mode);
        switch (glob.shape()) {
          case ir::Glob::Shape::kExact: inst.op = Op::STR_EQ; break;
          case ir::Glob::Shape::kPrefix: inst.op = Op::STR_PREFIX; break;
          case ir::Glob::Shape::kSuffix: inst.op = Op::STR_SUFFIX; break;
          case ir::Glob::Shape::kContains: inst.op = Op::STR_CONTAINS; break;
          case ir::Glob::Shape::kAny: inst.op = Op::STR_ANY; break;
          case ir::Glob::Shape::kGeneral: inst.op = Op::STR_GLOB; break;
        }
        if (inst.op == Op::STR_GLOB) {
          image_.globs.push_back(std::move(glob));
          inst.k = static_cast<uint32_t>(image_.globs.size() - 1);
        } else if (inst.op != Op::STR_ANY) {
          inst.k = InternString(glob.literal());
        }
        break;
      }
      case Kind::kNumEq:
      case Kind::kNumCmp: {
        if (e.kind == Kind::kNumEq) inst.op = Op::NUM_EQ;
        else if (e.cmp == ir::CmpOp::kLt) inst.op = Op::NUM_LT;
        else if (e.cmp == ir::CmpOp::kLe) inst.op = Op::NUM_LE;
        else if (e.cmp == ir::CmpOp::kGt) inst.op = Op::NUM_GT;
        else inst.op = Op::NUM_GE;
        image_.numbers.push_back({e.number, e.text});
        inst.k = static_cast<uint32_t>(image_.numbers.size() - 1);
        break;
      }
      case Kind::kPresent: inst.op = Op::PRESENT; break;
      case Kind::kValueEq:
      case Kind::kValueCmp: {
        if (e.kind == Kind::kValueEq) inst.op = Op::VAL_EQ;
        else if (e.cmp == ir::CmpOp::kLt) inst.op = Op::VAL_LT;
        else if (e.cmp == ir::CmpOp::kLe) inst.op = Op::VAL_LE;
        else if (e.cmp == ir::CmpOp::kGt) inst.op = Op::VAL_GT;
        else inst.op = Op::VAL_GE;
        if (!e.literal_is_number) inst.flags |= vm::kStringLiteral;
        detail::NumberConstant constant{e.number, e.text, true};
        constant.numeric = util::ParseNumber(e.text, &constant.value);
        image_.numbers.push_back(std::move(constant));
        inst.k = static_cast<uint32_t>(image_.numbers.size() - 1);
        break;
      }
      default:
        inst.op = Op::REJECT;  // unreachable: connectives are handled by Emit
        break;
    }
    return inst;
  }

  uint32_t RegexIndex(uint32_t filter_index) {
    const auto& re = filter_.regexes.at(filter_index);
    for (size_t i = 0; i < image_.regexes.size(); ++i)
      if (image_.regexes[i] == re) return static_cast<uint32_t>(i);
    image_.regexes.push_back(re);
    return static_cast<uint32_t>(image_.regexes.size() - 1);
  }

  // Follows JUMPs so no test lands on a JUMP.
  uint32_t Thread(uint32_t pc) const {
    for (int guard = 0; guard < 1 << 16 && pc > vm::kAcceptPc && code_[pc].op == Op::JUMP; ++guard)
      pc = code_[pc].jt;
    return pc;
  }

  // Threads jumps, drops unreachable instructions and renumbers.
  void Compact(uint32_t start) {
    for (size_t pc = 2; pc < code_.size(); ++pc) {
      code_[pc].jt = static_cast<uint16_t>(Thread(code_[pc].jt));
      code_[pc].jf = static_cast<uint16_t>(Thread(code_[pc].jf));
    }
    std::vector<bool> live(code_.size(), false);
    live[0] = live[1] = true;
    // Jumps only go forward, so one pass in pc order finds every live pc.
    if (start > 1) live[start] = true;
    for (size_t pc = 2; pc < code_.size(); ++pc) {
      if (!live[pc]) continue;
      live[code_[pc].jt] = true;
      live[code_[pc].jf] = true;
    }
    std::vector<uint16_t> renumber(code_.size(), 0);
    image_.code.clear();
    image_.spans.clear();
    image_.code.reserve(code_.size());
    image_.spans.reserve(code_.size());
    for (size_t pc = 0; pc < code_.size(); ++pc) {
      if (!live[pc]) continue;
      renumber[pc] = static_cast<uint16_t>(image_.code.size());
      image_.code.push_back(code_[pc]);
      image_.spans.push_back(spans_[pc]);
    }
    for (size_t pc = 2; pc < image_.code.size(); ++pc) {
      image_.code[pc].jt = renumber[image_.code[pc].jt];
      image_.code[pc].jf = renumber[image_.code[pc].jf];
      if (image_.code[pc].op == Op::JUMP) image_.code[pc].jf = image_.code[pc].jt;
    }
    image_.entry = renumber[start];
  }

  const ir::Filter& filter_;
  detail::Image& image_;
  std::vector<Inst> code_;
  std::vector<SourceSpan> spans_;
  std::vector<std::pair<int, int>> targets_;
  std::vector<int> label_pc_;
  std::vector<size_t> string_hashes_;  // of image_.strings, index for index
};

}  // namespace

std::expected<void, std::string> Generate(const ir::Filter& filter, detail::Image& image) {
  return Generator(filter, image).Run();
}

}  // namespace cwlf::codegen
