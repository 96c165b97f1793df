// libFuzzer target: the whole fingerprint path (parsers of every runtime,
// message templates, codes, hashing, explain) on arbitrary bytes.  The input
// is split at the first two NUL bytes into type, message and stack; without
// NULs it is the stack.  Seeds: test/fixtures/stacks/*.  The stack cache
// (StackMemo) must give compute_fingerprint's value, cold and warm, and with
// the type and message of another event; its StackParts survive the shared
// cache's encoding (stack_part_codec.hpp).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fingerprint.hpp"
#include "message.hpp"
#include "parser.hpp"
#include "stack_memo.hpp"
#include "stack_part_codec.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view in(reinterpret_cast<const char *>(data), size);
	std::string_view type, message, stack = in;
	size_t a = in.find('\0');
	if (a != std::string_view::npos) {
		size_t b = in.find('\0', a + 1);
		if (b != std::string_view::npos) {
			type = in.substr(0, a);
			message = in.substr(a + 1, b - a - 1);
			stack = in.substr(b + 1);
		}
	}
	errtrack::Cancel cancel;
	try {
		auto r = errtrack::compute_fingerprint(type, message, stack, cancel, true);
		auto again = errtrack::compute_fingerprint(type, message, stack, cancel, false);
		if (r.digest != again.digest)
			__builtin_trap();  // must be deterministic
		auto v1 = errtrack::compute_fingerprint(type, message, stack, cancel, false, errtrack::Algorithm::Fp1);
		if (v1.digest == r.digest)
			__builtin_trap();  // the version tag separates the algorithms
		// A memo per input, so that a crash reproduces from its input alone
		// (rotation and the budget across many stacks: test_stack_memo.cpp).
		errtrack::StackMemo memo(64 * 1024);
		for (int pass = 0; pass < 2; pass++)
			if (memo.fingerprint(type, message, stack, cancel, errtrack::kCurrentAlgorithm) != r.digest)
				__builtin_trap();
		if (memo.fingerprint(type, message, stack, cancel, errtrack::Algorithm::Fp1) != v1.digest)
			__builtin_trap();
		auto generic = errtrack::compute_fingerprint("java.lang.Exception", "", stack, cancel, false);
		if (memo.fingerprint("java.lang.Exception", "", stack, cancel, errtrack::kCurrentAlgorithm) != generic.digest)
			__builtin_trap();
		if (memo.stats().bytes > memo.budget())
			__builtin_trap();
		// Refactor joins: a signature is well formed and deterministic, and the
		// relation holds neither with itself nor one-sidedly.
		{
			errtrack::JoinSignature j = errtrack::join_signature(type, message, stack, cancel);
			errtrack::JoinSignature j2 = errtrack::join_signature(type, message, stack, cancel);
			if (j.joinable != j2.joinable || j.key != j2.key || j.path != j2.path || j.units != j2.units)
				__builtin_trap();
			if (j.joinable) {
				if (j.key.size() < 2 || j.path.empty() || j.path.size() > 8 || j.units.size() != j.path.size() ||
				    j.path[0] != j.key[0])
					__builtin_trap();
				errtrack::JoinView a{j.key.data(), j.key.size(), j.path.data(), j.units.data(), j.path.size()};
				if (errtrack::signatures_join(a, a))
					__builtin_trap();
				errtrack::JoinSignature g = errtrack::join_signature("java.lang.Exception", "", stack, cancel);
				if (g.joinable) {
					errtrack::JoinView b{g.key.data(), g.key.size(), g.path.data(), g.units.data(), g.path.size()};
					if (errtrack::signatures_join(a, b) != errtrack::signatures_join(b, a))
						__builtin_trap();
				}
			}
		}
		// The shared stack cache's blob: the part survives encoding, finishes
		// to the same digest; the raw input as a blob is refused or decodes to
		// something that encodes back to it.
		{
			errtrack::StackPart part = errtrack::summarize_stack(stack, cancel, errtrack::kCurrentAlgorithm);
			std::string blob;
			errtrack::encode_stack_part(part, blob);
			errtrack::StackPart back;
			if (blob.size() != errtrack::encoded_stack_part_size(part) ||
			    !errtrack::decode_stack_part(blob, back) || !(back == part) ||
			    errtrack::finish_digest(back, type, message) != r.digest)
				__builtin_trap();
			errtrack::StackPart raw;
			if (errtrack::decode_stack_part(in, raw)) {
				std::string again_blob;
				errtrack::encode_stack_part(raw, again_blob);
				if (again_blob != in)
					__builtin_trap();
			}
		}
		errtrack::normalize_stack_text(stack, cancel);
		auto ps = errtrack::parse_stack(stack, errtrack::Lang::Unknown, cancel);
		for (const auto &e : ps.chain)
			if (e.frames.size() > errtrack::Limits::max_frames_per_exception)
				__builtin_trap();
	} catch (const errtrack::Error &e) {
		if (e.cls() != errtrack::ErrorClass::TooLarge)
			__builtin_trap();  // only the size limit may refuse input
	}
	return 0;
}
