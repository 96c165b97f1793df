// fuzz_json.cpp — libFuzzer target for the JSON front ends of ingestion: the
// Datadog JSON trace payload and OTLP/JSON (ExportTraceServiceRequest), both
// on the core's own JSON reader.  Any input must either decode or throw
// errtrack::Error; the decoders are all-or-nothing, so every span they return
// must have passed validation.  Seeds: the real tracer payloads in
// test/fixtures/tracers (and ../shared/fixtures when present).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest_common.hpp"

namespace {

void
check(const std::vector<errtrack::ingest::Span> &spans)
{
	for (const auto &s : spans)
		if (s.span_id == 0 || s.service.empty())
			__builtin_trap();  // validation must have rejected it
}

}  // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view in(reinterpret_cast<const char *>(data), size);
	errtrack::Cancel cancel;
	try {
		check(errtrack::ingest::decode_datadog_json(in, cancel));
	} catch (const errtrack::Error &) {
	}
	try {
		check(errtrack::ingest::decode_otlp_json(in, cancel));
	} catch (const errtrack::Error &) {
	}
	return 0;
}
