// Boost.Fusion adaptation of the syntax tree, and nothing else.
#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "syntax.hpp"

BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::Value, kind, text)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::Term, prefix, atom)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::TermPattern, terms)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::SelectorStep, kind, text)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::Selector, root, steps)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::ConditionTail, op, value)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::JsonCondition, selector, tail)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::JsonAnd, operands)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::JsonOr, operands)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::JsonPattern, expr)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::FieldTest, name, tail)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::FieldLink, op, test)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::Field, first, rest)
BOOST_FUSION_ADAPT_STRUCT(cwlf::ast::DelimitedPattern, fields)
