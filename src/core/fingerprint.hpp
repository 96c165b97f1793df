// fingerprint.hpp — the fingerprint contract.
//
// fingerprint(type, message, stack) is a pure function of its three texts and
// of the algorithm version.  Any change to what it returns for some input — a
// parser rule, a plumbing list, a placeholder — is a new version: add an
// Algorithm, gate the change on it, keep every older algorithm computable and
// its golden tests unchanged (stored issues are keyed by the old values;
// errtrack.remap_fingerprints() maps them onto the new ones).
//   fp1  errtrack 0.1.0
//   fp2  errtrack 0.2.0: native (C/C++) key rules — unsymbolised frames of a
//        shared library count (keyed by the library), allocator internals and
//        unnamed frames inside abort/assert/terminate machinery are skipped,
//        traces with no symbol and no library are keyed by the page offsets
//        of their return addresses.  Message template (every runtime, used
//        for generic types and frame-less errors): a quoted value whose
//        template is only placeholders and separators ("9.9.9" ->
//        "<float>.<int>") becomes "<str>" like any other quoted value
//        (normalize_message, message.hpp).  Managed runtimes: JVM
//        class-loading frames leave the frame key; a generic, message-less
//        exception captured by a logger is keyed after the leading logging
//        frames; a chain of three or more same-type message-less exceptions
//        (a thread dump) takes its first exception as primary.  Otherwise
//        the same components as fp1 (the version tag V differs, so the
//        value differs).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "algorithm.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "model.hpp"

namespace errtrack {

// Algorithm and kCurrentAlgorithm: algorithm.hpp.
const char *algorithm_name(Algorithm a);  // "fp1", "fp2"
// "fp1"/"fp2" (case-sensitive) -> true and `out`; anything else -> false.
bool algorithm_from_name(std::string_view name, Algorithm &out);
constexpr size_t kAppFrames = 3;     // K: in-app frames of the root cause in the key
constexpr size_t kNativeFrames = 2;  // native crashes: first named non-plumbing frames

struct FingerprintResult {
	Digest128 digest{};
	std::string explain;       // filled when requested
	// The components, for tests and explain.
	Lang lang = Lang::Unknown;
	std::string type, wrapper, api, outer_frame, message_template;
	bool message_used = false;
	bool has_frames = false;
	std::vector<std::string> frames, codes;
};

// What the fingerprint derives from the stack text alone: the parse, the
// primary/outer selection and the frame keys.  A fingerprint is
// finish_fingerprint(summarize_stack(stack), type, message): the split lets
// StackMemo (stack_memo.hpp) reuse the stack part across events that share a
// stack — most events of one issue do.
struct StackPart {
	Algorithm algorithm = kCurrentAlgorithm;
	Lang lang = Lang::Unknown;
	size_t exceptions = 0;          // chain length (explain)
	bool primary_is_outer = true;   // (also when there is no primary)
	bool dump_chain = false;        // fp2: primary chosen as a thread dump's first exception (explain)
	int primary_depth = 0;          // (explain)
	std::string primary_type, primary_message, outer_type;  // as parsed
	std::vector<std::string> frames;  // the key's frame components
	// fp2: a logger-captured stack has a second key (non-empty), used when
	// the event's type is generic and its message empty (finish_fingerprint
	// decides).
	std::vector<std::string> frames_logging_cut;
	bool library_key = false;       // fp2: no app frame: the key's frames are a library's
	// fp2: the root cause's message when the primary is a wrapper above it
	// whose own message only points at it ("See the inner exception for
	// details"): its codes join the key's
	std::string cause_message;
	std::string outer_frame, api;   // informational (explain)
};

// The event's arguments as every fingerprint entry point checks them, before
// any parse: an unknown algorithm is InvalidInput, a type or message over
// Limits::max_input_bytes is TooLarge.
void check_fingerprint_args(std::string_view type, std::string_view message, Algorithm algorithm);

StackPart summarize_stack(std::string_view stack, const Cancel &cancel, Algorithm algorithm);
FingerprintResult finish_fingerprint(const StackPart &stack_part, std::string_view type,
                                     std::string_view message, bool want_explain = false);
// finish_fingerprint(...).digest without the components.
Digest128 finish_digest(const StackPart &stack_part, std::string_view type, std::string_view message);

// NULL and empty arguments are treated alike.
FingerprintResult compute_fingerprint(std::string_view type, std::string_view message,
                                      std::string_view stack, const Cancel &cancel,
                                      bool want_explain = false, Algorithm algorithm = kCurrentAlgorithm);

// Refactor joins (errtrack.refresh, docs/grouping-quality.md): a fingerprint
// new to a service joins an existing issue of that service when the two
// stacks are one path with one frame inserted (an extracted helper, a new
// pass-through between two frames of the key: the exact key changes, the
// bug does not).  join_signature() is what that needs of an error, besides
// its fingerprint: `anchor` hashes every fingerprint component but the
// frames after the first (type, codes, message template when keyed, the
// throw site), `key` the key's frames and `path` the frames the key was
// chosen from (up to 8, from the throw site on), each frame as a 64-bit hash.
// Not joinable (joinable false): fp1, keys of fewer than two frames, keys
// of a library's frames or of raw addresses.  Not part of the fingerprint
// contract: the fingerprint never depends on it.
// `units` beside `path`: each frame's code unit (class / module / file),
// hashed, 0 when unknown.
struct JoinSignature {
	bool joinable = false;
	Digest128 anchor{};
	std::vector<int64_t> key, path, units;
};
JoinSignature join_signature(std::string_view type, std::string_view message, std::string_view stack,
                             const Cancel &cancel, Algorithm algorithm = kCurrentAlgorithm);
// A signature's arrays as stored (errtrack.issue_fingerprints); units has
// npath entries.
struct JoinView {
	const int64_t *key;
	size_t nkey;
	const int64_t *path;
	const int64_t *units;
	size_t npath;
};
// Two joinable signatures with equal anchors join when their keys differ and
// one key (n >= 2 frames) is the other's path's first n + 1 frames less one
// frame strictly inside (the key's first and last frames are the path's
// first and (n+1)th), and that inserted frame is of a known unit, its
// caller's (the next path frame's): an extracted helper.  Symmetric; the
// caller compares anchors.
bool signatures_join(const JoinView &a, const JoinView &b);

// errtrack.refresh()'s assignment of one service's fingerprints to issues,
// in memory (errtrack-cli issues, tests): events in time order; a fingerprint
// seen before keeps its issue; a new one joins the oldest issue that one of
// the kCandidates oldest known fingerprints of its anchor joins
// (signatures_join), else opens the next issue (0, 1, ...).
class IssueJoiner {
public:
	static constexpr size_t kCandidates = 256;  // as the refresh
	// `signature()` (-> JoinSignature) is called only for a fingerprint not
	// seen before.
	template <class F>
	size_t issue(const Digest128 &fp, F &&signature)
	{
		auto it = issue_of_.find(fp);
		if (it == issue_of_.end())
			it = issue_of_.emplace(fp, place(signature())).first;
		return it->second;
	}
	size_t issues() const { return issues_; }

private:
	size_t place(JoinSignature sig);
	struct Known {
		size_t issue;
		JoinSignature sig;
	};
	std::map<Digest128, size_t> issue_of_;
	std::map<Digest128, std::vector<Known>> by_anchor_;
	size_t issues_ = 0;
};

// A user-supplied fingerprint (the span's error.fingerprint tag): whitespace
// collapsed, hashed under its own tag so it can never equal a computed one.
// Independent of the algorithm version: the user's key stays the user's key
// (its version tag is fp1's, for ever).
Digest128 custom_fingerprint(std::string_view value);

// The canonical frames of the primary exception, one "lang:module::function"
// per line (what errtrack.normalize_stack returns).
std::string normalize_stack_text(std::string_view stack, const Cancel &cancel);

// Normalised exception type: builtins./leading '\' dropped, generic arity and
// HRESULT suffixes removed.
std::string normalize_type(std::string_view type);
// A type that says too little to tell bugs apart without the message
// (Exception, RuntimeError, *errors.errorString ...).  fp2 adds the error
// levels of runtimes' own errors that have no exception class: PHP's "Fatal
// error" / "Parse error" / "Warning", Go's "fatal error", Python faulthandler's
// "Fatal Python error" and "Timeout".
bool is_generic_type(std::string_view normalized_type, Algorithm algorithm = Algorithm::Fp1);

}  // namespace errtrack
