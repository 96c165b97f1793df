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

// ---- native frame selection (fp2 rules; small traces in gdb / glibc format) ----

namespace {
errtrack::FingerprintResult
fpr(const std::string &stack)
{
	errtrack::Cancel cancel;
	return errtrack::compute_fingerprint("", "", stack, cancel);
}
}  // namespace

TEST(NativeKey, UnnamedLibraryFrameKeysTheCrash)
{
	// A crash inside an unsymbolised library is keyed by that library (the
	// version suffix dropped), not only by the caller that many crashes share.
	const std::string in_foo =
		"#0  0x00007f1a2b3c4d5e in ?? () from /usr/lib/x86_64-linux-gnu/libfoo.so.1\n"
		"#1  0x00007f1a2b3c5a10 in ?? () from /usr/lib/x86_64-linux-gnu/libfoo.so.1\n"
		"#2  0x000055d0c0de1234 in render_frame (w=0x55d0c1e2f3a0) at src/render.c:88\n"
		"#3  0x000055d0c0de2345 in main_loop () at src/main.c:40\n";
	const std::string in_foo_v2 =
		"#0  0x00007f99aa3c4e00 in ?? () from /usr/lib/x86_64-linux-gnu/libfoo.so.2\n"
		"#1  0x000055d0c0de1234 in render_frame (w=0x55d0c1e2f3a0) at src/render.c:91\n"
		"#2  0x000055d0c0de2345 in main_loop () at src/main.c:40\n";
	const std::string in_bar =
		"#0  0x00007f1a2b3c4d5e in ?? () from /usr/lib/x86_64-linux-gnu/libbar.so.3\n"
		"#1  0x000055d0c0de1234 in render_frame (w=0x55d0c1e2f3a0) at src/render.c:88\n"
		"#2  0x000055d0c0de2345 in main_loop () at src/main.c:40\n";
	auto r = fpr(in_foo);
	ASSERT_EQ(r.frames.size(), 2u);
	EXPECT_EQ(r.frames[0], "native:libfoo.so::??");
	EXPECT_EQ(r.frames[1], "native:::render_frame");
	EXPECT_EQ(r.digest, fpr(in_foo_v2).digest);  // libfoo.so.1 / .so.2, one or two inner frames
	EXPECT_NE(r.digest, fpr(in_bar).digest);
}

TEST(NativeKey, UnnamedFramesAfterANamedFrameDoNotCount)
{
	// backtrace_symbols() from a SIGSEGV handler: the unsymbolised libc signal
	// trampoline sits between the handler and the crash site.
	const std::string a =
		"./server(_Z13crash_handleri+0x2e) [0x55f1d2a0b3ce]\n"
		"/lib/x86_64-linux-gnu/libc.so.6(+0x42520) [0x7f3c1e642520]\n"
		"./server(_Z11parse_orderPKc+0x14) [0x55f1d2a0b514]\n"
		"./server(main+0x3b) [0x55f1d2a0b6ab]\n";
	const std::string b =
		"./server(_Z13crash_handleri+0x2e) [0x55f1d2a0b3ce]\n"
		"/lib/x86_64-linux-gnu/libc.so.6(+0x42520) [0x7f3c1e642520]\n"
		"./server(_Z12parse_refundPKc+0x14) [0x55f1d2a0b614]\n"
		"./server(main+0x3b) [0x55f1d2a0b6ab]\n";
	auto r = fpr(a);
	EXPECT_EQ(r.frames, (std::vector<std::string>{"native:::crash_handler", "native:::parse_order"}));
	EXPECT_NE(r.digest, fpr(b).digest);
}

TEST(NativeKey, UnnamedFrameInsideAbortMachineryIsPlumbing)
{
	// libstdc++'s unsymbolised terminate handler between abort() and
	// std::terminate(): part of the error reporting, not the crash site.
	const std::string s =
		"#0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=<optimized out>) at ./nptl/pthread_kill.c:44\n"
		"#1  0x00007ffff7a4526e in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26\n"
		"#2  0x00007ffff7a288ff in __GI_abort () at ./stdlib/abort.c:79\n"
		"#3  0x00007ffff7ea5ff5 in ?? () from /lib/x86_64-linux-gnu/libstdc++.so.6\n"
		"#4  0x00007ffff7ebb0da in std::terminate() () from /lib/x86_64-linux-gnu/libstdc++.so.6\n"
		"#5  0x00007ffff7ebb365 in __cxa_throw () from /lib/x86_64-linux-gnu/libstdc++.so.6\n"
		"#6  0x0000555555556a1c in shop::register_user (email=\"a@b.c\") at shop.cpp:77\n"
		"#7  0x0000555555556b20 in shop::signup () at shop.cpp:90\n"
		"#8  0x0000555555556c30 in main () at shop.cpp:120\n";
	EXPECT_EQ(fpr(s).frames, (std::vector<std::string>{"native:shop::register_user", "native:shop::signup"}));
}

TEST(NativeKey, AllocatorFramesSkipped)
{
	// A double free is detected in free()/malloc_printerr(): the key is the
	// code that freed.
	const std::string s =
		"#0  0xb7f1e410 in __kernel_vsyscall ()\n"
		"#1  0xb7c9d8a0 in raise () from /lib/tls/i686/cmov/libc.so.6\n"
		"#2  0xb7c9f268 in abort () from /lib/tls/i686/cmov/libc.so.6\n"
		"#3  0xb7cd716d in __libc_message () from /lib/tls/i686/cmov/libc.so.6\n"
		"#4  0xb7cdd454 in malloc_printerr () from /lib/tls/i686/cmov/libc.so.6\n"
		"#5  0xb7cdf4b6 in free () from /lib/tls/i686/cmov/libc.so.6\n"
		"#6  0x0804a1b2 in cache_evict (c=0x8050008) at cache.c:120\n"
		"#7  0x0804a3c4 in cache_put (c=0x8050008, key=0x8051000 \"k\") at cache.c:151\n"
		"#8  0x0804b00e in main (argc=1, argv=0xbfd2e3a4) at main.c:33\n";
	EXPECT_EQ(fpr(s).frames, (std::vector<std::string>{"native:::cache_evict", "native:::cache_put"}));
}

TEST(NativeKey, UnsymbolisedAddressesKeyedByPageOffset)
{
	// No symbol and no library: ASLR moves code by whole pages, so the page
	// offsets of the return addresses identify the site across runs.
	const std::string run1 = "#0  0xb792bc40 in ?? ()\n#1  0xb7bb29d9 in ?? ()\n#2  0x00000000 in ?? ()\n";
	const std::string run2 = "#0  0xb6834c40 in ?? ()\n#1  0xb7b559d9 in ?? ()\n#2  0x00000000 in ?? ()\n";
	const std::string other = "#0  0xb792b1f0 in ?? ()\n#1  0xb7bb29d9 in ?? ()\n#2  0x00000000 in ?? ()\n";
	auto r = fpr(run1);
	EXPECT_EQ(r.frames, (std::vector<std::string>{"native:@c40", "native:@9d9"}));
	EXPECT_EQ(r.digest, fpr(run2).digest);
	EXPECT_NE(r.digest, fpr(other).digest);
}
