// ingest_otlp.cpp — OTLP/JSON ExportTraceServiceRequest -> normalised spans.
//
// resourceSpans[] { resource{attributes[]}, scopeSpans[] { scope, spans[] } }
// Ids are hex (32 / 16 digits); 64-bit integers are accepted as strings or
// JSON numbers and converted exactly; unknown members are ignored.  Members
// may come in any order: scopeSpans are decoded after the resource (their
// offsets are remembered and revisited), so the resource applies either way.
// The same code reads JSON text and jsonb (a JsonTokens stream from the glue).
#include <cstring>

#include "ingest_common.hpp"
#include "ingest_json.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace ingest {

namespace {

struct Attr {
	enum Kind { None, Str, Bool, Int, Double, Json } kind = None;
	std::string text;  // Str: the string; others: JSON text of the value
};

struct ResourceInfo {
	std::string service, env, env_old, version, host, container_id;
	std::string attributes = "";  // JSON object text
};

void attr_json(std::string &out, const Attr &a);

// Reads an AnyValue object into `a` (JSON text for non-strings).
void
read_any_value(JsonReader &r, Attr &a, int depth = 0)
{
	if (depth > 32)
		r.fail(r.pos(), "attribute value nested too deeply");
	a.kind = Attr::None;
	a.text.clear();
	if (r.read_null_if_present())
		return;
	r.begin_object("attribute value (an AnyValue object)");
	bool first = true;
	std::string_view key;
	std::string ks, vs;
	while (r.next_member(first, key, ks)) {
		if (key == "stringValue") {
			if (r.read_null_if_present())
				continue;
			a.kind = Attr::Str;
			a.text.assign(r.read_string(vs, "stringValue (string)"));
		} else if (key == "boolValue") {
			a.kind = Attr::Bool;
			a.text = r.read_bool("boolValue (boolean)") ? "true" : "false";
		} else if (key == "intValue") {
			size_t at = r.pos();
			std::string_view t = r.kind() == 's' ? r.read_string(vs) : r.read_number_text("intValue (integer)");
			int64_t v;
			if (!parse_exact_i64(t, v))
				r.fail(at, "intValue must be a 64-bit integer, got " + std::string(t.substr(0, 40)));
			a.kind = Attr::Int;
			a.text = std::to_string(v);
		} else if (key == "doubleValue") {
			a.kind = Attr::Double;
			if (r.kind() == 's') {
				// "NaN", "Infinity", "-Infinity" or a number in a string
				std::string_view t = r.read_string(vs);
				a.text.clear();
				json_quote(a.text, t);
			} else {
				a.text.assign(r.read_number_text("doubleValue (number)"));
			}
		} else if (key == "bytesValue") {
			a.kind = Attr::Str;
			a.text.assign(r.read_string(vs, "bytesValue (base64 string)"));
		} else if (key == "arrayValue" || key == "kvlistValue") {
			bool kv = key == "kvlistValue";
			a.kind = Attr::Json;
			a.text.clear();
			a.text.push_back(kv ? '{' : '[');
			if (!r.read_null_if_present()) {
				r.begin_object(kv ? "kvlistValue (an object)" : "arrayValue (an object)");
				bool f2 = true;
				std::string_view k2;
				std::string ks2;
				size_t n = 0;
				while (r.next_member(f2, k2, ks2)) {
					if (k2 != "values") {
						r.skip();
						continue;
					}
					r.begin_array("values (an array)");
					bool f3 = true;
					while (r.next_element(f3)) {
						if (n++)
							a.text.push_back(',');
						if (kv) {
							// KeyValue {key, value}
							r.begin_object("key/value (an object)");
							bool f4 = true;
							std::string_view k4;
							std::string ks4, kname;
							Attr sub;
							while (r.next_member(f4, k4, ks4)) {
								if (k4 == "key")
									kname.assign(r.read_string(vs, "key (string)"));
								else if (k4 == "value")
									read_any_value(r, sub, depth + 1);
								else
									r.skip();
							}
							json_quote(a.text, kname);
							a.text.push_back(':');
							attr_json(a.text, sub);
						} else {
							Attr sub;
							read_any_value(r, sub, depth + 1);
							attr_json(a.text, sub);
						}
					}
				}
			}
			a.text.push_back(kv ? '}' : ']');
		} else {
			r.skip();
		}
	}
}

// The attribute value as a JSON value text.
void
attr_json(std::string &out, const Attr &a)
{
	switch (a.kind) {
	case Attr::None: out.append("null"); break;
	case Attr::Str: json_quote(out, a.text); break;
	default: out.append(a.text); break;
	}
}

// Iterates attributes[] calling f(key, Attr).
template <class F>
void
read_attributes(JsonReader &r, F &&f)
{
	if (r.read_null_if_present())
		return;
	r.begin_array("attributes (an array of {key, value})");
	bool first = true;
	std::string kbuf, ks;
	Attr a;
	while (r.next_element(first)) {
		r.begin_object("attribute (an object with key and value)");
		bool f2 = true;
		std::string_view mk;
		bool have_key = false;
		a.kind = Attr::None;
		a.text.clear();
		while (r.next_member(f2, mk, ks)) {
			if (mk == "key") {
				std::string vs;
				kbuf.assign(r.read_string(vs, "attribute key (string)"));
				have_key = true;
			} else if (mk == "value") {
				read_any_value(r, a);
			} else
				r.skip();
		}
		if (!have_key)
			r.fail(r.pos(), "attribute without a key");
		f(std::string_view(kbuf), a);
	}
}

void
read_resource(JsonReader &r, ResourceInfo &res)
{
	r.begin_object("resource (an object)");
	bool first = true;
	std::string_view key;
	std::string ks;
	JsonObject all;
	while (r.next_member(first, key, ks)) {
		if (key != "attributes") {
			r.skip();
			continue;
		}
		read_attributes(r, [&](std::string_view k, const Attr &a) {
			std::string v;
			attr_json(v, a);
			all.add_raw(k, v);
			if (a.kind != Attr::Str)
				return;
			if (k == "service.name")
				res.service = a.text;
			else if (k == "service.version")
				res.version = a.text;
			else if (k == "deployment.environment.name")
				res.env = a.text;
			else if (k == "deployment.environment")
				res.env_old = a.text;
			else if (k == "host.name")
				res.host = a.text;
			else if (k == "container.id")
				res.container_id = a.text;
		});
	}
	if (res.env.empty())
		res.env = res.env_old;
	res.attributes = all.finish();
}

bool
read_hex_id(JsonReader &r, std::string &scratch, size_t ndigits, uint64_t &hi, uint64_t &lo, const char *what)
{
	size_t at = r.pos();
	if (r.read_null_if_present())
		return false;
	std::string_view t = r.read_string(scratch, what);
	if (t.empty())
		return false;
	if (t.size() != ndigits)
		r.fail(at, std::string(what) + " must be " + std::to_string(ndigits) + " hex digits, got \"" +
		               std::string(t.substr(0, 64)) + "\"");
	hi = lo = 0;
	bool ok = ndigits == 32 ? parse_hex_u64(t.substr(0, 16), hi) && parse_hex_u64(t.substr(16), lo)
	                        : parse_hex_u64(t, lo);
	if (!ok)
		r.fail(at, std::string(what) + " must be hex digits, got \"" + std::string(t.substr(0, 64)) + "\"");
	return true;
}

int64_t
read_time(JsonReader &r, std::string &scratch, const char *what)
{
	size_t at = r.pos();
	std::string_view t = r.kind() == 's' ? r.read_string(scratch, what) : r.read_number_text(what);
	int64_t v;
	if (!parse_exact_i64(t, v))
		r.fail(at, std::string(what) + " must be an integer number of nanoseconds, got " +
		               std::string(t.substr(0, 40)));
	return v;
}

const char *
kind_name(int64_t k)
{
	switch (k) {
	case 1: return "internal";
	case 2: return "server";
	case 3: return "client";
	case 4: return "producer";
	case 5: return "consumer";
	default: return "";
	}
}

int64_t
read_enum(JsonReader &r, std::string &scratch, const char *what,
          std::initializer_list<std::pair<const char *, int64_t>> names)
{
	size_t at = r.pos();
	if (r.kind() == 's') {
		std::string_view t = r.read_string(scratch, what);
		for (auto &p : names)
			if (t == p.first)
				return p.second;
		int64_t v;
		if (parse_exact_i64(t, v))
			return v;
		r.fail(at, std::string("unknown ") + what + " \"" + std::string(t.substr(0, 40)) + "\"");
	}
	std::string_view t = r.read_number_text(what);
	int64_t v;
	if (!parse_exact_i64(t, v))
		r.fail(at, std::string(what) + " must be an integer");
	return v;
}

struct SpanCtx {
	const ResourceInfo *res;
	std::string scope_name, scope_version;
};

void
read_span(JsonReader &r, Span &s, const SpanCtx &ctx)
{
	size_t at0 = r.pos();
	r.begin_object("span (an object)");
	bool first = true;
	std::string_view key;
	std::string ks, vs;
	bool have_trace = false, have_span = false, have_start = false;
	int64_t end_ns = 0;
	bool have_end = false;
	int64_t status_code = 0, flags = 0;
	std::string status_message;
	std::string ex_type, ex_message, ex_stack;
	std::string a_err_type, a_err_message, a_err_msg, a_err_stack, a_service, a_operation, a_resource;
	std::string a_http_method, a_http_route, a_env, a_version;
	bool have_ex = false;
	JsonObject meta, metrics;
	while (r.next_member(first, key, ks)) {
		if (key == "traceId") {
			have_trace = read_hex_id(r, vs, 32, s.trace_hi, s.trace_lo, "traceId");
		} else if (key == "spanId") {
			uint64_t hi;
			have_span = read_hex_id(r, vs, 16, hi, s.span_id, "spanId");
		} else if (key == "parentSpanId") {
			uint64_t hi;
			read_hex_id(r, vs, 16, hi, s.parent_id, "parentSpanId");
		} else if (key == "name") {
			s.name.assign(r.read_string(vs, "name (string)"));
		} else if (key == "kind") {
			int64_t k = read_enum(r, vs, "kind",
			                      {{"SPAN_KIND_UNSPECIFIED", 0}, {"SPAN_KIND_INTERNAL", 1}, {"SPAN_KIND_SERVER", 2},
			                       {"SPAN_KIND_CLIENT", 3}, {"SPAN_KIND_PRODUCER", 4}, {"SPAN_KIND_CONSUMER", 5}});
			s.span_kind = kind_name(k);
		} else if (key == "startTimeUnixNano") {
			s.start_ns = read_time(r, vs, "startTimeUnixNano");
			have_start = true;
		} else if (key == "endTimeUnixNano") {
			end_ns = read_time(r, vs, "endTimeUnixNano");
			have_end = true;
		} else if (key == "flags") {
			flags = read_time(r, vs, "flags");
		} else if (key == "status") {
			if (r.read_null_if_present())
				continue;
			r.begin_object("status (an object)");
			bool f2 = true;
			std::string_view sk;
			std::string ks2;
			while (r.next_member(f2, sk, ks2)) {
				if (sk == "code")
					status_code = read_enum(r, vs, "status code",
					                        {{"STATUS_CODE_UNSET", 0}, {"STATUS_CODE_OK", 1}, {"STATUS_CODE_ERROR", 2}});
				else if (sk == "message")
					status_message.assign(r.read_string(vs, "status message (string)"));
				else
					r.skip();
			}
		} else if (key == "attributes") {
			read_attributes(r, [&](std::string_view k, const Attr &a) {
				if (a.kind == Attr::Int || a.kind == Attr::Double) {
					metrics.add_raw(k, a.text);
					if (k == "_dd.top_level" && a.text == "1")
						s.top_level = 1;
					return;
				}
				if (a.kind == Attr::None)
					return;
				meta.add_string(k, a.text);
				if (a.kind != Attr::Str)
					return;
				if (k.substr(0, 6) == "error.") {
					std::string_view e = k.substr(6);
					if (e == "type") a_err_type = a.text;
					else if (e == "message") a_err_message = a.text;
					else if (e == "msg") a_err_msg = a.text;
					else if (e == "stack") a_err_stack = a.text;
					else if (e == "fingerprint") s.error_fingerprint = a.text;
				} else if (k == "service.name") a_service = a.text;
				else if (k == "operation.name") a_operation = a.text;
				else if (k == "resource.name") a_resource = a.text;
				else if (k == "span.type") s.span_type = a.text;
				else if (k == "http.request.method" || k == "http.method") a_http_method = a.text;
				else if (k == "http.route") a_http_route = a.text;
				else if (k == "deployment.environment.name" || k == "deployment.environment" || k == "env") a_env = a.text;
				else if (k == "service.version" || k == "version") a_version = a.text;
			});
		} else if (key == "events") {
			if (r.read_null_if_present())
				continue;
			r.begin_array("events (an array)");
			bool f2 = true;
			while (r.next_element(f2)) {
				r.begin_object("event (an object)");
				bool f3 = true;
				std::string_view ek;
				std::string ks3;
				bool is_exception = false;
				std::string t, m, st;
				while (r.next_member(f3, ek, ks3)) {
					if (ek == "name") {
						is_exception = r.read_string(vs, "event name (string)") == "exception";
					} else if (ek == "attributes") {
						read_attributes(r, [&](std::string_view k, const Attr &a) {
							if (a.kind != Attr::Str)
								return;
							if (k == "exception.type") t = a.text;
							else if (k == "exception.message") m = a.text;
							else if (k == "exception.stacktrace") st = a.text;
						});
					} else
						r.skip();
				}
				if (is_exception) {
					// the last exception event wins (the one that ended the span)
					have_ex = true;
					ex_type = std::move(t);
					ex_message = std::move(m);
					ex_stack = std::move(st);
				}
			}
		} else {
			r.skip();  // traceState, links, dropped*, unknown members
		}
	}
	if (!have_trace || (s.trace_hi == 0 && s.trace_lo == 0))
		r.fail(at0, "span has no traceId (or an all-zero one)");
	if (!have_span || s.span_id == 0)
		r.fail(at0, "span has no spanId (or an all-zero one)");
	if (!have_start || s.start_ns <= 0)
		r.fail(at0, "span has no positive startTimeUnixNano");
	s.duration_ns = have_end && end_ns > s.start_ns ? end_ns - s.start_ns : 0;
	s.is_error = status_code == 2;
	if (have_ex) {
		s.error_type = std::move(ex_type);
		s.error_message = std::move(ex_message);
		s.error_stack = std::move(ex_stack);
	}
	if (s.error_type.empty())
		s.error_type = a_err_type;
	if (s.error_message.empty())
		s.error_message = !a_err_message.empty() ? a_err_message : a_err_msg;
	if (s.error_stack.empty())
		s.error_stack = a_err_stack;
	if (s.is_error && s.error_message.empty())
		s.error_message = status_message;
	s.service = !a_service.empty() ? a_service : ctx.res->service;
	if (s.service.empty())
		s.service = "otlpresourcenoservicename";  // the Datadog agent's fallback
	if (!a_operation.empty()) {
		// dd-trace's own OTLP export: Datadog operation/resource as attributes
		if (a_resource.empty())
			a_resource = s.name;
		s.name = a_operation;
	}
	if (!a_resource.empty())
		s.resource = a_resource;
	else if (!a_http_method.empty() && !a_http_route.empty())
		s.resource = a_http_method + " " + a_http_route;
	else
		s.resource = s.name;
	s.env = !a_env.empty() ? a_env : ctx.res->env;
	s.version = !a_version.empty() ? a_version : ctx.res->version;
	s.host = ctx.res->host;
	s.container_id = ctx.res->container_id;
	s.resource_attributes = ctx.res->attributes;
	if (!ctx.scope_name.empty())
		meta.add_string("otel.scope.name", ctx.scope_name);
	if (!ctx.scope_version.empty())
		meta.add_string("otel.scope.version", ctx.scope_version);
	if (!status_message.empty())
		meta.add_string("otel.status_description", status_message);
	// flags: 0x100 = "is_remote known", 0x200 = "parent is remote": the span
	// entered this process, so it is an entry span whatever else is stored.
	if ((flags & 0x300) == 0x300 && s.parent_id != 0)
		s.top_level = 1;
	s.meta = meta.finish();
	s.metrics = metrics.finish();
	s.source = "otlp-json";
}

void
read_scope_spans(JsonReader &r, const ResourceInfo &res, std::vector<Span> &out, size_t ri,
                 const Cancel &cancel)
{
	r.begin_array("scopeSpans (an array)");
	bool first = true;
	size_t si = 0;
	std::string ks, vs;
	while (r.next_element(first)) {
		r.begin_object("scopeSpans element (an object)");
		bool f2 = true;
		std::string_view key;
		SpanCtx ctx{&res, "", ""};
		size_t spans_at = SIZE_MAX;
		while (r.next_member(f2, key, ks)) {
			if (key == "scope" || key == "instrumentationLibrary") {
				if (r.read_null_if_present())
					continue;
				r.begin_object("scope (an object)");
				bool f3 = true;
				std::string_view k3;
				std::string ks3;
				while (r.next_member(f3, k3, ks3)) {
					if (k3 == "name")
						ctx.scope_name.assign(r.read_string(vs, "scope name (string)"));
					else if (k3 == "version")
						ctx.scope_version.assign(r.read_string(vs, "scope version (string)"));
					else
						r.skip();
				}
			} else if (key == "spans") {
				spans_at = r.pos();
				r.skip();
			} else
				r.skip();
		}
		if (spans_at != SIZE_MAX) {
			size_t resume = r.pos();
			r.seek(spans_at);
			if (!r.read_null_if_present()) {
				r.begin_array("spans (an array)");
				bool f4 = true;
				size_t k = 0;
				while (r.next_element(f4)) {
					cancel.poll();
					out.emplace_back();
					try {
						read_span(r, out.back(), ctx);
					} catch (const Error &e) {
						if (e.cls() != ErrorClass::InvalidData)
							throw;
						throw Error(ErrorClass::InvalidData, "resourceSpans[" + std::to_string(ri) + "].scopeSpans[" +
						                                         std::to_string(si) + "].spans[" + std::to_string(k) +
						                                         "]: " + e.what());
					}
					k++;
				}
			}
			r.seek(resume);
		}
		si++;
	}
}

std::vector<Span>
decode_otlp(JsonReader &r, const Cancel &cancel)
{
	std::vector<Span> out;
	std::string ks;
	r.begin_object("an OTLP ExportTraceServiceRequest (an object with resourceSpans)");
	bool first = true;
	std::string_view key;
	while (r.next_member(first, key, ks)) {
		if (key != "resourceSpans") {
			r.skip();
			continue;
		}
		r.begin_array("resourceSpans (an array)");
		bool f2 = true;
		size_t ri = 0;
		while (r.next_element(f2)) {
			r.begin_object("resourceSpans element (an object)");
			bool f3 = true;
			std::string_view k3;
			std::string ks3;
			ResourceInfo res;
			res.attributes = "{}";
			std::vector<size_t> scope_at;
			while (r.next_member(f3, k3, ks3)) {
				if (k3 == "resource") {
					if (!r.read_null_if_present())
						read_resource(r, res);
				} else if (k3 == "scopeSpans" || k3 == "instrumentationLibrarySpans") {
					scope_at.push_back(r.pos());
					r.skip();
				} else
					r.skip();
			}
			size_t resume = r.pos();
			for (size_t at : scope_at) {
				r.seek(at);
				if (!r.read_null_if_present())
					read_scope_spans(r, res, out, ri, cancel);
			}
			r.seek(resume);
			ri++;
		}
	}
	if (!r.at_end())
		r.fail(r.pos(), "unexpected data after the request object");
	check_unique_span_ids(out);
	return out;
}

}  // namespace

std::vector<Span>
decode_otlp_json(std::string_view json, const Cancel &cancel)
{
	JsonReader r(json);
	return decode_otlp(r, cancel);
}

std::vector<Span>
decode_otlp_tokens(const JsonTokens &json, const Cancel &cancel)
{
	JsonReader r(json);
	return decode_otlp(r, cancel);
}

}  // namespace ingest
}  // namespace errtrack
