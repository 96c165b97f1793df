// fuzz_msgpack.cpp — libFuzzer target for the msgpack reader and the Datadog
// decoders built on it (the JSON decoders have fuzz_json).  Any input must either decode or throw
// errtrack::Error; anything else (crash, sanitizer report, other exception) is
// a bug.  Build: cmake -DERRTRACK_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest_common.hpp"
#include "msgpack.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view in(reinterpret_cast<const char *>(data), size);
	errtrack::Cancel cancel;
	// the raw reader: skip values until the end
	try {
		errtrack::MsgpackReader r(data, size);
		while (!r.at_end())
			r.skip();
	} catch (const errtrack::Error &) {
	}
	for (auto v : {errtrack::ingest::DdVersion::Auto, errtrack::ingest::DdVersion::V04,
	               errtrack::ingest::DdVersion::V05}) {
		try {
			auto spans = errtrack::ingest::decode_datadog_msgpack(in, v, cancel);
			for (const auto &s : spans)
				if (s.span_id == 0 || s.service.empty())
					__builtin_trap();  // validation must have rejected it
		} catch (const errtrack::Error &) {
		}
	}
	return 0;
}
