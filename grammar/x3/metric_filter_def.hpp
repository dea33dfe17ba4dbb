// X3 rules of the filter-pattern language, named as the productions of
// grammar/metric_filter.ebnf. No semantic actions: attributes build the syntax
// tree, annotate.hpp records spans and the first expectation failure. Commit
// with '>' as soon as a construct is certain, so errors point at the real spot.
// What the grammar accepts broadly (bare terms, regex bodies) is narrowed with
// precise diagnostics in src/sema/check.cpp.
#pragma once

#include "annotate.hpp"
#include "config.hpp"
#include "syntax.hpp"
#include "syntax_adapted.hpp"

namespace cwlf::grammar::rules {

using x3::attr;
using x3::char_;
using x3::lexeme;
using x3::lit;
using x3::raw;

// Rule-ID classes: every rule records its span; the top rules report failures.
struct quoted_string_class : annotate_span {};
struct regex_literal_class : annotate_span {};
struct bare_term_class : annotate_span {};
struct term_atom_class : annotate_span {};
struct term_class : annotate_span {};
struct term_pattern_class : report_failure {};
struct property_name_class : annotate_span {};
struct bracket_key_class : annotate_span {};
struct array_index_class : annotate_span {};
struct step_name_class : annotate_span {};
struct dot_step_class : annotate_span {};
struct index_body_class : annotate_span {};
struct index_step_class : annotate_span {};
struct selector_class : annotate_span {};
struct comparison_operator_class : annotate_span {};
struct bare_value_class : annotate_span {};
struct value_class : annotate_span {};
struct is_keyword_class : annotate_span {};
struct is_operand_class : annotate_span {};
struct is_test_class : annotate_span {};
struct exists_test_class : annotate_span {};
struct comparison_class : annotate_span {};
struct condition_tail_class : annotate_span {};
struct json_condition_class : annotate_span {};
struct json_group_class : annotate_span {};
struct json_unary_class : annotate_span {};
struct json_and_class : annotate_span {};
struct json_or_class : annotate_span {};
struct json_pattern_class : report_failure {};
struct field_name_class : annotate_span {};
struct field_test_class : annotate_span {};
struct field_link_class : annotate_span {};
struct field_class : annotate_span {};
struct delimited_pattern_class : report_failure {};

// The rule names are what diagnostics say was expected (see diagnose.cpp).
const x3::rule<quoted_string_class, std::string> quoted_string = "quoted string";
const x3::rule<regex_literal_class, std::string> regex_literal = "regular expression";
const x3::rule<bare_term_class, std::string> bare_term = "term";
const x3::rule<term_atom_class, ast::Value> term_atom = "term";
const x3::rule<term_class, ast::Term> term = "term";
const x3::rule<term_pattern_class, ast::TermPattern> term_pattern = "term pattern";

const x3::rule<property_name_class, std::string> property_name = "property name";
const x3::rule<bracket_key_class, std::string> bracket_key = "quoted key ['...']";
const x3::rule<array_index_class, std::string> array_index = "array index";
const x3::rule<step_name_class, ast::SelectorStep> step_name =
    "property name, '*' or ['key'] after '.'";
const x3::rule<dot_step_class, ast::SelectorStep> dot_step = "selector step";
const x3::rule<index_body_class, ast::SelectorStep> index_body = "array index or '*'";
const x3::rule<index_step_class, ast::SelectorStep> index_step = "selector step";
const x3::rule<selector_class, ast::Selector> selector = "selector";
const x3::rule<comparison_operator_class, std::string> comparison_operator = "comparison operator";
const x3::rule<bare_value_class, std::string> bare_value = "value";
const x3::rule<value_class, ast::Value> value = "value";
const x3::rule<is_keyword_class, std::string> is_keyword = "NULL, TRUE or FALSE";
const x3::rule<is_operand_class, ast::ConditionTail> is_operand = "NULL, TRUE or FALSE";
const x3::rule<is_test_class, ast::ConditionTail> is_test = "IS test";
const x3::rule<exists_test_class, ast::ConditionTail> exists_test = "NOT EXISTS";
const x3::rule<comparison_class, ast::ConditionTail> comparison = "comparison";
const x3::rule<condition_tail_class, ast::ConditionTail> condition_tail = "condition_tail";
const x3::rule<json_condition_class, ast::JsonCondition> json_condition = "condition";
const x3::rule<json_group_class, ast::JsonOr> json_group = "parenthesized condition";
const x3::rule<json_unary_class, ast::JsonUnary> json_unary = "condition";
const x3::rule<json_and_class, ast::JsonAnd> json_and = "condition";
const x3::rule<json_or_class, ast::JsonOr> json_or = "condition";
const x3::rule<json_pattern_class, ast::JsonPattern> json_pattern = "JSON pattern";

const x3::rule<field_name_class, std::string> field_name = "field name";
const x3::rule<field_test_class, ast::FieldTest> field_test = "field";
const x3::rule<field_link_class, ast::FieldLink> field_link = "field condition";
const x3::rule<field_class, ast::Field> field = "field";
const x3::rule<delimited_pattern_class, ast::DelimitedPattern> delimited_pattern =
    "space-delimited pattern";

// ---- lexemes ------------------------------------------------------------------
// Words (bare terms and values, names, indexes) are taken whole with raw[]
// rather than appended a character at a time (BM_Compile: 277k -> 251k
// instructions per Compile).
// A quoted string keeps every character but unescapes \" and \\ (R-T7).
const auto quoted_string_def = lexeme['"' > *((lit('\\') >> char_("\"\\")) | ~char_('"')) > '"'];
// A regular expression's body, kept raw for check.cpp; \% does not close it.
const auto regex_literal_def = lexeme['%' > raw[*((char_('\\') >> char_) | ~char_('%'))] > '%'];
// Bare terms stop at space, quote and '-' (an unquoted '-' starts an exclusion).
const auto bare_term_def = lexeme[raw[+(~char_(" \t\r\n\"-"))]];

// ---- term patterns --------------------------------------------------------
const auto term_atom_def = (attr('q') >> quoted_string) | (attr('r') >> regex_literal) |
                           (attr('b') >> bare_term);
const auto term_def = (char_("?-") > term_atom) | (attr(char(0)) >> term_atom);
const auto term_pattern_def = *term;

// ---- JSON patterns -------------------------------------------------------
const auto property_name_def = lexeme[raw[+char_("a-zA-Z0-9_-")]];
const auto bracket_key_def = lexeme[lit("['") > *(~char_('\'')) > lit("']")];
const auto array_index_def = lexeme[raw[+char_("0-9")]];
// Alternatives that start with different characters are tried most common
// first: property names here, '=' among the operators (BM_Compile: 251k ->
// 243k instructions). The order changes nothing else.
const auto step_name_def = (attr('.') >> property_name) |
                           (attr('*') >> lit('*') >> attr(std::string())) | (attr('.') >> bracket_key);
const auto dot_step_def = lit('.') > step_name;
const auto index_body_def = (attr('*') >> lit('*') >> attr(std::string())) | (attr('[') >> array_index);
const auto index_step_def = lit('[') > index_body > lit(']');
const auto selector_def = lexeme[char_('$') > +(dot_step | index_step)];
const auto comparison_operator_def = x3::string("=") | x3::string("!=") | x3::string("<=") |
                                     x3::string(">=") | x3::string("<") | x3::string(">");
const auto bare_value_def = lexeme[raw[+char_("a-zA-Z0-9._*+:@/-")]];
const auto value_def = (attr('q') >> quoted_string) | (attr('r') >> regex_literal) |
                       (attr('b') >> bare_value);
const auto keyword_end = !char_("a-zA-Z0-9_");
const auto is_keyword_def = lexeme[(x3::string("NULL") | x3::string("TRUE") | x3::string("FALSE")) >> keyword_end];
const auto is_operand_def = is_keyword >> attr(ast::Value{});
const auto is_test_def = lexeme[lit("IS") >> keyword_end] > is_operand;
const auto exists_test_def =
    lexeme[lit("NOT") >> keyword_end] > lexeme[x3::string("EXISTS") >> keyword_end] >>
    attr(ast::Value{});
const auto comparison_def = comparison_operator > value;
const auto condition_tail_def = is_test | exists_test | comparison;
const auto json_condition_def = selector > condition_tail;
const auto json_group_def = '(' > json_or > ')';
const auto json_unary_def = json_group | json_condition;
const auto json_and_def = json_unary % "&&";
const auto json_or_def = json_and % "||";
const auto json_pattern_def = '{' > json_or > '}';

// ---- space-delimited patterns ----------------------------------------------
const auto field_name_def = x3::string("...") | lexeme[raw[+char_("a-zA-Z0-9_")]];
const auto field_test_def = field_name >> (comparison | attr(ast::ConditionTail{}));
const auto field_link_def = (x3::string("&&") | x3::string("||")) > field_test;
const auto field_def = (field_test >> *field_link) | attr(ast::Field{});
const auto delimited_pattern_def = '[' > (field % ',') > ']';

BOOST_SPIRIT_DEFINE(quoted_string, regex_literal, bare_term, term_atom, term, term_pattern,
                    property_name, bracket_key, array_index, step_name, dot_step, index_body, index_step, selector,
                    comparison_operator, bare_value, value, is_keyword, is_operand, is_test, exists_test,
                    comparison, condition_tail, json_condition, json_group, json_unary,
                    json_and, json_or, json_pattern, field_name, field_test, field_link, field,
                    delimited_pattern)

}  // namespace cwlf::grammar::rules
