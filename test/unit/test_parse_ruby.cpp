// test_parse_ruby.cpp — the Ruby parser on real MRI 3.1 output
// (test/fixtures/stacks/ruby) and the labelled Ruby corpus.
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

// Ruby 3.4 prints labels as 'Owner#meth' with a straight quote.  No 3.4
// runtime is available, so this converts a *real* 3.1 trace to the
// documented 3.4 syntax programmatically (owner supplied by the caller).
std::string
to_ruby34(const std::string &s, const std::map<std::string, std::string> &owners)
{
	std::string out;
	size_t i = 0;
	while (i < s.size()) {
		size_t in = s.find(":in `", i);
		if (in == std::string::npos) {
			out += s.substr(i);
			break;
		}
		out += s.substr(i, in - i) + ":in '";
		size_t close = s.find('\'', in + 5);
		std::string label = s.substr(in + 5, close - in - 5);
		// prefix ("block in ", "rescue in ", "block (2 levels) in ") stays in front
		std::string prefix, meth = label;
		size_t p = label.rfind(" in ");
		if (p != std::string::npos && label[0] != '<') {
			prefix = label.substr(0, p + 4);
			meth = label.substr(p + 4);
		}
		auto o = owners.find(meth);
		out += prefix + (o != owners.end() ? o->second + meth : meth) + "'";
		i = close + 1;
	}
	return out;
}

TEST(ParseRuby, HeaderTypeMessageFrames)
{
	ParsedStack ps = parse(fixture("ruby", "not_found_1.txt"));
	ASSERT_EQ(ps.lang, Lang::Ruby);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "Shop::NotFound");
	EXPECT_EQ(ps.chain[0].message, "record 4711 not found");
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.function, "find");
	EXPECT_EQ(f.module, "shop");  // install prefix dropped (fp2: and lib/, the root the file is directly in)
	EXPECT_EQ(f.category, Category::App);
	EXPECT_EQ(ps.chain[0].frames[1].function, "block in <main>");
}

TEST(ParseRuby, CauseChainRescueIn)
{
	ParsedStack ps = parse(fixture("ruby", "cause_chain_rescue_in.txt"));
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "Shop::DuplicateAccount");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	EXPECT_EQ(ps.chain[0].frames[0].function, "rescue in register");
	EXPECT_EQ(ps.chain[1].type, "KeyError");
	EXPECT_EQ(ps.chain[1].role, Role::Cause);
	EXPECT_EQ(ps.chain[1].depth, 1);
	EXPECT_EQ(ps.chain[1].frames[0].function, "insert");
}

TEST(ParseRuby, BlockLevelsAndEnsure)
{
	ParsedStack ps = parse(fixture("ruby", "block_levels.txt"));
	EXPECT_EQ(ps.chain[0].frames[0].function, "block in nested");  // "block (2 levels) in nested"
	ParsedStack e = parse(fixture("ruby", "ensure_in.txt"));
	EXPECT_EQ(e.chain[0].frames[0].function, "ensure in with_cleanup");
	EXPECT_EQ(e.chain[1].type, "RuntimeError");
}

TEST(ParseRuby, GemsAreLibraryWithoutVersion)
{
	ParsedStack ps = parse(fixture("ruby", "gem_path.txt"));
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "gem:fakegem/lib/fakegem/client");
	EXPECT_EQ(f.category, Category::Library);
	EXPECT_EQ(ps.chain[0].frames[3].function, "fetch_inventory");
	EXPECT_EQ(ps.chain[0].frames[3].category, Category::App);
}

TEST(ParseRuby, MultiLineMessageAndElidedLevels)
{
	ParsedStack ps = parse(fixture("ruby", "no_method_on_nil.txt"));
	EXPECT_EQ(ps.chain[0].type, "NoMethodError");
	EXPECT_EQ(ps.chain[0].message.rfind("undefined method `city' for nil:NilClass", 0), 0u);
	ParsedStack s = parse(fixture("ruby", "system_stack_error.txt"));
	EXPECT_TRUE(s.chain[0].frames_truncated);
	EXPECT_EQ(s.chain[0].frames[0].function, "forever");
}

TEST(ParseRuby, Ruby34SyntaxSameFingerprint)
{
	std::map<std::string, std::string> owners = {{"register", "Shop::Accounts#"}, {"insert", "Shop::Repo#"},
	                                              {"save", "Object#"}, {"totals", "Shop::Orders#"},
	                                              {"fetch", "Hash#"}, {"map", "Array#"}};
	for (const char *name : {"cause_chain_rescue_in.txt", "block_in_map.txt", "block_levels.txt"}) {
		std::string old = fixture("ruby", name);
		std::string v34 = to_ruby34(old, owners);
		ASSERT_NE(old, v34);
		ParsedStack a = parse(old), b = parse(v34);
		ASSERT_EQ(b.lang, Lang::Ruby);
		ASSERT_EQ(a.chain.size(), b.chain.size());
		for (size_t k = 0; k < a.chain.size(); k++)
			EXPECT_EQ(keys(a.chain[k], false), keys(b.chain[k], false)) << name;
		EXPECT_EQ(fp(old), fp(v34)) << name;
	}
}

TEST(ParseRuby, SameBugDifferentInstallPath)
{
	std::string a = fixture("ruby", "gem_path.txt");
	std::string b = a;
	for (size_t p; (p = b.find("/tmp/errtrack-fixtures/ruby/var/lib/gems/3.1.0/gems/fakegem-1.2.3/")) != std::string::npos;)
		b.replace(p, 66, "/srv/app/vendor/bundle/ruby/3.3.0/gems/fakegem-1.3.0/");
	for (size_t p; (p = b.find("/tmp/errtrack-fixtures/ruby/srv/app/")) != std::string::npos;)
		b.replace(p, 36, "/home/deploy/releases/20240101/app/");
	EXPECT_EQ(fp(a), fp(b));
	EXPECT_EQ(fp(fixture("ruby", "not_found_1.txt")), fp(fixture("ruby", "not_found_2.txt")));
}

TEST(ParseRuby, DifferentBugsDiffer)
{
	// same root cause type+message text shape, different callers
	EXPECT_NE(fp(fixture("ruby", "cause_chain_rescue_in.txt")), fp(fixture("ruby", "uncaught_stderr.txt")));
	EXPECT_NE(fp(fixture("ruby", "block_in_map.txt")), fp(fixture("ruby", "gem_yield_block.txt")));
}

TEST(ParseRuby, Corpus)
{
	CorpusResult r;
	if (!corpus("ruby", r))
		GTEST_SKIP() << "no Ruby corpus";
	EXPECT_EQ(r.merged, 0u);
	EXPECT_GE(r.deploys_agree + 1, r.labels);  // order-not-found gains a frame in deploy 2
}
