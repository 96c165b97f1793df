// message.hpp — message templates and error-code extraction.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "algorithm.hpp"
#include "error.hpp"

namespace errtrack {

// The message template: variable parts replaced by placeholders
// (<uuid> <email> <url> <ip> <date> <hex> <token> <id> <path> <duration>
// <size> <float> <int> <str> <val>).  Identifiers, words and quoted
// identifiers (constraint, column, property names) are kept.  Only the first
// non-empty line is used (later lines are DETAIL-style data); a leading copy
// of `type` ("TypeError: ...") and Spring's "; nested exception is ..." tail
// are removed; input capped at 1 KiB, result at 256 bytes.  Linear time.
// `algorithm`: the fingerprint algorithm whose template rules apply (the
// template is hashed, so its rules are part of the contract, fingerprint.hpp).
// Since fp2 a quoted value whose template is only placeholders and
// separators ("9.9.9" -> <float>.<int>, "1:2:3", "-5") is "<str>", as a
// quoted word is; fp1 kept it when it looked like a dotted identifier.
std::string normalize_message(std::string_view message, std::string_view type = {},
                              Algorithm algorithm = kCurrentAlgorithm);

// Low-cardinality error codes found in a message: "sqlstate:23505",
// "constraint:users_email_key", "errno:ECONNREFUSED", "http:404",
// "grpc:unavailable", "signal:SIGSEGV".  Sorted, unique.
std::vector<std::string> extract_codes(std::string_view message);

}  // namespace errtrack
