// test_parse_go.cpp — the Go parser on real go1.19 output (test/fixtures/stacks/go)
// and the labelled Go corpus.
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

TEST(ParseGo, PanicNilMapHeaderAndFrames)
{
	ParsedStack ps = parse(fixture("go", "panic_nil_map.txt"));
	ASSERT_EQ(ps.lang, Lang::Go);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "panic");
	EXPECT_EQ(ps.chain[0].message, "assignment to entry in nil map");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	ASSERT_GE(ps.chain[0].frames.size(), 3u);
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "main");
	EXPECT_EQ(f.function, "(*Cache).Put");  // "(...)" and pointer args dropped
	EXPECT_EQ(f.category, Category::App);
	EXPECT_EQ(f.line, 21);
	EXPECT_EQ(f.file, "app/main.go");
}

TEST(ParseGo, ClosuresCanonical)
{
	ParsedStack ps = parse(fixture("go", "panic_goroutine_closure.txt"));
	ASSERT_EQ(ps.chain.size(), 1u);
	const auto &fr = ps.chain[0].frames;
	ASSERT_GE(fr.size(), 2u);
	// (*Worker).Start.func1.1 and (*Worker).Start.func1 are the same canonical closure (collapsed)
	EXPECT_EQ(fr[0].function, "(*Worker).Start.<closure>");
	EXPECT_EQ(fr.back().category, Category::Plumbing);  // "created by"
	ParsedStack g = parse(fixture("go", "panic_generics.txt"));
	EXPECT_EQ(g.chain[0].frames[0].function, "parsePrices.<closure>");
	EXPECT_EQ(g.chain[0].frames[1].function, "Map[...]");
}

TEST(ParseGo, ModuleCacheIsLibraryWithoutVersion)
{
	ParsedStack ps = parse(fixture("go", "panic_module_dep.txt"));
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "example.com/fakelib");
	EXPECT_EQ(f.function, "(*Decoder).Set");
	EXPECT_EQ(f.category, Category::Library);
	EXPECT_EQ(f.file, "example.com/fakelib/codec.go");
	EXPECT_EQ(ps.chain[0].frames[1].category, Category::App);
}

TEST(ParseGo, RepanicAndRecoveredHandlerArePlumbing)
{
	ParsedStack ps = parse(fixture("go", "panic_repanic_recovered.txt"));
	EXPECT_EQ(ps.chain[0].message, "cleanup failed after step 3: assignment to entry in nil map");
	const auto &fr = ps.chain[0].frames;
	ASSERT_GE(fr.size(), 3u);
	EXPECT_EQ(fr[0].function, "process.<closure>");
	EXPECT_EQ(fr[0].category, Category::Plumbing);  // deferred handler above panic()
	EXPECT_EQ(fr[1].module, "runtime");
	EXPECT_EQ(fr[1].function, "panic");
	EXPECT_EQ(fr[1].category, Category::Plumbing);
	EXPECT_EQ(fr[2].function, "process");
	EXPECT_EQ(fr[2].category, Category::App);
}

TEST(ParseGo, OnlyPanickingGoroutine)
{
	ParsedStack ps = parse(fixture("go", "panic_gotraceback_all.txt"));
	for (const auto &f : ps.chain[0].frames)
		EXPECT_NE(f.function, "(*Server).block");
	EXPECT_EQ(ps.chain[0].frames[0].function, "(*Cache).Put");
}

TEST(ParseGo, DebugStackWithoutHeader)
{
	ParsedStack ps = parse(fixture("go", "debug_stack_error.txt"));
	ASSERT_EQ(ps.lang, Lang::Go);
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].module, "runtime/debug");
	EXPECT_EQ(fr[0].category, Category::Plumbing);
	EXPECT_EQ(fr[1].function, "reportError");
}

TEST(ParseGo, NonErrorPanicValueType)
{
	ParsedStack ps = parse(fixture("go", "panic_non_error_value_panic.txt"));
	EXPECT_EQ(ps.chain[0].type, "main.point");
}

TEST(ParseGo, InstallPathDoesNotChangeFingerprint)
{
	std::string a = fixture("go", "panic_nil_map.txt");
	std::string b = a;
	for (size_t p; (p = b.find("/tmp/errtrack-fixtures/go/app/")) != std::string::npos;)
		b.replace(p, 30, "/srv/releases/20240101/build/");
	EXPECT_EQ(fp(a), fp(b));
}

TEST(ParseGo, DifferentBugsDiffer)
{
	// same type+message (nil map assignment) from different sites
	EXPECT_NE(fp(fixture("go", "panic_nil_map.txt")), fp(fixture("go", "panic_module_dep.txt")));
	EXPECT_NE(fp(fixture("go", "panic_nil_pointer.txt")), fp(fixture("go", "panic_gotraceback_all.txt")));
}

TEST(ParseGo, DdTraceGoPairsForm)
{
	// dd-trace-go's takeStacktrace form is the debug.Stack frames without
	// header, args and offsets: derive it from the real dump.
	std::string real = fixture("go", "panic_module_dep_callback_panic.txt");
	std::string dd;
	std::istringstream in(real);
	std::string l;
	bool started = false;
	while (std::getline(in, l)) {
		if (l.rfind("goroutine ", 0) == 0) { started = true; continue; }
		if (!started || l.empty()) continue;
		if (l[0] == '\t') {
			size_t off = l.find(" +0x");
			dd += (off == std::string::npos ? l : l.substr(0, off)) + "\n";
		} else {
			size_t open = l.rfind('(');
			dd += (open == std::string::npos || open == 0 ? l : l.substr(0, open)) + "\n";
		}
	}
	ParsedStack a = parse(real), b = parse(dd);
	ASSERT_EQ(b.lang, Lang::Go);
	EXPECT_EQ(keys(a.chain[0]), keys(b.chain[0]));
}

TEST(ParseGo, Corpus)
{
	CorpusResult r;
	if (!corpus("go", r))
		GTEST_SKIP() << "no Go corpus";
	EXPECT_EQ(r.merged, 0u) << "different bugs share a fingerprint";
	// Known splits: frames inserted between deploys (fp1 keys 3 frames) and
	// message templates (message.cpp) — not parser issues.
	EXPECT_GE(r.deploys_agree + 2, r.labels);
}
