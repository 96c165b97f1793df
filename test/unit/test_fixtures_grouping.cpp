// Same bug => same fingerprint, different bugs => different fingerprints,
// over every real-runtime fixture of a runtime (labels in MANIFEST.tsv).
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "fingerprint.hpp"
#include "fixtures.hpp"

using errtrack_test::Fixture;

namespace {

// Whether a Rust fixture was printed with RUST_BACKTRACE=1 (its name says
// "_nobacktrace" or "_backtrace" where its family's default differs).
bool
rust_backtrace(const std::string &file)
{
	if (file.find("_nobacktrace") != std::string::npos)
		return false;
	if (file.find("_backtrace") != std::string::npos)
		return true;
	for (const char *p : {"workspace_", "core_sum_overflow_", "unwrap_anyhow_"})
		if (file.rfind(p, 0) == 0)
			return false;
	return true;
}

// Same-bug pairs we knowingly split, because the trace itself lost the
// callers: the test asserts they still differ, so fixing one is noticed.
bool
known_split(const Fixture &a, const Fixture &b)
{
	auto pair = [&](const char *x, const char *y) {
		return (a.file == x && b.file == y) || (a.file == y && b.file == x);
	};
	// process stderr of an unhandled rejection drops the async callers
	// (save, main) that err.stack had: 1 in-app frame vs 3.
	// an anyhow report without RUST_BACKTRACE has no frame, with it the
	// frames are keyed: same contexts, other keys
	auto ends = [](const std::string &s, const char *suffix) {
		return s.size() >= std::strlen(suffix) && s.compare(s.size() - std::strlen(suffix), std::string::npos, suffix) == 0;
	};
	if (a.file.rfind("anyhow_", 0) == 0 && b.file.rfind("anyhow_", 0) == 0 &&
	    ends(a.file, "_backtrace.txt") != ends(b.file, "_backtrace.txt"))
		return true;
	// a panic with RUST_BACKTRACE=0 (its location) and =1 (its frames)
	for (const char *p : {"refcell_", "dep_panic_", "workspace_", "core_sum_overflow_", "unwrap_anyhow_", "impl_display_"})
		if (a.file.rfind(p, 0) == 0 && b.file.rfind(p, 0) == 0 && rust_backtrace(a.file) != rust_backtrace(b.file))
			return true;
	// Monolog's default formatter logs the exceptions without their stacks
	for (const char *f : {"laravel_order_duplicate.txt", "laravel_order_duplicate_other.txt",
	                      "laravel_order_duplicate_deploy2.txt", "monolog_oneline_order_duplicate.txt"})
		if (pair("monolog_default_order_duplicate.txt", f))
			return true;
	// PHP's own fatal error has no stack (a frame at its file); under Xdebug
	// the same error comes with its frames
	for (const char *f : {"fatal_memory_report.txt", "fatal_memory_report_deploy2.txt", "error_log_memory_report.txt"})
		for (const char *x : {"xdebug_log_memory_report.txt", "xdebug_log_memory_report_deploy2.txt"})
			if (pair(f, x))
				return true;
	if (pair("fatal_memory_export.txt", "xdebug_log_memory_export.txt"))
		return true;
	return pair("async_node_modules.txt", "uncaught_unhandled_rejection.txt") ||
	       // RUST_BACKTRACE=0: the panic header only, no frame
	       pair("panic_unwrap_none.txt", "panic_unwrap_none_nobacktrace.txt") ||
	       pair("panic_unwrap_none_full.txt", "panic_unwrap_none_nobacktrace.txt") ||
	       // -O2 without -g: the inlined callers are gone from the trace
	       pair("gdb_bt_segv_template.txt", "gdb_bt_segv_nodebug.txt") ||
	       pair("gdb_bt_segv_template_2.txt", "gdb_bt_segv_nodebug.txt") ||
	       // valgrind reports the invalid read (its own strlen), gdb the
	       // signal: two types for one null pointer
	       pair("valgrind_strlen_null.txt", "gdb_bt_strlen_null.txt") ||
	       pair("valgrind_strlen_null.txt", "gdb_bt_strlen_null_other_cpu.txt") ||
	       // std::terminate's stderr alone has no frame
	       pair("gdb_bt_uncaught_exception.txt", "terminate_stderr.txt") ||
	       pair("gdb_uncaught_exception_full_output.txt", "terminate_stderr.txt") ||
	       // JavaScriptCore keeps no async callers: loadProfile alone vs
	       // SpiderMonkey's loadProfile + showProfile.
	       pair("browser_firefox_async_await.txt", "browser_safari_async_await.txt");
}

// Different-bug pairs we knowingly merge (measured trade-offs, see
// docs/grouping-quality.md); asserted merged so a change is noticed.
bool
known_merge(const Fixture &a, const Fixture &b)
{
	auto pair = [&](const char *x, const char *y) {
		return (a.file == x && b.file == y) || (a.file == y && b.file == x);
	};
	// RUST_BACKTRACE=0 prints a panic's location and message only: an
	// overflow inside core's Iterator::sum from two functions is one
	// location, two unwraps of one error context in one file are one file
	for (const char *p : {"core_sum_overflow_", "unwrap_anyhow_"})
		if (a.file.rfind(p, 0) == 0 && b.file.rfind(p, 0) == 0 && !rust_backtrace(a.file) && !rust_backtrace(b.file))
			return true;
	// Two lambdas of the same method: lambda ordinals are dropped (they shift
	// whenever a lambda is added above), so lambda$main$1 == lambda$main$2.
	return pair("executor_execution_exception.txt", "lambda_supplier_showhiddenframes.txt") ||
	       // The root cause (validateEmail) is the same; the wrapping site is
	       // not hashed (it split more human-labelled duplicates than it separated).
	       pair("custom_error.txt", "cause_util_inspect.txt") ||
	       // .NET: Task.Wait()'s AggregateException around the same root cause
	       // as the awaited one (the wrapper is not hashed, as above)
	       pair("async_await.txt", "aggregate_exception.txt");
}

void
check_grouping(const std::string &lang)
{
	auto fixtures = errtrack_test::load_fixtures(lang);
	ASSERT_FALSE(fixtures.empty()) << "no fixtures for " << lang;
	errtrack::Cancel cancel;
	std::vector<std::string> fps;
	for (auto &f : fixtures)
		fps.push_back(errtrack::digest_to_uuid_text(
			errtrack::compute_fingerprint(f.type, f.message, f.stack, cancel).digest));
	for (size_t i = 0; i < fixtures.size(); i++) {
		for (size_t j = i + 1; j < fixtures.size(); j++) {
			bool same_label = fixtures[i].label == fixtures[j].label;
			if (same_label && known_split(fixtures[i], fixtures[j]))
				same_label = false;
			else if (!same_label && known_merge(fixtures[i], fixtures[j]))
				same_label = true;
			bool same_fp = fps[i] == fps[j];
			EXPECT_EQ(same_label, same_fp)
				<< lang << ": " << fixtures[i].file << " (" << fixtures[i].label << ") vs " << fixtures[j].file
				<< " (" << fixtures[j].label << ")\n"
				<< errtrack::compute_fingerprint(fixtures[i].type, fixtures[i].message, fixtures[i].stack, cancel, true).explain
				<< "---\n"
				<< errtrack::compute_fingerprint(fixtures[j].type, fixtures[j].message, fixtures[j].stack, cancel, true).explain;
		}
	}
}

}  // namespace

TEST(FixtureGrouping, Java) { check_grouping("java"); }
TEST(FixtureGrouping, Python) { check_grouping("python"); }
TEST(FixtureGrouping, Node) { check_grouping("node"); }
TEST(FixtureGrouping, Go) { check_grouping("go"); }
TEST(FixtureGrouping, Ruby) { check_grouping("ruby"); }
TEST(FixtureGrouping, DotNet) { check_grouping("dotnet"); }
TEST(FixtureGrouping, Php) { check_grouping("php"); }
TEST(FixtureGrouping, Rust) { check_grouping("rust"); }
TEST(FixtureGrouping, Cpp) { check_grouping("cpp"); }
