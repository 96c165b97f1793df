// test_fp2_rules.cpp — fp2's parse rules: the line rewriting of
// src/core/preclean.hpp and the deploy-independent paths of
// app_relative_path(), each on real traces of the runtime or logger that
// prints it (fixtures and their regen.sh), read as a tracer without a type or
// message would send them: the stack alone.  fp1 (frozen) keeps its old reading.
#include <gtest/gtest.h>

#include <cstring>

#include <algorithm>
#include <forward_list>
#include <map>
#include <regex>
#include <string>

#include "fingerprint.hpp"
#include "text.hpp"
#include "fixtures.hpp"
#include "message.hpp"
#include "parse_util.hpp"
#include "parser.hpp"
#include "preclean.hpp"

using errtrack::Algorithm;
using errtrack::Cancel;
using errtrack::compute_fingerprint;
using errtrack::FingerprintResult;
using errtrack::Lang;

namespace {

class Fixtures {
public:
	explicit Fixtures(const char *lang)
	{
		for (auto &f : errtrack_test::load_fixtures(lang))
			by_file_[f.file] = f;
	}
	// the fingerprint of the stack alone
	FingerprintResult fp(const std::string &file, Algorithm a = Algorithm::Fp2) const
	{
		Cancel c;
		return compute_fingerprint("", "", by_file_.at(file).stack, c, true, a);
	}

	const std::string &stack(const std::string &file) const { return by_file_.at(file).stack; }

	// whether fp1 (frozen) gave the two the same fingerprint
	bool fp1_same(const std::string &a, const std::string &b) const
	{
		return fp(a, Algorithm::Fp1).digest == fp(b, Algorithm::Fp1).digest;
	}
	// `bug` and `again` (the same bug after a second deploy) share a
	// fingerprint, `other` (a look-alike: another bug) has its own
	void expect_one_issue_apart_from(const std::string &bug, const std::string &again, const std::string &other) const
	{
		auto a = fp(bug);
		EXPECT_EQ(a.digest, fp(again).digest) << bug << " vs " << again;
		EXPECT_NE(a.digest, fp(other).digest) << bug << " vs " << other;
	}

private:
	std::map<std::string, errtrack_test::Fixture> by_file_;
};

}  // namespace

TEST(Preclean, StripJvmPackagingData)
{
	using errtrack::strip_jvm_packaging_data;
	EXPECT_EQ(strip_jvm_packaging_data("\tat a.B.c(B.java:4) ~[b-1.2.jar:1.2]"), "\tat a.B.c(B.java:4)");
	EXPECT_EQ(strip_jvm_packaging_data("\tat a.B.c(B.java:4) [na:na]  "), "\tat a.B.c(B.java:4)");
	EXPECT_EQ(strip_jvm_packaging_data("    at a.B.c(Unknown Source) ~[?:?]"), "    at a.B.c(Unknown Source)");
	EXPECT_EQ(strip_jvm_packaging_data("\tat a.B.c(B.java:4) ~[classes/:na]"), "\tat a.B.c(B.java:4)");
	// not packaging data: left as is
	for (std::string_view l : {"./app(main+0x1d) [0x4005d4]", "\tat a.B.c(B.java:4)", "at a.B.c(B.java:4) [a b:c]",
	                           "at a.B.c(B.java:4)[x:y]", "frame(x) [y:z]", "at x [a:b]", "[a:b]", "",
	                           "at a.B.c(B.java:4) ~[]", "at f (file.js:1:2) [x:y] ]"})
		EXPECT_EQ(strip_jvm_packaging_data(l), l) << l;
}

TEST(Preclean, BacktraceSymbolsFdLine)
{
	size_t split = 0;
	EXPECT_TRUE(errtrack::bts_fd_line("./shop(_ZN4shop4dumpEl+0x1e)[0x5577e6e2b6ae]", split));
	EXPECT_EQ(split, 28u);
	EXPECT_TRUE(errtrack::bts_fd_line("/lib/x86_64-linux-gnu/libc.so.6(+0x2724a)[0x7f187b84524a]", split));
	for (std::string_view l : {"./shop(f+0x1e) [0x5577]", "[0x5577e6e2b6ae]", "./shop(f)[0x]", "./shop(f)[0xzz]",
	                           "at a.B(c)[0x12]x", "(f)[0x12]", "my prog(f)[0x12]", ""})
		EXPECT_FALSE(errtrack::bts_fd_line(l, split)) << l;
	// the rewrite: the line as backtrace_symbols() prints it
	std::vector<std::string_view> lines = {"./shop(main+0x1cc)[0x5577e6e2b4cc]", "other [0x1]"};
	std::forward_list<std::string> side;
	errtrack::fp2_preclean(lines, side, Cancel{});
	EXPECT_EQ(lines[0], "./shop(main+0x1cc) [0x5577e6e2b4cc]");
	EXPECT_EQ(lines[1], "other [0x1]");
}

// glibc backtrace_symbols_fd(): the same bug as backtrace_symbols() prints it,
// and after a second build from another directory with moved lines.
TEST(Preclean, BacktraceSymbolsFdRealTraces)
{
	Fixtures fx("cpp");
	auto fd = fx.fp("backtrace_symbols_fd.txt");
	EXPECT_EQ(fd.lang, Lang::Native);
	EXPECT_FALSE(fd.frames.empty());
	EXPECT_EQ(fd.frames, fx.fp("backtrace_symbols_fd_plain.txt").frames);
	EXPECT_EQ(fd.digest, fx.fp("backtrace_symbols_fd_plain.txt").digest);
	EXPECT_EQ(fd.digest, fx.fp("backtrace_symbols_fd_deploy2.txt").digest);
	// fp1 did not recognise the format: the generic parser kept addresses
	EXPECT_EQ(fx.fp("backtrace_symbols_fd.txt", Algorithm::Fp1).lang, Lang::Generic);
	EXPECT_FALSE(fx.fp1_same("backtrace_symbols_fd.txt", "backtrace_symbols_fd_plain.txt"));
}

// Node.js's uncaught-exception output: "<file>:<line>", source line, caret,
// then the error.  The header is the error's own line.
TEST(Preclean, NodeUncaughtPreambleRealTraces)
{
	Fixtures fx("node");
	auto v1 = fx.fp("uncaught_process_sync.txt");
	auto v2 = fx.fp("uncaught_process_sync_deploy2.txt");
	EXPECT_EQ(v1.lang, Lang::Node);
	EXPECT_EQ(v1.type, "TypeError");
	EXPECT_EQ(v1.digest, v2.digest);
	EXPECT_FALSE(v1.frames.empty());
	EXPECT_EQ(fx.fp("uncaught_unhandled_rejection.txt").type, "QueryError");
	// fp1 took "<file>:<line>" for the type: every deploy split the issue
	EXPECT_NE(fx.fp("uncaught_process_sync.txt", Algorithm::Fp1).type, "TypeError");
	EXPECT_FALSE(fx.fp1_same("uncaught_process_sync.txt", "uncaught_process_sync_deploy2.txt"));
}

// Ruby's bottom-first full_message: the same issue as the top-first one, cause
// chain included (the root cause is primary), and after a second deploy.
TEST(Preclean, RubyBottomFirstRealTraces)
{
	Fixtures fx("ruby");
	for (const char *bug : {"register", "find"}) {
		std::string b = std::string("full_message_bottom_") + bug;
		auto top = fx.fp(std::string("full_message_top_") + bug + ".txt");
		auto bottom = fx.fp(b + ".txt");
		EXPECT_EQ(bottom.lang, Lang::Ruby) << bug;
		EXPECT_EQ(bottom.type, top.type) << bug;
		EXPECT_EQ(bottom.frames, top.frames) << bug;
		EXPECT_EQ(bottom.digest, top.digest) << bug;
		EXPECT_EQ(bottom.digest, fx.fp(b + "_deploy2.txt").digest) << bug;
		EXPECT_NE(fx.fp(b + ".txt", Algorithm::Fp1).digest,
		          fx.fp(std::string("full_message_top_") + bug + ".txt", Algorithm::Fp1).digest)
		    << bug << ": fp1 did not read the bottom-first format";
	}
	EXPECT_EQ(fx.fp("full_message_bottom_register.txt").type, "KeyError");  // the root cause
	EXPECT_NE(fx.fp("full_message_bottom_register.txt").digest, fx.fp("full_message_bottom_find.txt").digest);
}

// Python tracebacks also start with "Traceback (most recent call last):": untouched.
TEST(Preclean, PythonTracebackUntouched)
{
	std::vector<std::string_view> lines = {"Traceback (most recent call last):", "  File \"a.py\", line 1, in <module>",
	                                       "    f()", "ValueError: x"};
	auto copy = lines;
	std::forward_list<std::string> side;
	errtrack::fp2_preclean(lines, side, Cancel{});
	EXPECT_EQ(lines, copy);
}

TEST(Fp2Paths, AppRelativePath)
{
	using errtrack::putil::app_relative_path;
	struct Case {
		const char *path, *fp1, *fp2;
	};
	for (const Case &c : {
	         Case{"/var/www/html/checkout.php", "www/html/checkout.php", "checkout.php"},
	         Case{"/srv/www/shop-2/checkout.php", "www/shop-2/checkout.php", "checkout.php"},
	         Case{"/var/www/html/admin/index.php", "www/html/admin/index.php", "admin/index.php"},
	         Case{"/var/www/html/src/Orders.php", "src/Orders.php", "Orders.php"},
	         Case{"/srv/app/main.rb", "app/main.rb", "main.rb"},
	         Case{"/srv/app-v2/main.rb", "main.rb", "main.rb"},
	         Case{"/srv/app/lib/shop/orders.rb", "lib/shop/orders.rb", "lib/shop/orders.rb"},
	         Case{"/x/releases/20240101/app/models/user.rb", "app/models/user.rb", "app/models/user.rb"},
	         Case{"C:\\inetpub\\www\\site\\a.php", "www/site/a.php", "a.php"},
	         Case{"/opt/x/y.php", "y.php", "y.php"},
	     }) {
		EXPECT_EQ(app_relative_path(c.path), c.fp1) << c.path;
		EXPECT_EQ(app_relative_path(c.path, true), c.fp2) << c.path;
	}
}

// A document-root PHP script (plain functions, {main}) deployed to two web
// roots: one issue; its look-alike in another function stays apart.
TEST(Fp2Paths, PhpDocumentRootRealTraces)
{
	Fixtures fx("php");
	EXPECT_EQ(fx.fp("docroot_cart.txt").lang, Lang::Php);
	fx.expect_one_issue_apart_from("docroot_cart.txt", "docroot_cart_deploy2.txt", "docroot_wishlist.txt");
	EXPECT_FALSE(fx.fp1_same("docroot_cart.txt", "docroot_cart_deploy2.txt"))
	    << "fp1 keyed {main} by the site directory";
}

// Rust under RUST_BACKTRACE=full: glibc frames (start_thread, clone3) and the
// standard library's generic code (core/src/iter/...) are not app frames, so
// =full and =1 traces of one panic share the issue.
TEST(Fp2Rust, ForeignAndStdFramesAreNotApp)
{
	Fixtures fx("rust");
	for (const char *bug : {"panic_thread_named", "panic_closure_trait_generic"}) {
		auto one = fx.fp(std::string(bug) + ".txt");
		auto full = fx.fp(std::string(bug) + "_full.txt");
		EXPECT_EQ(one.frames, full.frames) << bug;
		EXPECT_EQ(one.digest, full.digest) << bug;
		for (const auto &k : full.frames)
			EXPECT_EQ(k.find("start_thread"), std::string::npos) << bug;
	}
	EXPECT_FALSE(fx.fp1_same("panic_thread_named.txt", "panic_thread_named_full.txt"))
	    << "fp1 keyed glibc's start_thread";
}

// gdb's whole output for an uncaught C++ exception: std::terminate's
// "terminate called after throwing an instance of 'T'" and "what(): msg" are
// the error, not the SIGABRT gdb reports next — the stack alone gives the
// fingerprint a tracer's error.type / error.message give.
TEST(Fp2Native, UncaughtExceptionTypeUnderGdb)
{
	Fixtures fx("cpp");
	auto alone = fx.fp("gdb_uncaught_exception_full_output.txt");
	EXPECT_EQ(alone.type, "std::invalid_argument");
	EXPECT_FALSE(alone.frames.empty());
	Cancel c;
	for (const auto &f : errtrack_test::load_fixtures("cpp")) {
		if (f.file == "gdb_uncaught_exception_full_output.txt") {
			EXPECT_EQ(compute_fingerprint("std::invalid_argument", "trailing characters in quantity '9y'", f.stack, c).digest,
			          alone.digest);
		}
	}
	EXPECT_EQ(fx.fp("gdb_uncaught_exception_full_output.txt", Algorithm::Fp1).type, "SIGABRT");
}

// Helpful NullPointerException messages (JEP 358): two NPEs of one method are
// two issues; one NPE built with and without -g ("c" / "<parameter1>" in the
// "because" part) is one.
TEST(Fp2Java, HelpfulNpeActionInKey)
{
	Fixtures fx("java");
	auto city = fx.fp("npe_helpful_city.txt");
	auto none = fx.fp("npe_helpful_no_customer.txt");
	EXPECT_EQ(city.frames, none.frames);  // same method, same call path
	EXPECT_NE(city.digest, none.digest);
	EXPECT_EQ(none.digest, fx.fp("npe_helpful_no_customer_nodebug.txt").digest);
	ASSERT_FALSE(none.codes.empty());
	EXPECT_EQ(none.codes.back(), "npe:Cannot invoke \"com.acme.npe.HelpfulNpe$Customer.email()\"");
	// fp1 merged the two
	EXPECT_TRUE(fx.fp1_same("npe_helpful_city.txt", "npe_helpful_no_customer.txt"));
	// the tracer's error.message gives the same code as the header
	Cancel c;
	auto tracer = compute_fingerprint("java.lang.NullPointerException",
	                                  "Cannot invoke \"String.trim()\" because the return value of "
	                                  "\"com.acme.npe.HelpfulNpe$Address.city()\" is null",
	                                  "\tat com.acme.npe.HelpfulNpe.describe(HelpfulNpe.java:17)\n"
	                                  "\tat com.acme.npe.HelpfulNpe.main(HelpfulNpe.java:24)\n",
	                                  c, false);
	EXPECT_EQ(tracer.digest, city.digest);
	// other types and NPE messages without the action: no code
	const char *stack = "\tat a.B.c(B.java:1)\n";
	auto other = compute_fingerprint("java.lang.IllegalStateException", "Cannot invoke \"X.y()\" because \"a\" is null",
	                                 stack, c, false);
	auto plain = compute_fingerprint("java.lang.NullPointerException", "", stack, c, false);
	for (const auto *r : {&other, &plain})
		for (const auto &code : r->codes)
			EXPECT_NE(code.rfind("npe:", 0), 0u) << code;
}

// Python compile errors: the location line printed last (no function) is the
// bug's site, so two plugins' SyntaxErrors through one loader are two issues,
// and a second deploy keeps the issue.
TEST(Fp2Python, SyntaxErrorLocationKeyed)
{
	Fixtures fx("python");
	auto alpha = fx.fp("syntax_error_plugin_alpha.txt");
	EXPECT_EQ(alpha.type, "SyntaxError");
	ASSERT_FALSE(alpha.frames.empty());
	EXPECT_EQ(alpha.frames[0], "python:alpha::<syntax>");
	fx.expect_one_issue_apart_from("syntax_error_plugin_alpha.txt", "syntax_error_plugin_alpha_deploy2.txt",
	                               "syntax_error_plugin_beta.txt");
	EXPECT_TRUE(fx.fp1_same("syntax_error_plugin_alpha.txt", "syntax_error_plugin_beta.txt"))
	    << "fp1 merged them";
}

// A unit past the throw site's that was entered through main() is named by
// what main called: two commands of a CLI (in main.go, next to main) that hit
// one helper's bug are two issues; a second deploy keeps each.
TEST(Fp2Frames, MainNamesNoPath)
{
	Fixtures fx("go");
	auto totals = fx.fp("cli_nth_totals.txt");
	EXPECT_EQ(totals.frames, (std::vector<std::string>{"go:example.com/shopcli/internal/store::Nth[...]", "go:main::reportTotals"}));
	fx.expect_one_issue_apart_from("cli_nth_totals.txt", "cli_nth_totals_deploy2.txt", "cli_nth_taxes.txt");
	EXPECT_TRUE(fx.fp1_same("cli_nth_totals.txt", "cli_nth_taxes.txt"))
	    << "fp1 keyed both by main.main";
}

// Python exception groups (3.11+): the group, printed first, is the outer
// exception; its first member is the cause the fingerprint is about (fp1 took
// the group for the deepest cause: its type and frames made the key).
TEST(Fp2Python, ExceptionGroupFirstMemberIsTheCause)
{
	Fixtures fx("python");
	auto qty = fx.fp("exception_group_quantity.txt");
	EXPECT_EQ(qty.type, "ValueError");
	EXPECT_EQ(qty.wrapper, "ExceptionGroup");
	ASSERT_FALSE(qty.frames.empty());
	EXPECT_EQ(qty.frames[0], "python:groups::validate_quantity");
	EXPECT_EQ(fx.fp("exception_group_sku.txt").type, "TypeError");
	fx.expect_one_issue_apart_from("exception_group_quantity.txt", "exception_group_quantity_deploy2.txt",
	                               "exception_group_sku.txt");
	EXPECT_EQ(fx.fp("exception_group_quantity.txt", Algorithm::Fp1).type, "ExceptionGroup");  // fp1: the group
	// the chain: group outer, one cause, the other members suppressed
	Cancel c;
	for (const auto &f : errtrack_test::load_fixtures("python")) {
		if (f.file != "exception_group_quantity.txt")
			continue;
		auto ps = errtrack::parse_stack(f.stack, Lang::Unknown, c);
		ASSERT_EQ(ps.chain.size(), 3u);
		EXPECT_EQ(ps.chain[0].type, "ExceptionGroup");
		EXPECT_EQ(ps.chain[0].role, errtrack::Role::Outer);
		EXPECT_EQ(ps.chain[1].role, errtrack::Role::Cause);
		EXPECT_EQ(ps.chain[2].role, errtrack::Role::Suppressed);
	}
}

// Ruby: a method MRI prints at its caller's file and line is implemented in
// C (Integer#/, Integer#div, Array#map): core library, not the app's code —
// the same bug through `/` or through `div` is one issue.
TEST(Fp2Ruby, CoreMethodsAreNotAppFrames)
{
	Fixtures fx("ruby");
	auto slash = fx.fp("core_method_slash.txt");
	EXPECT_EQ(slash.digest, fx.fp("core_method_div.txt").digest);
	ASSERT_FALSE(slash.frames.empty());
	EXPECT_EQ(slash.frames[0], "ruby:core_method::average");
	for (const auto &k : slash.frames)
		EXPECT_EQ(k.find("::map"), std::string::npos) << k;
	EXPECT_FALSE(fx.fp1_same("core_method_slash.txt", "core_method_div.txt")) << "fp1 keyed `/` and `div`";
}

// Python libraries outside site-packages (an AWS Lambda layer in /opt/python,
// `pip install --target vendor`) are libraries: the same Flask app's bug is
// one issue wherever Flask is installed, and the other route's look-alike
// stays apart.
TEST(Fp2Python, VendoredLibrariesAreLibraries)
{
	Fixtures fx("python");
	auto sys = fx.fp("flask_cart_system.txt");
	ASSERT_FALSE(sys.frames.empty());
	EXPECT_EQ(sys.frames[0], "python:shop::cart_total");
	fx.expect_one_issue_apart_from("flask_cart_system.txt", "flask_cart_lambda_layer.txt", "flask_price_system.txt");
	fx.expect_one_issue_apart_from("flask_cart_system.txt", "flask_cart_vendored.txt", "flask_price_system.txt");
	EXPECT_FALSE(fx.fp1_same("flask_cart_system.txt", "flask_cart_lambda_layer.txt")) << "fp1 keyed Flask as app code";
	EXPECT_FALSE(fx.fp1_same("flask_cart_system.txt", "flask_cart_vendored.txt"));
	Cancel c;
	for (const auto &f : errtrack_test::load_fixtures("python")) {
		if (f.file != "flask_cart_lambda_layer.txt" && f.file != "flask_cart_vendored.txt")
			continue;
		auto ps = errtrack::parse_stack(f.stack, Lang::Unknown, c);
		for (const auto &fr : ps.chain.at(0).frames) {
			if (fr.module.rfind("flask", 0) == 0 || fr.module.rfind("werkzeug", 0) == 0) {
				EXPECT_NE(fr.category, errtrack::Category::App) << f.file << " " << fr.module;
			}
		}
	}
	// a directory of the app that is named like a package is not a library
	// (only inside vendor/, lib/, deps/... or at a Lambda task root)
	auto cat = [&](const char *path) {
		std::string tb = std::string("Traceback (most recent call last):\n  File \"") + path +
		                 "\", line 3, in handler\n    x()\nKeyError: 'a'\n";
		return errtrack::parse_stack(tb, Lang::Unknown, c).chain.at(0).frames.at(0).category;
	};
	EXPECT_EQ(cat("/srv/flask/app.py"), errtrack::Category::App);
	EXPECT_EQ(cat("/home/me/requests/views.py"), errtrack::Category::App);
	EXPECT_EQ(cat("/var/task/requests/api.py"), errtrack::Category::Library);
	EXPECT_EQ(cat("/srv/shop/deps/requests/api.py"), errtrack::Category::Library);
	EXPECT_EQ(cat("/app/bundle.pex/myapp/views.py"), errtrack::Category::Library);
}

// Ruby blocks in a class or file body (Sinatra routes: every route is "block
// in <class:OrdersApp>") do not identify the site: the message template joins
// the key, so two routes' NoMethodErrors on nil are two issues.
TEST(Fp2Ruby, ClassBodyBlockAddsTheMessage)
{
	Fixtures fx("ruby");
	auto notes = fx.fp("sinatra_notes.txt");
	ASSERT_FALSE(notes.frames.empty());
	EXPECT_EQ(notes.frames[0], "ruby:orders_app::block in <class:OrdersApp>");
	EXPECT_TRUE(notes.message_used);
	EXPECT_NE(notes.explain.find("anonymous block"), std::string::npos);
	fx.expect_one_issue_apart_from("sinatra_notes.txt", "sinatra_notes_deploy2.txt", "sinatra_tags.txt");
	EXPECT_TRUE(fx.fp1_same("sinatra_notes.txt", "sinatra_tags.txt")) << "fp1 merged the two routes";
	// a named method's site needs no message
	EXPECT_FALSE(fx.fp("not_found_1.txt").message_used);
}

// The pre-cleaning polls for cancellation: an interrupt pending before a long
// input (Ruby's bottom-first order, bracketed lines) stops it.
TEST(Preclean, PollsCancel)
{
	std::string text = "Traceback (most recent call last):\n";
	for (int i = 0; i < 5000; i++)
		text += "\t" + std::to_string(5000 - i) + ": from /app/x.rb:" + std::to_string(i) + ":in `f'\n";
	text += "/app/x.rb:1:in `g': boom (RuntimeError)\n";
	for (int i = 0; i < 5000; i++)
		text += "./app(f+0x1e)[0x5577e6e2b6ae]\n";
	std::vector<std::string_view> lines;
	for (size_t pos = 0; pos < text.size();) {
		size_t nl = text.find('\n', pos);
		lines.push_back(std::string_view(text).substr(pos, nl - pos));
		pos = nl + 1;
	}
	volatile int pending = 1;
	Cancel interrupted;
	interrupted.flag = &pending;
	std::forward_list<std::string> side;
	auto copy = lines;
	EXPECT_THROW(errtrack::fp2_preclean(copy, side, interrupted), errtrack::Error);
	// and without an interrupt it completes: Ruby reordered, fd lines rewritten
	errtrack::fp2_preclean(lines, side, Cancel{});
	EXPECT_EQ(lines.front(), "/app/x.rb:1:in `g': boom (RuntimeError)");
	EXPECT_EQ(lines.back(), "from /app/x.rb:0:in `f'");  // the outermost frame last
	// leading blank lines (looked through for a Node preamble) are polled too
	std::vector<std::string_view> blanks(5000, std::string_view("  "));
	blanks.push_back("/srv/app/x.js:3");
	EXPECT_THROW(errtrack::fp2_preclean(blanks, side, interrupted), errtrack::Error);
	EXPECT_NE(std::find(lines.begin(), lines.end(), std::string_view("./app(f+0x1e) [0x5577e6e2b6ae]")), lines.end());
}

// PHP: a script's plain functions are keyed by the file's name, whatever the
// install layout (a web root with a site directory, or a plain directory).
TEST(Fp2Paths, PhpScriptKeyIndependentOfLayout)
{
	Fixtures fx("php");
	auto www = fx.fp("layout_console_www.txt");
	EXPECT_EQ(www.frames,
	          (std::vector<std::string>{"php:console::import_row", "php:console::import_all", "php:console::{main}"}));
	EXPECT_EQ(www.digest, fx.fp("layout_console_srv.txt").digest);
	EXPECT_FALSE(fx.fp1_same("layout_console_www.txt", "layout_console_srv.txt")) << "fp1 keyed www/crm/cli/console";
}

// A logger that joins err.stack's lines with spaces (log shippers that
// collapse multi-line records do) puts the whole V8 stack on one line after
// its record's time stamp: fp2 read it as text (no frames: every TypeError
// of that template one issue).  Rule 16 splits it before each " at " that
// opens a frame, so it keys as the stack as V8 printed it.
TEST(Fp2Node, FlattenedStackOnOneLine)
{
	Fixtures fx("node");
	auto r = fx.fp("flattened_log_import.txt");
	EXPECT_EQ(r.type, "TypeError");
	EXPECT_EQ(r.frames, (std::vector<std::string>{"javascript:worker::parseLine", "javascript:worker::importRows"}));
	fx.expect_one_issue_apart_from("flattened_log_import.txt", "flattened_log_import_deploy2.txt",
	                               "flattened_log_export.txt");
	// the same as the stack with its lines back
	std::string text = fx.stack("flattened_log_import.txt");
	text = text.substr(text.find("TypeError: "));
	for (size_t at = text.find(" at "); at != std::string::npos; at = text.find(" at ", at + 8))
		text.replace(at, 4, "\n    at ");
	Cancel c;
	EXPECT_EQ(compute_fingerprint("", "", text, c, false, Algorithm::Fp2).digest, r.digest);
	// a message that says " at " keeps it, and one frame-like piece is no stack
	auto ps = errtrack::parse_stack("SyntaxError: Unexpected token at position 12 at JSON.parse (<anonymous>) at load "
	                                "(/srv/app/config.js:4:19) at main (/srv/app/index.js:9:3)",
	                                Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].message, "Unexpected token at position 12");
	EXPECT_EQ(ps.chain[0].frames.size(), 3u);
	auto one = errtrack::parse_stack("Error: failed at step 3 at load (/srv/app/config.js:4:19) and more text here",
	                                 Lang::Unknown, c, Algorithm::Fp2);
	EXPECT_NE(one.lang, Lang::Node);
}

// esbuild names bundles "[name].[hash]" with 8 characters of A-Z and 2-7: a
// hash without a digit (worker.TXJLRVSV.js, seen in a real esbuild build)
// is a content hash too, so a rebuild does not split the issue.
TEST(Fp2Node, EsbuildBundleHashes)
{
	using errtrack::strip_content_hash;
	for (const char *name : {"worker.TXJLRVSV.js", "worker.NKADC2BS.js", "worker.CTTPNIEK.js"})
		EXPECT_EQ(strip_content_hash(name, true), "worker.js") << name;
	EXPECT_EQ(strip_content_hash("worker.TXJLRVSV.js"), "worker.TXJLRVSV.js");  // fp1: only with a digit
	EXPECT_EQ(strip_content_hash("worker.NKADC2BS.js"), "worker.js");
	for (const char *name : {"worker.Orders01.js", "app.README.js", "x.ABCDEFG.js", "x.ABCDEFGHI.js", "x.ABCDEF18.js"})
		EXPECT_EQ(strip_content_hash(name, true), strip_content_hash(name)) << name;
	Cancel c;
	auto fp = [&](const char *hash) {
		std::string s = std::string("ZodError: bad job\n    at validateJob2 (/srv/w/dist/worker.") + hash +
		                ".js:11535:18)\n    at main (/srv/w/dist/worker." + hash + ".js:11550:3)\n";
		return compute_fingerprint("", "", s, c).digest;
	};
	EXPECT_EQ(fp("TXJLRVSV"), fp("NKADC2BS"));
}

// Twig compiles each template to a class named by a hash of the template and
// Twig's version and options (debug on: another name): generated code, not an
// app frame (the frame lines are from a real Twig 3.5 trace).
TEST(Fp2Php, TwigTemplateClassIsGenerated)
{
	const std::string trace =
	    "Twig\\Error\\RuntimeError: Variable \"customer\" does not exist. in /srv/crm/templates/invoice.html.twig:2\n"
	    "Stack trace:\n"
	    "#0 /usr/share/php/Twig/Environment.php(361) : eval()'d code(42): __TwigTemplate_HASH->{closure}()\n"
	    "#1 /usr/share/php/Twig/Template.php(394): __TwigTemplate_HASH->doDisplay()\n"
	    "#2 /usr/share/php/Twig/Template.php(367): Twig\\Template->displayWithErrorHandling()\n"
	    "#3 /usr/share/php/Twig/TemplateWrapper.php(40): Twig\\Template->render()\n"
	    "#4 /usr/share/php/Twig/Environment.php(280): Twig\\TemplateWrapper->render()\n"
	    "#5 /srv/crm/src/Command/RenderCommand.php(38): Twig\\Environment->render()\n"
	    "#6 /srv/crm/src/Command/RenderCommand.php(29): Acme\\Crm\\Command\\RenderCommand->renderInvoice()\n"
	    "#7 {main}\n";
	auto with = [&](const char *hash) {
		std::string t = trace;
		for (size_t p; (p = t.find("HASH")) != std::string::npos;)
			t.replace(p, 4, hash);
		return t;
	};
	Cancel c;
	auto a = compute_fingerprint("", "", with("62c9c0d1a9b1dc8c44ab70e45b48d7fa"), c);
	auto b = compute_fingerprint("", "", with("f66bc96b0c2f9e3c9d0aa4e51d0f3f7e"), c);
	EXPECT_EQ(a.digest, b.digest);
	ASSERT_FALSE(a.frames.empty());
	EXPECT_EQ(a.frames[0], "php:Acme\\Crm\\Command\\RenderCommand::renderInvoice");
	Cancel c1;
	EXPECT_NE(compute_fingerprint("", "", with("62c9c0d1a9b1dc8c44ab70e45b48d7fa"), c1, false, Algorithm::Fp1).digest,
	          compute_fingerprint("", "", with("f66bc96b0c2f9e3c9d0aa4e51d0f3f7e"), c1, false, Algorithm::Fp1).digest);
}

// net/http recovers a handler's panic and logs it through the server's error
// log: "http: panic serving ADDR: VALUE" after the logger's prefix (the
// standard logger's date, "echo: ", an app's own), then the goroutine.  Until
// now fp2 read the line as a message, client address and logger prefix
// included: the same bug behind another logger was another issue (fp1 read
// no header at all).  Now it is the panic's header, as Go prints it for a
// panic nobody recovered.
TEST(Fp2Go, NetHttpRecoveredPanic)
{
	Fixtures fx("go");
	auto r = fx.fp("http_panic_orders.txt");
	EXPECT_EQ(r.type, "panic");
	EXPECT_EQ(r.message_template, "runtime error: invalid memory address or nil pointer dereference");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "go:main::customerEmail");
	fx.expect_one_issue_apart_from("http_panic_orders.txt", "http_panic_orders_deploy2.txt", "http_panic_refunds.txt");
	EXPECT_EQ(fx.fp("http_panic_orders.txt", Algorithm::Fp1).type, "");  // (fp1 read no header)
	// the same dump as an unrecovered panic prints it
	const std::string &text = fx.stack("http_panic_orders.txt");
	std::string plain = "panic: " + text.substr(text.find("runtime error: "));
	Cancel c;
	EXPECT_EQ(compute_fingerprint("", "", plain, c, false, Algorithm::Fp2).digest, r.digest);
	// echo's logger prefix, pasted by a user
	Fixtures pasted("pasted");
	auto e = pasted.fp("go_echo_http_panic_serving.txt");
	EXPECT_EQ(e.type, "panic");
	EXPECT_EQ(e.message_template, "runtime error: invalid memory address or nil pointer dereference");
}

// github.com/pkg/errors' "%+v" prints a layer per wrap, root cause first:
// read as a chain (the sentinel created at package initialisation has no
// site); and a unit's run ends where library frames come between two of its
// frames (App.stock called back through net/http by App.ServeHTTP), so the
// two handlers of one type are two issues.
TEST(Fp2Go, PkgErrorsLayersAndCallbackRuns)
{
	Fixtures fx("go");
	auto stock = fx.fp("pkgerrors_stock.txt");
	EXPECT_EQ(stock.frames[0], "go:main::(*Store).Lookup");
	EXPECT_NE(std::find(stock.frames.begin(), stock.frames.end(), "go:main::(*App).stock"), stock.frames.end());
	fx.expect_one_issue_apart_from("pkgerrors_stock.txt", "pkgerrors_stock_deploy2.txt", "pkgerrors_reorder.txt");
	EXPECT_TRUE(fx.fp1_same("pkgerrors_stock.txt", "pkgerrors_reorder.txt")) << "fp1 keyed main.init first";
	Cancel c;
	for (const auto &f : errtrack_test::load_fixtures("go")) {
		if (f.file != "pkgerrors_stock.txt")
			continue;
		// as a tracer sends it: the same issue as the stack alone gives apart
		auto typed = compute_fingerprint(f.type, f.message, f.stack, c);
		for (const auto &g : errtrack_test::load_fixtures("go"))
			if (g.file == "pkgerrors_reorder.txt") {
				EXPECT_NE(typed.digest, compute_fingerprint(g.type, g.message, g.stack, c).digest);
			}
		auto ps = errtrack::parse_stack(f.stack, Lang::Unknown, c);
		ASSERT_EQ(ps.chain.size(), 3u);
		EXPECT_EQ(ps.chain[0].message, "stock level");
		EXPECT_EQ(ps.chain[2].message, "record not found");
	}
}

// logging.exception(): the log record printed before "Traceback" is not an
// exception of the chain (fp1 read it as a frame-less root cause).
TEST(Fp2Python, LogRecordBeforeTracebackIsNotAnException)
{
	Cancel c;
	for (const auto &f : errtrack_test::load_fixtures("python")) {
		if (f.file != "log_exception_preamble.txt")
			continue;
		auto ps = errtrack::parse_stack(f.stack, Lang::Unknown, c);
		ASSERT_EQ(ps.chain.size(), 1u);
		EXPECT_EQ(ps.chain[0].type, "KeyError");
		EXPECT_EQ(errtrack::parse_stack(f.stack, Lang::Unknown, c, Algorithm::Fp1).chain.size(), 2u);
		// without a frame of the app (all library), fp1's primary was the log line
		std::string libonly = f.stack;
		for (size_t p; (p = libonly.find("/tmp/errtrack-fixtures/python/logexc/")) != std::string::npos;)
			libonly.replace(p, 37, "/usr/lib/python3.11/");
		auto r = compute_fingerprint("", "", libonly, c, false);
		EXPECT_EQ(r.type, "KeyError");
		EXPECT_NE(compute_fingerprint("", "", libonly, c, false, Algorithm::Fp1).type, "KeyError");
	}
}

// anyhow's error report (`fn main() -> anyhow::Result<()>`, `{:?}`): a chain
// of contexts over a library error, frames only with RUST_BACKTRACE=1.  fp1
// read the cause lines "0: decoding ledger batch" as frames (generic parser
// without a backtrace), so every other input value split the issue.
TEST(Fp2Rust, AnyhowReportIsAChainOfContexts)
{
	Fixtures fx("rust");
	// one issue per bug whatever the bad input, with or without a backtrace
	fx.expect_one_issue_apart_from("anyhow_batch_badjson.txt", "anyhow_batch_badjson_2.txt", "anyhow_rates_badjson.txt");
	fx.expect_one_issue_apart_from("anyhow_batch_badjson_backtrace.txt", "anyhow_batch_badjson_2_backtrace.txt",
	                               "anyhow_rates_badjson_backtrace.txt");
	EXPECT_NE(fx.fp("anyhow_config_missing.txt").digest, fx.fp("anyhow_config_isdir.txt").digest);
	EXPECT_FALSE(fx.fp1_same("anyhow_batch_badjson.txt", "anyhow_batch_badjson_2.txt")) << "fp1 keyed the input";
	// look-alikes: same contexts, another root cause kind
	EXPECT_NE(fx.fp("anyhow_config_missing_backtrace.txt").digest, fx.fp("anyhow_config_isdir_backtrace.txt").digest);
	auto r = fx.fp("anyhow_batch_badjson_backtrace.txt");
	EXPECT_EQ(r.lang, Lang::Rust);
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "rust:fx_anyhow::ledger::decode_batch");
	EXPECT_EQ(r.message_template, "posting batch from <size>: decoding ledger batch: invalid type");
	EXPECT_EQ(fx.fp("anyhow_batch_badjson.txt").message_template, r.message_template);

	Cancel c;
	for (const auto &f : errtrack_test::load_fixtures("rust")) {
		if (f.file != "anyhow_batch_badjson_backtrace.txt")
			continue;
		auto ps = errtrack::parse_stack(f.stack, Lang::Unknown, c);
		ASSERT_EQ(ps.chain.size(), 3u);
		EXPECT_EQ(ps.chain[0].message, "posting batch from 63 bytes");
		EXPECT_EQ(ps.chain[1].message, "decoding ledger batch");
		EXPECT_EQ(ps.chain[2].role, errtrack::Role::Cause);
		EXPECT_EQ(ps.chain[2].depth, 2);
		EXPECT_EQ(ps.chain[2].message, "invalid type: string \"12.50\", expected i64 at line 1 column 60");
		EXPECT_TRUE(ps.chain[0].frames.empty());
		EXPECT_FALSE(ps.chain[2].frames.empty());  // the backtrace is the root cause's
		// as a tracer sends it (type anyhow::Error, the Display as message): the same issue
		EXPECT_EQ(compute_fingerprint(f.type, f.message, f.stack, c).digest, r.digest);
	}
}

TEST(Fp2Rust, ReportLayout)
{
	using errtrack::rust_report_layout;
	auto lines = [](std::initializer_list<std::string_view> l) { return std::vector<std::string_view>(l); };
	EXPECT_TRUE(rust_report_layout(lines({"Error: a", "", "Caused by:", "    b"})));
	EXPECT_TRUE(rust_report_layout(lines({"a", "Caused by:", "    0: b", "    1: c"})));
	EXPECT_TRUE(rust_report_layout(lines({"Error: a", "", "Stack backtrace:", "   0: x::y"})));
	// not the report: Java's cause headers, a panic's backtrace, indented or
	// empty sections
	EXPECT_FALSE(rust_report_layout(lines({"java.lang.X: a", "\tat a.b(C.java:1)", "Caused by: java.lang.Y: b"})));
	EXPECT_FALSE(rust_report_layout(lines({"thread 'main' panicked at a.rs:1:1:", "m", "stack backtrace:", "   0: x"})));
	EXPECT_FALSE(rust_report_layout(lines({"  Error: a", "Caused by:", "    b"})));
	EXPECT_FALSE(rust_report_layout(lines({"Error: a", "  Caused by:", "    b"})));
	EXPECT_FALSE(rust_report_layout(lines({"Error: a", "Caused by:", "b"})));
	EXPECT_FALSE(rust_report_layout(lines({"Error: a", "Caused by:"})));
	// an unnumbered cause that starts with a number is one cause; "N:" only
	// counts in sequence
	Cancel c;
	auto ps = errtrack::parse_stack("Error: fetching\n\nCaused by:\n    404: not found\n", Lang::Unknown, c);
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[1].message, "404: not found");
	ps = errtrack::parse_stack("Error: a\n\nCaused by:\n    0: b\n       more of b\n    1: c\n", Lang::Unknown, c);
	ASSERT_EQ(ps.chain.size(), 3u);
	EXPECT_EQ(ps.chain[1].message, "b\nmore of b");
	EXPECT_EQ(ps.chain[2].message, "c");
	// fp1 (frozen): as before
	EXPECT_EQ(errtrack::parse_stack("Error: a\n\nCaused by:\n    0: b\n    1: c\n", Lang::Unknown, c, Algorithm::Fp1).lang,
	          Lang::Generic);
}

// ---- C/C++ (test/fixtures/stacks/cpp/regen_memsvc.sh: one program's bugs as
// valgrind, gdb, eu-stack, ThreadSanitizer, a SIGABRT handler and
// boost::stacktrace print them) ----------------------------------------------

// valgrind memcheck: the first error's stack, typed by the error's first
// line; the freed/allocated-at stacks and the summaries are not keyed.  fp1
// read the report as generic text (its header lines were the "frames").
TEST(Fp2Native, ValgrindReport)
{
	Fixtures fx("cpp");
	auto uaf = fx.fp("valgrind_use_after_free.txt");
	EXPECT_EQ(uaf.lang, Lang::Native);
	EXPECT_EQ(uaf.type, "Invalid read");
	EXPECT_EQ(uaf.frames, (std::vector<std::string>{"native:inv::reserve"}));
	EXPECT_EQ(fx.fp("valgrind_use_after_free.txt", Algorithm::Fp1).lang, Lang::Generic);
	auto leak = fx.fp("valgrind_leak.txt");
	EXPECT_EQ(leak.type, "definitely lost");
	EXPECT_EQ(leak.frames, (std::vector<std::string>{"native:inv::load_config"}));  // malloc: allocator, not keyed
	auto uninit = fx.fp("valgrind_uninitialised.txt");
	EXPECT_EQ(uninit.type, "Conditional jump or move depends on uninitialised value");
	EXPECT_EQ(uninit.frames, (std::vector<std::string>{"native:inv::restock"}));
	// valgrind's own strlen replaces glibc's: still "strlen"
	EXPECT_EQ(fx.fp("valgrind_strlen_null.txt").frames,
	          (std::vector<std::string>{"native:::strlen", "native:inv::sku_suffix"}));
	// another deploy (another pid, lines, directory) is the same issue; the
	// leak (another bug) is not
	fx.expect_one_issue_apart_from("valgrind_use_after_free.txt", "valgrind_use_after_free_deploy2.txt",
	                               "valgrind_leak.txt");
	// the frame line and the error types, one by one
	const std::vector<std::string_view> lines{"==12== Invalid write of size 8",
	                                          "==12==    at 0x10A1B2: f(int) (a.cpp:3)"};
	EXPECT_TRUE(errtrack::valgrind_layout(lines));
	EXPECT_FALSE(errtrack::valgrind_layout({"==12==ERROR: AddressSanitizer: heap-use-after-free on address 0x6",
	                                        "    #0 0x4c3 in f a.cpp:3"}));
	Cancel c;
	for (auto [kind, type] : std::vector<std::pair<std::string, std::string>>{
		     {"Invalid write of size 8", "Invalid write"},
		     {"Invalid free() / delete / delete[] / realloc()", "Invalid free"},
		     {"Source and destination overlap in memcpy(0x4a4f040, 0x4a4f044, 20)",
		      "Source and destination overlap in memcpy"},
		     {"128 bytes in 2 blocks are possibly lost in loss record 3 of 9", "possibly lost"},
		     {"Process terminating with default action of signal 11 (SIGSEGV)", "SIGSEGV"}}) {
		std::string text = "==7== " + kind + "\n==7==    at 0x10A1B2: f(int) (a.cpp:3)\n==7==    by 0x10A1C4: main (a.cpp:9)\n";
		auto r = compute_fingerprint("", "", text, c, true, Algorithm::Fp2);
		EXPECT_EQ(r.type, type) << kind;
		EXPECT_EQ(r.frames, (std::vector<std::string>{"native:::f"})) << kind;
	}
}

// eu-stack on a core file: "#N  0xADDR function" (and " - module" with -m,
// source lines with -s), every thread, the crashing one first.  fp1: generic.
TEST(Fp2Native, EuStackCoreDump)
{
	Fixtures fx("cpp");
	auto a = fx.fp("eustack_assert_checkout.txt");
	EXPECT_EQ(a.lang, Lang::Native);
	EXPECT_EQ(a.frames, (std::vector<std::string>{"native:inv::validate_qty", "native:inv::checkout"}));
	EXPECT_EQ(fx.fp("eustack_assert_checkout.txt", Algorithm::Fp1).lang, Lang::Generic);
	// -m -s output of the second deploy is the same issue; the assert reached
	// from refund is another
	fx.expect_one_issue_apart_from("eustack_assert_checkout.txt", "eustack_assert_checkout_deploy2.txt",
	                               "eustack_assert_refund.txt");
	// and the same bug as gdb and the SIGABRT handler print it
	EXPECT_EQ(a.digest, fx.fp("gdb_bt_assert_lambda_checkout.txt").digest);
	EXPECT_EQ(a.digest, fx.fp("btsym_fd_assert_checkout.txt").digest);
	// a symbol version is not part of the name
	Cancel c;
	auto ps = errtrack::parse_stack(
		"#0  0x00007f0 raise - libc.so.6\n#1  0x00007f1 pthread_cond_wait@@GLIBC_2.3.2 - libc.so.6\n", Lang::Unknown, c,
		Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	ASSERT_EQ(ps.chain[0].frames.size(), 2u);
	EXPECT_EQ(ps.chain[0].frames[1].function, "pthread_cond_wait");
	// gdb's "#N  0xADDR in f (args)" is gdb's, not eu-stack's
	EXPECT_FALSE(errtrack::eustack_layout({"#1  0x00007ffff7aa8f4f in __pthread_kill_internal (signo=6) at a.c:78"}));
}

// ThreadSanitizer: "WARNING: ThreadSanitizer: data race" is the type,
// frames have no address ("#0 f file:line (obj+0xoff)"); the first stack
// (the racing access) is keyed.  fp1 found no type, and read a frame whose
// function has no parameter list ("bump /srv/app/orders.cpp:14", as TSan
// prints a C function) as one name, the install path included.
TEST(Fp2Native, ThreadSanitizerReport)
{
	Fixtures fx("cpp");
	auto r = fx.fp("tsan_race_stock.txt");
	EXPECT_EQ(r.type, "data race");
	EXPECT_EQ(fx.fp("tsan_race_stock.txt", Algorithm::Fp1).type, "");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "native:inv::bump_stock");
	fx.expect_one_issue_apart_from("tsan_race_stock.txt", "tsan_race_stock_deploy2.txt", "tsan_race_sold.txt");
	Cancel c;
	for (const char *dir : {"/opt/invsvc", "/srv/inventory-2"}) {
		std::string text = std::string("WARNING: ThreadSanitizer: data race (pid=29648)\n"
		                               "  Read of size 4 at 0x55c7eb16e26c by thread T5:\n"
		                               "    #0 bump ") +
		                   dir + "/orders.cpp:14 (invsvc-tsan+0x4034)\n    #6 <null> <null> (libstdc++.so.6+0xd44a2)\n";
		auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
		ASSERT_EQ(ps.chain.size(), 1u);
		ASSERT_GE(ps.chain[0].frames.size(), 1u);
		EXPECT_EQ(ps.chain[0].frames[0].function, "bump");
		EXPECT_EQ(ps.chain[0].frames[0].file, "orders.cpp") << dir;
	}
}

// A stack printed by the program's SIGABRT handler (backtrace_symbols_fd):
// the handler and the signal trampoline above raise(), and glibc's unnamed
// assert frames below abort(), are not the bug; the assert's caller and its
// caller are (the lambda between them, unnamed here, is skipped).
TEST(Fp2Native, SignalHandlerAndAssertInternals)
{
	Fixtures fx("cpp");
	auto r = fx.fp("btsym_fd_assert_checkout.txt");
	EXPECT_EQ(r.lang, Lang::Native);
	EXPECT_EQ(r.frames, (std::vector<std::string>{"native:inv::validate_qty", "native:inv::checkout"}));
	fx.expect_one_issue_apart_from("btsym_fd_assert_checkout.txt", "btsym_fd_assert_checkout_deploy2.txt",
	                               "btsym_fd_assert_refund.txt");
}

// glibc picks strlen's implementation for the CPU (IFUNC): __strlen_evex on
// one host, __strlen_avx2_rtm on another — one function.
TEST(Fp2Native, CpuVariantOfStringFunction)
{
	Fixtures fx("cpp");
	EXPECT_EQ(fx.fp("gdb_bt_strlen_null.txt").digest, fx.fp("gdb_bt_strlen_null_other_cpu.txt").digest);
	EXPECT_FALSE(fx.fp1_same("gdb_bt_strlen_null.txt", "gdb_bt_strlen_null_other_cpu.txt"));
	Cancel c;
	for (auto [raw, name] : std::vector<std::pair<std::string, std::string>>{
		     {"__memmove_avx_unaligned_erms", "memmove"},
		     {"__memcpy_chk_avx512_no_vzeroupper", "memcpy_chk"},
		     {"__strcmp_sse42", "strcmp"},
		     {"__memmove_ssse3_back", "memmove"},
		     {"__strchr_sse4_2", "strchr"},
		     {"__memcpy_chk", "__memcpy_chk"},     // no CPU variant: unchanged
		     {"__strtol_internal", "__strtol_internal"},
		     {"__libc_start_main", "__libc_start_main"}}) {
		auto ps = errtrack::parse_stack("#0  0x00007f in " + raw + " () from /lib/libc.so.6\n", Lang::Unknown, c,
		                                Algorithm::Fp2);
		ASSERT_EQ(ps.chain.size(), 1u);
		ASSERT_EQ(ps.chain[0].frames.size(), 1u) << raw;
		EXPECT_EQ(ps.chain[0].frames[0].function, name) << raw;
	}
}

// gdb at a terminal wraps a frame line at its width: the argument list and
// " at FILE:LINE" continue on indented lines (regen_wrapped.sh: one crash at
// 60, 70 and 80 columns and from gdb -batch).  fp1 dropped every wrapped
// frame (at 60 and 80 columns no frame was left: every crash one issue) and
// read the 70-column trace, whose "at wrapped.c:21" lines stand alone, as
// JavaScript.  fp2 joins the lines: one issue at any width, apart from
// another bug of the program.
TEST(Fp2Native, GdbWrappedFrameLines)
{
	Fixtures fx("cpp");
	const auto flat = fx.fp("gdb_bt_full_unwrapped.txt");
	EXPECT_EQ(flat.frames, (std::vector<std::string>{"native:::paint_output_region", "native:::paint_output"}));
	for (const char *f : {"gdb_bt_full_wrapped_w60.txt", "gdb_bt_full_wrapped_w70.txt", "gdb_bt_full_wrapped_w80.txt"}) {
		auto w = fx.fp(f);
		EXPECT_EQ(w.digest, flat.digest) << f << "\n" << w.explain;
		EXPECT_EQ(w.frames, flat.frames) << f;
		EXPECT_NE(fx.fp(f, Algorithm::Fp1).digest, fx.fp("gdb_bt_full_unwrapped.txt", Algorithm::Fp1).digest) << f;
	}
	EXPECT_NE(fx.fp("gdb_bt_full_wrapped_noname.txt").digest, flat.digest);
	// every frame of the wrapped trace parsed, with its file and line
	Cancel c;
	auto ps = errtrack::parse_stack(fx.stack("gdb_bt_full_wrapped_w70.txt"), Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.lang, Lang::Native);
	ASSERT_EQ(ps.chain.size(), 1u);
	ASSERT_EQ(ps.chain[0].frames.size(), 4u);
	EXPECT_EQ(ps.chain[0].frames[1].function, "paint_output");
	EXPECT_EQ(ps.chain[0].frames[1].line, 21);
	EXPECT_EQ(ps.chain[0].frames[3].function, "main");
	EXPECT_EQ(errtrack::parse_stack(fx.stack("gdb_bt_full_wrapped_w70.txt"), Lang::Unknown, c, Algorithm::Fp1).lang,
	          Lang::Node);
	// what is not a continuation stays out: a tab or the frame's own
	// indentation ends it, a frame that parsed takes only a location, and a
	// frame that never closes is dropped as before
	auto frames = [&](const std::string &text) {
		auto p = errtrack::parse_stack(text, Lang::Native, c, Algorithm::Fp2);
		std::vector<std::string> out;
		for (auto &f : p.chain.at(0).frames)
			out.push_back(f.function + "@" + f.file + ":" + std::to_string(f.line));
		return out;
	};
	EXPECT_EQ(frames("#0  0x1 in f (a=1,\n    b=2) at x.c:3\n#1  0x2 in g () at x.c:9\n"),
	          (std::vector<std::string>{"f@x.c:3", "g@x.c:9"}));
	EXPECT_EQ(frames("#0  0x1 in f (a=1)\n    at x.c:3\n        i = 2\n#1  0x2 in g ()\n\tj = 1\n"),
	          (std::vector<std::string>{"f@x.c:3", "g@:-1"}));
	EXPECT_EQ(frames("#0  0x1 in f (a=1)\n        s = \"(b) at y.c:4\"\n#1  0x2 in g ()\n"),
	          (std::vector<std::string>{"f@:-1", "g@:-1"}));
	EXPECT_EQ(frames("#0  0x1 in f (a=1,\n\tb=2) at x.c:3\n#1  0x2 in g () at x.c:9\n"),
	          (std::vector<std::string>{"g@x.c:9"}));
	EXPECT_EQ(frames("  #0  0x1 in f (a=1,\n  b=2) at x.c:3\n  #1  0x2 in g () at x.c:9\n"),
	          (std::vector<std::string>{"g@x.c:9"}));
	// linear: a frame that never closes joins at most 8 lines
	std::string hostile;
	for (int i = 0; i < 20000; i++)
		hostile += "#0  0x1 in f (a=1,\n    b=2,\n";
	EXPECT_EQ(frames(hostile + "#1  0x2 in g () at x.c:9\n"), (std::vector<std::string>{"g@x.c:9"}));
}

// gdb's "thread apply all bt" prints every thread, highest number first
// (regen_threads.sh: a worker thread's crash, live and from its core file):
// the crashed thread is the one gdb names on the signal ("Thread 3
// "threads" received signal SIGSEGV", "[Current thread is 1 (...)]").  fp1
// keyed the first thread printed (an idle worker) and typed nothing on a core
// file or a named thread.  Four renderings, one issue, typed SIGSEGV.
TEST(Fp2Native, GdbThreadDumps)
{
	Fixtures fx("cpp");
	const auto bt = fx.fp("gdb_threads_bt_live.txt");
	EXPECT_EQ(bt.frames, (std::vector<std::string>{"native:::strlen", "native:::job_name_length"}));
	EXPECT_NE(bt.explain.find("type: SIGSEGV"), std::string::npos) << bt.explain;
	for (const char *f : {"gdb_threads_all_live.txt", "gdb_threads_bt_core.txt", "gdb_threads_all_core.txt"}) {
		auto r = fx.fp(f);
		EXPECT_EQ(r.digest, bt.digest) << f << "\n" << r.explain;
	}
	EXPECT_EQ(fx.fp("gdb_threads_all_live.txt", Algorithm::Fp1).frames,
	          (std::vector<std::string>{"native:::__libc_pause", "native:::idle_worker"}));
	// no stop lines (Apport's ThreadStacktrace.txt holds the threads only):
	// a core file's thread 1, the thread that dumped it
	const std::string &all = fx.stack("gdb_threads_all_core.txt");
	const std::string threads_only = all.substr(all.find("\nThread 4 ("));
	EXPECT_EQ(fx.fp("gdb_threads_all_core.txt").frames, bt.frames);
	Cancel c;
	EXPECT_EQ(compute_fingerprint("", "", threads_only, c, false, Algorithm::Fp2).frames, bt.frames);
	// else the thread with a signal handler's frame, else the first printed
	auto frames = [&](const std::string &text) {
		return compute_fingerprint("", "", text, c, false, Algorithm::Fp2).frames;
	};
	const std::string t2 = "Thread 3 (Thread 0x1 (LWP 11)):\n#0  0x1 in idle () at a.c:1\n#1  0x2 in loop () at a.c:2\n"
	                       "Thread 2 (Thread 0x2 (LWP 12)):\n#0  0x5 in on_fatal () at h.c:9\n#1  <signal handler called>\n"
	                       "#2  0x3 in fail () at a.c:3\n#3  0x4 in work () at a.c:4\n";
	EXPECT_EQ(frames(t2), (std::vector<std::string>{"native:::fail", "native:::work"}));
	const std::string t3 = "Thread 3 (Thread 0x1 (LWP 11)):\n#0  0x1 in idle () at a.c:1\n#1  0x2 in loop () at a.c:2\n"
	                       "Thread 2 (Thread 0x2 (LWP 12)):\n#0  0x3 in fail () at a.c:3\n#1  0x4 in work () at a.c:4\n";
	EXPECT_EQ(frames(t3), (std::vector<std::string>{"native:::idle", "native:::loop"}));
	EXPECT_EQ(frames("[Switching to Thread 0x2 (LWP 12)]\n" + t3),
	          (std::vector<std::string>{"native:::fail", "native:::work"}));
}

// V8's fatal error report (Node.js out of JavaScript heap: regen_oom.sh, two
// programs on Node 20; pasted: Windows with the old JS stack trace section,
// Windows with the native frames only, a mail client's wrapped copy).  fp1
// keyed the GC log's words or (Windows) read the native frames as Rust with
// their addresses: every process its own issue.  fp2: the FATAL ERROR line
// alone, the heap's varying state before "Allocation failed" dropped.
TEST(Fp2Node, V8FatalErrorReport)
{
	Fixtures node("node"), pasted("pasted");
	const auto a = node.fp("v8_oom_array.txt");
	EXPECT_TRUE(a.frames.empty());
	EXPECT_NE(a.explain.find("message: FATAL ERROR: Allocation failed - JavaScript heap out of memory"), std::string::npos)
		<< a.explain;
	EXPECT_EQ(node.fp("v8_oom_map.txt").digest, a.digest);
	EXPECT_NE(node.fp("v8_oom_array.txt", Algorithm::Fp1).digest, node.fp("v8_oom_map.txt", Algorithm::Fp1).digest);
	for (const char *f : {"v8_oom_windows_old_node.txt", "v8_oom_windows_bare.txt", "v8_oom_wrapped_mail.txt"})
		EXPECT_EQ(pasted.fp(f).digest, a.digest) << f << "\n" << pasted.fp(f).explain;
	EXPECT_EQ(pasted.fp("v8_oom_windows_bare.txt", Algorithm::Fp1).lang, Lang::Rust);
	// another fatal error keeps its own words; a "FATAL ERROR:" line without
	// the report is left to the parsers
	Cancel c;
	auto other = compute_fingerprint("", "", "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal.\n"
	                                         "----- Native stack trace -----\n\n 1: 0xb78db3 node::Abort() [node]\n",
	                                 c, true);
	EXPECT_NE(other.explain.find("message: FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal ("), std::string::npos)
		<< other.explain;
	EXPECT_NE(other.digest, a.digest);
	std::vector<std::string_view> lines = {"FATAL ERROR: disk full", "  at save (/app/db.js:3:9)"};
	std::forward_list<std::string> side;
	errtrack::fp2_preclean(lines, side, c);
	EXPECT_EQ(lines.size(), 2u);
}

// A stack overflow ends wherever the stack ran out inside its recursion: one
// endless recursion entered at three depths (regen_overflow.sh of Java -Xint,
// Node, Python, Go and Ruby) runs out at each frame of its three-frame cycle in turn,
// and fp1 made an issue per phase.  fp2 keys one turn of the cycle from the
// same frame: one issue, apart from another cycle of the program.
TEST(Fp2Overflow, CyclePhaseOfAStackOverflow)
{
	for (const char *lang : {"java", "node", "python", "go", "ruby"}) {
		Fixtures fx(lang);
		auto first = fx.fp("overflow_phase_0.txt");
		EXPECT_EQ(first.frames.size(), 3u) << lang << "\n" << first.explain;
		size_t fp1_distinct = 1;
		for (const char *f : {"overflow_phase_1.txt", "overflow_phase_2.txt"}) {
			EXPECT_EQ(fx.fp(f).digest, first.digest) << lang << " " << f;
			fp1_distinct += !fx.fp1_same("overflow_phase_0.txt", f);
		}
		EXPECT_GE(fp1_distinct, 2u) << lang;
		if (std::string(lang) != "go" && std::string(lang) != "ruby") {
			EXPECT_NE(fx.fp("overflow_other_cycle.txt").digest, first.digest) << lang;
		}
	}
	// only a stack overflow, and only a cycle seen three times
	errtrack::ExceptionInfo e;
	auto frame = [](const char *fn) {
		errtrack::Frame f;
		f.function = fn;
		f.lang = Lang::Java;
		return f;
	};
	e.type = "java.lang.IllegalStateException";
	for (const char *fn : {"b", "c", "a", "b", "c", "a", "b", "c", "a", "main"})
		e.frames.push_back(frame(fn));
	EXPECT_FALSE(errtrack::stack_overflow(e));
	e.type = "java.lang.StackOverflowError";
	EXPECT_TRUE(errtrack::stack_overflow(e));
	auto names = [](const errtrack::ExceptionInfo &x) {
		std::string s;
		for (auto &f : x.frames)
			s += f.function;
		return s;
	};
	errtrack::ExceptionInfo two = e;
	two.frames.erase(two.frames.begin() + 6, two.frames.end() - 1);  // b c a b c a main: two turns
	errtrack::overflow_cycle_phase(two);
	EXPECT_EQ(names(two), "bcabcamain");
	errtrack::overflow_cycle_phase(e);
	EXPECT_EQ(names(e), "abc");
	EXPECT_TRUE(e.frames_truncated);
	errtrack::ExceptionInfo js;
	js.type = "RangeError";
	js.message = "Maximum call stack size exceeded";
	EXPECT_TRUE(errtrack::stack_overflow(js));
	js.message = "Invalid array length";
	EXPECT_FALSE(errtrack::stack_overflow(js));
}

// Go's race detector (regen_race.sh: go run -race): fp1 read the report as
// generic text keyed by its words ("WARNING: DATA RACE", "Read at by
// goroutine"): every race of a service one issue.  fp2 reads it as a Go
// crash keyed by the first access's frames.
TEST(Fp2Go, RaceDetectorReport)
{
	Fixtures fx("go");
	auto cart = fx.fp("race_cart_add.txt");
	EXPECT_EQ(cart.lang, Lang::Go);
	EXPECT_EQ(cart.frames.front(), "go:main::(*Cart).add");
	EXPECT_EQ(fx.fp("race_cart_add_2.txt").digest, cart.digest);
	EXPECT_NE(fx.fp("race_stock_map.txt").digest, cart.digest);
	EXPECT_EQ(fx.fp("race_stock_map.txt").frames.front(), "go:main::reserve");
	EXPECT_TRUE(fx.fp1_same("race_cart_add.txt", "race_stock_map.txt"));
	// not a race report: left alone
	std::vector<std::string_view> lines = {"WARNING: DATA RACE", "nothing else"};
	std::forward_list<std::string> side;
	errtrack::fp2_preclean(lines, side, Cancel{});
	EXPECT_EQ(lines.size(), 2u);
}

// LLDB's back-traces (regen_lldb.sh: the crashes of the gdb fixtures under
// lldb): "* thread #1, ..., stop reason = signal SIGSEGV: ...", "frame #0:
// 0x.. module`function(args) at file.c:13:33" or "module`function + 44"
// without debug information; "thread backtrace all" marks the selected
// thread with '*'.  fp1 read them as generic text (argument values in the
// key).  fp2: the crash as gdb's output of it keys it.
TEST(Fp2Native, LldbBacktraces)
{
	Fixtures fx("cpp");
	const auto gdb = fx.fp("gdb_bt_full_unwrapped.txt");
	for (const char *f : {"lldb_bt.txt", "lldb_bt_nodebug.txt"}) {
		auto r = fx.fp(f);
		EXPECT_EQ(r.lang, Lang::Native) << f;
		EXPECT_EQ(r.digest, gdb.digest) << f << "\n" << r.explain;
		EXPECT_NE(r.explain.find("type: SIGSEGV"), std::string::npos) << r.explain;
		EXPECT_EQ(fx.fp(f, Algorithm::Fp1).lang, Lang::Generic) << f;
	}
	EXPECT_EQ(fx.fp("lldb_threads_all.txt").digest, fx.fp("gdb_threads_all_live.txt").digest);
	// a copy that lost the '*' markers: the first thread
	std::string unmarked = fx.stack("lldb_threads_all.txt");
	for (size_t at; (at = unmarked.find("* ")) != std::string::npos;)
		unmarked.replace(at, 2, "  ");
	Cancel c0;
	auto first = compute_fingerprint("", "", unmarked, c0, false);
	EXPECT_EQ(first.lang, Lang::Native);
	EXPECT_FALSE(first.frames.empty());
	// the line forms
	std::string_view fn, file, obj;
	int64_t line = -1;
	ASSERT_TRUE(errtrack::parse_lldb("frame #3: 0x00005555 app`ns::Repo<T>::find(this=0x1, id=5) const at repo.h:26:36", fn,
	                                 file, line, obj));
	EXPECT_EQ(fn, "ns::Repo<T>::find");
	EXPECT_EQ(file, "repo.h");
	EXPECT_EQ(line, 26);
	EXPECT_EQ(obj, "app");
	fn = file = obj = {};
	ASSERT_TRUE(errtrack::parse_lldb("* frame #0: 0x7fff libstdc++.so.6`std::string::find(char, unsigned long) const + 33", fn,
	                                 file, line, obj));
	EXPECT_EQ(fn, "std::string::find");
	EXPECT_EQ(obj, "libstdc++.so.6");
	fn = file = obj = {};
	ASSERT_TRUE(errtrack::parse_lldb("frame #9: 0x00007fff2e5d1c88", fn, file, line, obj));
	EXPECT_EQ(fn, "??");
	EXPECT_FALSE(errtrack::parse_lldb("frame #x: 0x1 a`b", fn, file, line, obj));
	EXPECT_FALSE(errtrack::parse_lldb("frame #1 0x1 a`b", fn, file, line, obj));
}

// The generic fallback empties quoted values in its frame lines: argument
// values (Perl 5.36's Carp::confess: `main::parse_amount("x9") called at
// a.pl line 2`) and quoted input (std::terminate's stderr: `what():
// trailing characters in quantity '7x'`) vary per event.  An apostrophe in a
// word is no quote.
TEST(Fp2Generic, QuotedValuesEmptied)
{
	Fixtures fx("cpp");
	EXPECT_EQ(fx.fp("terminate_stderr.txt").frames,
	          (std::vector<std::string>{"generic:::what(): trailing characters in quantity"}));
	Cancel c;
	auto frames = [&](const std::string &text) {
		return compute_fingerprint("", "", text, c, false).frames;
	};
	const std::string perl = "invalid amount: x9 at a.pl line 2.\n"
	                         "\tmain::parse_amount(\"x9\") called at a.pl line 3\n"
	                         "\tmain::cart_total(12, \"x9\") called at a.pl line 4\n";
	const std::string other = "invalid amount: x9 at a.pl line 2.\n"
	                          "\tmain::parse_amount(\"abc\") called at a.pl line 3\n"
	                          "\tmain::cart_total(12, \"abc\") called at a.pl line 4\n";
	EXPECT_EQ(frames(perl), frames(other));
	EXPECT_NE(compute_fingerprint("", "", perl, c, false, Algorithm::Fp1).frames,
	          compute_fingerprint("", "", other, c, false, Algorithm::Fp1).frames);
	EXPECT_EQ(frames("boom\ncan't open config at load_config line 3\n"),
	          (std::vector<std::string>{"generic:::can't open config at load_config line"}));
}

// Elixir (a runtime without a parser: the generic fallback; fixtures of
// Elixir 1.14, test/fixtures/stacks/elixir/regen.sh): fp1 took a function
// with its arity ("Shop.Cart.parse_amount/1") for a path and kept "1", so
// the key was the file's name: two functions of one script raising the same
// error were one issue.  fp2 keeps the names and types the "** (Type) m"
// header; one bug stays one issue across values and moved lines.
TEST(Fp2Generic, ElixirErrors)
{
	Fixtures fx("elixir");
	auto cart = fx.fp("cart_invalid_amount.txt");
	EXPECT_NE(cart.explain.find("type: ArgumentError"), std::string::npos) << cart.explain;
	EXPECT_NE(cart.frames.at(0).find("Shop.Cart.parse_amount"), std::string::npos) << cart.frames.at(0);
	fx.expect_one_issue_apart_from("cart_invalid_amount.txt", "cart_invalid_amount_deploy2.txt", "qty_invalid_amount.txt");
	EXPECT_EQ(fx.fp("cart_invalid_amount_2.txt").digest, cart.digest);
	EXPECT_NE(fx.fp("qty_invalid_amount.txt").digest, fx.fp("refund_invalid_amount.txt").digest);
	EXPECT_TRUE(fx.fp1_same("qty_invalid_amount.txt", "refund_invalid_amount.txt"));
	// not an arity: paths keep their base name
	Cancel c;
	EXPECT_EQ(compute_fingerprint("", "", "boom\n  lib/enum.ex:12 sum\n  v2/3 api/v1/orders\n", c).frames,
	          (std::vector<std::string>{"generic:::enum.ex: sum", "generic:::v/ orders"}));
}

// Lua 5.4 (the generic fallback; test/fixtures/stacks/lua/regen.sh): its
// quoted function names are identifiers, kept ("in local 'line_total'");
// "stack traceback:", the C functions' lines ("[C]: in function 'error'")
// and the interpreter's name are not keyed, and the header's location
// ("shop.lua:19: ") is no type (fp1 typed every error "lua5.4" and keyed
// "stack traceback:" first).
TEST(Fp2Generic, LuaErrors)
{
	Fixtures fx("lua");
	fx.expect_one_issue_apart_from("nil_line_total.txt", "nil_line_total_deploy2.txt", "nil_item_count.txt");
	auto r = fx.fp("nil_line_total.txt");
	EXPECT_EQ(r.frames, (std::vector<std::string>{"generic:::shop.lua:: in local 'line_total'",
	                                              "generic:::shop.lua:: in main chunk"}));
	EXPECT_NE(r.explain.find("type: (none)"), std::string::npos) << r.explain;
	EXPECT_EQ(fx.fp("error_invalid_amount.txt").frames.at(0), "generic:::shop.lua:: in upvalue 'parse_amount'");
	EXPECT_EQ(fx.fp("nil_line_total.txt", Algorithm::Fp1).frames.at(0), "generic:::stack traceback:");
}

// ASP.NET's health-monitoring event (Windows event 1309, "Event code: 3005")
// as users paste it from the event viewer: fp1 typed it "Event code" (or
// "Event Source: ASP.NET 4.0.30319.0", a version) and read the XML view's
// "&lt;Invoke&gt;d__0" as a name.  fp2: the exception's own type and
// frames, the async state machine folded into its method.
TEST(Fp2Pasted, AspNetHealthMonitoringEvent)
{
	Fixtures fx("pasted");
	auto a = fx.fp("dotnet_aspnet_event_1309_assembly.txt");
	EXPECT_EQ(a.lang, Lang::DotNet);
	EXPECT_NE(a.explain.find("type: FileNotFoundException"), std::string::npos) << a.explain;
	EXPECT_EQ(a.frames, (std::vector<std::string>{"dotnet:Ms.Dsp.Do.Inc.CacheNode.Common.SimpleHandler::Invoke"}));
	EXPECT_NE(fx.fp("dotnet_aspnet_event_1309_assembly.txt", Algorithm::Fp1).explain.find("type: Event code"),
	          std::string::npos);
	auto b = fx.fp("dotnet_aspnet_event_3005_postback.txt");
	EXPECT_NE(b.explain.find("type: ArgumentNullException"), std::string::npos) << b.explain;
	EXPECT_EQ(b.frames, (std::vector<std::string>{"dotnet:ASP.login_aspx::ProcessRequest"}));
	// without the message line it is left alone
	std::vector<std::string_view> lines = {"Exception type: X", "   at A.B()"};
	std::forward_list<std::string> side;
	errtrack::fp2_preclean(lines, side, Cancel{});
	EXPECT_EQ(lines[0], "Exception type: X");
}

// .NET's stack overflow print (the runtime's, to stderr: "Stack overflow.",
// "Repeat 10960 times:", the repeated frames between dashed rules) and frames
// with parameter types only ("at Program.Main(System.String[])"), which
// detection gave to Java (a JVM frame always has a location in its
// parentheses): fp1 read the print as Java typed "Stack overflow." with the
// local function's ordinal ("g__Join|0_8") in the key.  fp2: a
// System.StackOverflowException read by the .NET parser.
TEST(Fp2Pasted, DotNetStackOverflowPrint)
{
	Fixtures fx("pasted");
	auto r = fx.fp("dotnet_stack_overflow_repeat.txt");
	EXPECT_EQ(r.lang, Lang::DotNet);
	EXPECT_NE(r.explain.find("type: System.StackOverflowException"), std::string::npos) << r.explain;
	EXPECT_EQ(r.frames, (std::vector<std::string>{"dotnet:Program::Main.Join"}));
	EXPECT_EQ(fx.fp("dotnet_stack_overflow_repeat.txt", Algorithm::Fp1).lang, Lang::Java);
	Cancel c;
	auto lang = [&](const std::string &text) { return compute_fingerprint("", "", text, c, false).lang; };
	EXPECT_EQ(lang("System.InvalidOperationException: boom\n   at Shop.Cart.Total(System.String[])\n"
	               "   at Program.Main()\n"),
	          Lang::DotNet);
	// JVM frames stay Java's: a location in every frame's parentheses
	EXPECT_EQ(lang("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java)\n\tat a.B.main(Unknown Source)\n"),
	          Lang::Java);
	EXPECT_EQ(lang("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:12)\n\tat a.B.d(Native Method)\n"),
	          Lang::Java);
}

// Rich's traceback (Python's rich library: RichHandler(rich_tracebacks=True),
// Typer, Textual; regen_rich.sh with Debian's python3-rich): boxes of
// "PATH:LINE in FUNC" headers with source lines and locals; at 60 columns the
// path, the line number and the function wrap anywhere, and so does the
// chain's sentence.  fp1 read it as generic text keyed by the outermost frame
// and the exception's line with its value ('x9': an issue per value).  fp2:
// the traceback Python prints, one issue with the plain rendering.
TEST(Fp2Python, RichTraceback)
{
	Fixtures fx("python");
	auto plain = fx.fp("rich_cart_plain.txt");
	for (const char *f : {"rich_cart_w100.txt", "rich_cart_w60.txt", "rich_cart_locals.txt"}) {
		auto r = fx.fp(f);
		EXPECT_EQ(r.lang, Lang::Python) << f;
		EXPECT_EQ(r.digest, plain.digest) << f << "\n" << r.explain;
		EXPECT_EQ(fx.fp(f, Algorithm::Fp1).lang, Lang::Generic) << f;
	}
	EXPECT_NE(fx.fp("rich_empty_cart.txt").digest, plain.digest);
	EXPECT_EQ(fx.fp("rich_empty_cart.txt").frames.at(0), "python:rich_cart::cart_total");
}

// loguru's logger.exception() (regen_loguru.sh with Debian's python3-loguru):
// backtrace=True marks the catching frame "> File ...", which fp1 took for
// the exception's type (path and line number in the key: an issue per deploy
// and per catch site); diagnose=True annotates variables under each source
// line.  fp2 reads Python's traceback: one issue with the plain traceback.
TEST(Fp2Python, LoguruTraceback)
{
	Fixtures fx("python");
	auto plain = fx.fp("loguru_cart_plain.txt");
	for (const char *f : {"loguru_cart_backtrace.txt", "loguru_cart_diagnose.txt"}) {
		auto r = fx.fp(f);
		EXPECT_EQ(r.digest, plain.digest) << f << "\n" << r.explain;
		EXPECT_NE(r.explain.find("type: ValueError"), std::string::npos) << r.explain;
	}
	EXPECT_NE(fx.fp("loguru_cart_backtrace.txt", Algorithm::Fp1).explain.find("type: > File"), std::string::npos);
	EXPECT_NE(fx.fp("loguru_empty_cart.txt").digest, plain.digest);
}

// Next.js' app router names every route's file page.js (layout, route, ...;
// SvelteKit +page.ts; index.js everywhere): fp1 named a frame by its file's
// base name, so the same TypeError in app/orders/page.js and
// app/invoices/page.js was one issue (regen_routes.sh).  fp2 names such a
// file with its directory, and a dynamic segment with the next one.
TEST(Fp2Node, RouteFilesNamedWithTheirDirectory)
{
	Fixtures fx("node");
	EXPECT_EQ(fx.fp("route_page_orders.txt").frames.at(0), "javascript:orders/page::Page");
	EXPECT_EQ(fx.fp("route_page_order_id.txt").frames.at(0), "javascript:orders/[id]/page::Page");
	EXPECT_NE(fx.fp("route_page_orders.txt").digest, fx.fp("route_page_invoices.txt").digest);
	EXPECT_TRUE(fx.fp1_same("route_page_orders.txt", "route_page_invoices.txt"));
	EXPECT_TRUE(fx.fp1_same("route_page_orders.txt", "route_page_order_id.txt"));
	// Next.js' dev server paths: the route group's bundle layer kept out
	Cancel c;
	auto r = compute_fingerprint("", "", "TypeError: x is undefined\n    at Page (webpack-internal:///(rsc)/./app/orders/page.tsx:10:11)\n",
	                             c, false);
	EXPECT_EQ(r.frames.at(0), "javascript:orders/page::Page");
}

// A crash handler (regen_sighandler.sh: SIGSEGV caught, the stack printed,
// abort()): gdb shows the handler's frames above "<signal handler called>"
// and fp1 keyed the handler first, so two bugs whose crash sites share a
// caller's name kept apart only by the second key slot; fp2 keys the frames
// below it, the interrupted code.  The handler's own backtrace_symbols_fd()
// output (its frame unnamed, static) keys the sites already.
TEST(Fp2Native, SignalHandlerFramesLeaveTheKey)
{
	Fixtures fx("cpp");
	EXPECT_EQ(fx.fp("sighandler_gdb_sku.txt").frames,
	          (std::vector<std::string>{"native:::strlen", "native:::sku_length"}));
	EXPECT_EQ(fx.fp("sighandler_gdb_qty.txt").frames, (std::vector<std::string>{"native:::qty_of", "native:::checkout"}));
	EXPECT_EQ(fx.fp("sighandler_gdb_sku.txt", Algorithm::Fp1).frames,
	          (std::vector<std::string>{"native:::handle_fatal_signal", "native:::__strlen_evex"}));
	EXPECT_NE(fx.fp("sighandler_bts_sku.txt").digest, fx.fp("sighandler_bts_qty.txt").digest);
	// the marker alone: nothing else changes
	Cancel c;
	auto keys = [&](const std::string &text) { return compute_fingerprint("", "", text, c, false).frames; };
	EXPECT_EQ(keys("#0  0x1 in crash () at a.c:1\n#1  0x2 in run () at a.c:2\n"),
	          keys("#0  0x5 in on_fatal (sig=11) at h.c:9\n#1  <signal handler called>\n"
	               "#2  0x1 in crash () at a.c:1\n#3  0x2 in run () at a.c:2\n"));
}

// systemd-coredump (the journal, coredumpctl): "#N 0xADDR FUNC (OBJ + 0xOFF)",
// "n/a" for no symbol or module, every thread ("Stack trace of thread N:"),
// the crashed one first.  No trampoline is named: a frame named for a signal
// above libc's unnamed frame is a crash handler.  Before these rules fp2 keyed
// every crash of a program with a handler as one issue
// ("handleUnrecoverableSignal", "n/a"; fp1 reads no such line); now the
// frames below the handler.
TEST(Fp2Pasted, SystemdCoredumpStacks)
{
	Fixtures fx("pasted");
	const auto wl = fx.fp("coredump_journal_wlroots_assert.txt"), ffi = fx.fp("coredump_journal_hyprland_ffi.txt");
	EXPECT_EQ(wl.lang, Lang::Native);
	EXPECT_EQ(wl.frames, (std::vector<std::string>{"native:::wlr_render_subtexture_with_matrix"}));
	EXPECT_EQ(ffi.frames, (std::vector<std::string>{"native:libffi.so::??", "native:::ffi_call"}));
	EXPECT_NE(wl.digest, ffi.digest);
	for (const auto *r : {&wl, &ffi})
		for (const std::string &k : r->frames)
			EXPECT_TRUE(k.find("Signal") == std::string::npos && k.find("n/a") == std::string::npos) << k;
	// coredumpctl info's header types the crash; the next thread is not the crash
	Cancel c;
	const std::string head = "           PID: 791 (app)\n        Signal: 11 (SEGV)\n       Message: Process 791 (app) dumped core.\n"
	                         "                Stack trace of thread 840:\n"
	                         "                #0  0x000071e23c7bf32c parse_row (app + 0x8d32c)\n"
	                         "                #1  0x000071e23c76e6c8 load_table (app + 0x3c6c8)\n";
	const std::string other = "                \n                Stack trace of thread 791:\n"
	                          "                #0  0x000071e23c7bf400 n/a (libc.so.6 + 0x8d400)\n"
	                          "                #1  0x000071e23c76e700 poll_loop (app + 0x3c700)\n";
	auto r = compute_fingerprint("", "", head + other, c, true);
	EXPECT_NE(r.explain.find("type: SIGSEGV"), std::string::npos) << r.explain;
	EXPECT_EQ(r.frames, (std::vector<std::string>{"native:::parse_row", "native:::load_table"}));
	EXPECT_EQ(r.digest, compute_fingerprint("", "", head, c).digest);
	// a handler's name alone (no libc frame below it) is kept
	EXPECT_EQ(compute_fingerprint("", "", "#0  0x1 on_signal_change (app + 0x10)\n#1  0x2 run (app + 0x20)\n", c).frames,
	          (std::vector<std::string>{"native:::on_signal_change", "native:::run"}));
}

// The Ubuntu gdb data set (real Apport back-traces; skipped when ../shared
// is absent): no trace is read as JavaScript any more (fp1: 7, their wrapped
// "at FILE:LINE" lines), and a frame whose argument gdb could not read ends
// its list on the next line ("(this=Cannot access memory at address
// 0xbfa00d80" + ") at .../window.cpp:4624"): fp1 and fp2 before had no frame.
// gdb 6's '*' before a function ("*__GI_raise (sig=6)") is dropped, so
// raise and abort are the signal machinery they are (fp1 keyed 4 traces by
// "*__GI_raise", "*__GI___libc_free").
TEST(Fp2Native, GdbOutputOfTheUbuntuSet)
{
	const std::string path =
		std::string(ERRTRACK_SHARED_DIR) + "/datasets/ubuntu_launchpad_gdb_subset/reports.jsonl";
	if (errtrack_test::read_file(path).empty())
		GTEST_SKIP() << "no " << path;
	Cancel c;
	size_t read = 0, js_fp1 = 0, js_fp2 = 0, star_fp1 = 0, star_fp2 = 0;
	auto starred = [](const FingerprintResult &f) {
		for (const std::string &k : f.frames)
			if (k.find(":::*") != std::string::npos)
				return true;
		return false;
	};
	for (auto &r : errtrack_test::read_jsonl(path)) {
		const std::string &text = r["stack_text"];
		read++;
		star_fp1 += starred(compute_fingerprint("", "", text, c, false, Algorithm::Fp1));
		star_fp2 += starred(compute_fingerprint("", "", text, c, false, Algorithm::Fp2));
		js_fp1 += errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp1).lang == Lang::Node;
		auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
		js_fp2 += ps.lang == Lang::Node;
		if (r["report_id"] == "759465") {
			ASSERT_EQ(ps.lang, Lang::Native);
			ASSERT_FALSE(ps.chain.empty());
			ASSERT_FALSE(ps.chain[0].frames.empty());
			EXPECT_EQ(ps.chain[0].frames[0].key(), "native:PrivateWindow::processMap");
			EXPECT_EQ(ps.chain[0].frames[0].line, 4624);
		}
	}
	EXPECT_EQ(read, 1232u);
	EXPECT_EQ(js_fp1, 7u);
	EXPECT_EQ(js_fp2, 0u);
	EXPECT_EQ(star_fp1, 4u);
	EXPECT_EQ(star_fp2, 0u);
}

// One assert in a shared helper reached from checkout's and refund's
// lambdas: gdb names a lambda "operator()" (fp1 keyed the two alike); the
// function it is in names the site.  With no named caller (a lambda of
// main() called through std::function) the lambda stays.
TEST(Fp2Native, LambdaGivesWayToItsFunction)
{
	Fixtures fx("cpp");
	EXPECT_NE(fx.fp("gdb_bt_assert_lambda_checkout.txt").digest, fx.fp("gdb_bt_assert_lambda_refund.txt").digest);
	EXPECT_TRUE(fx.fp1_same("gdb_bt_assert_lambda_checkout.txt", "gdb_bt_assert_lambda_refund.txt"));
	EXPECT_EQ(fx.fp("gdb_bt_lambda_segv.txt").frames,
	          (std::vector<std::string>{"native:std::basic_string<T>::size", "native:::operator()"}));
}

// An exception type capturing boost::stacktrace in its constructor: every
// throw starts in the constructor, which is keyed but not counted, so the
// thrower's caller tells checkout's unknown SKU from refund's (fp1: merged).
TEST(Fp2Native, ExceptionConstructorOnTop)
{
	Fixtures fx("cpp");
	fx.expect_one_issue_apart_from("boost_ctor_price_checkout.txt", "boost_ctor_price_checkout_deploy2.txt",
	                               "boost_ctor_price_refund.txt");
	EXPECT_TRUE(fx.fp1_same("boost_ctor_price_checkout.txt", "boost_ctor_price_refund.txt"));
}

// go test's output: "--- FAIL", the panic, the goroutine, then the trailer
// "FAIL\t<package>\t0.004s", which fp1 read as one more function line (every
// other test duration split the issue).  The panic message's order id
// ("J937", "J1011") is one <int> in fp2 (fp1 kept its first digit:
// "J9<int>" vs "J1<int>").
TEST(Fp2Go, GoTestTrailerAndLetterDigitIds)
{
	Fixtures fx("go");
	auto a = fx.fp("gotest_panic_price.txt");
	EXPECT_EQ(a.frames, (std::vector<std::string>{"go:acme.io/quote::Price", "go:acme.io/quote::TestPrice"}));
	EXPECT_EQ(a.message_template, "order J<int>: quantity -<int> out of range");
	EXPECT_EQ(a.digest, fx.fp("gotest_panic_price_deploy2.txt").digest);
	EXPECT_FALSE(fx.fp1_same("gotest_panic_price.txt", "gotest_panic_price_deploy2.txt"));
	EXPECT_EQ(fx.fp("gotest_panic_price.txt", Algorithm::Fp1).frames.size(), 3u);  // (the trailer)
}

// A Rust panic without a backtrace (RUST_BACKTRACE unset: the default) says
// only where it panicked: fp2 keys that file ("<panic>" in src/fx.rs; the
// line moves with every edit above it), fp1 fell back to the generic parser
// and keyed the message lines.  Rust 1.91+ prints the thread id too.
TEST(Fp2Rust, PanicWithoutBacktraceKeysItsFile)
{
	Fixtures fx("rust");
	auto r = fx.fp("panic_unwrap_none_nobacktrace.txt");
	EXPECT_EQ(r.lang, Lang::Rust);
	EXPECT_EQ(r.frames, (std::vector<std::string>{"rust:src/fx.rs::<panic>"}));
	EXPECT_EQ(fx.fp("panic_unwrap_none_nobacktrace.txt", Algorithm::Fp1).lang, Lang::Generic);
	Cancel c;
	auto at = [&](const char *loc) {
		std::string text = std::string("\nthread 'main' (2281) panicked at ") + loc +
		                   ":\ncalled `Option::unwrap()` on a `None` value\n"
		                   "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
		return compute_fingerprint("", "", text, c, true, Algorithm::Fp2);
	};
	EXPECT_EQ(at("src/fx.rs:37:17").digest, at("src/fx.rs:52:9").digest);  // moved lines
	EXPECT_NE(at("src/fx.rs:37:17").digest, at("src/billing.rs:37:17").digest);
	EXPECT_EQ(at("src/fx.rs:37:17").digest, r.digest);  // the thread id is not keyed
}

// PHP's own fatal errors have no stack trace ("Fatal error: Allowed memory
// size of N bytes exhausted ... in FILE on line N"): fp2 keys the file (by
// its name, like a script's functions) and, "Fatal error" being a level
// rather than a type, the message template.  fp1 read the line as generic
// text with the path masked: every script's memory error was one issue.
TEST(Fp2Php, FatalErrorWithoutStack)
{
	Fixtures fx("php");
	auto r = fx.fp("fatal_memory_report.txt");
	EXPECT_EQ(r.lang, Lang::Php);
	EXPECT_EQ(r.type, "Fatal error");
	EXPECT_EQ(r.frames, (std::vector<std::string>{"php:report::<fatal>"}));
	EXPECT_TRUE(r.message_used);
	EXPECT_EQ(r.message_template, "Allowed memory size of <size> exhausted (tried to allocate <size>)");
	// displayed vs logged ("PHP Fatal error:  "), another root, moved lines;
	// the same error in export.php is another bug
	fx.expect_one_issue_apart_from("fatal_memory_report.txt", "fatal_memory_report_deploy2.txt",
	                               "fatal_memory_export.txt");
	EXPECT_TRUE(fx.fp1_same("fatal_memory_report.txt", "fatal_memory_export.txt"));
	EXPECT_TRUE(errtrack::php_error_layout({"", "PHP Parse error:  syntax error, unexpected token \"}\" in /a/b.php on line 3"}));
	EXPECT_FALSE(errtrack::php_error_layout({"PHP Fatal error:  Uncaught Exception: x in /a/b.php:3", "Stack trace:"}));
}

// A Go runtime fatal error ("fatal error: concurrent map writes") is a level,
// not a type: fp2 keys its message next to the frames (fp1 took "fatal
// error" for a specific type: two fatal errors at one site were one issue).
TEST(Fp2Go, RuntimeFatalErrorKeysItsMessage)
{
	Fixtures fx("go");
	auto r = fx.fp("fatal_concurrent_map_writes.txt");
	EXPECT_EQ(r.type, "fatal error");
	EXPECT_TRUE(r.message_used);
	EXPECT_EQ(r.message_template, "concurrent map writes");
	EXPECT_FALSE(fx.fp("fatal_concurrent_map_writes.txt", Algorithm::Fp1).message_used);
	EXPECT_EQ(r.frames, (std::vector<std::string>{"go:main::tally"}));  // ("created by main.main": main)
}

// Xdebug 3 (develop mode) prints the uncaught exception, then the exception
// again "in FILE on line N", then its "Call Stack:" outermost first, with
// times, memory and arguments.  fp2 reads those frames (innermost first, like
// PHP's own "#N" lines) and drops the repeated copy: the same bug with and
// without Xdebug is one issue.
TEST(Fp2Php, XdebugCallStack)
{
	Fixtures fx("php");
	auto x = fx.fp("xdebug_docroot_cart.txt");
	EXPECT_EQ(x.lang, Lang::Php);
	EXPECT_NE(x.explain.find("\nexceptions: 1\n"), std::string::npos);
	EXPECT_EQ(x.frames, (std::vector<std::string>{"php:checkout::load_cart", "php:checkout::render",
	                                                "php:checkout::{main}"}));
	EXPECT_EQ(fx.fp("xdebug_docroot_cart.txt", Algorithm::Fp1).lang, Lang::Generic);
	EXPECT_EQ(x.digest, fx.fp("docroot_cart.txt").digest);
	fx.expect_one_issue_apart_from("xdebug_docroot_cart.txt", "xdebug_docroot_cart_deploy2.txt",
	                               "xdebug_docroot_wishlist.txt");
	// a chain: PHP's trace of the root cause, "Next", then Xdebug's stack of the outer one
	auto chain = fx.fp("xdebug_uncaught_chain.txt");
	EXPECT_NE(chain.explain.find("\nexceptions: 2 "), std::string::npos);
	EXPECT_EQ(chain.digest, fx.fp("uncaught_display_errors.txt").digest);
	// one Call Stack line
	Cancel c;
	auto ps = errtrack::parse_stack("Exception: x in /srv/a.php on line 3\n\nCall Stack:\n"
	                                "    0.0001     416496   1. {main}() /srv/a.php:0\n"
	                                "    0.0002     417992   2. App\\Jobs->run($id = 7, $tag = 'a b') /srv/a.php:9\n",
	                                Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	ASSERT_EQ(ps.chain[0].frames.size(), 2u);
	EXPECT_EQ(ps.chain[0].frames[0].function, "run");
	EXPECT_EQ(ps.chain[0].frames[0].module, "App\\Jobs");
	EXPECT_EQ(ps.chain[0].frames[1].function, "{main}");
}

// Xdebug with log_errors to stderr logs the error, then "PHP Stack trace:"
// and its frames as "PHP   N. f() FILE:LINE" (outermost first), then
// displays the error again with its "Call Stack:".  Until now fp2 read the
// logged frames as more header lines: the type held every frame's path and
// line (the same bug in another install: two issues), and a tracer sending
// the text alone got a type made of five lines (fp1 read it all as text).
// Now they are Xdebug's frames, and one copy of the error is kept.
TEST(Fp2Php, XdebugLogStackTrace)
{
	Fixtures fx("php");
	auto x = fx.fp("xdebug_log_memory_report.txt");
	EXPECT_EQ(x.type, "Fatal error");
	EXPECT_NE(x.explain.find("\nexceptions: 1\n"), std::string::npos) << x.explain;
	EXPECT_EQ(x.frames, (std::vector<std::string>{"php:report::build_report", "php:report::{main}"}));
	fx.expect_one_issue_apart_from("xdebug_log_memory_report.txt", "xdebug_log_memory_report_deploy2.txt",
	                               "xdebug_log_memory_export.txt");
	EXPECT_EQ(fx.fp("xdebug_log_memory_report.txt", Algorithm::Fp1).lang, Lang::Generic);
	// PHP 5 with Xdebug 2 under PHPUnit, pasted by a user: the stack alone keys as typed
	Fixtures pasted("pasted");
	Cancel c;
	auto alone = compute_fingerprint("", "", pasted.stack("php_phpunit_xdebug_log_stack.txt"), c, false, Algorithm::Fp2);
	EXPECT_EQ(alone.type, "Fatal error");
	EXPECT_EQ(alone.digest, pasted.fp("php_phpunit_xdebug_log_stack.txt").digest);
	// one logged frame line
	auto ps = errtrack::parse_stack("PHP Fatal error:  boom in /srv/a.php on line 3\nPHP Stack trace:\n"
	                                "PHP   1. {main}() /srv/a.php:0\n"
	                                "PHP   2. App\\Jobs->run($id = 7) /srv/a.php:9\n",
	                                Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	ASSERT_EQ(ps.chain[0].frames.size(), 2u);
	EXPECT_EQ(ps.chain[0].frames[0].function, "run");
	EXPECT_EQ(ps.chain[0].frames[1].function, "{main}");
}

// Groovy: every call goes through the runtime's call sites and reflection
// (org.codehaus.groovy.*), and the compiler generates a stub per call
// ("crm.Checks$requireEmail.call(Unknown Source)").  fp1 took the runtime for
// the app (every Groovy error of one kind was keyed by the call-site frames
// that threw it: the look-alike from ImportService merged) and the stubs for
// app frames; groovy's sanitised report ("Caught: T: m", then "T: m" and the
// trace) had the type "Caught".  fp2: library, generated, and the report's
// prefix dropped: the raw and the sanitised trace are one issue.
TEST(Fp2Java, GroovyRuntimeIsALibrary)
{
	Fixtures fx("java");
	fx.expect_one_issue_apart_from("groovy_raw_signup.txt", "groovy_raw_signup_deploy2.txt", "groovy_raw_import.txt");
	EXPECT_EQ(fx.fp("groovy_raw_signup.txt").digest, fx.fp("groovy_caught_signup.txt").digest);
	EXPECT_TRUE(fx.fp1_same("groovy_raw_signup.txt", "groovy_raw_import.txt"));
	EXPECT_FALSE(fx.fp1_same("groovy_raw_signup.txt", "groovy_caught_signup.txt"));
}

// Debian's node-* packages install to /usr/share/nodejs/<package>, not
// node_modules: fp1 took Ajv's frames there for app code (the same mistake
// made in two functions was one issue); fp2 reads them as a package.
TEST(Fp2Node, DebianSystemModulesAreLibraries)
{
	Fixtures fx("node");
	fx.expect_one_issue_apart_from("debian_ajv_orders.txt", "debian_ajv_orders_deploy2.txt", "debian_ajv_invoices.txt");
	EXPECT_TRUE(fx.fp1_same("debian_ajv_orders.txt", "debian_ajv_invoices.txt"));
	Cancel c;
	auto ps = errtrack::parse_stack("Error: x\n    at Ajv.compile (/usr/share/nodejs/ajv/lib/ajv.js:113:24)\n"
	                                "    at f (/usr/lib/nodejs/yargs/index.js:1:2)\n",
	                                Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	ASSERT_EQ(ps.chain[0].frames.size(), 2u);
	EXPECT_EQ(ps.chain[0].frames[0].file, "npm:ajv/lib/ajv.js");
	EXPECT_EQ(ps.chain[0].frames[1].file, "npm:yargs/index.js");
	EXPECT_EQ(ps.chain[0].frames[0].category, errtrack::Category::Library);
}

// Ruby: "Type: message" on the line before the backtrace — a script logging
// "#{e.class}: #{e.message}" and e.backtrace, Rake's "rake aborted!" report,
// a Minitest error — is the exception's type and message (fp1 found no type:
// the stack alone was keyed with an empty message).
TEST(Fp2Ruby, TypeMessageLineBeforeBacktrace)
{
	Fixtures fx("ruby");
	for (const char *f : {"header_line_zone.txt", "rake_zone.txt", "minitest_zone.txt"}) {
		auto r = fx.fp(f);
		EXPECT_EQ(r.type, "KeyError") << f;
		EXPECT_FALSE(r.message_used) << f;  // a specific type: the frames tell
		EXPECT_EQ(fx.fp(f, Algorithm::Fp1).type, "") << f;
		ASSERT_GE(r.frames.size(), 2u) << f;
		EXPECT_EQ(r.frames[1], "ruby:lib/shop/services::zone_for") << f;
	}
	fx.expect_one_issue_apart_from("header_line_zone.txt", "header_line_zone_deploy2.txt", "header_line_refund.txt");
	EXPECT_EQ(fx.fp("rake_zone.txt").digest, fx.fp("rake_zone_deploy2.txt").digest);
	Cancel c;
	// a line that is not "Constant::Path: message" is not a header
	for (const char *head : {"Run options: --seed 53311", "ZoneTest#test_zone:", "rake aborted!"}) {
		auto ps = errtrack::parse_stack(std::string(head) + "\n/srv/a.rb:3:in `f'\n", Lang::Unknown, c, Algorithm::Fp2);
		ASSERT_EQ(ps.chain.size(), 1u);
		EXPECT_EQ(ps.chain[0].type, "") << head;
	}
	auto ps = errtrack::parse_stack("Shop::Errors::Boom: bad\n/srv/a.rb:3:in `f'\n", Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "Shop::Errors::Boom");
	EXPECT_EQ(ps.chain[0].message, "bad");
	// a multi-line message's later lines (PostgreSQL's DETAIL) are not the type
	ps = errtrack::parse_stack("PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint \"u\"\n"
	                           "DETAIL:  Key (email)=(a@b.c) already exists.\n/srv/a.rb:3:in `f'\n",
	                           Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "PG::UniqueViolation");
}

// .NET: an ArgumentException's message has two lines ("bad price ...",
// "Parameter name: raw"), and Mono announces the next inner exception at the
// end of the second: "Parameter name: raw ---> System.FormatException: ...".
// fp1 read that line as message text: two exceptions, the ArgumentException
// taken for the root cause (a FormatException and an OverflowException behind
// the same wrappers merged).  fp2: three exceptions, the real root cause.
TEST(Fp2DotNet, InnerAnnouncedOnAMessageLine)
{
	Fixtures fx("dotnet");
	auto r = fx.fp("param_name_inner_format.txt");
	EXPECT_EQ(r.type, "System.FormatException");
	EXPECT_NE(r.explain.find("\nexceptions: 3 "), std::string::npos);
	EXPECT_EQ(fx.fp("param_name_inner_format.txt", Algorithm::Fp1).type, "System.ArgumentException");
	fx.expect_one_issue_apart_from("param_name_inner_format.txt", "param_name_inner_format_deploy2.txt",
	                               "param_name_inner_overflow.txt");
	EXPECT_TRUE(fx.fp1_same("param_name_inner_format.txt", "param_name_inner_overflow.txt"));
}

// Twisted's Failure.getTraceback() prints the stack where the failure was
// caught ("main", "convert", Deferred.callback ...), the line "--- <exception
// caught here> ---", then the exception's own traceback.  fp1 keyed the
// callers above the line too, so the failure and the exception a tracer
// formats (its traceback starts at the catch) were two issues; fp2 keeps the
// frames below the line.
TEST(Fp2Python, TwistedFailureKeysTheExceptionsOwnTraceback)
{
	Fixtures fx("python");
	auto f = fx.fp("twisted_failure_rate.txt");
	EXPECT_EQ(f.type, "ValueError");
	EXPECT_EQ(f.frames, (std::vector<std::string>{"python:ledger::parse_rate"}));
	EXPECT_EQ(f.digest, fx.fp("twisted_exception_rate.txt").digest);
	EXPECT_FALSE(fx.fp1_same("twisted_failure_rate.txt", "twisted_exception_rate.txt"));
	fx.expect_one_issue_apart_from("twisted_failure_rate.txt", "twisted_failure_rate_deploy2.txt",
	                               "twisted_failure_fee.txt");
}

// Rails compiles a template into a method named after its path and a hash of
// its source, seeded per process and negative about half the time:
// "_app_views_orders_receipt_html_erb__4446…_3620" and "…_html_erb___4187…_3620".
// fp1 kept a trailing '_' after cutting the hash from the negative form: one
// template error was two issues, by the sign of the boot's hash.
TEST(Fp2Ruby, CompiledTemplateHashSign)
{
	Fixtures fx("ruby");
	auto pos = fx.fp("rails_view_receipt_positive_hash.txt");
	EXPECT_EQ(pos.type, "NoMethodError");
	ASSERT_FALSE(pos.frames.empty());
	EXPECT_EQ(pos.frames[0], "ruby:app/views/orders/receipt.html::_app_views_orders_receipt_html_erb");
	EXPECT_EQ(pos.digest, fx.fp("rails_view_receipt_negative_hash.txt").digest);
	EXPECT_FALSE(fx.fp1_same("rails_view_receipt_positive_hash.txt", "rails_view_receipt_negative_hash.txt"));
	EXPECT_NE(pos.digest, fx.fp("rails_view_invoice.txt").digest);
}

// A logger's record line printed before the exception (Logback
// "%d %-5level [%thread] %logger - %msg%n%xEx", Log4j 2 likewise): read as
// the stack alone, fp1 took that line for the exception's header (the
// timestamp in the type: every event another issue); fp2 takes the first
// header-shaped line before the frames.  The same bug without the record line
// (the plain rendering) is the same issue.
TEST(Fp2Java, LogRecordLineBeforeTheException)
{
	Fixtures fx("java");
	for (const char *f : {"logging_record_logback_find.txt", "logging_record_log4j2_find.txt"}) {
		EXPECT_EQ(fx.fp(f).type, "java.lang.IllegalStateException") << f;
		EXPECT_NE(fx.fp(f, Algorithm::Fp1).type.find("ERROR [main]"), std::string::npos) << f;
		EXPECT_EQ(fx.fp(f).digest, fx.fp("logging_plain_find.txt").digest) << f;
	}
	EXPECT_EQ(fx.fp("logging_record_logback_wrapped.txt").digest, fx.fp("logging_plain_wrapped.txt").digest);
	EXPECT_NE(fx.fp("logging_record_logback_find.txt").digest, fx.fp("logging_record_logback_wrapped.txt").digest);
}

// A PHP program's own output before "Fatal error: Uncaught TypeError: ..."
// (stdout and stderr captured together): fp1 read the progress line
// ("importing C-0001") as the exception's type, so every row was another
// issue; fp2 starts the error at PHP's "Fatal error:" line.
TEST(Fp2Php, ProgramOutputBeforeTheFatalError)
{
	Fixtures fx("php");
	auto r = fx.fp("stdout_then_type_error.txt");
	EXPECT_EQ(r.type, "TypeError");
	EXPECT_EQ(fx.fp("stdout_then_type_error.txt", Algorithm::Fp1).type, "importing C-0001\nFatal error");
	fx.expect_one_issue_apart_from("stdout_then_type_error.txt", "stdout_then_type_error_deploy2.txt",
	                               "stdout_then_type_error_tax.txt");
	EXPECT_FALSE(fx.fp1_same("stdout_then_type_error.txt", "stdout_then_type_error_deploy2.txt"));
}

// An error raised inside a package with no app frame after it (axios's
// response callbacks): its frames are the key.  Run from the package's
// bundle (dist/node/axios.cjs) or, under --enable-source-maps, from its
// lib/*.js files, fp1 keyed the files (two issues per bug), and V8 printed a
// static method as "Function.AxiosError.from" in one run and
// "AxiosError.from" in the other; a dependency's source-map path
// ("/usr/usr/share/nodejs/follow-redirects/...") was an app file.  fp2 names
// a package's frames by the package, drops the "Function." receiver, and
// finds Debian's module directory anywhere in a path.
TEST(Fp2Node, PackageFramesWithAndWithoutSourceMaps)
{
	Fixtures fx("node");
	for (const char *bug : {"404", "reset"}) {
		std::string bundle = std::string("debian_axios_") + bug + "_bundle.txt";
		std::string mapped = std::string("debian_axios_") + bug + "_source_maps.txt";
		EXPECT_EQ(fx.fp(bundle).digest, fx.fp(mapped).digest) << bug;
		EXPECT_FALSE(fx.fp1_same(bundle, mapped)) << bug;
		ASSERT_FALSE(fx.fp(bundle).frames.empty());
		EXPECT_EQ(fx.fp(bundle).frames[0].rfind("javascript:npm:axios::", 0), 0u) << bug;
	}
	EXPECT_NE(fx.fp("debian_axios_404_bundle.txt").digest, fx.fp("debian_axios_reset_bundle.txt").digest);
}

// A faulthandler dump (python -X faulthandler): "Fatal Python error:
// Segmentation fault", "Current thread 0x... (most recent call first):", then
// 'File "x.py", line 14 in read_blob' lines, innermost first and with no
// comma before "in".  fp1 took the lines for a traceback with no function
// names (one frame key, every native crash of a file one issue).  fp2 reads
// the current thread's frames; "Fatal Python error" is a level, so its
// message joins the key.  The watchdog's "Timeout (...)!" dump likewise.
TEST(Fp2Python, FaulthandlerDump)
{
	Fixtures fx("python");
	auto r = fx.fp("faulthandler_segv_export.txt");
	EXPECT_EQ(r.type, "Fatal Python error");
	EXPECT_EQ(r.message_template, "Segmentation fault");
	EXPECT_EQ(r.frames,
	          (std::vector<std::string>{"python:crash::read_blob", "python:crash::export_order"}));  // (<module>: anonymous)
	fx.expect_one_issue_apart_from("faulthandler_segv_export.txt", "faulthandler_segv_export_deploy2.txt",
	                               "faulthandler_segv_render.txt");
	EXPECT_TRUE(fx.fp1_same("faulthandler_segv_export.txt", "faulthandler_segv_render.txt"));
	auto t = fx.fp("faulthandler_timeout.txt");
	EXPECT_EQ(t.type, "Timeout");
	ASSERT_FALSE(t.frames.empty());
	EXPECT_EQ(t.frames[0], "python:crash::wait_for_lock");
}

// MRI's own crash report ("crash.rb:7: [BUG] Segmentation fault at 0x10",
// control frames, "-- Ruby level backtrace information ---", registers, the
// C-level backtrace_symbols frames of libruby, loaded features).  fp1 took it
// for a native crash keyed by libruby's unnamed frames (every segfault of a
// program one issue); fp2 reads the Ruby-level frames and the [BUG] reason.
TEST(Fp2Ruby, InterpreterCrashReport)
{
	Fixtures fx("ruby");
	auto r = fx.fp("ruby_bug_segv_thumbnail.txt");
	EXPECT_EQ(r.lang, Lang::Ruby);
	EXPECT_EQ(r.type, "Segmentation fault");
	ASSERT_GE(r.frames.size(), 2u);
	EXPECT_EQ(r.frames[0], "ruby:crash::read_header");
	EXPECT_EQ(r.frames[1], "ruby:crash::load_thumbnail");
	EXPECT_EQ(fx.fp("ruby_bug_segv_thumbnail.txt", Algorithm::Fp1).lang, Lang::Native);
	fx.expect_one_issue_apart_from("ruby_bug_segv_thumbnail.txt", "ruby_bug_segv_thumbnail_deploy2.txt",
	                               "ruby_bug_segv_invoice.txt");
	EXPECT_TRUE(fx.fp1_same("ruby_bug_segv_thumbnail.txt", "ruby_bug_segv_invoice.txt"));
}

// The JVM's fatal error log (hs_err_pid<N>.log): a banner, "#  SIGSEGV (0xb)
// at pc=...", the problematic frame, then the crashing thread's "Java
// frames:" ("j  com.acme.ledger.Crash.poke(J)V+7") among ~900 lines of VM
// state.  fp1 read it as generic text (its key: banner lines and whatever
// line came at the frame cap — another heap size, another issue); fp2 reads
// the signal as the type and the Java frames.
TEST(Fp2Java, JvmFatalErrorLog)
{
	Fixtures fx("java");
	auto r = fx.fp("jvm_hs_err_ledger.txt");
	EXPECT_EQ(r.lang, Lang::Java);
	EXPECT_EQ(r.type, "SIGSEGV");
	EXPECT_EQ(r.frames, (std::vector<std::string>{"java:c.a.l.Crash::poke", "java:c.a.l.Crash::flushLedger",
	                                                "java:c.a.l.Crash::main"}));
	EXPECT_EQ(fx.fp("jvm_hs_err_ledger.txt", Algorithm::Fp1).lang, Lang::Generic);
	fx.expect_one_issue_apart_from("jvm_hs_err_ledger.txt", "jvm_hs_err_ledger_deploy2.txt", "jvm_hs_err_audit.txt");
	EXPECT_FALSE(fx.fp1_same("jvm_hs_err_ledger.txt", "jvm_hs_err_ledger_deploy2.txt"));
}

// PHP's error_log to a file prefixes each record with its time:
// "[24-Nov-2026 16:13:17 UTC] PHP Fatal error:  ...".  fp1 made the
// timestamped text the type (every second another issue) or read a
// stack-less error as generic text; fp2 drops the prefix: the same issues as
// the errors printed without it.
TEST(Fp2Php, ErrorLogTimestamp)
{
	Fixtures fx("php");
	EXPECT_EQ(fx.fp("error_log_memory_report.txt").digest, fx.fp("fatal_memory_report.txt").digest);
	EXPECT_EQ(fx.fp("error_log_type_error.txt").type, "TypeError");
	EXPECT_EQ(fx.fp("error_log_type_error.txt").digest, fx.fp("stdout_then_type_error.txt").digest);
	EXPECT_NE(fx.fp("error_log_type_error.txt", Algorithm::Fp1).type.find("UTC]"), std::string::npos);
}

// Go's SIGQUIT dump (kill -QUIT of a stuck program): "SIGQUIT: quit",
// "PC=... m=0 sigcode=0", then every goroutine, the runtime's idle goroutine 0
// first.  fp1 keyed goroutine 0 (runtime frames only: every dump of every
// program one issue) with the PC line as message; fp2 takes the first
// goroutine with an app frame and the signal as the type.
TEST(Fp2Go, SigquitDump)
{
	Fixtures fx("go");
	auto r = fx.fp("sigquit_wait_reply.txt");
	EXPECT_EQ(r.type, "SIGQUIT");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "go:main::waitForReply");
	fx.expect_one_issue_apart_from("sigquit_wait_reply.txt", "sigquit_wait_reply_deploy2.txt", "sigquit_drain_queue.txt");
	EXPECT_TRUE(fx.fp1_same("sigquit_wait_reply.txt", "sigquit_drain_queue.txt"));
}

// Mono's native crash report (a SIGSEGV in native code reached through
// P/Invoke): "Got a SIGSEGV while executing native code", native frames of
// the runtime, a debugger dump of every thread, then "Managed Stacktrace:"
// ("at Acme.Ledger.Crash:MeasureName <0x0002b>").  fp1 read it as a native
// crash keyed by idle threads' futex frames (every crash one issue); fp2
// reads the signal and the managed frames.
TEST(Fp2DotNet, MonoNativeCrashReport)
{
	Fixtures fx("dotnet");
	auto r = fx.fp("mono_native_crash_name.txt");
	EXPECT_EQ(r.lang, Lang::DotNet);
	EXPECT_EQ(r.type, "SIGSEGV");
	ASSERT_GE(r.frames.size(), 2u);
	EXPECT_EQ(r.frames[1], "dotnet:Acme.Ledger.Crash::MeasureName");
	fx.expect_one_issue_apart_from("mono_native_crash_name.txt", "mono_native_crash_name_deploy2.txt",
	                               "mono_native_crash_account.txt");
	EXPECT_NE(fx.fp("mono_native_crash_name.txt", Algorithm::Fp1).lang, Lang::DotNet);
}

// Runtime upgrades (audit 7: one program's bugs under Python 2.7-3.13, Rust
// 1.63 and 1.95, javac --release 8 and 17).  Python 3.12 runs a list/dict/set
// comprehension inline (PEP 709): 3.11 and older print a "<listcomp>" frame
// of its own, which took a key slot.  fp2 drops the frame: the same bug keys
// alike on 3.8, 3.11, 3.12 and 3.13; the same error in another function's
// comprehension (a look-alike) stays apart.
TEST(Fp2Python, ComprehensionFrameAcrossVersions)
{
	Fixtures fx("python");
	auto r = fx.fp("comprehension_ratios_py311.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "python:reports::ratios");
	fx.expect_one_issue_apart_from("comprehension_ratios_py311.txt", "comprehension_ratios_py312.txt",
	                               "comprehension_shares_py311.txt");
	fx.expect_one_issue_apart_from("comprehension_ratios_py38_deploy2.txt", "comprehension_ratios_py313_deploy2.txt",
	                               "comprehension_shares_py313.txt");
	EXPECT_EQ(fx.fp("comprehension_shares_py311.txt").digest, fx.fp("comprehension_shares_py313.txt").digest);
	EXPECT_FALSE(fx.fp1_same("comprehension_ratios_py311.txt", "comprehension_ratios_py312.txt"));
	// a generator expression still runs in a frame of its own: kept
	Cancel c;
	auto g = compute_fingerprint("", "",
	                             "Traceback (most recent call last):\n"
	                             "  File \"/srv/app/report.py\", line 3, in total\n"
	                             "    return sum(1 / x for x in xs)\n"
	                             "  File \"/srv/app/report.py\", line 3, in <genexpr>\n"
	                             "    return sum(1 / x for x in xs)\n"
	                             "ZeroDivisionError: division by zero\n",
	                             c, true, Algorithm::Fp2);
	ASSERT_FALSE(g.frames.empty());
	EXPECT_EQ(g.frames[0], "python:report::<genexpr>");
}

// javac --release 8 routes a nested class's call of its outer class's private
// method through a synthetic accessor (Warehouse.access$100); --release 17
// (nestmates) calls it directly.  fp2 drops the accessor frame; fp1 keyed it
// as "access" (the ordinal stripped): two releases, two issues.  The
// look-alike, release() through access$000, stays apart.
TEST(Fp2Java, SyntheticAccessorAcrossReleases)
{
	Fixtures fx("java");
	auto r = fx.fp("nested_reserve_release8.txt");
	for (const auto &f : r.frames)
		EXPECT_EQ(f.find("access"), std::string::npos) << f;
	fx.expect_one_issue_apart_from("nested_reserve_release8.txt", "nested_reserve_release17.txt",
	                               "nested_release_release8.txt");
	EXPECT_EQ(r.digest, fx.fp("nested_reserve_release17_deploy2.txt").digest);
	EXPECT_FALSE(fx.fp1_same("nested_reserve_release8.txt", "nested_reserve_release17.txt"));
}

// Rust's std reworded the RefCell borrow panic ("already borrowed:
// BorrowMutError" from rustc 1.63, "RefCell already borrowed" now).  A
// panic's type is generic, so its message is keyed: fp2 reads the old
// wording as the current one, with and without a backtrace.
TEST(Fp2Rust, RewordedStdPanicAcrossToolchains)
{
	Fixtures fx("rust");
	fx.expect_one_issue_apart_from("refcell_update.txt", "refcell_update_rust163.txt", "refcell_reindex.txt");
	EXPECT_EQ(fx.fp("refcell_update.txt").digest, fx.fp("refcell_update_deploy2.txt").digest);
	EXPECT_EQ(fx.fp("refcell_reindex.txt").digest, fx.fp("refcell_reindex_rust163.txt").digest);
	EXPECT_EQ(fx.fp("refcell_update_nobacktrace.txt").digest, fx.fp("refcell_update_rust163_nobacktrace.txt").digest);
	EXPECT_EQ(fx.fp("refcell_update.txt").message_template, "RefCell already borrowed");
	EXPECT_FALSE(fx.fp1_same("refcell_update.txt", "refcell_update_rust163.txt"));
	// only the whole std message: an app's message that quotes it is its own
	EXPECT_EQ(errtrack::normalize_message("already borrowed: BorrowMutError", "panic", Algorithm::Fp2),
	          "RefCell already borrowed");
	EXPECT_EQ(errtrack::normalize_message("cache already borrowed: BorrowMutError", "panic", Algorithm::Fp2),
	          "cache already borrowed: BorrowMutError");
	EXPECT_EQ(errtrack::normalize_message("already borrowed: BorrowMutError", "panic", Algorithm::Fp1),
	          "already borrowed: BorrowMutError");
}

// A package's own code in its __init__.py (Home Assistant's integrations,
// Django apps): fp1 named every such module "__init__", so two packages'
// setup_entry() failing alike were one issue; fp2 names the module by its
// package directory.
TEST(Fp2Python, PackageInitNamedByItsPackage)
{
	Fixtures fx("python");
	auto r = fx.fp("package_init_hue.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "python:hue::setup_entry");
	fx.expect_one_issue_apart_from("package_init_hue.txt", "package_init_hue_deploy2.txt", "package_init_elk.txt");
	EXPECT_TRUE(fx.fp1_same("package_init_hue.txt", "package_init_elk.txt"));
}

// Real traces of runtimes that cannot run here, pasted by users in public
// issue threads (test/fixtures/stacks/pasted/README.md).
namespace {

// the fingerprint of `text` after its first `n` lines (what a tracer that
// stores the exception's own text would send)
errtrack::Digest128
without_first_lines(const std::string &text, size_t n)
{
	size_t at = 0;
	for (size_t k = 0; k < n; k++)
		at = text.find('\n', at) + 1;
	Cancel c;
	return compute_fingerprint("", "", text.substr(at), c, false, Algorithm::Fp2).digest;
}

const errtrack::Frame *
find_frame(const errtrack::ParsedStack &ps, const std::string &function)
{
	for (const auto &e : ps.chain)
		for (const auto &f : e.frames)
			if (f.function == function)
				return &f;
	return nullptr;
}

}  // namespace

// Android's framework and support libraries (android.*, androidx.*,
// com.android.*) are libraries: two apps' "Fragment ... not attached to a
// context" crashes were one issue (fp1 keyed androidx's Fragment frames as
// the app's); Crashlytics' "Fatal Exception: " before the type is dropped.
TEST(Fp2Pasted, AndroidFrameworkIsALibrary)
{
	Fixtures fx("pasted");
	auto a = fx.fp("android_crashlytics_fragment_auth.txt");
	auto b = fx.fp("android_crashlytics_fragment_taskselect.txt");
	EXPECT_EQ(a.type, "java.lang.IllegalStateException");
	ASSERT_FALSE(a.frames.empty());
	ASSERT_FALSE(b.frames.empty());
	EXPECT_NE(a.frames[0].find("AuthenticationFragment"), std::string::npos) << a.frames[0];
	EXPECT_NE(b.frames[0].find("TaskSelectFragment"), std::string::npos) << b.frames[0];
	EXPECT_NE(a.digest, b.digest);
	EXPECT_TRUE(fx.fp1_same("android_crashlytics_fragment_auth.txt", "android_crashlytics_fragment_taskselect.txt"));
	EXPECT_EQ(fx.fp("android_crashlytics_fragment_auth.txt", Algorithm::Fp1).type, "Fatal Exception");
	// D8's synthetic lambda class (its ordinal changes with the build) is generated code
	Cancel c;
	auto ps = errtrack::parse_stack(fx.stack("android_d8_lambda_home.txt"), Lang::Unknown, c, Algorithm::Fp2);
	bool seen = false;
	for (const auto &f : ps.chain.at(0).frames) {
		EXPECT_EQ(f.module.find("ExternalSynthetic"), std::string::npos) << f.module;
		seen = seen || (f.function == "run" && f.category == errtrack::Category::Generated);
		if (f.module.find("Handler") != std::string::npos) {
			EXPECT_EQ(f.category, errtrack::Category::Library) << f.module;
		}
	}
	EXPECT_TRUE(seen);
}

// ASP.NET Core's console logger ("crit: <category>[100]" and an indented
// message), Kestrel's "Connection id ..." line and Serilog's "[21:18:07 ERR]
// ..." before the exception: fp1 took the log line for the exception (its
// level or category the type); fp2 starts at the line that opens it, so the
// key is the one of the exception's own text.
TEST(Fp2Pasted, DotNetLogPreamble)
{
	Fixtures fx("pasted");
	const std::pair<const char *, size_t> cases[] = {{"dotnet_serilog_pipeline_end.txt", 1},
	                                                 {"dotnet_kestrel_slug_route.txt", 2},
	                                                 {"dotnet_kestrel_nativeaot_path.txt", 2},
	                                                 {"dotnet_blazor_crit_forecast.txt", 2}};
	for (const auto &[file, preamble] : cases) {
		auto r = fx.fp(file);
		EXPECT_EQ(r.type.rfind("System.", 0), 0u) << file << ": " << r.type;
		EXPECT_EQ(r.digest, without_first_lines(fx.stack(file), preamble)) << file;
		EXPECT_NE(fx.fp(file, Algorithm::Fp1).type, r.type) << file;
	}
}

// The same logger block when the exception's header carries its HRESULT,
// "Microsoft.Data.SqlClient.SqlException (0x80131904): Incorrect syntax ..."
// (SqlClient, Npgsql, COMException): fp2 did not see it as the header, so a
// tracer sending the stack alone got the log level as the type ("fail") and
// the logger's category as the message — every EF Core query error with the
// same frames one issue.  Now the stack alone gives the typed fingerprint.
TEST(Fp2Pasted, DotNetLogPreambleWithHresult)
{
	Fixtures fx("pasted");
	const std::pair<const char *, const char *> cases[] = {
		{"dotnet_efcore_query_hresult.txt", "Microsoft.Data.SqlClient.SqlException"},
		{"dotnet_middleware_hresult_npgsql.txt", "Npgsql.PostgresException"}};
	Cancel c;
	for (const auto &[file, type] : cases) {
		const std::string &text = fx.stack(file);
		auto alone = compute_fingerprint("", "", text, c, false, Algorithm::Fp2);
		EXPECT_EQ(alone.type, type) << file;
		EXPECT_EQ(alone.digest, fx.fp(file).digest) << file << ": stack alone vs typed";
		EXPECT_EQ(alone.digest, without_first_lines(text, 2)) << file;
		EXPECT_EQ(compute_fingerprint("", "", text, c, false, Algorithm::Fp1).type, "fail") << file;
	}
	// two SQL errors of one query logger stay apart by their message
	std::string other = fx.stack("dotnet_efcore_query_hresult.txt");
	for (size_t at; (at = other.find("Incorrect syntax near ','.")) != std::string::npos;)
		other.replace(at, 26, "Invalid column name 'Priority'.");
	EXPECT_NE(compute_fingerprint("", "", other, c, false, Algorithm::Fp2).digest,
	          compute_fingerprint("", "", fx.stack("dotnet_efcore_query_hresult.txt"), c, false, Algorithm::Fp2).digest);
	// not a header: the HRESULT needs eight hex digits
	auto bad = compute_fingerprint("", "", "fail: Shop.Api[1]\n      Shop.Error (0x8000400G): boom\n         at Shop.Api.Run() in /src/Api.cs:line 3\n", c,
	                               false, Algorithm::Fp2);
	EXPECT_EQ(bad.type, "fail");
}

// EF Core's DbUpdateException says only "See the inner exception for
// details", and it is the primary (the SqlException under it has no app
// frame): every constraint violation, deadlock or timeout saved through one
// repository method was one issue.  fp2 reads the codes of the root cause
// when the primary's message points at it, and drops the per-database hex
// suffix of SQL Server's generated constraint names.
TEST(Fp2Pasted, DotNetInnerExceptionCodes)
{
	Fixtures fx("pasted");
	const char *file = "dotnet_efcore_inner_fk_constraint.txt";
	auto r = fx.fp(file);
	EXPECT_EQ(r.type, "Microsoft.EntityFrameworkCore.DbUpdateException");
	EXPECT_EQ(r.codes, (std::vector<std::string>{"constraint:FK__Product__Supplie"}));
	const std::string &text = fx.stack(file);
	const std::string type = "Microsoft.EntityFrameworkCore.DbUpdateException";
	const std::string msg = "An error occurred while saving the entity changes. See the inner exception for details.";
	auto with = [&](std::string t, const char *from, const char *to) {
		for (size_t at; (at = t.find(from)) != std::string::npos;)
			t.replace(at, std::strlen(from), to);
		return t;
	};
	const std::string other_fk = with(with(text, "FK__Product__Supplie__2645B050", "FK__Product__Catego__1A2B3C4D"),
	                                  "dbo.Supplier", "dbo.Category");
	const std::string other_db = with(text, "FK__Product__Supplie__2645B050", "FK__Product__Supplie__7F3E9A01");
	Cancel c;
	auto fp = [&](const std::string &stack, const std::string &m, Algorithm a) {
		return compute_fingerprint(type, m, stack, c, false, a).digest;
	};
	EXPECT_NE(fp(other_fk, msg, Algorithm::Fp2), r.digest);  // another constraint: another bug
	EXPECT_EQ(fp(other_db, msg, Algorithm::Fp2), r.digest);  // the same constraint in another database
	EXPECT_EQ(fp(other_fk, msg, Algorithm::Fp1), fp(text, msg, Algorithm::Fp1));  // (fp1: one issue)
	// a wrapper that says what failed keeps its own message and codes
	const std::string own = "Saving product 7 failed.";
	const std::string own_stack = with(text, msg.c_str(), own.c_str());
	const std::string own_other_fk = with(other_fk, msg.c_str(), own.c_str());
	EXPECT_EQ(fp(own_stack, own, Algorithm::Fp2), fp(own_other_fk, own, Algorithm::Fp2));
}

// Node's connection attempts fail with an AggregateError that has no message:
// its code is printed after its name ("AggregateError [ECONNREFUSED]: ",
// which fp2 drops from the type) or only in util.inspect's property block
// ("code: 'ETIMEDOUT',").  Until now fp2 keyed every such error as one issue,
// whatever the code (fp1 kept a bracketed code in the type); fp2 takes the
// code as the message of an error that has none.
TEST(Fp2Pasted, NodeMessagelessErrorKeyedByItsCode)
{
	Fixtures fx("pasted");
	auto refused = fx.fp("node_fetch_failed_aggregate_econnrefused.txt");
	auto timedout = fx.fp("node_aggregate_etimedout_property.txt");
	EXPECT_EQ(refused.type, "AggregateError");
	EXPECT_EQ(timedout.type, "AggregateError");
	EXPECT_EQ(refused.codes, (std::vector<std::string>{"errno:ECONNREFUSED"}));
	EXPECT_EQ(timedout.codes, (std::vector<std::string>{"errno:ETIMEDOUT"}));
	EXPECT_NE(refused.digest, timedout.digest);
	Cancel c;
	// a property block's code never replaces a message the error has
	auto ps = errtrack::parse_stack("Error: connect ECONNREFUSED 127.0.0.1:5432\n"
	                                "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {\n"
	                                "  errno: -111,\n  code: 'ECONNREFUSED',\n  port: 5432\n}\n",
	                                Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].message, "connect ECONNREFUSED 127.0.0.1:5432");
}

// A log line above a JavaScript error ("12:24:03 pm [vite] http proxy error:
// /socket.io/?EIO=4...", an app's console line of the message): fp2 took it
// for the error (its time stamp or words the type, the error's header its
// message; the query string's "EIO=4" even gave a code).  While the first
// "error" has no frame and its type is no type name, a line that opens an
// error restarts it: the stack alone keys as the typed error.
TEST(Fp2Pasted, NodeLogLineAboveTheError)
{
	Fixtures fx("pasted");
	Cancel c;
	for (const char *file : {"node_sveltekit_log_line_cors.txt", "node_vite_log_line_aggregate.txt"}) {
		auto alone = compute_fingerprint("", "", fx.stack(file), c, false, Algorithm::Fp2);
		auto typed = fx.fp(file);
		EXPECT_EQ(alone.type, typed.type) << file;
		EXPECT_EQ(alone.digest, typed.digest) << file;
	}
	// the vite proxy's refused connection is the same error as undici's (both frameless, ECONNREFUSED)
	EXPECT_EQ(fx.fp("node_vite_log_line_aggregate.txt").digest,
	          compute_fingerprint("AggregateError", "", fx.stack("node_fetch_failed_aggregate_econnrefused.txt"), c,
	                              false, Algorithm::Fp2)
	              .digest);
	EXPECT_EQ(fx.fp("node_vite_log_line_aggregate.txt").codes, (std::vector<std::string>{"errno:ECONNREFUSED"}));
	// an error whose message goes on with an error's header keeps it
	auto ps = errtrack::parse_stack("RequestError: upstream failed\nTypeError: fetch failed\n"
	                                "    at main (/srv/app/index.js:3:9)\n",
	                                Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "RequestError");
}

// V8 frames with a Windows path that holds a space ("at AuthService.register
// (C:\\Users\\pc\\Desktop\\face bot\\backend\\src\\auth\\auth.service.ts:62:17)")
// look like .NET frames with arguments, and detection gave them to .NET: the
// same bug on a Windows laptop and a Linux server were two issues.  fp2 reads
// them as JavaScript when every frame ends in a line and a column and none
// has .NET's location syntax.
TEST(Fp2Pasted, V8FramesWithWindowsPaths)
{
	Fixtures fx("pasted");
	const char *file = "node_nest_windows_paths.txt";
	auto r = fx.fp(file);
	EXPECT_EQ(r.lang, Lang::Node);
	EXPECT_EQ(r.frames, (std::vector<std::string>{"javascript:auth.service::AuthService.generateToken",
	                                                "javascript:auth.service::AuthService.register"}));
	std::string posix = fx.stack(file);
	const std::string root = "C:\\Users\\pc\\Desktop\\face bot\\backend";
	for (size_t at; (at = posix.find(root)) != std::string::npos;)
		posix.replace(at, root.size(), "/srv/backend");
	for (char &ch : posix)
		if (ch == '\\')
			ch = '/';
	Cancel c;
	EXPECT_EQ(compute_fingerprint(r.type, "Cannot read properties of undefined (reading '0')", posix, c, false, Algorithm::Fp2).digest,
	          r.digest);
	EXPECT_EQ(fx.fp(file, Algorithm::Fp1).lang, Lang::DotNet);
	// .NET frames with a Windows path stay .NET
	auto net = compute_fingerprint("", "", "System.InvalidOperationException: boom\n"
	                                       "   at Shop.Api.Run(String name) in C:\\src\\my shop\\Api.cs:line 3\n"
	                                       "   at Shop.Program.Main(String[] args) in C:\\src\\my shop\\Program.cs:line 9\n",
	                               c, false, Algorithm::Fp2);
	EXPECT_EQ(net.lang, Lang::DotNet);
}

// .NET Framework prints its frames in the UI culture's words: Chinese "在
// A.B.C() 位置 F:行号 N", Japanese "場所 A.B.C() 場所 F:行 N", with localized
// section markers.  fp2 read them as generic text (parameter lists in the
// key; a Chinese machine's and an English server's trace of one bug two
// issues).  Rule 17 writes them in English first.
TEST(Fp2Pasted, DotNetFrameworkLocalizedFrames)
{
	Fixtures fx("pasted");
	auto english = [](std::string t) {
		const std::pair<const char *, const char *> words[] = {
			{"\xE5\x9C\xA8 ", "at "}, {"\xE5\xA0\xB4\xE6\x89\x80 ", "at "},
			{" \xE4\xBD\x8D\xE7\xBD\xAE ", " in "}, {":\xE8\xA1\x8C\xE5\x8F\xB7 ", ":line "},
			{" at D:", " in D:"}, {":\xE8\xA1\x8C ", ":line "},
			{"--- \xE5\x86\x85\xE9\x83\xA8\xE5\xBC\x82\xE5\xB8\xB8\xE5\xA0\x86\xE6\xA0\x88\xE8\xB7\x9F\xE8\xB8"
			 "\xAA\xE7\x9A\x84\xE7\xBB\x93\xE5\xB0\xBE ---",
			 "--- End of inner exception stack trace ---"}};
		for (const auto &[from, to] : words)
			for (size_t at = t.find(from); at != std::string::npos; at = t.find(from, at + std::strlen(to)))
				t.replace(at, std::strlen(from), to);
		return t;
	};
	Cancel c;
	for (const char *file : {"dotnet_zh_inner_exception.txt", "dotnet_ja_vs_dialog.txt", "dotnet_zh_grpc_unavailable.txt"}) {
		auto r = fx.fp(file);
		EXPECT_EQ(r.lang, Lang::DotNet) << file;
		const std::string en = english(fx.stack(file));
		EXPECT_EQ(en.find("\xE5\x9C\xA8 "), std::string::npos);
		auto e = compute_fingerprint(r.type, "", en, c, true, Algorithm::Fp2);
		EXPECT_EQ(e.lang, Lang::DotNet) << file << "\n" << en;
		EXPECT_EQ(r.frames, e.frames) << file << "\n" << r.explain << e.explain;
		EXPECT_NE(fx.fp(file, Algorithm::Fp1).lang, Lang::DotNet) << file;
	}
	// the chain: the root cause below the marker, with the lines of its frames
	auto ps = errtrack::parse_stack(fx.stack("dotnet_zh_inner_exception.txt"), Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[1].type, "System.DivideByZeroException");
	ASSERT_FALSE(ps.chain[1].frames.empty());
	EXPECT_EQ(ps.chain[1].frames[0].function, "ProduceException");
	EXPECT_EQ(ps.chain[1].frames[0].line, 68);
	auto ja = errtrack::parse_stack(fx.stack("dotnet_ja_vs_dialog.txt"), Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_FALSE(ja.chain.empty());
	bool sample = false;
	for (const auto &f : ja.chain[0].frames)
		if (f.function == "DynamicSample") {
			sample = true;
			EXPECT_EQ(f.line, 30);
		}
	EXPECT_TRUE(sample);
}

// Roslyn's state machine of an async lambda, "<>c__DisplayClass7_0.
// <<CreateHandler>b__0>d.MoveNext()": fp1 named it "MoveNext" (every async
// lambda of a class alike), fp2 "CreateHandler.<lambda>" like the lambda itself.
TEST(Fp2Pasted, DotNetAsyncLambdaStateMachine)
{
	Fixtures fx("pasted");
	Cancel c;
	const std::string &text = fx.stack("dotnet_kestrel_slug_route.txt");
	auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
	const errtrack::Frame *f = find_frame(ps, "CreateHandler.<lambda>");
	ASSERT_NE(f, nullptr);
	EXPECT_EQ(f->module, "Microsoft.AspNetCore.Builder.StatusCodePagesExtensions");
	EXPECT_EQ(find_frame(errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp1), "CreateHandler.<lambda>"), nullptr);
	// an app's two async lambdas and an async local function stay apart
	auto two = errtrack::parse_stack("System.InvalidOperationException: boom\n"
	                                 "   at Shop.Web.HomeController.<>c__DisplayClass3_0.<<Index>b__0>d.MoveNext() in /src/HomeController.cs:line 40\n"
	                                 "   at Shop.Web.HomeController.<>c.<<Other>b__5_0>d.MoveNext() in /src/HomeController.cs:line 50\n"
	                                 "   at Shop.Program.<<Main>g__Load|0_0>d.MoveNext() in /src/Program.cs:line 9\n",
	                                 Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(two.chain.at(0).frames.size(), 3u);
	EXPECT_EQ(two.chain[0].frames[0].function, "Index.<lambda>");
	EXPECT_EQ(two.chain[0].frames[1].function, "Other.<lambda>");
	EXPECT_EQ(two.chain[0].frames[2].function, "Main.Load");
}

// Rails' backtrace cleaner prints gems from their own directory
// ("bootsnap-1.26.0/lib/bootsnap/..."): libraries, not the app's files.
TEST(Fp2Pasted, RubyCleanedGemPaths)
{
	Fixtures fx("pasted");
	Cancel c;
	const std::string &text = fx.stack("ruby_rails_cleaned_gem_paths.txt");
	auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
	size_t gems = 0;
	for (const auto &f : ps.chain.at(0).frames)
		if (f.file.rfind("gem:", 0) == 0) {
			gems++;
			EXPECT_EQ(f.category, errtrack::Category::Library) << f.file;
		}
	EXPECT_EQ(gems, 6u);
	auto fp1 = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp1);
	for (const auto &f : fp1.chain.at(0).frames)
		EXPECT_EQ(f.file.rfind("gem:", 0), std::string::npos) << f.file;
	// a relative directory with an undotted suffix stays the app's
	auto app = errtrack::parse_stack("shop-2/lib/orders.rb:3:in `total': boom (RuntimeError)\n"
	                                 "\tfrom shop-2/bin/run.rb:2:in `<main>'\n",
	                                 Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_FALSE(app.chain.at(0).frames.empty());
	EXPECT_EQ(app.chain[0].frames[0].category, errtrack::Category::App);
}

// Rake's report of a chain (also `bin/rails` tasks, e.g. a failed
// migration): the wrapper's "Type: message" and frames, "Caused by:", then
// the cause's.  fp1 read the wrapper only: one rescue wrapping two bugs was
// one issue; fp2 reads the chain and keys the root cause.
TEST(Fp2Ruby, RakeCausedByChain)
{
	Fixtures fx("ruby");
	auto r = fx.fp("rake_caused_by_column.txt");
	EXPECT_EQ(r.type, "ArgumentError");
	EXPECT_EQ(r.wrapper, "MigrationError");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "ruby:Rakefile::add_column");
	fx.expect_one_issue_apart_from("rake_caused_by_column.txt", "rake_caused_by_column_deploy2.txt",
	                               "rake_caused_by_index.txt");
	EXPECT_TRUE(fx.fp1_same("rake_caused_by_column.txt", "rake_caused_by_index.txt"));
}

// Django's layout: every app has its views.py (models.py, serializers.py,
// ...); Python's traceback prints a function's name only, so two apps'
// get_queryset() failing alike had one key ("views::get_queryset").  fp2
// names such a module with its package directory; other modules keep their
// own name (a top-level file's directory is the deploy's).
TEST(Fp2Python, PerPackageModuleNamedWithItsPackage)
{
	Fixtures fx("python");
	auto r = fx.fp("app_views_orders.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "python:orders.views::get_queryset");
	fx.expect_one_issue_apart_from("app_views_orders.txt", "app_views_orders_deploy2.txt", "app_views_invoices.txt");
	EXPECT_TRUE(fx.fp1_same("app_views_orders.txt", "app_views_invoices.txt"));
	// the directory of a module of another name is not part of its key
	Cancel c;
	auto top = [&](const char *dir) {
		std::string tb = std::string("Traceback (most recent call last):\n  File \"/") + dir +
		                 "/app.py\", line 3, in main\n    run()\nKeyError: 'x'\n";
		return compute_fingerprint("", "", tb, c, true, Algorithm::Fp2);
	};
	EXPECT_EQ(top("srv/shop").frames.at(0), "python:app::main");
	EXPECT_EQ(top("srv/shop").digest, top("opt/shop_v2").digest);
}

// A server's log line before an exception group's traceback (uvicorn logs
// every ASGI error as "ERROR:    Exception in ASGI application" and the
// traceback; Starlette's middleware runs the app in an anyio task group):
// fp1 and the first fp2 took the line for the first exception, which turned
// the group's order around (the group became its member's cause).  fp2 reads
// the order from the first traceback and drops what comes before it: the
// same key as the traceback alone.
TEST(Fp2Python, LogLineBeforeExceptionGroup)
{
	Fixtures fx("python");
	auto r = fx.fp("asgi_log_group_body.txt");
	EXPECT_EQ(r.type, "RuntimeError");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "python:server::send_body");
	EXPECT_EQ(r.digest, fx.fp("asgi_group_body_traceback.txt").digest);
	fx.expect_one_issue_apart_from("asgi_log_group_body.txt", "asgi_log_group_body_deploy2.txt",
	                               "asgi_log_group_headers.txt");
	EXPECT_EQ(fx.fp("asgi_log_group_body.txt", Algorithm::Fp1).type, "ExceptionGroup");
}

// A panic inside a dependency (serde_json from Debian's cargo registry):
// fp1 took every crate missing from its list of known libraries for the
// app — here serde_json's `<str as Index>::index_or_insert`, whose symbol
// does not start with the crate — so two app sites reaching the panic were
// one issue.  fp2 reads the dependency from its source path (cargo's
// registry, git checkouts, Debian's registry, vendor/); without a backtrace
// the panic's location is keyed by the crate, not by a path that moves
// between its versions.
TEST(Fp2Rust, DependencyCrateIsALibrary)
{
	Fixtures fx("rust");
	auto r = fx.fp("dep_panic_total.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "rust:fx_dep::set_total");
	fx.expect_one_issue_apart_from("dep_panic_total.txt", "dep_panic_total_deploy2.txt", "dep_panic_count.txt");
	EXPECT_TRUE(fx.fp1_same("dep_panic_total.txt", "dep_panic_count.txt"));
	auto nb = fx.fp("dep_panic_total_nobacktrace.txt");
	ASSERT_EQ(nb.frames.size(), 1u);
	EXPECT_EQ(nb.frames[0], "rust:crate:serde_json::<panic>");
	// the standard library's location, printed relative to the toolchain
	Cancel c;
	auto std_loc = compute_fingerprint("", "",
	                                   "thread 'main' panicked at library/std/src/sys/pal/unix/thread.rs:310:9:\n"
	                                   "failed to join thread\n",
	                                   c, true, Algorithm::Fp2);
	ASSERT_EQ(std_loc.frames.size(), 1u);
	EXPECT_EQ(std_loc.frames[0], "rust:std::<panic>");
}

// Python on Windows: the standard library lives in "<prefix>\Lib\" (the
// python.org installer's C:\Python313, the Store's
// PythonSoftwareFoundation.Python.3.12_...): fp1 took it for app code, so
// asyncio's taskgroups.py, contextlib.py or base_events.py were keyed like
// the app's own modules (and "taskgroups" like the app's taskgroups.py).
// fp2 reads them as the standard library, named as on Linux.
TEST(Fp2Pasted, PythonWindowsStandardLibrary)
{
	Fixtures fx("pasted");
	Cancel c;
	for (const char *file : {"python_windows_store_taskgroup.txt", "python_windows_store_gather.txt",
	                         "python_windows_fastapi_typeadapter.txt"}) {
		auto ps = errtrack::parse_stack(fx.stack(file), Lang::Unknown, c, Algorithm::Fp2);
		size_t stdlib = 0;
		for (const auto &e : ps.chain)
			for (const auto &f : e.frames) {
				if (f.file.find(':') != std::string::npos) {
					EXPECT_TRUE(f.in_app()) << file << ": " << f.file;  // "H:\projects\...": the app
				}
				if (f.module.rfind("asyncio.", 0) == 0 || f.module == "contextlib") {
					stdlib++;
					EXPECT_FALSE(f.in_app()) << file << ": " << f.module;
				}
			}
		EXPECT_GT(stdlib, 0u) << file;
		auto r = fx.fp(file);
		for (const auto &k : r.frames)
			EXPECT_TRUE(k.find("python:asyncio.") == std::string::npos && k.find("python:contextlib::") == std::string::npos &&
			            k.find("__aexit__") == std::string::npos)
				<< file << ": " << k;
	}
	EXPECT_EQ(fx.fp("python_windows_store_taskgroup.txt").frames.at(0), "python:taskgroups::run");
	// fp1 keyed asyncio's TaskGroup.__aexit__ as an app frame
	bool fp1_stdlib = false;
	for (const auto &k : fx.fp("python_windows_fastapi_typeadapter.txt", Algorithm::Fp1).frames)
		fp1_stdlib = fp1_stdlib || k.find("contextlib") != std::string::npos;
	EXPECT_TRUE(fp1_stdlib);
}

// kotlinx.coroutines' stack-trace recovery (debug mode, or -ea) throws a
// copy of the exception whose stack ends with a marker frame
// "_COROUTINE._BOUNDARY._" and the stack of the coroutine that awaited it;
// the original is its cause.  Production runs print neither: fp1 keyed the
// marker and the awaiting frames, so the bug had one issue per mode.  fp2
// keys what both print: the same key as the text without the recovered part.
TEST(Fp2Pasted, KotlinCoroutineRecoveredCopy)
{
	Fixtures fx("pasted");
	for (const char *file : {"kotlin_coroutine_recovery_edit_file.txt", "kotlin_coroutine_recovery_job.txt"}) {
		const std::string &text = fx.stack(file);
		// the production rendering: no marker, nor the frames after it
		std::string plain;
		bool skipping = false;
		for (size_t at = 0; at < text.size();) {
			size_t nl = text.find('\n', at);
			std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at + 1);
			at = nl == std::string::npos ? text.size() : nl + 1;
			if (line.find("_COROUTINE._BOUNDARY._") != std::string::npos)
				skipping = true;
			else if (line.rfind("Caused by: ", 0) == 0)
				skipping = false;
			if (!skipping)
				plain += line;
		}
		ASSERT_NE(plain, text) << file;
		Cancel c;
		auto r = fx.fp(file);
		EXPECT_EQ(r.digest, compute_fingerprint("", "", plain, c, false, Algorithm::Fp2).digest) << file;
		for (const auto &k : r.frames)
			EXPECT_EQ(k.find("_BOUNDARY"), std::string::npos) << file << ": " << k;
		// fp1 split the job's two renderings (the awaiting frame took a key slot)
		if (std::string(file) == "kotlin_coroutine_recovery_job.txt") {
			EXPECT_NE(fx.fp(file, Algorithm::Fp1).digest,
			          compute_fingerprint("", "", plain, c, false, Algorithm::Fp1).digest);
		}
	}
}

// Node's coded errors print their code after the name: err.stack starts with
// "Error [ERR_MODULE_NOT_FOUND]: Cannot find package ..." while err.name (the
// type a tracer sends) is "Error".  fp1 kept the code in the type: the stack
// alone and the typed event were two issues, and the generic "Error" lost
// its message.  fp2 types it by its name; the uncaught rendering (Node's
// preamble, the trailer) keys alike.
TEST(Fp2Node, CodedErrorTypeIsItsName)
{
	Fixtures fx("node");
	auto r = fx.fp("esm_missing_package_stack.txt");
	EXPECT_EQ(r.type, "Error");
	EXPECT_TRUE(r.message_used);
	EXPECT_EQ(r.digest, fx.fp("esm_missing_package_uncaught.txt").digest);
	fx.expect_one_issue_apart_from("esm_missing_package_stack.txt", "esm_missing_package_stack_deploy2.txt",
	                               "esm_missing_other_package_stack.txt");
	// as a tracer sends it: the type is err.name
	Cancel c;
	const std::string &stack = fx.stack("esm_missing_package_stack.txt");
	std::string message = stack.substr(stack.find(": ") + 2, stack.find('\n') - stack.find(": ") - 2);
	EXPECT_EQ(compute_fingerprint("Error", message, stack, c, false, Algorithm::Fp2).digest, r.digest);
	EXPECT_EQ(fx.fp("esm_missing_package_stack.txt", Algorithm::Fp1).type, "Error [ERR_MODULE_NOT_FOUND]");
	// only a code: "[object Object]"-like names stay
	auto odd = compute_fingerprint("", "", "Error [not a code]: x\n    at f (/srv/app/a.js:1:1)\n", c, true,
	                               Algorithm::Fp2);
	EXPECT_EQ(odd.type, "Error [not a code]");
}

// A Go deadlock ("fatal error: all goroutines are asleep - deadlock!"):
// goroutine 1 usually only waits for the others (wg.Wait in main); the bug
// is where the others block.  fp1 keyed goroutine 1 alone: every deadlock of
// the program was one issue.  fp2 keys the dump's goroutines together.
TEST(Fp2Go, DeadlockKeysEveryGoroutine)
{
	Fixtures fx("go");
	auto r = fx.fp("fatal_deadlock_transfer.txt");
	EXPECT_NE(std::find(r.frames.begin(), r.frames.end(), "go:main::transfer"), r.frames.end());
	fx.expect_one_issue_apart_from("fatal_deadlock_transfer.txt", "fatal_deadlock_transfer_deploy2.txt",
	                               "fatal_deadlock_publish.txt");
	EXPECT_TRUE(fx.fp1_same("fatal_deadlock_transfer.txt", "fatal_deadlock_publish.txt"));
	// another fatal error still keys the goroutine that reported it
	auto m = fx.fp("fatal_concurrent_map_writes.txt");
	EXPECT_EQ(m.frames, fx.fp("fatal_concurrent_map_writes.txt", Algorithm::Fp1).frames);
}

// One C++ program built by g++ and clang++ and caught by gdb and eu-stack
// (audit 8).  std::vector::at's range check reached from Route::leg and from
// Stock::level: fp1 keyed the standard library's frames on top (the two
// look-alikes were one issue); fp2 lets a frame of the C++ standard library
// give way to the app's frame that called it.  A function of an anonymous
// namespace: gdb prints "svc::(anonymous namespace)::read_balance", eu-stack
// -i (DWARF names) "read_balance"; fp2 keys the bare name.
TEST(Fp2Cpp, StdFramesAndAnonymousNamespaceAcrossToolchains)
{
	Fixtures fx("cpp");
	auto r = fx.fp("toolchain_route_range_gcc.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "native:svc::Route::leg");
	fx.expect_one_issue_apart_from("toolchain_route_range_gcc.txt", "toolchain_route_range_clang.txt",
	                               "toolchain_stock_range_gcc.txt");
	EXPECT_EQ(r.digest, fx.fp("toolchain_route_range_gcc_deploy2.txt").digest);
	EXPECT_TRUE(fx.fp1_same("toolchain_route_range_gcc.txt", "toolchain_stock_range_gcc.txt"));
	auto b = fx.fp("toolchain_balance_null_clang.txt");
	ASSERT_FALSE(b.frames.empty());
	EXPECT_EQ(b.frames[0], "native:::read_balance");
	EXPECT_EQ(b.digest, fx.fp("toolchain_balance_null_gcc_deploy2.txt").digest);
	EXPECT_EQ(b.digest, fx.fp("toolchain_balance_null_gcc_eustack.txt").digest);
	EXPECT_FALSE(fx.fp1_same("toolchain_balance_null_clang.txt", "toolchain_balance_null_gcc_eustack.txt"));
}

// No app frame: the key's frames are a library's, which every misuse of the
// library shares (two Django REST framework views whose get() lacks an
// argument raise TypeError in DRF's dispatch; two malformed documents raise
// JSONDecodeError in json's decoder).  fp1 left the message out (the type is
// specific): different errors were one issue.  fp2 keys the message
// template then; the same error in another document keys alike.
TEST(Fp2Python, NoAppFrameKeysTheMessage)
{
	Fixtures fx("python");
	auto r = fx.fp("stdlib_only_json_trailing_comma.txt");
	EXPECT_TRUE(r.message_used);
	EXPECT_NE(r.explain.find("(included: no app frame"), std::string::npos);
	fx.expect_one_issue_apart_from("stdlib_only_json_trailing_comma.txt", "stdlib_only_json_trailing_comma_2.txt",
	                               "stdlib_only_json_unterminated.txt");
	EXPECT_TRUE(fx.fp1_same("stdlib_only_json_trailing_comma.txt", "stdlib_only_json_unterminated.txt"));
	// with an app frame the site identifies the bug: the message stays out
	EXPECT_FALSE(fx.fp("keyerror_simple.txt").message_used);
}

// util.inspect prints an error's cause as "[cause]: ..." when it was given
// to the constructor and as "cause: ..." when it was assigned as a property
// (err.cause = e, as older libraries such as undici do).  fp1 read only the
// bracketed form: the same bug keyed two ways.
TEST(Fp2Node, CauseAssignedAsAProperty)
{
	Fixtures fx("node");
	auto r = fx.fp("inspect_cause_property_connect.txt");
	EXPECT_EQ(r.type, "Error");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "javascript:client::connect");
	EXPECT_EQ(r.digest, fx.fp("inspect_cause_option_connect.txt").digest);
	fx.expect_one_issue_apart_from("inspect_cause_property_connect.txt", "inspect_cause_property_connect_deploy2.txt",
	                               "inspect_cause_property_resolve.txt");
	EXPECT_FALSE(fx.fp1_same("inspect_cause_property_connect.txt", "inspect_cause_option_connect.txt"));
}

// A failed check reported by the program's own check_failed() before abort():
// gdb names the reporter, a SIGABRT handler's backtrace_symbols_fd cannot
// (a [[noreturn]] call's return address lies past its end), so fp1 keyed the
// two captures differently.  fp2 keys the reporter's caller, the site; the
// same check failing in another method is another issue.
TEST(Fp2Cpp, CheckReporterBeforeAbort)
{
	Fixtures fx("cpp");
	auto r = fx.fp("toolchain_check_post_gcc.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "native:svc::Ledger::post");
	fx.expect_one_issue_apart_from("toolchain_check_post_gcc.txt", "toolchain_check_post_clang_btsyms.txt",
	                               "toolchain_check_refund_gcc.txt");
	EXPECT_EQ(r.digest, fx.fp("toolchain_check_post_gcc_deploy2.txt").digest);
	EXPECT_FALSE(fx.fp1_same("toolchain_check_post_gcc.txt", "toolchain_check_post_clang_btsyms.txt"));
}

// An executable's top level ("bin/app:6:in `<main>'", bin/rails, exe/<gem>)
// starts every run of the program.  A gem failing while the program boots
// leaves it as the only app frame: fp1 keyed every boot error of a type alike
// (two gems' NameErrors one issue).  fp2 does not key it: with no app frame
// the gem's frames and the message are the key.
TEST(Fp2Ruby, ExecutableTopLevelIsNotASite)
{
	Fixtures fx("ruby");
	auto r = fx.fp("boot_gem_ledgerkit.txt");
	for (const auto &k : r.frames)
		EXPECT_EQ(k.find("<main>"), std::string::npos) << k;
	EXPECT_TRUE(r.message_used);
	fx.expect_one_issue_apart_from("boot_gem_ledgerkit.txt", "boot_gem_ledgerkit_deploy2.txt", "boot_gem_mailkit.txt");
	EXPECT_TRUE(fx.fp1_same("boot_gem_ledgerkit.txt", "boot_gem_mailkit.txt"));
	// a script's own top level outside bin/ is still its site
	Cancel c;
	auto script = compute_fingerprint("", "", "/srv/jobs/nightly.rb:3:in `<main>': boom (RuntimeError)\n", c, true,
	                                  Algorithm::Fp2);
	ASSERT_FALSE(script.frames.empty());
	EXPECT_NE(script.frames[0].find("<main>"), std::string::npos);
}

// Rule 0's recogniser, line by line: the prefixes log collectors put on every
// line, and the frame lines of every runtime that must not be taken for one.
TEST(Preclean, LogPrefixRecogniser)
{
	using errtrack::log_prefix;
	struct Case {
		const char *line;
		const char *rest;  // the line after the prefix and one blank
	};
	const Case prefixed[] = {
	    {"A 2019-09-25T21:02:02.537223113Z fail: Microsoft.AspNetCore.Server.Kestrel[0]", "fail: Microsoft.AspNetCore.Server.Kestrel[0]"},
	    {"2024-01-02T03:04:05.123456789Z stdout F \tat a.B.c(B.java:4)", "\tat a.B.c(B.java:4)"},
	    {"2024-05-29 07:41:19.0617 java.lang.X: boom", "java.lang.X: boom"},
	    {"[2024-05-29T07:41:19.061Z] Traceback (most recent call last):", "Traceback (most recent call last):"},
	    {"19:37:50  \tat java.base/java.lang.Thread.run(Thread.java:1583)", " \tat java.base/java.lang.Thread.run(Thread.java:1583)"},
	    {"Oct 09 16:30:01 ip-172-31-11-160 bash[893764]:         from /app/x.rb:1:in 'y'", "        from /app/x.rb:1:in 'y'"},
	    {"03-15 12:34:56.789  1234  1240 E AndroidRuntime: FATAL EXCEPTION: main", "FATAL EXCEPTION: main"},
	    {"2021-03-01 12:34:56.789 7419-7419/org.mozilla.focus E/AndroidRuntime: \tat a.B.c(B.java:4)", "\tat a.B.c(B.java:4)"},
	    {"E/AndroidRuntime( 7419): \tat a.B.c(B.java:4)", "\tat a.B.c(B.java:4)"},
	    {"                         E      at androidx.fragment.app.Fragment.requireContext(Fragment.java:805)",
	     "     at androidx.fragment.app.Fragment.requireContext(Fragment.java:805)"},
	    {"#9 10.19         File \"/x.py\", line 3, in main", "        File \"/x.py\", line 3, in main"},
	    {"# ~> \tfrom /opt/x.rb:25:in 'y'", "\tfrom /opt/x.rb:25:in 'y'"},
	    {"#goroutine 157 [running]:", "goroutine 157 [running]:"},
	    {"// at f (/srv/a.js:1:2)", "at f (/srv/a.js:1:2)"},
	    {">     at f (/srv/a.js:1:2)", "    at f (/srv/a.js:1:2)"},
	    {"web_1       |   File \"/app/x.py\", line 3, in f", "  File \"/app/x.py\", line 3, in f"},
	    {"api-1  | TypeError: boom", "TypeError: boom"},
	};
	for (const Case &c : prefixed) {
		std::string_view l = c.line;
		auto p = log_prefix(l);
		EXPECT_NE(p.kind, 0u) << c.line;
		size_t cut = p.end + std::min<size_t>(p.gap, 1);
		EXPECT_EQ(l.substr(std::min(cut, l.size())), c.rest) << c.line;
	}
	// every runtime's own lines: no prefix
	for (const char *l : {"java.lang.IllegalStateException: boom", "\tat a.B.c(B.java:4)", "Caused by: x.Y: z",
	                      "Traceback (most recent call last):", "  File \"/srv/app.py\", line 3, in main",
	                      "    at f (/srv/a.js:1:2)", "goroutine 1 [running]:", "\t/srv/main.go:12 +0x1d",
	                      "  10: core::panicking::panic_fmt", "   0: std::backtrace::Backtrace::create",
	                      "#0  0x00007f3b in raise () from /lib/libc.so.6", "#1 /var/www/x.php(3): f()",
	                      "    #0 0x4c1d in main /src/a.c:3:5", "==1234==    at 0x4C2: f (a.c:3)",
	                      "/srv/app.rb:3:in `x': boom (RuntimeError)", "A fatal error has occurred", "E",
	                      "Error: boom", "File \"x\"", "12:34 is the time", "2024-05-29", "I am", "#", "# A fatal error",
	                      "   at Shop.Api.Orders.Get() in /src/Orders.cs:line 4", "\tfrom /srv/x.rb:1:in `y'"}) {
		auto p = log_prefix(l);
		bool expect_none = std::string_view(l) != "2024-05-29" && std::string_view(l) != "#" &&
		                   std::string_view(l) != "# A fatal error" && std::string_view(l) != "E";
		if (expect_none) {
			EXPECT_EQ(p.kind, 0u) << l;
		}
	}
	// a stamp or marker alone is a prefix with nothing after it; a lone level letter too
	EXPECT_NE(log_prefix("2024-05-29").kind, 0u);
	EXPECT_NE(log_prefix("# A fatal error").kind, 0u);
}

// Rule 0 on real pastes: a log collector's prefix on every line (docker, Jenkins,
// journald, Android Studio's logcat, BuildKit, comment markers).  fp1 read
// them with the generic parser (every time stamp in a "frame"); fp2 reads
// each as its runtime and keys it as the text without the prefixes.
TEST(Fp2Pasted, LogCollectorPrefixes)
{
	Fixtures fx("pasted");
	struct Case {
		const char *file;
		const char *prefix;  // the collector's prefix (an ECMAScript regex)
		Lang lang;
	};
	const Case cases[] = {
	    {"log_docker_dotnet_argnull.txt", "^A \\S+Z ", Lang::DotNet},
	    {"log_logcat_focus_fragment.txt", "^ +E  ", Lang::Java},
	    {"log_jenkins_openj9_invocation.txt", "^\\d\\d:\\d\\d:\\d\\d  ", Lang::Java},
	    {"log_xmpfilter_ruby_gemload.txt", "^# ~> ", Lang::Ruby},
	    {"log_journald_ruby_zeitwerk.txt", "^\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\S+\\[\\d+\\]: ", Lang::Ruby},
	    {"log_comment_go_aggsender.txt", "^#", Lang::Go},
	    {"log_buildkit_python_pip.txt", "^#9 [\\d.]+ ", Lang::Python},
	    {"compose_django_debug_index.txt", "^app_1 +\\| ", Lang::Python},
	    {"compose_fastapi_asgi.txt", "^backend_1 +\\| ", Lang::Python},
	};
	Cancel c;
	for (const Case &k : cases) {
		const std::string &text = fx.stack(k.file);
		// the same text as the program printed it: the prefix cut by a regex, line by line
		std::regex re(k.prefix);
		std::string plain;
		size_t at = 0, cut = 0;
		while (at < text.size()) {
			size_t nl = text.find('\n', at);
			std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
			std::string stripped = std::regex_replace(line, re, "", std::regex_constants::format_first_only);
			cut += stripped.size() != line.size();
			plain += stripped + "\n";
			at = nl == std::string::npos ? text.size() : nl + 1;
		}
		EXPECT_GE(cut, 3u) << k.file;
		auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
		EXPECT_EQ(ps.lang, k.lang) << k.file;
		EXPECT_GT(ps.total_frames(), 2u) << k.file;
		auto r = fx.fp(k.file);
		EXPECT_EQ(r.digest, compute_fingerprint("", "", plain, c, false, Algorithm::Fp2).digest) << k.file;
		// fp1 (frozen) did not recognise the runtime
		EXPECT_EQ(errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp1).lang, Lang::Generic) << k.file;
	}
	// two different bugs stay apart
	EXPECT_NE(fx.fp("log_logcat_focus_fragment.txt").digest, fx.fp("log_jenkins_openj9_invocation.txt").digest);
	// a trace where only the first line is a log record keeps its lines
	auto one = errtrack::parse_stack("2024-05-29 07:41:19.061 ERROR boom\njava.lang.X: y\n\tat a.B.c(B.java:4)\n"
	                                 "\tat a.B.d(B.java:5)\n",
	                                 Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_FALSE(one.chain.empty());
	EXPECT_EQ(one.lang, Lang::Java);
}

// Rule 5 on Google Play Console's reports: "Exception T: m", frames
// "at a.B.m (B.java:N)" with a space before the parenthesis, and frames
// without a location.  fp1 took them for JavaScript (every frame an app
// frame); fp2 reads them as the JVM printed them on the device.
TEST(Fp2Pasted, PlayConsoleJvmFrames)
{
	Fixtures fx("pasted");
	Cancel c;
	for (const char *file : {"play_console_fragment_attach.txt", "play_console_treetracker_activity.txt",
	                         "play_console_orbot_inflater.txt"}) {
		const std::string &text = fx.stack(file);
		auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
		EXPECT_EQ(ps.lang, Lang::Java) << file;
		ASSERT_FALSE(ps.chain.empty()) << file;
		EXPECT_EQ(ps.chain[0].type, "java.lang.IllegalStateException") << file;
		EXPECT_NE(errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp1).lang, Lang::Java) << file;
		// the device's logcat prints the same crash without the space: one issue
		std::string device = std::regex_replace(text, std::regex("(\\n\\s+at \\S+) \\("), "$1(");
		device = std::regex_replace(device, std::regex("^Exception "), "");
		EXPECT_NE(device, text) << file;
		EXPECT_EQ(fx.fp(file).digest, compute_fingerprint("", "", device, c, false, Algorithm::Fp2).digest) << file;
	}
	auto orbot = fx.fp("play_console_orbot_inflater.txt");
	ASSERT_FALSE(orbot.frames.empty());
	EXPECT_NE(orbot.frames[0].find("AppManagerFragment::loadApps"), std::string::npos) << orbot.frames[0];
	// the framework's frames are a library: the three crashes are three issues
	EXPECT_NE(orbot.digest, fx.fp("play_console_treetracker_activity.txt").digest);
	EXPECT_NE(orbot.digest, fx.fp("play_console_fragment_attach.txt").digest);
	// a frame without location keeps its name
	auto attach = errtrack::parse_stack(fx.stack("play_console_fragment_attach.txt"), Lang::Unknown, c, Algorithm::Fp2);
	bool invoke = false;
	for (const auto &f : attach.chain.at(0).frames)
		invoke = invoke || (f.function == "invoke" && f.module == "java.lang.reflect.Method");
	EXPECT_TRUE(invoke || attach.chain[0].frames.size() >= 2);
	// Node's frames with a space before the parenthesis stay Node's
	auto node = errtrack::parse_stack("TypeError: x is not a function\n    at Object.run (/srv/a.js:1:2)\n"
	                                  "    at Module._compile (node:internal/modules/cjs/loader:1256:14)\n",
	                                  Lang::Unknown, c, Algorithm::Fp2);
	EXPECT_EQ(node.lang, Lang::Node);
}

// A Cython extension's frames ("yaml/_yaml.pyx": the relative path the
// extension was compiled from) are a library's compiled code: fp1 took them
// for the app's and keyed the parser's internals, one issue for every caller
// of the C loader.
TEST(Fp2Python, CythonExtensionIsALibrary)
{
	Fixtures fx("python");
	auto r = fx.fp("cython_yaml_settings.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "python:config::load_settings");
	for (const auto &k : r.frames)
		EXPECT_EQ(k.find("_yaml"), std::string::npos) << k;
	fx.expect_one_issue_apart_from("cython_yaml_settings.txt", "cython_yaml_settings_deploy2.txt", "cython_yaml_rules.txt");
	EXPECT_TRUE(fx.fp1_same("cython_yaml_settings.txt", "cython_yaml_rules.txt"));
	Cancel c;
	auto ps = errtrack::parse_stack(fx.stack("cython_yaml_settings.txt"), Lang::Unknown, c, Algorithm::Fp2);
	size_t pyx = 0;
	for (const auto &f : ps.chain.at(0).frames)
		if (f.file.find(".pyx") != std::string::npos) {
			pyx++;
			EXPECT_EQ(f.category, errtrack::Category::Library) << f.file;
			EXPECT_EQ(f.module, "yaml._yaml");
		}
	EXPECT_GE(pyx, 5u);
}

// Red Hat, Fedora and SUSE build Python with platlibdir "lib64": the standard
// library is /usr/lib64/python3.X/.  fp1 took it for the app's code (every
// subprocess FileNotFoundError of any script keyed by subprocess's own
// frames, and the same bug keyed apart on Debian's /usr/lib/python3.X).
TEST(Fp2Pasted, PythonLib64StandardLibrary)
{
	Fixtures fx("pasted");
	Cancel c;
	for (const char *file : {"python_rhel_lib64_clang_tidy.txt", "python_rhel_lib64_threadpool.txt"}) {
		const std::string &text = fx.stack(file);
		auto ps = errtrack::parse_stack(text, Lang::Unknown, c, Algorithm::Fp2);
		size_t stdlib = 0;
		for (const auto &e : ps.chain)
			for (const auto &f : e.frames)
				if (f.module.rfind("multiprocessing.", 0) == 0 || f.module == "subprocess") {
					stdlib++;
					EXPECT_NE(f.category, errtrack::Category::App) << file << ": " << f.module;
				}
		EXPECT_GE(stdlib, 2u) << file;
		// the same bug on a Debian layout: one issue
		std::string debian = std::regex_replace(text, std::regex("/usr/lib64/python"), "/usr/lib/python");
		EXPECT_EQ(fx.fp(file).digest, compute_fingerprint("", "", debian, c, false, Algorithm::Fp2).digest) << file;
		EXPECT_NE(fx.fp(file, Algorithm::Fp1).digest, compute_fingerprint("", "", debian, c, false, Algorithm::Fp1).digest)
		    << file;
	}
	auto r = fx.fp("python_rhel_lib64_clang_tidy.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "python:run-clang-tools::run_analysis");
}

// WordPress' own code (wp-includes/, wp-admin/) is a library to the site's
// plugins and its hook dispatch (WP_Hook, do_action, apply_filters)
// plumbing: fp1 keyed WP_Hook's frames, so every plugin's invalid callback
// was one issue (the message, which names the plugin's class, left out).
TEST(Fp2Pasted, WordPressCoreIsALibrary)
{
	Fixtures fx("pasted");
	Cancel c;
	auto hook = fx.fp("wordpress_hook_invalid_callback.txt");
	for (const auto &k : hook.frames)
		EXPECT_EQ(k.find("WP_Hook"), std::string::npos) << k;
	EXPECT_TRUE(hook.message_used);
	// another plugin's invalid callback is another issue; fp1 merged them
	std::string other = std::regex_replace(fx.stack("wordpress_hook_invalid_callback.txt"),
	                                       std::regex("LittleBizzy\\\\DashboardCleanup\\\\Cleanup\\\\Elements"),
	                                       "Acme\\Widgets\\Board");
	ASSERT_NE(other, fx.stack("wordpress_hook_invalid_callback.txt"));
	EXPECT_NE(hook.digest, compute_fingerprint("", "", other, c, false, Algorithm::Fp2).digest);
	EXPECT_EQ(fx.fp("wordpress_hook_invalid_callback.txt", Algorithm::Fp1).digest,
	          compute_fingerprint("", "", other, c, false, Algorithm::Fp1).digest);
	// a plugin's own frames are its key, WordPress' dispatch is not in it
	auto updater = fx.fp("wordpress_updater_in_array.txt");
	ASSERT_FALSE(updater.frames.empty());
	EXPECT_EQ(updater.frames[0], "php:Fragen\\GitHub_Updater\\Branch::set_branch_on_switch");
	for (const auto &k : updater.frames)
		EXPECT_EQ(k.find("WP_Hook"), std::string::npos) << k;
	auto ps = errtrack::parse_stack(fx.stack("wordpress_updater_in_array.txt"), Lang::Unknown, c, Algorithm::Fp2);
	for (const auto &f : ps.chain.at(0).frames)
		if (f.file.find("wp-includes/") != std::string::npos || f.file.find("wp-admin/") != std::string::npos) {
			EXPECT_NE(f.category, errtrack::Category::App) << f.file << " " << f.function;
		}
}

// F#'s compiler names a closure class after the line that defines it
// ("inner@170", "assemblies@2180-1") and F# Interactive each submission
// ("FSI_0016"); fp2 drops the numbers (fp1: a line inserted above a closure,
// or the next session, was another issue) and keys "<StartupCode$Asm>" code
// by its assembly (FSharp.Core's closures are a library's).
TEST(Fp2Pasted, FSharpLineNamedClosures)
{
	Fixtures fx("pasted");
	Cancel c;
	auto inner = fx.fp("fsharp_closure_host_inner.txt");
	ASSERT_FALSE(inner.frames.empty());
	EXPECT_EQ(inner.frames[0], "dotnet:ClientCore.$Host.inner@::Invoke");
	// the same closure after four lines were inserted above it
	std::string moved = std::regex_replace(fx.stack("fsharp_closure_host_inner.txt"), std::regex("inner@170"), "inner@174");
	moved = std::regex_replace(moved, std::regex("line 17([01])"), "line 17$1");
	ASSERT_NE(moved, fx.stack("fsharp_closure_host_inner.txt"));
	EXPECT_EQ(inner.digest, compute_fingerprint("", "", moved, c, false, Algorithm::Fp2).digest);
	EXPECT_NE(fx.fp("fsharp_closure_host_inner.txt", Algorithm::Fp1).digest,
	          compute_fingerprint("", "", moved, c, false, Algorithm::Fp1).digest);
	auto fsdocs = fx.fp("fsharp_fsdocs_xml_attribute.txt");
	ASSERT_FALSE(fsdocs.frames.empty());
	for (const auto &k : fsdocs.frames)
		EXPECT_FALSE(std::regex_search(k, std::regex("@[0-9]"))) << k;
	// F# Interactive: the submission's number goes, the two bugs stay two
	auto fsi = fx.fp("fsharp_fsi_submission_invalidop.txt");
	ASSERT_FALSE(fsi.frames.empty());
	EXPECT_EQ(fsi.frames[0], "dotnet:FSI.$FSI::main@");
	std::string later = std::regex_replace(fx.stack("fsharp_fsi_submission_invalidop.txt"), std::regex("FSI_0016"), "FSI_0042");
	ASSERT_NE(later, fx.stack("fsharp_fsi_submission_invalidop.txt"));
	EXPECT_EQ(fsi.digest, compute_fingerprint("", "", later, c, false, Algorithm::Fp2).digest);
	EXPECT_NE(fsi.digest, fx.fp("fsharp_fsi_submission_notsupported.txt").digest);
	// FSharp.Core's own closures: no app frame, the message joins the key
	auto core = errtrack::parse_stack(fx.stack("fsharp_core_async_nullref.txt"), Lang::Unknown, c, Algorithm::Fp2);
	for (const auto &f : core.chain.at(0).frames)
		EXPECT_NE(f.category, errtrack::Category::App) << f.module << "::" << f.function;
	EXPECT_TRUE(fx.fp("fsharp_core_async_nullref.txt").message_used);
}

// Unity's console frames, "Type:Method (args) (at Assets/X.cs:N)" and
// "Ns.Type.Method () (at ...)" (no "at ", a space before the arguments,
// nested types with '/'): fp1 read them with the generic parser (argument
// lists and "(at X.cs:)" in the key, the engine's frames the app's).  fp2
// reads them as .NET frames, the engine, the editor and Unity's packages
// libraries, Debug.Log and the coroutine trampoline plumbing.
TEST(Fp2Pasted, UnityConsoleFrames)
{
	Fixtures fx("pasted");
	Cancel c;
	for (const char *file : {"unity_missing_reference_pool.txt", "unity_package_debug_warning.txt",
	                         "unity_sprite_tiling_204.txt", "unity_coroutine_debug_log.txt",
	                         "unity_wrapped_location_torches.txt"}) {
		auto ps = errtrack::parse_stack(fx.stack(file), Lang::Unknown, c, Algorithm::Fp2);
		EXPECT_EQ(ps.lang, Lang::DotNet) << file;
		EXPECT_GE(ps.total_frames(), 1u) << file;
		for (const auto &e : ps.chain)
			for (const auto &f : e.frames) {
				if (f.module.rfind("UnityEngine", 0) == 0 || f.module.rfind("UnityEditor", 0) == 0) {
					EXPECT_NE(f.category, errtrack::Category::App) << file << ": " << f.module;
				}
				EXPECT_EQ(f.function.find('('), std::string::npos) << file << ": " << f.function;
			}
		EXPECT_NE(errtrack::parse_stack(fx.stack(file), Lang::Unknown, c, Algorithm::Fp1).lang, Lang::DotNet) << file;
	}
	auto pool = fx.fp("unity_missing_reference_pool.txt");
	const std::vector<std::string> keys = {"dotnet:MemoryPooling::Clear", "dotnet:MemoryPoolFactory::Clear",
	                                       "dotnet:MonsterManager::OnDestroy"};
	EXPECT_EQ(pool.frames, keys);
	// the same exception as a player build's log prints it (Mono's frames)
	std::string player = std::regex_replace(fx.stack("unity_missing_reference_pool.txt"),
	                                        std::regex("\\n(\\S+) (\\([^)]*\\))(?: \\(at ([^)]*)\\))?"),
	                                        "\n  at $1 $2 [0x00000] in $3");
	ASSERT_NE(player.find("  at MonsterManager.OnDestroy () [0x00000] in Assets/"), std::string::npos) << player;
	EXPECT_EQ(pool.digest, compute_fingerprint("", "", player, c, false, Algorithm::Fp2).digest);
	// one warning logged from two lines of one function: one issue
	EXPECT_EQ(fx.fp("unity_sprite_tiling_204.txt").digest, fx.fp("unity_sprite_tiling_210.txt").digest);
	EXPECT_NE(fx.fp("unity_sprite_tiling_204.txt").digest, fx.fp("unity_wrapped_location_torches.txt").digest);
	// a location wrapped onto the next line belongs to its frame
	auto wrapped = errtrack::parse_stack(fx.stack("unity_wrapped_location_torches.txt"), Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_GE(wrapped.chain.at(0).frames.size(), 3u);
	EXPECT_EQ(wrapped.chain[0].frames[0].function, "PlaceTorches");
	EXPECT_EQ(wrapped.chain[0].frames[0].file, "SpatialPlacer.cs");
	EXPECT_EQ(wrapped.chain[0].frames[0].line, 537);
	// Go's gin-style caller lines are no Unity frames
	EXPECT_NE(errtrack::parse_stack("runtime error: x\n/usr/local/go/src/runtime/panic.go:212 (0x44b459)\n"
	                                "/web/controller/user.go:70 (0x1032439)\n",
	                                Lang::Unknown, c, Algorithm::Fp2)
	              .lang,
	          Lang::DotNet);
}

// gin's Recovery middleware prints the request, the panic value and a stack
// of "/path/file.go:45 (0x65dc77)" lines with "\tfunction: source" under
// them: fp1 read it with the generic parser (the request line and Host
// header were the key: every panic of a route one issue).  fp2 reads it as
// Go's panic dump, the package from the path (GOPATH, module cache, GOROOT).
TEST(Fp2Go, GinRecoveryOutput)
{
	Fixtures fx("go");
	Cancel c;
	auto r = fx.fp("gin_order_total.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "go:acme.io/shop::orderTotal");
	EXPECT_EQ(r.frames.at(1), "go:acme.io/shop::getOrder");
	for (const char *same : {"gin_order_total_2.txt", "gin_order_total_deploy2.txt", "gin_order_total_release.txt"})
		EXPECT_EQ(r.digest, fx.fp(same).digest) << same;
	EXPECT_NE(r.digest, fx.fp("gin_invoice_total.txt").digest);
	EXPECT_EQ(errtrack::parse_stack(fx.stack("gin_order_total.txt"), Lang::Unknown, c, Algorithm::Fp1).lang, Lang::Generic);
	// gin's own frames (GOPATH of Debian's packages) are a library, the runtime plumbing
	auto ps = errtrack::parse_stack(fx.stack("gin_order_total.txt"), Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.lang, Lang::Go);
	for (const auto &f : ps.chain.at(0).frames) {
		if (f.module == "github.com/gin-gonic/gin") {
			EXPECT_EQ(f.category, errtrack::Category::Library) << f.function;
		}
		if (f.module == "runtime") {
			EXPECT_EQ(f.category, errtrack::Category::Plumbing) << f.function;
		}
	}
	// without the source files gin prints no function lines: the file's name stands for it
	std::string nosource = std::regex_replace(fx.stack("gin_order_total.txt"), std::regex("\\n\\t[^\\n]*"), "");
	ASSERT_EQ(nosource.find("\n\t"), std::string::npos);
	auto bare = errtrack::parse_stack(nosource, Lang::Unknown, c, Algorithm::Fp2);
	EXPECT_EQ(bare.lang, Lang::Go);
	ASSERT_FALSE(bare.chain.empty());
	ASSERT_GE(bare.chain[0].frames.size(), 3u);
	EXPECT_EQ(bare.chain[0].frames[0].function, "map_faststr");
	// the module cache's version and a path without GOPATH
	auto mod = errtrack::parse_stack("[Recovery] 2022/03/17 - 18:32:09 panic recovered:\nboom\n"
	                                 "/go/pkg/mod/github.com/gin-gonic/gin@v1.7.4/context.go:165 (0x9b11ba)\n"
	                                 "\t(*Context).Next: c.handlers[c.index](c)\n"
	                                 "/app/web/controller/user.go:70 (0x1032439)\n"
	                                 "\tGetImage: json.Unmarshal(resp.Img, &img)\n",
	                                 Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(mod.chain.at(0).frames.size(), 2u);
	EXPECT_EQ(mod.chain[0].frames[0].module, "github.com/gin-gonic/gin");
	EXPECT_EQ(mod.chain[0].frames[1].module, "_/controller");
	EXPECT_EQ(mod.chain[0].frames[1].category, errtrack::Category::App);
}

// Clojure's compiler numbers the classes of anonymous functions, top-level
// forms and protocol dispatch ("$fn__155", "$eval177", "$G__8173__8191"):
// a form added above renumbers them (fp1: another issue after that deploy).
// fp2 drops the numbers and takes invokeStatic/doInvoke for invoke (one
// function's two frames collapse).
TEST(Fp2Java, ClojureCompilerNumbers)
{
	Fixtures fx("java");
	auto r = fx.fp("clojure_invoice_npe.txt");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "java:s.orders$line_total::invoke");
	fx.expect_one_issue_apart_from("clojure_invoice_npe.txt", "clojure_invoice_npe_deploy2.txt", "clojure_ship_npe.txt");
	EXPECT_FALSE(fx.fp1_same("clojure_invoice_npe.txt", "clojure_invoice_npe_deploy2.txt"));
	for (const auto &k : r.frames) {
		EXPECT_FALSE(std::regex_search(k, std::regex("__[0-9]|eval[0-9]"))) << k;
		EXPECT_EQ(k.find("invokeStatic"), std::string::npos) << k;
	}
}

// scalac's "$adapted" bridge ("$anonfun$myApp$3$adapted") forwards to its
// method at the same line, and ZIO's and cats-effect's runtimes are
// libraries: fp1 keyed the bridge and ZIO's closures as the app's, three key
// slots for one line of the app's code.
TEST(Fp2Pasted, ScalaAdaptedBridgeAndEffectRuntimes)
{
	Fixtures fx("pasted");
	auto r = fx.fp("scala_zio_adapted_myapp.txt");
	const std::vector<std::string> keys = {"java:MainApp$::$anonfun$myApp"};
	EXPECT_EQ(r.frames, keys);
	auto spec = fx.fp("scala_zio_console_spec.txt");
	ASSERT_FALSE(spec.frames.empty());
	for (const auto &k : spec.frames)
		EXPECT_NE(k.rfind("java:z.", 0), 0u) << k;
	EXPECT_NE(fx.fp("scala_zio_console_spec.txt", Algorithm::Fp1).frames.at(0).rfind("java:z.", 0), std::string::npos);
}

// A workspace's crates panic at paths relative to the workspace root
// ("crates/api/src/lib.rs"): without a backtrace fp2 keys the whole path
// (app_relative_path kept "src/lib.rs": two crates' panics were one issue).
// `.unwrap()` on an anyhow error prints its report as the panic's message:
// still a panic, not a report (its location and frames were lost).
TEST(Fp2Rust, WorkspaceCrateAndUnwrappedAnyhowError)
{
	Fixtures fx("rust");
	auto api = fx.fp("workspace_api_panic.txt");
	ASSERT_FALSE(api.frames.empty());
	EXPECT_EQ(api.frames[0], "rust:crates/api/src/lib.rs::<panic>");
	fx.expect_one_issue_apart_from("workspace_api_panic.txt", "workspace_api_panic_deploy2.txt", "workspace_db_panic.txt");
	EXPECT_EQ(fx.fp("workspace_api_panic_backtrace.txt").frames.at(0), "rust:api::base_url");
	auto unwrap = fx.fp("unwrap_anyhow_reserve.txt");
	EXPECT_EQ(unwrap.type, "panic");
	ASSERT_FALSE(unwrap.frames.empty());
	EXPECT_EQ(unwrap.frames[0], "rust:src/main.rs::<panic>");
	auto bt = fx.fp("unwrap_anyhow_reserve_backtrace.txt");
	EXPECT_EQ(bt.type, "panic");
	ASSERT_FALSE(bt.frames.empty());
	EXPECT_EQ(bt.frames[0], "rust:fx_unwrap_anyhow::reserve");
	fx.expect_one_issue_apart_from("unwrap_anyhow_reserve_backtrace.txt", "unwrap_anyhow_reserve_deploy2_backtrace.txt",
	                               "unwrap_anyhow_restock_backtrace.txt");
	// the report's own "Caused by:" is part of the message, not a cause
	Cancel c;
	auto ps = errtrack::parse_stack(fx.stack("unwrap_anyhow_reserve.txt"), Lang::Unknown, c, Algorithm::Fp2);
	EXPECT_EQ(ps.lang, Lang::Rust);
	EXPECT_EQ(ps.chain.size(), 1u);
}

// LeakSanitizer's report: typed "memory-leak" (fp1: "detected", the first
// word of "detected memory leaks"), and an allocation made in main() itself
// keyed by main (fp1: main is every stack's outermost frame, plumbing: the key
// was the message alone, every program's leak in main one issue).
TEST(Fp2Cpp, LeakSanitizerReports)
{
	Fixtures fx("cpp");
	auto r = fx.fp("lsan_main_buffer_gcc.txt");
	EXPECT_EQ(r.type, "memory-leak");
	const std::vector<std::string> keys = {"native:::main"};
	EXPECT_EQ(r.frames, keys);
	EXPECT_EQ(r.digest, fx.fp("lsan_main_buffer_clang.txt").digest);
	EXPECT_EQ(r.digest, fx.fp("lsan_main_buffer_gcc_deploy2.txt").digest);
	EXPECT_EQ(fx.fp("lsan_main_buffer_gcc.txt", Algorithm::Fp1).type, "detected");
	EXPECT_TRUE(fx.fp("lsan_main_buffer_gcc.txt", Algorithm::Fp1).frames.empty());
	// a leak in a function is keyed by it (main stays plumbing below it)
	auto config = fx.fp("lsan_load_config_gcc.txt");
	const std::vector<std::string> config_keys = {"native:::load_config"};
	EXPECT_EQ(config.frames, config_keys);
	fx.expect_one_issue_apart_from("lsan_load_config_gcc.txt", "lsan_load_config_clang.txt", "lsan_open_session_gcc.txt");
	EXPECT_NE(r.digest, config.digest);
}

// A JavaScript frame whose name names nothing — Babel 6's compiled class
// methods ("value@bundle.js:70:11284": every method "value"), "anonymous",
// a minifier's one or two letters — is like Ruby's anonymous block: the
// message template joins the key (fp1: every TypeError in any class method
// of the bundle was one issue).
TEST(Fp2Pasted, NamelessJavaScriptFrames)
{
	Fixtures fx("pasted");
	Cancel c;
	const std::string &text = fx.stack("browser_firefox_babel_value.txt");
	auto a = compute_fingerprint("TypeError", "e is undefined", text, c, true, Algorithm::Fp2);
	auto b = compute_fingerprint("TypeError", "this.scene is null", text, c, true, Algorithm::Fp2);
	EXPECT_TRUE(a.message_used);
	EXPECT_NE(a.digest, b.digest);
	EXPECT_EQ(compute_fingerprint("TypeError", "e is undefined", text, c, false, Algorithm::Fp1).digest,
	          compute_fingerprint("TypeError", "this.scene is null", text, c, false, Algorithm::Fp1).digest);
	// a minified one-letter function too; a named one keeps the message out
	auto t = compute_fingerprint("TypeError", "x", "TypeError: x\n    at t (https://shop.example/main.js:1:2345)\n", c,
	                             true, Algorithm::Fp2);
	EXPECT_TRUE(t.message_used);
	auto named = compute_fingerprint("TypeError", "x", "TypeError: x\n    at renderCart (https://shop.example/main.js:1:2345)\n",
	                                 c, true, Algorithm::Fp2);
	EXPECT_FALSE(named.message_used);
}

// Monolog's LineFormatter (Laravel's laravel.log) logs an exception as
// '{"exception":"[object] (T(code: C): m at f:l)', "[stacktrace]", its frames
// and each "[previous exception] [object] (...)", JSON-escaped (class names
// with doubled backslashes): fp1 took the log line's date for the type
// (every event another issue) and keyed the escaped names.  fp2 reads it as
// PHP prints the chain, the previous exception the root cause.
TEST(Fp2Php, MonologLaravelLog)
{
	Fixtures fx("php");
	auto r = fx.fp("laravel_order_duplicate.txt");
	EXPECT_EQ(r.type, "PDOException");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "php:App\\Repositories\\OrderRepository::create");
	for (const char *same : {"laravel_order_duplicate_other.txt", "laravel_order_duplicate_deploy2.txt",
	                         "monolog_oneline_order_duplicate.txt"})
		EXPECT_EQ(r.digest, fx.fp(same).digest) << same;
	EXPECT_NE(r.digest, fx.fp("laravel_order_import_duplicate.txt").digest);
	EXPECT_FALSE(fx.fp1_same("laravel_order_duplicate.txt", "laravel_order_duplicate_other.txt"));
	EXPECT_EQ(fx.fp("laravel_order_duplicate.txt", Algorithm::Fp1).type.rfind("[2026-", 0), 0u);
	Cancel c;
	auto ps = errtrack::parse_stack(fx.stack("laravel_order_duplicate.txt"), Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "App\\Exceptions\\StorageException");
	EXPECT_EQ(ps.chain[1].type, "PDOException");
	EXPECT_EQ(ps.chain[1].role, errtrack::Role::Cause);
	// the default formatter logs no stack: the exceptions and their locations still are read
	auto bare = errtrack::parse_stack(fx.stack("monolog_default_order_duplicate.txt"), Lang::Unknown, c, Algorithm::Fp2);
	EXPECT_EQ(bare.lang, Lang::Php);
	EXPECT_EQ(bare.chain.size(), 2u);
}

// IPython's and Jupyter's tracebacks ("Cell In [5], line 2", "File
// /path/x.py:8, in f(args)", numbered source context, colours, %xmode
// Plain, print_exc's "<ipython-input-4-943c...>") and pytest's failure
// reports ("____ test ____", "path.py:17: in add", "E   KeyError: ...", long
// and short): fp1 read them with the generic parser (source lines and cell
// numbers in the key).  fp2 reads them as Python's traceback, a cell's code
// in the module "<cell>", a cell's top level an anonymous site.
TEST(Fp2Python, IPythonAndPytestTracebacks)
{
	Fixtures fx("python");
	auto q = fx.fp("ipython_parse_qty.txt");
	const std::vector<std::string> cell = {"python:<cell>::parse_qty"};
	EXPECT_EQ(q.frames, cell);
	EXPECT_EQ(q.type, "ValueError");
	for (const char *same : {"ipython_parse_qty_color.txt", "ipython_parse_qty_deploy2.txt", "ipython_parse_qty_plain.txt",
	                         "ipython_parse_qty_print_exc.txt"})
		EXPECT_EQ(q.digest, fx.fp(same).digest) << same;
	EXPECT_NE(q.digest, fx.fp("ipython_parse_price.txt").digest);
	fx.expect_one_issue_apart_from("ipython_module_order.txt", "ipython_module_order_deploy2.txt", "ipython_module_refund.txt");
	EXPECT_EQ(fx.fp("ipython_module_order.txt").digest, fx.fp("ipython_module_order_color.txt").digest);
	EXPECT_EQ(fx.fp("ipython_module_order.txt").frames.at(0), "python:orders::load_order");
	Cancel c1;
	EXPECT_EQ(errtrack::parse_stack(fx.stack("ipython_parse_qty.txt"), Lang::Unknown, c1, Algorithm::Fp1).lang, Lang::Generic);
	// pytest, long and short, two deploys: one issue; the look-alike another
	auto p = fx.fp("pytest_cart_add_long.txt");
	const std::vector<std::string> cart = {"python:cart::unit_price", "python:cart::add",
	                                       "python:test_cart::test_add_then_total"};
	EXPECT_EQ(p.frames, cart);
	for (const char *same : {"pytest_cart_add_short.txt", "pytest_cart_add_long_deploy2.txt", "pytest_cart_add_short_deploy2.txt"})
		EXPECT_EQ(p.digest, fx.fp(same).digest) << same;
	EXPECT_NE(p.digest, fx.fp("pytest_cart_reserve_long.txt").digest);
	EXPECT_EQ(fx.fp("pytest_cart_reserve_long.txt").digest, fx.fp("pytest_cart_reserve_short.txt").digest);
	// a cell's top level names no site: the message tells two errors apart
	Cancel c;
	const char *top = "---------------------------------------------------------------------------\n"
	                  "NameError                                 Traceback (most recent call last)\n"
	                  "Cell In [3], line 1\n----> 1 x = np.zeros(3)\n\n";
	auto np = compute_fingerprint("", "", std::string(top) + "NameError: name 'np' is not defined\n", c, true, Algorithm::Fp2);
	auto pd = compute_fingerprint("", "", std::string(top) + "NameError: name 'pd' is not defined\n", c, true, Algorithm::Fp2);
	EXPECT_TRUE(np.message_used);
	EXPECT_NE(np.digest, pd.digest);
}

// Android tombstones ("#00 pc 000000000005f400  /path (symbol+off) (BuildId:
// ..)", "signal 11 (SIGSEGV)", "Cause:" / "Abort message:"): fp1 keyed the
// object's path up to its first dot (every crash in one library one issue,
// the symbol ignored, the app's per-install "/data/app/~~<random>==/" in the
// key).  fp2 reads the symbol (a clone's ".llvm.N" dropped), the app's own
// objects are app code, the system's libraries.
TEST(Fp2Pasted, AndroidTombstones)
{
	Fixtures fx("pasted");
	Cancel c;
	auto composer = fx.fp("android_tombstone_composer_init.txt");
	EXPECT_EQ(composer.type, "SIGSEGV");
	const std::vector<std::string> keys = {"native:sdm::HWCSession::CreatePrimaryDisplay", "native:sdm::HWCSession::Init"};
	EXPECT_EQ(composer.frames, keys);
	// the same crash after a reinstall (new random directories): one issue
	const std::string &unity = fx.stack("android_tombstone_unity_il2cpp.txt");
	std::string reinstalled = std::regex_replace(unity, std::regex("~~[A-Za-z0-9_-]+=="), "~~Zk3T0pQx9yWv1aBc2dEf4g==");
	reinstalled = std::regex_replace(reinstalled, std::regex("games-[A-Za-z0-9_-]+=="), "games-Q1w2e3r4t5y6u7i8o9p0a==");
	ASSERT_NE(reinstalled, unity);
	EXPECT_EQ(fx.fp("android_tombstone_unity_il2cpp.txt").digest,
	          compute_fingerprint("", "", reinstalled, c, false, Algorithm::Fp2).digest);
	EXPECT_NE(fx.fp("android_tombstone_unity_il2cpp.txt", Algorithm::Fp1).digest,
	          compute_fingerprint("", "", reinstalled, c, false, Algorithm::Fp1).digest);
	auto ps = errtrack::parse_stack(unity, Lang::Unknown, c, Algorithm::Fp2);
	ASSERT_FALSE(ps.chain.at(0).frames.empty());
	EXPECT_EQ(ps.chain[0].frames[0].module, "libil2cpp.so");
	EXPECT_EQ(ps.chain[0].frames[0].category, errtrack::Category::App);
	// another crash in the same system library is another issue (fp1: one)
	const std::string &hwui = fx.stack("android_tombstone_hwui_descriptor.txt");
	auto h = fx.fp("android_tombstone_hwui_descriptor.txt");
	ASSERT_FALSE(h.frames.empty());
	EXPECT_EQ(h.frames[0], "native:SkDescriptor::addEntry");
	EXPECT_EQ(h.frames.at(1), "native:::generate_descriptor");
	std::string other = std::regex_replace(hwui, std::regex("\\(SkDescriptor::addEntry\\(unsigned int, unsigned long, void const\\*\\)\\+32\\)"),
	                                       "(android::uirenderer::RenderThread::threadLoop()+220)");
	ASSERT_NE(other, hwui);
	EXPECT_NE(h.digest, compute_fingerprint("", "", other, c, false, Algorithm::Fp2).digest);
	EXPECT_EQ(fx.fp("android_tombstone_hwui_descriptor.txt", Algorithm::Fp1).digest,
	          compute_fingerprint("", "", other, c, false, Algorithm::Fp1).digest);
	// the line forms: gdb's and AddressSanitizer's "#N 0x..." are no tombstone's
	EXPECT_FALSE(errtrack::tombstone_layout({"#0  0x00007f in raise () from /lib/libc.so.6"}));
	EXPECT_FALSE(errtrack::tombstone_layout({"    #0 0x4c1d in main /src/a.c:3:5"}));
	EXPECT_TRUE(errtrack::tombstone_layout({"    #01 pc 0000000000001234  /system/lib64/libc.so (abort+164)"}));
}

// A trait impl's frames name their type: "<impl serde::de::Deserialize for
// fx_serde::Limits>::deserialize" is Limits's (fp1 dropped the "<impl ...>":
// two types' derived Deserialize were one function, one issue), a derive
// macro's anonymous const block ("crate::_::") dropped; a process's C entry
// under RUST_BACKTRACE=full (macOS's "_main") is not app code.
TEST(Fp2Rust, ImplTypesAndProcessEntry)
{
	Fixtures fx("rust");
	auto r = fx.fp("serde_impl_limits.txt");
	ASSERT_GE(r.frames.size(), 2u);
	EXPECT_EQ(r.frames[0], "rust:fx_serde::parse_cents");
	EXPECT_EQ(r.frames[1].rfind("rust:fx_serde::Limits::deserialize", 0), 0u) << r.frames[1];
	fx.expect_one_issue_apart_from("serde_impl_limits.txt", "serde_impl_limits_deploy2.txt", "serde_impl_fees.txt");
	EXPECT_TRUE(fx.fp1_same("serde_impl_limits.txt", "serde_impl_fees.txt"));
	Cancel c;
	const std::string full = "thread 'main' panicked at src/main.rs:4:5:\nboom\nstack backtrace:\n"
	                         "   0: app::run\n             at ./src/main.rs:4:5\n"
	                         "   1: app::main\n             at ./src/main.rs:9:5\n"
	                         "   2: std::rt::lang_start::{{closure}}\n"
	                         "  29:        0x102f1bb38 - _main\n";
	auto mac = compute_fingerprint("", "", full, c, true, Algorithm::Fp2);
	for (const auto &k : mac.frames)
		EXPECT_EQ(k.find("_main"), std::string::npos) << k;
}

// PHP's fatal error flattened onto one line (display_errors' HTML copied from
// a browser, WordPress's recovery e-mail: "... Stack trace: #0 ... #1 ...
// thrown in ...") or inside nginx's error log ("FastCGI sent in stderr: \"PHP
// message: PHP Fatal error:  Uncaught ..." ... "\" while reading response
// header ..."): fp1 keyed the type and message alone, or took nginx's time
// stamp for the type.  fp2 reads PHP's lines out of them.
TEST(Fp2Pasted, PhpFlattenedAndNginxWrapped)
{
	Fixtures fx("pasted");
	Cancel c;
	const std::string &flat = fx.stack("php_flattened_display_errors.txt");
	auto r = fx.fp("php_flattened_display_errors.txt");
	EXPECT_EQ(r.type, "TypeError");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "php:Plausible\\Analytics\\WP\\Includes\\Filters::maybe_add_custom_params");
	// the same text as PHP's CLI prints it, a line per frame
	std::string lines = std::regex_replace(flat, std::regex(" (#[0-9]+ )"), "\n$1");
	lines = std::regex_replace(lines, std::regex(" Stack trace:\n"), "\nStack trace:\n");
	ASSERT_NE(lines.find("\n#1 "), std::string::npos);
	EXPECT_EQ(r.digest, compute_fingerprint("", "", lines, c, false, Algorithm::Fp2).digest);
	EXPECT_TRUE(fx.fp("php_flattened_display_errors.txt", Algorithm::Fp1).frames.empty());
	auto mail = fx.fp("php_flattened_recovery_mail.txt");
	EXPECT_EQ(mail.type, "TypeError");
	ASSERT_FALSE(mail.frames.empty());
	EXPECT_EQ(mail.frames[0], "php:Strong_Testimonials_Usage_Tracker::set_notification_time");
	auto nginx = fx.fp("php_nginx_fastcgi_stderr.txt");
	EXPECT_EQ(nginx.type, "TypeError");
	EXPECT_EQ(fx.fp("php_nginx_fastcgi_stderr.txt", Algorithm::Fp1).type.rfind("2024/02/06", 0), 0u);
	ASSERT_FALSE(nginx.frames.empty());
	EXPECT_EQ(nginx.frames[0], "php:Plausible\\Analytics\\WP\\Includes\\Helpers::get_filename");
	// the same plugin's look-alike in another file is another issue
	EXPECT_NE(r.digest, nginx.digest);
}

// React Native reports a JavaScript error through its Java bridge
// (com.facebook.react.common.JavascriptException, the JS error and its
// Hermes stack in the message): fp1 took the bridge for the app's code, so
// every React Native app's every JavaScript crash had one key.  fp2: the
// bridge is a library, and with no app frame the message joins the key.
TEST(Fp2Pasted, ReactNativeBridgeIsALibrary)
{
	Fixtures fx("pasted");
	Cancel c;
	const std::string &text = fx.stack("react_native_hermes_crashlytics.txt");
	auto r = fx.fp("react_native_hermes_crashlytics.txt");
	EXPECT_TRUE(r.message_used);
	std::string other = std::regex_replace(text, std::regex("TypeError: undefined is not a function"),
	                                       "ReferenceError: Property 'cart' doesn't exist");
	ASSERT_NE(other, text);
	EXPECT_NE(r.digest, compute_fingerprint("", "", other, c, false, Algorithm::Fp2).digest);
	EXPECT_EQ(fx.fp("react_native_hermes_crashlytics.txt", Algorithm::Fp1).digest,
	          compute_fingerprint("", "", other, c, false, Algorithm::Fp1).digest);
}

// A promise rejected with a value that is no Error: Node's
// UnhandledPromiseRejection says only "... The promise rejected with the
// reason \"<value>\"." (Node 20: with Node's own frames; Node 15-19:
// util.inspect's "[UnhandledPromiseRejection: ...] {" and a code property,
// no stack).  fp1 templated the value to "<str>" (every such rejection of
// every app one issue) and took the property line for a frame.  fp2 keys the
// value's template.
TEST(Fp2Node, UnhandledRejectionKeysTheRejectedValue)
{
	Fixtures fx("node");
	auto q = fx.fp("unhandled_rejection_quota.txt");
	EXPECT_EQ(q.type, "UnhandledPromiseRejection");
	EXPECT_TRUE(q.message_used);
	EXPECT_EQ(q.message_template, "quota exceeded for tenant <int>");
	fx.expect_one_issue_apart_from("unhandled_rejection_quota.txt", "unhandled_rejection_quota_deploy2.txt",
	                               "unhandled_rejection_plan.txt");
	EXPECT_TRUE(fx.fp1_same("unhandled_rejection_quota.txt", "unhandled_rejection_plan.txt"));
	Fixtures pasted("pasted");
	auto old = pasted.fp("node15_unhandled_rejection_bracketed.txt");
	EXPECT_EQ(old.type, "UnhandledPromiseRejection");
	EXPECT_TRUE(old.frames.empty());
	EXPECT_EQ(old.message_template, "secret error ccc");
	Cancel c;
	std::string other = std::regex_replace(pasted.stack("node15_unhandled_rejection_bracketed.txt"),
	                                       std::regex("secret error ccc"), "Error: payment declined");
	EXPECT_NE(old.digest, compute_fingerprint("", "", other, c, false, Algorithm::Fp2).digest);
}

// JavaScript runtimes' own code fp1 took for the app's: Node's core modules
// printed without "node:" (old Node, old Electron: "module.js"), Electron's
// asar archives, Deno's "ext:" modules, a Next.js server's precompiled
// runtime and the webpack runtime (__webpack_require__).  Two Electron apps'
// errors at their top level had one key, the module loader's.
TEST(Fp2Pasted, JavaScriptRuntimeInternals)
{
	Fixtures fx("pasted");
	auto main = fx.fp("electron_old_node_main_toplevel.txt");
	auto app = fx.fp("electron_old_node_application_toplevel.txt");
	ASSERT_FALSE(main.frames.empty());
	EXPECT_EQ(main.frames[0], "javascript:main::<module>");
	EXPECT_NE(main.digest, app.digest);
	EXPECT_EQ(fx.fp("electron_old_node_main_toplevel.txt", Algorithm::Fp1).frames.at(0), "javascript:module::Module._compile");
	for (const char *file : {"deno_test_ext_frames.txt", "nextjs_server_runtime_require.txt", "nextjs_webpack_runtime_eval.txt"}) {
		Cancel c;
		auto ps = errtrack::parse_stack(fx.stack(file), Lang::Unknown, c, Algorithm::Fp2);
		for (const auto &e : ps.chain)
			for (const auto &f : e.frames) {
				bool internal = f.file.rfind("ext:", 0) == 0 || f.module == "deno" || f.module == "next-server" ||
				                f.module == "webpack-runtime" || f.function.rfind("__webpack_require__", 0) == 0;
				if (internal) {
					EXPECT_NE(f.category, errtrack::Category::App) << file << ": " << f.module << "::" << f.function;
				}
			}
		for (const auto &k : fx.fp(file).frames) {
			EXPECT_EQ(k.find("__webpack_require__"), std::string::npos) << file << ": " << k;
			EXPECT_EQ(k.find("webpack-runtime"), std::string::npos) << file << ": " << k;
			EXPECT_EQ(k.find("01_core"), std::string::npos) << file << ": " << k;
		}
	}
}

// Xamarin / .NET MAUI on Android: the generated bindings (Android.*,
// AndroidX.*, Java.*, their n_* JNI marshallers) and Xamarin's mono.* Java
// runtime are libraries (fp1: app code, the key of every MAUI crash inside a
// Fragment's callbacks); Crashlytics' android.runtime.JavaProxyThrowable
// wrapping a .NET exception is that exception.
TEST(Fp2Pasted, XamarinMauiOnAndroid)
{
	Fixtures fx("pasted");
	Cancel c;
	auto ps = errtrack::parse_stack(fx.stack("maui_android_fragment_binding.txt"), Lang::Unknown, c, Algorithm::Fp2);
	size_t bindings = 0;
	for (const auto &e : ps.chain)
		for (const auto &f : e.frames)
			if (f.module.rfind("Android.", 0) == 0 || f.module.rfind("AndroidX.", 0) == 0 || f.module.rfind("Java.", 0) == 0) {
				bindings++;
				EXPECT_NE(f.category, errtrack::Category::App) << f.module << "::" << f.function;
			}
	EXPECT_GT(bindings, 0u);
	auto proxy = fx.fp("maui_crashlytics_javaproxythrowable.txt");
	EXPECT_EQ(proxy.type, "System.NullReferenceException");
	ASSERT_FALSE(proxy.frames.empty());
	EXPECT_NE(proxy.frames[0].find("ShellToolbarTracker::get_MauiContext"), std::string::npos) << proxy.frames[0];
	for (const auto &k : proxy.frames) {
		EXPECT_EQ(k.find("RunnableImplementor"), std::string::npos) << k;
	}
	EXPECT_EQ(fx.fp("maui_crashlytics_javaproxythrowable.txt", Algorithm::Fp1).type, "Fatal Exception");
}

// Rollbar prints a Ruby backtrace in Python's form ('File "app/views/x.erb",
// line 3, in render'), innermost first: fp1 read it as Python, outermost
// first, gems as app code — the key was ActionView's internals at the
// paste's bottom (every template error of an app one issue, one bug split by
// Rails version).  fp2 reads it as Ruby's.
TEST(Fp2Pasted, RollbarRubyBacktrace)
{
	Fixtures fx("pasted");
	auto a = fx.fp("rollbar_ruby_thumbnail_rails50.txt");
	EXPECT_EQ(a.type, "NameError");
	ASSERT_FALSE(a.frames.empty());
	EXPECT_NE(a.frames[0].find("app/views/cases/_thumbnail"), std::string::npos) << a.frames[0];
	fx.expect_one_issue_apart_from("rollbar_ruby_thumbnail_rails50.txt", "rollbar_ruby_thumbnail_rails42.txt",
	                               "rollbar_ruby_users_form.txt");
	EXPECT_TRUE(fx.fp1_same("rollbar_ruby_thumbnail_rails42.txt", "rollbar_ruby_users_form.txt"));
	Cancel c;
	EXPECT_EQ(errtrack::parse_stack(fx.stack("rollbar_ruby_users_form.txt"), Lang::Unknown, c, Algorithm::Fp2).lang,
	          Lang::Ruby);
}

// RSpec's failure report ("  1) ...", "Failure/Error: <source>", "Type:",
// the indented message, "# ./lib/x.rb:16:in `m'" lines): fp1 read it with
// the generic parser (the failing source line and the spec's block in the
// key).  fp2 reads the first failure as Ruby prints the exception; an
// expectation failure (no type line) is RSpec's ExpectationNotMetError.
TEST(Fp2Ruby, RSpecFailureReport)
{
	Fixtures fx("ruby");
	auto r = fx.fp("rspec_contact_email.txt");
	EXPECT_EQ(r.type, "NoMethodError");
	ASSERT_FALSE(r.frames.empty());
	EXPECT_EQ(r.frames[0], "ruby:lib/shop/order::contact_email");
	for (const char *same : {"rspec_contact_email_deploy2.txt", "rspec_contact_email_backtrace.txt"})
		EXPECT_EQ(r.digest, fx.fp(same).digest) << same;
	EXPECT_NE(r.digest, fx.fp("rspec_receipt_header.txt").digest);
	EXPECT_EQ(fx.fp("rspec_pricing_unknown_sku.txt").frames.at(0), "ruby:lib/shop/pricing::unit_price");
	EXPECT_EQ(fx.fp("rspec_order_total.txt").type, "RSpec::Expectations::ExpectationNotMetError");
	Cancel c;
	EXPECT_EQ(errtrack::parse_stack(fx.stack("rspec_contact_email.txt"), Lang::Unknown, c, Algorithm::Fp1).lang,
	          Lang::Generic);
}

// A logger's or framework's words before a JavaScript error on its header
// line — NestJS's "ERROR [ExceptionsHandler] ", Next.js's "⨯ ", Deno's
// "error: Uncaught (in promise) " — were the type in fp1 (with a time stamp
// and a pid in NestJS's full form: every event its own issue).  fp2's header
// starts at the first error type name followed by ": ".
TEST(Fp2Pasted, JavaScriptHeaderLogPrefix)
{
	Fixtures fx("pasted");
	Cancel c;
	for (const char *file : {"nest_exceptions_handler_prefix.txt", "nextjs_server_error_mark.txt", "deno_uncaught_in_promise.txt"}) {
		const std::string &text = fx.stack(file);
		auto r = fx.fp(file);
		EXPECT_EQ(r.type, "TypeError") << file;
		EXPECT_NE(fx.fp(file, Algorithm::Fp1).type, "TypeError") << file;
		// the same error as the runtime printed it
		std::string plain = std::regex_replace(text, std::regex("^[^\\n]*?(TypeError: )"), "$1",
		                                       std::regex_constants::format_first_only);
		ASSERT_NE(plain, text) << file;
		EXPECT_EQ(r.digest, compute_fingerprint("", "", plain, c, false, Algorithm::Fp2).digest) << file;
	}
	// a message holding "Name: " after a real type is left as it is
	auto wrapped = compute_fingerprint("", "", "Error: request failed: TypeError: x\n    at f (/srv/a.js:1:2)\n", c, true,
	                                   Algorithm::Fp2);
	EXPECT_EQ(wrapped.type, "Error");
}

// Laravel's console renderer (Collision: the type, the message, "at
// file:line", a code excerpt, "+39 vendor frames", numbered "N  file:line"
// frames with their call under them) and Symfony's text renderer ("Type:",
// the message, "at file:line", "at Class->method(args)" over "(file:line)"):
// fp1 read them as JavaScript ("at ..."), the argument values in the key.
// fp2 reads them as PHP prints its trace, the arguments dropped.
TEST(Fp2Pasted, PhpConsoleRenderers)
{
	Fixtures fx("pasted");
	Cancel c;
	auto laravel = errtrack::parse_stack(fx.stack("laravel_collision_query_exception.txt"), Lang::Unknown, c, Algorithm::Fp2);
	EXPECT_EQ(laravel.lang, Lang::Php);
	ASSERT_FALSE(laravel.chain.empty());
	EXPECT_EQ(laravel.chain[0].type, "Illuminate\\Database\\QueryException");
	EXPECT_EQ(errtrack::parse_stack(fx.stack("laravel_collision_query_exception.txt"), Lang::Unknown, c, Algorithm::Fp1).lang,
	          Lang::Node);
	const std::string &text = fx.stack("symfony_text_undefined_method.txt");
	auto symfony = fx.fp("symfony_text_undefined_method.txt");
	EXPECT_EQ(symfony.type, "Symfony\\Component\\ErrorHandler\\Error\\UndefinedMethodError");
	ASSERT_FALSE(symfony.frames.empty());
	EXPECT_EQ(symfony.frames[0], "php:ApiPlatform\\Core\\Action\\ExceptionAction::__invoke");
	// another request's argument values: the same issue (fp1: another)
	std::string other = std::regex_replace(text, std::regex("handleRaw\\(object\\(Request\\), 2\\)"), "handleRaw(object(Request), 1)");
	ASSERT_NE(other, text);
	EXPECT_EQ(symfony.digest, compute_fingerprint("", "", other, c, false, Algorithm::Fp2).digest);
	EXPECT_NE(fx.fp("symfony_text_undefined_method.txt", Algorithm::Fp1).digest,
	          compute_fingerprint("", "", other, c, false, Algorithm::Fp1).digest);
}

// webpack's chunk files as Create React App names them put the content hash
// before ".chunk.js" (orders.b2661f95.chunk.js): fp1 and fp2 kept it in the
// module, so every deploy of a web app was a new issue.  A real build run by
// Node 20 (test/fixtures/stacks/node/src/webpack), built twice.
TEST(Fp2Node, WebpackChunkContentHash)
{
	Fixtures fx("node");
	auto d1 = fx.fp("webpack_chunk_deploy1.txt");
	auto d2 = fx.fp("webpack_chunk_deploy2.txt");
	ASSERT_EQ(d1.frames.size(), 3u);
	EXPECT_EQ(d1.frames[0], "javascript:orders.chunk::lineTotal");
	EXPECT_EQ(d1.frames[2], "javascript:main::renderOrder");
	EXPECT_EQ(d1.digest, d2.digest);
	EXPECT_FALSE(fx.fp1_same("webpack_chunk_deploy1.txt", "webpack_chunk_deploy2.txt"));
	// only a hash goes: names, other suffixes and hash-less chunks stay
	EXPECT_EQ(errtrack::strip_content_hash("orders.b2661f95.chunk.js", true), "orders.chunk.js");
	EXPECT_EQ(errtrack::strip_content_hash("vendors~main.1b2c3d4e.chunk.js", true), "vendors~main.chunk.js");
	EXPECT_EQ(errtrack::strip_content_hash("app.3f2a1b4c.min.js", true), "app.min.js");
	EXPECT_EQ(errtrack::strip_content_hash("orders.b2661f95.chunk.js", false), "orders.b2661f95.chunk.js");
	EXPECT_EQ(errtrack::strip_content_hash("jquery.ui.min.js", true), "jquery.ui.min.js");
	EXPECT_EQ(errtrack::strip_content_hash("orders.chunk.js", true), "orders.chunk.js");
	EXPECT_EQ(errtrack::strip_content_hash("2.chunk.js", true), "2.chunk.js");
}

// Rollup's (Vite's) chunk hashes are 8 base64url characters after "name-":
// about a third of them hold a '-' (orders-Cc-43FcK.js) or no digit
// (orders-ZvEUeeHT.js), which fp1's rule took for part of the name: those
// deploys were new issues.  Real Vite 5 SSR builds run by Node 20
// (test/fixtures/stacks/node/src/vite).
TEST(Fp2Node, RollupChunkHash)
{
	Fixtures fx("node");
	auto d1 = fx.fp("vite_chunk_deploy1.txt");
	auto d2 = fx.fp("vite_chunk_deploy2.txt");
	ASSERT_EQ(d1.frames.size(), 3u);
	EXPECT_EQ(d1.frames[0], "javascript:orders::lineTotal");
	EXPECT_EQ(d1.digest, d2.digest);
	EXPECT_FALSE(fx.fp1_same("vite_chunk_deploy1.txt", "vite_chunk_deploy2.txt"));
	// every hash twelve real builds of the chunk got
	for (const char *h : {"B39DSUGU", "6c7tkYnx", "B8Y2Myum", "lJ3YI8zU", "CHMrz9hT", "ZvEUeeHT", "B0mzvqhs",
	                      "BGjEfvuJ", "Cc-43FcK", "D5ir2Irr", "uCP8uwdD"})
		EXPECT_EQ(errtrack::strip_content_hash(std::string("orders-") + h + ".js", true), "orders.js") << h;
	// names are not hashes: kebab-case, one or two capitals, too short or too long
	for (const char *n : {"shop-api-user.js", "user-Settings.js", "cart-ItemList.js", "date-fns.js",
	                      "my-component.js", "orders-Ab-cd.js", "vue-router.esm-bundler.js"})
		EXPECT_EQ(errtrack::strip_content_hash(n, true), n) << n;
}
