// parser.hpp — one parser per runtime; adding a runtime = adding one parser.
//
// A parser has two jobs: say how strongly a text looks like its runtime's
// stack format (detection), and turn the lines into a ParsedStack with
// frames normalised and classified (app / library / plumbing / generated).
// Register it in parsers.cpp.
#pragma once
#include <string_view>
#include <vector>

#include "algorithm.hpp"
#include "error.hpp"
#include "model.hpp"
#include "text.hpp"

namespace errtrack {

// What detection knows of a line before any parser scores it.
struct LineShape {
	unsigned char first = 0;      // first byte after leading white space
	unsigned char raw_first = 0;  // first byte of the line as it is
	bool has_at = false;          // the line holds an '@'
};

class StackParser {
public:
	virtual ~StackParser() = default;
	virtual Lang lang() const = 0;
	// Number of lines among `lines` (the first ~64 of the stack) that look like
	// this runtime's frame lines.  0 = not this runtime.
	virtual int score(const std::vector<std::string_view> &lines) const = 0;
	// The most points score() gives one line.  score() is a sum over lines,
	// so detection drops a parser as soon as this many points on each of its
	// remaining lines could not beat the best score so far.  Must not be
	// lower than the truth (test_core checks it on every real trace).
	virtual int max_line_points() const = 0;
	// Detection speed-up: false only when score() gives no point to any line
	// of this shape, so such lines are not shown to score() at all (score()
	// is a sum over lines).  Keep in sync with score(); the default shows
	// every line.
	virtual bool may_score(LineShape) const { return true; }
	// Parse every line.  Must be linear in the input and poll `cancel`.
	virtual void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	                   const Cancel &cancel) const = 0;
};

// The registry, in detection tie-break order.
const std::vector<const StackParser *> &all_parsers();

// Detection: the parser with the highest score() over the first 64
// non-empty lines (ties: the earlier in all_parsers()), or nullptr when no
// parser scores.  `exhaustive` scores every parser on every line, without
// the pruning: the reference the unit tests compare the fast path with.
const StackParser *detect_parser(const std::vector<std::string_view> &lines, bool exhaustive = false);
const StackParser *parser_for(Lang lang);

// Per-runtime parsers (each defined in parse_<runtime>.cpp).
const StackParser &java_parser();
const StackParser &python_parser();
const StackParser &node_parser();
const StackParser &go_parser();
const StackParser &ruby_parser();
const StackParser &dotnet_parser();
const StackParser &php_parser();
const StackParser &native_parser();
const StackParser &rust_parser();
const StackParser &generic_parser();

// fp2: anyhow's / eyre's error report ("Error: ...", "Caused by:", "Stack
// backtrace:"): chosen before detection, kept without frames (parse_rust.cpp).
bool rust_report_layout(const std::vector<std::string_view> &lines);
// fp2: a valgrind report (a "==PID==    at 0xADDR: FUNC (LOC)" line):
// chosen before detection (parse_native.cpp).
bool valgrind_layout(const std::vector<std::string_view> &lines);
// fp2: an Android tombstone ("#00 pc 000000000005f400  /system/lib64/libc.so
// (abort+164)"): chosen before detection (parse_native.cpp).
bool tombstone_layout(const std::vector<std::string_view> &lines);
// fp2: lldb's back-trace ("* thread #1, ..., stop reason = signal SIGSEGV",
// "frame #0: 0x.. module`function(args) at file.c:13:33"): chosen before
// detection (parse_native.cpp).
bool lldb_layout(const std::vector<std::string_view> &lines);
// One lldb frame line ("[* ]frame #N: 0xADDR MODULE`FUNC(ARGS) at F:L:C" or
// "... MODULE`FUNC + OFF"): FUNC without its argument list; "??" for an
// address alone.
bool parse_lldb(std::string_view t, std::string_view &fn, std::string_view &file, int64_t &line, std::string_view &obj);
// fp2: an eu-stack frame ("#N  0xADDR FUNC[ - MODULE]"): chosen when
// detection finds no runtime (parse_native.cpp).
bool eustack_layout(const std::vector<std::string_view> &lines);
// fp2: a gdb back-trace whose frames wrapped at the terminal's width, the
// "at FILE:LINE" of each on its own line, which detection gives to V8 ("at
// X"), or whose only frames wrapped (no runtime scores): `min_frames` or more
// "#N ... f (" frame lines and no "at" line ending in a line and a column;
// asked when detection chose Node (2) or nothing (1) (parse_native.cpp).
bool gdb_wrapped_layout(const std::vector<std::string_view> &lines, size_t min_frames);
// fp2: PHP's own error with no stack trace ("PHP Fatal error:  Allowed memory
// size ... in FILE on line N" as the first line), or Xdebug's "Call Stack:":
// chosen before detection (parse_php.cpp).
bool php_error_layout(const std::vector<std::string_view> &lines);
// fp2: the Ruby interpreter's [BUG] crash report ("-- Ruby level backtrace
// information ---"): chosen before detection (parse_ruby.cpp).
bool ruby_bug_layout(const std::vector<std::string_view> &lines);
// fp2: the JVM's fatal error log (hs_err_pid.log: "# A fatal error has been
// detected by the Java Runtime Environment:" in its first lines): chosen
// before detection (parse_java.cpp).
bool hs_err_layout(const std::vector<std::string_view> &lines);
// fp2: Mono's native crash report ("Native Crash Reporting" ... "Managed
// Stacktrace:"): chosen before detection (parse_dotnet.cpp).
bool mono_crash_layout(const std::vector<std::string_view> &lines);
// fp2: V8's frames with Windows paths ("at A.b (C:\\app\\src\\a.ts:207:45)"),
// which detection gives to .NET (a path with a space looks like .NET
// arguments): every "at " line ends in a line and column, none carries .NET's
// location syntax; asked when detection chose .NET (parse_node.cpp).
bool v8_windows_layout(const std::vector<std::string_view> &lines);
// fp2: .NET frames printed with parameter types only ("at Program.Main(
// System.String[])": the runtime's stack overflow print, a release build),
// which detection gives to Java: every "at " line's parentheses hold types
// or nothing, never a JVM location; asked when detection chose Java
// (parse_dotnet.cpp).
bool dotnet_signature_layout(const std::vector<std::string_view> &lines);

// Parse a stack: pre-clean, detect the runtime (unless `hint` names one),
// parse, then apply the cross-runtime frame rules (recursion collapse, caps).
// `algorithm` selects the line pre-cleaning of that fingerprint algorithm
// (fp2: preclean.hpp) and is passed to the parser in ParsedStack::algorithm
// (rules of a later algorithm check it: fp1 is frozen).
ParsedStack parse_stack(std::string_view text, Lang hint, const Cancel &cancel,
                        Algorithm algorithm = kCurrentAlgorithm);

// fp2: a stack overflow (StackOverflowError, RecursionError, V8's "Maximum
// call stack size exceeded", SystemStackError, Go's "stack overflow", ...)
// ends wherever the stack ran out inside its recursion, so the frames on top
// are the recursion's cycle at any phase (one bug, an issue per phase).
// When the top frames (below at most 4 others: Go's runtime.morestack, a
// library call made from the cycle) repeat a cycle of 2 to 8 frames three times, the
// frames kept are one turn of the cycle, from its first frame in (module,
// function) order: every event the same frames, whatever the phase, depth
// and frame limit.  (A cycle of one frame is collapsed by push_frame.)
bool stack_overflow(const ExceptionInfo &e);
void overflow_cycle_phase(ExceptionInfo &e);

// Helpers shared by parsers.
// Appends a frame to `ex`, honouring the per-exception cap.
void push_frame(ExceptionInfo &ex, Frame &&f);
// Splits "Type: message" (the usual header line of most runtimes).
void split_type_message(std::string_view header, std::string &type, std::string &message);

}  // namespace errtrack
