// libFuzzer target: message templates and error-code extraction.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "message.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view in(reinterpret_cast<const char *>(data), size);
	std::string t = errtrack::normalize_message(in);
	if (t.size() > 256 + 4)
		__builtin_trap();  // documented output cap (a UTF-8 sequence may end it)
	// fp1's template rules (errtrack 0.1.0) stay computable
	if (errtrack::normalize_message(in, {}, errtrack::Algorithm::Fp1).size() > 256 + 4)
		__builtin_trap();
	// templates are idempotent on their own placeholders' shape: no crash on re-normalising
	errtrack::normalize_message(t);
	errtrack::extract_codes(in);
	return 0;
}
