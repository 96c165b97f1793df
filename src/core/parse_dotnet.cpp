// parse_dotnet.cpp — PLACEHOLDER: the DotNet parser is not written yet (issue 3).
// It detects nothing, so DotNet stacks currently go to the generic parser.
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

class Pending final : public StackParser {
public:
	Lang lang() const override { return Lang::DotNet; }
	int score(const std::vector<std::string_view> &) const override { return 0; }
	void parse(const std::vector<std::string_view> &, ParsedStack &, const Cancel &) const override {}
};

}  // namespace

const StackParser &
dotnet_parser()
{
	static const Pending p;
	return p;
}

}  // namespace errtrack
