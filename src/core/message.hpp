// message.hpp — message templates and error-code extraction.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace errtrack {

// The message template: variable parts replaced by placeholders
// (<uuid> <email> <url> <ip> <date> <hex> <token> <id> <path> <duration>
// <size> <float> <int> <str> <val>).  Identifiers, words and quoted
// identifiers (constraint, column, property names) are kept.  Only the first
// non-empty line is used (later lines are DETAIL-style data); a leading copy
// of `type` ("TypeError: ...") and Spring's "; nested exception is ..." tail
// are removed; input capped at 1 KiB, result at 256 bytes.  Linear time.
std::string normalize_message(std::string_view message, std::string_view type = {});

// Low-cardinality error codes found in a message: "sqlstate:23505",
// "constraint:users_email_key", "errno:ECONNREFUSED", "http:404",
// "grpc:unavailable", "signal:SIGSEGV".  Sorted, unique.
std::vector<std::string> extract_codes(std::string_view message);

}  // namespace errtrack
