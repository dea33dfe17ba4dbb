// Umbrella header: most users include only this.
#pragma once

#include "cwlf/diagnostic.hpp"
#include "cwlf/matcher.hpp"
#include "cwlf/metric.hpp"
#include "cwlf/options.hpp"
#include "cwlf/program.hpp"
#include "cwlf/query.hpp"
#include "cwlf/result.hpp"
#include "cwlf/rule_set.hpp"
#include "cwlf/version.hpp"
