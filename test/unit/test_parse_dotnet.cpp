// test_parse_dotnet.cpp — the .NET parser on real Mono 6.8 output
// (test/fixtures/stacks/dotnet) and the labelled .NET corpus.
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

TEST(ParseDotNet, InnerExceptionChain)
{
	ParsedStack ps = parse(fixture("dotnet", "inner_exception.txt"));
	ASSERT_EQ(ps.lang, Lang::DotNet);
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "System.InvalidOperationException");
	EXPECT_EQ(ps.chain[0].message, "Order 4711 could not be placed");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	EXPECT_EQ(ps.chain[1].type, "System.Collections.Generic.KeyNotFoundException");
	EXPECT_EQ(ps.chain[1].role, Role::Cause);
	EXPECT_EQ(ps.chain[1].depth, 1);
	// inner frames come first in the text
	ASSERT_EQ(ps.chain[1].frames.size(), 2u);
	EXPECT_EQ(ps.chain[1].frames[0].module, "Acme.Fixtures.Repository");  // Repository`1[T]
	EXPECT_EQ(ps.chain[1].frames[0].function, "Find");
	EXPECT_EQ(ps.chain[1].frames[0].file, "Fixtures.cs");
	EXPECT_EQ(ps.chain[1].frames[0].line, 25);
	EXPECT_EQ(ps.chain[0].frames[0].function, "Place");
	EXPECT_EQ(ps.chain[0].frames[1].function, "Main.<lambda>");  // <Main>c__AnonStorey0.<>m__0
	EXPECT_EQ(ps.chain[0].frames[1].module, "Acme.Fixtures.Program");
}

TEST(ParseDotNet, SameBugDifferentIdAndLambdaOrdinal)
{
	EXPECT_EQ(fp(fixture("dotnet", "inner_exception.txt")), fp(fixture("dotnet", "inner_exception_2.txt")));
}

TEST(ParseDotNet, LambdasAndLibraryFrames)
{
	ParsedStack ps = parse(fixture("dotnet", "lambda_linq.txt"));
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].module, "System.Number");
	EXPECT_EQ(fr[0].category, Category::Library);
	EXPECT_EQ(fr[3].function, "SumQuantities.<lambda>");
	EXPECT_EQ(fr[3].module, "Acme.Fixtures.OrderService");
	EXPECT_EQ(fr[3].category, Category::App);
	ParsedStack v = parse(fixture("dotnet", "lambda_func.txt"));
	EXPECT_EQ(v.chain[0].frames[0].function, "Validate.<lambda>");  // <Validate>m__0
	EXPECT_EQ(v.chain[0].message, "invalid email 'bob.example.org'\nParameter name: email");
}

TEST(ParseDotNet, AggregateInnerBlockNotDuplicated)
{
	ParsedStack ps = parse(fixture("dotnet", "aggregate_exception.txt"));
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "System.AggregateException");
	EXPECT_EQ(ps.chain[1].type, "System.FormatException");
	EXPECT_EQ(ps.chain[0].frames[0].category, Category::Plumbing);  // Task.ThrowIfExceptional
	EXPECT_EQ(ps.chain[1].frames.size(), 5u);
}

TEST(ParseDotNet, MonoUnhandledPrintedTwice)
{
	ParsedStack ps = parse(fixture("dotnet", "uncaught_stderr.txt"));
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "System.InvalidOperationException");
	EXPECT_EQ(ps.chain[0].frames.size(), 2u);
	EXPECT_EQ(ps.chain[0].frames[0].file, "");  // "<mvid>:0": no symbols
}

TEST(ParseDotNet, CoreClrSyntaxSameKeys)
{
	// The CoreCLR format of the same frames (no CoreCLR runtime here): the
	// Mono lines rewritten to "at X.M(args) in file:line N" give the same keys.
	std::string mono = fixture("dotnet", "inner_exception.txt");
	std::string core;
	std::istringstream in(mono);
	std::string l;
	while (std::getline(in, l)) {
		size_t b = l.find(" [0x");
		size_t in_ = l.rfind(" in ");
		if (l.rfind("  at ", 0) == 0 && b != std::string::npos && in_ != std::string::npos) {
			std::string head = l.substr(0, b);
			size_t sp = head.find(" (");
			head.erase(sp, 1);
			std::string loc = l.substr(in_ + 4);
			while (!loc.empty() && loc.back() == ' ') loc.pop_back();
			size_t c = loc.rfind(':');
			core += "   " + head.substr(2) + " in " + loc.substr(0, c) + ":line " + loc.substr(c + 1) + "\n";
		} else {
			core += l + "\n";
		}
	}
	ParsedStack a = parse(mono), b = parse(core);
	ASSERT_EQ(b.lang, Lang::DotNet);
	ASSERT_EQ(a.chain.size(), b.chain.size());
	for (size_t k = 0; k < a.chain.size(); k++)
		EXPECT_EQ(keys(a.chain[k]), keys(b.chain[k]));
	EXPECT_EQ(fp(mono), fp(core));
}

TEST(ParseDotNet, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("dotnet", "async_await.txt")), fp(fixture("dotnet", "lambda_linq.txt")));
	EXPECT_NE(fp(fixture("dotnet", "divide_by_zero.txt")), fp(fixture("dotnet", "null_reference.txt")));
}

TEST(ParseDotNet, JavaStaysJava)
{
	ParsedStack ps = parse(fixture("java", "plain_order_not_found_1.txt"));
	EXPECT_EQ(ps.lang, Lang::Java);
}

TEST(ParseDotNet, Corpus)
{
	CorpusResult r;
	if (!corpus("dotnet", r))
		GTEST_SKIP() << "no .NET corpus";
	EXPECT_EQ(r.merged, 0u);
	// order-not-found gains a frame in deploy 2 (fp1 keys 3 in-app frames).
	EXPECT_GE(r.deploys_agree + 1, r.labels);
}
