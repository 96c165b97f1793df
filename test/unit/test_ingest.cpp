// Unit tests of the span decoders (src/core/ingest_*.cpp), including every
// captured tracer payload under ../shared/fixtures/tracers (skipped when
// absent) and test/fixtures/tracers.
#include <gtest/gtest.h>

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>

#include "ingest_common.hpp"
#include "ingest_json.hpp"

using namespace errtrack::ingest;
using errtrack::Cancel;
using errtrack::Error;

namespace {
std::string
slurp(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

bool
ends_with(const std::string &s, const std::string &suffix)
{
	return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string>
list_dir(const std::string &dir)
{
	std::vector<std::string> out;
	if (DIR *d = opendir(dir.c_str())) {
		while (dirent *e = readdir(d))
			out.push_back(dir + "/" + e->d_name);
		closedir(d);
	}
	std::sort(out.begin(), out.end());
	return out;
}

// Decodes every tracer payload in `dir`; returns how many files were decoded.
size_t
decode_dir(const std::string &dir)
{
	size_t n = 0;
	Cancel c;
	for (const auto &path : list_dir(dir)) {
		std::vector<Span> spans;
		if (ends_with(path, ".msgpack"))
			spans = decode_datadog_msgpack(slurp(path), DdVersion::Auto, c);
		else if (ends_with(path, ".decoded.json") || path.find("/dd-json") != std::string::npos)
			spans = decode_datadog_json(slurp(path), c);
		else if (path.find("otlp") != std::string::npos && ends_with(path, ".json"))
			spans = decode_otlp_json(slurp(path), c);
		else
			continue;
		EXPECT_FALSE(spans.empty()) << path;
		for (const auto &s : spans) {
			EXPECT_NE(s.span_id, 0u) << path;
			EXPECT_FALSE(s.service.empty()) << path;
			EXPECT_GT(s.start_ns, 1500000000000000000) << path;  // after 2017, exact ns
		}
		n++;
	}
	return n;
}
}  // namespace

TEST(IngestHelpers, ExactIntegers)
{
	int64_t v;
	uint64_t u;
	EXPECT_TRUE(parse_exact_i64("1795478113822023400", v));
	EXPECT_EQ(v, 1795478113822023400);
	EXPECT_TRUE(parse_exact_i64("1.7954781138220234e+18", v));
	EXPECT_EQ(v, 1795478113822023400);  // from the digits, not through a double
	EXPECT_TRUE(parse_exact_i64("1795478113822023401.000", v));
	EXPECT_EQ(v, 1795478113822023401);
	EXPECT_FALSE(parse_exact_i64("1.5", v));
	EXPECT_FALSE(parse_exact_i64("9223372036854775808", v));
	EXPECT_TRUE(parse_exact_i64("-9223372036854775808", v));
	EXPECT_TRUE(parse_exact_u64("18446744073709551615", u));
	EXPECT_EQ(u, UINT64_MAX);
	EXPECT_FALSE(parse_exact_u64("18446744073709551616", u));
	EXPECT_FALSE(parse_exact_u64("-1", u));
	EXPECT_FALSE(parse_exact_u64("1e400", u));
	EXPECT_FALSE(parse_exact_u64("", u));
	EXPECT_FALSE(parse_exact_u64("12a", u));
}

TEST(IngestHelpers, JsonQuote)
{
	std::string out;
	json_quote(out, std::string_view("a\"b\\c\n\x01", 7));
	EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
	out.clear();
	json_number(out, 0.1);
	EXPECT_EQ(out, "0.1");
}

TEST(IngestJson, ReaderBasics)
{
	JsonReader r(R"( {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00"], "b": {"c": null}, "d": true} )");
	r.begin_object();
	bool first = true;
	std::string_view k;
	std::string ks, vs;
	ASSERT_TRUE(r.next_member(first, k, ks));
	EXPECT_EQ(k, "a");
	r.begin_array();
	bool f2 = true;
	ASSERT_TRUE(r.next_element(f2));
	EXPECT_EQ(r.read_number_text(), "1");
	ASSERT_TRUE(r.next_element(f2));
	EXPECT_EQ(r.read_number_text(), "-2.5e3");
	ASSERT_TRUE(r.next_element(f2));
	EXPECT_EQ(r.read_string(vs), "x\xc3\xa9\xf0\x9f\x98\x80");
	EXPECT_FALSE(r.next_element(f2));
	ASSERT_TRUE(r.next_member(first, k, ks));
	EXPECT_EQ(r.raw_value(), R"({"c": null})");
	ASSERT_TRUE(r.next_member(first, k, ks));
	EXPECT_TRUE(r.read_bool());
	EXPECT_FALSE(r.next_member(first, k, ks));
	EXPECT_TRUE(r.at_end());
}

TEST(IngestJson, DeepNestingIsBounded)
{
	std::string deep(100000, '[');
	JsonReader r(deep);
	EXPECT_THROW(r.skip(), Error);
}

TEST(IngestDatadog, JsonAliasesAndTid)
{
	Cancel c;
	auto spans = decode_datadog_json(R"([[
	  {"service":"a","trace_id":"18364758544493064720","span_id":1,"parent_id":0,"start":1795478133469019393,
	   "meta":{"_dd.p.tid":"6756c1a500000000","error.kind":"K","error.msg":"M"}},
	  {"service":"b","trace_id":18364758544493064720,"span_id":{"hex":"ffffffffffffffff"},"parent_id":1,"start":"1795478133469019394"}]])",
	                                 c);
	ASSERT_EQ(spans.size(), 2u);
	EXPECT_EQ(spans[0].trace_hi, 0x6756c1a500000000ull);
	EXPECT_EQ(spans[1].trace_hi, 0x6756c1a500000000ull);  // propagated within the chunk
	EXPECT_EQ(spans[0].trace_lo, 18364758544493064720ull);
	EXPECT_EQ(spans[1].span_id, UINT64_MAX);
	EXPECT_EQ(spans[0].error_type, "K");
	EXPECT_EQ(spans[0].error_message, "M");
	EXPECT_EQ(spans[0].start_ns, 1795478133469019393);
	EXPECT_EQ(spans[0].meta, R"({"_dd.p.tid":"6756c1a500000000","error.kind":"K","error.msg":"M"})");
}

TEST(IngestDatadog, ContradictingTidIsAnError)
{
	Cancel c;
	EXPECT_THROW(decode_datadog_json(R"([[
	  {"service":"a","trace_id":5,"span_id":1,"start":1795478133469019393,"meta":{"_dd.p.tid":"0000000000000001"}},
	  {"service":"a","trace_id":5,"span_id":2,"start":1795478133469019393,"meta":{"_dd.p.tid":"0000000000000002"}}]])",
	                                 c),
	             Error);
}

TEST(IngestOtlp, ExceptionEventAndResource)
{
	Cancel c;
	auto spans = decode_otlp_json(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
	  {"traceId":"6756c1a5000000004bf92f3577b34da6","spanId":"46a874c9002dff1b","parentSpanId":"00f067aa0ba902b7",
	   "name":"GET /x","kind":2,"startTimeUnixNano":1795478113822023400,"endTimeUnixNano":"1795478113822024400","flags":769,
	   "events":[{"name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"E"}},
	     {"key":"exception.message","value":{"stringValue":"m"}},{"key":"exception.stacktrace","value":{"stringValue":"E: m"}}]}],
	   "status":{"code":2}}]}],
	  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}},
	    {"key":"deployment.environment.name","value":{"stringValue":"prod"}}]}}]})",
	                              c);
	ASSERT_EQ(spans.size(), 1u);
	const Span &s = spans[0];
	EXPECT_EQ(s.trace_hi, 0x6756c1a500000000ull);
	EXPECT_EQ(s.trace_lo, 0x4bf92f3577b34da6ull);
	EXPECT_EQ(s.parent_id, 0x00f067aa0ba902b7ull);
	EXPECT_EQ(s.service, "svc");  // resource read after the spans
	EXPECT_EQ(s.env, "prod");
	EXPECT_EQ(s.start_ns, 1795478113822023400);
	EXPECT_EQ(s.duration_ns, 1000);
	EXPECT_TRUE(s.is_error);
	EXPECT_EQ(s.error_type, "E");
	EXPECT_EQ(s.error_stack, "E: m");
	EXPECT_EQ(s.span_kind, "server");
	EXPECT_EQ(s.top_level, 1);
}

TEST(IngestFixtures, SharedTracerPayloads)
{
	std::string dir = std::string(ERRTRACK_SHARED_DIR) + "/fixtures/tracers";
	if (list_dir(dir).empty())
		GTEST_SKIP() << dir << " is absent";
	EXPECT_GE(decode_dir(dir), 8u);
}

TEST(IngestFixtures, CapturedTracerPayloads)
{
	std::string dir = std::string(ERRTRACK_SOURCE_DIR) + "/test/fixtures/tracers";
	size_t total = 0;
	for (const auto &sub : list_dir(dir))
		if (!ends_with(sub, "/.") && !ends_with(sub, "/.."))
			total += decode_dir(sub);
	if (total == 0)
		GTEST_SKIP() << "no captured payloads under " << dir;
}
