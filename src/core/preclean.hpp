// preclean.hpp — fp2's line rewriting before detection and parsing.
//
// Some runtimes and loggers print the format a parser knows with a small
// twist; instead of teaching every parser (and its detection score) each
// twist, fp2 rewrites those lines into the plain format first.  The rules
// belong to the fingerprint algorithm: fp1 (errtrack 0.1.0, frozen) never
// runs them.  Each rule has real traces in test/fixtures/stacks and a test in
// test/unit/test_preclean.cpp.
//
//  0. A log collector's prefix on every line (docker and Kubernetes time
//     stamps, docker compose's "web_1  | ", journald/syslog "Oct 09 16:30:01 host unit[pid]: ", logcat's
//     level and tag, Jenkins' "19:37:50  ", BuildKit's "#9 10.19 ", comment
//     and quote markers "#", "//", ">"): when four non-blank lines in five
//     (and two at least) carry the same kind of prefix, every recognised
//     prefix is dropped, with the white space all such lines have after it.
//  1. JVM frame lines with a logger's packaging data (Logback
//     "at a.B.c(B.java:4) ~[app-1.2.jar:1.2]", Log4j 2 %xEx "~[?:?]"): the
//     suffix is dropped.
//  2. glibc backtrace_symbols_fd() lines "./app(f+0x1e)[0x55..]" get the
//     space backtrace_symbols() prints: "./app(f+0x1e) [0x55..]".
//  3. Node.js's uncaught-exception preamble — "<file>:<line>", the source
//     line, the caret line, printed before the error — is dropped, so the
//     error's own "Type: message" line is the header.
//  4. Ruby's bottom-first backtrace (full_message(order: :bottom), the
//     2.5–2.7 terminal default): "Traceback (most recent call last):",
//     "\tN: from file:line:in `m'" lines, then the "file:line:in `m': msg
//     (Type)" line, per exception, causes first) is put in the top-first
//     order: each exception's header line, its message lines, then its
//     "from" lines innermost first; the outermost exception first.
//  5. Google Play Console's JVM frames, "at a.b.C.m (C.java:12)" (a space
//     before the parenthesis; the location a JVM's: "*.java:N", "*.kt:N",
//     "Unknown Source", "Native Method", "SourceFile:N"), lose the space; with
//     such frames, a frame without location ("at java.lang.reflect.Method.
//     invoke") gets "(Unknown Source)".  (The Java parser also drops Play's
//     "Exception " before a qualified type on the header line.)
//
//  7. gin's Recovery middleware ("[Recovery] <time> panic recovered:", the
//     request in debug mode, the panic value, then "/path/file.go:45
//     (0x65dc77)" lines each with "\tfunction: source" when gin could read
//     the source) is rewritten as Go's panic dump: "panic: <value>",
//     "goroutine 1 [running]:", "<import path>.<function>(...)" and
//     "\t/path/file.go:45"; the import path from the module cache, GOPATH or
//     GOROOT in the path, else "_/<directory>"; without a function line the
//     file's name stands for the function.
//  8. Monolog's LineFormatter output of an exception (Laravel's laravel.log:
//     '... {"exception":"[object] (T(code: C): m at f:l)', "[stacktrace]",
//     "#N ..." frames, "[previous exception] [object] (...)" for each
//     previous, up to '"}'; JSON-escaped, on one line or with real line
//     breaks) is rewritten as PHP prints a chain: innermost first, "T: m in
//     f:l", "Stack trace:", its frames, then "Next T: m in f:l" per outer one.
//  9. IPython's traceback (Context/Verbose: a rule of dashes, "T    Traceback
//     (most recent call last)", "Cell In [N], line M[, in f(args)]", "File
//     /p/x.py:8, in f(args)", numbered source context; Plain: "Cell In [N],
//     line M in f"; IPython <= 7: "<ipython-input-N-hash> in f(args)") is
//     rewritten as Python's: "Traceback (most recent call last):", "  File
//     \"<cell>\", line M, in f", ...; the context lines dropped.
// 10. pytest's failure report ("____ test_x ____", "path.py:17: in f" or a
//     source block then "path.py:9: T", "E   T: m") is rewritten as Python's
//     traceback: a frame per location (long form: named by the block's
//     "def"), the "E" lines as the exception after them.
// 11. PHP's fatal error flattened onto one line ("... Stack trace: #0 ... #1
//     ... thrown in ...", display_errors' HTML copied from a browser, a
//     WordPress recovery e-mail) is split into PHP's lines, its header from
//     "Uncaught "; in nginx's error log, what precedes "FastCGI sent in
//     stderr: \"PHP message: " and what follows "\" while " are dropped.
// 12. util.inspect's error without a stack ("[UnhandledPromiseRejection: ...]
//     {", "[Error [ERR_X]: boom]"), its property lines ("  code: '...'") and
//     the closing "}": the "Name: message" inside only.
// 13. RSpec's failure report ("Failure/Error: ...", "Type:", the message,
//     "# ./lib/x.rb:16:in `m'" lines): its first failure as Ruby prints an
//     uncaught exception ("./lib/x.rb:16:in `m': message (Type)", "\tfrom
//     ..."); with no type line, RSpec::Expectations::ExpectationNotMetError.
// 14. Rollbar's Ruby backtrace in Python's form ('File "x.rb", line N, in m',
//     innermost first, most files Ruby's) after its "Type: message" line: as
//     Ruby prints it.
// 15. Laravel's console renderer (Collision) and Symfony's text renderer:
//     the type and message above the throw site's "at file.php:N", then
//     Collision's "N  file:line" frames with their call on the next line, or
//     Symfony's "at Class->m(args)" over "(file:line)": as PHP's "T: m in
//     f:l", "Stack trace:", "#k file(line): call()" (arguments dropped; code
//     excerpts and "+N vendor frames" skipped).
// 16. A V8 stack flattened onto one line by a logger that joins lines
//     ("TypeError: x is null at f (a.js:3:9) at g (a.js:7:2)", after a log
//     record's time stamp and words or not): split before
//     each " at " from the first one followed by a frame with a line and
//     column, when two or more are (the header keeps an earlier " at ").
// 17. .NET Framework's frames and markers in a Chinese or Japanese UI
//     culture ("在 A.B.C() 位置 F:行号 N", "場所 A.B.C() 場所 F:行 N", "---
//     内部异常堆栈跟踪的结尾 ---", ...): in English ("at A.B.C() in F:line N",
//     "--- End of inner exception stack trace ---", ...).
// 18. V8's fatal error report (Node.js: "<--- Last few GCs --->", "<--- JS
//     stacktrace --->", "FATAL ERROR: <reason>", "----- Native stack trace
//     -----" and V8's and Node's own numbered C++ frames, " 1: 0xb78db3
//     node::OOMErrorHandler(...)" or " 1: 00007FF71AD3B106
//     node::OnFatalError+1318"): the "FATAL ERROR:" line alone; a heap
//     exhaustion (also wrapped after "Allocation failed -") is "FATAL ERROR:
//     Allocation failed - JavaScript heap out of memory", its varying reason
//     ("Reached heap limit", "Ineffective mark-compacts near heap limit")
//     dropped.
// 19. Go's race detector report ("WARNING: DATA RACE", "Read at 0x.. by
//     goroutine 7:", the access's frames indented, "Previous write at ...",
//     the goroutines' creation stacks, "Found 1 data race(s)"): as a Go
//     crash, "fatal error: data race" and the first access's frames as a
//     goroutine's (fp1 keyed the report's words: every race one issue).
// 20. ASP.NET's health-monitoring event (Windows' event 1309: "Event code:
//     3005", application and process information, "Exception information:",
//     "Exception type: T", "Exception message: M", the frames, "Request
//     information:" ...): the exception as .NET prints it, "T: M" and its
//     frames, HTML entities of the event's XML view unescaped in them.
// 21. .NET's stack overflow print ("Stack overflow.", "Repeat N times:", the
//     repeated frames between dashed rules, the rest): an exception,
//     "System.StackOverflowException: Stack overflow.", its frames once.
// 22. Rich's traceback (Python's rich library, RichHandler(rich_tracebacks=
//     True), Typer, Textual: a box "╭─ Traceback (most recent call last) ─╮",
//     "│ PATH:LINE in FUNC │" per frame — FUNC wrapped onto the next line in a
//     narrow box — with source lines and locals, "╰─╯", "Type: message";
//     chained boxes between "The above exception was ..." sentences, which
//     wrap too): as Python prints it.
// 23. loguru's traceback (backtrace=True: "> File ..." marks the frame that
//     caught the exception; diagnose=True: lines of "│" and "└ value" under
//     each source line): Python's form, the marker a space, the annotation
//     lines dropped.
//
// Lines stay views: into the input, into Lines::text, or into one of the
// strings of `side` (a forward_list: its strings never move, and an empty one allocates nothing), which holds the
// rewritten lines and must outlive them.
#pragma once
#include <forward_list>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace errtrack {

// Linear in the number of lines; polls `cancel`.
void fp2_preclean(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel);

// Rule 0's recogniser: the log collector's prefix at the start of `line`.
// kind = 0: none; `end` = where it ends, `gap` = the white space after it.
struct LogPrefix {
	unsigned kind = 0;
	size_t end = 0;
	size_t gap = 0;
};
LogPrefix log_prefix(std::string_view line);

// The single-line rules, exposed for tests.
std::string_view strip_jvm_packaging_data(std::string_view line);
// true when `line` is "OBJ(SYM)[0xADDR]" (no space before '['): `split` is
// the offset of the '['.
bool bts_fd_line(std::string_view line, size_t &split);

}  // namespace errtrack
