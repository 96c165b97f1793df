// fingerprint.cpp — algorithms fp1 and fp2 (see README "Fingerprint algorithm").
//
// Measured on the labelled data (docs/grouping-quality.md): the wrapper type,
// the wrapping-site frame and the boundary library frame of grouping.md's
// proposal split human-labelled duplicates more than they separated bugs, so
// they are reported by explain but not hashed.
//
//  1. Parse the stack into an exception chain (parsers.cpp).
//  2. Primary exception P = the deepest cause with an in-app frame, else the
//     deepest cause; outer O = the reported exception.  Roles, not positions.
//  3. Components, each length-prefixed into XXH3-128:
//       V  algorithm version ("fp1", "fp2")    T  normalised type of P
//       F  first K=3 distinct named in-app frame keys of P (leading throw
//          helpers skipped), filled outward through the chain
//       C  error codes (SQLSTATE, constraint, errno, HTTP, gRPC, signal)
//       M  message template — only for generic types or frame-less errors
//       N  mode: "stack" or "nostack"
#include <algorithm>

#include "fingerprint.hpp"
#include "message.hpp"
#include "parser.hpp"
#include "text.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

bool
in_list(std::string_view t, std::initializer_list<std::string_view> names)
{
	for (std::string_view n : names)  // (literal lengths known at compile time: no strlen)
		if (t == n)
			return true;
	return false;
}

bool
is_generic_wrapper(std::string_view t)
{
	return in_list(t, {"javax.servlet.ServletException", "jakarta.servlet.ServletException",
	                   "org.springframework.web.util.NestedServletException",
	                   "java.util.concurrent.ExecutionException", "java.util.concurrent.CompletionException",
	                   "java.lang.reflect.InvocationTargetException",
	                   "java.lang.reflect.UndeclaredThrowableException", "java.lang.RuntimeException",
	                   "java.lang.Exception", "System.AggregateException",
	                   "System.Reflection.TargetInvocationException", "System.TypeInitializationException",
	                   "AggregateError", "ActiveRecord::StatementInvalid", "Exception", "Error",
	                   "RuntimeError", "StandardError", "System.Exception"});
}

// Index of the first in-app frame of e, or -1.
int
first_app(const ExceptionInfo &e)
{
	for (size_t i = 0; i < e.frames.size(); i++)
		if (e.frames[i].in_app())
			return static_cast<int>(i);
	return -1;
}

struct Selection {
	const ExceptionInfo *outer = nullptr;
	const ExceptionInfo *primary = nullptr;
	std::vector<const ExceptionInfo *> main;  // non-suppressed, outermost first
	bool dump_chain = false;                  // fp2: primary chosen by the thread-dump rule
};

// A "chain" whose exceptions (three or more) all have the same type and no
// message is not a causal chain but a dump: one record per thread or sample
// (UI-freeze and watchdog reports).  Its deepest entry is whichever thread
// came last; the reported one is the first.  (fp2)
bool
is_dump_chain(const std::vector<const ExceptionInfo *> &main)
{
	if (main.size() < 3)
		return false;
	for (const ExceptionInfo *e : main)
		if (e->type != main.front()->type || !trim(e->message).empty())
			return false;
	return true;
}

Selection
select(const ParsedStack &ps, bool fp2 = false)
{
	Selection s;
	for (const auto &e : ps.chain)
		if (e.role != Role::Suppressed)
			s.main.push_back(&e);
	if (s.main.empty() && !ps.chain.empty())
		s.main.push_back(&ps.chain.front());
	if (s.main.empty())
		return s;
	s.outer = s.main.front();
	if (fp2 && is_dump_chain(s.main)) {
		for (const ExceptionInfo *e : s.main)
			if (first_app(*e) >= 0) {
				s.primary = e;
				s.dump_chain = true;
				return s;
			}
	}
	// deepest cause with an in-app frame
	for (auto it = s.main.rbegin(); it != s.main.rend(); ++it)
		if (first_app(**it) >= 0) {
			s.primary = *it;
			break;
		}
	if (!s.primary)
		s.primary = s.main.back();
	return s;
}

// Anonymous functions are named differently by every engine and compiler
// version (V8 "<anonymous>", SpiderMonkey "outer/<", JSC ""): they identify
// a site only when nothing named does.
bool
is_anonymous(const Frame &f)
{
	return f.function == "<anonymous>" || f.function == "<module>" || f.function.empty() || f.function == "??";
}

// Throw helpers: functions whose only job is to raise (error(), checkWidget(),
// assertValid(), throwIfNull(), ...).  Leading ones are skipped so the key
// starts at the caller that had the bug.  A prefix counts only as a whole
// word: "assert"/"assertArgs"/"assert_args" but not "assertion".
// A function name without its qualifier: "Widget.error" / "a::b::raise" -> "error" / "raise".
std::string_view
unqualified(std::string_view function)
{
	size_t dot = function.find_last_of(".:");
	return dot == std::string_view::npos ? function : function.substr(dot + 1);
}

bool
is_throw_helper(const std::string &function)
{
	std::string_view fn = unqualified(function);
	static const char *exact[] = {"error", "fail", "raise", "panic", "abort", "die", "bug"};
	for (const char *e : exact)
		if (fn == e)
			return true;
	// ("check*"/"ensure*"/"validate*" are left out: checkQuota() is usually
	// where the bug is, not a helper — measured on the fixtures' look-alikes.)
	static const char *prefixes[] = {"throw", "assert", "raise", "fail"};
	for (const char *p : prefixes) {
		size_t n = std::char_traits<char>::length(p);
		if (fn.size() >= n && fn.compare(0, n, p) == 0 &&
		    (fn.size() == n || fn[n] == '_' || (fn[n] >= 'A' && fn[n] <= 'Z')))
			return true;
	}
	return false;
}

bool
has_named_app_frame(const ExceptionInfo &e)
{
	for (const Frame &f : e.frames)
		if (f.in_app() && !is_anonymous(f))
			return true;
	return false;
}

// True when an in-app frame follows `f` (outward) in e: a helper is only
// skipped when there is a caller to key on instead.
bool
has_later_app_frame(const ExceptionInfo &e, const Frame &f)
{
	bool seen = false;
	for (const Frame &g : e.frames) {
		if (&g == &f)
			seen = true;
		else if (seen && g.in_app() && !is_throw_helper(g.function))
			return true;
	}
	return false;
}

void
add_frames(const ExceptionInfo &e, std::vector<std::string> &out, size_t k, bool app_only,
           bool skip_anonymous = false)
{
	for (const Frame &f : e.frames) {
		if (out.size() >= k)
			return;
		if (app_only ? !f.in_app() : (f.category == Category::Plumbing || f.category == Category::Generated))
			continue;
		if (skip_anonymous && is_anonymous(f))
			continue;
		if (app_only && out.empty() && is_throw_helper(f.function) && has_later_app_frame(e, f))
			continue;
		std::string key = f.key();
		if (std::find(out.begin(), out.end(), key) == out.end())
			out.push_back(std::move(key));
	}
}

// fp2: JVM class-loading machinery (ClassLoader.loadClass and the
// findClass/defineClass overrides of framework class loaders): like
// reflection, it says that a class was looked up, not who looked it up.
bool
is_class_loading(const Frame &f)
{
	if (f.lang != Lang::Java)
		return false;
	std::string_view fn = f.function;
	for (std::string_view p : {"loadClass", "findClass", "findLocalClass", "defineClass", "findLoadedClass"})
		if (starts_with(fn, p))
			return true;
	return false;
}

// fp2: a logging call.  "log", "logged", "logging", "log" + a capitalised
// word ("logError", "log_message"), or a level method ("error", "warn", ...)
// of a class whose name contains "log" (Logger.error, LogHelper.warn).
bool
is_logging_frame(const Frame &f)
{
	std::string_view fn = unqualified(f.function);
	if (fn == "log" || fn == "logged" || fn == "logging")
		return true;
	if (fn.size() > 3 && starts_with(fn, "log") && (fn[3] == '_' || (fn[3] >= 'A' && fn[3] <= 'Z')))
		return true;
	if (!in_list(fn, {"error", "warn", "warning", "info", "debug", "fatal", "severe", "trace"}))
		return false;
	std::string_view cls = f.module;
	size_t cdot = cls.find_last_of(".:\\/");
	if (cdot != std::string_view::npos)
		cls = cls.substr(cdot + 1);
	// "log" as a word: at the start ("logging", "Logger", "log4j") or
	// capitalised inside ("AppLogger", "SLF4JLog"); not "Dialog", "Catalog".
	if (cls.size() >= 3 && (cls[0] | 0x20) == 'l' && (cls[1] | 0x20) == 'o' && (cls[2] | 0x20) == 'g')
		return true;
	return cls.find("Log") != std::string_view::npos;
}

// fp2: a stack captured by a logging call.  An exception with a generic
// type and no message, created by a logger to record where it was called
// ("insertDebugStacktraceIfEmpty", new Throwable() in an appender), has the
// logging framework on top: those frames say how the log call was routed,
// not who logged.  The key then starts after the outermost logging frame of
// the leading logging region (logging frames at most kLogGap candidates
// apart, the first within kLogGap of the top); when nothing follows it, the
// frames stay as they are.
constexpr size_t kLogGap = 8;

size_t
logging_prefix(const std::vector<const Frame *> &cand)
{
	size_t cut = 0, last = 0;
	bool seen = false;
	for (size_t i = 0; i < cand.size(); i++) {
		if (!is_logging_frame(*cand[i]))
			continue;
		if (seen ? i - last > kLogGap : i > kLogGap)
			break;
		seen = true;
		last = i;
		cut = i + 1;
	}
	return cut < cand.size() ? cut : 0;
}

// The in-app frames the key is chosen from, innermost first, through the
// chain exs (primary first, then outward): anonymous frames left out when a
// named one exists, leading throw helpers skipped, and (fp2) JVM
// class-loading frames removed unless they are all there is.
std::vector<const Frame *>
app_candidates(const std::vector<const ExceptionInfo *> &exs, bool skip_anonymous, bool skip_class_loading,
               std::vector<bool> &library_before)
{
	std::vector<const Frame *> cand;
	std::vector<bool> &gap = library_before;  // a library / plumbing frame since the previous candidate
	gap.clear();
	cand.reserve(32);
	size_t class_loading = 0;
	for (const ExceptionInfo *e : exs) {
		bool library = false;
		for (const Frame &f : e->frames) {
			if (!f.in_app()) {
				library = true;
				continue;
			}
			if (skip_anonymous && is_anonymous(f))
				continue;
			if (cand.empty() && is_throw_helper(f.function) && has_later_app_frame(*e, f))
				continue;
			cand.push_back(&f);
			gap.push_back(library && cand.size() > 1);
			library = false;
			if (skip_class_loading && is_class_loading(f))
				class_loading++;
		}
	}
	// Class-loading frames leave the key, unless they are all there is.
	if (class_loading > 0 && class_loading < cand.size()) {
		size_t w = 0;
		for (size_t r = 0; r < cand.size(); r++) {
			if (is_class_loading(*cand[r])) {
				if (r + 1 < cand.size())
					gap[r + 1] = gap[r + 1] || gap[r];
				continue;
			}
			cand[w] = cand[r];
			gap[w] = gap[r];
			w++;
		}
		cand.resize(w);
		gap.resize(w);
	}
	return cand;
}

// The program's entry function: Go's main.main, C/C++/Rust main, Java/C#
// main/Main, Ruby <main>, PHP {main}.
bool
is_program_main(const Frame &f)
{
	return f.function == "main" || f.function == "Main" || f.function == "<main>" || f.function == "{main}";
}

// Frames of one file (or module) in a row are one step of the call path,
// named by where it was entered from outside: its outermost frame.  So a
// private helper inserted inside a file, or code moved between functions of
// one file, keeps the key; the throw site (innermost frame) always counts.
// Keys: the innermost candidate (the throw site), its caller when in the
// same file, the outermost frame of that first run, then the outermost frame
// of each following run, up to k.  (Measured: corpus F1 0.977 -> 0.989 with
// no look-alike merged; Eclipse 0.787 -> 0.784.)  all / library_before:
// app_candidates(); the key is made of all[from...].
// The unit of a frame: the class / module (several classes can share a C#
// or Java file).  Go's module is a whole package: a method's unit is its
// receiver type, a plain function's its file.  Rust likewise: the file.  A
// unit is the text p[0] + p[1] + p[2] (module "." receiver for a Go method,
// else one part), compared as that concatenation, never built.
struct Unit {
	std::string_view p[3];
	size_t size() const { return p[0].size() + p[1].size() + p[2].size(); }
	char at(size_t i) const
	{
		if (i < p[0].size())
			return p[0][i];
		i -= p[0].size();
		return i < p[1].size() ? p[1][i] : p[2][i - p[1].size()];
	}
	bool operator==(const Unit &o) const
	{
		if (size() != o.size())
			return false;
		if (p[1].empty() && o.p[1].empty())
			return p[0] == o.p[0];
		for (size_t i = 0, n = size(); i < n; i++)
			if (at(i) != o.at(i))
				return false;
		return true;
	}
	std::string text() const { return std::string(p[0]).append(p[1]).append(p[2]); }
};

Unit
unit_of(const Frame &f)
{
	if (f.lang == Lang::Go) {
		size_t close = f.function.find(").");
		if (!f.function.empty() && f.function[0] == '(' && close != std::string::npos)
			return {{f.module, ".", std::string_view(f.function).substr(0, close + 1)}};
		return {{f.file.empty() ? f.module : f.file, {}, {}}};
	}
	if (f.lang == Lang::Rust || f.module.empty())
		return {{f.file.empty() ? f.module : f.file, {}, {}}};
	return {{f.module, {}, {}}};
}

void
add_frames_by_run(const std::vector<const Frame *> &all, const std::vector<bool> &library_before, size_t from,
                  std::vector<std::string> &out, size_t k, bool fp2)
{
	const Frame *const *cand = all.data() + from;
	const size_t ncand = all.size() - from;
	std::vector<Unit> ids(ncand);
	for (size_t n = 0; n < ncand; n++)
		ids[n] = unit_of(*cand[n]);
	auto add = [&](const Frame *f) {
		if (out.size() >= k)
			return;
		std::string key = f->key();
		if (std::find(out.begin(), out.end(), key) == out.end())
			out.push_back(std::move(key));
	};
	size_t i = 0;
	bool first = true;
	while (i < ncand && out.size() < k) {
		size_t j = i;
		// fp2: a run is consecutive in the stack itself: where library frames
		// come between two frames of one unit (a handler called back through
		// net/http by the same type's middleware), a new run starts
		while (j + 1 < ncand && ids[j + 1] == ids[i] && !(fp2 && library_before[from + j + 1]))
			j++;
		if (first) {
			add(cand[i]);
			if (i + 1 <= j)
				add(cand[i + 1]);  // the throw site's caller in the same file
		}
		// fp2: a unit (past the throw site's) entered through the program's
		// main function is named by what main called: main names every path
		// of a program alike (two commands of a CLI calling one helper)
		if (fp2 && !first && j > i && is_program_main(*cand[j]))
			add(cand[j - 1]);
		else
			add(cand[j]);
		first = false;
		i = j + 1;
	}
}

// ---- native frame selection, rules of fp2 ----------------------------------
// (Measured on the Ubuntu gdb set: B3 F1 0.719 -> 0.774; corpus and Eclipse
// unchanged.)  fp1 keeps the add_frames() call.

// An unsymbolised frame in a known shared library: "?? () from
// /usr/lib/libfoo.so.1" (gdb), "libfoo.so.1(+0x1a2b) [0x...]"
// (backtrace_symbols), " 3# 0x... in /usr/lib/libfoo.so.1" (boost).  The
// parser keys it "libfoo.so::??" (version suffix dropped).  Unnamed frames
// of the executable itself say nothing and are not counted.
bool
is_unnamed_library_frame(const Frame &f)
{
	if (f.function != "??" || f.module.empty())
		return false;
	std::string_view m = f.module;
	return m.find(".so") != std::string_view::npos || ends_with(m, ".dylib") || ends_with(m, ".dll");
}

// Memory-allocator entry points and internals: where heap corruption is
// detected (free() of a bad pointer, malloc_printerr), not where it was
// caused, so every double free of a program would share them.
bool
is_allocator_frame(const Frame &f)
{
	return f.module.empty() &&
	       in_list(f.function, {"malloc", "free", "realloc", "calloc", "cfree", "_int_malloc", "_int_free",
	                            "_int_realloc", "malloc_consolidate", "malloc_printerr", "__libc_malloc", "__libc_free",
	                            "__libc_calloc", "__libc_realloc", "__malloc_assert", "g_free", "g_malloc", "g_malloc0",
	                            "g_realloc", "g_slice_alloc", "g_slice_alloc0", "g_slice_free1", "operator new",
	                            "operator delete", "operator new[]", "operator delete[]"});
}

// The machinery that reports an error: abort()/raise(), assert, C++
// terminate/throw, GLib logging, PostgreSQL elog.  (Entry plumbing such as
// main or start_thread is not.)
bool
is_error_reporting(const Frame &f)
{
	if (f.category != Category::Plumbing)
		return false;
	std::string full = f.module.empty() ? f.function : f.module + "::" + f.function;
	static constexpr std::string_view prefixes[] = {
		"abort", "raise", "gsignal", "__GI_", "__pthread_kill", "pthread_kill", "__assert", "__cxa_throw",
		"__cxa_rethrow", "__cxa_call_terminate", "std::terminate", "std::__terminate",
		"__gnu_cxx::__verbose_terminate_handler", "__cxxabiv1::", "_Unwind_", "__libc_message", "__fortify_fail",
		"__chk_fail", "__stack_chk_fail", "g_log", "g_assertion_message", "g_return_if_fail_warning",
		"__kernel_vsyscall", "_dl_sysinfo_int80", "ExceptionalCondition", "errfinish", "elog_finish"};
	for (std::string_view p : prefixes)
		if (starts_with(full, p))
			return true;
	return false;
}

// An unnamed frame whose next named frame outward is error-reporting
// machinery belongs to that machinery (libstdc++'s unsymbolised terminate
// handler between abort() and std::terminate(), libc's __assert_fail_base).
bool
inside_error_reporting(const ExceptionInfo &e, size_t i)
{
	for (size_t j = i + 1; j < e.frames.size(); j++)
		if (!is_anonymous(e.frames[j]))
			return is_error_reporting(e.frames[j]);
	return false;
}

// An unnamed frame of the C or C++ runtime library between error-reporting
// machinery (inward) and a named caller that keys the crash (outward, not
// an allocator: free() detecting a double free says nothing), with only
// more unnamed frames of that library around it: glibc's __assert_fail and
// __assert_fail_base, libstdc++'s terminate handler, as backtrace_symbols
// prints them ("libc.so.6(+0x34ec2)" right above "libc.so.6(abort+0xd3)"
// and "./app(_Z12validate_qtyi+0x39)").  The named caller keys the crash.
// (Unnamed runtime frames called from another unnamed library or through
// free() — glibc's malloc checks under libGL — stay: there they say what
// went wrong.  An unnamed frame of any other library calling abort() is that
// library's own check, and keys it.)  The scans are bounded by the parsers'
// frame cap (Limits::max_frames_per_exception).
bool
calls_error_reporting(const ExceptionInfo &e, size_t i)
{
	const std::string &m = e.frames[i].module;
	if (!(starts_with(m, "libc.so") || starts_with(m, "libc-") || starts_with(m, "libstdc++.so") ||
	      starts_with(m, "libc++abi.so")))
		return false;
	size_t j = i + 1;
	while (j < e.frames.size() && is_anonymous(e.frames[j]) && e.frames[j].module == m)
		j++;
	if (j == e.frames.size() || is_anonymous(e.frames[j]) || e.frames[j].category == Category::Plumbing ||
	    is_allocator_frame(e.frames[j]))
		return false;
	for (j = i; j-- > 0;) {
		if (!is_anonymous(e.frames[j]))
			return is_error_reporting(e.frames[j]);
		if (e.frames[j].module != m)
			return false;
	}
	return false;
}

// A stack printed by the program's own signal handler (a crash reporter's
// backtrace_symbols_fd in a SIGABRT/SIGSEGV handler): the frames inward of
// the signal's raise — the handler and the kernel's trampoline — are the
// reporter, not the bug.  Returns how many frames to skip: those before the
// innermost raise()/abort()/pthread_kill() frame (none when it is absent).
size_t
signal_handler_frames(const ExceptionInfo &e)
{
	for (size_t i = 0; i < e.frames.size(); i++) {
		const Frame &f = e.frames[i];
		if (f.module.empty() && (f.function == "raise" || f.function == "gsignal" || f.function == "abort" ||
		                         f.function == "pthread_kill" || starts_with(f.function, "__GI_raise") ||
		                         starts_with(f.function, "__GI_abort") || starts_with(f.function, "__pthread_kill")))
			return i;
	}
	return 0;
}

// A C++ lambda: gdb names it "operator()" with no scope, a demangled name
// says whose it is ("checkout::lambda"), backtrace_symbols cannot name it
// (a local symbol).
bool
is_lambda(const Frame &f)
{
	return f.function == "lambda" || (f.module.empty() && f.function == "operator()");
}

// Whether a named frame that would key the crash follows frame i outward.
bool
keyable_caller(const ExceptionInfo &e, size_t i)
{
	for (size_t j = i + 1; j < e.frames.size(); j++) {
		const Frame &g = e.frames[j];
		if (g.category != Category::Plumbing && g.category != Category::Generated && !is_allocator_frame(g) &&
		    !is_anonymous(g) && !is_lambda(g))
			return true;
	}
	return false;
}

// A frame of the C++ standard library's templates ("std::vector<T>::at",
// "__gnu_cxx::__normal_iterator<T>::operator++", libc++'s "std::__1::" /
// Chromium's "std::__Cr::"): where the app's call ended up, not a site.
bool
is_cxx_std_frame(const Frame &f)
{
	return starts_with(f.module, "std::") || f.module == "std" || starts_with(f.module, "__gnu_cxx::") ||
	       f.module == "__gnu_cxx";
}

// Whether the crash is an abort() or raise() the program called.
bool
aborts(const ExceptionInfo &e)
{
	for (size_t i = 0; i < e.frames.size() && i < 12; i++) {
		const std::string &fn = e.frames[i].function;
		if (e.frames[i].module.empty() && (fn == "abort" || fn == "raise" || fn == "gsignal" ||
		                                   starts_with(fn, "__GI_abort") || starts_with(fn, "__GI_raise")))
			return true;
	}
	return false;
}

// A program's own reporter of a failed check, called to abort: a throw
// helper's name (fail, die, panic, assert*, ...) or check_failed/CheckFailed,
// fatal/Fatal (as a word).
bool
is_native_reporter(const Frame &f)
{
	if (is_throw_helper(f.function))
		return true;
	std::string_view fn = unqualified(f.function);
	for (std::string_view p : {"check_fail", "CheckFail", "checkFail", "fatal", "Fatal"}) {
		if (fn.size() >= p.size() && fn.compare(0, p.size(), p) == 0 &&
		    (fn.size() == p.size() || fn[p.size()] == '_' || is_alpha(fn[p.size()])))
			return true;
	}
	return false;
}

// Whether a named frame outside the standard library follows frame i outward.
bool
keyable_non_std_caller(const ExceptionInfo &e, size_t i)
{
	for (size_t j = i + 1; j < e.frames.size(); j++) {
		const Frame &g = e.frames[j];
		if (g.category != Category::Plumbing && g.category != Category::Generated && !is_allocator_frame(g) &&
		    !is_anonymous(g) && !is_lambda(g) && !is_cxx_std_frame(g))
			return true;
	}
	return false;
}

// The constructor of an exception type ("inv::PriceError::PriceError",
// "db::QueryException<T>::QueryException"): a class named *Error or
// *Exception.  (A crash inside any other constructor is a site like any.)
bool
is_exception_constructor(const Frame &f)
{
	std::string_view cls = unqualified(f.module);
	size_t lt = cls.find('<');
	if (lt != std::string_view::npos)
		cls = cls.substr(0, lt);
	return !cls.empty() && cls == f.function && (ends_with(cls, "Error") || ends_with(cls, "Exception"));
}

// fp2 native key: the first k distinct frames that are not plumbing and not
// allocator internals.  Unnamed frames of a shared library count while no
// named frame has been taken: a crash inside an unsymbolised library is
// keyed by that library (and its caller) instead of by the caller and the
// caller's caller, which many unrelated crashes share.  Once a named frame
// is in the key, unnamed ones are skipped (an unsymbolised signal trampoline
// or callback glue between two named frames would otherwise take a slot).
// A lambda past the first frame is left out when a named frame follows:
// its enclosing function, usually that frame, names the site, and the
// three printers name a lambda three ways (is_lambda); so does a frame of the
// C++ standard library (is_cxx_std_frame) when a frame outside it follows.
// An exception type's
// constructor as the first frame is keyed but not counted among the k (the
// type captures its stack trace when constructed: every throw of it starts
// there).
void
add_native_frames(const ExceptionInfo &e, std::vector<std::string> &out, size_t k)
{
	bool named_taken = false;
	size_t counted = 0;
	for (size_t i = signal_handler_frames(e); i < e.frames.size() && counted < k; i++) {
		const Frame &f = e.frames[i];
		if (f.category == Category::Plumbing || f.category == Category::Generated || is_allocator_frame(f))
			continue;
		if (!out.empty() && is_lambda(f) && keyable_caller(e, i))
			continue;
		// a frame of the C++ standard library gives way to the app's frame
		// that called it (std::vector::at's range check keyed two look-alikes
		// alike; a stack overflow's innermost std iterator frame varies by run)
		if (is_cxx_std_frame(f) && keyable_non_std_caller(e, i))
			continue;
		// an assertion reporter called by the program to abort (its own
		// check_failed(), fatal(), die()): the frame that called it is the site
		if (out.empty() && aborts(e) && is_native_reporter(f) && keyable_caller(e, i))
			continue;
		if (is_anonymous(f)) {
			if (named_taken || !is_unnamed_library_frame(f) || inside_error_reporting(e, i) ||
			    calls_error_reporting(e, i))
				continue;
		} else {
			named_taken = true;
		}
		std::string key = f.key();
		if (std::find(out.begin(), out.end(), key) == out.end()) {
			if (!(out.empty() && is_exception_constructor(f)))
				counted++;
			out.push_back(std::move(key));
		}
	}
}

// A gdb back-trace in which no frame has a name or a library
// ("#0  0xb792bc40 in ?? ()"): ASLR moves code by whole pages, so the offset
// of a return address within its 4 KiB page is the same in every run of one
// build.  Keys: the first k non-null offsets ("native:@c40").
void
add_unsymbolised_offsets(std::string_view stack, std::vector<std::string> &out, size_t k, const Cancel &cancel)
{
	static constexpr char hexd[] = "0123456789abcdef";
	size_t pos = 0, lines = 0;
	while (pos < stack.size() && out.size() < k) {
		if ((++lines & 0x3FF) == 0)
			cancel.poll();
		size_t nl = stack.find('\n', pos);
		std::string_view line = trim(stack.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
		pos = nl == std::string_view::npos ? stack.size() : nl + 1;
		if (line.size() < 4 || line[0] != '#' || !is_digit(line[1]))
			continue;
		size_t i = 1;
		while (i < line.size() && is_digit(line[i]))
			i++;
		std::string_view rest = ltrim(line.substr(i));
		size_t in = rest.find(" in ?? ");
		if (!starts_with(rest, "0x") || in == std::string_view::npos || in < 3 || in > 18)
			continue;
		uint64_t v = 0;
		bool hex = true;
		for (char c : rest.substr(2, in - 2)) {
			hex = hex && is_hex(c);
			v = v * 16 + static_cast<uint64_t>(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
		}
		if (!hex || v == 0)  // 0x00000000: a call through a null pointer
			continue;
		unsigned off = static_cast<unsigned>(v & 0xfff);
		std::string key = "native:@";
		key.push_back(hexd[off >> 8]);
		key.push_back(hexd[(off >> 4) & 15]);
		key.push_back(hexd[off & 15]);
		out.push_back(std::move(key));
	}
}

}  // namespace

std::string
normalize_type(std::string_view type)
{
	std::string_view t = trim(type);
	if (starts_with(t, "Uncaught "))
		t = t.substr(9);
	if (starts_with(t, "builtins."))
		t = t.substr(9);
	if (starts_with(t, "exceptions."))
		t = t.substr(11);
	while (!t.empty() && t[0] == '\\')
		t = t.substr(1);
	if (!t.empty() && t.back() == ':')
		t = t.substr(0, t.size() - 1);
	std::string r;
	r.reserve(t.size());
	for (size_t i = 0; i < t.size(); i++) {
		char c = t[i];
		if (c == '`') {  // .NET generic arity: List`1
			while (i + 1 < t.size() && is_digit(t[i + 1]))
				i++;
			continue;
		}
		if (c == ' ' && i + 1 < t.size() && t[i + 1] == '(')  // " (0x80004005)" HRESULT
			break;
		r.push_back(c);
	}
	return r;
}

bool
is_generic_type(std::string_view t, Algorithm algorithm)
{
	if (t.empty())
		return true;
	if (algorithm >= Algorithm::Fp2 && in_list(t, {"Fatal error", "Parse error", "Warning", "fatal error", "Fatal Python error", "Timeout"}))
		return true;
	return in_list(
		t, {// Go
	        "*errors.errorString", "*fmt.wrapError", "*fmt.wrapErrors", "*errors.joinError", "*url.Error",
	        "*net.OpError", "*pgconn.PgError", "errors.errorString", "*errors.fundamental", "*errors.withStack",
	        "*errors.withMessage", "runtime.Error", "runtime.errorString", "panic",
	        // JavaScript
	        "Error", "AxiosError", "FetchError", "DatabaseError", "QueryFailedError", "AggregateError",
	        // Python
	        "Exception", "RuntimeError", "sqlalchemy.exc.DBAPIError", "sqlalchemy.exc.OperationalError",
	        "sqlalchemy.exc.ProgrammingError", "sqlalchemy.exc.IntegrityError", "requests.HTTPError",
	        "requests.exceptions.HTTPError", "psycopg2.Error", "psycopg.Error",
	        // Java
	        "java.lang.Exception", "java.lang.RuntimeException", "java.lang.Throwable", "java.lang.Error",
	        "org.postgresql.util.PSQLException", "java.sql.SQLException",
	        "org.springframework.dao.DataAccessException", "org.springframework.dao.DataIntegrityViolationException",
	        "jakarta.persistence.PersistenceException", "javax.persistence.PersistenceException",
	        "java.io.IOException", "java.io.UncheckedIOException",
	        // .NET
	        "System.Exception", "System.ApplicationException", "Npgsql.PostgresException", "Npgsql.NpgsqlException",
	        "Microsoft.EntityFrameworkCore.DbUpdateException", "System.Net.Http.HttpRequestException",
	        "System.InvalidOperationException",
	        // Ruby
	        "StandardError", "PG::Error", "ActiveRecord::StatementInvalid",
	        // PHP
	        "ErrorException", "PDOException", "Illuminate\\Database\\QueryException",
	        // Rust / C++
	        "std::runtime_error", "std::exception", "std::logic_error", "std::system_error"});
}

const char *
algorithm_name(Algorithm a)
{
	switch (a) {
	case Algorithm::Fp1: return "fp1";
	case Algorithm::Fp2: return "fp2";
	}
	return "fp?";
}

bool
algorithm_from_name(std::string_view name, Algorithm &out)
{
	for (Algorithm a : {Algorithm::Fp1, Algorithm::Fp2})
		if (name == algorithm_name(a)) {
			out = a;
			return true;
		}
	return false;
}

void
check_fingerprint_args(std::string_view type, std::string_view message, Algorithm algorithm)
{
	if (algorithm != Algorithm::Fp1 && algorithm != Algorithm::Fp2)
		throw Error(ErrorClass::InvalidInput, "unknown fingerprint algorithm");
	if (type.size() > Limits::max_input_bytes || message.size() > Limits::max_input_bytes)
		throw Error(ErrorClass::TooLarge, "error type or message too large");
}

namespace {

// fp2: the message of a Rust error report (anyhow / eyre, parse_rust.cpp:
// the only Rust chains).  Its contexts are the application's own words, one
// per call site that added one ("posting batch from 63 bytes", "decoding
// ledger batch"): they name the failed operation.  Its root cause is a
// library's error, whose text carries the input ('invalid type: string
// "12.50", expected i64' one day, 'invalid type: boolean `true`, ...' the
// next).  So the message is the contexts' first lines, outermost first,
// then the root cause's kind: its text up to the first ": " ("invalid
// type"), or all of it ("No such file or directory (os error 2)"), joined
// by ": " as anyhow's one-line form `{:#}` joins them.  The types are
// unknown (generic), so this message is always in the key.
std::string
report_message(const std::vector<ExceptionInfo> &chain)
{
	std::string m;
	for (size_t i = 0; i + 1 < chain.size(); i++) {
		std::string_view c = trim(chain[i].message);
		m.append(c.substr(0, c.find('\n')));
		m.append(": ");
	}
	std::string_view root = trim(chain.back().message);
	m.append(root.substr(0, root.find(": ")));
	return m;
}

// fp2: a wrapper's message that only points at its inner exception
// (.NET's "See the inner exception for details", "One or more errors
// occurred."), so the codes that tell its failures apart are the inner one's.
bool
points_to_inner(std::string_view m)
{
	m = trim(m);
	if (m.empty() || m.size() > 512)
		return false;
	return starts_with(m, "One or more errors occurred") || m.find("inner exception") != std::string_view::npos ||
	       m.find("Inner exception") != std::string_view::npos;
}

// fp2: SQL Server names an unnamed constraint after its table and column
// with a suffix of eight hex digits that differs per database
// ("FK__Product__Supplie__2645B050"): the same constraint in another
// database is the same code.
void
strip_generated_constraint_suffix(std::string &code)
{
	if (!starts_with(code, "constraint:") || code.size() < 11 + 12)
		return;
	const size_t at = code.size() - 10;
	if (code[at] != '_' || code[at + 1] != '_')
		return;
	for (size_t k = at + 2; k < code.size(); k++)
		if (!(is_digit(code[k]) || (code[k] >= 'A' && code[k] <= 'F')))
			return;
	code.resize(at);
}

}  // namespace

namespace {

// The frames a key was chosen from, in stack order from its first frame
// (join_signature): the candidates the key took its frames from, each once,
// at most kJoinPathFrames.  `path_cut` likewise for the logging-cut key.
// `units` beside each: the frame's unit (join_unit), empty when unknown.
struct JoinPaths {
	std::vector<std::string> path, path_cut, units, units_cut;
};

constexpr size_t kJoinPathFrames = 8;

// The code unit a frame belongs to, for joins: the key's unit (unit_of).
// Empty when neither module nor file is known (an unnamed frame of an
// unknown library).
std::string
join_unit(const Frame &f)
{
	return unit_of(f).text();
}

void
add_path(const std::vector<const Frame *> &cand, size_t from, std::vector<std::string> &out,
         std::vector<std::string> &units)
{
	for (size_t i = from; i < cand.size() && out.size() < kJoinPathFrames; i++) {
		std::string key = cand[i]->key();
		if (std::find(out.begin(), out.end(), key) == out.end()) {
			out.push_back(std::move(key));
			units.push_back(join_unit(*cand[i]));
		}
	}
}

StackPart summarize(std::string_view stack, const Cancel &cancel, Algorithm algorithm, JoinPaths *paths);

}  // namespace

StackPart
summarize_stack(std::string_view stack, const Cancel &cancel, Algorithm algorithm)
{
	return summarize(stack, cancel, algorithm, nullptr);
}

namespace {

StackPart
summarize(std::string_view stack, const Cancel &cancel, Algorithm algorithm, JoinPaths *paths)
{
	check_fingerprint_args({}, {}, algorithm);
	const bool fp2 = algorithm == Algorithm::Fp2;
	StackPart sp;
	sp.algorithm = algorithm;
	ParsedStack ps;
	if (!trim(stack).empty())
		ps = parse_stack(stack, Lang::Unknown, cancel, algorithm);
	sp.lang = ps.lang;
	sp.exceptions = ps.chain.size();
	Selection sel = select(ps, fp2);
	sp.dump_chain = sel.dump_chain;
	sp.primary_is_outer = !sel.primary || sel.primary == sel.outer;
	if (sel.primary) {
		sp.primary_type = sel.primary->type;
		sp.primary_message = sel.primary->message;
		sp.primary_depth = sel.primary->depth;
		if (fp2 && sp.lang == Lang::Rust && ps.chain.size() > 1)
			sp.primary_message = report_message(ps.chain);
	}
	if (!sp.primary_is_outer)
		sp.outer_type = sel.outer->type;
	if (fp2 && sel.primary && points_to_inner(sp.primary_message)) {
		const ExceptionInfo *root = nullptr;
		for (const ExceptionInfo *e : sel.main)
			if (e->depth > sel.primary->depth && (!root || e->depth > root->depth))
				root = e;
		if (root)
			sp.cause_message.assign(trim(root->message).substr(0, 4096));
	}

	// Frames: K in-app frames of P, then filled outward.
	if (sel.primary && sp.lang == Lang::Native) {
		// Native crashes: whether a frame is "the app" cannot be told from a
		// gdb/ASan trace (system libraries are often the app's own code, and
		// symbolised and unsymbolised builds of one library disagree), so the
		// key is the first named non-plumbing frames, any category; unnamed
		// "??" frames only when nothing is named.
		if (fp2)
			add_native_frames(*sel.primary, sp.frames, kNativeFrames);
		else
			add_frames(*sel.primary, sp.frames, kNativeFrames, false, true);
		if (paths && !sp.frames.empty()) {
			add_native_frames(*sel.primary, paths->path, kJoinPathFrames);
			// (an exception constructor on top is taken but not counted: at
			// most kJoinPathFrames all the same)
			if (paths->path.size() > kJoinPathFrames)
				paths->path.resize(kJoinPathFrames);
			for (const std::string &key : paths->path) {
				auto f = std::find_if(sel.primary->frames.begin(), sel.primary->frames.end(),
				                      [&](const Frame &g) { return g.key() == key; });
				paths->units.push_back(f == sel.primary->frames.end() ? std::string() : join_unit(*f));
			}
		}
		if (sp.frames.empty())
			add_frames(*sel.primary, sp.frames, 1, false, false);
	} else if (sel.primary) {
		bool named = has_named_app_frame(*sel.primary);
		std::vector<const ExceptionInfo *> exs{sel.primary};
		for (auto it = sel.main.rbegin(); it != sel.main.rend(); ++it)
			if (*it != sel.primary && (*it)->depth < sel.primary->depth)
				exs.push_back(*it);
		std::vector<bool> library_before;
		std::vector<const Frame *> cand = app_candidates(exs, named, fp2, library_before);
		add_frames_by_run(cand, library_before, 0, sp.frames, kAppFrames, fp2);
		if (paths)
			add_path(cand, 0, paths->path, paths->units);
		// fp2, a logger-captured stack: the key as it is when the logging
		// prefix is cut (used when the event's type is generic and its
		// message empty, which only the event can tell).
		if (fp2) {
			size_t cut = logging_prefix(cand);
			if (cut > 0) {  // (candidates follow the cut: at least one key)
				add_frames_by_run(cand, library_before, cut, sp.frames_logging_cut, kAppFrames, fp2);
				if (paths)
					add_path(cand, cut, paths->path_cut, paths->units_cut);
			}
		}
		// Where the outer exception was raised (the wrapping site), when the
		// primary is a cause: the same root cause wrapped at another place
		// is another issue.
		if (!sp.primary_is_outer && sel.outer) {
			std::vector<std::string> o;
			add_frames(*sel.outer, o, 1, true, has_named_app_frame(*sel.outer));
			if (!o.empty())
				sp.outer_frame = o[0];
		}
		int fa = first_app(*sel.primary);
		if (fa > 0) {
			for (int i = fa - 1; i >= 0; i--) {
				const Frame &f = sel.primary->frames[i];
				if (f.category == Category::Library) {
					sp.api = f.key();
					break;
				}
				if (f.category == Category::App)
					break;
			}
		}
		// No in-app frame anywhere: the first two non-plumbing frames.
		if (sp.frames.empty()) {
			add_frames(*sel.primary, sp.frames, 2, false);
			sp.library_key = fp2 && !sp.frames.empty();
			if (paths)
				*paths = JoinPaths{};  // (a library's frames: never joined)
		}
	}
	// No named or library frame at all (and the generic parser's frames
	// would be raw addresses): the addresses' page offsets.
	if (fp2 && ((sp.lang == Lang::Native && sp.frames.empty()) || sp.lang == Lang::Generic)) {
		std::vector<std::string> offsets;
		add_unsymbolised_offsets(stack, offsets, kNativeFrames, cancel);
		if (!offsets.empty()) {
			sp.frames = std::move(offsets);
			sp.frames_logging_cut.clear();  // (the offsets replace both keys)
			if (paths)
				*paths = JoinPaths{};  // (addresses: never joined)
		}
	}
	return sp;
}

}  // namespace

namespace {

// What finish_fingerprint hashes, from the stack part and the event's type
// and message (one place for both the full result and the bare digest).
struct Components {
	std::string type;                                  // T
	const std::vector<std::string> *frames = nullptr;  // F (in the StackPart)
	std::vector<std::string> codes;                    // C
	bool message_used = false;
	std::string message_template;                      // M, when used
	bool logging_cut = false;                          // fp2: frames after the logger's
	bool anonymous_site = false;                       // fp2: message used, see below
	bool library_site = false;                         // fp2: message used, see below
};

// fp2: the key's first frame is a Ruby block in a class or file body ("block
// in <class:OrdersApp>": Sinatra / Grape routes, define_method bodies, RSpec
// examples, top-level blocks): every such block of a class has that name, so
// it does not identify the site and the message template joins the key.
// Likewise the top level of an IPython cell, and a JavaScript frame whose
// name names nothing: "value" (Babel's compiled class methods: every method
// of every class is "value"), "anonymous" / "<anonymous>" (a callback, a
// Function body), a minifier's one or two letters ("t", "Oe").
bool
is_anonymous_block_key(const std::string &key)
{
	// the top level of a notebook cell or an interactive session (every cell's)
	if (key == "python:<cell>::<module>")
		return true;
	if (key.rfind("javascript:", 0) == 0) {
		size_t sep = key.find("::", 11);
		if (sep == std::string::npos)
			return false;
		std::string_view fn = std::string_view(key).substr(sep + 2);
		if (fn == "value" || fn == "anonymous" || fn == "<anonymous>")
			return true;
		if (fn.empty() || fn.size() > 2)
			return false;
		for (char c : fn)
			if (!is_ident(c))
				return false;
		return true;
	}
	if (key.rfind("ruby:", 0) != 0)
		return false;
	size_t sep = key.find("::", 5);
	return sep != std::string::npos && key.compare(sep + 2, 10, "block in <") == 0;
}

// fp2: Node's UnhandledPromiseRejection (a promise rejected with a value
// that is no Error) says only "... The promise rejected with the reason
// \"<value>\".": the value is the message (fp1: the quoted value became
// "<str>" in the template, every such rejection of every app one issue).
std::string_view
rejection_reason(std::string_view type, std::string_view message)
{
	if (type != "UnhandledPromiseRejection")
		return message;
	static constexpr std::string_view kReason = "The promise rejected with the reason \"";
	size_t at = message.find(kReason);
	if (at == std::string_view::npos)
		return message;
	std::string_view r = message.substr(at + kReason.size());
	size_t end = r.rfind("\".");
	return end == std::string_view::npos ? r : r.substr(0, end);
}

// fp2: a JVM NullPointerException's helpful message (JEP 358, Java 14+) names
// the failed action — 'Cannot invoke "String.trim()"', 'Cannot read field
// "city"' — which tells two NPEs of one method apart; the "because ..." part
// names a variable by name or by slot (with or without -g) and is dropped.
// Returns the code component ("npe:<action>"), or empty.
std::string
npe_action_code(std::string_view type, std::string_view message)
{
	if (type != "java.lang.NullPointerException" && type != "NullPointerException")
		return {};
	std::string_view m = trim(message);
	m = m.substr(0, m.find('\n'));
	if (!starts_with(m, "Cannot "))
		return {};
	size_t because = m.find(" because ");
	m = rtrim(m.substr(0, because));
	if (m.size() > 256)
		m = m.substr(0, 256);
	return "npe:" + std::string(m);
}

Components
components(const StackPart &sp, std::string_view type_arg, std::string_view message_arg)
{
	check_fingerprint_args(type_arg, message_arg, sp.algorithm);
	Components c;
	std::string_view p_type, p_message;
	if (sp.primary_is_outer) {
		p_type = !trim(type_arg).empty() ? type_arg : std::string_view(sp.primary_type);
		p_message = !trim(message_arg).empty() ? message_arg : std::string_view(sp.primary_message);
	} else {
		p_type = sp.primary_type;
		p_message = sp.primary_message;
	}
	c.type = normalize_type(p_type);
	const bool generic = is_generic_type(c.type, sp.algorithm);
	const bool cut_logging =
		sp.algorithm == Algorithm::Fp2 && !sp.frames_logging_cut.empty() && generic && trim(p_message).empty();
	c.frames = cut_logging ? &sp.frames_logging_cut : &sp.frames;
	c.logging_cut = cut_logging;
	if (!sp.primary_is_outer && !trim(message_arg).empty()) {
		std::string codes_src(p_message);
		codes_src.push_back('\n');
		codes_src.append(message_arg.substr(0, 4096));
		c.codes = extract_codes(codes_src);
	} else {
		c.codes = extract_codes(p_message);
	}
	if (sp.algorithm == Algorithm::Fp2) {
		std::string npe = npe_action_code(c.type, p_message);
		if (!npe.empty())
			c.codes.push_back(std::move(npe));
		if (!sp.cause_message.empty())
			for (std::string &code : extract_codes(sp.cause_message))
				if (std::find(c.codes.begin(), c.codes.end(), code) == c.codes.end())
					c.codes.push_back(std::move(code));
		for (std::string &code : c.codes)
			strip_generated_constraint_suffix(code);
	}
	c.anonymous_site = sp.algorithm == Algorithm::Fp2 && !generic && !c.frames->empty() &&
	                   is_anonymous_block_key(c.frames->front());
	// fp2: with no app frame the key's frames are a library's, which every
	// misuse of it shares (two views' "get() missing 1 required positional
	// argument" raised in Django REST framework's dispatch): the message
	// tells them apart
	c.library_site = sp.algorithm == Algorithm::Fp2 && sp.library_key && !generic && !c.anonymous_site;
	c.message_used = c.frames->empty() || generic || c.anonymous_site || c.library_site;
	// The template is hashed only when used; explain prints it only then too.
	if (c.message_used)
		c.message_template = normalize_message(
			sp.algorithm == Algorithm::Fp2 ? rejection_reason(c.type, p_message) : p_message, p_type, sp.algorithm);
	return c;
}

Digest128
hash_components(const Components &c, Algorithm algorithm)
{
	Hasher h;
	h.add('V', algorithm_name(algorithm));
	h.add('N', c.frames->empty() ? "nostack" : "stack");
	h.add('T', c.type);
	for (const auto &f : *c.frames)
		h.add('F', f);
	for (const auto &code : c.codes)
		h.add('C', code);
	if (c.message_used)
		h.add('M', c.message_template);
	return h.digest();
}

}  // namespace

Digest128
finish_digest(const StackPart &sp, std::string_view type_arg, std::string_view message_arg)
{
	return hash_components(components(sp, type_arg, message_arg), sp.algorithm);
}

FingerprintResult
finish_fingerprint(const StackPart &sp, std::string_view type_arg, std::string_view message_arg,
                   bool want_explain)
{
	const Algorithm algorithm = sp.algorithm;
	Components c = components(sp, type_arg, message_arg);
	FingerprintResult r;
	r.digest = hash_components(c, algorithm);
	const bool logging_cut = c.logging_cut;
	const bool anonymous_site = c.anonymous_site;
	const bool library_site = c.library_site;
	r.lang = sp.lang;
	r.type = std::move(c.type);
	r.frames = *c.frames;
	r.has_frames = !r.frames.empty();
	r.codes = std::move(c.codes);
	r.message_used = c.message_used;
	r.message_template = std::move(c.message_template);
	r.outer_frame = sp.outer_frame;
	r.api = sp.api;
	const bool primary_is_outer = sp.primary_is_outer;
	if (!primary_is_outer) {
		// The reported exception's type, when it is not the primary: informational.
		std::string ot = normalize_type(!trim(type_arg).empty() ? type_arg : std::string_view(sp.outer_type));
		if (!ot.empty() && ot != r.type && !is_generic_wrapper(ot))
			r.wrapper = ot;
	}

	if (want_explain) {
		std::string &e = r.explain;
		e.append("algorithm: errtrack ").append(algorithm_name(algorithm)).append("\n");
		e.append("fingerprint: ").append(digest_to_uuid_text(r.digest)).append("\n");
		e.append("language: ").append(lang_name(r.lang));
		if (sp.exceptions == 0)
			e.append(" (no stack)");
		e.append("\n");
		e.append("exceptions: ").append(std::to_string(sp.exceptions));
		if (sp.dump_chain)
			e.append(" (a thread dump: same-type exceptions without messages; primary is the first with an in-app frame, at depth ")
				.append(std::to_string(sp.primary_depth)).append(")");
		else if (!primary_is_outer)
			e.append(" (primary is the root cause at depth ").append(std::to_string(sp.primary_depth)).append(")");
		e.append("\n");
		e.append("type: ").append(r.type.empty() ? "(none)" : r.type).append("\n");
		if (!r.wrapper.empty())
			e.append("wrapper: ").append(r.wrapper).append(" (informational, not hashed)\n");
		e.append(r.has_frames ? "frames:" : "frames: (none)");
		for (const auto &f : r.frames)
			e.append(" ").append(f);
		if (logging_cut)
			e.append(" (after the logging frames: a generic exception without a message, captured by a logger)");
		e.append("\n");
		if (!r.outer_frame.empty())
			e.append("outer frame: ").append(r.outer_frame).append(" (informational, not hashed)\n");
		if (!r.api.empty())
			e.append("api: ").append(r.api).append(" (informational, not hashed)\n");
		if (!r.codes.empty()) {
			e.append("codes:");
			for (const auto &c : r.codes)
				e.append(" ").append(c);
			e.append("\n");
		}
		if (r.message_used)
			e.append("message: ").append(r.message_template).append(
				!r.has_frames    ? " (included: no frames)"
				: anonymous_site ? " (included: the site is an anonymous block of a class or file body)"
				: library_site   ? " (included: no app frame, the frames are a library's)"
				                 : " (included: generic type)").append("\n");
		else
			e.append("message: (not included: type is specific and frames identify the site)\n");
	}
	return r;
}

FingerprintResult
compute_fingerprint(std::string_view type_arg, std::string_view message_arg, std::string_view stack,
                    const Cancel &cancel, bool want_explain, Algorithm algorithm)
{
	check_fingerprint_args(type_arg, message_arg, algorithm);
	return finish_fingerprint(summarize_stack(stack, cancel, algorithm), type_arg, message_arg, want_explain);
}

namespace {

int64_t
frame_hash(const std::string &key)
{
	Hasher h;
	h.add('J', key);
	Digest128 d = h.digest();
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | d[i];
	return (int64_t) v;
}

// `key` (n >= 2 frames) is `path`'s first n + 1 frames less one frame
// strictly inside the key, of its caller's unit: the stack of `path` is the
// stack of `key` with one frame inserted between two of its frames (an
// extracted helper, a new pass-through).
bool
within_one_insertion(const int64_t *key, size_t n, const int64_t *path, const int64_t *units, size_t np)
{
	// the key's last frame is the path's (n+1)th: the inserted frame lies
	// between the key's first and last frames (a key that is the path's
	// first n frames is a shorter stack, not a refactored one)
	if (n < 2 || np < n + 1 || path[0] != key[0] || path[n] != key[n - 1])
		return false;
	// the inserted frame: the first of the path's first n that the key skips
	size_t i = 0, inserted = n;
	for (size_t j = 0; j < n; j++) {
		if (i < n - 1 && path[j] == key[i])
			i++;
		else if (inserted == n)
			inserted = j;
		else
			return false;
	}
	// an extracted helper lives beside its caller: the inserted frame's unit
	// is its caller's (the next frame's), and known
	return inserted < n && units[inserted] != 0 && units[inserted] == units[inserted + 1];
}

}  // namespace

JoinSignature
join_signature(std::string_view type_arg, std::string_view message_arg, std::string_view stack,
               const Cancel &cancel, Algorithm algorithm)
{
	check_fingerprint_args(type_arg, message_arg, algorithm);
	JoinSignature sig;
	if (algorithm == Algorithm::Fp1)
		return sig;
	JoinPaths jp;
	StackPart sp = summarize(stack, cancel, algorithm, &jp);
	Components c = components(sp, type_arg, message_arg);
	const std::vector<std::string> &path = c.logging_cut ? jp.path_cut : jp.path;
	const std::vector<std::string> &units = c.logging_cut ? jp.units_cut : jp.units;
	const std::vector<std::string> &key = *c.frames;
	if (key.size() < 2 || path.empty() || path[0] != key[0])
		return sig;
	Hasher h;
	h.add('V', algorithm_name(algorithm));
	h.add('N', "join");
	h.add('T', c.type);
	h.add('F', key[0]);
	for (const auto &code : c.codes)
		h.add('C', code);
	if (c.message_used)
		h.add('M', c.message_template);
	sig.joinable = true;
	sig.anchor = h.digest();
	for (const auto &f : key)
		sig.key.push_back(frame_hash(f));
	for (const auto &f : path)
		sig.path.push_back(frame_hash(f));
	for (const auto &u : units)
		sig.units.push_back(u.empty() ? 0 : frame_hash(u));
	return sig;
}

bool
signatures_join(const JoinView &a, const JoinView &b)
{
	if (a.nkey == b.nkey && std::equal(a.key, a.key + a.nkey, b.key))
		return false;  // (one key: one fingerprint, nothing to join)
	return within_one_insertion(a.key, a.nkey, b.path, b.units, b.npath) ||
	       within_one_insertion(b.key, b.nkey, a.path, a.units, a.npath);
}

size_t
IssueJoiner::place(JoinSignature sig)
{
	size_t issue = issues_;
	if (sig.joinable) {
		auto view = [](const JoinSignature &j) {
			return JoinView{j.key.data(), j.key.size(), j.path.data(), j.units.data(), j.path.size()};
		};
		std::vector<Known> &known = by_anchor_[sig.anchor];
		for (size_t c = 0; c < known.size() && c < kCandidates; c++)
			if (known[c].issue < issue && signatures_join(view(known[c].sig), view(sig)))
				issue = known[c].issue;
		known.push_back(Known{issue, std::move(sig)});
	}
	if (issue == issues_)
		issues_++;
	return issue;
}

Digest128
custom_fingerprint(std::string_view value)
{
	std::string v;
	v.reserve(value.size());
	for (char c : trim(value)) {
		if (is_space(c)) {
			if (!v.empty() && v.back() != ' ')
				v.push_back(' ');
		} else {
			v.push_back(c);
		}
	}
	Hasher h;
	h.add('V', "fp1");  // custom fingerprints do not depend on the algorithm version
	h.add('N', "custom");
	h.add('U', v);
	return h.digest();
}

std::string
normalize_stack_text(std::string_view stack, const Cancel &cancel)
{
	ParsedStack ps = parse_stack(stack, Lang::Unknown, cancel);
	Selection sel = select(ps);
	std::string out;
	if (!sel.primary)
		return out;
	for (const Frame &f : sel.primary->frames) {
		if (f.category == Category::Plumbing || f.category == Category::Generated)
			continue;
		out.append(f.key());
		out.push_back('\n');
	}
	if (!out.empty())
		out.pop_back();
	return out;
}

}  // namespace errtrack
