// parse_go.cpp — Go panics, runtime/debug.Stack() dumps and dd-trace-go stacks.
//
//   panic: runtime error: index out of range [5] with length 3 [recovered]
//   	panic: cleanup failed
//   [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5c6f]
//
//   goroutine 1 [running]:
//   main.(*Cache).Put(0xc000012345, {0x4c1832, 0x6})
//   	/srv/app/main.go:21 +0x1d
//   example.com/lib.Decode(...)
//   	/root/go/pkg/mod/example.com/lib@v1.2.3/codec.go:14
//   created by main.(*Server).Serve in goroutine 1
//   	/srv/app/main.go:55 +0xff
//
// dd-trace-go sends only "func\n\tfile:line" pairs (no header, args, offsets).
//
// Frames: module = the package import path (never the file path, so the
// install location, GOPATH/module cache and versions never reach the key);
// function = receiver + method with argument lists dropped and closures
// canonicalised across Go 1.21/1.24 renames (foo.func1, foo.func1.1,
// foo.foo.func1.func2 -> foo.<closure>).  Only the first goroutine block
// (the panicking one) is read.  runtime.*, panic, created-by frames, testing
// and tracer packages are plumbing; everything innermost of the last panic()
// frame (a deferred recover handler, debug.Stack) is plumbing too.
#include <algorithm>
#include <vector>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using namespace putil;

bool
is_goroutine_header(std::string_view t)
{
	if (!starts_with(t, "goroutine "))
		return false;
	size_t i = 10;
	size_t d = i;
	while (i < t.size() && is_digit(t[i]))
		i++;
	return i > d && i < t.size() && t[i] == ' ' && ends_with(t, ":") && t.find('[') != std::string_view::npos;
}

// "\t/path/file.go:12 +0x1d" -> file, line
bool
parse_location(std::string_view raw, std::string_view &file, int64_t &line)
{
	if (raw.empty() || raw[0] != '\t')
		return false;
	std::string_view t = trim(raw);
	size_t sp = rfind_str(t, " +0x");
	if (sp != std::string_view::npos)
		t = t.substr(0, sp);
	size_t colon = rfind_char(t, ':');
	if (colon == std::string_view::npos || colon == 0)
		return false;
	int64_t n = to_int(t.substr(colon + 1));
	if (n < 0)
		return false;
	file = t.substr(0, colon);
	line = n;
	return true;
}

// Drops the trailing argument list "(0xc000012345, {...})" / "(...)" by
// matching parentheses from the end.
std::string_view
strip_args(std::string_view f)
{
	if (f.empty() || f.back() != ')')
		return f;
	int depth = 0;
	for (size_t i = f.size(); i-- > 0;) {
		char c = f[i];
		if (c == ')')
			depth++;
		else if (c == '(') {
			if (--depth == 0) {
				// "pkg.(*T)" alone is not an argument list
				if (i == 0 || f[i - 1] == '.')
					return f;
				return f.substr(0, i);
			}
		}
	}
	return f;
}

bool
is_closure_token(std::string_view tok)
{
	for (std::string_view pv : {std::string_view("func"), std::string_view("gowrap"), std::string_view("deferwrap")}) {
		if (starts_with(tok, pv) && all_digits(tok.substr(pv.size())))
			return true;
	}
	return all_digits(tok);
}

// "(*Worker).Start.func1.1" -> "(*Worker).Start.<closure>"
std::string
canonical_function(std::string_view rest)
{
	std::string out;
	bool cut = false;
	std::string_view prev;
	// Tokens are taken as they end; the first closure token ends the name.
	auto take = [&](std::string_view tok) {
		if (is_closure_token(tok)) {
			cut = true;
			return false;
		}
		if (tok == prev)
			return true;  // Go 1.24: main.foo.foo.func1
		if (!out.empty())
			out.push_back('.');
		out.append(tok);
		prev = tok;
		return true;
	};
	int depth = 0;
	size_t start = 0;
	for (size_t i = 0; i <= rest.size(); i++) {
		char c = i < rest.size() ? rest[i] : '.';
		if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == '.' && depth == 0) {
			if (!take(rest.substr(start, i - start)))
				break;
			start = i + 1;
		}
	}
	if (cut)
		out.append(out.empty() ? "<closure>" : ".<closure>");
	return out;
}

// Go standard library top-level packages (no dot in the first element).
bool
is_stdlib(std::string_view pkg)
{
	size_t slash = pkg.find('/');
	std::string_view first = pkg.substr(0, slash);
	static constexpr std::string_view std_pkgs[] = {
		"archive", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context", "crypto",
		"database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go", "hash",
		"html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime", "net",
		"os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv",
		"strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode", "unique",
		"unsafe", "vendor", "weak", "golang.org/x"};
	for (std::string_view p : std_pkgs)
		if (first == p)
			return true;
	return false;
}

bool
is_plumbing_pkg(std::string_view pkg)
{
	static const PrefixSet kRuntime{"runtime", "testing", "internal/poll"};
	static const PrefixSet kTracers{"gopkg.in/DataDog/dd-trace-go", "github.com/DataDog/dd-trace-go",
	                                "go.opentelemetry.io/", "github.com/getsentry/sentry-go",
	                                "github.com/newrelic/go-agent", "go.elastic.co/apm",
	                                "github.com/pkg/errors", "github.com/rollbar/", "github.com/bugsnag/",
	                                "github.com/cockroachdb/errors", "golang.org/x/xerrors"};
	return kRuntime.in_namespace(pkg, '/') ||
	       kTracers.starts(pkg);
}

// Third-party modules that are libraries wherever they are installed.
bool
is_known_library(std::string_view pkg)
{
	static const PrefixSet kLibraries{"golang.org/x/", "google.golang.org/", "github.com/gin-gonic/",
	                                  "github.com/labstack/", "github.com/gorilla/", "github.com/go-chi/",
	                                  "github.com/jackc/", "github.com/lib/pq", "gorm.io/", "github.com/go-sql-driver/",
	                                  "github.com/redis/", "github.com/go-redis/", "github.com/aws/",
	                                  "github.com/grpc-ecosystem/", "github.com/sirupsen/", "go.uber.org/",
	                                  "github.com/stretchr/", "github.com/spf13/", "k8s.io/", "github.com/valyala/",
	                                  "github.com/gofiber/", "github.com/jmoiron/", "github.com/segmentio/",
	                                  "github.com/IBM/sarama", "github.com/Shopify/sarama", "github.com/nats-io/"};
	return kLibraries.starts(pkg);
}

// Module cache / GOROOT / vendor prefixes removed from a file path.
std::string
normalize_go_file(std::string_view raw)
{
	std::string p_buf;
	std::string_view p = slashes_view(raw, p_buf);
	size_t mod = rfind_str(p, "/pkg/mod/");
	if (mod != std::string::npos) {
		std::string rel(p.substr(mod + 9));
		// drop "@version" from the module element
		size_t at = rel.find('@');
		if (at != std::string::npos) {
			size_t slash = rel.find('/', at);
			rel.erase(at, slash == std::string::npos ? std::string::npos : slash - at);
		}
		return rel;
	}
	size_t v = rfind_str(p, "/vendor/");
	if (v != std::string::npos)
		return std::string(p.substr(v + 8));
	for (std::string_view root : {std::string_view("/usr/local/go/src/"), std::string_view("/usr/lib/go/src/"),
	                              std::string_view("/go/src/")}) {
		size_t r = p.find(root);
		if (r != std::string::npos)
			return std::string(p.substr(r + root.size()));
	}
	size_t lg = p.find("/usr/lib/go-");
	if (lg != std::string::npos) {
		size_t src = p.find("/src/", lg);
		if (src != std::string::npos)
			return std::string(p.substr(src + 5));
	}
	return app_relative_path(p);
}

Frame
make_frame(std::string_view func_line, std::string_view file, int64_t line, bool created_by)
{
	Frame f;
	f.lang = Lang::Go;
	f.line = line;
	std::string_view fn = strip_args(trim(func_line));
	// Split the package: up to the last '/', then up to the first '.'.
	// Only look for '/' before any '(' or '[' (receivers, generics).
	size_t lim = find_first_of_few(fn, "([");
	std::string_view head = fn.substr(0, lim);
	size_t slash = rfind_char(head, '/');
	size_t dot = fn.find('.', slash == std::string_view::npos ? 0 : slash + 1);
	std::string_view pkg;
	std::string_view rest = fn;
	if (starts_with(fn, "go.") || starts_with(fn, "go:") || starts_with(fn, "type.") || starts_with(fn, "type:")) {
		pkg = "";  // compiler-generated symbol, no package
	} else if (dot != std::string_view::npos) {
		pkg = fn.substr(0, dot);
		rest = fn.substr(dot + 1);
	}
	if (pkg.empty() && (rest == "panic" || rest == "gopanic"))
		pkg = "runtime";
	f.module.assign(pkg);
	f.function = canonical_function(rest);
	if (!file.empty())
		f.file = normalize_go_file(file);
	std::string fpath_buf;
	std::string_view fpath = slashes_view(file, fpath_buf);
	if (created_by || is_plumbing_pkg(pkg) || pkg.empty())
		f.category = Category::Plumbing;
	else if (pkg == "main")
		f.category = Category::App;
	else if (is_stdlib(pkg) || is_known_library(pkg))
		f.category = Category::Library;
	else if (fpath.find("/pkg/mod/") != std::string::npos || fpath.find("/vendor/") != std::string::npos ||
	         starts_with(fpath, "vendor/") || fpath.find("/third_party/") != std::string::npos)
		f.category = Category::Library;
	else
		f.category = Category::App;
	return f;
}

bool
is_panic_frame(const Frame &f)
{
	return f.module == "runtime" && (f.function == "panic" || f.function == "gopanic");
}

// A function line: no leading whitespace, not a header, has a '.' or is panic(...)
bool
looks_like_func(std::string_view raw)
{
	if (raw.empty() || is_space(raw[0]))
		return false;
	std::string_view t = rtrim(raw);
	if (starts_with(t, "panic: ") || starts_with(t, "fatal error: ") || starts_with(t, "[signal ") ||
	    starts_with(t, "goroutine ") || t.find(' ') < t.find('('))
		return starts_with(t, "created by ");
	return t.find('.') != std::string_view::npos || starts_with(t, "panic(");
}

class GoParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Go; }
	int max_line_points() const override { return 3; }

	// score(): on the untrimmed line: "goroutine ", "panic: ", "fatal error: ", "\t<file>:<line>".
	bool may_score(LineShape s) const override
	{
		return s.raw_first == 'g' || s.raw_first == 'p' || s.raw_first == 'f' || s.raw_first == '\t';
	}

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view t = rtrim(l);
			std::string_view file;
			int64_t line;
			if (is_goroutine_header(t))
				n += 3;
			else if (starts_with(t, "panic: ") || starts_with(t, "fatal error: "))
				n += 2;
			else if (parse_location(t, file, line) && ends_with(file, ".go"))
				n += 3;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		out.chain.emplace_back();
		ExceptionInfo *ex = &out.chain.back();  // (a pkg/errors layer starts a new one)
		ex->role = Role::Outer;
		// fp2: github.com/pkg/errors' "%+v" prints one layer per wrap — a
		// message line, then its stack — root cause first; each message line
		// starts a layer (only without a panic or goroutine header)
		const bool fp2 = out.algorithm >= Algorithm::Fp2;
		bool header = false;
		// fp2: a deadlock ("fatal error: all goroutines are asleep -
		// deadlock!") is where every goroutine blocks: goroutine 1 (main,
		// often only waiting for the others) and the rest are keyed
		// together (fp1: goroutine 1 only: every deadlock of a program whose
		// main waits on a WaitGroup was one issue)
		bool deadlock = false;
		int goroutines = 0;
		bool done = false;
		std::string_view pending;  // function line awaiting its location
		bool pending_created = false;
		auto flush = [&](std::string_view file, int64_t line) {
			if (pending.empty())
				return;
			push_frame(*ex, make_frame(pending, file, line, pending_created));
			pending = {};
		};
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			if (done)
				break;
			std::string_view l = rtrim(raw);
			std::string_view t = ltrim(l);
			if (t.empty())
				continue;
			std::string_view file;
			int64_t line = -1;
			if (parse_location(l, file, line)) {
				flush(file, line);
				continue;
			}
			// fp2: net/http's log of a handler panic it recovered, "http: panic
			// serving ADDR: VALUE" after the logger's prefix ("echo: ", a date),
			// then the goroutine: the panic's header (the client's address and
			// the logger's prefix were in the message)
			if (fp2 && !header && goroutines == 0 && ex->frames.empty()) {
				size_t at = t.find("http: panic serving ");
				size_t colon = at == std::string_view::npos ? at : t.find(": ", at + 20);
				if (colon != std::string_view::npos) {
					ex->type = "panic";
					ex->message.assign(t.substr(colon + 2, Limits::max_message_bytes));
					header = true;
					continue;
				}
			}
			if (starts_with(t, "panic: ") || starts_with(t, "fatal error: ")) {
				if (goroutines > 0 && !ex->frames.empty()) {
					done = true;  // a second report
					continue;
				}
				bool fatal = starts_with(t, "fatal error: ");
				std::string_view msg = t.substr(fatal ? 13 : 7);
				for (const char *suffix : {" [recovered]", " [recovered, repanicked]"})
					if (ends_with(msg, suffix))
						msg = msg.substr(0, msg.size() - std::char_traits<char>::length(suffix));
				// The last (innermost-printed) panic line is the panic that killed the program.
				if (!fatal && starts_with(msg, "(") && msg.find(") ") != std::string_view::npos) {
					// panic(non-error value): "(main.point) 0xc000..."
					size_t close = msg.find(") ");
					ex->type.assign(msg.substr(1, close - 1));
					ex->message.assign(msg.substr(close + 2));
				} else {
					ex->type = fatal ? "fatal error" : "panic";
					ex->message.assign(msg.substr(0, Limits::max_message_bytes));
					deadlock = fp2 && fatal && msg == "all goroutines are asleep - deadlock!";
				}
				header = true;
				continue;
			}
			if (starts_with(t, "[signal ")) {
				continue;
			}
			// fp2: the runtime's signal dump header ("SIGQUIT: quit",
			// "SIGABRT: abort", then "PC=0x... m=0 sigcode=0" and every goroutine)
			if (fp2 && !header && goroutines == 0 && ex->frames.empty() && starts_with(t, "SIG")) {
				size_t colon = t.find(": ");
				std::string_view sig = t.substr(0, colon);
				if (colon != std::string_view::npos &&
				    std::all_of(sig.begin(), sig.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
					ex->type.assign(sig);
					ex->message.assign(t.substr(colon + 2));
					header = true;
					continue;
				}
			}
			if (is_goroutine_header(t)) {
				flush({}, -1);
				// fp2: a dump of every goroutine (SIGQUIT, GOTRACEBACK=all) can
				// start with the runtime's own (goroutine 0 [idle]): a goroutine
				// without an app frame gives way to the next one
				if (fp2 && goroutines > 0 && !ex->frames.empty() &&
				    std::none_of(ex->frames.begin(), ex->frames.end(),
				                 [](const Frame &f) { return f.category == Category::App; })) {
					ex->frames.clear();
					ex->frames_truncated = false;
				}
				if (++goroutines > 1 && !ex->frames.empty() && !deadlock)
					done = true;  // other goroutines (GOTRACEBACK=all)
				continue;
			}
			if (starts_with(t, "...additional frames elided...") || starts_with(t, "...")) {
				ex->frames_truncated = true;
				continue;
			}
			if (starts_with(l, "created by ")) {
				flush({}, -1);
				std::string_view fn = l.substr(11);
				size_t in = fn.find(" in goroutine ");
				if (in != std::string_view::npos)
					fn = fn.substr(0, in);
				pending = fn;
				pending_created = true;
				continue;
			}
			// (fp2: a Go symbol has no tab: "FAIL\tpkg\t0.004s", go test's
			// trailer, is not a function)
			if (looks_like_func(l) && !(fp2 && l.find('\t') != std::string_view::npos)) {
				flush({}, -1);
				pending = l;
				pending_created = false;
				continue;
			}
			// Header continuation (multi-line panic values) before any frame.
			if (header && ex->frames.empty() && pending.empty() && goroutines == 0) {
				append_message_line(ex->message, t);
				continue;
			}
			if (fp2 && !header && goroutines == 0 && pending.empty()) {
				// pkg/errors: a layer's message (the first one has no frame yet)
				if (!ex->frames.empty() || !ex->message.empty()) {
					flush({}, -1);
					out.chain.emplace_back();
					ex = &out.chain.back();
				}
				ex->message.assign(t.substr(0, Limits::max_message_bytes));
			}
		}
		flush({}, -1);
		if (out.chain.size() > 1) {
			// pkg/errors layers, printed root cause first: outermost first;
			// a layer created during package initialisation (a sentinel
			// error value: its stack runs through runtime.doInit) has no site
			std::reverse(out.chain.begin(), out.chain.end());
			for (size_t k = 0; k < out.chain.size(); k++) {
				ExceptionInfo &e = out.chain[k];
				e.depth = static_cast<int>(k);
				e.role = k == 0 ? Role::Outer : Role::Cause;
				bool init = false;
				for (const Frame &f : e.frames)
					init = init || (f.module == "runtime" && f.function == "doInit");
				if (init)
					for (Frame &f : e.frames)
						f.category = Category::Plumbing;
			}
			return;
		}
		// Everything innermost of the last panic() frame is the deferred
		// handler that recovered / re-panicked (and debug.Stack): plumbing.
		for (size_t k = ex->frames.size(); k-- > 0;) {
			if (is_panic_frame(ex->frames[k])) {
				for (size_t j = 0; j < k; j++)
					ex->frames[j].category = Category::Plumbing;
				break;
			}
		}
	}
};

}  // namespace

const StackParser &
go_parser()
{
	static const GoParser p;
	return p;
}

}  // namespace errtrack
