// parse_dotnet.cpp — .NET Exception.ToString() output (CoreCLR, .NET
// Framework and Mono).
//
//   System.InvalidOperationException: Order not found ---> System.Collections.Generic.KeyNotFoundException: ...
//      at Acme.Repository`1.Find(Int64 id) in /src/Acme/Repository.cs:line 25          (CoreCLR)
//     at Acme.Repository`1[T].Find (System.Int64 id) [0x00031] in /src/Repository.cs:25   (Mono)
//      --- End of inner exception stack trace ---
//      at Acme.OrderService.<>c__DisplayClass3_0.<PlaceAsync>b__0(Order o) in ...
//   --- End of stack trace from previous location ---
//   ---> (Inner Exception #0) System.FormatException: ...  <---                     (AggregateException)
//
// Inner exceptions are announced by " ---> " (on the header line, or on their
// own line in .NET Core 3+); their frames come first, each section closed by
// "--- End of inner exception stack trace ---".  The chain is stored outermost
// first.  Frames: module = the declaring type (namespace + nested types,
// generic arity and type arguments dropped, compiler-generated closure /
// state-machine types removed); function = the source method: async
// <M>d__5.MoveNext -> M, lambdas (<>c__DisplayClass3_0.<M>b__0, <>c.<M>b__0_1,
// mcs <M>c__AnonStorey0.<>m__3, <M>m__0) -> M.<lambda>, local functions
// <M>g__Local|0_1 -> M.Local, top-level <Main>$ -> Main.
#include <algorithm>
#include <vector>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using namespace putil;

// Body of a frame line after "at " (or a localised equivalent), or empty.
std::string_view
frame_body(std::string_view line)
{
	std::string_view t = trim(line);
	if (!eat(t, "at ") && !eat(t, "bei ") && !eat(t, "à ") && !eat(t, "en ") && !eat(t, "в "))
		return {};
	if (t.empty())
		return {};
	if (starts_with(t, "(wrapper "))
		return t;
	size_t paren = t.find('(');
	if (paren == std::string_view::npos || paren == 0)
		return {};
	std::string_view name = rtrim(t.substr(0, paren));
	if (name.find(' ') != std::string_view::npos || name.find('.') == std::string_view::npos)
		return {};
	return t;
}

// True when the frame carries .NET-only location syntax.
bool
dotnet_only(std::string_view body)
{
	if (body.find(":line ") != std::string_view::npos || body.find(" [0x") != std::string_view::npos ||
	    body.find(" in <") != std::string_view::npos || starts_with(body, "(wrapper "))
		return true;
	// CoreCLR without symbols: "X.Y()" or "X.Y(Int32 id, String s)"; Java always prints a location.
	size_t open = body.find('(');
	std::string_view args = body.substr(open);
	if (args == "()")
		return true;
	return args.find(' ') != std::string_view::npos && args != "(Unknown Source)" && args != "(Native Method)" &&
	       args.find(".java:") == std::string_view::npos && args.find(".kt:") == std::string_view::npos &&
	       args.find(".scala:") == std::string_view::npos;
}

// Removes generic arity (`1) and bracketed type arguments ([T], [[...]]) outside <...>.
std::string
strip_generics(std::string_view q)
{
	std::string r;
	r.reserve(q.size());
	int bracket = 0;
	for (size_t i = 0; i < q.size(); i++) {
		char c = q[i];
		if (c == '[') {
			bracket++;
			continue;
		}
		if (c == ']') {
			if (bracket > 0)
				bracket--;
			continue;
		}
		if (bracket > 0)
			continue;
		if (c == '`') {
			while (i + 1 < q.size() && (is_digit(q[i + 1]) || q[i + 1] == '`'))
				i++;
			continue;
		}
		r.push_back(c);
	}
	return r;
}

// Splits "A.B+C.<X>d__1.M" into tokens on '.' and '+' outside <...>.
std::vector<std::string_view>
tokens(std::string_view q)
{
	std::vector<std::string_view> out;
	int angle = 0;
	size_t start = 0;
	for (size_t i = 0; i < q.size(); i++) {
		char c = q[i];
		if (c == '<')
			angle++;
		else if (c == '>' && angle > 0)
			angle--;
		else if ((c == '.' || c == '+') && angle == 0) {
			if (i > start)
				out.push_back(q.substr(start, i - start));
			else if (c == '.' && i + 1 < q.size() && (starts_with(q.substr(i + 1), "ctor") || starts_with(q.substr(i + 1), "cctor"))) {
				// "..ctor": the method token keeps its leading dot
				size_t end = find_first_of_few(q, ".+", i + 1);
				if (end == std::string_view::npos)
					end = q.size();
				out.push_back(q.substr(i, end - i));
				i = end - 1;
				start = end;
				continue;
			}
			start = i + 1;
		}
	}
	if (start < q.size())
		out.push_back(q.substr(start));
	return out;
}

// "<Name>suffix" -> Name (one level of nesting allowed: "<<Main>$>g__F|0_1").
bool
angle_name(std::string_view tok, std::string_view &name, std::string_view &suffix)
{
	if (tok.empty() || tok[0] != '<')
		return false;
	int depth = 0;
	for (size_t i = 0; i < tok.size(); i++) {
		if (tok[i] == '<')
			depth++;
		else if (tok[i] == '>' && --depth == 0) {
			name = tok.substr(1, i - 1);
			suffix = tok.substr(i + 1);
			return true;
		}
	}
	return false;
}

// "<Main>$" -> "Main"; plain names unchanged.
std::string
source_name(std::string_view n)
{
	std::string_view name, suffix;
	if (angle_name(n, name, suffix) && (suffix == "$" || suffix.empty()))
		return std::string(name);
	return std::string(n);
}

// The source function a generated method name stands for: "<Index>b__0" (a
// lambda) -> "Index.<lambda>", "<Main>g__Local|0_0" (a local function) ->
// "Main.Local", "<Main>$" -> "Main"; `outer` when the name has none.
std::string
generated_function(std::string_view method, std::string_view name, std::string_view suffix, const std::string &outer)
{
	std::string src = name.empty() ? outer : source_name(name);
	if (starts_with(suffix, "b__") || starts_with(suffix, "m__"))
		return src.empty() ? "<lambda>" : src + ".<lambda>";
	if (starts_with(suffix, "g__")) {
		std::string_view local = suffix.substr(3);
		size_t bar = local.find('|');
		if (bar != std::string_view::npos)
			local = local.substr(0, bar);
		return src.empty() ? std::string(local) : src + "." + std::string(local);
	}
	if (suffix == "$" || suffix.empty())
		return src;
	return src.empty() ? std::string(method) : src;
}

// fp2: F#'s compiler names a closure class after the source line that
// defines it ("inner@170", "assemblies@2180-1", "protect@388") and F#
// Interactive each submission ("FSI_0016"): the numbers go ('@' is not a
// C# identifier character, so no C# name changes).
std::string_view
fsharp_name(std::string_view tok, std::string &buf)
{
	size_t at = tok.find('@');
	if (at != std::string_view::npos && at + 1 < tok.size()) {
		size_t k = at + 1;
		bool ok = true;
		while (k < tok.size() && ok) {
			size_t d = k;
			while (d < tok.size() && is_digit(tok[d]))
				d++;
			ok = d > k && (d == tok.size() || tok[d] == '-');
			k = d == tok.size() ? d : d + 1;
		}
		if (ok)
			tok = tok.substr(0, at + 1);
	}
	size_t fsi = tok.find('_') == std::string_view::npos ? std::string_view::npos : tok.find("FSI_");
	if (fsi != std::string_view::npos && (fsi == 0 || tok[fsi - 1] == '$') && fsi + 4 < tok.size() &&
	    all_digits(tok.substr(fsi + 4, tok.find('.', fsi) - fsi - 4))) {
		buf.assign(tok.substr(0, fsi + 3));
		return buf;
	}
	return tok;
}

void
normalise_qualified(std::string_view qualified, std::string &module, std::string &function, bool fp2)
{
	std::string q_buf;
	std::string_view q = qualified;
	if (find_first_of_few(qualified, "[]`") != std::string_view::npos) {  // else strip_generics copies it as is
		q_buf = strip_generics(qualified);
		q = q_buf;
	}
	std::vector<std::string_view> toks = tokens(q);
	if (toks.empty()) {
		module.clear();
		function.assign(qualified);
		return;
	}
	std::string fs_buf;
	std::string_view method = toks.back();
	if (fp2)
		method = fsharp_name(method, fs_buf);
	toks.pop_back();
	std::string outer;  // source method recovered from a generated type
	bool state_machine = false, closure_type = false;
	std::string mod;
	for (auto tok : toks) {
		std::string_view name, suffix;
		// fp2: F#'s "<StartupCode$FSharp-Core>": the module starts with the
		// assembly ("FSharp.Core", a library; fp1 dropped it: FSharp.Core's
		// closures were the app's)
		if (fp2 && starts_with(tok, "<StartupCode$") && tok.back() == '>' && mod.empty()) {
			std::string asm_buf;
			std::string_view assembly = fsharp_name(tok.substr(13, tok.size() - 14), asm_buf);
			mod.assign(assembly);
			std::replace(mod.begin(), mod.end(), '-', '.');
			continue;
		}
		std::string tok_buf;
		if (fp2)
			tok = fsharp_name(tok, tok_buf);
		if (angle_name(tok, name, suffix)) {
			std::string_view in_name, in_suffix;
			if (fp2 && (suffix == "d" || starts_with(suffix, "d__")) && angle_name(name, in_name, in_suffix)) {
				// fp2: the state machine of an async lambda or local function,
				// "<<Index>b__0>d" / "<<Main>g__Load|0_0>d" (fp1: "MoveNext",
				// or the name with its ordinals)
				state_machine = true;
				outer = generated_function(name, in_name, in_suffix, outer);
			} else if (starts_with(suffix, "d__")) {
				state_machine = true;
				outer = source_name(name);
			} else if (starts_with(suffix, "c__AnonStorey") || starts_with(suffix, "c__DisplayClass") ||
			           starts_with(suffix, "c__Iterator")) {
				closure_type = true;
				if (!name.empty())
					outer = source_name(name);
				if (starts_with(suffix, "c__Iterator"))
					state_machine = true;
			} else if (name.empty() && suffix == "c") {
				closure_type = true;  // Roslyn's static-lambda cache "<>c"
			} else if (suffix == "$") {
				if (!mod.empty())
					mod.push_back('.');
				mod.append(name);  // top-level statements Program "<Program>$"
			}
			continue;  // generated types never enter the module
		}
		if (!mod.empty())
			mod.push_back('.');
		mod.append(tok);
	}
	module = std::move(mod);
	std::string_view name, suffix;
	if (angle_name(method, name, suffix)) {
		function = generated_function(method, name, suffix, outer);
		return;
	}
	if (state_machine && (method == "MoveNext" || method == "SetStateMachine") && !outer.empty()) {
		function = outer;
		return;
	}
	(void) closure_type;
	function.assign(method);
}

bool
is_plumbing_type(std::string_view m)
{
	static const PrefixSet kPlumbing{"System.Runtime.CompilerServices", "System.Runtime.ExceptionServices",
	                                 "System.Threading.Tasks", "System.Threading.ExecutionContext",
	                                 "System.Threading.ThreadPoolWorkQueue", "System.Threading.ThreadHelper",
	                                 "System.Threading.Thread", "System.Threading.TimerQueueTimer",
	                                 "System.Threading.ExecutionContextRunner", "System.Reflection",
	                                 "System.RuntimeMethodHandle", "System.Runtime.Remoting", "System.Delegate",
	                                 "System.MulticastDelegate", "System.Threading.QueueUserWorkItemCallback",
	                                 "Datadog.Trace", "OpenTelemetry", "Sentry", "Elastic.Apm", "NewRelic",
	                                 "Bugsnag", "Rollbar", "Castle.DynamicProxy", "Castle.Proxies",
	                                 "Microsoft.Extensions.Logging"};
	return kPlumbing.in_namespace(m, '.') ||
	       m == "System.Threading.ThreadStart" || m == "System.Threading.ExecutionContext";
}

bool
is_library_type(std::string_view m)
{
	static const PrefixSet kLibrary{"System", "Microsoft", "Mono", "Npgsql", "Newtonsoft", "NUnit", "Xunit",
	                                "Dapper", "Serilog", "NLog", "log4net", "Polly", "StackExchange", "AutoMapper",
	                                "FluentValidation", "MediatR", "Grpc", "Google", "Amazon", "Azure", "MongoDB",
	                                "RabbitMQ", "Confluent", "Hangfire", "Quartz", "MySql", "MySqlConnector",
	                                "Oracle", "Pomelo", "Swashbuckle", "Refit", "RestSharp", "Moq", "Castle",
	                                "FSharp", "Internal", "mscorlib", "Interop", "Windows"};
	return kLibrary.in_namespace(m, '.');
}

// fp2: the Unity engine, editor and Unity's packages are libraries (fp1:
// app code; a MissingReferenceException keyed by UnityEngine.Component),
// a package from the editor's cache ("Library/PackageCache/<pkg>@<hash>/")
// too
bool
unity_library(std::string_view m, std::string_view body)
{
	static const PrefixSet kUnity{"UnityEngine", "UnityEditor", "Unity", "TMPro", "Cinemachine"};
	return kUnity.in_namespace(m, '.') || body.find("/Library/PackageCache/") != std::string_view::npos ||
	       body.find("(at Library/PackageCache/") != std::string_view::npos;
}

// fp2: Xamarin's and .NET MAUI's generated bindings of Android's and Apple's
// APIs (Android.*, AndroidX.*, Java.*, ObjCRuntime, UIKit, Foundation) and
// Xamarin's own code: libraries (fp1: app code; every MAUI crash inside a
// Fragment's OnCreateView keyed by the binding's n_OnCreateView marshaller)
bool
mobile_binding(std::string_view m)
{
	static const PrefixSet kBindings{"Android", "AndroidX", "Java", "Javax", "Xamarin", "ObjCRuntime", "UIKit",
	                                 "Foundation", "CoreFoundation", "CoreGraphics", "WebKit"};
	return kBindings.in_namespace(m, '.');
}

// fp2: the engine's logging and dispatch: Debug.Log*, the log handler, the
// coroutine and event-system trampolines, the editor's update loop
bool
unity_plumbing(std::string_view m)
{
	return m == "UnityEngine.Debug" || m == "UnityEngine.Logger" || m == "UnityEngine.DebugLogHandler" ||
	       m == "UnityEngine.StackTraceUtility" || m == "UnityEngine.SetupCoroutine" ||
	       m == "UnityEngine.SendMouseEvents" || m == "UnityEngine.EventSystems.ExecuteEvents" ||
	       m == "UnityEngine.Events.InvokableCall" || m == "UnityEngine.Events.UnityEvent" ||
	       m == "UnityEditor.EditorApplication";
}

Frame
parse_frame(std::string_view body, bool fp2)
{
	Frame f;
	f.lang = Lang::DotNet;
	if (starts_with(body, "(wrapper ")) {
		// Mono "(wrapper managed-to-native) System.Object.__icall_wrapper_x(intptr)"
		size_t close = body.find(") ");
		std::string_view rest = close == std::string_view::npos ? body : body.substr(close + 2);
		size_t paren = rest.find('(');
		normalise_qualified(rtrim(rest.substr(0, paren)), f.module, f.function, fp2);
		f.category = Category::Plumbing;
		return f;
	}
	size_t paren = body.find('(');
	std::string_view qual = rtrim(body.substr(0, paren));
	normalise_qualified(qual, f.module, f.function, fp2);
	// Location: " in /path/File.cs:line 42" (CoreCLR) or " in /path/File.cs:42" (Mono)
	size_t in = rfind_str(body, " in ");
	size_t close = body.find(')', paren);
	if (in != std::string_view::npos && (close == std::string_view::npos || in > close)) {
		std::string_view loc = trim(body.substr(in + 4));
		size_t lp = rfind_str(loc, ":line ");
		std::string_view file, num;
		if (lp != std::string_view::npos) {
			file = loc.substr(0, lp);
			num = loc.substr(lp + 6);
		} else {
			size_t c = rfind_char(loc, ':');
			file = c == std::string_view::npos ? loc : loc.substr(0, c);
			num = c == std::string_view::npos ? std::string_view() : loc.substr(c + 1);
		}
		if (!starts_with(file, "<")) {  // "<mvid>:0" = no symbols
			f.file.assign(basename(file));  // (basename splits at '\\' too)
			f.line = to_int(trim(num));
		}
	}
	// fp2: Unity's location "(at Assets/Scripts/X.cs:12)" (the preclean
	// rewrites its console frames into this form)
	size_t unity_at = fp2 ? rfind_str(body, " (at ") : std::string_view::npos;
	if (unity_at != std::string_view::npos && f.file.empty() && body.back() == ')') {
		std::string_view loc = body.substr(unity_at + 5, body.size() - unity_at - 6);
		size_t c = rfind_char(loc, ':');
		if (c != std::string_view::npos && all_digits(loc.substr(c + 1))) {
			f.file.assign(basename(loc.substr(0, c)));
			f.line = to_int(loc.substr(c + 1));
		}
	}
	if (is_plumbing_type(f.module) || (fp2 && unity_plumbing(f.module)))
		f.category = Category::Plumbing;
	else if (is_library_type(f.module) || (fp2 && (unity_library(f.module, body) || mobile_binding(f.module))))
		f.category = Category::Library;
	else
		f.category = Category::App;
	return f;
}

// Header text "Type: message" / "Type (0x80004005): message" / "Type".
void
set_header(ExceptionInfo &e, std::string_view h)
{
	h = trim(h);
	for (const char *p : {"Unhandled Exception:", "Unhandled exception.", "[ERROR] FATAL UNHANDLED EXCEPTION:"})
		if (eat(h, p))
			h = ltrim(h);
	split_type_message(h, e.type, e.message);
	// HRESULT "Npgsql.PostgresException (0x80004005)"
	size_t sp = e.type.find(" (0x");
	if (sp != std::string::npos)
		e.type.erase(sp);
	if (e.message.size() > Limits::max_message_bytes)
		e.message.resize(Limits::max_message_bytes);
}

bool
looks_like_type(std::string_view h)
{
	h = trim(h);
	size_t c = h.find(':');
	std::string_view type = c == std::string_view::npos ? h : h.substr(0, c);
	size_t sp = type.find(" (0x");
	if (sp != std::string_view::npos)
		type = type.substr(0, sp);
	if (type.empty() || type.find(' ') != std::string_view::npos)
		return false;
	return type.find('.') != std::string_view::npos || ends_with(type, "Exception");
}

// fp2: a line that opens an exception, "System.Net.Http.HttpRequestException:
// ..." or "Shop.OrderException": before its ':' a type name only, or one
// with its HRESULT, "Microsoft.Data.SqlClient.SqlException (0x80131904): ...".
bool
is_type_header(std::string_view t)
{
	t = trim(t);
	std::string_view type = t.substr(0, t.find(':'));
	// " (0x" and eight hex digits and ")" (SqlClient, Npgsql, COMException, Win32Exception)
	if (type.size() > 13 && type.back() == ')' && type.compare(type.size() - 13, 4, " (0x") == 0) {
		for (size_t k = type.size() - 9; k < type.size() - 1; k++)
			if (!is_hex(type[k]))
				return false;
		type = type.substr(0, type.size() - 13);
	}
	if (type.empty() || !is_alpha(type[0]))
		return false;
	for (char c : type)
		if (!(is_alnum(c) || c == '_' || c == '.' || c == '`' || c == '+'))
			return false;
	return type.find('.') != std::string_view::npos || ends_with(type, "Exception");
}

// fp2: the lines a logger prints before the exception it logs — ASP.NET
// Core's console logger ("fail: Microsoft.AspNetCore.Server.Kestrel[13]",
// "      Connection id ...: An unhandled exception was thrown by the
// application."), Serilog's "[21:18:07 ERR] ..." — up to the first line that
// opens an exception, if one does before the first frame.  (fp1 took the
// log line for the exception: its level or category was the type.)
size_t
log_preamble_lines(const std::vector<std::string_view> &lines)
{
	for (size_t i = 0; i < lines.size(); i++) {
		if (!frame_body(trim(lines[i])).empty())
			return 0;
		if (is_type_header(lines[i]))
			return i;
	}
	return 0;
}

class DotNetParser final : public StackParser {
public:
	Lang lang() const override { return Lang::DotNet; }
	int max_line_points() const override { return 3; }

	// score(): frames "at " / "bei " / "à " / "en " / "в " and "---" markers (trimmed).
	bool may_score(LineShape s) const override
	{
		return s.first == 'a' || s.first == 'b' || s.first == 'e' || s.first == '-' || s.first == 0xC3 ||
		       s.first == 0xD0;
	}

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view b = frame_body(l);
			if (!b.empty()) {
				if (dotnet_only(b))
					n += 3;
				continue;
			}
			std::string_view t = trim(l);
			if (starts_with(t, "--- End of inner exception stack trace ---") ||
			    starts_with(t, "--- End of stack trace from previous location") || starts_with(t, "---> ("))
				n += 2;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		if (out.algorithm >= Algorithm::Fp2 && mono_crash_layout(lines)) {
			parse_mono_crash(lines, out, cancel);
			return;
		}
		// Headers as printed (outermost first); frame sections fill from the innermost.
		std::vector<ExceptionInfo> headers;
		std::vector<ExceptionInfo> extra;  // AggregateException inner #1.. (suppressed-like)
		size_t section = 0;                // 0 = the innermost exception's frames
		bool in_message = false;
		bool skipping_inner_block = false;  // duplicate "(Inner Exception #0)" block
		ExceptionInfo *extra_cur = nullptr;
		bool stop = false;
		size_t i = 0;
		const size_t preamble = out.algorithm >= Algorithm::Fp2 ? log_preamble_lines(lines) : 0;
		auto target = [&]() -> ExceptionInfo * {
			if (extra_cur)
				return extra_cur;
			if (headers.empty())
				headers.emplace_back();
			size_t n = headers.size();
			size_t idx = section >= n ? 0 : n - 1 - section;
			return &headers[idx];
		};
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			if (stop)
				break;
			if (i <= preamble)
				continue;
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			std::string_view body = frame_body(t);
			if (!body.empty()) {
				in_message = false;
				bool close_block = ends_with(t, "<---");
				if (close_block)
					body = rtrim(body.substr(0, body.size() - 4));
				if (!skipping_inner_block)
					push_frame(*target(), parse_frame(body, out.algorithm >= Algorithm::Fp2));
				if (close_block) {
					skipping_inner_block = false;
					extra_cur = nullptr;
				}
				continue;
			}
			if (starts_with(t, "--- End of inner exception stack trace ---")) {
				section++;
				in_message = false;
				continue;
			}
			if (starts_with(t, "--- End of stack trace from previous location"))
				continue;
			if (t == "<---") {
				skipping_inner_block = false;
				extra_cur = nullptr;
				continue;
			}
			if (starts_with(t, "---> (Inner Exception #")) {
				size_t close = t.find(')');
				int64_t k = to_int(t.substr(23, close == std::string_view::npos ? 0 : close - 23));
				std::string_view h = close == std::string_view::npos ? std::string_view() : t.substr(close + 1);
				if (k <= 0 && headers.size() > 1) {
					skipping_inner_block = true;  // same as the first " ---> " inner
				} else {
					extra.emplace_back();
					extra_cur = &extra.back();
					set_header(*extra_cur, h);
					extra_cur->role = Role::Suppressed;
					extra_cur->depth = 1;
				}
				in_message = true;
				continue;
			}
			if (starts_with(t, "[ERROR] FATAL UNHANDLED EXCEPTION:") && !headers.empty()) {
				stop = true;  // Mono prints the same exception a second time
				continue;
			}
			if (t == "Unhandled Exception:" || t == "Unhandled exception.")
				continue;
			// Header (possibly with inline " ---> " inners), or an inner on its own line.
			bool own_line_inner = starts_with(t, "---> ");
			bool new_header = headers.empty() || own_line_inner;
			if (!new_header && !in_message && looks_like_type(t) && section == 0 && total_frames(headers) > 0) {
				// A second, unrelated report: stop.
				break;
			}
			if (new_header) {
				push_headers(headers, own_line_inner ? t.substr(5) : t);
				in_message = true;
				continue;
			}
			if (in_message) {
				ExceptionInfo &e = extra_cur ? *extra_cur : headers.back();
				// fp2: a multi-line message's last line can announce the next
				// inner exception ("Parameter name: raw ---> System.FormatException: ..."
				// after an ArgumentException's message)
				size_t arrow = out.algorithm >= Algorithm::Fp2 && !extra_cur ? t.find(" ---> ") : std::string_view::npos;
				if (arrow != std::string_view::npos && looks_like_type(t.substr(arrow + 6))) {
					append_message_line(e.message, t.substr(0, arrow));
					push_headers(headers, t.substr(arrow + 6));
					continue;
				}
				append_message_line(e.message, t);
			}
		}
		int d = 0;
		for (auto &h : headers) {
			h.depth = d;
			h.role = d == 0 ? Role::Outer : Role::Cause;
			d++;
			out.chain.push_back(std::move(h));
		}
		for (auto &e : extra)
			out.chain.push_back(std::move(e));
	}

private:
	// fp2: Mono's native crash report ("Native Crash Reporting", "Got a
	// SIGSEGV while executing native code", native frames, a debugger dump
	// of every thread, then "Managed Stacktrace:" with "at Ns.Type:Method
	// <0x00057>" lines, innermost first).  The type is the signal, the frames
	// the managed ones (the native ones are the runtime's).
	static void parse_mono_crash(const std::vector<std::string_view> &lines, ParsedStack &out, const Cancel &cancel)
	{
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		bool managed = false;
		size_t i = 0;
		for (std::string_view raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (starts_with(t, "Got a SIG") && ex.type.empty()) {
				std::string_view sig = t.substr(6);
				ex.type.assign(sig.substr(0, sig.find(' ')));
				ex.message.assign(t.substr(0, Limits::max_message_bytes));
				continue;
			}
			if (starts_with(t, "=====")) {
				if (managed && !ex.frames.empty())
					break;
				continue;
			}
			if (t == "Managed Stacktrace:") {
				managed = true;
				continue;
			}
			if (!managed || !starts_with(t, "at "))
				continue;
			std::string_view call = t.substr(3);
			call = call.substr(0, call.find(" <0x"));
			size_t colon = call.rfind(':');
			if (colon == std::string_view::npos || starts_with(call, "<unknown>"))
				continue;
			std::string body(call.substr(0, colon));
			body.push_back('.');
			body.append(call.substr(colon + 1));
			body.append(" ()");
			Frame f = parse_frame(body, true);
			if (starts_with(call, "<Module>:"))
				f.category = Category::Plumbing;  // runtime_invoke_* trampolines
			push_frame(ex, std::move(f));
		}
	}

	// "A: m ---> B: m2 ---> C: m3": one exception per header, outermost first.
	static void push_headers(std::vector<ExceptionInfo> &headers, std::string_view rest)
	{
		for (;;) {
			size_t arrow = rest.find(" ---> ");
			headers.emplace_back();
			set_header(headers.back(), arrow == std::string_view::npos ? rest : rest.substr(0, arrow));
			if (arrow == std::string_view::npos)
				return;
			rest = rest.substr(arrow + 6);
		}
	}

	static size_t total_frames(const std::vector<ExceptionInfo> &hs)
	{
		size_t n = 0;
		for (const auto &h : hs)
			n += h.frames.size();
		return n;
	}
};

}  // namespace

bool
mono_crash_layout(const std::vector<std::string_view> &lines)
{
	bool report = false;
	for (std::string_view l : lines) {
		size_t k = 0;  // (Mono indents these headers with a tab)
		while (k < l.size() && (l[k] == '\t' || l[k] == ' '))
			k++;
		if (k == l.size() || !(l[k] == 'N' || l[k] == 'M'))
			continue;
		std::string_view t = rtrim(l.substr(k));
		report = report || t == "Native Crash Reporting";
		if (report && t == "Managed Stacktrace:")
			return true;
	}
	return false;
}

bool
dotnet_signature_layout(const std::vector<std::string_view> &lines)
{
	// a parameter list of types only: "System.String[]", "Int32",
	// "IEnumerable`1<System.String>", "String, String"
	auto type_list = [](std::string_view in) {
		if (in.empty())
			return true;  // "Main()": Java always prints a location
		for (std::string_view suffix : {".java", ".kt", ".scala", ".groovy", ".clj", ".kts"})
			if (ends_with(in, suffix))
				return false;
		for (char ch : in)
			if (!(is_alpha(ch) || is_digit(ch) || ch == '_' || ch == '.' || ch == '`' || ch == '[' || ch == ']' ||
			      ch == '<' || ch == '>' || ch == ',' || ch == ' ' || ch == '&' || ch == '*'))
				return false;
		return !(starts_with(in, "Unknown Source") || starts_with(in, "Native Method") || in == "Native" ||
		         starts_with(in, "SourceFile"));
	};
	size_t frames = 0, n = 0;
	for (std::string_view raw : lines) {
		std::string_view t = trim(raw);
		if (++n > 64)
			break;
		if (!starts_with(t, "at "))
			continue;
		size_t open = t.find('(');
		if (open == std::string_view::npos || t.back() != ')')
			return false;
		if (!type_list(t.substr(open + 1, t.size() - open - 2)))
			return false;
		frames++;
	}
	return frames > 0;
}

const StackParser &
dotnet_parser()
{
	static const DotNetParser p;
	return p;
}

}  // namespace errtrack
