// test_parse_native.cpp — the C/C++ parser on real gcc 12 / gdb 13 /
// ASan / boost::stacktrace output (test/fixtures/stacks/cpp).
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

TEST(ParseNative, GdbTemplatesAndLibstdcxx)
{
	ParsedStack ps = parse(fixture("cpp", "gdb_bt_segv_template.txt"));
	ASSERT_EQ(ps.lang, Lang::Native);
	const auto &fr = ps.chain[0].frames;
	ASSERT_EQ(fr.size(), 3u);
	EXPECT_EQ(fr[0].module, "std::basic_string<T>");  // std::__cxx11 + template args normalised
	EXPECT_EQ(fr[0].function, "find");
	EXPECT_EQ(fr[0].category, Category::Library);
	EXPECT_EQ(fr[1].module, "shop");
	EXPECT_EQ(fr[1].function, "domain_of");
	EXPECT_EQ(fr[1].category, Category::App);
	EXPECT_EQ(fr[1].line, 30);
	EXPECT_EQ(fp(fixture("cpp", "gdb_bt_segv_template.txt")), fp(fixture("cpp", "gdb_bt_segv_template_2.txt")));
}

TEST(ParseNative, AbortAssertPlumbing)
{
	ParsedStack ps = parse(fixture("cpp", "gdb_bt_assert_abort.txt"));
	const auto &fr = ps.chain[0].frames;
	for (size_t k = 0; k + 2 < fr.size(); k++)
		EXPECT_EQ(fr[k].category, Category::Plumbing) << fr[k].key();
	EXPECT_EQ(fr[fr.size() - 2].key(), "native:shop::checkout");
	ParsedStack u = parse(fixture("cpp", "gdb_bt_uncaught_exception.txt"));
	for (const auto &f : u.chain[0].frames) {
		if (f.function == "??") {  // unsymbolised: kept only with the object it ran in, as library
			EXPECT_FALSE(f.module.empty());
			EXPECT_EQ(f.category, Category::Library);
		}
	}
	EXPECT_EQ(keys(u.chain[0])[0], "native:::operator()");  // gdb lambda
}

TEST(ParseNative, BacktraceSymbolsDemangledAndOptLevels)
{
	ParsedStack ps = parse(fixture("cpp", "backtrace_symbols.txt"));
	std::vector<std::string> k = keys(ps.chain[0]);
	ASSERT_GE(k.size(), 2u);
	EXPECT_EQ(k[0], "native:shop::print_backtrace_symbols");
	EXPECT_EQ(k[1], "native:shop::charge_card");
	bool main_is_plumbing = false;  // main() is in every crash: plumbing
	for (const auto &f : ps.chain[0].frames)
		main_is_plumbing = main_is_plumbing || (f.function == "main" && f.category == Category::Plumbing);
	EXPECT_TRUE(main_is_plumbing);
	// -O0 vs -O2 build (a static helper without a symbol disappears)
	EXPECT_EQ(fp(fixture("cpp", "backtrace_symbols.txt")), fp(fixture("cpp", "backtrace_symbols_O2.txt")));
}

TEST(ParseNative, BoostLambda)
{
	ParsedStack ps = parse(fixture("cpp", "boost_stacktrace.txt"));
	std::vector<std::string> k = keys(ps.chain[0]);
	ASSERT_GE(k.size(), 3u);
	EXPECT_EQ(k[0], "native:shop::report_invalid_quantity");
	EXPECT_EQ(k[1], "native:shop::parse_quantities::lambda");
	EXPECT_EQ(k[2], "native:shop::parse_quantities");
}

TEST(ParseNative, AsanReport)
{
	ParsedStack ps = parse(fixture("cpp", "asan_heap_use_after_free.txt"));
	ASSERT_EQ(ps.lang, Lang::Native);
	EXPECT_EQ(ps.chain[0].type, "heap-use-after-free");
	const auto &fr = ps.chain[0].frames;
	ASSERT_GE(fr.size(), 2u);
	EXPECT_EQ(fr[0].key(), "native:shop::use_after_free");
	EXPECT_EQ(fr[0].category, Category::App);
	for (const auto &f : fr)
		EXPECT_NE(f.function, "operator delete[]");  // "freed by" stack not read
}

TEST(ParseNative, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("cpp", "gdb_bt_segv_template.txt")), fp(fixture("cpp", "gdb_bt_lambda_segv.txt")));
	EXPECT_NE(fp(fixture("cpp", "gdb_bt_assert_abort.txt")), fp(fixture("cpp", "gdb_bt_uncaught_exception.txt")));
}

TEST(ParseNative, PhpAndGoNotStolen)
{
	EXPECT_EQ(parse(fixture("php", "tostring_simple.txt")).lang, Lang::Php);
	EXPECT_EQ(parse(fixture("go", "panic_nil_map.txt")).lang, Lang::Go);
}

TEST(ParseNative, TerminateHeaderType)
{
	// "terminate called after throwing an instance of 'T'": the whole type name
	// (an off-by-one once dropped its first character; a bare prefix line once
	// threw std::out_of_range — test/fuzz/regressions/native-terminate-*).
	ParsedStack ps = parse(fixture("cpp", "terminate_stderr.txt"));
	ASSERT_FALSE(ps.chain.empty());
	EXPECT_EQ(ps.chain[0].type.rfind("std::", 0), 0u) << ps.chain[0].type;
	ParsedStack bare = parse("terminate called after throwing an instance of '\n#0  0x1 in f () at a.c:1\n");
	EXPECT_TRUE(bare.chain.empty() || bare.chain[0].type.empty());
}
