// parse_python.cpp — CPython tracebacks.
//
//   Traceback (most recent call last):
//     File "/srv/app/svc/handlers.py", line 12, in handle
//       return load(user_id)
//              ^^^^^^^^^^^^^
//   KeyError: 'user'
//
//   The above exception was the direct cause of the following exception:   (or
//   During handling of the above exception, another exception occurred:)
//
//   Traceback (most recent call last): ...
//   app.errors.NotFound: ...
//
// Python prints outermost-call first and the *cause first*; we store frames
// innermost first and the chain outermost first.  Modules: site-packages /
// dist-packages paths become dotted package modules (library); stdlib paths
// (lib/python3.X/) are library; everything else is app code, keyed by file
// basename so install paths and virtualenv locations do not matter.
#include <algorithm>
#include <cstdlib>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

bool
is_frame_line(std::string_view t)
{
	return starts_with(t, "File \"") && t.find("\", line ") != std::string_view::npos;
}

// Also accept Datadog/structlog variants without quotes?  Keep to CPython's format.
// File "path", line N, in func   (faulthandler: File "path", line N in func)
bool
parse_location(std::string_view t, std::string &path, int64_t &line, std::string &func, bool faulthandler = false)
{
	size_t q = t.find("\", line ");
	if (q == std::string_view::npos)
		return false;
	path.assign(t.substr(6, q - 6));
	std::string_view rest = t.substr(q + 8);
	size_t sep = faulthandler ? rest.find(" in ") : rest.find(',');
	std::string_view num = sep == std::string_view::npos ? rest : rest.substr(0, sep);
	line = all_digits(num) ? parse_digits(num) : -1;
	func.clear();
	if (sep != std::string_view::npos) {
		std::string_view in = ltrim(rest.substr(sep + 1));
		if (starts_with(in, "in "))
			func.assign(trim(in.substr(3)));
	}
	return true;
}

std::string
dotted(std::string_view rel)
{
	std::string m(strip_extension(rel));
	std::replace(m.begin(), m.end(), '/', '.');
	if (ends_with(m, ".__init__"))
		m.erase(m.size() - 9);
	return m;
}

bool
is_plumbing_module(std::string_view mod)
{
	static const putil::PrefixSet kPlumbing{"ddtrace", "opentelemetry", "sentry_sdk", "newrelic", "elasticapm",
	                                        "bugsnag", "rollbar", "wrapt", "concurrent.futures", "asyncio",
	                                        "threading", "runpy", "importlib", "contextlib", "functools"};
	return kPlumbing.in_namespace(mod, '.');
}

// fp2: where a library lives outside site-packages / dist-packages — an AWS
// Lambda layer (/opt/python/), a zipapp / pex / egg, or `pip install
// --target DIR` — it is still a library: its module starts at the layer, the
// archive, or a well-known third-party top-level package ("flask/app.py":
// flask.app).  A known package counts only inside a dependency directory
// (vendor/, lib/, deps/, packages/, third_party/... or the root of a Lambda
// deployment, /var/task/): an app directory that happens to be called
// "flask" stays the app's.  Returns npos when none is found.
size_t
vendored_library_start(std::string_view path)
{
	static constexpr std::string_view kPackages[] = {
		"aiohttp", "alembic", "anyio", "asgiref", "attr", "boto3", "botocore", "celery", "click",
		"ddtrace", "django", "elasticapm", "fastapi", "flask", "gevent", "greenlet", "grpc", "gunicorn",
		"h11", "httpcore", "httpx", "itsdangerous", "jinja2", "kombu", "marshmallow", "newrelic",
		"opentelemetry", "psycopg", "psycopg2", "pydantic", "pydantic_core", "pymysql", "pymongo",
		"redis", "requests", "rest_framework", "s3transfer", "sentry_sdk", "sniffio", "sqlalchemy",
		"starlette", "tornado", "urllib3", "uvicorn", "werkzeug"};
	static constexpr std::string_view kDependencyDirs[] = {
		"vendor", "_vendor", "vendored", "lib", "libs", "deps", "dependencies", "packages", "third_party"};
	size_t opt = rfind_str(path, "/opt/python/");
	if (opt != std::string_view::npos)
		return opt + 12;
	std::string_view prev, prev2;
	size_t i = 0;
	while (i < path.size()) {
		size_t slash = path.find('/', i);
		if (slash == std::string_view::npos)
			break;  // the file name itself
		std::string_view seg = path.substr(i, slash - i);
		if (ends_with(seg, ".zip") || ends_with(seg, ".pex") || ends_with(seg, ".egg") || ends_with(seg, ".whl"))
			return slash + 1;
		bool in_deps = prev2 == "var" && prev == "task";
		for (std::string_view d : kDependencyDirs)
			in_deps = in_deps || prev == d;
		if (in_deps)
			for (std::string_view p : kPackages)
				if (seg == p)
					return i;
		prev2 = prev;
		prev = seg;
		i = slash + 1;
	}
	return std::string_view::npos;
}

// A Python identifier (ASCII): what a package directory's name must be.
bool
is_identifier(std::string_view s)
{
	if (s.empty() || is_digit(s[0]))
		return false;
	for (char c : s)
		if (!(is_alnum(c) || c == '_'))
			return false;
	return true;
}

// Module names a framework's convention repeats in every package (Django
// apps, DRF, FastAPI/Flask blueprints, Celery tasks).
bool
is_per_package_module(std::string_view m)
{
	static constexpr std::string_view kNames[] = {
		"admin",  "api",      "apps",       "consumers", "crud",     "filters",     "forms",    "handlers",
		"models", "managers", "permissions", "resources", "routes",  "routers",     "schemas",  "serializers",
		"services", "signals", "tasks",     "urls",      "utils",    "validators",  "views",    "viewsets"};
	for (std::string_view n : kNames)
		if (m == n)
			return true;
	return false;
}

Frame
make_frame(const std::string &raw_path, std::string func, int64_t line, bool fp2)
{
	Frame f;
	f.lang = Lang::Python;
	f.line = line;
	std::string path_buf;
	std::string_view path = slashes_view(raw_path, path_buf);
	f.function = std::move(func);
	// <lambda>, <listcomp>, <genexpr>, <module> stay as they are.
	size_t sp = rfind_str(path, "/site-packages/");
	size_t dp = rfind_str(path, "/dist-packages/");
	size_t marker = std::string::npos, mlen = 0;
	if (sp != std::string::npos && (dp == std::string::npos || sp > dp)) {
		marker = sp;
		mlen = 15;
	} else if (dp != std::string::npos) {
		marker = dp;
		mlen = 15;
	}
	// a library's module: the dotted path below its root
	auto library = [&](std::string_view rel) {
		f.file.assign(rel);
		f.module = dotted(rel);
		f.category = is_plumbing_module(f.module) ? Category::Plumbing : Category::Library;
	};
	if (marker != std::string::npos) {
		library(path.substr(marker + mlen));
		return f;
	}
	// fp2: Windows' standard library, "<prefix>\Lib\asyncio\locks.py" (the
	// python.org installer's C:\Python313, the Store's
	// PythonSoftwareFoundation.Python.3.12_..., pyenv-win, conda; fp1: app
	// code, keyed "locks" like an app's own module)
	if (fp2 && (raw_path.find('\\') != std::string::npos || (path.size() > 2 && path[1] == ':' && path[2] == '/'))) {
		size_t wl = path.find("/Lib/");
		if (wl != std::string_view::npos) {
			library(path.substr(wl + 5));
			return f;
		}
	}
	// Standard library: .../lib/python3.11/json/decoder.py, <frozen importlib._bootstrap>
	// (fp2: also .../lib64/python3.8/, the platlibdir of Red Hat, Fedora and
	// SUSE builds; fp1: app code, keyed "subprocess" like an app's module)
	size_t lp = path.find("/lib/python");
	size_t lp_len = 11;
	if (lp == std::string::npos && fp2) {
		lp = path.find("/lib64/python");
		lp_len = 13;
	}
	if (lp != std::string::npos) {
		size_t slash = path.find('/', lp + lp_len);
		if (slash != std::string::npos) {
			library(path.substr(slash + 1));
			return f;
		}
	}
	if (fp2) {
		size_t lib = vendored_library_start(path);
		if (lib != std::string_view::npos && lib < path.size()) {
			library(path.substr(lib));
			return f;
		}
	}
	// fp2: a Cython extension's source ("asyncpg/protocol/protocol.pyx",
	// relative: the path the extension was compiled from) is a library's
	// compiled code (fp1: app code, keyed "protocol")
	if (fp2 && !path.empty() && path[0] != '/' && path.find(':') == std::string_view::npos &&
	    (ends_with(path, ".pyx") || ends_with(path, ".pxi") || ends_with(path, ".pxd"))) {
		library(path);
		return f;
	}
	// fp2: code typed into IPython / Jupyter ("<ipython-input-4-943c00a16a5e>":
	// the execution count and a hash of the cell's text) or IDLE
	// ("<pyshell#3>"): "<cell>", the app's (fp1: a new module per run)
	if (fp2 && (starts_with(path, "<ipython-input-") || starts_with(path, "<pyshell#"))) {
		f.file = f.module = "<cell>";
		f.category = Category::App;
		return f;
	}
	if (starts_with(path, "<frozen ") || starts_with(path, "<string>") || path == "<stdin>") {
		f.file = path;
		f.module = path;
		f.category = Category::Plumbing;
		return f;
	}
	f.file.assign(basename(path));
	f.module.assign(strip_extension(f.file));
	// fp2: a module whose name every package of a framework repeats (a
	// Django app's views.py, models.py, serializers.py; a FastAPI router
	// package's routes.py) is named with its package, the directory it is
	// in, when that directory can be one (an identifier: "orders/views.py"
	// -> "orders.views"; fp1: "views", one module for every app's
	// views.py).  Other modules keep their own name: the directory of an
	// app's top-level file is its deploy directory ("srv/shop",
	// "opt/shop_v2").  A package's own code ("components/hue/__init__.py")
	// is named by the package ("hue"; fp1: "__init__").
	if (fp2) {
		std::string_view dir = path.substr(0, path.size() - f.file.size());
		if (!dir.empty())
			dir.remove_suffix(1);
		std::string_view pkg = basename(dir);
		if (f.file == "__init__.py") {
			if (!pkg.empty())
				f.module.assign(pkg);
		} else if (is_per_package_module(f.module) && is_identifier(pkg)) {
			f.module.insert(0, ".").insert(0, pkg);
		}
	}
	f.category = Category::App;
	return f;
}

// fp2: a list, dict or set comprehension runs in a frame of its own up to
// Python 3.11 ("in <listcomp>") and inline in its function from 3.12 on (PEP
// 709): the frame is dropped, so that a runtime upgrade keeps the key.
// Generator expressions and lambdas still have their frames.
bool
inlined_since_312(std::string_view func)
{
	return func == "<listcomp>" || func == "<dictcomp>" || func == "<setcomp>";
}

bool
is_chain_separator(std::string_view t, bool &direct)
{
	if (starts_with(t, "The above exception was the direct cause of the following exception")) {
		direct = true;
		return true;
	}
	if (starts_with(t, "During handling of the above exception, another exception occurred")) {
		direct = false;
		return true;
	}
	return false;
}

// Strips exception-group box drawing: "  | ", "  +-+---------------- 1 ----------------"
std::string_view
strip_group_prefix(std::string_view l, bool &is_box_line)
{
	is_box_line = false;
	std::string_view t = ltrim(l);
	if (starts_with(t, "+-") || starts_with(t, "+---") || starts_with(t, "+ ")) {
		is_box_line = starts_with(t, "+-") || starts_with(t, "+---");
		if (starts_with(t, "+ "))
			return t.substr(2);
		return {};
	}
	if (starts_with(t, "| "))
		return t.substr(2);
	if (t == "|")
		return {};
	return l;
}

class PythonParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Python; }
	int max_line_points() const override { return 3; }

	// score(): "File \"" / "Traceback", possibly behind an exception-group "+ " / "| ".
	bool may_score(LineShape s) const override
	{
		return s.first == 'F' || s.first == 'T' || s.first == '+' || s.first == '|';
	}

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			bool box = false;
			std::string_view t = ltrim(strip_group_prefix(l, box));  // exception groups: "  | File ..."
			if (is_frame_line(t))
				n += 3;
			else if (starts_with(t, "Traceback (most recent call last):"))
				n += 3;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		const bool fp2 = out.algorithm >= Algorithm::Fp2;
		if (fp2 && faulthandler_layout(lines)) {
			parse_faulthandler(lines, out, cancel);
			return;
		}
		// Blocks in printed order: each block is a traceback (frames outermost
		// call first) followed by its "Type: message" line(s).
		struct Block {
			ExceptionInfo ex;
			bool header_seen = false;
		};
		std::vector<Block> blocks;
		blocks.emplace_back();
		bool expect_code = false;  // the line after a frame is its source
		bool in_message = false;
		// fp2: the text starts with an exception group ("+ Exception Group
		// Traceback"): the group was printed first, its members after it
		bool group_first = false, first_line = true;
		// fp2: lines before the first traceback that are not an exception
		// of the chain (a log record, uvicorn's "ERROR:    Exception in ASGI
		// application", asyncio's "unhandled exception during asyncio.run()
		// shutdown"): dropped, and the group order read from the first
		// traceback (fp1: from the first line; such a line became the root
		// cause, and the group its member's cause)
		bool traceback_seen = false;
		std::string path, func;
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			bool box = false;
			std::string_view l = strip_group_prefix(rtrim(raw), box);
			std::string_view t = ltrim(l);
			if (box || t.empty()) {
				expect_code = false;
				continue;
			}
			const bool group_tb = starts_with(t, "Exception Group Traceback (most recent call last):");
			const bool tb = group_tb || starts_with(t, "Traceback (most recent call last):");
			if (fp2 ? tb && !traceback_seen : first_line)
				group_first = group_tb;
			first_line = false;
			bool direct = false;
			if (is_chain_separator(t, direct)) {
				blocks.emplace_back();
				in_message = false;
				expect_code = false;
				continue;
			}
			if (tb) {
				if (fp2 && !traceback_seen && blocks.size() == 1 && blocks.back().ex.frames.empty())
					blocks.back() = Block{};
				traceback_seen = true;
				if (blocks.back().header_seen || !blocks.back().ex.frames.empty())
					blocks.emplace_back();
				in_message = false;
				expect_code = false;
				continue;
			}
			int64_t line = -1;
			if (is_frame_line(t) && parse_location(t, path, line, func)) {
				Block &b = blocks.back();
				if (b.header_seen)
					blocks.emplace_back();
				if (!(fp2 && inlined_since_312(func)))
					push_frame(blocks.back().ex, make_frame(path, func, line, fp2));
				expect_code = true;
				in_message = false;
				continue;
			}
			if (starts_with(t, "[Previous line repeated"))
				continue;
			// fp2: Twisted's Failure.getTraceback() prints the stack where the
			// failure was caught above this line and the exception's own
			// traceback below it: only the latter is what every other
			// rendering of the exception holds
			if (fp2 && t == "--- <exception caught here> ---" && !blocks.back().header_seen) {
				blocks.back().ex.frames.clear();
				expect_code = false;
				continue;
			}
			bool indented = l.size() > t.size();
			if (expect_code && indented) {
				// source line or ^^^^ / ~~~^^^ markers
				continue;
			}
			expect_code = false;
			Block &b = blocks.back();
			if (!b.header_seen && !indented) {
				split_type_message(t, b.ex.type, b.ex.message);
				b.header_seen = true;
				in_message = true;
				continue;
			}
			if (in_message && b.ex.message.size() < Limits::max_message_bytes) {
				b.ex.message.push_back('\n');
				b.ex.message.append(t.substr(0, Limits::max_message_bytes));
			}
		}
		// Drop empty leading block (e.g. separator-first input).
		std::vector<ExceptionInfo> printed;
		for (auto &b : blocks)
			if (b.header_seen || !b.ex.frames.empty())
				printed.push_back(std::move(b.ex));
		// fp2: a log record printed before the traceback (logging.exception:
		// "2026-11-24 08:51:40 ERROR shop: lookup failed") is not an
		// exception: frame-less, first, and its "type" has a space
		if (fp2 && printed.size() > 1 && printed[0].frames.empty() && printed[0].type.find(' ') != std::string::npos)
			printed.erase(printed.begin());
		// Each block's frames innermost first; no "builtins." prefix on types.
		for (ExceptionInfo &e : printed) {
			std::reverse(e.frames.begin(), e.frames.end());
			if (starts_with(e.type, "builtins."))
				e.type.erase(0, 9);
		}
		if (fp2 && group_first && printed.size() > 1) {
			// The group is the outer exception; its first member that is not a
			// group itself is the cause (the error the fingerprint is about);
			// the other members are kept as suppressed.
			bool cause_taken = false;
			for (size_t k = 0; k < printed.size(); k++) {
				ExceptionInfo &e = printed[k];
				e.depth = k == 0 ? 0 : 1;
				if (k == 0) {
					e.role = Role::Outer;
				} else if (!cause_taken && !ends_with(e.type, "ExceptionGroup")) {
					e.role = Role::Cause;
					cause_taken = true;
				} else {
					e.role = Role::Suppressed;
				}
			}
			// outermost first, then the cause, then the suppressed members
			std::stable_partition(printed.begin() + 1, printed.end(),
			                      [](const ExceptionInfo &e) { return e.role == Role::Cause; });
			for (auto &e : printed)
				out.chain.push_back(std::move(e));
			return;
		}
		// Printed order is cause first; reverse into outermost first.
		int n = static_cast<int>(printed.size());
		for (int k = n - 1; k >= 0; k--) {
			ExceptionInfo &e = printed[k];
			e.depth = n - 1 - k;
			e.role = e.depth == 0 ? Role::Outer : Role::Cause;
			// fp2: a compile error's location ('File "x.py", line N' with no
			// function, printed last) is where the bug is: named "<syntax>"
			// so it is keyed like a frame (the throw site)
			if (fp2 && !e.frames.empty() && e.frames[0].function.empty() &&
			    (e.type == "SyntaxError" || e.type == "IndentationError" || e.type == "TabError"))
				e.frames[0].function = "<syntax>";
			out.chain.push_back(std::move(e));
		}
	}

private:
	// fp2: a faulthandler dump ("Fatal Python error: Segmentation fault",
	// "Current thread 0x7f.. (most recent call first):", then
	// '  File "x.py", line 4 in crash' lines, innermost first; also the
	// timeout dump "Timeout (0:00:05)!", "Thread 0x..", "Stack (most recent
	// call first):").
	static bool faulthandler_layout(const std::vector<std::string_view> &lines)
	{
		for (std::string_view l : lines) {
			std::string_view t = trim(l);
			if (ends_with(t, "(most recent call first):") &&
			    (starts_with(t, "Current thread 0x") || starts_with(t, "Thread 0x") || starts_with(t, "Stack (")))
				return true;
		}
		return false;
	}

	// The first thread's frames ("Current thread" when the dump has one),
	// innermost first; type "Fatal Python error" (a level: its message is
	// keyed), message what follows it; a timeout dump is type "Timeout".
	static void parse_faulthandler(const std::vector<std::string_view> &lines, ParsedStack &out, const Cancel &cancel)
	{
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		bool has_current = false;
		for (std::string_view l : lines)
			has_current = has_current || starts_with(trim(l), "Current thread 0x");
		enum { Before, In, Done } state = Before;
		std::string path, func;
		size_t i = 0;
		for (std::string_view raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (starts_with(t, "Fatal Python error: ") && ex.type.empty()) {
				ex.type = "Fatal Python error";
				ex.message.assign(t.substr(20, Limits::max_message_bytes));
				continue;
			}
			if (starts_with(t, "Timeout (") && ex.type.empty()) {
				ex.type = "Timeout";
				continue;
			}
			if (ends_with(t, "(most recent call first):")) {
				if (state == In)
					state = Done;
				else if (state == Before && (!has_current || starts_with(t, "Current thread 0x")))
					state = In;
				continue;
			}
			if (state != In)
				continue;
			int64_t line = -1;
			if (!is_frame_line(t) || !parse_location(t, path, line, func, true)) {
				if (t.empty() && !ex.frames.empty())
					state = Done;
				continue;
			}
			if (!inlined_since_312(func))
				push_frame(ex, make_frame(path, func, line, true));
		}
	}

};

}  // namespace

const StackParser &
python_parser()
{
	static const PythonParser p;
	return p;
}

}  // namespace errtrack
