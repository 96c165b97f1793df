// parse_rust.cpp — Rust panics with RUST_BACKTRACE=1/full backtraces.
//
//   thread 'main' panicked at 'msg', src/main.rs:2:5                 (< 1.73)
//   thread 'main' (30590) panicked at src/fx.rs:37:17:                (1.73+, tid since 1.91)
//   negative value -5 for order 4711
//   stack backtrace:
//      0: __rustc::rust_begin_unwind
//                at /rustc/<sha>/library/std/src/panicking.rs:689:5
//      2: <fx::shop::Doubler as fx::shop::Handler>::handle
//                at ./src/fx.rs:37:17
//     19:     0x55dcb3263f86 - fx::shop::email_domain::h4f058a3be8a027c0     (full)
//
// Symbols: "::h<16 hex>" hashes, v0 crate disambiguators "std[e28293b1aa0f68bd]",
// generic arguments ("Option<T>", "::<&str>") are removed; "{closure#0}"
// becomes "{{closure}}"; "<T as Trait>::m" is keyed by the type T.  Module
// = the path before the function (crate::module[::Type]).  std/core/alloc
// and cargo-registry crates are library; the panic machinery
// (std::panicking, core::panicking, rust_begin_unwind, std::rt::lang_start,
// __rust_*, std::sys::backtrace, FnOnce::call_once, unwrap_failed) is plumbing.
#include <algorithm>
#include <cstring>
#include <vector>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using namespace putil;

// "   3: sym" / "  19:     0x55dc - sym" -> sym
bool
frame_symbol(std::string_view line, std::string_view &sym)
{
	std::string_view t = ltrim(line);
	size_t i = 0;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i == 0 || i + 1 >= t.size() || t[i] != ':' || t[i + 1] != ' ')
		return false;
	std::string_view s = trim(t.substr(i + 1));
	if (starts_with(s, "0x")) {
		size_t dash = s.find(" - ");
		if (dash == std::string_view::npos)
			return false;
		s = s.substr(dash + 3);
	}
	if (s.empty())
		return false;
	sym = s;
	return true;
}

bool
at_line(std::string_view line, std::string_view &file, int64_t &ln)
{
	std::string_view t = trim(line);
	if (!eat(t, "at "))
		return false;
	// file:line:col
	size_t c2 = rfind_char(t, ':');
	if (c2 == std::string_view::npos)
		return false;
	if (to_int(t.substr(c2 + 1)) < 0)
		return false;  // (both forms below need it: checked first, cheaply)
	size_t c1 = rfind_char(t, ':', c2 - 1);
	if (c1 != std::string_view::npos && to_int(t.substr(c1 + 1, c2 - c1 - 1)) >= 0 && to_int(t.substr(c2 + 1)) >= 0) {
		file = t.substr(0, c1);
		ln = to_int(t.substr(c1 + 1, c2 - c1 - 1));
		return true;
	}
	if (to_int(t.substr(c2 + 1)) >= 0) {
		file = t.substr(0, c2);
		ln = to_int(t.substr(c2 + 1));
		return true;
	}
	return false;
}

// Removes hashes, crate disambiguators and generic args; closure spelling.
std::string
clean_symbol(std::string_view s)
{
	std::string r;
	r.reserve(s.size());
	for (size_t i = 0; i < s.size(); i++) {
		char c = s[i];
		if (c == '[') {  // v0 "std[e28293b1aa0f68bd]"
			size_t close = s.find(']', i);
			if (close != std::string_view::npos) {
				i = close;
				continue;
			}
		}
		if (c == '{' && s.substr(i, 9) == "{closure#") {
			size_t close = s.find('}', i);
			r.append("{{closure}}");
			i = close == std::string_view::npos ? s.size() : close;
			continue;
		}
		r.push_back(c);
	}
	// "::h0123456789abcdef" suffix
	if (r.size() > 19) {
		std::string_view tail(r.data() + r.size() - 19, 19);
		bool hash = starts_with(tail, "::h");
		for (size_t k = 3; k < tail.size() && hash; k++)
			hash = is_hex(tail[k]);
		if (hash)
			r.resize(r.size() - 19);
	}
	return r;
}

// Drops generic argument lists "<...>" that follow an identifier (Option<T>,
// ::<&str>) but keeps a leading "<T as Trait>" qualifier for separate handling.
std::string
drop_generics(std::string_view s)
{
	std::string r;
	int depth = 0;
	for (size_t i = 0; i < s.size(); i++) {
		char c = s[i];
		if (c == '<') {
			depth++;
			continue;
		}
		if (c == '>' && depth > 0) {
			depth--;
			continue;
		}
		if (depth == 0)
			r.push_back(c);
	}
	// "panic_display::" left by "::<&str>"
	while (ends_with(r, "::"))
		r.resize(r.size() - 2);
	return r;
}

// "<A as B>::m" / "<A>::m" -> "A::m" (keyed by the type A), recursively.
std::string
unqualify(std::string_view v)
{
	if (v.empty() || v[0] != '<')
		return drop_generics(v);
	int depth = 0;
	size_t close = std::string_view::npos;
	for (size_t i = 0; i < v.size(); i++) {
		if (v[i] == '<')
			depth++;
		else if (v[i] == '>' && --depth == 0) {
			close = i;
			break;
		}
	}
	if (close == std::string_view::npos)
		return drop_generics(v);
	std::string_view inner = v.substr(1, close - 1);
	int d = 0;
	size_t as = std::string_view::npos;
	for (size_t i = 0; i + 4 <= inner.size(); i++) {
		if (inner[i] == '<')
			d++;
		else if (inner[i] == '>')
			d--;
		else if (d == 0 && inner.substr(i, 4) == " as ") {
			as = i;
			break;
		}
	}
	std::string_view type = as == std::string_view::npos ? inner : inner.substr(0, as);
	while (!type.empty() && (type[0] == '&' || type[0] == '*'))
		type.remove_prefix(1);
	eat(type, "mut ");
	eat(type, "const ");
	eat(type, "dyn ");
	std::string r = unqualify(type);
	r.append(drop_generics(v.substr(close + 1)));
	return r;
}

// fp2: "<impl Trait for path::Type>" -> "path::Type" (and an inherent
// "<impl path::Type>" -> "path::Type"): the type the method belongs to
// (fp1 dropped the whole "<impl ...>": every type's Deserialize in a crate
// was one function).
std::string
impl_types(std::string s)
{
	for (size_t at = s.find("<impl "); at != std::string::npos; at = s.find("<impl ", at)) {
		int depth = 0;
		size_t close = std::string::npos, for_at = std::string::npos;
		for (size_t i = at; i < s.size(); i++) {
			if (s[i] == '<')
				depth++;
			else if (s[i] == '>' && --depth == 0) {
				close = i;
				break;
			} else if (depth == 1 && for_at == std::string::npos && s.compare(i, 5, " for ") == 0)
				for_at = i;
		}
		if (close == std::string::npos)
			break;
		size_t from = for_at != std::string::npos ? for_at + 5 : at + 6;
		std::string type = s.substr(from, close - from);
		s.replace(at, close + 1 - at, type);
		at += type.size();
	}
	return s;
}

void
split_symbol(std::string_view sym, std::string &module, std::string &function, bool fp2 = false)
{
	std::string s = clean_symbol(sym);
	if (fp2 && s.find("<impl ") != std::string::npos)
		s = impl_types(std::move(s));
	std::string path = unqualify(s);
	// fp2: a derive macro's impl sits in an anonymous const block
	// ("crate::_::crate::Config::deserialize"): the type's own path follows
	if (fp2) {
		size_t anon = path.rfind("::_::");
		if (anon != std::string::npos)
			path.erase(0, anon + 5);
	}
	// function = last segment (with trailing {{closure}} segments attached),
	// module = the segments before it; segments split at "::" left to right.
	std::string_view pv(path);
	size_t fn_start = 0;  // start of the function's first segment
	size_t start = 0;
	for (;;) {
		size_t k = pv.find("::", start);
		if (start > 0 && pv.substr(start, k == std::string_view::npos ? std::string_view::npos : k - start) != "{{closure}}")
			fn_start = start;
		if (k == std::string_view::npos)
			break;
		start = k + 2;
	}
	function.assign(pv.substr(fn_start));
	if (fn_start > 0)
		module.assign(pv.substr(0, fn_start - 2));
	else
		module.clear();
}

bool
is_plumbing(const std::string &mod, const std::string &fn)
{
	static const PrefixSet kPlumbing{"std::panicking", "core::panicking", "std::rt::lang_start", "std::sys::backtrace",
	                                 "std::sys_common::backtrace", "std::backtrace_rs", "std::backtrace",
	                                 "std::sys::", "std::panic::catch_unwind", "__rust", "__rustc::",
	                                 "rust_begin_unwind", "core::ops::function::FnOnce::call_once",
	                                 "core::ops::function::Fn", "core::result::unwrap_failed",
	                                 "core::option::unwrap_failed", "core::option::expect_failed",
	                                 "core::fmt::", "std::io::default_write_fmt", "std::thread::Builder::spawn_unchecked",
	                                 "std::thread::lifecycle", "core::panic::", "__libc_start", "_start", "std::io::Write",
	                                 "std::sys::stdio", "std::thread::", "anyhow::", "eyre::", "tracing::", "tokio::runtime::",
	                                 "<unknown>"};
	// "mod::fn", in a stack buffer when it fits.
	char buf[256];
	std::string big;
	std::string_view full;
	if (mod.empty()) {
		full = fn;
	} else if (mod.size() + 2 + fn.size() <= sizeof buf) {
		std::memcpy(buf, mod.data(), mod.size());
		std::memcpy(buf + mod.size(), "::", 2);
		std::memcpy(buf + mod.size() + 2, fn.data(), fn.size());
		full = std::string_view(buf, mod.size() + 2 + fn.size());
	} else {
		big = mod + "::" + fn;
		full = big;
	}
	return kPlumbing.starts(full) ||
	       full == "main";
}

// fp2: a process's C entry under RUST_BACKTRACE=full, with no file: Mach-O's
// "_main" / "start", glibc's, Windows' (fp1: "_main" was app code, macOS's
// =full split from =1)
bool
is_process_entry(std::string_view fn)
{
	if (starts_with(fn, "_"))
		fn.remove_prefix(1);
	return fn == "main" || fn == "start" || starts_with(fn, "_libc_start") || fn == "BaseThreadInitThunk" ||
	       fn == "RtlUserThreadStart" || fn == "invoke_main" || fn == "_scrt_common_main_seh" ||
	       fn == "mainCRTStartup" || fn == "wmainCRTStartup";
}

bool
is_library_crate(std::string_view mod, std::string_view file)
{
	std::string_view crate = mod.substr(0, mod.find("::"));
	if (crate == "std" || crate == "core" || crate == "alloc" || crate == "hashbrown" || crate == "tokio" ||
	    crate == "futures" || crate == "futures_util" || crate == "hyper" || crate == "axum" || crate == "tower" ||
	    crate == "serde" || crate == "serde_json" || crate == "sqlx" || crate == "diesel" || crate == "reqwest" ||
	    crate == "actix_web" || crate == "rayon" || crate == "test")
		return true;
	return file.find("/rustc/") != std::string_view::npos || file.find("/.cargo/registry/") != std::string_view::npos ||
	       file.find("/.cargo/git/") != std::string_view::npos || file.find("/library/std/") != std::string_view::npos;
}

// fp2: the crate a keyed source file belongs to, for the standard library's
// ("std/src/..." -> "std") and a dependency's ("crate:tokio/src/..." ->
// "crate:tokio"); empty for the app's.
std::string_view
crate_of_file(std::string_view file)
{
	for (std::string_view c : {"std/src/", "core/src/", "alloc/src/"})
		if (starts_with(file, c))
			return file.substr(0, c.size() - 5);
	if (starts_with(file, "crate:"))
		return file.substr(0, file.find('/'));
	return {};
}

// fp2: a frame whose file is not Rust source (glibc's ./nptl/pthread_create.c,
// clone3.S under RUST_BACKTRACE=full) or is the standard library's source
// as the parser keeps it ("core/src/iter/...": the /rustc/<hash>/library/
// prefix dropped; generic code such as <usize as Sum>::sum otherwise has no
// std crate in its symbol).
bool
is_foreign_or_std_file(std::string_view file)
{
	if (file.empty())
		return false;
	if (!ends_with(file, ".rs"))
		return true;
	for (std::string_view c : {"std/src/", "core/src/", "alloc/src/", "panic_unwind/src/", "panic_abort/src/",
	                           "proc_macro/src/", "test/src/", "backtrace/src/"})
		if (starts_with(file, c))
			return true;
	return false;
}

}  // namespace

// fp2: the report anyhow and eyre print for an error's Debug (`{:?}`, and
// what `fn main() -> Result<..>` prints after "Error: "):
//
//   Error: posting batch from 63 bytes
//
//   Caused by:
//       0: decoding ledger batch
//       1: invalid type: string "12.50", expected i64 at line 1 column 60
//
//   Stack backtrace:
//      0: anyhow::context::<impl anyhow::Context<T,E> for ...>::context
//                at /usr/share/cargo/registry/anyhow-1.0.69/src/context.rs:54:37
//      1: fx_anyhow::decode_batch
//                at ./src/main.rs:10:47
//
// Recognised by a "Caused by:" or "Stack backtrace:" line that is not
// indented (Java's "Caused by: <type>" always names a type; a panic says
// "stack backtrace:") and is followed by an indented line, after a first
// line that is not indented.  Without the rule, detection read the cause
// lines "0: decoding ledger batch" as frames of a panic, or the generic
// parser keyed them with the input values in them.
bool
rust_report_layout(const std::vector<std::string_view> &lines)
{
	const size_t n = std::min(lines.size(), size_t(64));
	size_t first = 0;
	while (first < n && trim(lines[first]).empty())
		first++;
	if (first >= n || is_space(lines[first][0]))
		return false;
	// a panic whose message is such a report (`.unwrap()` on an anyhow
	// error: "thread 'main' panicked at src/main.rs:13:20:", then "called
	// `Result::unwrap()` on an `Err` value: <report>") is a panic
	if (starts_with(lines[first], "thread '") && lines[first].find(" panicked at ") != std::string_view::npos)
		return false;
	for (size_t i = first + 1; i < n; i++) {
		std::string_view l = lines[i];
		if (l.empty() || (l[0] != 'C' && l[0] != 'S'))
			continue;
		std::string_view r = rtrim(l);
		if (r != "Caused by:" && r != "Stack backtrace:")
			continue;
		size_t j = i + 1;
		while (j < lines.size() && trim(lines[j]).empty())
			j++;
		return j < lines.size() && is_space(lines[j][0]);
	}
	return false;
}

namespace {

class RustParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Rust; }
	int max_line_points() const override { return 6; }

	// score(): "thread ", "stack backtrace:", "at <file>", "<N>: <symbol>" (trimmed).
	bool may_score(LineShape s) const override
	{
		return s.first == 't' || s.first == 's' || s.first == 'a' || (s.first >= '0' && s.first <= '9');
	}

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view t = trim(l);
			std::string_view sym, file;
			int64_t ln;
			if (starts_with(t, "thread '") && t.find("' panicked at ") != std::string_view::npos)
				n += 6;
			else if (starts_with(t, "thread ") && t.find(" panicked at ") != std::string_view::npos)
				n += 6;
			else if (t == "stack backtrace:")
				n += 2;
			else if (at_line(l, file, ln) && (ends_with(file, ".rs") || file.find("/rustc/") != std::string_view::npos))
				n += 4;
			else if (frame_symbol(l, sym) && sym.find("::") != std::string_view::npos)
				n += 2;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		if (out.algorithm >= Algorithm::Fp2 && rust_report_layout(lines)) {
			parse_report(lines, out, cancel);
			return;
		}
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		bool in_message = false;
		bool seen_header = false;
		std::string_view location;  // the header's "file:line:col"
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			if (starts_with(t, "thread '") && t.find(" panicked at ") != std::string_view::npos) {
				if (seen_header && !ex.frames.empty())
					break;  // a second panic report
				seen_header = true;
				ex.type = "panic";
				ex.message.clear();
				std::string_view rest = t.substr(t.find(" panicked at ") + 13);
				if (starts_with(rest, "'")) {
					// old: 'msg', src/main.rs:2:5
					size_t end = rfind_str(rest, "', ");
					ex.message.assign(end == std::string_view::npos ? rest.substr(1) : rest.substr(1, end - 1));
					location = end == std::string_view::npos ? std::string_view() : rest.substr(end + 3);
					in_message = false;
				} else {
					in_message = true;  // new: message on the following lines
					location = ends_with(rest, ":") ? rest.substr(0, rest.size() - 1) : rest;
				}
				continue;
			}
			if (t == "stack backtrace:" || starts_with(t, "note: ")) {
				in_message = false;
				continue;
			}
			if (!in_message && frame_line(raw, ex, out.algorithm >= Algorithm::Fp2))
				continue;
			if (in_message)
				append_message_line(ex.message, t);
		}
		// fp2: a panic without a backtrace (RUST_BACKTRACE unset, the
		// default) still says where it panicked: that file is the frame
		// (fp1 fell back to the generic parser: the message lines were keyed)
		if (out.algorithm >= Algorithm::Fp2 && ex.frames.empty() && seen_header)
			push_location_frame(ex, location);
		classify(ex, out.algorithm);
	}

private:
	// A frame's or a panic's source file as keyed: the standard library's
	// after "/rustc/<sha>/library/", the app's relative to its root.
	// fp2: a dependency's source — cargo's registry
	// (".cargo/registry/src/<index>/tokio-1.35.1/src/..."), a git checkout
	// (".cargo/git/checkouts/<repo>-<hash>/<rev>/<crate>/src/..."),
	// Debian's /usr/share/cargo/registry/<crate>-<ver>/, `cargo vendor`'s
	// vendor/<crate>/ — is "crate:<crate>/src/..." (fp1: the app's
	// "src/...", so a crate missing from is_library_crate()'s list was app
	// code); the standard library's also when printed relative to the
	// toolchain ("library/std/src/..." in a panic's location).
	static std::string source_file(std::string_view file, bool fp2)
	{
		std::string p_buf;
		std::string_view p = slashes_view(file, p_buf);
		if (fp2) {
			if (starts_with(p, "library/"))
				return std::string(p.substr(8));
			std::string dep = dependency_file(p);
			if (!dep.empty())
				return dep;
		}
		size_t lib = p.find("/library/");
		return lib != std::string::npos ? std::string(p.substr(lib + 9)) : app_relative_path(p);
	}

	static std::string dependency_file(std::string_view p)
	{
		// the crate's directory and what follows it
		std::string_view rest;
		bool versioned = true;
		size_t k;
		if ((k = p.find("/.cargo/registry/src/")) != std::string_view::npos) {
			rest = p.substr(k + 21);
			rest = rest.substr(std::min(rest.size(), rest.find('/') + 1));  // the index directory
		} else if ((k = p.find("/cargo/registry/")) != std::string_view::npos) {
			rest = p.substr(k + 16);  // Debian's /usr/share/cargo/registry/<crate>-<ver>/
		} else if ((k = p.find("/.cargo/git/checkouts/")) != std::string_view::npos) {
			rest = p.substr(k + 22);
			for (int skip = 0; skip < 2; skip++)  // "<repo>-<hash>/<rev>/"
				rest = rest.substr(std::min(rest.size(), rest.find('/') + 1));
			versioned = false;
		} else if ((k = p.find("/vendor/")) != std::string_view::npos || starts_with(p, "vendor/")) {
			rest = p.substr(k == std::string_view::npos ? 7 : k + 8);
			versioned = false;
		} else {
			return {};
		}
		size_t slash = rest.find('/');
		if (slash == std::string_view::npos || slash == 0)
			return {};
		std::string crate = versioned ? strip_version_suffix(rest.substr(0, slash)) : std::string(rest.substr(0, slash));
		return "crate:" + crate + std::string(rest.substr(slash));
	}

	// "src/billing.rs:54:24": a frame "<panic>" in that file, keyed by the
	// file (its line moves with every edit above it).
	static void push_location_frame(ExceptionInfo &ex, std::string_view location)
	{
		size_t c2 = location.rfind(':');
		size_t c1 = c2 == std::string_view::npos || c2 == 0 ? std::string_view::npos : location.rfind(':', c2 - 1);
		if (c1 == std::string_view::npos || to_int(location.substr(c1 + 1, c2 - c1 - 1)) < 0 ||
		    to_int(location.substr(c2 + 1)) < 0)
			return;
		Frame f;
		f.lang = Lang::Rust;
		f.file = source_file(location.substr(0, c1), true);
		f.line = to_int(location.substr(c1 + 1, c2 - c1 - 1));
		// a panic in the standard library or a dependency is keyed by the
		// crate: its files move between versions
		std::string_view crate = crate_of_file(f.file);
		f.module = crate.empty() ? f.file : std::string(crate);
		// rustc prints an app's path relative to the workspace root
		// ("crates/api/src/lib.rs"): all of it is the code's layout, and its
		// crate directory tells a workspace's crates apart (app_relative_path
		// kept "src/lib.rs": two crates' panics at one line were one issue)
		std::string_view path = trim(location.substr(0, c1));
		while (eat(path, "./"))
			;
		if (crate.empty() && !path.empty() && path[0] != '/' && path[0] != '\\' &&
		    !(path.size() > 1 && path[1] == ':') && ends_with(path, ".rs")) {
			std::string rel_buf;
			f.module.assign(slashes_view(path, rel_buf));
		}
		f.function = "<panic>";
		f.category = Category::App;
		push_frame(ex, std::move(f));
	}

	// A backtrace line: "N: symbol" starts a frame, "at file:line:col" gives
	// the last frame its location.  False for any other line.
	static bool frame_line(std::string_view raw, ExceptionInfo &ex, bool fp2)
	{
		std::string_view sym, file;
		int64_t ln = -1;
		if (frame_symbol(raw, sym)) {
			if (sym == "<unknown>")
				return true;
			Frame f;
			f.lang = Lang::Rust;
			split_symbol(sym, f.module, f.function, fp2);
			f.category = Category::App;
			push_frame(ex, std::move(f));
			return true;
		}
		if (at_line(raw, file, ln)) {
			if (!ex.frames.empty()) {
				Frame &f = ex.frames.back();
				if (f.file.empty()) {
					f.file = source_file(file, fp2);
					f.line = ln;
				}
			}
			return true;
		}
		return false;
	}

	// Classify once files are known.
	static void classify(ExceptionInfo &ex, Algorithm algorithm)
	{
		const bool fp2 = algorithm >= Algorithm::Fp2;
		for (Frame &f : ex.frames) {
			if (f.function == "<unknown>" || is_plumbing(f.module, f.function) ||
			    (fp2 && f.module.empty() && f.file.empty() && is_process_entry(f.function)))
				f.category = Category::Plumbing;
			else if (is_library_crate(f.module, f.file) ||
			         (fp2 && (is_foreign_or_std_file(f.file) || starts_with(f.file, "crate:"))))
				f.category = Category::Library;
			else
				f.category = Category::App;
		}
	}

	// fp2: an error report (rust_report_layout()).  The first lines are the
	// error's own message ("Error: " dropped), "Caused by:" lists its
	// sources outermost first (numbered from 0, or one unnumbered), and the
	// "Stack backtrace:" frames are where the error was created, i.e. the
	// root cause's.  Every exception's type is unknown (empty).  Other
	// sections (eyre's "Location:") are skipped.
	static void parse_report(const std::vector<std::string_view> &lines, ParsedStack &out, const Cancel &cancel)
	{
		enum class Section { Head, Causes, Backtrace, Other } sec = Section::Head;
		out.chain.emplace_back();
		ExceptionInfo frames_of;  // the backtrace, moved to the root cause at the end
		size_t i = 0;
		bool first = true;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			if (!is_space(raw[0])) {
				std::string_view r = rtrim(raw);
				if (r == "Caused by:") {
					sec = Section::Causes;
					continue;
				}
				if (r == "Stack backtrace:") {
					sec = Section::Backtrace;
					continue;
				}
				if (sec != Section::Head) {
					sec = Section::Other;
					continue;
				}
			}
			switch (sec) {
			case Section::Head:
				if (first && starts_with(t, "Error: "))
					t = trim(t.substr(7));
				first = false;
				append_message_line(out.chain.front().message, t);
				break;
			case Section::Causes: {
				// "N: text", N the next index; else one unnumbered cause,
				// or a continuation line of the last cause
				size_t d = 0;
				while (d < t.size() && is_digit(t[d]))
					d++;
				const size_t next = out.chain.size() - 1;
				bool numbered = d > 0 && d <= 4 && d + 1 < t.size() && t[d] == ':' && t[d + 1] == ' ' &&
				                static_cast<size_t>(to_int(t.substr(0, d))) == next;
				if (numbered || out.chain.size() == 1) {
					ExceptionInfo &c = out.chain.emplace_back();
					c.role = Role::Cause;
					c.depth = static_cast<int>(out.chain.size() - 1);
					append_message_line(c.message, numbered ? trim(t.substr(d + 1)) : t);
				} else {
					append_message_line(out.chain.back().message, t);
				}
				break;
			}
			case Section::Backtrace:
				frame_line(raw, frames_of, true);
				break;
			case Section::Other:
				break;
			}
		}
		ExceptionInfo &root = out.chain.back();
		root.frames = std::move(frames_of.frames);
		root.frames_truncated = frames_of.frames_truncated;
		classify(root, out.algorithm);
	}
};

}  // namespace

const StackParser &
rust_parser()
{
	static const RustParser p;
	return p;
}

}  // namespace errtrack
