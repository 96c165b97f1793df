// ingest_common.hpp — the normalised span every ingestion path produces.
//
// Decoders (Datadog msgpack v0.4/v0.5 and JSON, OTLP/JSON) turn a payload
// into a vector<Span>; the glue turns that into rows of errtrack.spans.
// Every decoder is all-or-nothing: the first problem throws
// Error(InvalidData) naming where (byte offset, trace/span index, field) and
// what was expected, and nothing is returned.
#pragma once
#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace errtrack {
namespace ingest {

struct Span {
	uint64_t trace_hi = 0, trace_lo = 0;  // 128-bit trace id, high then low
	uint64_t span_id = 0;
	uint64_t parent_id = 0;               // 0 = none
	bool has_trace_hi = false;            // Datadog: _dd.p.tid seen on this span
	std::string service, name, resource, span_type, span_kind;
	int64_t start_ns = 0;                 // since the Unix epoch, exact
	int64_t duration_ns = 0;
	bool is_error = false;
	std::string error_type, error_message, error_stack, error_fingerprint;
	std::string env, version, host, container_id;
	std::string resource_attributes;      // JSON object text; empty = NULL
	std::string meta = "{}", metrics = "{}";  // JSON object texts
	int top_level = -1;                   // tracer marker: -1 unknown, 1 set
	const char *source = "";              // datadog-v0.4, datadog-v0.5, datadog-json, otlp-json
};

enum class DdVersion { Auto, V04, V05 };

std::vector<Span> decode_datadog_msgpack(std::string_view payload, DdVersion version, const Cancel &cancel);
std::vector<Span> decode_datadog_json(std::string_view json, const Cancel &cancel);
std::vector<Span> decode_otlp_json(std::string_view json, const Cancel &cancel);
// The same from a JSON value already parsed by someone else (jsonb), given
// as plain tokens (ingest_json.hpp); same mapping, same validation.
struct JsonTokens;
std::vector<Span> decode_datadog_tokens(const JsonTokens &json, const Cancel &cancel);
std::vector<Span> decode_otlp_tokens(const JsonTokens &json, const Cancel &cancel);

// Which of the two msgpack layouts a body uses (Auto never returned).
DdVersion detect_datadog_version(std::string_view payload);

// --- shared helpers (used by the decoders and the unit tests) -------------

// Appends `s` as a JSON string literal (with quotes).
void json_quote(std::string &out, std::string_view s);
// Appends a double as a JSON number (shortest round-trip form); NaN and
// infinities, which JSON cannot hold, are written as strings.
void json_number(std::string &out, double d);

// Small builder for a flat JSON object.
class JsonObject {
public:
	void add_raw(std::string_view key, std::string_view json_value);
	void add_string(std::string_view key, std::string_view value);
	std::string finish();  // "{...}"
	bool empty() const { return n_ == 0; }

private:
	std::string buf_ = "{";
	size_t n_ = 0;
};

// Exactly `ndigits` hex digits (either case) -> value.  False otherwise.
bool parse_hex_u64(std::string_view s, uint64_t &out);
// Decimal integer text, optionally in JSON number form with fraction or
// exponent ("1.7954781138220234e+18") as long as the value is an integer:
// computed exactly from the digits, never through a double.
bool parse_exact_i64(std::string_view s, int64_t &out);
bool parse_exact_u64(std::string_view s, uint64_t &out);

// Datadog meta/metrics semantics shared by msgpack and JSON decoding.
struct DdSpanState {
	std::string error_kind, error_msg;  // fallbacks for error.type / error.message
};
// Where a span is in a payload, for error messages (built only on error).
struct Where {
	size_t trace = 0, span = 0;
	size_t byte = SIZE_MAX;  // SIZE_MAX: not a byte-addressed payload
	std::string str() const;
};
void dd_apply_meta(Span &s, DdSpanState &st, std::string_view key, std::string_view value);
void dd_apply_metric(Span &s, std::string_view key, double value);
// Chunk post-processing: propagate _dd.p.tid to spans of the same trace in a
// chunk.  `where` prefixes error messages.
void dd_finish_chunk(Span *first, size_t n, const Where &where);
// Validates one decoded span (ids, service, times); `where` names it.
void dd_finish_span(Span &s, DdSpanState &st, const Where &where);

// Rejects duplicate (trace id, span id) pairs in one payload.
void check_unique_span_ids(const std::vector<Span> &spans);

[[noreturn]] void invalid(const std::string &msg);

}  // namespace ingest
}  // namespace errtrack
