// parse_php.cpp — PHP exception traces: (string)$e, getTraceAsString(),
// uncaught "PHP Fatal error:  Uncaught ..." output, chained previous
// exceptions ("Next ...").
//
//   PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /app/Database.php:34
//   Stack trace:
//   #0 /app/Database.php(34): PDO->__construct('mysql:host=loca...')
//   #1 /app/Repository.php(23): Database->connect()
//   #2 [internal function]: {closure:App\Jobs\Sync::handle():53}(Object(App\Models\User))
//   #3 {main}
//
//   Next RuntimeException: Database connection failed in /app/Database.php:38
//   Stack trace:
//   #0 ...
//     thrown in /app/Database.php on line 38
//
// A PHP frame line "#N file(line): call" names the *callee* and the *call
// site*; the callee runs in the file of the previous line (the header's
// "in file:line" for #0).  We store real frames: function = the callee,
// file/category from where it runs.  Internal functions (called on the line
// where the exception is reported, or running in "[internal function]") are
// library ("php" module); call_user_func* and reflection are plumbing.
// Module = the class (namespace\Class), else the namespace of a function,
// else the project-relative file.  Closures "Ns\{closure}" (<= 8.3) and
// "{closure:Class::method():53}" (8.4+) both become "{closure}".  The root
// cause is printed first and each wrapper follows as "Next ..."; the chain is
// stored outermost first.
#include <vector>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using namespace putil;

struct RawFrame {
	std::string_view file;  // call site file ("[internal function]" or a path); empty for {main}
	int64_t line = -1;
	std::string_view call;  // "Class->method(args)" / "{main}"
	bool internal_site = false;
};

// "#N file(line): call" / "#N [internal function]: call" / "#N {main}"
bool
parse_frame_line(std::string_view t, RawFrame &r)
{
	if (t.size() < 3 || t[0] != '#' || !is_digit(t[1]))
		return false;
	size_t i = 1;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i >= t.size() || t[i] != ' ')
		return false;
	std::string_view rest = ltrim(t.substr(i));
	if (rest == "{main}") {
		r.call = rest;
		return true;
	}
	if (eat(rest, "[internal function]: ")) {
		r.internal_site = true;
		r.file = "[internal function]";
		r.call = rest;
		return true;
	}
	size_t sep = rest.find("): ");
	if (sep == std::string_view::npos)
		return false;
	std::string_view loc = rest.substr(0, sep);
	size_t open = rfind_char(loc, '(');
	if (open == std::string_view::npos)
		return false;
	r.line = to_int(loc.substr(open + 1));
	if (r.line < 0)
		return false;
	r.file = loc.substr(0, open);
	r.call = rest.substr(sep + 3);
	return true;
}

bool xdebug_call_at(std::string_view rest, RawFrame &r);

// fp2: xdebug's "Call Stack:" line, "TIME MEMORY N. CALL FILE:LINE"
// ("    0.0002     417992   2. handle($bug = 'chain', $k = 1) /app/bin/worker.php:42"):
// FILE:LINE is where CALL was called from, as in "#N file(line): call".
bool
parse_xdebug_line(std::string_view t, RawFrame &r)
{
	size_t i = 0;
	auto number = [&](bool dot) {
		size_t b = i;
		while (i < t.size() && (is_digit(t[i]) || (dot && t[i] == '.')))
			i++;
		return i > b;
	};
	auto spaces = [&]() {
		size_t b = i;
		while (i < t.size() && t[i] == ' ')
			i++;
		return i > b;
	};
	if (!number(true) || !spaces() || !number(false) || !spaces() || !number(false) || i + 1 >= t.size() ||
	    t[i] != '.' || t[i + 1] != ' ')
		return false;
	return xdebug_call_at(t.substr(i + 2), r);
}

// fp2: the same frames as xdebug writes them to the error log after "PHP
// Stack trace:", without the time and memory columns: "PHP   2. f() /app/x.php:46".
bool
parse_xdebug_log_line(std::string_view t, RawFrame &r)
{
	if (!starts_with(t, "PHP ") || t.size() < 8)
		return false;
	size_t i = 4;
	while (i < t.size() && t[i] == ' ')
		i++;
	size_t b = i;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i == b || i + 1 >= t.size() || t[i] != '.' || t[i + 1] != ' ')
		return false;
	return xdebug_call_at(t.substr(i + 2), r);
}

// "CALL FILE:LINE" of an xdebug stack line.
bool
xdebug_call_at(std::string_view rest, RawFrame &r)
{
	size_t sp = rfind_char(rest, ' ');
	if (sp == std::string_view::npos)
		return false;
	std::string_view loc = rest.substr(sp + 1);
	size_t colon = rfind_char(loc, ':');
	if (colon == std::string_view::npos || to_int(loc.substr(colon + 1)) < 0)
		return false;
	r.call = rest.substr(0, sp);
	if (r.call == "{main}()") {
		r.call = "{main}";  // (its location is the script, line 0)
		return true;
	}
	r.file = loc.substr(0, colon);
	r.line = to_int(loc.substr(colon + 1));
	return true;
}

// Drops the argument list: everything from the first '(' that is not part of
// a "{closure:...}" name.
std::string_view
strip_call_args(std::string_view call)
{
	int brace = 0;
	for (size_t i = 0; i < call.size(); i++) {
		char c = call[i];
		if (c == '{')
			brace++;
		else if (c == '}' && brace > 0)
			brace--;
		else if (c == '(' && brace == 0)
			return call.substr(0, i);
	}
	return call;
}

bool
is_plumbing_class(std::string_view cls)
{
	static const PrefixSet kPlumbing{"DDTrace", "OpenTelemetry", "Sentry", "Elastic\\Apm", "NewRelic", "Bugsnag",
	                                 "Rollbar", "Honeybadger", "Scoutapm", "Tideways", "Reflection",
	                                 "ReflectionMethod", "ReflectionFunction", "Closure"};
	return kPlumbing.in_namespace(cls, '\\');
}

bool
is_library_class(std::string_view cls)
{
	static const PrefixSet kLibrary{"Illuminate", "Symfony", "Laravel", "Doctrine", "GuzzleHttp", "Monolog",
	                                "Psr", "PHPUnit", "Composer", "Slim", "Laminas", "Zend", "Twig", "Predis",
	                                "Carbon", "League", "Nyholm", "Http", "Amp", "React", "Spatie", "Livewire",
	                                "Yii", "yii", "Cake", "CodeIgniter", "Phalcon", "Aws", "Google"};
	return kLibrary.in_namespace(cls, '\\') ||
	       cls == "PDO" || cls == "PDOStatement" || cls == "mysqli" || cls == "SoapClient" || cls == "DateTime" ||
	       cls == "DateTimeImmutable" || cls == "SplFileObject" || cls == "Redis" || cls == "Memcached";
}

// fp2: where WordPress' own code starts in `path` ("wp-includes/...",
// "wp-admin/..."), or npos
size_t
wordpress_core(std::string_view path)
{
	for (std::string_view d : {std::string_view("wp-includes/"), std::string_view("wp-admin/")}) {
		if (starts_with(path, d))
			return 0;
		size_t k = path.find(d);
		if (k != std::string_view::npos && path[k - 1] == '/')
			return k;
	}
	return std::string_view::npos;
}

// fp2: WordPress' hook dispatch: WP_Hook's methods and the plugin API's
// functions that run the callbacks of an action or filter
bool
is_wordpress_dispatch(std::string_view cls, std::string_view method)
{
	if (cls == "WP_Hook")
		return true;
	return cls.empty() && (method == "do_action" || method == "apply_filters" || method == "do_action_ref_array" ||
	                       method == "apply_filters_ref_array");
}

// "{closure:App\Jobs\Sync::handle():53}" -> class "App\Jobs\Sync" (or file path)
void
closure_origin(std::string_view fn, std::string &cls, std::string &file)
{
	if (!starts_with(fn, "{closure:"))
		return;
	std::string_view in = fn.substr(9);
	if (!in.empty() && in.back() == '}')
		in.remove_suffix(1);
	size_t dc = in.find("::");
	if (dc != std::string_view::npos && in.find('/') == std::string_view::npos) {
		cls.assign(in.substr(0, dc));
		return;
	}
	// "{closure:/path/file.php:12}"
	size_t colon = rfind_char(in, ':');
	if (colon != std::string_view::npos)
		file.assign(in.substr(0, colon));
}

// fp2: app_relative_path's fp2 rules (the module of a class-less frame)
void
fill_frame(Frame &f, std::string_view call, std::string_view run_file, bool internal, bool fp2)
{
	f.lang = Lang::Php;
	std::string_view fn = strip_call_args(trim(call));
	std::string cls;
	std::string_view method = fn;
	size_t arrow = fn.find("->");
	size_t dcolon = fn.find("::");
	// "{closure:Class::m():53}" contains "::" inside braces: only split outside.
	size_t brace = fn.find('{');
	if (arrow != std::string_view::npos && (brace == std::string_view::npos || arrow < brace)) {
		cls.assign(fn.substr(0, arrow));
		method = fn.substr(arrow + 2);
	} else if (dcolon != std::string_view::npos && (brace == std::string_view::npos || dcolon < brace)) {
		cls.assign(fn.substr(0, dcolon));
		method = fn.substr(dcolon + 2);
	}
	std::string closure_file;
	std::string ns;
	if (method.find("{closure") != std::string_view::npos) {
		size_t cpos = method.find("{closure");
		if (cpos > 0)
			ns.assign(method.substr(0, cpos > 0 ? cpos - 1 : 0));  // "App\{closure}" namespace
		std::string origin_cls;
		closure_origin(method.substr(cpos), origin_cls, closure_file);
		if (cls.empty() && !origin_cls.empty())
			cls = origin_cls;
		method = "{closure}";
	} else if (cls.empty()) {
		size_t bs = rfind_char(method, '\\');
		if (bs != std::string_view::npos) {
			ns.assign(method.substr(0, bs));
			method = method.substr(bs + 1);
		}
	}
	// anonymous classes: "class@anonymous/app/x.php:12$0" / "Iface@anonymous"
	size_t anon = cls.find("@anonymous");
	if (anon != std::string::npos)
		cls = "class@anonymous";
	while (!cls.empty() && cls[0] == '\\')
		cls.erase(0, 1);
	f.function.assign(method);
	std::string path_buf;
	std::string_view path = slashes_view(!closure_file.empty() ? std::string_view(closure_file) : run_file, path_buf);
	bool vendor = path.find("/vendor/") != std::string::npos || starts_with(path, "vendor/");
	// fp2: WordPress' own code (wp-includes/, wp-admin/) is a library to the
	// site's plugins and theme, and its hook dispatch (WP_Hook, do_action,
	// apply_filters) plumbing (fp1: app code; every plugin's invalid callback
	// was keyed by WP_Hook::apply_filters)
	size_t wp = fp2 && !vendor ? wordpress_core(path) : std::string_view::npos;
	if (!path.empty() && path != "[internal function]") {
		if (vendor) {
			size_t v = rfind_str(path, "/vendor/");
			f.file.assign("php:").append(path.substr(v == std::string::npos ? 7 : v + 8));
		} else if (wp != std::string_view::npos) {
			f.file.assign("php:").append(path.substr(wp));
		} else {
			f.file = app_relative_path(path, fp2);
		}
	}
	if (!cls.empty())
		f.module = cls;
	else if (internal || path == "[internal function]")
		f.module = "php";
	else if (!ns.empty())
		f.module = ns;
	else if (fp2)
		// fp2: a script's plain functions and {main} are keyed by the file's
		// name alone: the directories above it depend on the install layout
		// (/var/www/crm/cli/console.php vs /srv/php/crm-2/cli/console.php)
		f.module.assign(f.file.empty() ? std::string_view() : strip_extension(basename(f.file)));
	else
		f.module.assign(f.file.empty() ? std::string_view() : strip_extension(f.file));
	if (fp2 && starts_with(f.module, "__TwigTemplate_")) {
		// fp2: a compiled Twig template: its class name hashes the template and
		// the Twig version / options; generated code, the template's name is in
		// the message
		f.module = "__TwigTemplate";
		f.category = Category::Generated;
	} else if (fp2 && is_wordpress_dispatch(cls, method))
		f.category = Category::Plumbing;
	else if (wp != std::string_view::npos)
		f.category = Category::Library;  // (with its {main}: wp-admin/index.php)
	else if (f.function == "{main}")
		f.category = Category::App;
	else if (is_plumbing_class(cls) || (cls.empty() && (starts_with(method, "call_user_func") || method == "array_walk_recursive_")))
		f.category = Category::Plumbing;
	else if (internal && cls.empty())
		f.category = Category::Library;
	else if (vendor || is_library_class(cls) || (internal && !cls.empty() && cls.find('\\') == std::string::npos))
		f.category = Category::Library;
	else
		f.category = Category::App;
}

struct Block {
	ExceptionInfo ex;
	std::string hdr_file;  // owned: the header text it came from is reused
	int64_t hdr_line = -1;
	std::vector<RawFrame> raw;
};

// "Type: message in /path/file.php:34" (message may span lines; we get the
// joined header text).
// fp2: " in FILE on line N" at the end of h: FILE and N (PHP's own errors,
// which have no stack trace: "Allowed memory size ... exhausted", "Maximum
// execution time ... exceeded", parse errors).
bool
on_line_suffix(std::string_view h, std::string_view &file, int64_t &line)
{
	size_t on = rfind_str(h, " on line ");
	if (on == std::string_view::npos || to_int(h.substr(on + 9)) < 0)
		return false;
	size_t in = rfind_str(h.substr(0, on), " in ");
	if (in == std::string_view::npos)
		return false;
	file = h.substr(in + 4, on - in - 4);
	line = to_int(h.substr(on + 9));
	return true;
}

// fp2: PHP's error_log() prefix "[24-Nov-2026 16:13:17 UTC] " (a log
// file's timestamp) before "PHP Fatal error:" / "PHP Warning:".
std::string_view
without_log_time(std::string_view t)
{
	if (t.empty() || t[0] != '[')
		return t;
	size_t close = t.find("] ");
	if (close == std::string_view::npos || close > 64)
		return t;
	std::string_view rest = t.substr(close + 2);
	return starts_with(rest, "PHP ") ? rest : t;
}

void
parse_header(Block &b, std::string_view h, bool fp2)
{
	h = trim(h);
	if (fp2)
		h = without_log_time(h);
	std::string_view level;  // fp2: "Fatal error" for PHP's own errors
	for (const char *p : {"PHP Fatal error:", "Fatal error:", "PHP Warning:", "PHP Parse error:", "Parse error:"}) {
		std::string_view before = h;
		if ((fp2 || !ends_with(p, "Parse error:")) && eat(h, p)) {
			h = ltrim(h);
			level = before.substr(starts_with(before, "PHP ") ? 4 : 0);
			level = level.substr(0, level.find(':'));
		}
	}
	std::string_view file;
	int64_t line = -1;
	if (fp2 && !level.empty() && !starts_with(h, "Uncaught ") && on_line_suffix(h, file, line)) {
		b.hdr_file.assign(file);
		b.hdr_line = line;
		b.ex.type.assign(level);
		b.ex.message.assign(h.substr(0, rfind_str(h, " in ")).substr(0, Limits::max_message_bytes));
		return;
	}
	eat(h, "Uncaught ");
	eat(h, "Next ");
	// trailing " in file:line" (fp2: or " in file on line N", as xdebug
	// and PHP's error display print it)
	size_t in = rfind_str(h, " in ");
	if (in != std::string_view::npos) {
		std::string_view loc = h.substr(in + 4);
		size_t colon = rfind_char(loc, ':');
		if (colon != std::string_view::npos && to_int(loc.substr(colon + 1)) >= 0) {
			b.hdr_file.assign(loc.substr(0, colon));
			b.hdr_line = to_int(loc.substr(colon + 1));
			h = h.substr(0, in);
		} else if (fp2 && on_line_suffix(h, file, line)) {
			b.hdr_file.assign(file);
			b.hdr_line = line;
			h = h.substr(0, in);
		}
	}
	split_type_message(h, b.ex.type, b.ex.message);
	// Datadog: "Uncaught TypeError (HTTP/1.0 500 Internal Server Error)"
	size_t sp = b.ex.type.find(" (");
	if (sp != std::string::npos)
		b.ex.type.erase(sp);
	while (!b.ex.type.empty() && b.ex.type[0] == '\\')
		b.ex.type.erase(0, 1);
	if (b.ex.message.size() > Limits::max_message_bytes)
		b.ex.message.resize(Limits::max_message_bytes);
}

void
build_frames(Block &b, bool fp2)
{
	for (size_t k = 0; k < b.raw.size(); k++) {
		const RawFrame &r = b.raw[k];
		Frame f;
		bool internal = false;
		std::string_view run_file;
		int64_t run_line = -1;
		if (r.call == "{main}") {
			run_file = k > 0 ? b.raw[k - 1].file : b.hdr_file;
			run_line = k > 0 ? b.raw[k - 1].line : b.hdr_line;
		} else if (k == 0) {
			run_file = b.hdr_file;
			run_line = b.hdr_line;
			// An internal function threw: the exception is reported at its call site.
			internal = !b.hdr_file.empty() && b.hdr_file == r.file && b.hdr_line == r.line;
		} else {
			run_file = b.raw[k - 1].file;
			run_line = b.raw[k - 1].line;
			internal = b.raw[k - 1].internal_site;
		}
		fill_frame(f, r.call, run_file, internal, fp2);
		if (!internal)
			f.line = run_line;
		push_frame(b.ex, std::move(f));
	}
}

class PhpParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Php; }
	int max_line_points() const override { return 3; }

	// score(): "#N ..." frames and "Stack trace:" (trimmed).
	bool may_score(LineShape s) const override { return s.first == '#' || s.first == 'S'; }

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view t = trim(l);
			RawFrame r;
			if (parse_frame_line(t, r))
				n += 3;
			else if (t == "Stack trace:")
				n += 1;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		const bool fp2 = out.algorithm >= Algorithm::Fp2;
		std::vector<Block> blocks;
		std::string header;  // accumulating header text
		bool in_header = false;
		// fp2: xdebug's "Call Stack:" section, outermost first: its frames
		// wait here and join the last block innermost first
		bool in_xdebug = false;
		std::vector<RawFrame> xdebug;
		bool header_complete = false;  // fp2: see below
		std::string_view hf;           // (on_line_suffix's file and line, unused)
		int64_t hl;
		auto finish_xdebug = [&]() {
			if (!in_xdebug)
				return;
			in_xdebug = false;
			if (blocks.empty())
				blocks.emplace_back();
			blocks.back().raw.insert(blocks.back().raw.end(), xdebug.rbegin(), xdebug.rend());
			xdebug.clear();
		};
		size_t i = 0;
		auto finish_header = [&]() {
			if (!in_header)
				return;
			blocks.emplace_back();
			parse_header(blocks.back(), header, fp2);
			header.clear();
			in_header = false;
		};
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			RawFrame r;
			if (in_xdebug) {
				if (parse_xdebug_line(t, r) || parse_xdebug_log_line(t, r)) {
					xdebug.push_back(r);
					continue;
				}
				finish_xdebug();
			}
			if (fp2 && (t == "Call Stack:" || t == "PHP Stack trace:")) {
				finish_header();
				in_xdebug = true;
				continue;
			}
			if (parse_frame_line(t, r)) {
				finish_header();
				if (blocks.empty())
					blocks.emplace_back();
				blocks.back().raw.push_back(r);
				continue;
			}
			if (t == "Stack trace:") {
				finish_header();
				continue;
			}
			if (starts_with(t, "thrown in ") || starts_with(t, "PHP Stack trace:"))
				continue;
			// (fp2: a program's own output before PHP's "Fatal error: Uncaught ..."
			// is not part of the error)
			if (fp2 && in_header && blocks.empty() &&
			    (starts_with(without_log_time(t), "PHP Fatal error:") || starts_with(t, "Fatal error:"))) {
				header.clear();
				in_header = false;
			}
			// (fp2: a header whose last line ends in " in FILE on line N" is
			// complete: xdebug prints the exception again on the next line)
			if (starts_with(t, "Next ") || !in_header || header_complete) {
				finish_header();
				header.assign(t.substr(0, Limits::max_line_bytes));
				in_header = true;
				header_complete = fp2 && on_line_suffix(t, hf, hl);
				continue;
			}
			if (header.size() < Limits::max_message_bytes) {
				header.push_back('\n');
				header.append(t);
			}
			header_complete = fp2 && on_line_suffix(t, hf, hl);
		}
		finish_header();
		finish_xdebug();
		size_t raw_frames = 0;
		for (size_t k = 0; k < blocks.size(); k++) {
			raw_frames += blocks[k].raw.size();
			// fp2: xdebug prints the exception again before its Call Stack
			// ("Fatal error: Uncaught X: m in F on line N", then "X: m in F
			// on line N"): the frame-less first copy is not another exception
			if (fp2 && k + 1 < blocks.size() && blocks[k].raw.empty() && !blocks[k].ex.type.empty() &&
			    blocks[k].ex.type == blocks[k + 1].ex.type && blocks[k].ex.message == blocks[k + 1].ex.message)
				blocks[k].ex.type.clear();  // (dropped below: no type, no frames)
		}
		// Drop header-less noise blocks without frames only when others exist.
		for (auto &b : blocks) {
			build_frames(b, fp2);
			// fp2: an error with no stack trace at all (PHP's own fatal
			// errors) happened in its file: a "<fatal>" frame there
			if (fp2 && raw_frames == 0 && !b.hdr_file.empty()) {
				Frame f;
				fill_frame(f, "<fatal>", b.hdr_file, false, fp2);
				f.line = b.hdr_line;
				push_frame(b.ex, std::move(f));
			}
		}
		// fp2: with log_errors on, Xdebug logs the error with its "PHP Stack
		// trace:", then displays it again with its "Call Stack:": one error
		for (size_t k = 0; fp2 && k + 1 < blocks.size(); k++) {
			const ExceptionInfo &a = blocks[k].ex, &b = blocks[k + 1].ex;
			bool same = !a.frames.empty() && a.type == b.type && a.message == b.message &&
			            a.frames.size() == b.frames.size();
			for (size_t f = 0; same && f < a.frames.size(); f++)
				same = a.frames[f].function == b.frames[f].function && a.frames[f].module == b.frames[f].module &&
				       a.frames[f].line == b.frames[f].line;
			if (same) {
				blocks[k].ex.type.clear();
				blocks[k].ex.frames.clear();  // (dropped below: no type, no frames)
			}
		}
		// Printed: root cause first, then each "Next" wrapper.  Store outermost first.
		int d = 0;
		for (size_t k = blocks.size(); k-- > 0;) {
			Block &b = blocks[k];
			if (b.ex.type.empty() && b.ex.frames.empty())
				continue;
			b.ex.depth = d;
			b.ex.role = d == 0 ? Role::Outer : Role::Cause;
			d++;
			out.chain.push_back(std::move(b.ex));
		}
	}
};

}  // namespace

bool
php_error_layout(const std::vector<std::string_view> &lines)
{
	size_t i = 0;
	while (i < lines.size() && trim(lines[i]).empty())
		i++;
	if (i == lines.size())
		return false;
	std::string_view t = without_log_time(trim(lines[i]));
	std::string_view file;
	int64_t line;
	if ((starts_with(t, "PHP Fatal error:") || starts_with(t, "Fatal error:") || starts_with(t, "PHP Parse error:") ||
	     starts_with(t, "Parse error:")) &&
	    on_line_suffix(t, file, line))
		return true;
	// Xdebug's "Call Stack:" (at the start of its line) and its first line
	for (; i + 1 < lines.size(); i++) {
		std::string_view l = lines[i];
		RawFrame r;
		if (!l.empty() && l[0] == 'C' && rtrim(l) == "Call Stack:" && parse_xdebug_line(trim(lines[i + 1]), r))
			return true;
	}
	return false;
}

const StackParser &
php_parser()
{
	static const PhpParser p;
	return p;
}

}  // namespace errtrack
