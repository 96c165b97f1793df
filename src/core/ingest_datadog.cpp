// ingest_datadog.cpp — Datadog agent trace payloads -> normalised spans.
//
//   v0.4 (msgpack): [ trace, ... ], trace = [ {span map}, ... ]
//   v0.5 (msgpack): [ [string table], [ [ [12-tuple span], ... ], ... ] ]
//                   tuple = service, name, resource, trace_id, span_id,
//                   parent_id, start, duration, error, meta{idx:idx},
//                   metrics{idx:num}, type — every string is a table index
//   JSON:           the v0.4 shape as JSON (ids as numbers, decimal strings
//                   or {"dec": ..., "hex": ...}); an object with a "traces"
//                   member holding that array is accepted too.
#include <cstring>

#include "ingest_common.hpp"
#include "ingest_json.hpp"
#include "msgpack.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace ingest {

namespace {

// Re-throws a data error with the span's location in front.
[[noreturn]] void
rethrow_at(const Error &e, const Where &w)
{
	if (e.cls() != ErrorClass::InvalidData)
		throw e;
	throw Error(ErrorClass::InvalidData, w.str() + ": " + e.what());
}

std::string_view
valid_str(MsgpackReader &r, std::string_view s, size_t at, const char *what)
{
	size_t bad = find_invalid_utf8(s);
	if (bad != std::string_view::npos)
		r.fail(at, std::string(what) + " is not valid UTF-8 or contains a NUL byte (at offset " +
		               std::to_string(bad) + " of the string)");
	return s;
}

std::string_view
mp_text(MsgpackReader &r, const char *what)
{
	size_t at = r.pos();
	return valid_str(r, r.read_str_or_nil(what), at, what);
}

bool
mp_error_flag(MsgpackReader &r)
{
	MpType t = r.peek();
	if (t == MpType::Bool)
		return r.read_bool();
	if (t == MpType::Nil) {
		r.read_nil_if_present();
		return false;
	}
	return r.read_u64_bits("error (integer 0 or 1)") != 0;
}

void
mp_metric(MsgpackReader &r, Span &s, JsonObject &metrics, std::string_view key)
{
	bool is_int = false;
	int64_t iv = 0;
	double d = r.read_number("metrics value (number)", &is_int, &iv);
	std::string num;
	if (is_int)
		num = std::to_string(iv);
	else
		json_number(num, d);
	metrics.add_raw(key, num);
	dd_apply_metric(s, key, d);
}

void
read_span_v04(MsgpackReader &r, Span &s, DdSpanState &st)
{
	uint32_t n = r.read_map("span (a map)");
	JsonObject meta, metrics;
	for (uint32_t i = 0; i < n; i++) {
		std::string_view key = r.read_str("span field name (string)");
		if (key == "service")
			s.service.assign(mp_text(r, "service (string)"));
		else if (key == "name")
			s.name.assign(mp_text(r, "name (string)"));
		else if (key == "resource")
			s.resource.assign(mp_text(r, "resource (string)"));
		else if (key == "type")
			s.span_type.assign(mp_text(r, "type (string)"));
		else if (key == "trace_id")
			s.trace_lo = r.read_u64_bits("trace_id (unsigned integer)");
		else if (key == "span_id")
			s.span_id = r.read_u64_bits("span_id (unsigned integer)");
		else if (key == "parent_id") {
			if (!r.read_nil_if_present())
				s.parent_id = r.read_u64_bits("parent_id (unsigned integer)");
		} else if (key == "start")
			s.start_ns = r.read_i64("start (integer nanoseconds)");
		else if (key == "duration")
			s.duration_ns = r.read_i64("duration (integer nanoseconds)");
		else if (key == "error")
			s.is_error = mp_error_flag(r);
		else if (key == "meta") {
			if (r.read_nil_if_present())
				continue;
			uint32_t m = r.read_map("meta (map of strings)");
			for (uint32_t j = 0; j < m; j++) {
				std::string_view k = mp_text(r, "meta key (string)");
				std::string_view v = mp_text(r, "meta value (string)");
				meta.add_string(k, v);
				dd_apply_meta(s, st, k, v);
			}
		} else if (key == "metrics") {
			if (r.read_nil_if_present())
				continue;
			uint32_t m = r.read_map("metrics (map of numbers)");
			for (uint32_t j = 0; j < m; j++) {
				std::string_view k = mp_text(r, "metrics key (string)");
				mp_metric(r, s, metrics, k);
			}
		} else
			r.skip();  // meta_struct, span_links, span_events, unknown fields
	}
	s.meta = meta.finish();
	s.metrics = metrics.finish();
}

std::vector<Span>
decode_v04(MsgpackReader &r, const Cancel &cancel)
{
	std::vector<Span> out;
	uint32_t ntraces = r.read_array("array of traces");
	for (uint32_t t = 0; t < ntraces; t++) {
		uint32_t nspans = r.read_array("trace (an array of spans)");
		size_t base = out.size();
		for (uint32_t k = 0; k < nspans; k++) {
			Where w{t, k, r.pos()};
			cancel.poll();
			out.emplace_back();
			Span &s = out.back();
			s.source = "datadog-v0.4";
			DdSpanState st;
			try {
				read_span_v04(r, s, st);
				dd_finish_span(s, st, w);
			} catch (const Error &e) {
				rethrow_at(e, w);
			}
		}
		dd_finish_chunk(out.data() + base, out.size() - base, Where{t, 0, SIZE_MAX});
	}
	if (!r.at_end())
		r.fail(r.pos(), "unexpected data after the array of traces");
	return out;
}

std::vector<Span>
decode_v05(MsgpackReader &r, const Cancel &cancel)
{
	std::vector<Span> out;
	size_t at0 = r.pos();
	uint32_t top = r.read_array("v0.5 payload ([string table, traces])");
	if (top != 2)
		r.fail(at0, "a v0.5 payload is an array of 2 elements, found " + std::to_string(top));
	uint32_t nstr = r.read_array("v0.5 string table (array of strings)");
	std::vector<std::string_view> table(nstr);
	for (uint32_t i = 0; i < nstr; i++) {
		if ((i & 1023) == 0)
			cancel.poll();
		table[i] = mp_text(r, "v0.5 string table entry (string)");
	}
	auto str = [&](const char *what) -> std::string_view {
		size_t at = r.pos();
		uint64_t idx = r.read_u64_bits(what);
		if (idx >= table.size())
			r.fail(at, std::string(what) + ": string index " + std::to_string(idx) +
			               " is outside the string table (" + std::to_string(table.size()) + " entries)");
		return table[idx];
	};
	uint32_t ntraces = r.read_array("array of traces");
	for (uint32_t t = 0; t < ntraces; t++) {
		uint32_t nspans = r.read_array("trace (an array of spans)");
		size_t base = out.size();
		for (uint32_t k = 0; k < nspans; k++) {
			Where w{t, k, r.pos()};
			cancel.poll();
			out.emplace_back();
			Span &s = out.back();
			s.source = "datadog-v0.5";
			DdSpanState st;
			try {
				size_t at = r.pos();
				uint32_t nf = r.read_array("span (an array of 12 fields)");
				if (nf != 12)
					r.fail(at, "a v0.5 span is an array of 12 fields, found " + std::to_string(nf));
				s.service.assign(str("service (string index)"));
				s.name.assign(str("name (string index)"));
				s.resource.assign(str("resource (string index)"));
				s.trace_lo = r.read_u64_bits("trace_id (unsigned integer)");
				s.span_id = r.read_u64_bits("span_id (unsigned integer)");
				s.parent_id = r.read_u64_bits("parent_id (unsigned integer)");
				s.start_ns = r.read_i64("start (integer nanoseconds)");
				s.duration_ns = r.read_i64("duration (integer nanoseconds)");
				s.is_error = mp_error_flag(r);
				JsonObject meta, metrics;
				uint32_t m = r.read_map("meta (map of string indexes)");
				for (uint32_t j = 0; j < m; j++) {
					std::string_view key = str("meta key (string index)");
					std::string_view val = str("meta value (string index)");
					meta.add_string(key, val);
					dd_apply_meta(s, st, key, val);
				}
				m = r.read_map("metrics (map of string index to number)");
				for (uint32_t j = 0; j < m; j++) {
					std::string_view key = str("metrics key (string index)");
					mp_metric(r, s, metrics, key);
				}
				s.span_type.assign(str("type (string index)"));
				s.meta = meta.finish();
				s.metrics = metrics.finish();
				dd_finish_span(s, st, w);
			} catch (const Error &e) {
				rethrow_at(e, w);
			}
		}
		dd_finish_chunk(out.data() + base, out.size() - base, Where{t, 0, SIZE_MAX});
	}
	if (!r.at_end())
		r.fail(r.pos(), "unexpected data after the v0.5 payload");
	return out;
}

// ---- JSON -----------------------------------------------------------------

uint64_t
json_id(JsonReader &r, std::string &scratch, const char *what)
{
	size_t at = r.pos();
	char k = r.kind();
	uint64_t v = 0;
	if (k == 'n') {
		std::string_view t = r.read_number_text(what);
		if (!parse_exact_u64(t, v))
			r.fail(at, std::string(what) + " must be an unsigned 64-bit integer, got " + std::string(t.substr(0, 40)));
		return v;
	}
	if (k == 's') {
		std::string_view t = r.read_string(scratch, what);
		if (!parse_exact_u64(t, v))
			r.fail(at, std::string(what) + " must be an unsigned 64-bit integer (decimal), got \"" +
			               std::string(t.substr(0, 40)) + "\"");
		return v;
	}
	if (k == 'z') {
		r.read_null_if_present();
		return 0;
	}
	if (k == 'o') {
		// {"dec": "...", "hex": "..."} as written by the capture tools
		r.begin_object();
		bool first = true, have = false;
		std::string_view key;
		std::string ks;
		while (r.next_member(first, key, ks)) {
			if (key == "dec" && !have) {
				v = json_id(r, scratch, what);
				have = true;
			} else if (key == "hex" && !have) {
				size_t hat = r.pos();
				std::string_view t = r.read_string(scratch, what);
				if (!parse_hex_u64(t, v))
					r.fail(hat, std::string(what) + ".hex must be up to 16 hex digits");
				have = true;
			} else
				r.skip();
		}
		if (!have)
			r.fail(at, std::string(what) + " object needs a \"dec\" or \"hex\" member");
		return v;
	}
	r.expected((std::string(what) + " (unsigned integer)").c_str());
}

int64_t
json_i64(JsonReader &r, std::string &scratch, const char *what)
{
	size_t at = r.pos();
	char k = r.kind();
	std::string_view t;
	if (k == 'n')
		t = r.read_number_text(what);
	else if (k == 's')
		t = r.read_string(scratch, what);
	else
		r.expected((std::string(what) + " (integer)").c_str());
	int64_t v;
	if (!parse_exact_i64(t, v))
		r.fail(at, std::string(what) + " must be a signed 64-bit integer, got " + std::string(t.substr(0, 40)));
	return v;
}

std::string_view
json_text(JsonReader &r, std::string &scratch, const char *what)
{
	if (r.read_null_if_present())
		return std::string_view();
	return r.read_string(scratch, what);
}

void
read_span_json(JsonReader &r, Span &s, DdSpanState &st)
{
	r.begin_object("span (an object)");
	JsonObject meta, metrics;
	bool first = true;
	std::string_view key;
	std::string ks, vs, ks2;
	while (r.next_member(first, key, ks)) {
		if (key == "service")
			s.service.assign(json_text(r, vs, "service (string)"));
		else if (key == "name")
			s.name.assign(json_text(r, vs, "name (string)"));
		else if (key == "resource")
			s.resource.assign(json_text(r, vs, "resource (string)"));
		else if (key == "type")
			s.span_type.assign(json_text(r, vs, "type (string)"));
		else if (key == "trace_id")
			s.trace_lo = json_id(r, vs, "trace_id");
		else if (key == "span_id")
			s.span_id = json_id(r, vs, "span_id");
		else if (key == "parent_id")
			s.parent_id = json_id(r, vs, "parent_id");
		else if (key == "start")
			s.start_ns = json_i64(r, vs, "start");
		else if (key == "duration")
			s.duration_ns = json_i64(r, vs, "duration");
		else if (key == "error") {
			char k = r.kind();
			if (k == 't' || k == 'f')
				s.is_error = r.read_bool();
			else if (!r.read_null_if_present())
				s.is_error = json_i64(r, vs, "error") != 0;
		} else if (key == "meta") {
			if (r.read_null_if_present())
				continue;
			r.begin_object("meta (an object of strings)");
			bool f2 = true;
			std::string_view mk;
			while (r.next_member(f2, mk, ks2)) {
				char k = r.kind();
				std::string_view v;
				if (k == 's')
					v = r.read_string(vs);
				else if (k == 'n' || k == 't' || k == 'f')
					v = r.raw_value();  // lenient: scalar tags as their text
				else if (r.read_null_if_present())
					continue;
				else
					r.expected("meta value (string)");
				meta.add_string(mk, v);
				dd_apply_meta(s, st, mk, v);
			}
		} else if (key == "metrics") {
			if (r.read_null_if_present())
				continue;
			r.begin_object("metrics (an object of numbers)");
			bool f2 = true;
			std::string_view mk;
			while (r.next_member(f2, mk, ks2)) {
				if (r.read_null_if_present())
					continue;
				std::string_view t = r.read_number_text("metrics value (number)");
				metrics.add_raw(mk, t);
				double d = 0;
				int64_t iv;
				if (parse_exact_i64(t, iv))
					d = (double) iv;
				else
					d = std::strtod(std::string(t).c_str(), nullptr);
				dd_apply_metric(s, mk, d);
			}
		} else
			r.skip();
	}
	s.meta = meta.finish();
	s.metrics = metrics.finish();
}

}  // namespace

DdVersion
detect_datadog_version(std::string_view payload)
{
	// v0.5 is [ [str...], [ [ [..12..], ...], ...] ]; v0.4 is [ [ {..}, ...], ... ].
	MsgpackReader r(payload.data(), payload.size());
	try {
		uint32_t top = r.read_array();
		if (top != 2)
			return DdVersion::V04;
		uint32_t n0 = r.read_array();
		if (n0 > 0)
			return r.peek() == MpType::Str ? DdVersion::V05 : DdVersion::V04;
		// empty first element: look at the second
		uint32_t n1 = r.read_array();
		if (n1 == 0)
			return DdVersion::V04;
		MpType t = r.peek();
		if (t == MpType::Map)
			return DdVersion::V04;
		if (t != MpType::Array)
			return DdVersion::V04;
		uint32_t n2 = r.read_array();
		if (n2 == 0)
			return DdVersion::V05;
		return r.peek() == MpType::Array ? DdVersion::V05 : DdVersion::V04;
	} catch (const Error &) {
		return DdVersion::V04;  // let the v0.4 decoder report the problem
	}
}

std::vector<Span>
decode_datadog_msgpack(std::string_view payload, DdVersion version, const Cancel &cancel)
{
	if (payload.empty())
		invalid("empty Datadog payload: expected a msgpack array of traces");
	if (version == DdVersion::Auto)
		version = detect_datadog_version(payload);
	MsgpackReader r(payload.data(), payload.size());
	std::vector<Span> out = version == DdVersion::V05 ? decode_v05(r, cancel) : decode_v04(r, cancel);
	check_unique_span_ids(out);
	return out;
}

namespace {

// The array of traces at the reader's position.
void
decode_dd_traces(JsonReader &r, std::vector<Span> &out, const Cancel &cancel)
{
	r.begin_array("an array of traces");
	bool ft = true;
	size_t t = 0;
	while (r.next_element(ft)) {
		r.begin_array("trace (an array of spans)");
		bool fs = true;
		size_t k = 0, base = out.size();
		while (r.next_element(fs)) {
			Where w{t, k, SIZE_MAX};
			cancel.poll();
			out.emplace_back();
			Span &s = out.back();
			s.source = "datadog-json";
			DdSpanState st;
			try {
				read_span_json(r, s, st);
				dd_finish_span(s, st, w);
			} catch (const Error &e) {
				rethrow_at(e, w);
			}
			k++;
		}
		dd_finish_chunk(out.data() + base, out.size() - base, Where{t, 0, SIZE_MAX});
		t++;
	}
}

std::vector<Span>
decode_dd_json(JsonReader &r, const Cancel &cancel)
{
	std::vector<Span> out;
	std::string ks;
	if (r.kind() == 'o') {
		// {"traces": [...], ...} (e.g. the capture tools' decoded files)
		r.begin_object();
		bool first = true, found = false;
		std::string_view key;
		while (r.next_member(first, key, ks)) {
			if (key == "traces" && !found) {
				found = true;
				decode_dd_traces(r, out, cancel);
			} else
				r.skip();
		}
		if (!found)
			r.fail(0, "expected an array of traces, or an object with a \"traces\" member");
	} else {
		decode_dd_traces(r, out, cancel);
	}
	if (!r.at_end())
		r.fail(r.pos(), "unexpected data after the array of traces");
	check_unique_span_ids(out);
	return out;
}

}  // namespace

std::vector<Span>
decode_datadog_json(std::string_view json, const Cancel &cancel)
{
	JsonReader r(json);
	return decode_dd_json(r, cancel);
}

std::vector<Span>
decode_datadog_tokens(const JsonTokens &json, const Cancel &cancel)
{
	JsonReader r(json);
	return decode_dd_json(r, cancel);
}

}  // namespace ingest
}  // namespace errtrack
