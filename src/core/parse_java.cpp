// parse_java.cpp — JVM stack traces (Java, Kotlin, Scala, Groovy, Clojure).
//
//   java.lang.IllegalStateException: boom
//   	at com.acme.Foo.bar(Foo.java:42)
//   	at java.base/java.lang.Thread.run(Thread.java:833)
//   	Suppressed: java.io.IOException: close failed
//   		at ...
//   Caused by: java.lang.NullPointerException: ...
//   	... 5 more
//
// Normalisation: module prefixes (java.base@17/, app//) dropped; packages
// abbreviated to their initials in the key (so Datadog's abbreviated
// "c.a.Foo" and the full "com.acme.Foo" agree); $$Lambda, CGLIB, ByteBuddy,
// Javassist, Hibernate proxies, $ProxyNN and GeneratedMethodAccessorNN are
// generated frames; lambda$x$0 / Foo$1 ordinals dropped.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using putil::PrefixSet;

// "at " frame line: returns the part after "at " or empty.
std::string_view
frame_body(std::string_view line)
{
	std::string_view t = ltrim(line);
	if (!starts_with(t, "at ") || t.size() < 5)
		return {};
	t = t.substr(3);
	// Must look like qualified.name(...)
	size_t paren = t.find('(');
	if (paren == std::string_view::npos || paren == 0 || t.back() != ')')
		return {};
	std::string_view name = t.substr(0, paren);
	if (name.find('.') == std::string_view::npos || name.find(' ') != std::string_view::npos)
		return {};
	return t;
}

// Packages that are never the user's code.
bool
is_library_package(std::string_view cls)
{
	static const PrefixSet kLibrary{"java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.", "kotlin.",
	                                "kotlinx.", "scala.", "groovy.", "clojure.", "org.springframework.",
	                                "org.apache.", "org.hibernate.", "com.fasterxml.", "io.netty.",
	                                "reactor.", "io.reactivex.", "io.micrometer.", "org.junit.",
	                                "junit.", "com.google.", "okhttp3.", "okio.", "org.eclipse.jetty.",
	                                "org.glassfish.", "ch.qos.logback.", "org.slf4j.", "com.zaxxer.",
	                                "org.postgresql.", "com.mysql.", "io.grpc.", "io.undertow.",
	                                "org.jboss.", "io.vertx.", "akka.", "play.", "com.typesafe.",
	                                "org.mockito.", "net.bytebuddy.", "org.aspectj.", "feign.",
	                                "retrofit2.", "io.quarkus.", "io.micronaut.", "org.jooq.",
	                                "org.mybatis.", "org.thymeleaf.", "org.yaml.", "com.zaxxer.",
	                                "software.amazon.", "com.amazonaws.", "org.bson.", "com.mongodb."};
	return kLibrary.starts(cls);
}

// Frames that are machinery, never part of an error's identity.
bool
is_plumbing(std::string_view cls, std::string_view method)
{
	static const PrefixSet kPlumbing{"java.lang.reflect.", "jdk.internal.reflect.", "sun.reflect.",
	                                 "java.lang.invoke.", "jdk.internal.", "datadog.", "com.datadoghq.",
	                                 "io.opentelemetry.", "co.elastic.apm.", "io.sentry.", "com.newrelic.",
	                                 "com.bugsnag.", "com.rollbar.", "org.springframework.aop.",
	                                 "org.springframework.cglib.", "net.bytebuddy.", "org.aspectj.",
	                                 "java.util.concurrent.", "kotlinx.coroutines.", "kotlin.coroutines.",
	                                 "scala.concurrent.", "akka.dispatch.", "io.netty.util.concurrent.",
	                                 "io.netty.util.internal.", "reactor.core.publisher."};
	if (kPlumbing.starts(cls))
		return true;
	if (cls == "java.lang.Thread" || cls == "java.lang.VirtualThread")
		return true;
	if (cls == "java.util.Objects" && starts_with(method, "require"))
		return true;  // a throw helper: the caller is the site
	return false;
}

// Strip generated suffixes from a class name; returns true if the class is
// itself generated code.
bool
clean_class(std::string &cls, bool fp2)
{
	bool generated = false;
	// (Every marker and "$Proxy" hold a '$'; the accessors all say "Generated".)
	if (cls.find('$') != std::string::npos) {
		static constexpr std::string_view markers[] = {
			"$$Lambda", "$$EnhancerBySpringCGLIB$$", "$$SpringCGLIB$$", "$$FastClassBySpringCGLIB$$",
			"$$EnhancerByCGLIB$$", "$$FastClassByCGLIB$$", "$HibernateProxy$", "$ByteBuddy$", "$$_javassist_",
			"_$$_jvst", "$MockitoMock$"};
		for (std::string_view m : markers) {
			size_t k = cls.find(m);
			if (k != std::string::npos) {
				cls.erase(k);
				generated = true;
			}
		}
		// fp2: Android's D8/R8 synthetic classes ("Foo$$ExternalSyntheticLambda0",
		// "...$$ExternalSyntheticOutline1"; the ordinal changes with the build)
		size_t d8 = fp2 ? cls.find("$$ExternalSynthetic") : std::string::npos;
		if (d8 != std::string::npos) {
			cls.erase(d8);
			generated = true;
		}
		// $Proxy12 / com.sun.proxy.$Proxy12 / jdk.proxy2.$Proxy55
		size_t px = cls.find("$Proxy");
		if (px != std::string::npos && (px == 0 || cls[px - 1] == '.')) {
			cls = "$Proxy";
			generated = true;
		}
	}
	if (cls.find("Generated") != std::string::npos &&
	    (cls.find("GeneratedMethodAccessor") != std::string::npos ||
	     cls.find("GeneratedConstructorAccessor") != std::string::npos ||
	     cls.find("GeneratedSerializationConstructorAccessor") != std::string::npos)) {
		cls = "GeneratedAccessor";
		generated = true;
	}
	if (cls.find('$') != std::string::npos)
		cls = strip_dollar_ordinals(cls);
	// "Foo$" left by an anonymous class ordinal: keep the $ to mark "anonymous in Foo".
	return generated;
}

// lambda$main$0 -> lambda$main ; access$000 -> access$ ; foo$1 -> foo$
std::string
clean_method(std::string_view m)
{
	std::string r = strip_dollar_ordinals(m);
	while (!r.empty() && r.back() == '$')
		r.pop_back();
	return r;
}

// Key form of a class: packages abbreviated to initials, class kept.
std::string
abbreviate(std::string_view cls)
{
	std::string r;
	size_t start = 0;
	while (true) {
		size_t dot = cls.find('.', start);
		if (dot == std::string_view::npos) {
			r.append(cls.substr(start));
			break;
		}
		std::string_view seg = cls.substr(start, dot - start);
		// A segment starting with an upper-case letter is a class (nested via '.')
		if (!seg.empty() && seg[0] >= 'A' && seg[0] <= 'Z') {
			r.append(cls.substr(start));
			break;
		}
		if (!seg.empty())
			r.push_back(seg[0]);
		r.push_back('.');
		start = dot + 1;
	}
	return r;
}

// fp2: Groovy's runtime (call sites, meta classes, reflection) is a library
// like groovy.* (fp1 took org.codehaus.groovy.* for the app: every Groovy
// error was keyed by the call-site machinery that threw it), and the call
// sites the Groovy compiler generates per call ("crm.Checks$requireEmail.call
// (Unknown Source)": the class is "Caller$method") are generated code.
bool
groovy_library(std::string_view cls)
{
	return starts_with(cls, "org.codehaus.groovy.") || starts_with(cls, "org.apache.groovy.") ||
	       starts_with(cls, "groovyjarjar");
}

// fp2: Android's framework and support libraries (fp1 took them for the app:
// every app's "Fragment not attached" crash had one key, the framework's).
// Not all of com.android.* or com.google.android.*: Google's own apps and
// tools live there (the Eclipse set's ADT plugin, com.android.ide.*).
bool
android_library(std::string_view cls)
{
	static const PrefixSet kAndroid{"android.", "androidx.", "com.android.internal.", "com.google.android.material.",
	                                "com.google.android.gms.", "dalvik.", "libcore."};
	return kAndroid.starts(cls);
}

bool
groovy_call_site(std::string_view cls, std::string_view method, std::string_view loc)
{
	return loc == "Unknown Source" && cls.find('$') != std::string_view::npos &&
	       (method == "call" || method == "callStatic" || method == "callCurrent" || method == "callConstructor" ||
	        method == "callSafe");
}

// fp2: a synthetic accessor ("Outer.access$000", Kotlin's "access$getName$p"):
// javac before JDK 11 routed a nested class's use of its outer class's private
// members through one; JDK 11's nestmates call them directly.  The frame is
// dropped, so that the same code compiled for another release keeps its key.
bool
synthetic_accessor(std::string_view body)
{
	std::string_view qual = body.substr(0, body.find('('));
	size_t dot = rfind_char(qual, '.');
	return dot != std::string_view::npos && starts_with(qual.substr(dot + 1), "access$");
}

// fp2: Clojure's compiler numbers the classes of anonymous functions, of
// top-level forms and of protocol dispatch ("shop.orders$order_total$fn__155",
// "shop.main$eval177", "clojure.core.protocols$fn__8178$G__8173__8191"):
// the numbers move whenever a form is added above (fp1: another issue after
// every such deploy).  They go: "...$order_total$fn", "...$eval".
bool
clojure_frame(std::string_view loc)
{
	// its source file: "orders.clj:16" (.cljc, .cljs), or the REPL's "NO_SOURCE_FILE:1"
	size_t colon = rfind_char(loc, ':');
	std::string_view file = colon == std::string_view::npos ? loc : loc.substr(0, colon);
	return file.size() > 4 && (ends_with(file, ".clj") || ends_with(file, ".cljc") || ends_with(file, ".cljs") ||
	                           file == "NO_SOURCE_FILE");
}

std::string
clojure_class(std::string_view cls)
{
	std::string r;
	r.reserve(cls.size());
	size_t i = 0;
	while (i < cls.size()) {
		// "__<digits>" (fn__155, G__8173__8191, reify__123)
		if (cls[i] == '_' && i + 2 < cls.size() && cls[i + 1] == '_' && is_digit(cls[i + 2])) {
			i += 2;
			while (i < cls.size() && is_digit(cls[i]))
				i++;
			continue;
		}
		// "$eval<digits>"
		if (cls[i] == '$' && cls.substr(i + 1, 4) == "eval" && i + 5 < cls.size() && is_digit(cls[i + 5])) {
			r.append("$eval");
			i += 5;
			while (i < cls.size() && is_digit(cls[i]))
				i++;
			continue;
		}
		r.push_back(cls[i++]);
	}
	return r;
}

// fp2: Scala's and the JVM's functional-effect runtimes, React Native's
// bridge and other libraries fp1's list missed (fp1: their frames were the
// app's and filled the key: every React Native app's JavaScript crash had
// ExceptionsManagerModule.reportException's key)
bool
jvm_library_fp2(std::string_view cls)
{
	// "org." packages by their second segment's first letter: most app code
	// of the JVM world is org.<something> too (one compare, not seven)
	if (starts_with(cls, "org.") && cls.size() > 4) {
		std::string_view rest = cls.substr(4);
		switch (rest[0]) {
		case 'h': return starts_with(rest, "http4s.");
		case 'j': return starts_with(rest, "jetbrains.exposed.");
		case 'r': return starts_with(rest, "redisson.");
		case 'a': return starts_with(rest, "apache.kafka.");
		case 'e': return starts_with(rest, "elasticsearch.");
		case 'f': return starts_with(rest, "flywaydb.");
		case 'l': return starts_with(rest, "liquibase.");
		default: return false;
		}
	}
	// (Xamarin / .NET MAUI on Android: the .NET frames a JavaProxyThrowable
	// carries, "at Microsoft.Maui.Controls...()", in capitalised namespaces no
	// Java package uses)
	if (starts_with(cls, "com.") && cls.size() > 4) {
		std::string_view rest = cls.substr(4);
		switch (rest[0]) {
		case 't': return starts_with(rest, "twitter.");
		case 'd': return starts_with(rest, "datastax.");
		case 'f':
			return starts_with(rest, "facebook.react.") || starts_with(rest, "facebook.hermes.") ||
			       starts_with(rest, "facebook.jni.") || starts_with(rest, "facebook.soloader.");
		case 's': return starts_with(rest, "swmansion.");
		default: return false;
		}
	}
	static const PrefixSet kLibrary{"System.", "Microsoft.", "Mono.", "Xamarin.", "Android.", "AndroidX.", "Java.", "mono.",
	                                "zio.", "cats.", "fs2.", "monix.", "izumi.", "shapeless.", "io.circe.",
	                                "sttp.", "doobie.", "io.r2dbc.", "datomic.", "io.projectreactor.", "io.ktor.",
	                                "arrow.core.", "io.lettuce.", "liquibase.", "expo.modules."};
	return kLibrary.starts(cls);
}

Frame
parse_frame(std::string_view body, bool fp2)
{
	Frame f;
	f.lang = Lang::Java;
	size_t paren = body.find('(');
	std::string_view qual = body.substr(0, paren);
	std::string_view loc = body.substr(paren + 1, body.size() - paren - 2);
	// Hidden classes print as "Foo$$Lambda$14/0x0000000800c02a00.apply" (JDK 17)
	// or "Foo$$Lambda/0x...apply" (JDK 21): drop the "/0x<addr>" part first.
	std::string qual_buf;
	size_t hidden = qual.find("/0x");
	if (hidden != std::string_view::npos) {
		size_t e = hidden + 3;
		while (e < qual.size() && is_hex(qual[e]))
			e++;
		qual_buf.assign(qual.substr(0, hidden));
		qual_buf.append(qual.substr(e));
		qual = qual_buf;
	}
	// Module / class-loader prefixes: "java.base@17.0.2/java.lang.Thread.run", "app//com.x.Y.z"
	size_t slash = rfind_char(qual, '/');
	if (slash != std::string_view::npos)
		qual = qual.substr(slash + 1);
	size_t dot = rfind_char(qual, '.');
	std::string_view cls = qual.substr(0, dot);
	std::string_view method = qual.substr(dot + 1);
	// clean_class() changes nothing in a class name without '$' or "Generated".
	std::string cls_buf;
	bool generated = false;
	if (cls.find('$') != std::string_view::npos || cls.find("Generated") != std::string_view::npos) {
		cls_buf.assign(cls);
		generated = clean_class(cls_buf, fp2);
		cls = cls_buf;
	}
	f.function = clean_method(method);
	// fp2: scalac's "$adapted" bridge ("$anonfun$run$3$adapted") forwards to
	// the method of the same name at the same line: one frame of the two
	// (consecutive identical frames collapse)
	if (fp2 && ends_with(f.function, "$adapted")) {
		f.function.resize(f.function.size() - 8);
		while (!f.function.empty() && f.function.back() == '$')
			f.function.pop_back();
	}
	std::string clj_buf;
	if (fp2 && clojure_frame(loc)) {
		clj_buf = clojure_class(cls);
		cls = clj_buf;
		// invokeStatic / doInvoke / invokePrim: one Clojure function's
		// entry points (two consecutive frames of one call)
		if (f.function == "invokeStatic" || f.function == "doInvoke" || f.function == "invokePrim")
			f.function = "invoke";
	}
	size_t colon = rfind_char(loc, ':');
	if (colon != std::string_view::npos && all_digits(loc.substr(colon + 1))) {
		f.file.assign(loc.substr(0, colon));
		f.line = parse_digits(loc.substr(colon + 1));
	} else if (loc != "Native Method" && loc != "Unknown Source") {
		f.file.assign(loc);
	}
	if (generated || (fp2 && groovy_call_site(cls, f.function, loc)))
		f.category = Category::Generated;
	else if (is_plumbing(cls, f.function))
		f.category = Category::Plumbing;
	else if (is_library_package(cls) || (fp2 && (groovy_library(cls) || android_library(cls) || jvm_library_fp2(cls))))
		f.category = Category::Library;
	else
		f.category = Category::App;
	f.module = abbreviate(cls);
	return f;
}

class JavaParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Java; }
	int max_line_points() const override { return 2; }

	// score(): "at " frames, "Caused by: ", "... " (after leading white space).
	bool may_score(LineShape s) const override { return s.first == 'a' || s.first == 'C' || s.first == '.'; }

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view b = frame_body(l);
			if (!b.empty()) {
				// .NET prints "at Ns.Type.Method(args) in file:line N" — not Java.
				if (b.find(" in ") == std::string_view::npos)
					n += 2;
			} else if (starts_with(ltrim(l), "Caused by: ") || starts_with(ltrim(l), "... ")) {
				n += 1;
			}
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		if (out.algorithm >= Algorithm::Fp2 && hs_err_layout(lines)) {
			parse_hs_err(lines, out, cancel);
			return;
		}
		ExceptionInfo *cur = nullptr;
		size_t recovered = SIZE_MAX;  // fp2: the exception whose frames are a coroutine's recovered copy
		ExceptionInfo *last_main = nullptr;  // latest non-suppressed exception
		int depth = 0;
		bool in_message = false;
		std::string_view repeated;  // fp2: a header line printed twice
		bool preamble = false;      // fp2: the first "header" is not one (a log line)
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view l = rtrim(raw);
			std::string_view t = ltrim(l);
			if (t.empty()) {
				continue;
			}
			std::string_view body = frame_body(l);
			if (!body.empty()) {
				in_message = false;
				if (!cur) {
					out.chain.emplace_back();
					cur = last_main = &out.chain.back();
				}
				const bool fp2 = out.algorithm >= Algorithm::Fp2;
				// fp2: kotlinx.coroutines' stack-trace recovery (debug mode,
				// -ea) copies the exception and appends, after a marker frame
				// "_COROUTINE._BOUNDARY._", the stack of the coroutine that
				// awaited it ("_CREATION": where it was created): frames a
				// production run does not print, so not keyed (fp1: the marker
				// and the awaiting frames were; the bug had two issues)
				const size_t at = static_cast<size_t>(cur - out.chain.data());
				if (fp2 && starts_with(body, "_COROUTINE._")) {
					recovered = at;
					continue;
				}
				if (!(fp2 && (synthetic_accessor(body) || recovered == at)))
					push_frame(*cur, parse_frame(body, fp2));
				continue;
			}
			if (starts_with(t, "... ") && ends_with(t, " more")) {
				if (cur)
					cur->frames_truncated = true;
				in_message = false;
				continue;
			}
			bool suppressed = starts_with(t, "Suppressed: ");
			bool caused = starts_with(t, "Caused by: ");
			if (caused || suppressed || !cur || (!in_message && is_header(t))) {
				std::string_view header = t;
				Role role = out.chain.empty() ? Role::Outer : Role::Cause;
				if (caused)
					header = t.substr(11);
				if (suppressed) {
					header = t.substr(12);
					role = Role::Suppressed;
				}
				if (starts_with(header, "Exception in thread \"")) {
					size_t q = header.find('"', 21);
					if (q != std::string_view::npos)
						header = ltrim(header.substr(q + 1));
				}
				// fp2: groovy's uncaught-exception report, "Caught: T: m", then
				// "T: m" again and the trace
				if (out.algorithm >= Algorithm::Fp2 && !caused && !suppressed && starts_with(header, "Caught: ")) {
					header = header.substr(8);
					repeated = header;
				}
				// fp2: Firebase Crashlytics' "Fatal Exception: T: m" / "Non-fatal
				// Exception: T: m" (fp1: the type "Fatal Exception")
				if (out.algorithm >= Algorithm::Fp2 && !caused && !suppressed) {
					for (std::string_view p : {std::string_view("Fatal Exception: "), std::string_view("Non-fatal Exception: ")})
						if (starts_with(header, p))
							header = header.substr(p.size());
					// Google Play Console's "Exception T: m" (a qualified type follows)
					if (starts_with(header, "Exception ")) {
						std::string_view rest = header.substr(10);
						std::string_view type = rest.substr(0, rest.find(':'));
						if (type.find('.') != std::string_view::npos && type.find(' ') == std::string_view::npos)
							header = rest;
					}
				}
				// A cause of a suppressed exception nests under it; we keep it
				// as suppressed so the primary chain stays the main one.
				bool nested_in_suppressed = caused && cur && cur->role == Role::Suppressed &&
				                            raw.size() > 0 && raw[0] == '\t';
				out.chain.emplace_back();
				cur = &out.chain.back();
				split_type_message(header, cur->type, cur->message);
				// fp2: Xamarin / .NET MAUI's android.runtime.JavaProxyThrowable
				// wraps a .NET exception: "JavaProxyThrowable: System.X: m" is X
				if (out.algorithm >= Algorithm::Fp2 && cur->type == "android.runtime.JavaProxyThrowable") {
					std::string inner_type, inner_message;
					split_type_message(cur->message, inner_type, inner_message);
					if (!inner_type.empty() && inner_type.find('.') != std::string::npos &&
					    inner_type.find(' ') == std::string::npos) {
						cur->type = std::move(inner_type);
						cur->message = std::move(inner_message);
					}
				}
				preamble = out.algorithm >= Algorithm::Fp2 && out.chain.size() == 1 && !caused && !suppressed &&
				           !is_header(header);
				if (nested_in_suppressed)
					role = Role::Suppressed;
				cur->role = role;
				if (role == Role::Cause)
					cur->depth = ++depth;
				else if (role == Role::Suppressed)
					cur->depth = depth;
				if (role != Role::Suppressed)
					last_main = cur;
				in_message = true;
				(void) last_main;
				continue;
			}
			if (in_message && cur && !repeated.empty() && t == repeated) {
				repeated = {};
				continue;
			}
			// fp2: a log record printed before the exception ("2026-11-24T15:17:10,641
			// ERROR [main] c.a.l.Main - conversion failed", Spring's startup lines):
			// the first header-shaped line before any frame is the exception's
			if (preamble && in_message && cur && cur->frames.empty() && out.chain.size() == 1 && is_class_header(t)) {
				cur->type.clear();
				cur->message.clear();
				split_type_message(t, cur->type, cur->message);
				preamble = false;
				continue;
			}
			if (in_message && cur) {
				// Multi-line message: keep appending (bounded).
				if (cur->message.size() < Limits::max_message_bytes) {
					cur->message.push_back('\n');
					cur->message.append(t.substr(0, Limits::max_message_bytes));
				}
				continue;
			}
		}
	}

private:
	// fp2: the JVM's fatal error log (hs_err_pid<N>.log: "# A fatal error has
	// been detected by the Java Runtime Environment:", "#  SIGSEGV (0xb) at
	// pc=...", "# Problematic frame:", ... "Java frames: (J=compiled Java
	// code, j=interpreted, Vv=VM code)" then "j  shop.Main.poke(J)V+25" /
	// "J 123 c2 shop.Main.poke(J)V (10 bytes) @ 0x..." lines of the crashing
	// thread, then hundreds of lines of VM state).  The type is the signal or
	// error ("SIGSEGV", "Internal Error"); the frames the Java frames; with
	// none (a crash outside Java code), the problematic frame.
	static void parse_hs_err(const std::vector<std::string_view> &lines, ParsedStack &out, const Cancel &cancel)
	{
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		enum { Banner, Header, Problem, Body, Frames, Done } state = Banner;
		std::string problematic;
		size_t i = 0;
		for (std::string_view raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			if (state == Done)
				break;
			std::string_view t = trim(raw);
			if (state == Banner) {
				if (t.find("A fatal error has been detected by the Java Runtime Environment") != std::string_view::npos)
					state = Header;
				continue;
			}
			if (state == Header || state == Problem) {
				std::string_view h = t;
				if (!h.empty() && h[0] == '#')
					h = trim(h.substr(1));
				if (state == Problem && !h.empty()) {
					problematic.assign(h);
					state = Header;
					continue;
				}
				if (h == "Problematic frame:") {
					state = Problem;
					continue;
				}
				if (ex.type.empty() && !h.empty() && !starts_with(h, "JRE version") && !starts_with(h, "Java VM")) {
					ex.message.assign(h.substr(0, Limits::max_message_bytes));
					ex.type.assign(h.substr(0, std::min(h.find(" ("), h.find(" at pc="))));
					continue;
				}
				if (starts_with(t, "---"))
					state = Body;
				continue;
			}
			if (state == Body) {
				if (starts_with(t, "Java frames:"))
					state = Frames;
				continue;
			}
			// Frames: "j  a.B.c(J)V+7 [module]", "J 123 c2 a.B.c(J)V (10 bytes) @ ...",
			// "v  ~StubRoutines::call_stub" (VM code: skipped); a blank line ends them
			if (t.empty()) {
				state = Done;
				continue;
			}
			if (t.size() < 3 || !(t[0] == 'j' || t[0] == 'J' || t[0] == 'A') || t[1] != ' ')
				continue;
			std::string_view call;
			for (size_t p = 2; p < t.size();) {
				while (p < t.size() && t[p] == ' ')
					p++;
				size_t e = t.find(' ', p);
				std::string_view tok = t.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p);
				if (tok.find('(') != std::string_view::npos) {
					call = tok.substr(0, tok.find('('));
					break;
				}
				if (e == std::string_view::npos)
					break;
				p = e;
			}
			if (call.find('.') == std::string_view::npos)
				continue;
			std::string body(call);
			body.append("(Unknown Source)");
			if (!synthetic_accessor(body))
				push_frame(ex, parse_frame(body, true));
		}
		// No Java frame: "V  [libjvm.so+0xed2f94]  Unsafe_PutLong+0x124" names the site
		if (ex.frames.empty() && !problematic.empty()) {
			std::string_view p = problematic;
			size_t close = p.find("]  ");
			std::string_view sym = close == std::string_view::npos ? std::string_view() : trim(p.substr(close + 3));
			sym = sym.substr(0, sym.find('+'));
			if (!sym.empty()) {
				Frame f;
				f.lang = Lang::Java;
				std::string_view lib = p.substr(p.find('[') + 1);
				f.module.assign(lib.substr(0, std::min(lib.find('+'), lib.find(']'))));
				f.function.assign(sym);
				f.category = Category::Library;
				push_frame(ex, std::move(f));
			}
		}
	}

	// fp2, stricter than is_header(): a JVM class name ("java.lang.IllegalStateException",
	// "com.acme.Lookup$LookupException": letters, digits, '_', '$', '.', its
	// simple name capitalised), then ": message" or nothing.
	static bool is_class_header(std::string_view t)
	{
		size_t end = t.find(": ");
		std::string_view type = end == std::string_view::npos ? t : t.substr(0, end);
		if (type.empty())
			return false;
		for (char c : type)
			if (!(is_alnum(c) || c == '_' || c == '$' || c == '.'))
				return false;
		size_t dot = type.rfind('.');
		char first = dot == std::string_view::npos ? type[0] : (dot + 1 < type.size() ? type[dot + 1] : '\0');
		return dot != std::string_view::npos && first >= 'A' && first <= 'Z';
	}

	// "pkg.Type: message" or "pkg.Type" at the start of a trace.
	static bool is_header(std::string_view t)
	{
		size_t end = t.find(": ");
		std::string_view type = end == std::string_view::npos ? t : t.substr(0, end);
		if (type.empty() || type.find(' ') != std::string_view::npos)
			return false;
		return type.find('.') != std::string_view::npos || ends_with(type, "Exception") ||
		       ends_with(type, "Error");
	}
};

}  // namespace

bool
hs_err_layout(const std::vector<std::string_view> &lines)
{
	const size_t n = std::min(lines.size(), size_t(8));
	for (size_t i = 0; i < n; i++)
		if (!lines[i].empty() && lines[i][0] == '#' &&
		    lines[i].find("A fatal error has been detected by the Java Runtime Environment") != std::string_view::npos)
			return true;
	return false;
}

const StackParser &
java_parser()
{
	static const JavaParser p;
	return p;
}

}  // namespace errtrack
