// test_parse_rust.cpp — the Rust parser on real rustc 1.95 panics
// (test/fixtures/stacks/rust).
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

TEST(ParseRust, NewHeaderAndFrames)
{
	ParsedStack ps = parse(fixture("rust", "panic_unwrap_none.txt"));
	ASSERT_EQ(ps.lang, Lang::Rust);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "panic");
	EXPECT_EQ(ps.chain[0].message, "called `Option::unwrap()` on a `None` value");
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].category, Category::Plumbing);  // rust_begin_unwind
	bool found = false;
	for (const auto &f : fr)
		if (f.function == "email_domain") {
			found = true;
			EXPECT_EQ(f.module, "fx::shop");
			EXPECT_EQ(f.category, Category::App);
			EXPECT_EQ(f.line, 12);
		}
	EXPECT_TRUE(found);
}

TEST(ParseRust, FullBacktraceSameKeysAsShort)
{
	// RUST_BACKTRACE=full: addresses, ::h<hash> suffixes, std[..] crate ids
	ParsedStack a = parse(fixture("rust", "panic_unwrap_none.txt"));
	ParsedStack b = parse(fixture("rust", "panic_unwrap_none_full.txt"));
	EXPECT_EQ(keys(a.chain[0]), keys(b.chain[0]));
	EXPECT_EQ(fp(fixture("rust", "panic_unwrap_none.txt")), fp(fixture("rust", "panic_unwrap_none_full.txt")));
}

TEST(ParseRust, TraitImplClosuresGenerics)
{
	ParsedStack ps = parse(fixture("rust", "panic_closure_trait_generic.txt"));
	std::vector<std::string> k = keys(ps.chain[0]);
	ASSERT_GE(k.size(), 3u);
	EXPECT_EQ(k[0], "rust:fx::shop::Doubler::handle");  // <Doubler as Handler>::handle
	EXPECT_EQ(k[1], "rust:fx::shop::apply::{{closure}}");
	ParsedStack t = parse(fixture("rust", "panic_thread_named.txt"));
	bool lib = false;
	for (const auto &f : t.chain[0].frames)
		if (f.module == "core::option::Option" && f.function == "expect")
			lib = f.category == Category::Library;  // Option<T>::expect
	EXPECT_TRUE(lib);
}

TEST(ParseRust, OldHeaderFormat)
{
	// Rust < 1.73 prints "panicked at 'msg', file:line:col" (no old toolchain
	// here): rewrite the real header, frames unchanged.
	std::string a = fixture("rust", "panic_index_oob.txt");
	std::string b = a;
	size_t h = b.find("thread 'main'");
	size_t eol = b.find('\n', h);
	size_t eol2 = b.find('\n', eol + 1);
	std::string msg = b.substr(eol + 1, eol2 - eol - 1);
	b.replace(h, eol2 - h, "thread 'main' panicked at '" + msg + "', src/fx.rs:21:9");
	ParsedStack pa = parse(a), pb = parse(b);
	EXPECT_EQ(pb.chain[0].message, msg);
	EXPECT_EQ(keys(pa.chain[0]), keys(pb.chain[0]));
	EXPECT_EQ(fp(a), fp(b));
}

TEST(ParseRust, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("rust", "panic_unwrap_err.txt")), fp(fixture("rust", "panic_unwrap_none.txt")));
	EXPECT_NE(fp(fixture("rust", "panic_expect_err.txt")), fp(fixture("rust", "panic_index_oob.txt")));
}

TEST(ParseRust, NodeDoesNotStealRust)
{
	EXPECT_EQ(parse(fixture("rust", "panic_expect_err.txt")).lang, Lang::Rust);
}
