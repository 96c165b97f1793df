// fingerprint.hpp — the fingerprint contract.
//
// fingerprint(type, message, stack) is a pure function of its three texts and
// of the algorithm version below.  Any change to what it returns for some
// input — a parser rule, a plumbing list, a placeholder — is a new version:
// bump kFingerprintVersion and keep the golden tests of the old one.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "hash.hpp"
#include "model.hpp"

namespace errtrack {

constexpr const char *kFingerprintVersion = "fp1";
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

// NULL and empty arguments are treated alike.
FingerprintResult compute_fingerprint(std::string_view type, std::string_view message,
                                      std::string_view stack, const Cancel &cancel,
                                      bool want_explain = false);

// A user-supplied fingerprint (the span's error.fingerprint tag): whitespace
// collapsed, hashed under its own tag so it can never equal a computed one.
Digest128 custom_fingerprint(std::string_view value);

// The canonical frames of the primary exception, one "lang:module::function"
// per line (what errtrack.normalize_stack returns).
std::string normalize_stack_text(std::string_view stack, const Cancel &cancel);

// Normalised exception type: builtins./leading '\' dropped, generic arity and
// HRESULT suffixes removed.
std::string normalize_type(std::string_view type);
bool is_generic_type(std::string_view normalized_type);

}  // namespace errtrack
