// test_parse_php.cpp — the PHP parser on real PHP 8.2 output
// (test/fixtures/stacks/php) and the labelled PHP corpus.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fingerprint.hpp"
#include "parse_test_util.hpp"
#include "parser.hpp"

using namespace errtrack_parse_test;  // fixture(), parse(), fp(), keys(), corpus()
using errtrack::Category;
using errtrack::Lang;
using errtrack::ParsedStack;
using errtrack::Role;

TEST(ParsePhp, ToStringHeaderAndShiftedFrames)
{
	ParsedStack ps = parse(fixture("php", "tostring_simple.txt"));
	ASSERT_EQ(ps.lang, Lang::Php);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "App\\NotFound");
	EXPECT_EQ(ps.chain[0].message, "record 4711 not found");
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "App\\Service");
	EXPECT_EQ(f.function, "findOrder");
	EXPECT_EQ(f.file, "Shop.php");  // where it runs (the header location); fp2: src/ dropped before a file directly in it
	EXPECT_EQ(f.line, 30);
	EXPECT_EQ(f.category, Category::App);
	EXPECT_EQ(ps.chain[0].frames.back().function, "{main}");
}

TEST(ParsePhp, PreviousChainNextOutermostFirst)
{
	ParsedStack ps = parse(fixture("php", "uncaught_log_errors.txt"));
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "App\\RegistrationFailed");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	EXPECT_EQ(ps.chain[1].type, "PDOException");
	EXPECT_EQ(ps.chain[1].role, Role::Cause);
	EXPECT_NE(ps.chain[1].message.find("DETAIL:"), std::string::npos);
	EXPECT_EQ(ps.chain[1].frames[0].function, "insert");
	EXPECT_EQ(fp(fixture("php", "uncaught_log_errors.txt")), fp(fixture("php", "uncaught_display_errors.txt")));
}

TEST(ParsePhp, ArgsDoNotMatter)
{
	for (auto pair : {std::make_pair("previous_chain_next.txt", "previous_chain_next_with_args.txt"),
	                  std::make_pair("closure_array_map.txt", "closure_array_map_with_args.txt"),
	                  std::make_pair("vendor_path.txt", "vendor_path_with_args.txt")}) {
		ParsedStack a = parse(fixture("php", pair.first)), b = parse(fixture("php", pair.second));
		ASSERT_EQ(a.chain.size(), b.chain.size());
		for (size_t k = 0; k < a.chain.size(); k++)
			EXPECT_EQ(keys(a.chain[k]), keys(b.chain[k])) << pair.first;
	}
}

TEST(ParsePhp, InternalFunctionsClosuresVendor)
{
	ParsedStack ps = parse(fixture("php", "closure_array_map.txt"));
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].function, "{closure}");
	EXPECT_EQ(fr[0].module, "App\\Service");
	EXPECT_EQ(fr[0].category, Category::App);
	EXPECT_EQ(fr[1].function, "array_map");
	EXPECT_EQ(fr[1].module, "php");
	EXPECT_EQ(fr[1].category, Category::Library);
	ParsedStack d = parse(fixture("php", "division_by_zero.txt"));
	EXPECT_EQ(d.chain[0].frames[0].function, "intdiv");
	EXPECT_EQ(d.chain[0].frames[0].category, Category::Library);
	ParsedStack v = parse(fixture("php", "vendor_path.txt"));
	EXPECT_EQ(v.chain[0].frames[0].category, Category::Library);
	EXPECT_EQ(v.chain[0].frames[0].file, "php:acme/http/src/Client.php");
	EXPECT_EQ(v.chain[0].frames[2].function, "fetchInventory");
}

TEST(ParsePhp, Php84ClosureNameSameKey)
{
	// PHP 8.4 names closures "{closure:Class::method():LINE}" (no 8.4
	// runtime here): rewrite the real 8.2 closure frame to 8.4 syntax.
	std::string a = fixture("php", "closure_array_map.txt");
	std::string b = a;
	size_t p = b.find("App\\Service->App\\{closure}(");
	ASSERT_NE(p, std::string::npos);
	b.replace(p, 26, "App\\Service->{closure:App\\Service::totals():36}(");
	EXPECT_EQ(keys(parse(a).chain[0]), keys(parse(b).chain[0]));
	EXPECT_EQ(fp(a), fp(b));
}

TEST(ParsePhp, TraceAsStringOnly)
{
	ParsedStack ps = parse(fixture("php", "trace_as_string.txt"));
	ASSERT_EQ(ps.lang, Lang::Php);
	EXPECT_EQ(ps.chain[0].frames[0].function, "findOrder");
}

TEST(ParsePhp, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("php", "previous_chain_next.txt")), fp(fixture("php", "uncaught_log_errors.txt")));
	EXPECT_NE(fp(fixture("php", "division_by_zero.txt")), fp(fixture("php", "type_error.txt")));
}

TEST(ParsePhp, Corpus)
{
	CorpusResult r;
	if (!corpus("php", r))
		GTEST_SKIP() << "no PHP corpus";
	EXPECT_EQ(r.merged, 0u);
	EXPECT_GE(r.deploys_agree + 1, r.labels);
}
