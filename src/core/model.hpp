// model.hpp — the parsed form of a stack trace, shared by every parser.
//
// Frames are stored innermost first (throw site first), whatever order the
// runtime printed them in.  Line and column are kept for display only; they
// never enter a fingerprint.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "algorithm.hpp"

namespace errtrack {

enum class Lang : uint8_t {
	Unknown = 0,
	Java,
	Python,
	Node,
	Go,
	Ruby,
	DotNet,
	Php,
	Native,  // C / C++ (gdb, backtrace_symbols, boost/std::stacktrace, ASan)
	Rust,
	Generic  // no parser recognised the text: line-based fallback
};

const char *lang_name(Lang l);

enum class Category : uint8_t {
	App,        // the user's own code
	Library,    // third-party or standard library
	Plumbing,   // reflection, proxies, async machinery, tracer/APM, panic/raise helpers
	Generated   // compiler/framework-generated glue (accessors, CGLIB, ...)
};

const char *category_name(Category c);

struct Frame {
	std::string function;  // cleaned function name (no args, no ordinals)
	std::string module;    // stable namespace: class FQN, dotted module, import path, rel. file
	std::string file;      // normalised path (install prefix and versions stripped)
	int64_t line = -1;     // display only
	int64_t col = -1;      // display only
	Category category = Category::Library;
	Lang lang = Lang::Unknown;

	bool in_app() const { return category == Category::App; }
	// The frame key used for hashing: "lang:module::function".
	std::string key() const;
};

enum class Role : uint8_t {
	Outer,       // the exception the span reported (outermost)
	Cause,       // a cause (Java "Caused by", Python __cause__/__context__, .NET inner)
	Suppressed,  // Java Suppressed, Python exception-group members
};

const char *role_name(Role r);

struct ExceptionInfo {
	std::string type;     // as printed (normalised lightly by the parser)
	std::string message;  // first line(s) of the message as printed
	Role role = Role::Outer;
	int depth = 0;        // 0 = outermost, 1 = its cause, ...
	std::vector<Frame> frames;  // innermost first
	bool frames_truncated = false;  // "... N more", tracer cut, frame cap reached
};

struct ParsedStack {
	Lang lang = Lang::Unknown;
	// The fingerprint algorithm whose parse rules apply (set by parse_stack
	// before the parser runs; a rule added after fp1 checks it).
	Algorithm algorithm = kCurrentAlgorithm;
	// Exceptions ordered outermost first, then causes by increasing depth.
	std::vector<ExceptionInfo> chain;
	bool input_truncated = false;
	size_t total_frames() const;
};

// Limits that bound the work and memory of one parse (documented in README).
struct Limits {
	static constexpr size_t max_input_bytes = 64u * 1024 * 1024;  // larger input: 54000
	static constexpr size_t max_frames_per_exception = 256;       // more: truncated flag
	static constexpr size_t max_exceptions = 64;                  // deeper chains: truncated
	static constexpr size_t max_line_bytes = 8192;                // longer lines: cut for parsing
	static constexpr size_t max_message_bytes = 4096;
};

}  // namespace errtrack
