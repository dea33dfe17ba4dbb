// Umbrella header: most users include only this.
#pragma once

#include "cwlf/diagnostic.hpp"
#include "cwlf/matcher.hpp"
#include "cwlf/metric.hpp"
#include "cwlf/options.hpp"
#include "cwlf/program.hpp"
#include "cwlf/result.hpp"
#include "cwlf/version.hpp"
