// parse_php.cpp — PLACEHOLDER: the Php parser is not written yet (issue 3).
// It detects nothing, so Php stacks currently go to the generic parser.
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

class Pending final : public StackParser {
public:
	Lang lang() const override { return Lang::Php; }
	int score(const std::vector<std::string_view> &) const override { return 0; }
	void parse(const std::vector<std::string_view> &, ParsedStack &, const Cancel &) const override {}
};

}  // namespace

const StackParser &
php_parser()
{
	static const Pending p;
	return p;
}

}  // namespace errtrack
