// StackMemo (stack_memo.hpp): the memo only skips re-parsing a stack it has
// seen — every digest equals compute_fingerprint()'s, cold or warm, whatever
// type and message the event brings — and it never holds more than its budget.
#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "fingerprint.hpp"
#include "fixtures.hpp"
#include "stack_memo.hpp"
#include "stack_part_codec.hpp"

using namespace errtrack;

namespace {

// Every real trace of the repository: errtrack_test::real_errors() (fixtures.hpp).
using Event = errtrack_test::RealError;

// The (type, message) pairs an event's stack is finished with: its own, none
// (the stack's primary decides), another message, and a generic message-less
// one (fp2's logging cut applies only then).
std::vector<std::pair<std::string, std::string>>
variants(const Event &e)
{
	return {{e.type, e.message}, {"", ""}, {e.type, "order 4711 failed for user 'bob'"}, {"java.lang.Exception", ""}};
}

Digest128
direct(const std::string &t, const std::string &m, const std::string &s, Algorithm a)
{
	Cancel c;
	return compute_fingerprint(t, m, s, c, false, a).digest;
}

}  // namespace

TEST(StackMemo, SameDigestsAsComputeColdAndWarm)
{
	std::vector<Event> events = errtrack_test::real_errors();
	ASSERT_GT(events.size(), 2000u);
	Cancel c;
	for (Algorithm a : {Algorithm::Fp1, Algorithm::Fp2}) {
		StackMemo memo(256u << 20);
		size_t checked = 0;
		for (int pass = 0; pass < 2; pass++) {
			for (const Event &e : events)
				for (const auto &[t, m] : variants(e)) {
					ASSERT_EQ(memo.fingerprint(t, m, e.stack, c, a), direct(t, m, e.stack, a))
						<< algorithm_name(a) << " pass " << pass << "\n" << t << ": " << m << "\n" << e.stack;
					checked++;
				}
		}
		StackMemo::Stats s = memo.stats();
		EXPECT_EQ(s.hits + s.misses, checked);
		// One miss per distinct stack text: everything after is a hit.
		EXPECT_LT(s.misses, events.size());
		EXPECT_GT(s.hits, 7 * events.size());
		EXPECT_GT(s.entries, 0u);
		EXPECT_LE(s.bytes, memo.budget());
	}
}

TEST(StackMemo, SameDigestsAsComputeOnTheSharedDataSets)
{
	// The real labelled sets (Eclipse Java, Ubuntu gdb), when ../shared has them.
	Cancel c;
	size_t checked = 0;
	for (const char *set : {"eclipse_bugzilla_stacktraces", "ubuntu_launchpad_gdb_subset"}) {
		std::string p = std::string(ERRTRACK_SHARED_DIR) + "/datasets/" + set + "/reports.jsonl";
		StackMemo memo(64u << 20);
		for (int pass = 0; pass < 2; pass++)
			for (auto &o : errtrack_test::read_jsonl(p, 3000)) {
				const std::string &s = o["stack_text"];
				for (const char *t : {"", "java.lang.Exception"}) {
					ASSERT_EQ(memo.fingerprint(t, "", s, c, Algorithm::Fp2), direct(t, "", s, Algorithm::Fp2)) << s;
					checked++;
				}
			}
	}
	if (checked == 0)
		GTEST_SKIP() << "../shared/datasets absent";
}

TEST(StackMemo, LoggingCutFollowsTheEventNotTheFirstCaller)
{
	// fp2 keys a logger-captured stack after its logging frames only when the
	// event's type is generic and its message empty; the memo keeps both keys.
	Cancel c;
	auto f = errtrack_test::fixture("java", "logger_captured_billing.txt");
	ASSERT_FALSE(f.stack.empty());
	Digest128 cut = direct("java.lang.Exception", "", f.stack, Algorithm::Fp2);
	Digest128 kept = direct("java.lang.IllegalStateException", "", f.stack, Algorithm::Fp2);
	ASSERT_NE(cut, kept);  // the rule applies to this trace at all
	for (bool cut_first : {true, false}) {
		StackMemo memo(1u << 20);
		if (cut_first) {
			EXPECT_EQ(memo.fingerprint("java.lang.Exception", "", f.stack, c, Algorithm::Fp2), cut);
			EXPECT_EQ(memo.fingerprint("java.lang.IllegalStateException", "", f.stack, c, Algorithm::Fp2), kept);
		} else {
			EXPECT_EQ(memo.fingerprint("java.lang.IllegalStateException", "", f.stack, c, Algorithm::Fp2), kept);
			EXPECT_EQ(memo.fingerprint("java.lang.Exception", "", f.stack, c, Algorithm::Fp2), cut);
		}
		EXPECT_EQ(memo.stats().hits, 1u);
	}
}

TEST(StackMemo, AlgorithmsDoNotShareEntries)
{
	Cancel c;
	StackMemo memo(1u << 20);
	auto f = errtrack_test::fixture("java", "classloader_plugin_find_class.txt");
	ASSERT_FALSE(f.stack.empty());
	EXPECT_EQ(memo.fingerprint(f.type, f.message, f.stack, c, Algorithm::Fp2), direct(f.type, f.message, f.stack, Algorithm::Fp2));
	EXPECT_EQ(memo.fingerprint(f.type, f.message, f.stack, c, Algorithm::Fp1), direct(f.type, f.message, f.stack, Algorithm::Fp1));
	EXPECT_EQ(memo.stats().misses, 2u);
	EXPECT_EQ(memo.stats().entries, 2u);
}

TEST(StackMemo, NeverExceedsItsBudgetAndKeepsHotStacks)
{
	std::vector<Event> events = errtrack_test::real_errors();
	Cancel c;
	const Event &hot = events[events.size() / 2];
	const size_t budget = 48 * 1024;  // a few dozen entries
	StackMemo memo(budget);
	size_t hot_calls = 0;
	uint64_t hits_before_hot = 0;
	for (size_t i = 0; i < events.size(); i++) {
		const Event &e = events[i];
		ASSERT_EQ(memo.fingerprint(e.type, e.message, e.stack, c, Algorithm::Fp2),
		          direct(e.type, e.message, e.stack, Algorithm::Fp2));
		ASSERT_LE(memo.stats().bytes, budget);
		if (i % 8 == 0) {  // a frequent issue among many rare ones
			hits_before_hot = memo.stats().hits;
			ASSERT_EQ(memo.fingerprint(hot.type, "x " + std::to_string(i), hot.stack, c, Algorithm::Fp2),
			          direct(hot.type, "x " + std::to_string(i), hot.stack, Algorithm::Fp2));
			if (i > 0) {
				EXPECT_EQ(memo.stats().hits, hits_before_hot + 1) << "hot stack evicted at event " << i;
			}
			hot_calls++;
		}
	}
	EXPECT_GT(hot_calls, 200u);
	EXPECT_LT(memo.stats().entries, events.size());
}

TEST(StackMemo, BucketArrayGrowthStaysInTheBudget)
{
	// The bucket array grows to a prime over twice its size when the 14th,
	// 30th, ... entry comes in (13 -> 29 -> 59 buckets).  With entries of one
	// size e, sweep half-budgets byte by byte around n * e at those points:
	// after every call the count stays within the budget.
	Cancel c;
	for (size_t len : {91, 100, 117, 130}) {
		auto stack = [&](int i) {
			return "Traceback (most recent call last):\n  File \"/srv/app/jobs.py\", line " + std::to_string(100 + i) +
			       ", in run\n    step()\nValueError: " + std::string(len, 'x') + "\n";
		};
		const size_t e = StackMemo::entry_bytes(summarize_stack(stack(0), c, Algorithm::Fp2));
		for (size_t n : {14, 30})
			for (size_t half = n * e + 100; half < n * e + 400; half += 2) {
				StackMemo memo(2 * half);
				for (int i = 0; i < 2 * int(n) + 4; i++) {  // (both generations filled)
					memo.fingerprint("ValueError", "", stack(i), c, Algorithm::Fp2);
					ASSERT_LE(memo.stats().bytes, 2 * half)
						<< "entry " << e << " bytes, budget " << 2 * half << ", call " << i << ", "
						<< memo.stats().entries << " entries";
				}
			}
	}
}

#if defined(__SANITIZE_ADDRESS__)
#define ERRTRACK_HEAP_REPLACED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ERRTRACK_HEAP_REPLACED 1
#endif
#endif

TEST(StackMemo, HeapItHoldsIsWhatItAccountsAndStaysInTheBudget)
{
#ifdef ERRTRACK_HEAP_REPLACED
	GTEST_SKIP() << "malloc statistics are not glibc's under AddressSanitizer";
#else
	// glibc's own count of bytes in use: the budget is real memory, not an estimate.
	std::vector<Event> events = errtrack_test::real_errors();
	Cancel c;
	const size_t budget = 4u << 20;
	for (const Event &e : events)  // (the parsers' static tables are built on first use)
		direct(e.type, e.message, e.stack, Algorithm::Fp2);
	const size_t before = mallinfo2().uordblks;
	size_t peak = 0;
	{
		StackMemo memo(budget);
		for (int v = 0; v < 12; v++)  // ~25k distinct stack texts: several rotations
			for (const Event &e : events) {
				std::string s = e.stack + "\n# variant " + std::to_string(v);
				memo.fingerprint(e.type, e.message, s, c, Algorithm::Fp2);
				peak = std::max(peak, mallinfo2().uordblks - before);
			}
		size_t in_use = mallinfo2().uordblks - before;
		size_t accounted = memo.stats().bytes;
		// (right after a rotation the memo holds the previous generation,
		// filled to within one entry of half the budget, and little more)
		EXPECT_GT(accounted, budget * 2 / 5);
		EXPECT_LE(accounted, budget);
		EXPECT_NEAR(double(in_use), double(accounted), 0.05 * double(accounted)) << "heap " << in_use;
	}
	// (the peak also holds the stack being parsed and this loop's string)
	EXPECT_LE(peak, budget + budget / 16) << "peak heap " << peak;
	// (freed blocks parked in glibc's per-thread cache still count as in use:
	// a few kB, 64 kB allowed; the memo held ~2 MB)
	EXPECT_LE(mallinfo2().uordblks, before + 65536) << "the memo released its memory";
#endif
}

TEST(StackMemo, ZeroBudgetKeepsNothingAndShrinkingClears)
{
	Cancel c;
	auto f = errtrack_test::fixture("python", errtrack_test::load_fixtures("python").at(0).file);
	StackMemo memo(0);
	EXPECT_EQ(memo.fingerprint(f.type, f.message, f.stack, c, Algorithm::Fp2), direct(f.type, f.message, f.stack, Algorithm::Fp2));
	EXPECT_EQ(memo.stats().entries, 0u);
	memo.set_budget(1u << 20);
	memo.fingerprint(f.type, f.message, f.stack, c, Algorithm::Fp2);
	EXPECT_EQ(memo.stats().entries, 1u);
	memo.set_budget(2u << 20);  // growing keeps the entries
	EXPECT_EQ(memo.stats().entries, 1u);
	memo.set_budget(1u << 10);  // shrinking drops them
	EXPECT_EQ(memo.stats().entries, 0u);
	EXPECT_EQ(memo.stats().bytes, 0u);
	// An entry larger than a 16th of the budget is not kept (1 KB budget).
	EXPECT_EQ(memo.fingerprint(f.type, f.message, f.stack, c, Algorithm::Fp2), direct(f.type, f.message, f.stack, Algorithm::Fp2));
	EXPECT_EQ(memo.stats().entries, 0u);
}

TEST(StackMemo, ErrorsAreComputesErrorsAndLeaveNoEntry)
{
	StackMemo memo(1u << 20);
	Cancel none;
	std::string big(Limits::max_input_bytes + 1, 'x');
	try {
		memo.fingerprint(big, "", "Traceback", none, Algorithm::Fp2);
		FAIL() << "no error";
	} catch (const Error &e) {
		EXPECT_EQ(e.cls(), ErrorClass::TooLarge);
	}
	try {
		memo.fingerprint("", "", big, none, Algorithm::Fp2);
		FAIL() << "no error";
	} catch (const Error &e) {
		EXPECT_EQ(e.cls(), ErrorClass::TooLarge);
	}
	// Interrupted while parsing: the error goes up, nothing is kept, and the
	// next call (no interrupt) computes the right value.
	volatile int flag = 1;
	Cancel cancel{&flag};
	std::string long_stack;
	for (int i = 0; i < 200000; i++)
		long_stack += "  File \"/srv/app/m" + std::to_string(i % 7) + ".py\", line " + std::to_string(i) + ", in f\n";
	long_stack = "Traceback (most recent call last):\n" + long_stack + "ValueError: bad\n";
	try {
		memo.fingerprint("ValueError", "bad", long_stack, cancel, Algorithm::Fp2);
		FAIL() << "not interrupted";
	} catch (const Error &e) {
		EXPECT_EQ(e.cls(), ErrorClass::Interrupted);
	}
	EXPECT_EQ(memo.stats().entries, 0u);
	flag = 0;
	EXPECT_EQ(memo.fingerprint("ValueError", "bad", long_stack, cancel, Algorithm::Fp2),
	          direct("ValueError", "bad", long_stack, Algorithm::Fp2));
	EXPECT_EQ(memo.stats().entries, 1u);
}

// The shared stack cache's blob (stack_part_codec.hpp): every real trace's
// StackPart, fp1 and fp2, survives encode/decode field for field and finishes
// to the same digests; every cut or flipped blob is refused or decodes to a
// StackPart that encodes back to itself (never a read past its end).
TEST(StackPartCodec, RoundTripsEveryRealTrace)
{
	std::vector<Event> events = errtrack_test::real_errors();
	ASSERT_GT(events.size(), 2000u);
	Cancel c;
	size_t checked = 0, largest = 0, total = 0, over256 = 0, over512 = 0, over1k = 0;
	for (Algorithm a : {Algorithm::Fp1, Algorithm::Fp2})
		for (const Event &e : events) {
			StackPart p = summarize_stack(e.stack, c, a);
			std::string blob = "x";  // appended after what is there
			encode_stack_part(p, blob);
			ASSERT_EQ(blob.size(), 1 + encoded_stack_part_size(p));
			StackPart q;
			ASSERT_TRUE(decode_stack_part(std::string_view(blob).substr(1), q)) << e.stack;
			ASSERT_TRUE(p == q) << e.stack;
			for (const auto &[t, m] : variants(e))
				ASSERT_EQ(finish_digest(q, t, m), direct(t, m, e.stack, a));
			largest = std::max(largest, blob.size() - 1);
			over256 += blob.size() - 1 > 256;
			over512 += blob.size() - 1 > 512;
			over1k += blob.size() - 1 > 1024;
			total += blob.size() - 1;
			checked++;
		}
	EXPECT_EQ(checked, 2 * events.size());
	std::printf("encoded StackPart: %zu bytes on average, %zu at most; over 256 / 512 / 1024 bytes: %zu / %zu / %zu of %zu\n",
	            total / checked, largest, over256, over512, over1k, checked);
}

TEST(StackPartCodec, RefusesCutAndDamagedBlobs)
{
	std::vector<Event> events = errtrack_test::real_errors();
	Cancel c;
	size_t refused = 0, decoded = 0;
	for (size_t i = 0; i < events.size(); i += 37) {
		std::string blob;
		encode_stack_part(summarize_stack(events[i].stack, c, Algorithm::Fp2), blob);
		for (size_t cut = 0; cut < blob.size(); cut++) {
			StackPart q;
			EXPECT_FALSE(decode_stack_part(std::string_view(blob).substr(0, cut), q)) << cut;
			refused++;
		}
		std::string longer = blob + "!";
		StackPart q;
		EXPECT_FALSE(decode_stack_part(longer, q));
		for (size_t at = 0; at < blob.size(); at++) {
			std::string bad = blob;
			bad[at] = char(bad[at] ^ 0x80);
			StackPart r;
			if (decode_stack_part(bad, r)) {
				std::string again;
				encode_stack_part(r, again);
				EXPECT_EQ(again, bad);  // a flipped byte inside a string: a different, well-formed part
				decoded++;
			} else {
				refused++;
			}
		}
	}
	EXPECT_GT(refused, 1000u);
	EXPECT_GT(decoded, 0u);
}

// lookup() + keep_and_finish() as the glue uses them with its shared cache:
// one backend's memo parses every stack and publishes its encoded part; a
// second backend's memo misses, finishes from the published part instead of
// parsing, and then hits — every digest equal to compute_fingerprint()'s.
TEST(StackMemo, TwoStepsWithASecondLevelCache)
{
	std::vector<Event> events = errtrack_test::real_errors();
	Cancel c;
	std::map<std::string, std::string> shared;  // key bytes -> encoded part
	auto key_bytes = [](const StackMemo::Key &k) {
		return std::string(reinterpret_cast<const char *>(k.digest.data()), 16) + std::to_string(k.size) + "/" +
		       std::to_string(int(k.algorithm));
	};
	StackMemo first(64u << 20), second(64u << 20);
	size_t from_shared = 0;
	for (StackMemo *memo : {&first, &second})
		for (int pass = 0; pass < 2; pass++)
			for (const Event &e : events) {
				StackMemo::Key key{};
				Digest128 d{};
				const Digest128 want = direct(e.type, e.message, e.stack, Algorithm::Fp2);
				StackMemo::Look look = memo->lookup(e.type, e.message, e.stack, Algorithm::Fp2, key, d);
				if (look == StackMemo::Look::Hit) {
					ASSERT_EQ(d, want);
					continue;
				}
				ASSERT_EQ(look, StackMemo::Look::Miss);
				auto it = shared.find(key_bytes(key));
				StackPart part;
				if (it != shared.end()) {
					ASSERT_TRUE(decode_stack_part(it->second, part));
					from_shared++;
				} else {
					part = summarize_stack(e.stack, c, key.algorithm);
					encode_stack_part(part, shared[key_bytes(key)]);
				}
				ASSERT_EQ(memo->keep_and_finish(key, std::move(part), e.type, e.message), want) << e.stack;
			}
	// the second memo parsed nothing: every miss came from the first one's parts
	EXPECT_EQ(from_shared, second.stats().misses);
	EXPECT_EQ(first.stats().misses, shared.size());
	EXPECT_GT(second.stats().hits, 0u);
	StackMemo off(0);
	StackMemo::Key key{};
	Digest128 d{};
	EXPECT_EQ(off.lookup("", "", "x", Algorithm::Fp2, key, d), StackMemo::Look::Uncacheable);
	EXPECT_THROW(first.lookup(std::string(Limits::max_input_bytes + 1, 'a'), "", "x", Algorithm::Fp2, key, d),
	             Error);
}
