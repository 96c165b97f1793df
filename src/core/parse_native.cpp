// parse_native.cpp — C / C++ backtraces: gdb "bt", glibc backtrace_symbols,
// boost::stacktrace / std::stacktrace, sanitizer (ASan/UBSan/TSan) reports.
//
//   #3  0x0000555555555161 in parse_header (p=0x0) at src/parse.c:41          gdb
//   #0  0x00007ffff7d401b4 in std::...::size() const () from /lib/.../libstdc++.so.6
//   ./prog(_ZN4shop11charge_cardERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE+0x52) [0x563981a2274f]
//    1# shop::parse_quantities(...)::{lambda(...)#1}::operator()(...) const at /src/fx.cpp:78
//   ==30153==ERROR: AddressSanitizer: heap-use-after-free on address 0x6040... at pc ...
//       #0 0x55f0d9b9fc80 in shop::use_after_free(int) /src/fx.cpp:61
//
// Function names are demangled (Itanium nested names, enough for keys),
// parameter lists, return types, cv/ref qualifiers, "[abi:cxx11]" tags and
// .cold/.part.N/.isra.N/.constprop.N suffixes dropped; template arguments
// become <T>; lambdas ({lambda(...)#1}, <lambda(...)>, $_0) become "lambda";
// std::__cxx11 / std::__1 inline namespaces are removed.  Module = the
// enclosing namespace/class; never a path.  "??" frames are dropped.
// Abort/raise/assert/throw/terminate helpers, libc start-up, sanitizer
// runtime and std::function/std::invoke glue are plumbing; std::, glibc and
// shared-library frames are library.  Sanitizer reports: only the first
// stack (the access), type = the finding ("heap-use-after-free").
#include <algorithm>
#include <cstring>
#include <vector>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using namespace putil;

// ---- minimal Itanium demangler (names only) --------------------------------

struct Demangler {
	std::string_view s;
	size_t i = 0;
	int budget = 4096;  // bounds work on hostile input

	bool number(size_t &n)
	{
		size_t st = i;
		n = 0;
		while (i < s.size() && is_digit(s[i]) && i - st < 6)
			n = n * 10 + static_cast<size_t>(s[i++] - '0');
		return i > st;
	}
	// Skips a template-args group starting at 'I' (approximate balance).
	void skip_template()
	{
		int depth = 0;
		while (i < s.size() && budget-- > 0) {
			char c = s[i];
			if (is_digit(c)) {
				size_t n;
				number(n);
				i += n;
				continue;
			}
			if (c == 'I' || c == 'N' || c == 'L' || c == 'X' || c == 'J')
				depth++;
			else if (c == 'E' && --depth == 0) {
				i++;
				return;
			}
			i++;
		}
	}
	std::string op_name()
	{
		static const struct {
			const char *code, *name;
		} ops[] = {{"cl", "operator()"}, {"ix", "operator[]"}, {"eq", "operator=="}, {"ne", "operator!="},
		           {"lt", "operator<"},  {"gt", "operator>"},  {"aS", "operator="},  {"pl", "operator+"},
		           {"mi", "operator-"},  {"ml", "operator*"},  {"dv", "operator/"},  {"ls", "operator<<"},
		           {"rs", "operator>>"}, {"nw", "operator new"}, {"dl", "operator delete"},
		           {"na", "operator new[]"}, {"da", "operator delete[]"}, {"pt", "operator->"},
		           {"cv", "operator cast"}};
		std::string_view c = s.substr(i, 2);
		for (const auto &o : ops)
			if (c == o.code) {
				i += 2;
				return o.name;
			}
		i += 2;
		return "operator";
	}
	// <unqualified-name> ; returns false when nothing recognised
	bool unqualified(std::string &out, std::string &last)
	{
		if (i >= s.size())
			return false;
		char c = s[i];
		if (is_digit(c)) {
			size_t n;
			number(n);
			std::string_view id = s.substr(i, n);
			i += n;
			if (starts_with(id, "_GLOBAL__N"))
				id = "(anonymous)";
			last.assign(id);
			out.append(id);
			return true;
		}
		if (c == 'C' && i + 1 < s.size() && is_digit(s[i + 1])) {
			i += 2;
			out.append(last);
			return true;
		}
		if (c == 'D' && i + 1 < s.size() && is_digit(s[i + 1])) {
			i += 2;
			out.append("~").append(last);
			return true;
		}
		if (c == 'U' && s.substr(i, 2) == "Ul") {  // lambda closure type
			while (i < s.size() && s[i] != 'E')
				i++;
			i++;
			while (i < s.size() && (is_digit(s[i]) || s[i] == '_'))
				i++;
			out.append("lambda");
			return true;
		}
		if (c >= 'a' && c <= 'z' && i + 1 < s.size()) {
			out.append(op_name());
			return true;
		}
		return false;
	}
	std::string run()
	{
		std::string out, last;
		if (!starts_with(s, "_Z"))
			return std::string(s);
		i = 2;
		if (i < s.size() && s[i] == 'L')
			i++;
		if (i < s.size() && s[i] == 'N') {
			i++;
			while (i < s.size() && (s[i] == 'K' || s[i] == 'V' || s[i] == 'r' || s[i] == 'R' || s[i] == 'O'))
				i++;
			bool first = true;
			while (i < s.size() && s[i] != 'E' && budget-- > 0) {
				if (s[i] == 'I') {
					skip_template();
					out.append("<T>");
					continue;
				}
				if (s.substr(i, 2) == "St") {
					i += 2;
					if (!first)
						out.append("::");
					out.append("std");
					first = false;
					continue;
				}
				if (s[i] == 'S') {  // substitution: S_, S0_, Sa, Ss...
					i++;
					while (i < s.size() && s[i] != '_' && !is_digit(s[i]) && is_alpha(s[i]) && false)
						i++;
					while (i < s.size() && s[i] != '_' && (is_digit(s[i]) || (s[i] >= 'A' && s[i] <= 'Z')))
						i++;
					if (i < s.size() && s[i] == '_')
						i++;
					else if (i < s.size())
						i++;
					continue;
				}
				if (!first)
					out.append("::");
				if (!unqualified(out, last))
					break;
				first = false;
			}
			return out;
		}
		if (s.substr(i, 2) == "St") {
			i += 2;
			out.append("std::");
		}
		if (!unqualified(out, last))
			return std::string(s);
		return out;
	}
};

std::string
demangle(std::string_view sym)
{
	Demangler d;
	d.s = sym;
	return d.run();
}

// ---- demangled-name normalisation -------------------------------------------

// Skips a balanced group starting at s[i] (one of "(<{[") ; returns index after it.
size_t
skip_group(std::string_view s, size_t i)
{
	char open = s[i];
	char close = open == '(' ? ')' : open == '<' ? '>' : open == '{' ? '}' : ']';
	int depth = 0;
	for (; i < s.size(); i++) {
		char c = s[i];
		if (c == '(' || c == '<' || c == '{' || c == '[') {
			if (c == open || open == '<' || open == '(' || open == '{')
				depth += (c == open) ? 1 : 0;
		}
		if (c == open)
			;
		else if (c == close) {
			if (--depth == 0)
				return i + 1;
		}
	}
	return s.size();
}

std::string
normalize_cpp(std::string_view name)
{
	name = trim(name);
	std::string out;
	size_t i = 0;
	while (i < name.size()) {
		char c = name[i];
		if (starts_with(name.substr(i), "operator") &&
		    (out.empty() || ends_with(out, "::")) && i + 8 < name.size() && !is_ident(name[i + 8])) {
			// operator(), operator<, operator new[] ...: copy up to the parameter list
			size_t j = i + 8;
			if (starts_with(name.substr(j), "()"))
				j += 2;
			while (j < name.size() && name[j] != '(')
				j++;
			out.append(trim(name.substr(i, j - i)));
			i = j;
			continue;
		}
		if (c == '(') {
			if (starts_with(name.substr(i), "(anonymous namespace)")) {
				out.append("(anonymous)");
				i += 21;
				continue;
			}
			// parameter list: skip; continue only if a nested name follows
			size_t j = skip_group(name, i);
			if (starts_with(name.substr(j), "::")) {
				i = j;
				continue;
			}
			break;
		}
		if (c == '<') {
			if (starts_with(name.substr(i), "<lambda")) {
				out.append("lambda");
				i = skip_group(name, i);
				continue;
			}
			out.append("<T>");
			i = skip_group(name, i);
			continue;
		}
		if (c == '{') {
			std::string_view g = name.substr(i);
			out.append(starts_with(g, "{lambda") ? "lambda" : starts_with(g, "{unnamed") ? "unnamed" : "anon");
			i = skip_group(name, i);
			continue;
		}
		if (c == '[') {  // [abi:cxx11]
			i = skip_group(name, i);
			continue;
		}
		if (c == '.' )  // .cold / .part.0 / .isra.0 / .constprop.0
			break;
		if (c == ' ') {
			// a return type before the name ("int shop::f(int)") — restart
			std::string_view rest = ltrim(name.substr(i));
			if (!rest.empty() && rest[0] != '(' && rest[0] != '[' && !starts_with(rest, "const") &&
			    !ends_with(out, "operator")) {
				out.clear();
			}
			i++;
			continue;
		}
		if (c == '$' && i + 1 < name.size() && name[i + 1] == '_') {  // clang lambda $_0
			out.append("lambda");
			i += 2;
			while (i < name.size() && is_digit(name[i]))
				i++;
			continue;
		}
		out.push_back(c);
		i++;
	}
	// inline namespaces
	for (const char *ns : {"std::__cxx11::", "std::__1::", "std::__2::", "std::__debug::"}) {
		size_t p;
		std::string n(ns);
		while ((p = out.find(n)) != std::string::npos)
			out.replace(p, n.size(), "std::");
	}
	// "...lambda::operator()" -> "...lambda"
	if (ends_with(out, "lambda::operator()"))
		out.resize(out.size() - 12);
	return out;
}

void
split_name(const std::string &n, std::string &module, std::string &function)
{
	// last "::" at template depth 0
	int depth = 0;
	size_t cut = std::string::npos;
	for (size_t i = 0; i + 1 < n.size(); i++) {
		if (n[i] == '<')
			depth++;
		else if (n[i] == '>' && depth > 0)
			depth--;
		else if (depth == 0 && n[i] == ':' && n[i + 1] == ':')
			cut = i;
	}
	if (cut == std::string::npos || starts_with(n, "operator")) {
		module.clear();
		function = n;
	} else {
		module = n.substr(0, cut);
		function = n.substr(cut + 2);
	}
}

bool
is_plumbing_fn(std::string_view full)
{
	if (starts_with_any(full, {"__GI_", "__pthread_kill", "pthread_kill", "__assert_fail", "__assert_perror_fail",
	                           "__cxa_throw", "__cxa_rethrow", "__cxa_call_terminate", "__libc_start", "__libc_message",
	                           "__asan", "__interceptor", "__sanitizer", "__ubsan", "__tsan", "__msan", "__lsan",
	                           "std::terminate", "std::__terminate", "__gnu_cxx::__verbose_terminate_handler",
	                           "__cxxabiv1::", "_Unwind_", "__restore_rt", "_sigtramp", "std::__invoke",
	                           "std::_Function_handler", "std::function<T>::operator()", "std::__detail::__invoke",
	                           "errfinish", "set_backtrace", "errbacktrace", "elog_finish", "ExceptionalCondition",
	                           "boost::stacktrace", "std::stacktrace", "std::basic_stacktrace", "__fortify_fail",
	                           "__chk_fail", "__stack_chk_fail", "backtrace_symbols", "start_thread", "clone",
	                           // GLib/GTK signal and log machinery, X error handlers, kernel entry
	                           "g_closure_invoke", "g_cclosure_marshal_", "_g_closure_invoke_va", "g_signal_emit",
	                           "signal_emit_unlocked_R", "g_log", "g_logv", "g_assertion_message",
	                           "g_return_if_fail_warning", "g_main_context_dispatch", "g_main_dispatch",
	                           "g_main_loop_run", "g_main_context_iterate", "_XError", "_XIOError",
	                           "_XDefaultError", "_XPrintDefaultError", "__kernel_vsyscall", "_dl_sysinfo_int80"}))
		return true;
	// main() is the outermost frame of every crash: it never tells two apart.
	return full == "main" || full == "abort" || full == "raise" || full == "_start" || full == "backtrace" || full == "gsignal" ||
	       full == "__clone" || full == "__clone3";
}

bool
is_library_loc(std::string_view file)
{
	return starts_with_any(file, {"/usr/include/", "../sysdeps/", "./nptl/", "./stdlib/", "./assert/", "./csu/",
	                              "../csu/", "./libio/", "./string/", "./malloc/", "../nptl/", "/build/glibc"}) ||
	       file.find("libsanitizer") != std::string_view::npos || file.find("/libstdc++") != std::string_view::npos ||
	       file.find(".so") != std::string_view::npos;
}

bool
is_library_fn(std::string_view full)
{
	return starts_with_any(full, {"std::", "__gnu_cxx::", "boost::", "__cxx", "operator new", "operator delete",
	                              "malloc", "free", "memcpy", "memmove", "strlen", "strcmp", "__memcpy", "__strlen",
	                              "__memmove", "__strcmp", "__libc_", "_IO_", "absl::", "folly::", "google::",
	                              "grpc::"});
}

// object path -> basename without version ("libpq.so.5.16" -> "libpq.so")
std::string
object_name(std::string_view obj)
{
	std::string path = normalize_slashes(trim(obj));  // keep alive: b views into it
	std::string_view b = basename(path);
	size_t so = b.find(".so");
	if (so != std::string_view::npos)
		b = b.substr(0, so + 3);
	return std::string(b);
}

Frame
make_frame(std::string_view raw_fn, std::string_view file, int64_t line, std::string_view obj)
{
	Frame f;
	f.lang = Lang::Native;
	std::string_view fn0 = trim(raw_fn);
	if (starts_with(fn0, "IA__"))  // GLib's internal aliases: IA__g_free == g_free
		fn0 = fn0.substr(4);
	std::string n = normalize_cpp(demangle(fn0));
	split_name(n, f.module, f.function);
	f.line = line;
	std::string fpath = normalize_slashes(file);
	if (!file.empty())
		f.file = is_library_loc(fpath) ? std::string(basename(fpath)) : app_relative_path(fpath);
	if (is_plumbing_fn(n))
		f.category = Category::Plumbing;
	else if (is_library_fn(n) || (!file.empty() && is_library_loc(fpath)) ||
	         (file.empty() && obj.find(".so") != std::string_view::npos))
		f.category = Category::Library;
	else
		f.category = Category::App;
	return f;
}

bool
unknown_fn(std::string_view fn)
{
	fn = trim(fn);
	return fn.empty() || fn == "??" || fn == "<unknown>" || starts_with(fn, "?? ");
}

// ---- line forms ---------------------------------------------------------------

// Parses "file:line[:col]" ; false if no line number.
bool
file_line(std::string_view loc, std::string_view &file, int64_t &line)
{
	size_t c2 = loc.rfind(':');
	if (c2 == std::string_view::npos)
		return false;
	int64_t a = to_int(loc.substr(c2 + 1));
	if (a < 0)
		return false;
	size_t c1 = loc.rfind(':', c2 - 1);
	if (c1 != std::string_view::npos && c1 < c2) {
		int64_t b = to_int(loc.substr(c1 + 1, c2 - c1 - 1));
		if (b >= 0) {
			file = loc.substr(0, c1);
			line = b;
			return true;
		}
	}
	file = loc.substr(0, c2);
	line = a;
	return true;
}

// The '(' of the balanced "(...)" that ends `s` (npos when none).
size_t
last_paren_group(std::string_view s)
{
	int depth = 0;
	for (size_t k = s.size(); k-- > 0;) {
		if (s[k] == ')')
			depth++;
		else if (s[k] == '(' && --depth == 0)
			return k;
	}
	return std::string_view::npos;
}

// gdb: "#N  [0xADDR in ]FUNC (ARGS)[ at FILE:LINE| from OBJ]"
bool
parse_gdb(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line, std::string_view &obj)
{
	if (t.size() < 3 || t[0] != '#' || !is_digit(t[1]))
		return false;
	size_t i = 1;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i >= t.size() || t[i] != ' ')
		return false;
	std::string_view rest = ltrim(t.substr(i));
	bool addr = false;
	if (starts_with(rest, "0x")) {
		size_t in = rest.find(" in ");
		if (in == std::string_view::npos)
			return false;
		rest = rest.substr(in + 4);
		addr = true;
	}
	// ASan-style "#0 0x.. in f file:line" is handled elsewhere (no " (args)").
	size_t at = rest.rfind(") at ");
	size_t from = rest.rfind(") from ");
	std::string_view head = rest;
	if (at != std::string_view::npos && (from == std::string_view::npos || at > from)) {
		head = rest.substr(0, at + 1);
		if (!file_line(rest.substr(at + 5), file, line))
			file = rest.substr(at + 5);
	} else if (from != std::string_view::npos) {
		head = rest.substr(0, from + 1);
		obj = rest.substr(from + 7);
	}
	head = rtrim(head);
	if (head.empty() || head.back() != ')')
		return false;
	// the argument list is the last balanced "(...)" preceded by a space
	size_t open = last_paren_group(head);
	if (open == std::string_view::npos || open == 0 || head[open - 1] != ' ')
		return false;
	fn = rtrim(head.substr(0, open));
	(void) addr;
	return true;
}

// Sanitizer: "#N 0xADDR in FUNC LOCATION" (LOCATION = file:line[:col] or "(obj+0x..)")
bool
parse_asan(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line, std::string_view &obj)
{
	if (t.size() < 3 || t[0] != '#' || !is_digit(t[1]))
		return false;
	size_t i = 1;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i >= t.size() || t[i] != ' ')
		return false;
	std::string_view rest = t.substr(i + 1);
	if (!starts_with(rest, "0x"))
		return false;
	size_t in = rest.find(" in ");
	if (in == std::string_view::npos)
		return false;
	rest = rest.substr(in + 4);
	size_t sp = rest.rfind(' ');
	if (sp == std::string_view::npos) {
		fn = rest;
		return true;
	}
	std::string_view loc = rest.substr(sp + 1);
	if (starts_with(loc, "(") && ends_with(loc, ")")) {
		obj = loc.substr(1, loc.size() - 2);
		fn = rest.substr(0, sp);
		return true;
	}
	if (file_line(loc, file, line) && file.find('/') != std::string_view::npos) {
		fn = rest.substr(0, sp);
		return true;
	}
	if (file_line(loc, file, line) && (ends_with(file, ".c") || ends_with(file, ".cpp") || ends_with(file, ".cc") ||
	                                   ends_with(file, ".h") || ends_with(file, ".hpp"))) {
		fn = rest.substr(0, sp);
		return true;
	}
	file = {};
	line = -1;
	fn = rest;
	return true;
}

// backtrace_symbols: "OBJ(SYM+0xOFF) [0xADDR]" / "OBJ(+0xOFF) [0x..]" / "OBJ [0x..]"
bool
parse_bts(std::string_view t, std::string_view &fn, std::string_view &obj)
{
	if (!ends_with(t, "]"))
		return false;
	size_t lb = t.rfind(" [0x");
	if (lb == std::string_view::npos)
		return false;
	std::string_view head = rtrim(t.substr(0, lb));
	fn = {};
	if (ends_with(head, ")")) {
		size_t open = head.rfind('(');
		if (open == std::string_view::npos)
			return false;
		std::string_view sym = head.substr(open + 1, head.size() - open - 2);
		size_t plus = sym.rfind("+0x");
		fn = plus == std::string_view::npos ? sym : sym.substr(0, plus);
		obj = head.substr(0, open);
	} else {
		obj = head;
	}
	return !obj.empty() && obj.find(' ') == std::string_view::npos;
}

// fp2: an Android tombstone's frame (debuggerd, logcat's "DEBUG" lines,
// the Play Console's native crashes): "#00 pc 000000000005f400  /system/
// lib64/libhwui.so (SkDescriptor::addEntry(unsigned int)+32) (BuildId: 05..)",
// the symbol and the build id optional.  A compiler clone's suffix
// (".llvm.312870878177977533", ".cfi", ".__uniq.N", ".isra.N",
// ".constprop.N", ".part.N") is not part of the name.
bool
parse_tombstone(std::string_view t, std::string_view &fn, std::string_view &obj)
{
	if (t.size() < 8 || t[0] != '#' || !is_digit(t[1]))
		return false;
	size_t i = 1;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (t.substr(i, 4) != " pc ")
		return false;
	i += 4;
	size_t hex = i;
	while (i < t.size() && is_hex(t[i]))
		i++;
	if (i - hex < 4 || i >= t.size() || t[i] != ' ')
		return false;
	std::string_view rest = ltrim(t.substr(i));
	size_t sp = rest.find(' ');
	obj = rest.substr(0, sp);
	if (obj.empty() || (obj[0] != '/' && obj[0] != '<' && obj[0] != '['))
		return false;
	fn = {};
	if (sp == std::string_view::npos)
		return true;
	rest = trim(rest.substr(sp));
	size_t build = rfind_str(rest, "(BuildId: ");
	if (build != std::string_view::npos)
		rest = rtrim(rest.substr(0, build));
	if (rest.size() < 2 || rest[0] != '(' || rest.back() != ')')
		return true;  // no symbol
	std::string_view sym = rest.substr(1, rest.size() - 2);
	size_t plus = rfind_char(sym, '+');
	if (plus != std::string_view::npos && plus + 1 < sym.size() && all_digits(sym.substr(plus + 1)))
		sym = sym.substr(0, plus);
	for (std::string_view clone : {".llvm.", ".cfi", ".__uniq.", ".isra.", ".constprop.", ".part."}) {
		size_t k = sym.find(clone);
		if (k != std::string_view::npos && k > 0)
			sym = sym.substr(0, k);
	}
	fn = sym;
	return true;
}

// The app's own code in a tombstone: its APK's libraries (/data/app/...;
// "~~<random>==" directories change with every install) or a binary pushed
// for a test (/data/local/tmp); the system's (/system, /apex, /vendor) are
// libraries.
bool
android_app_object(std::string_view obj)
{
	return starts_with(obj, "/data/app/") || starts_with(obj, "/data/data/") || starts_with(obj, "/data/local/");
}

// boost / std::stacktrace: " N# FUNC at FILE:LINE" / " N# FUNC in OBJ"
bool
parse_boost(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line, std::string_view &obj)
{
	size_t i = 0;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i == 0 || i + 1 >= t.size() || t[i] != '#' || t[i + 1] != ' ')
		return false;
	std::string_view rest = t.substr(i + 2);
	size_t at = rest.rfind(" at ");
	size_t in = rest.rfind(" in ");
	if (at != std::string_view::npos && (in == std::string_view::npos || at > in) &&
	    file_line(rest.substr(at + 4), file, line)) {
		fn = rest.substr(0, at);
	} else if (in != std::string_view::npos) {
		fn = rest.substr(0, in);
		obj = rest.substr(in + 4);
	} else {
		fn = rest;
	}
	return true;
}

// fp2: glibc picks a string function's implementation for the CPU it runs
// on (an IFUNC): one crash in strlen() is "__strlen_evex" on one host,
// "__strlen_avx2_rtm" or "__strlen_sse2" on others.  "__NAME_VARIANT..."
// of the mem/str/wcs/wmem/stp families, where every part after NAME is a
// CPU variant, is "NAME" ("__memmove_avx_unaligned_erms" -> "memmove",
// "__memcpy_chk_avx512_no_vzeroupper" -> "memcpy_chk").  Returns NAME's
// length (NAME starts at fn[2]), or npos.
size_t
cpu_variant_cut(std::string_view fn)
{
	if (fn.size() < 6 || fn[0] != '_' || fn[1] != '_')
		return std::string_view::npos;
	std::string_view n = fn.substr(2);
	if (!starts_with_any(n, {"mem", "str", "wcs", "wmem", "stp", "raw"}))
		return std::string_view::npos;
	static constexpr std::string_view variants[] = {
		"sse2", "sse3", "ssse3", "sse4", "1", "2", "sse42", "avx", "avx2", "avx512", "avx512f", "avx512bw",
		"evex", "evex512", "erms", "rtm", "unaligned", "aligned", "back", "no", "vzeroupper", "ia32", "i386", "i586",
		"i686", "generic", "bsf", "power7", "power8", "power9", "power10", "z13", "z15", "asimd", "sve", "kunpeng",
		"falkor", "thunderx", "thunderx2", "a64fx", "emag", "zva64"};
	// the first '_' after which every part is a variant
	size_t cut = std::string_view::npos, end = n.size();
	for (size_t p = n.size(); p-- > 1;) {
		if (n[p] != '_')
			continue;
		std::string_view part = n.substr(p + 1, end - p - 1);
		if (std::find(std::begin(variants), std::end(variants), part) == std::end(variants))
			break;
		cut = end = p;
	}
	return cut;
}

// ---- valgrind (fp2) -----------------------------------------------------------

// valgrind prefixes every line with "==PID== " ("==PID==" alone when the
// line is empty): the rest of the line, with `had` set; t itself when it
// has no such prefix.
std::string_view
strip_valgrind_prefix(std::string_view t, bool &had)
{
	had = false;
	if (t.size() < 5 || t[0] != '=' || t[1] != '=')
		return t;
	size_t i = 2;
	while (i < t.size() && is_digit(t[i]))
		i++;
	// (AddressSanitizer's "==PID==ERROR: ..." has no space: not valgrind)
	if (i == 2 || i + 1 >= t.size() || t[i] != '=' || t[i + 1] != '=' || (i + 2 < t.size() && t[i + 2] != ' '))
		return t;
	had = true;
	i += 2;
	if (i < t.size())
		i++;
	return t.substr(i);
}

// valgrind frame (the prefix stripped, trimmed): "at 0xADDR: FUNC (FILE:LINE)",
// "by 0xADDR: FUNC (in OBJ)", "by 0xADDR: ??? (in OBJ)".
bool
parse_valgrind(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line,
               std::string_view &obj)
{
	if (t.size() < 7 || !(starts_with(t, "at 0x") || starts_with(t, "by 0x")))
		return false;
	size_t colon = t.find(": ", 5);
	if (colon == std::string_view::npos || colon == 5)
		return false;
	for (size_t k = 5; k < colon; k++)
		if (!is_hex(t[k]))
			return false;
	std::string_view rest = t.substr(colon + 2);
	fn = rest;
	// the location: a trailing "(in OBJ)" or "(FILE:LINE)" group
	size_t open = rest.rfind(" (");
	if (!rest.empty() && rest.back() == ')' && open != std::string_view::npos) {
		std::string_view loc = rest.substr(open + 2, rest.size() - open - 3);
		std::string_view f;
		int64_t l = -1;
		if (starts_with(loc, "in ")) {
			obj = loc.substr(3);
			fn = rest.substr(0, open);
		} else if (file_line(loc, f, l) && !f.empty() && f.find(' ') == std::string_view::npos) {
			file = f;
			line = l;
			fn = rest.substr(0, open);
		}
	}
	if (fn == "???" || fn == "(below main)")
		fn = "??";
	return true;
}

// The type of a valgrind error from its first line: "Invalid read of size
// 4" -> "Invalid read"; "52 bytes in 1 blocks are definitely lost in loss
// record 1 of 3" -> "definitely lost"; "Process terminating with default
// action of signal 11 (SIGSEGV)" -> "SIGSEGV"; otherwise up to " of size "
// or the first '(' ("Conditional jump or move depends on uninitialised
// value", "Source and destination overlap in memcpy").
std::string
valgrind_type(std::string_view kind)
{
	static constexpr std::string_view kLost = " in loss record ";
	size_t are = kind.find(" are ");
	size_t loss = kind.find(kLost);
	if (are != std::string_view::npos && loss != std::string_view::npos && are < loss)
		return std::string(kind.substr(are + 5, loss - are - 5));
	if (starts_with(kind, "Process terminating with default action of signal")) {
		size_t o = kind.rfind('('), c = kind.rfind(')');
		if (o != std::string_view::npos && c != std::string_view::npos && o < c)
			return std::string(kind.substr(o + 1, c - o - 1));
	}
	size_t cut = std::min(kind.find(" of size "), kind.find('('));
	return std::string(rtrim(kind.substr(0, cut)));
}

// ---- elfutils eu-stack, ThreadSanitizer (fp2) ------------------------------------

// The frame number "#N" and the spaces after it; npos when t has none.
size_t
after_frame_number(std::string_view t)
{
	if (t.size() < 3 || t[0] != '#' || !is_digit(t[1]))
		return std::string_view::npos;
	size_t i = 1;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i >= t.size() || t[i] != ' ')
		return std::string_view::npos;
	while (i < t.size() && t[i] == ' ')
		i++;
	return i;
}

// eu-stack: "#N  0xADDR FUNC" or, with -m, "#N  0xADDR FUNC - MODULE"
// (gdb's "#N  0xADDR in FUNC (ARGS)" is not one).
bool
parse_eustack(std::string_view t, std::string_view &fn, std::string_view &obj)
{
	size_t i = after_frame_number(t);
	if (i == std::string_view::npos || t.compare(i, 2, "0x") != 0)
		return false;
	size_t j = i + 2;
	while (j < t.size() && is_hex(t[j]))
		j++;
	if (j == i + 2 || j + 1 >= t.size() || t[j] != ' ' || t.compare(j + 1, 3, "in ") == 0)
		return false;
	fn = trim(t.substr(j + 1));
	size_t dash = fn.rfind(" - ");
	if (dash != std::string_view::npos && fn.find(' ', dash + 3) == std::string_view::npos) {
		obj = fn.substr(dash + 3);
		fn = fn.substr(0, dash);
	} else if (fn.size() > 2 && fn.back() == ')') {
		// systemd-coredump (coredumpctl, the journal): "FUNC (OBJ + 0xOFF)",
		// FUNC "n/a" without a symbol, OBJ "n/a" without a module
		size_t open = fn.rfind(" (");
		size_t plus = open == std::string_view::npos ? std::string_view::npos : fn.find(" + 0x", open);
		if (plus != std::string_view::npos) {
			obj = fn.substr(open + 2, plus - open - 2);
			if (obj == "n/a")
				obj = {};
			fn = fn.substr(0, open);
		}
	}
	return !fn.empty();
}

// ThreadSanitizer: "#N FUNC FILE:LINE[:COL] (OBJ+0xOFF)", "#N FUNC <null>
// (OBJ+0xOFF)", "#N <null> <null> (OBJ+0xOFF)" (no address, unlike ASan).
bool
parse_tsan(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line, std::string_view &obj)
{
	size_t i = after_frame_number(t);
	if (i == std::string_view::npos || t.compare(i, 2, "0x") == 0 || t.back() != ')')
		return false;
	std::string_view rest = t.substr(i);
	size_t open = rest.rfind(" (");
	if (open == std::string_view::npos)
		return false;
	std::string_view o = rest.substr(open + 2, rest.size() - open - 3);
	size_t plus = o.rfind("+0x");
	if (plus == std::string_view::npos)
		return false;
	obj = o.substr(0, plus);
	rest = rest.substr(0, open);
	size_t sp = rest.rfind(' ');
	if (sp == std::string_view::npos)
		return false;
	std::string_view loc = rest.substr(sp + 1);
	fn = rest.substr(0, sp);
	if (loc != "<null>" && !file_line(loc, file, line))
		return false;
	if (fn == "<null>")
		fn = "??";
	return true;
}

// Whether t contains "ERROR: AddressSanitizer:", "ERROR: ThreadSanitizer:"
// or "runtime error:" — one pass over the line's colons instead of three
// substring searches (each needle is found by the colon inside it).
bool
sanitizer_line(std::string_view t)
{
	const char *b = t.data();
	const char *e = b + t.size();
	for (const char *c = b; (c = static_cast<const char *>(std::memchr(c, ':', size_t(e - c)))); c++) {
		size_t p = size_t(c - b);
		if (p >= 13 && t.compare(p - 13, 14, "runtime error:") == 0)
			return true;
		if (p >= 5 && t.compare(p - 5, 7, "ERROR: ") == 0) {
			std::string_view r = t.substr(p + 2);
			if (starts_with(r, "AddressSanitizer:") || starts_with(r, "ThreadSanitizer:"))
				return true;
		}
	}
	return false;
}

// fp2: gdb wraps a frame line longer than its terminal: the argument list
// and " at FILE:LINE" / " from LIB" continue on lines indented deeper than
// the frame (or on a line opening with the list's ')' after an argument gdb
// could not read), with spaces ("bt full" prints local variables indented with a
// tab).  Joins lines[i] with at most 8 such lines, up to the first that
// makes the frame end in its location ("... at paint.c:232") or, when no
// location follows, in the argument list's ')'.  True when it joined
// anything; `last` is the last line used.  Work: the joined lines, once.
bool
join_wrapped_gdb(const std::vector<std::string_view> &lines, size_t i, std::string &joined, size_t &last)
{
	auto indent = [](std::string_view l) {
		size_t k = 0;
		while (k < l.size() && (l[k] == ' ' || l[k] == '\t'))
			k++;
		return k;
	};
	const size_t base = indent(lines[i]);
	joined.assign(trim(lines[i]));
	std::string_view fn, file, obj;
	int64_t line = -1;
	const bool parsed = parse_gdb(joined, fn, file, line, obj);
	size_t good = i, good_len = 0;
	for (size_t j = i + 1; j < lines.size() && j <= i + 8; j++) {
		std::string_view l = lines[j];
		size_t k = indent(l);
		// gdb ends an argument it could not read with a line break:
		// "(this=Cannot access memory at address 0xbfa00d80" + "\n) at f.c:4"
		const bool closes = k < l.size() && l[k] == ')';
		if (k >= l.size() || l[k] == '#' || (!closes && (k <= base || l[0] != ' ')))
			break;
		std::string_view t = trim(l);
		if (joined.size() + 1 + t.size() > Limits::max_line_bytes)
			break;
		joined.push_back(' ');
		joined.append(t);
		file = obj = {};
		if (parse_gdb(joined, fn, file, line, obj)) {
			// a frame that parsed alone takes only its location
			if (!parsed || !file.empty() || !obj.empty()) {
				good = j;
				good_len = joined.size();
			}
			if (!file.empty() || !obj.empty())
				break;
		}
	}
	if (good == i)
		return false;
	joined.resize(good_len);
	last = good;
	return true;
}

// fp2: gdb's "thread apply all bt" prints every thread under a header
// ("Thread 4 (Thread 0x7f.. (LWP 5487) "name"):"), highest number first:
// the crash is in one of them.  Which one: the thread gdb names on the
// signal ("Thread 3 "app" received signal SIGSEGV", "[Current thread is 1
// (...)]" on a core file) or switches to ("[Switching to Thread 0x7f..
// (LWP 5386)]"), else the one holding "<signal handler called>", else
// thread 1 (on a core file, the thread that dumped it: Apport's
// ThreadStacktrace.txt has the headers only), else the first.  found =
// false without two such headers.  One pass over the lines.
struct GdbThread {
	bool found = false;
	size_t begin = 0, end = 0;  // its lines: [begin, end)
};

GdbThread
crashed_gdb_thread(const std::vector<std::string_view> &lines, const Cancel &cancel)
{
	struct Section {
		std::string_view number, lwp;
		size_t begin, end;
		bool handler;
	};
	std::vector<Section> sections;
	std::string_view want_number, want_lwp;
	auto lwp_of = [](std::string_view t) {
		size_t at = t.find("(LWP ");
		if (at == std::string_view::npos)
			return std::string_view();
		std::string_view r = t.substr(at + 5);
		return r.substr(0, r.find(')'));
	};
	for (size_t i = 0; i < lines.size(); i++) {
		if (((i + 1) & 0x3FF) == 0)
			cancel.poll();
		std::string_view t = ltrim(lines[i]);
		// (one byte decides which check a line gets: most are frames)
		if (t.empty() || (t[0] != 'T' && t[0] != '[' && t[0] != '#'))
			continue;
		t = rtrim(t);
		if (t[0] == '#') {
			if (!sections.empty() && t.back() == '>' && t.find("<signal handler called>") != std::string_view::npos)
				sections.back().handler = true;
			continue;
		}
		if (starts_with(t, "Thread ")) {
			size_t k = 7;
			while (k < t.size() && is_digit(t[k]))
				k++;
			if (k == 7 || k >= t.size())
				continue;
			std::string_view number = t.substr(7, k - 7);
			if (starts_with(t.substr(k), " (") && ends_with(t, "):")) {
				if (!sections.empty())
					sections.back().end = i;
				sections.push_back(Section{number, lwp_of(t), i + 1, lines.size(), false});
			} else if (t.find(" received signal ") != std::string_view::npos) {
				want_number = number;
			}
			continue;
		}
		if (starts_with(t, "[Current thread is ")) {
			std::string_view r = t.substr(19);
			size_t k = 0;
			while (k < r.size() && is_digit(r[k]))
				k++;
			want_number = r.substr(0, k);
		} else if (starts_with(t, "[Switching to Thread ")) {
			want_lwp = lwp_of(t);
		}
	}
	GdbThread out;
	if (sections.size() < 2)
		return out;
	const Section *pick = nullptr;
	for (const Section &s : sections)
		if (!pick && ((!want_number.empty() && s.number == want_number) || (!want_lwp.empty() && s.lwp == want_lwp)))
			pick = &s;
	for (const Section &s : sections)
		if (!pick && s.handler)
			pick = &s;
	for (const Section &s : sections)  // a core file's thread 1: the one that dumped it
		if (!pick && s.number == "1")
			pick = &s;
	if (!pick)
		pick = &sections.front();
	out.found = true;
	out.begin = pick->begin;
	out.end = pick->end;
	return out;
}

}  // namespace

// fp2: lldb's frame line: "[* ]frame #N: 0xADDR MODULE`FUNC(ARGS) at
// FILE:LINE:COL", "frame #N: 0xADDR MODULE`FUNC + OFF" (no debug
// information), "frame #N: 0xADDR" (nothing known).  FUNC keeps no argument
// list (lldb prints the values with debug information, the signature
// without).
bool
parse_lldb(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line, std::string_view &obj)
{
	if (starts_with(t, "* "))
		t = ltrim(t.substr(2));
	if (!starts_with(t, "frame #"))
		return false;
	size_t k = 7;
	while (k < t.size() && is_digit(t[k]))
		k++;
	if (k == 7 || t.compare(k, 4, ": 0x") != 0)
		return false;
	k += 4;
	while (k < t.size() && is_hex(t[k]))
		k++;
	std::string_view rest = ltrim(t.substr(k));
	size_t tick = rest.find('`');
	if (tick == std::string_view::npos || tick == 0) {
		fn = "??";  // an address alone
		return true;
	}
	obj = rest.substr(0, tick);
	rest = rest.substr(tick + 1);
	size_t at = rest.rfind(" at ");
	if (at != std::string_view::npos) {
		std::string_view loc = rest.substr(at + 4);  // "wrapped.c:13:33"
		if (!file_line(loc, file, line))
			file = loc;
		rest = rest.substr(0, at);
	} else {
		size_t plus = rest.rfind(" + ");
		if (plus != std::string_view::npos)
			rest = rest.substr(0, plus);
	}
	rest = rtrim(rest);
	if (ends_with(rest, " const"))
		rest = rtrim(rest.substr(0, rest.size() - 6));
	if (!rest.empty() && rest.back() == ')') {  // the last balanced "(...)": arguments or signature
		size_t open = last_paren_group(rest);
		if (open != std::string_view::npos && open > 0)
			rest = rest.substr(0, open);
	}
	fn = rest.empty() ? std::string_view("??") : rest;
	return true;
}

namespace {

// fp2: the frames of a signal handler above libc's unnamed signal
// trampoline (see NativeParser::parse).  Only the first handler, within the
// first 32 frames.
void
drop_signal_handler(ExceptionInfo &ex)
{
	auto signal_named = [](const std::string &fn) {
		std::string l = to_lower(fn);
		return l.find("signal") != std::string::npos || l.find("sighandler") != std::string::npos ||
		       l.find("sig_handler") != std::string::npos;
	};
	const size_t n = std::min(ex.frames.size(), size_t(32));
	for (size_t i = 0; i + 1 < n; i++) {
		const Frame &h = ex.frames[i], &tramp = ex.frames[i + 1];
		bool libc = tramp.function == "__restore_rt" ||
		            (tramp.function == "??" && (starts_with(tramp.module, "libc.so") || starts_with(tramp.module, "libc-")));
		if (!libc || h.function == "??" || !signal_named(h.function))
			continue;
		if (i + 2 < ex.frames.size())  // something must remain
			ex.frames.erase(ex.frames.begin(), ex.frames.begin() + static_cast<std::ptrdiff_t>(i + 2));
		return;
	}
}

class NativeParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Native; }
	int max_line_points() const override { return 3; }

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view t = trim(l);
			if (t.empty())
				continue;
			std::string_view fn, file, obj;
			int64_t line = -1;
			// Each format's parser fails on its first byte or its last one
			// ('#': gdb / ASan; a digit: boost; ']': backtrace_symbols), so
			// only the lines that could be one are parsed (same points).
			const char c0 = t[0];
			if (sanitizer_line(t) || (c0 == 't' && starts_with(t, "terminate called after throwing")))
				n += 3;
			else if (c0 == '#' && (parse_gdb(t, fn, file, line, obj) || parse_asan(t, fn, file, line, obj)))
				n += 3;
			else if (is_digit(c0) && parse_boost(t, fn, file, line, obj) && (file.size() || obj.size()))
				n += 3;
			else if (t.back() == ']' && parse_bts(t, fn, obj))
				n += 3;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		bool sanitizer = false;
		bool stack_done = false;
		// fp2: an uncaught C++ exception ("terminate called after throwing an
		// instance of 'T'", "what(): msg") is the error; the SIGABRT that
		// std::terminate raises next (gdb's "Program received signal") is not
		const bool fp2 = out.algorithm >= Algorithm::Fp2;
		bool cxx_exception = false;
		// fp2: a valgrind report ("==PID== " lines): the first error's
		// stack, typed by the error's first line (the last unindented line
		// before it: "Invalid read of size 4")
		bool valgrind = false;
		std::string_view kind;
		bool tsan = false;  // fp2: a ThreadSanitizer report
		// fp2: an Android tombstone: the crashing thread's backtrace, up to
		// its end (other threads' follow)
		const bool tombstone = fp2 && tombstone_layout(lines);
		std::string joined;  // fp2: a frame gdb wrapped, joined (join_wrapped_gdb)
		const GdbThread threads = fp2 && !tombstone ? crashed_gdb_thread(lines, cancel) : GdbThread{};
		const bool lldb = fp2 && lldb_layout(lines);
		bool lldb_selected = true;  // frames before any thread header count
		bool lldb_seen_thread = false;
		bool lldb_star = false;  // a thread marked selected ("* thread #3, ...")
		if (lldb)
			for (std::string_view l : lines)
				if (starts_with(ltrim(l), "* thread #")) {
					lldb_star = true;
					break;
				}
		for (size_t li = 0; li < lines.size(); li++) {
			if (((li + 1) & 0x3FF) == 0)
				cancel.poll();
			std::string_view raw = lines[li];
			bool vg_line = false;
			if (fp2) {
				std::string_view rest = strip_valgrind_prefix(raw, vg_line);
				if (vg_line) {
					valgrind = true;
					raw = rest;
					if (!rest.empty() && !is_space(rest[0]) && ex.frames.empty() && !stack_done)
						kind = rtrim(rest);
				}
			}
			std::string_view t = trim(raw);
			if (t.empty()) {
				if ((sanitizer || valgrind || tombstone) && !ex.frames.empty())
					stack_done = true;  // ASan, valgrind: only the access stack
				continue;
			}
			if (vg_line) {
				if (stack_done)
					continue;
				std::string_view fn, file, obj;
				int64_t line = -1;
				if (!parse_valgrind(t, fn, file, line, obj)) {
					if (!ex.frames.empty())
						stack_done = true;  // "Address 0x.. is inside a block free'd at"
					continue;
				}
				if (ex.type.empty() && !kind.empty()) {
					ex.type = valgrind_type(kind);
					ex.message.assign(kind);
				}
				push_native_frame(ex, fn, file, line, obj, fp2);
				continue;
			}
			size_t san = t.find("Sanitizer: ");
			if (san != std::string_view::npos && t.find("ERROR: ") != std::string_view::npos && ex.type.empty()) {
				sanitizer = true;
				std::string_view msg = t.substr(san + 11);
				size_t sp = msg.find(' ');
				ex.type.assign(msg.substr(0, sp));
				// fp2: LeakSanitizer's "detected memory leaks" (fp1: "detected")
				if (fp2 && starts_with(msg, "detected memory leaks"))
					ex.type.assign("memory-leak");
				ex.message.assign(t.substr(t.find("ERROR: ") + 7));
				continue;
			}
			// fp2: "WARNING: ThreadSanitizer: data race (pid=29648)": the
			// type is the finding, up to " (" ("data race",
			// "lock-order-inversion", "heap-use-after-free")
			static constexpr std::string_view kTsan = "WARNING: ThreadSanitizer: ";
			if (fp2 && ex.type.empty() && starts_with(t, kTsan)) {
				sanitizer = tsan = true;
				std::string_view msg = t.substr(kTsan.size());
				ex.type.assign(rtrim(msg.substr(0, msg.find(" ("))));
				ex.message.assign(t.substr(9));
				continue;
			}
			// fp2: eu-stack prints every thread ("TID 31793:"), the
			// crashing one first
			if (fp2 && !ex.frames.empty() && starts_with(t, "TID ") && t.back() == ':') {
				stack_done = true;
				continue;
			}
			// fp2: a tombstone's "signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault
			// addr 0x0", then "Abort message: '...'" or "Cause: ..."
			if (tombstone && ex.frames.empty()) {
				if (starts_with(t, "signal ") && t.find(" (SIG") != std::string_view::npos) {
					std::string_view sig = t.substr(t.find(" (SIG") + 2);
					ex.type.assign(sig.substr(0, sig.find(')')));
					continue;
				}
				if (starts_with(t, "Abort message: ")) {
					std::string_view m = t.substr(15);
					if (m.size() >= 2 && m.front() == '\'' && m.back() == '\'')
						m = m.substr(1, m.size() - 2);
					ex.message.assign(m);
					continue;
				}
				if (starts_with(t, "Cause: ") && ex.message.empty()) {
					ex.message.assign(t.substr(7));
					continue;
				}
			}
			static constexpr std::string_view kTerminate = "terminate called after throwing an instance of '";
			if (starts_with(t, kTerminate)) {
				std::string_view ty = t.substr(kTerminate.size());
				size_t q = ty.find('\'');
				ex.type.assign(ty.substr(0, q));
				cxx_exception = true;
				continue;
			}
			if (starts_with(t, "what():")) {
				ex.message.assign(trim(t.substr(7)));
				continue;
			}
			// fp2: gdb on a core file ("Program terminated with signal
			// SIGSEGV, ..."), and a signal of a named thread ("Thread 3
			// "worker" received signal SIGSEGV, ...")
			size_t sig_at = std::string_view::npos;
			if (starts_with(t, "Program received signal "))
				sig_at = 24;
			else if (fp2 && starts_with(t, "Program terminated with signal "))
				sig_at = 31;
			else if (fp2 && starts_with(t, "Thread ") && t.find(" received signal ") != std::string_view::npos)
				sig_at = t.find(" received signal ") + 17;
			if (sig_at != std::string_view::npos) {
				if (fp2 && cxx_exception)
					continue;
				std::string_view s = t.substr(sig_at);
				size_t comma = s.find(", ");
				ex.type.assign(s.substr(0, comma));
				ex.message.assign(comma == std::string_view::npos ? std::string_view() : rtrim(s.substr(comma + 2)));
				if (!ex.message.empty() && ex.message.back() == '.')
					ex.message.pop_back();
				continue;
			}
			if (stack_done)
				continue;
			// fp2: "thread apply all bt": the crashed thread's frames only
			if (threads.found && (li < threads.begin || li >= threads.end))
				continue;
			// fp2: lldb ("* thread #3, name = 'app', stop reason = signal
			// SIGSEGV: invalid address (fault address: 0x0)"; "thread backtrace
			// all" marks the selected thread with '*'): that thread's frames
			if (lldb && (starts_with(t, "* thread #") || starts_with(t, "thread #"))) {
				// (without a '*', as a log may lose it, the first thread)
				lldb_selected = lldb_star ? t[0] == '*' : !lldb_seen_thread;
				lldb_seen_thread = true;
				if (lldb_selected && ex.type.empty() && ex.frames.empty()) {
					size_t reason = t.find("stop reason = ");
					if (reason != std::string_view::npos) {
						// "signal SIGSEGV: invalid address (fault address: 0x0)",
						// "EXC_BAD_ACCESS (code=1, address=0x0)"
						std::string_view r = t.substr(reason + 14);
						if (starts_with(r, "signal "))
							r = r.substr(7);
						std::string_view detail = r.substr(0, r.find(" ("));
						size_t colon = detail.find(": ");
						ex.type.assign(detail.substr(0, colon));
						if (colon != std::string_view::npos)
							ex.message.assign(detail.substr(colon + 2));
					}
				}
				continue;
			}
			if (lldb) {
				std::string_view lfn, lfile, lobj;
				int64_t lline = -1;
				if (parse_lldb(t, lfn, lfile, lline, lobj)) {
					if (lldb_selected)
						push_native_frame(ex, lfn, lfile, lline, lobj, fp2);
					continue;
				}
			}
			if (fp2) {
				// gdb's "#5  <signal handler called>": the frames above are the
				// program's signal handler (printing, aborting); the crash is below
				size_t after = after_frame_number(t);
				if (after != std::string_view::npos && t.substr(after) == "<signal handler called>") {
					ex.frames.clear();
					continue;
				}
				// systemd-coredump prints every thread, the crashed one first
				if (starts_with(t, "Stack trace of thread ")) {
					if (!ex.frames.empty())
						stack_done = true;
					continue;
				}
				// and its header's "Signal: 11 (SEGV)"
				if (starts_with(t, "Signal: ") && ex.type.empty() && ex.frames.empty() && t.back() == ')') {
					size_t open = t.find(" (");
					if (open != std::string_view::npos && t.size() > open + 3) {
						ex.type.assign("SIG");
						ex.type.append(t.substr(open + 2, t.size() - open - 3));
						continue;
					}
				}
			}
			std::string_view fn, file, obj;
			int64_t line = -1;
			bool ok = false;
			if (tombstone && parse_tombstone(t, fn, obj)) {
				push_native_frame(ex, fn, {}, -1, obj, fp2);
				if (!ex.frames.empty() && android_app_object(obj) && ex.frames.back().category == Category::Library)
					ex.frames.back().category = Category::App;
				continue;
			}
			if (tsan)
				ok = parse_tsan(t, fn, file, line, obj);
			if (!ok && sanitizer)
				ok = parse_asan(t, fn, file, line, obj);
			if (!ok)
				ok = parse_gdb(t, fn, file, line, obj);
			// fp2: gdb wraps a frame longer than the terminal: the argument
			// list or " at FILE:LINE" continues on the next lines
			if (fp2 && !tsan && !sanitizer && t[0] == '#' && (!ok || (file.empty() && obj.empty()))) {
				std::string_view jfn, jfile, jobj;
				int64_t jline = -1;
				size_t last = li;
				if (join_wrapped_gdb(lines, li, joined, last) && parse_gdb(joined, jfn, jfile, jline, jobj)) {
					fn = jfn;
					file = jfile;
					obj = jobj;
					line = jline;
					ok = true;
					li = last;
				}
			}
			if (!ok) {
				file = obj = fn = {};
				line = -1;
				ok = parse_asan(t, fn, file, line, obj);
			}
			if (!ok && fp2) {
				file = obj = fn = {};
				line = -1;
				ok = parse_eustack(t, fn, obj);
			}
			if (!ok) {
				file = obj = fn = {};
				line = -1;
				ok = parse_boost(t, fn, file, line, obj);
			}
			if (!ok) {
				file = obj = fn = {};
				line = -1;
				ok = parse_bts(t, fn, obj);
			}
			if (!ok)
				continue;
			push_native_frame(ex, fn, file, line, obj, fp2);
		}
		// fp2: systemd-coredump and eu-stack name no trampoline: a frame
		// named for a signal ("handleUnrecoverableSignal", "on_signal",
		// "SignalHandler") followed by libc's unnamed frame (or __restore_rt)
		// is a signal handler; its frames and the trampoline go
		if (fp2)
			drop_signal_handler(ex);
		// fp2: a sanitizer's allocation made in main() itself (a leak, a
		// use after free of main's buffer): main is the site, not the
		// outermost frame every stack has (fp1: plumbing; the key was the
		// message alone, every such leak of every program one issue)
		if (fp2 && sanitizer) {
			bool app = false;
			for (const Frame &f : ex.frames)
				app = app || f.category == Category::App;
			for (Frame &f : ex.frames) {
				if (app)
					break;
				if (f.function == "main" && f.module.empty()) {
					f.category = Category::App;
					break;
				}
			}
		}
	}

private:
	static void push_native_frame(ExceptionInfo &ex, std::string_view fn, std::string_view file, int64_t line,
	                              std::string_view obj, bool fp2)
	{
		// fp2: gdb 6 marks some functions with a '*' ("*__GI_raise
		// (sig=6)", "*__GI___libc_free"): the same function
		if (fp2 && fn.size() > 1 && fn[0] == '*')
			fn.remove_prefix(1);
		if (fp2 && fn == "n/a")  // systemd-coredump: no symbol
			fn = "??";
		if (unknown_fn(fn) || starts_with(fn, "0x")) {
			// No symbol: the shared object it ran in still says something
			// ("?? () from /usr/lib/compiz/libworkarounds.so").
			if (!obj.empty()) {
				Frame f;
				f.lang = Lang::Native;
				f.module = object_name(obj);
				f.function = "??";
				f.category = Category::Library;
				push_frame(ex, std::move(f));
			}
			return;
		}
		// fp2: a symbol version or PLT stub suffix ("pthread_cond_wait@@GLIBC_2.3.2",
		// "memcpy@plt") names the same function
		if (fp2) {
			size_t at = fn.find('@');
			if (at != std::string_view::npos && at > 0)
				fn = fn.substr(0, at);
		}
		Frame f = make_frame(fn, file, line, obj);
		// fp2: a function of an anonymous namespace is spelled three ways
		// (gdb and clang's tools "(anonymous namespace)::", some demanglers
		// "{anonymous}::", eu-stack and gcc's UBSan the bare name): the bare
		// name, its enclosing scopes dropped
		if (fp2) {
			for (std::string_view anon : {"(anonymous namespace)", "(anonymous)", "{anonymous}", "_GLOBAL__N_1"})
				if (f.module.find(anon) != std::string::npos) {
					f.module.clear();
					break;
				}
		}
		size_t cut;
		if (fp2 && f.module.empty() && (cut = cpu_variant_cut(f.function)) != std::string::npos)
			f.function = f.function.substr(2, cut);
		push_frame(ex, std::move(f));
	}
};

}  // namespace

bool
valgrind_layout(const std::vector<std::string_view> &lines)
{
	for (std::string_view l : lines) {
		if (l.empty() || l[0] != '=')
			continue;
		bool had;
		std::string_view t = trim(strip_valgrind_prefix(l, had));
		std::string_view fn, file, obj;
		int64_t line = -1;
		if (had && parse_valgrind(t, fn, file, line, obj))
			return true;
	}
	return false;
}

bool
tombstone_layout(const std::vector<std::string_view> &lines)
{
	const size_t n = std::min(lines.size(), size_t(128));
	for (size_t i = 0; i < n; i++) {
		std::string_view l = lines[i];
		size_t k = 0;
		while (k < l.size() && (l[k] == ' ' || l[k] == '\t'))
			k++;
		// "#00 pc ": two digits (debuggerd pads them) and " pc "
		if (k + 8 > l.size() || l[k] != '#' || !is_digit(l[k + 1]) || !is_digit(l[k + 2]) ||
		    l.compare(k + 3, 4, " pc ") != 0)
			continue;
		std::string_view fn, obj;
		if (parse_tombstone(rtrim(l.substr(k)), fn, obj))
			return true;
	}
	return false;
}

bool
gdb_wrapped_layout(const std::vector<std::string_view> &lines, size_t min_frames)
{
	// The first 64 non-empty lines: at least two gdb frame lines
	// ("#N  0xADDR in f (" or "#N  f (") and no frame holding a
	// JavaScript location (":line:col").
	size_t n = 0, gdb = 0;
	for (std::string_view l : lines) {
		std::string_view t = trim(l);
		if (t.empty())
			continue;
		if (++n > 64)
			break;
		if (t[0] == '#' && t.size() > 2 && is_digit(t[1])) {
			size_t k = 1;
			while (k < t.size() && is_digit(t[k]))
				k++;
			std::string_view rest = ltrim(t.substr(k));
			if (rest.size() == t.size() - k)
				continue;  // "#12x": no space after the number
			if (starts_with(rest, "0x")) {
				size_t in = rest.find(" in ");
				if (in == std::string_view::npos)
					continue;
				rest = rest.substr(in + 4);
			}
			size_t open = rest.find(" (");
			if (open != std::string_view::npos && open > 0)
				gdb++;
			continue;
		}
		if (starts_with(t, "at ")) {
			size_t c2 = rfind_char(t, ':');
			if (c2 == std::string_view::npos)
				continue;
			std::string_view s = t.substr(0, t.back() == ')' ? t.size() - 1 : t.size());
			c2 = rfind_char(s, ':');
			size_t c1 = c2 == std::string_view::npos || c2 == 0 ? std::string_view::npos : rfind_char(s, ':', c2 - 1);
			if (c2 != std::string_view::npos && c1 != std::string_view::npos && all_digits(s.substr(c2 + 1)) &&
			    c2 > c1 + 1 && all_digits(s.substr(c1 + 1, c2 - c1 - 1)))
				return false;  // a V8 frame: "at f (file:12:5)"
		}
	}
	return gdb >= min_frames;
}

bool
lldb_layout(const std::vector<std::string_view> &lines)
{
	const size_t n = std::min(lines.size(), size_t(64));
	for (size_t i = 0; i < n; i++) {
		std::string_view t = ltrim(lines[i]);
		if (t.size() < 12 || (t[0] != 'f' && t[0] != '*'))
			continue;
		t = rtrim(t);
		std::string_view fn, file, obj;
		int64_t line = -1;
		if ((starts_with(t, "frame #") || starts_with(t, "* frame #")) && t.find('`') != std::string_view::npos &&
		    parse_lldb(t, fn, file, line, obj))
			return true;
	}
	return false;
}

bool
eustack_layout(const std::vector<std::string_view> &lines)
{
	for (std::string_view l : lines) {
		std::string_view t = trim(l);
		std::string_view fn, obj;
		if (!t.empty() && t[0] == '#' && parse_eustack(t, fn, obj))
			return true;
	}
	return false;
}

const StackParser &
native_parser()
{
	static const NativeParser p;
	return p;
}

}  // namespace errtrack
