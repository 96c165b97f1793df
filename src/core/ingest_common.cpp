// ingest_common.cpp — helpers shared by the span decoders.
#include "ingest_common.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "core_only.hpp"

namespace errtrack {
namespace ingest {

void
invalid(const std::string &msg)
{
	throw Error(ErrorClass::InvalidData, msg);
}

void
json_quote(std::string &out, std::string_view s)
{
	static const char hex[] = "0123456789abcdef";
	out.push_back('"');
	size_t run = 0;  // start of the pending unescaped run
	for (size_t i = 0; i < s.size(); i++) {
		unsigned char c = (unsigned char) s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		out.append(s.data() + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': out.append("\\\""); break;
		case '\\': out.append("\\\\"); break;
		case '\n': out.append("\\n"); break;
		case '\r': out.append("\\r"); break;
		case '\t': out.append("\\t"); break;
		case '\b': out.append("\\b"); break;
		case '\f': out.append("\\f"); break;
		default:
			out.append("\\u00");
			out.push_back(hex[c >> 4]);
			out.push_back(hex[c & 15]);
		}
	}
	out.append(s.data() + run, s.size() - run);
	out.push_back('"');
}

void
json_number(std::string &out, double d)
{
	if (std::isnan(d)) {
		out.append("\"NaN\"");
		return;
	}
	if (std::isinf(d)) {
		out.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		return;
	}
	char buf[64];
	auto r = std::to_chars(buf, buf + sizeof buf, d);
	out.append(buf, r.ptr);
}

void
JsonObject::add_raw(std::string_view key, std::string_view json_value)
{
	if (n_++)
		buf_.push_back(',');
	json_quote(buf_, key);
	buf_.push_back(':');
	buf_.append(json_value);
}

void
JsonObject::add_string(std::string_view key, std::string_view value)
{
	if (n_++)
		buf_.push_back(',');
	json_quote(buf_, key);
	buf_.push_back(':');
	json_quote(buf_, value);
}

std::string
JsonObject::finish()
{
	buf_.push_back('}');
	std::string r;
	r.swap(buf_);
	buf_ = "{";
	n_ = 0;
	return r;
}

bool
parse_hex_u64(std::string_view s, uint64_t &out)
{
	if (s.empty() || s.size() > 16)
		return false;
	uint64_t v = 0;
	for (char c : s) {
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = (v << 4) | (uint64_t) d;
	}
	out = v;
	return true;
}

namespace {

// Exact integer value of a JSON-number-shaped text; false if malformed, not
// an integer, or beyond 64 bits of magnitude.
bool
parse_exact(std::string_view s, bool &negative, uint64_t &mag)
{
	size_t i = 0, n = s.size();
	negative = false;
	if (i < n && s[i] == '-') {
		negative = true;
		i++;
	}
	std::string digits;
	size_t int_digits = 0, frac_digits = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		digits.push_back(s[i++]);
		int_digits++;
	}
	if (int_digits == 0)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			digits.push_back(s[i++]);
			frac_digits++;
		}
		if (frac_digits == 0)
			return false;
	}
	long exp = 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t e0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (exp < 100000)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (i == e0)
			return false;
		if (eneg)
			exp = -exp;
	}
	if (i != n)
		return false;
	exp -= (long) frac_digits;
	// strip leading zeros
	size_t lead = 0;
	while (lead + 1 < digits.size() && digits[lead] == '0')
		lead++;
	digits.erase(0, lead);
	if (exp < 0) {
		size_t drop = (size_t) -exp;
		if (drop >= digits.size()) {
			for (char c : digits)
				if (c != '0')
					return false;
			digits = "0";
		} else {
			for (size_t k = digits.size() - drop; k < digits.size(); k++)
				if (digits[k] != '0')
					return false;
			digits.resize(digits.size() - drop);
		}
	} else if (exp > 0) {
		if (digits != "0") {
			if (digits.size() + (size_t) exp > 20)
				return false;
			digits.append((size_t) exp, '0');
		}
	}
	if (digits.size() > 20)
		return false;
	uint64_t v = 0;
	for (char c : digits) {
		uint64_t d = (uint64_t) (c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	mag = v;
	return true;
}

}  // namespace

bool
parse_exact_i64(std::string_view s, int64_t &out)
{
	bool neg;
	uint64_t mag;
	if (!parse_exact(s, neg, mag))
		return false;
	if (neg) {
		if (mag > (uint64_t) INT64_MAX + 1)
			return false;
		out = (int64_t) (0 - mag);
	} else {
		if (mag > (uint64_t) INT64_MAX)
			return false;
		out = (int64_t) mag;
	}
	return true;
}

bool
parse_exact_u64(std::string_view s, uint64_t &out)
{
	bool neg;
	uint64_t mag;
	if (!parse_exact(s, neg, mag))
		return false;
	if (neg && mag != 0)
		return false;
	out = mag;
	return true;
}

// ---- Datadog tag semantics ------------------------------------------------

namespace {

// "container_id:abc,kube_namespace:shop" -> "abc"
std::string_view
container_from_tags(std::string_view tags)
{
	constexpr std::string_view key = "container_id:";
	size_t i = 0;
	while (i <= tags.size()) {
		size_t j = tags.find(',', i);
		if (j == std::string_view::npos)
			j = tags.size();
		std::string_view item = tags.substr(i, j - i);
		if (item.substr(0, key.size()) == key)
			return item.substr(key.size());
		i = j + 1;
	}
	return std::string_view();
}

std::string
hex64(uint64_t v)
{
	char b[17];
	std::snprintf(b, sizeof b, "%016llx", (unsigned long long) v);
	return std::string(b, 16);
}

std::string
short_value(std::string_view v)
{
	std::string s(v.substr(0, 40));
	if (v.size() > 40)
		s += "...";
	return s;
}

}  // namespace

std::string
Where::str() const
{
	std::string r = "trace " + std::to_string(trace) + ", span " + std::to_string(span);
	if (byte != SIZE_MAX)
		r += " (starting at byte " + std::to_string(byte) + ")";
	return r;
}

void
dd_apply_meta(Span &s, DdSpanState &st, std::string_view key, std::string_view value)
{
	if (key.size() < 3)
		return;
	switch (key[0]) {
	case '_':
		if (key == "_dd.p.tid") {
			uint64_t hi;
			if (value.size() != 16 || !parse_hex_u64(value, hi))
				invalid("meta \"_dd.p.tid\" must be 16 hex digits (high 64 bits of the trace id), got \"" +
				        short_value(value) + "\"");
			s.trace_hi = hi;
			s.has_trace_hi = true;
		} else if (key == "_dd.hostname") {
			s.host.assign(value);
		} else if (key == "_dd.tags.container") {
			if (s.container_id.empty())
				s.container_id.assign(container_from_tags(value));
		}
		break;
	case 'e':
		if (key == "env")
			s.env.assign(value);
		else if (key.substr(0, 6) == "error.") {
			std::string_view k = key.substr(6);
			if (k == "type")
				s.error_type.assign(value);
			else if (k == "message")
				s.error_message.assign(value);
			else if (k == "stack")
				s.error_stack.assign(value);
			else if (k == "fingerprint")
				s.error_fingerprint.assign(value);
			else if (k == "kind")
				st.error_kind = value;
			else if (k == "msg")
				st.error_msg = value;
		}
		break;
	case 'v':
		if (key == "version")
			s.version.assign(value);
		break;
	case 'c':
		if (key == "container_id")
			s.container_id.assign(value);
		break;
	case 's':
		if (key == "span.kind")
			s.span_kind.assign(value);
		break;
	default:
		break;
	}
}

void
dd_apply_metric(Span &s, std::string_view key, double value)
{
	if ((key == "_top_level" || key == "_dd.top_level") && value == 1.0)
		s.top_level = 1;
}

void
dd_finish_span(Span &s, DdSpanState &st, const Where &)
{
	if (s.trace_lo == 0 && !(s.has_trace_hi && s.trace_hi != 0))
		invalid("trace_id is missing or 0");
	if (s.span_id == 0)
		invalid("span_id is missing or 0");
	if (s.service.empty())
		invalid("service is missing or empty");
	if (s.start_ns <= 0)
		invalid("start is missing or not a positive number of nanoseconds since the epoch");
	if (s.duration_ns < 0)
		s.duration_ns = 0;  // as the Datadog agent's normaliser does
	if (s.error_type.empty() && !st.error_kind.empty())
		s.error_type.assign(st.error_kind);
	if (s.error_message.empty() && !st.error_msg.empty())
		s.error_message.assign(st.error_msg);
	if (s.resource.empty())
		s.resource = s.name;
	if (s.parent_id == s.span_id && s.parent_id == s.trace_lo)
		s.parent_id = 0;  // agent normaliser: a self-parent root
}

void
dd_finish_chunk(Span *first, size_t n, const Where &w)
{
	// The high half of the trace id (_dd.p.tid) is sent on the first span
	// of a chunk only; give it to every span of the same trace in the chunk.
	size_t with = 0;
	bool one_trace = true;
	uint64_t lo1 = 0, hi1 = 0;
	for (size_t i = 0; i < n; i++) {
		const Span &s = first[i];
		if (!s.has_trace_hi)
			continue;
		if (with++ == 0) {
			lo1 = s.trace_lo;
			hi1 = s.trace_hi;
		} else if (s.trace_lo != lo1) {
			one_trace = false;
		} else if (s.trace_hi != hi1) {
			invalid("trace " + std::to_string(w.trace) + ", span " + std::to_string(i) + ": _dd.p.tid " + hex64(s.trace_hi) +
			        " contradicts " + hex64(hi1) + " on another span of trace " + hex64(lo1));
		}
	}
	if (with == 0)
		return;
	if (one_trace) {
		for (size_t i = 0; i < n; i++)
			if (!first[i].has_trace_hi && first[i].trace_lo == lo1)
				first[i].trace_hi = hi1;
		return;
	}
	std::unordered_map<uint64_t, uint64_t> hi_of;
	for (size_t i = 0; i < n; i++) {
		const Span &s = first[i];
		if (!s.has_trace_hi)
			continue;
		auto ins = hi_of.emplace(s.trace_lo, s.trace_hi);
		if (!ins.second && ins.first->second != s.trace_hi)
			invalid("trace " + std::to_string(w.trace) + ", span " + std::to_string(i) + ": _dd.p.tid " + hex64(s.trace_hi) +
			        " contradicts " + hex64(ins.first->second) + " on another span of trace " +
			        hex64(s.trace_lo));
	}
	for (size_t i = 0; i < n; i++) {
		if (first[i].has_trace_hi)
			continue;
		auto it = hi_of.find(first[i].trace_lo);
		if (it != hi_of.end())
			first[i].trace_hi = it->second;
	}
}

namespace {
struct IdKey {
	uint64_t hi, lo, span;
	bool operator==(const IdKey &o) const { return hi == o.hi && lo == o.lo && span == o.span; }
};
struct IdHash {
	size_t operator()(const IdKey &k) const noexcept
	{
		uint64_t h = k.span * 0x9E3779B97F4A7C15ull;
		h ^= k.lo + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
		h ^= k.hi + 0x8CB92BA72F3D8DD7ull + (h << 6) + (h >> 2);
		return (size_t) (h ^ (h >> 29));
	}
};
}  // namespace

void
check_unique_span_ids(const std::vector<Span> &spans)
{
	std::unordered_map<IdKey, size_t, IdHash> seen;
	seen.reserve(spans.size());
	for (size_t i = 0; i < spans.size(); i++) {
		const Span &s = spans[i];
		auto ins = seen.emplace(IdKey{s.trace_hi, s.trace_lo, s.span_id}, i);
		if (!ins.second)
			invalid("duplicate span: span_id " + hex64(s.span_id) + " of trace " + hex64(s.trace_hi) +
			        hex64(s.trace_lo) + " appears twice (spans #" + std::to_string(ins.first->second) +
			        " and #" + std::to_string(i) + " of the payload)");
	}
}

}  // namespace ingest
}  // namespace errtrack
