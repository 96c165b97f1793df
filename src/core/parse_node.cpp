// parse_node.cpp — V8 (Node.js, Chrome, Deno, Bun) and SpiderMonkey /
// JavaScriptCore ("fn@file:line:col") stack traces.
//
//   TypeError: Cannot read properties of undefined (reading 'id')
//       at getUser (/srv/app/src/users.js:12:20)
//       at async Promise.all (index 0)
//       at new Repo (/srv/app/src/repo.js:3:11)
//       at Object.<anonymous> (/srv/app/index.js:1:1)
//       at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)
//       at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
//
// Modules: node_modules paths become "npm:<pkg>/<path>" (last node_modules,
// pnpm store handled); node:internal / internal/ are runtime (plumbing);
// app code is keyed by file basename with bundle content hashes stripped.
#include <cstdlib>

#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

bool
is_v8_frame(std::string_view t)
{
	return starts_with(t, "at ") && t.size() > 3;
}

// "fn@file:line:col" or "@file:line:col" (Firefox / Safari)
bool
is_gecko_frame(std::string_view t)
{
	size_t at = t.find('@');
	if (at == std::string_view::npos)
		return false;
	std::string_view fn = t.substr(0, at);
	// JavaScriptCore names top-level code "global code" / "eval code" / "module code"
	if (fn.find(' ') != std::string_view::npos && fn != "global code" && fn != "eval code" &&
	    fn != "module code")
		return false;
	std::string_view loc = t.substr(at + 1);
	if (loc.empty())
		return at > 0 && find_first_of_few(t, "()") == std::string_view::npos;  // JSC "evald@"
	if (loc == "[native code]")
		return true;
	size_t c = rfind_char(loc, ':');
	return c != std::string_view::npos && all_digits(loc.substr(c + 1));
}

// Split "file:line:col" from the right.
void
split_location(std::string_view loc, std::string_view &file, int64_t &line, int64_t &col)
{
	line = col = -1;
	size_t c2 = rfind_char(loc, ':');
	if (c2 != std::string_view::npos && all_digits(loc.substr(c2 + 1))) {
		size_t c1 = rfind_char(loc, ':', c2 - 1);
		if (c1 != std::string_view::npos && c1 < c2 && all_digits(loc.substr(c1 + 1, c2 - c1 - 1))) {
			line = parse_digits(loc.substr(c1 + 1, c2 - c1 - 1));
			col = parse_digits(loc.substr(c2 + 1));
			file = loc.substr(0, c1);
			return;
		}
		line = parse_digits(loc.substr(c2 + 1));
		file = loc.substr(0, c2);
		return;
	}
	file = loc;
}

bool
is_plumbing_pkg(std::string_view pkg)
{
	static constexpr std::string_view names[] = {"dd-trace", "@datadog", "@opentelemetry", "@sentry", "newrelic",
	                                             "elastic-apm-node", "@bugsnag", "rollbar", "shimmer",
	                                             "require-in-the-middle", "import-in-the-middle", "async-listener",
	                                             "continuation-local-storage", "cls-hooked", "zone.js", "regenerator-runtime",
	                                             "tslib", "@babel/runtime", "source-map-support"};
	for (std::string_view n : names)
		if (pkg == n)
			return true;
	return false;
}

// fp2: JavaScript runtimes' own code that fp1 took for the app's: Node's core
// modules printed without "node:" (Node <= 11, old Electron: "module.js",
// "events.js", "_stream_readable.js", "internal/..."), Electron's
// (electron.asar, atom.asar, default_app.asar, electron/js2c), Deno's
// ("ext:deno_node/...", "deno:ext/fetch/...") and a Next.js server's
// precompiled runtime (next-server/*.runtime.prod.js); the webpack runtime
// (webpack-runtime.js, runtime~main.js) is the bundle's dispatch.  Every
// error at an old Node app's top level was keyed by the module loader's
// frames: one issue across apps.  True when it set the frame's category.
bool
runtime_internal(Frame &f, std::string_view path)
{
	static constexpr std::string_view kNodeCore[] = {
		"module.js", "events.js", "timers.js", "net.js", "fs.js", "http.js", "https.js", "tls.js", "dns.js",
		"stream.js", "util.js", "vm.js", "child_process.js", "cluster.js", "domain.js", "zlib.js", "bootstrap_node.js",
		"node.js", "_http_server.js", "_http_client.js", "_http_common.js", "_http_outgoing.js", "_http_incoming.js",
		"_stream_readable.js", "_stream_writable.js", "_stream_transform.js", "_stream_duplex.js", "_tls_wrap.js",
		"_tls_common.js", "readline.js", "buffer.js", "assert.js", "url.js", "querystring.js", "punycode.js"};
	std::string_view module;  // what the frame is keyed by
	Category cat = Category::Library;
	const size_t slash = rfind_char(path, '/');
	if (slash == std::string_view::npos) {
		for (std::string_view c : kNodeCore)
			if (path == c) {
				module = path.substr(0, path.size() - 3);  // "module.js" -> "module", as "node:module"
				cat = Category::Plumbing;
				break;
			}
	} else if (starts_with(path, "ext:") || starts_with(path, "deno:")) {
		module = "deno";
		cat = Category::Plumbing;
	} else if (path.find("asar/") != std::string_view::npos || path.find("js2c/") != std::string_view::npos) {
		for (std::string_view e : {std::string_view("/electron.asar/"), std::string_view("/atom.asar/"),
		                           std::string_view("/default_app.asar/"), std::string_view("electron/js2c/")})
			if (path.find(e) != std::string_view::npos)
				module = "electron";
	} else if ((ends_with(path, ".runtime.prod.js") || ends_with(path, ".runtime.dev.js")) &&
	           (path.find("/next-server/") != std::string_view::npos || starts_with(path, "next-server/"))) {
		module = "next-server";
	}
	if (module.empty()) {
		std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
		if (base == "webpack-runtime.js" || base == "webpack-api-runtime.js" || starts_with(base, "runtime~")) {
			module = "webpack-runtime";
			cat = Category::Plumbing;
		}
	}
	if (module.empty())
		return false;
	f.file.assign(basename(path));
	f.module.assign(module);
	f.category = cat;
	return true;
}

// fp2: file names frameworks repeat in every route or folder
bool
route_file_name(std::string_view m)
{
	for (std::string_view n : {"page", "layout", "route", "loading", "error", "template", "default", "not-found"})
		if (m == n)
			return true;
	return starts_with(m, "+page") || starts_with(m, "+layout") || starts_with(m, "+server") || starts_with(m, "+error");
}

void
classify_path(Frame &f, std::string_view raw, bool fp2)
{
	std::string path_buf;
	std::string_view path = slashes_view(raw, path_buf);
	// Strip URL scheme and host: file:///x, http://host:port/x, webpack:///./x
	size_t scheme = path.find("://");
	if (scheme != std::string_view::npos && scheme < 16) {
		size_t start = scheme + 3;
		if (starts_with(path, "file://") || starts_with(path, "webpack://"))
			;
		else {
			size_t slash = path.find('/', start);
			start = slash == std::string_view::npos ? path.size() : slash;
		}
		path = path.substr(start);
	}
	// strip query/fragment
	size_t q = find_first_of_few(path, "?#");
	if (q != std::string_view::npos)
		path = path.substr(0, q);
	if (starts_with(path, "node:") || starts_with(path, "internal/") || path == "native" ||
	    path.empty() || starts_with(path, "<anonymous>") ||
	    (path.find('/') == std::string_view::npos && path.find('.') == std::string_view::npos)) {
		f.file.assign(path);
		f.module.assign(path.empty() ? std::string_view("<native>") : path);
		if (starts_with(f.module, "node:"))
			f.module.erase(0, 5);
		f.category = Category::Plumbing;
		return;
	}
	size_t nm = rfind_str(path, "/node_modules/");
	size_t skip = 14;  // "/node_modules/"
	// fp2: the system-wide module directories of Debian's node-* packages
	// (/usr/share/nodejs/<pkg>/..., /usr/lib/nodejs/<pkg>/...) are packages
	// like node_modules (fp1: app files named after their basename)
	// (found anywhere in the path: a package's source map can prefix its
	// sources' paths once more, "/usr/usr/share/nodejs/follow-redirects/")
	if (fp2 && nm == std::string_view::npos) {
		for (std::string_view dir : {"/usr/share/nodejs/", "/usr/lib/nodejs/"}) {
			size_t at = path.find(dir);
			if (at != std::string_view::npos) {
				nm = at;
				skip = dir.size();
				break;
			}
		}
	}
	if (nm != std::string_view::npos || starts_with(path, "node_modules/")) {
		std::string_view rel = nm == std::string_view::npos ? path.substr(13) : path.substr(nm + skip);
		// package name: "@scope/name" or "name"
		size_t s1 = rel.find('/');
		std::string_view pkg = rel.substr(0, s1);
		if (!pkg.empty() && pkg[0] == '@' && s1 != std::string_view::npos) {
			size_t s2 = rel.find('/', s1 + 1);
			pkg = rel.substr(0, s2);
		}
		f.file.assign("npm:").append(rel);
		// fp2: a package's frames are named by the package: its code runs
		// from a bundle ("axios/dist/node/axios.cjs") or, through source maps
		// or a sources build, from its files ("axios/lib/core/settle.js")
		if (fp2)
			f.module.assign("npm:").append(pkg);
		else
			f.module.assign("npm:").append(strip_extension(rel));
		f.category = is_plumbing_pkg(pkg) ? Category::Plumbing : Category::Library;
		return;
	}
	// (looked for only where the frame would be the app's)
	if (fp2 && runtime_internal(f, path))
		return;
	std::string base = strip_content_hash(basename(path), fp2);
	f.module.assign(strip_extension(base));
	// fp2: a file name a framework repeats in every route (Next.js' app
	// router: app/orders/page.tsx, layout, route, error, ...; SvelteKit's
	// +page.ts): named with its directory, up to the first that is not a
	// dynamic segment or a route group ("orders/[id]/page"); not the app's
	// top directories, nor one holding a digit (a release's number or hash)
	if (fp2 && route_file_name(f.module)) {
		std::string_view dir = path.substr(0, path.size() - basename(path).size());
		std::string prefix;
		for (int levels = 0; levels < 3 && !dir.empty(); levels++) {
			while (!dir.empty() && dir.back() == '/')
				dir.remove_suffix(1);
			std::string_view seg = basename(dir);
			// (not a directory a deploy names: a release's number or hash)
			bool digit = false;
			for (char ch : seg)
				digit = digit || is_digit(ch);
			if (seg.empty() || seg == "." || seg == ".." || seg == "app" || seg == "src" || seg == "pages" ||
			    seg == "routes" || seg == "server" || seg == "dist" || seg == "build" ||
			    seg.find(':') != std::string_view::npos || (digit && seg.front() != '[' && seg.front() != '('))
				break;
			prefix.insert(0, std::string(seg) + "/");
			if (seg.front() != '[' && seg.front() != '(')
				break;
			dir = dir.substr(0, dir.size() - seg.size());
		}
		f.module.insert(0, prefix);
	}
	f.file = std::move(base);
	f.category = Category::App;
}

// "Foo.bar [as baz]" -> "Foo.bar"; "async x" -> "x"; "new Foo" -> "Foo";
// "Object.<anonymous>" -> "<module>"
std::string
clean_function(std::string_view fn, bool fp2)
{
	fn = trim(fn);
	if (starts_with(fn, "async "))
		fn = fn.substr(6);
	if (starts_with(fn, "new "))
		fn = fn.substr(4);
	size_t as = fn.find(" [as ");
	if (as != std::string_view::npos)
		fn = fn.substr(0, as);
	if (fn == "Object.<anonymous>" || fn == "Module.<anonymous>" || fn == "global code")
		return "<module>";
	// V8 prints the receiver's constructor: "Object.loadAccount" for a plain
	// exported function object — the same function as "loadAccount".
	if (starts_with(fn, "Object."))
		fn = fn.substr(7);
	// fp2: a static method's receiver is a class, a Function:
	// "Function.AxiosError.from" where another build prints "AxiosError.from"
	if (fp2 && starts_with(fn, "Function.") && fn.size() > 9)
		fn = fn.substr(9);
	// SpiderMonkey: "async*foo" (async caller), "foo/<" and "Foo/this.bar<"
	// (anonymous functions named after their enclosing scope): anonymous.
	size_t star = rfind_char(fn, '*');
	if (star != std::string_view::npos)
		fn = fn.substr(star + 1);
	if (fn.find('/') != std::string_view::npos || ends_with(fn, "<"))
		return "<anonymous>";
	// JavaScriptCore: "eval code" is the anonymous body of an eval
	if (fn.empty() || fn == "eval code")
		return "<anonymous>";
	return std::string(fn);
}

bool
parse_v8_frame(std::string_view t, Frame &f, bool fp2)
{
	std::string_view body = t.substr(3);
	// util.inspect output opens the property block on the last frame line: "... (x.js:1:2) {"
	if (ends_with(body, " {"))
		body = rtrim(body.substr(0, body.size() - 2));
	f.lang = Lang::Node;
	std::string_view file;
	// "fn (location)" or "location"
	if (!body.empty() && body.back() == ')') {
		size_t open = rfind_str(body, " (");
		if (open != std::string_view::npos) {
			std::string_view fn = body.substr(0, open);
			std::string_view loc = body.substr(open + 2, body.size() - open - 3);
			// eval frames: "eval at foo (file:1:2), <anonymous>:1:1"
			if (starts_with(loc, "eval at ")) {
				size_t inner = loc.find(" (");
				size_t close = loc.find(')');
				if (inner != std::string_view::npos && close != std::string_view::npos && close > inner)
					loc = loc.substr(inner + 2, close - inner - 2);
			}
			if (fn == "async Promise.all" || starts_with(loc, "index ")) {
				f.function = clean_function(fn, fp2);
				f.module = "<native>";
				f.category = Category::Plumbing;
				return true;
			}
			split_location(loc, file, f.line, f.col);
			f.function = clean_function(fn, fp2);
			classify_path(f, file, fp2);
			// fp2: webpack's module loader, "__webpack_require__" (".a", ".X")
			// and "__webpack_exec__": the bundle's dispatch
			if (fp2 && (starts_with(f.function, "__webpack_require__") || f.function == "__webpack_exec__"))
				f.category = Category::Plumbing;
			return true;
		}
	}
	std::string_view loc = body;
	if (starts_with(loc, "async "))
		loc = loc.substr(6);
	split_location(loc, file, f.line, f.col);
	f.function = "<anonymous>";
	classify_path(f, file, fp2);
	return true;
}

bool
parse_gecko_frame(std::string_view t, Frame &f, bool fp2)
{
	size_t at = t.find('@');
	f.lang = Lang::Node;
	f.function = clean_function(t.substr(0, at), fp2);
	std::string_view file;
	std::string_view loc = t.substr(at + 1);
	// SpiderMonkey eval code: "file.js line 37 > eval:1:20"; JavaScriptCore
	// prints no location at all for eval'd functions.  Both: module unknown.
	if (loc.empty() || loc.find(" > eval") != std::string_view::npos ||
	    loc.find(" > Function") != std::string_view::npos) {
		f.module = "<eval>";
		f.category = Category::App;
		return true;
	}
	split_location(loc, file, f.line, f.col);
	classify_path(f, file, fp2);
	return true;
}

class NodeParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Node; }
	int max_line_points() const override { return 3; }

	// score(): V8 "at " frames (trimmed) and Gecko/JSC frames, which hold an '@'.
	bool may_score(LineShape s) const override { return s.first == 'a' || s.has_at; }

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view t = trim(l);
			if (is_v8_frame(t)) {
				// JS locations end in :line:col) or :line:col
				std::string_view s = t.back() == ')' ? t.substr(0, t.size() - 1) : t;
				size_t c2 = rfind_char(s, ':');
				if (c2 != std::string_view::npos && all_digits(s.substr(c2 + 1))) {
					size_t c1 = rfind_char(s, ':', c2 - 1);
					n += (c1 != std::string_view::npos && all_digits(s.substr(c1 + 1, c2 - c1 - 1))) ? 3 : 1;
				} else if (starts_with(s, "at async ") || ends_with(s, "(<anonymous>") ||
				           ends_with(s, "(native")) {
					n += 1;
				}
			} else if (is_gecko_frame(t)) {
				size_t c2 = rfind_char(t, ':');
				if (c2 != std::string_view::npos && all_digits(t.substr(c2 + 1)))
					n += 2;
			}
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		const bool fp2 = out.algorithm >= Algorithm::Fp2;
		ExceptionInfo *cur = nullptr;
		bool in_message = false;
		int depth = 0;
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			Frame f;
			if (is_v8_frame(t) && parse_v8_frame(t, f, fp2)) {
				if (!cur) {
					out.chain.emplace_back();
					cur = &out.chain.back();
				}
				push_frame(*cur, std::move(f));
				in_message = false;
				continue;
			}
			if (is_gecko_frame(t) && parse_gecko_frame(t, f, fp2)) {
				if (!cur) {
					out.chain.emplace_back();
					cur = &out.chain.back();
				}
				push_frame(*cur, std::move(f));
				in_message = false;
				continue;
			}
			if (starts_with(t, "... ") && ends_with(t, "more")) {
				if (cur)
					cur->frames_truncated = true;
				continue;
			}
			// Error header: first line, or "[cause]: Error: ..." (util.inspect),
			// or "Caused by: " (VError / pino style).
			bool cause = false;
			std::string_view h = t;
			if (starts_with(h, "[cause]: ")) {
				h = h.substr(9);
				cause = true;
			} else if (starts_with(h, "Caused by: ")) {
				h = h.substr(11);
				cause = true;
			} else if (fp2 && starts_with(h, "cause: ") && looks_like_header(h.substr(7))) {
				// fp2: a cause assigned as a property (err.cause = e, older
				// libraries such as undici) prints without brackets (fp1:
				// the line joined the outer error's message)
				h = h.substr(7);
				cause = true;
			}
			// fp2: a log line above the error ("12:24:03 pm [vite] http proxy
			// error: /x", "2025-07-04T13:40:41.408Z: Obtaining ..."): while the
			// first "error" has no frame and its type is no type name, a line
			// that opens an error restarts it (fp1: the log line was the type,
			// the error's header its message)
			if (fp2 && cur && !cause && in_message && out.chain.size() == 1 && cur->frames.empty() &&
			    !is_type_name(cur->type) && looks_like_coded_header(h)) {
				out.chain.clear();
				cur = nullptr;
			}
			if (!cur || cause || (!in_message && !cur->frames.empty() && looks_like_header(h))) {
				out.chain.emplace_back();
				cur = &out.chain.back();
				if (starts_with(h, "Uncaught "))
					h = h.substr(9);
				if (fp2)
					h = without_log_prefix(h);
				split_type_message(h, cur->type, cur->message);
				// fp2: Node's coded errors print their code after the name,
				// "Error [ERR_MODULE_NOT_FOUND]: ..." (err.name is "Error", as
				// a tracer sends it; fp1 kept the code in the type)
				if (fp2) {
					std::string code = drop_code_suffix(cur->type);
					// (an AggregateError with no message of its own: its code is all it says)
					if (trim(cur->message).empty() && !code.empty())
						cur->message = std::move(code);
				}
				// "Error {" / "{ code: ..." inspect output: not a type
				if (cur->type.find(' ') != std::string::npos && cur->message.empty()) {
					cur->message = cur->type;
					cur->type = "Error";
				}
				cur->role = out.chain.size() == 1 ? Role::Outer : Role::Cause;
				cur->depth = out.chain.size() == 1 ? 0 : ++depth;
				in_message = true;
				continue;
			}
			// fp2: util.inspect's property block after the frames, "code:
			// 'ETIMEDOUT'," — the code of an error without a message (a bare
			// AggregateError of a failed connection) is its message
			if (fp2 && !in_message && cur && !cur->frames.empty() && trim(cur->message).empty() &&
			    starts_with(t, "code: ") && t.size() > 8) {
				std::string_view v = t.substr(6);
				if (ends_with(v, ","))
					v.remove_suffix(1);
				if (v.size() > 2 && (v[0] == '\'' || v[0] == '"') && v.back() == v[0])
					cur->message.assign(v.substr(1, std::min<size_t>(v.size() - 2, 128)));
				continue;
			}
			if (in_message && cur->message.size() < Limits::max_message_bytes) {
				cur->message.push_back('\n');
				cur->message.append(t.substr(0, Limits::max_message_bytes));
			}
		}
	}

private:
	// "Error [ERR_X]" / "AggregateError [ECONNREFUSED]" -> the name; returns
	// the code it dropped ("ECONNREFUSED"), or empty
	static std::string drop_code_suffix(std::string &type)
	{
		size_t open = type.find(" [");
		if (open == std::string::npos || open == 0 || type.back() != ']' || type.size() - open < 4)
			return {};
		for (size_t k = open + 2; k + 1 < type.size(); k++)
			if (!((type[k] >= 'A' && type[k] <= 'Z') || is_digit(type[k]) || type[k] == '_'))
				return {};
		for (size_t k = 0; k < open; k++)
			if (!(is_alnum(type[k]) || type[k] == '_' || type[k] == '$' || type[k] == '.'))
				return {};
		std::string code = type.substr(open + 2, type.size() - open - 3);
		type.resize(open);
		return code;
	}

	// fp2: a logger's or framework's words before the error on its header
	// line ("[Nest] 14056  - 07/11/2026, 1:16:03 PM   ERROR [ExceptionsHandler]
	// TypeError: ...", Next.js's "⨯ TypeError: ...", "[browser] Uncaught
	// TypeError: ...", Deno's "error: Uncaught (in promise) TypeError: ..."):
	// when what precedes ": " is no type name, the header starts at the first
	// error type name followed by ": " (fp1: the prefix, with its time
	// stamp and pid, was the type: every event its own issue).
	static std::string_view without_log_prefix(std::string_view h)
	{
		size_t c = h.find(": ");
		if (c == std::string_view::npos || c == 0)
			return h;
		std::string_view before = h.substr(0, c);
		if (before.find(' ') == std::string_view::npos && !(before[0] >= 'a' && before[0] <= 'z'))
			return h;  // "TypeError: ...", "Error [ERR_X]: ..." as they are
		for (size_t p = 0; p < h.size(); p++) {
			if (p > 0 && !(h[p - 1] == ' ' || h[p - 1] == ']' || h[p - 1] == ':' || h[p - 1] == '\t'))
				continue;
			if (!((h[p] >= 'A' && h[p] <= 'Z') || h[p] == '$' || h[p] == '_'))
				continue;
			size_t q = p;
			while (q < h.size() && (is_ident(h[q]) || h[q] == '.'))
				q++;
			std::string_view name = h.substr(p, q - p);
			if (!(ends_with(name, "Error") || ends_with(name, "Exception") || ends_with(name, "Rejection")))
				continue;
			std::string_view rest = h.substr(q);
			if (starts_with(rest, ": ") || starts_with(rest, " [") || rest.empty())
				return h.substr(p);
		}
		return h;
	}

	// "TypeError: ...", "AggregateError [ECONNREFUSED]: ", "Error" (a
	// header, its code allowed)
	static bool looks_like_coded_header(std::string_view h)
	{
		size_t c = h.find(": ");
		std::string_view head = c == std::string_view::npos ? h : h.substr(0, c);
		if (ends_with(head, ":"))  // ("AggregateError [ECONNREFUSED]: " trimmed)
			head.remove_suffix(1);
		std::string type(head);
		drop_code_suffix(type);
		return looks_like_header(type);
	}

	// An identifier or a dotted name ("TypeError", "errors.HttpError"),
	// not a log line's words or a time stamp.
	static bool is_type_name(std::string_view t)
	{
		if (t.empty() || !(is_alpha(t[0]) || t[0] == '_' || t[0] == '$'))
			return false;
		for (char ch : t)
			if (!(is_alnum(ch) || ch == '_' || ch == '$' || ch == '.'))
				return false;
		return true;
	}

	static bool looks_like_header(std::string_view h)
	{
		size_t c = h.find(": ");
		std::string_view type = c == std::string_view::npos ? h : h.substr(0, c);
		return !type.empty() && type.find(' ') == std::string_view::npos &&
		       (ends_with(type, "Error") || ends_with(type, "Exception"));
	}
};

}  // namespace

bool
v8_windows_layout(const std::vector<std::string_view> &lines)
{
	// ":207:45" before the end (and a ")" after it when the frame is named)
	auto line_col = [](std::string_view loc) {
		if (ends_with(loc, ")"))
			loc.remove_suffix(1);
		size_t c2 = rfind_char(loc, ':');
		if (c2 == std::string_view::npos || c2 + 1 == loc.size() || !all_digits(loc.substr(c2 + 1)))
			return false;
		size_t c1 = rfind_char(loc.substr(0, c2), ':');
		return c1 != std::string_view::npos && c1 + 1 < c2 && all_digits(loc.substr(c1 + 1, c2 - c1 - 1));
	};
	size_t frames = 0, windows = 0;
	for (std::string_view raw : lines) {
		std::string_view t = trim(raw);
		if (!starts_with(t, "at "))
			continue;
		if (t.find(":line ") != std::string_view::npos || t.find(" in <") != std::string_view::npos ||
		    t.find(" [0x") != std::string_view::npos)
			return false;  // .NET's own location syntax
		if (!line_col(t) && !ends_with(t, "(<anonymous>)") && !ends_with(t, "(native)"))
			return false;
		frames++;
		size_t open = t.find('(');
		std::string_view loc = open == std::string_view::npos ? t.substr(3) : t.substr(open + 1);
		if (loc.size() > 3 && is_alpha(loc[0]) && loc[1] == ':' && loc[2] == '\\')
			windows++;
	}
	return frames > 0 && windows > 0;
}

const StackParser &
node_parser()
{
	static const NodeParser p;
	return p;
}

}  // namespace errtrack
