# Build-time helper: writes OUTPUT, a C++ source holding the bytes of INPUT (the
# built-in pack) as cwlf::pack::detail::kBuiltinPack. Run with
# cmake -DINPUT=... -DOUTPUT=... -P embed.cmake. Not a general resource compiler.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Sixteen bytes a line: "0x7b,0x0a,...".
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 line_regex)
string(REGEX REPLACE "(${line_regex})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by src/pack/embed.cmake. Do not edit.\n"
  "#include <cstddef>\n\n"
  "namespace cwlf::pack::detail {\n"
  "extern const unsigned char kBuiltinPack[] = {\n${bytes}0x00};\n"
  "extern const std::size_t kBuiltinPackSize = ${size};\n"
  "}  // namespace cwlf::pack::detail\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
