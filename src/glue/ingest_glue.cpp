/*-------------------------------------------------------------------------
 *
 * ingest_glue.cpp
 *	  SQL entry points that decode span payloads into rows:
 *	  errtrack._decode_datadog_msgpack(bytea, text),
 *	  errtrack._decode_datadog_json(text), errtrack._decode_otlp_json(text),
 *	  errtrack._decode_datadog_jsonb(jsonb), errtrack._decode_otlp_jsonb(jsonb).
 *
 * Each is a materialized set-returning function.  The core decodes the whole
 * payload (all-or-nothing: the first problem is an InvalidData error naming
 * where, mapped to SQLSTATE 22000) and the lambda flattens the spans into a
 * palloc'd array of POD rows whose strings are already text varlenas; the C++
 * vector dies inside the lambda.  Tuples are formed afterwards, outside the
 * boundary.  The SQL wrappers (src/sql/20_spans.sql) INSERT ... SELECT the
 * rows into errtrack.spans, so no SPI is used from C++.
 *
 * jsonb arguments are never printed back to text: flatten_jsonb() (plain PG
 * code, before the core runs) walks the jsonb with JsonbIteratorNext into an
 * array of 8-byte JsonTok tokens — strings as offsets into the detoasted
 * jsonb itself, numbers as exact numeric_out text — and the core decodes that
 * stream with the same mapping code as JSON text (ingest_json.hpp).
 *
 *-------------------------------------------------------------------------
 */
#include <string>
#include <string_view>
#include <vector>

#include "ingest_common.hpp"
#include "ingest_json.hpp"

#include "glue.h"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
}

namespace {

enum { N_TEXT = 17 };

/* Text columns of a row, in SQL column order (NULL pointer = SQL NULL). */
enum TextCol {
	T_SERVICE, T_NAME, T_RESOURCE, T_SPAN_TYPE, T_SPAN_KIND, T_ERROR_TYPE, T_ERROR_MESSAGE,
	T_ERROR_STACK, T_ERROR_FINGERPRINT, T_ENV, T_VERSION, T_HOST, T_CONTAINER_ID,
	T_RESOURCE_ATTRIBUTES, T_META, T_METRICS, T_SOURCE
};

struct FlatSpan {
	uint64_t trace_hi, trace_lo, span_id, parent_id;
	int64_t start_ns, duration_ns;
	bool is_error;
	int top_level;
	text *t[N_TEXT];
};

/* A text varlena in palloc'd memory (never longjmps); empty -> NULL. */
text *
make_text(std::string_view s, bool empty_is_null = true)
{
	if (s.empty() && empty_is_null)
		return NULL;
	if (s.size() > MaxAllocSize - VARHDRSZ)
		throw errtrack::Error(errtrack::ErrorClass::TooLarge, "a span field exceeds 1 GB");
	text *t = static_cast<text *>(errtrack_palloc_noerror(VARHDRSZ + s.size()));
	if (!t)
		throw std::bad_alloc();
	SET_VARSIZE(t, VARHDRSZ + s.size());
	if (!s.empty())
		memcpy(VARDATA(t), s.data(), s.size());
	return t;
}

FlatSpan *
flatten(std::vector<errtrack::ingest::Span> &spans, const errtrack::Cancel &cancel)
{
	size_t n = spans.size();
	FlatSpan *rows = static_cast<FlatSpan *>(errtrack_palloc_noerror(sizeof(FlatSpan) * (n ? n : 1)));
	if (!rows)
		throw std::bad_alloc();
	for (size_t i = 0; i < n; i++) {
		if ((i & 1023) == 0)
			cancel.poll();
		errtrack::ingest::Span &s = spans[i];
		FlatSpan &r = rows[i];
		r.trace_hi = s.trace_hi;
		r.trace_lo = s.trace_lo;
		r.span_id = s.span_id;
		r.parent_id = s.parent_id;
		r.start_ns = s.start_ns;
		r.duration_ns = s.duration_ns;
		r.is_error = s.is_error;
		r.top_level = s.top_level;
		r.t[T_SERVICE] = make_text(s.service, false);
		r.t[T_NAME] = make_text(s.name);
		r.t[T_RESOURCE] = make_text(s.resource);
		r.t[T_SPAN_TYPE] = make_text(s.span_type);
		r.t[T_SPAN_KIND] = make_text(s.span_kind);
		r.t[T_ERROR_TYPE] = make_text(s.error_type);
		r.t[T_ERROR_MESSAGE] = make_text(s.error_message);
		r.t[T_ERROR_STACK] = make_text(s.error_stack);
		r.t[T_ERROR_FINGERPRINT] = make_text(s.error_fingerprint);
		r.t[T_ENV] = make_text(s.env);
		r.t[T_VERSION] = make_text(s.version);
		r.t[T_HOST] = make_text(s.host);
		r.t[T_CONTAINER_ID] = make_text(s.container_id);
		r.t[T_RESOURCE_ATTRIBUTES] = make_text(s.resource_attributes);
		r.t[T_META] = make_text(s.meta, false);
		r.t[T_METRICS] = make_text(s.metrics, false);
		r.t[T_SOURCE] = make_text(s.source, false);
		/* free the C++ copy as we go: halves the peak memory */
		s = errtrack::ingest::Span();
	}
	return rows;
}

Datum
uuid_from_halves(uint64_t hi, uint64_t lo)
{
	pg_uuid_t *u = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
	for (int i = 0; i < 8; i++) {
		u->data[i] = (unsigned char) (hi >> (56 - 8 * i));
		u->data[8 + i] = (unsigned char) (lo >> (56 - 8 * i));
	}
	return UUIDPGetDatum(u);
}

/* Unix nanoseconds -> timestamptz (µs since 2000-01-01), truncated toward -inf. */
TimestampTz
ns_to_timestamptz(int64 ns)
{
	int64 us = ns / 1000;
	if (ns % 1000 < 0)
		us--;
	return (TimestampTz) (us - ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY));
}

void
emit_rows(FunctionCallInfo fcinfo, FlatSpan *rows, size_t nrows)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	static const int text_col[N_TEXT] = {3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24};

	for (size_t i = 0; i < nrows; i++) {
		Datum values[25];
		bool nulls[25];
		FlatSpan *r = &rows[i];

		if ((i & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		memset(nulls, 0, sizeof nulls);
		values[0] = uuid_from_halves(r->trace_hi, r->trace_lo);
		values[1] = Int64GetDatum((int64) r->span_id);
		values[2] = Int64GetDatum((int64) r->parent_id);
		nulls[2] = r->parent_id == 0;
		values[8] = TimestampTzGetDatum(ns_to_timestamptz(r->start_ns));
		values[9] = Int64GetDatum(r->start_ns);
		values[10] = Int64GetDatum(r->duration_ns);
		values[11] = BoolGetDatum(r->is_error);
		values[23] = BoolGetDatum(r->top_level > 0);
		nulls[23] = r->top_level < 0;
		for (int c = 0; c < N_TEXT; c++) {
			int col = text_col[c];
			if (r->t[c] == NULL)
				nulls[col] = true;
			else
				values[col] = PointerGetDatum(r->t[c]);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

std::string_view
bytes_arg(FunctionCallInfo fcinfo, int n)
{
	bytea *b = PG_GETARG_BYTEA_PP(n);
	return std::string_view(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

using errtrack::ingest::JsonTok;

/*
 * Flattens a jsonb value into tokens (PostgreSQL code: may ereport, so it runs
 * before the core, with POD locals only).  Keys and strings stay in the
 * jsonb (offsets from its start); numbers go through numeric_out, exact.
 */
void
flatten_jsonb(Jsonb *jb, errtrack::ingest::JsonTokens *out)
{
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue v;
	JsonbIteratorToken r;
	size_t cap = 4096, n = 0, depth = 0, stack_cap = 64;
	JsonTok *tok = (JsonTok *) MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(JsonTok));
	uint32 *open = (uint32 *) palloc(stack_cap * sizeof(uint32));
	const char *base = (const char *) jb;
	bool raw_scalar = JB_ROOT_IS_SCALAR(jb);
	StringInfoData nums;

	initStringInfo(&nums);
	while ((r = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
		JsonTok t;

		if ((n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (raw_scalar && (r == WJB_BEGIN_ARRAY || r == WJB_END_ARRAY))
			continue;	/* a bare scalar is stored as a one-element array */
		if (n >= (size_t) PG_UINT32_MAX)
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("jsonb payload has too many values")));
		t.off = 0;
		switch (r) {
			case WJB_BEGIN_OBJECT:
			case WJB_BEGIN_ARRAY:
				t.kind_len = JsonTok::pack(r == WJB_BEGIN_OBJECT ? JsonTok::Obj : JsonTok::Arr, 0);
				if (depth == stack_cap) {
					stack_cap *= 2;
					open = (uint32 *) repalloc(open, stack_cap * sizeof(uint32));
				}
				open[depth++] = (uint32) n;
				break;
			case WJB_END_OBJECT:
			case WJB_END_ARRAY:
				t.kind_len = JsonTok::pack(r == WJB_END_OBJECT ? JsonTok::EndObj : JsonTok::EndArr, 0);
				Assert(depth > 0);
				tok[open[--depth]].off = (uint32) n;
				break;
			case WJB_KEY:
			case WJB_VALUE:
			case WJB_ELEM:
				switch (v.type) {
					case jbvString:
						t.off = (uint32) (v.val.string.val - base);
						t.kind_len = JsonTok::pack(r == WJB_KEY ? JsonTok::Key : JsonTok::Str, (uint32) v.val.string.len);
						break;
					case jbvNumeric: {
						char *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
						size_t len = strlen(s);
						t.off = (uint32) nums.len;
						t.kind_len = JsonTok::pack(JsonTok::Num, (uint32) len);
						appendBinaryStringInfo(&nums, s, (int) len);
						pfree(s);
						break;
					}
					case jbvBool:
						t.kind_len = JsonTok::pack(v.val.boolean ? JsonTok::True : JsonTok::False, 0);
						break;
					case jbvNull:
						t.kind_len = JsonTok::pack(JsonTok::Null, 0);
						break;
					default:
						elog(ERROR, "unexpected jsonb value type %d", (int) v.type);
				}
				break;
			default:
				elog(ERROR, "unexpected jsonb iterator token %d", (int) r);
		}
		if (n == cap) {
			cap *= 2;
			tok = (JsonTok *) repalloc_huge(tok, cap * sizeof(JsonTok));
		}
		tok[n++] = t;
	}
	pfree(open);
	out->tok = tok;
	out->n = n;
	out->strings = base;
	out->numbers = nums.data;
	/* jsonb strings are valid in the server encoding; check when that is not UTF-8 */
	out->validate_utf8 = GetDatabaseEncoding() != PG_UTF8;
}

}  // namespace

extern "C" {

ERRTRACK_SQL_FUNCTION(errtrack_decode_datadog_msgpack);
ERRTRACK_SQL_FUNCTION(errtrack_decode_datadog_json);
ERRTRACK_SQL_FUNCTION(errtrack_decode_otlp_json);
ERRTRACK_SQL_FUNCTION(errtrack_decode_datadog_jsonb);
ERRTRACK_SQL_FUNCTION(errtrack_decode_otlp_jsonb);

/* errtrack._decode_datadog_msgpack(payload bytea, api_version text) -> SETOF record */
Datum
errtrack_decode_datadog_msgpack(PG_FUNCTION_ARGS)
{
	std::string_view payload;
	errtrack::ingest::DdVersion version = errtrack::ingest::DdVersion::Auto;
	FlatSpan *rows = NULL;
	size_t nrows = 0;
	const volatile int *flag = errtrack_cancel_flag();

	if (!PG_ARGISNULL(1)) {
		char *v = text_to_cstring(PG_GETARG_TEXT_PP(1));
		if (strcmp(v, "v0.4") == 0 || strcmp(v, "0.4") == 0)
			version = errtrack::ingest::DdVersion::V04;
		else if (strcmp(v, "v0.5") == 0 || strcmp(v, "0.5") == 0)
			version = errtrack::ingest::DdVersion::V05;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown Datadog trace API version \"%s\"", v),
					 errhint("Use 'v0.4', 'v0.5' or NULL to detect it from the payload.")));
	}
	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	payload = bytes_arg(fcinfo, 0);

	ERRTRACK_RUN_CORE("could not decode Datadog msgpack payload", {
		errtrack::Cancel cancel{flag};
		std::vector<errtrack::ingest::Span> spans = errtrack::ingest::decode_datadog_msgpack(payload, version, cancel);
		rows = flatten(spans, cancel);
		nrows = spans.size();
	});
	emit_rows(fcinfo, rows, nrows);
	return (Datum) 0;
}

/* errtrack._decode_datadog_json(payload text) -> SETOF record */
Datum
errtrack_decode_datadog_json(PG_FUNCTION_ARGS)
{
	std::string_view payload = bytes_arg(fcinfo, 0);
	FlatSpan *rows = NULL;
	size_t nrows = 0;
	const volatile int *flag = errtrack_cancel_flag();

	InitMaterializedSRF(fcinfo, 0);
	ERRTRACK_RUN_CORE("could not decode Datadog JSON payload", {
		errtrack::Cancel cancel{flag};
		std::vector<errtrack::ingest::Span> spans = errtrack::ingest::decode_datadog_json(payload, cancel);
		rows = flatten(spans, cancel);
		nrows = spans.size();
	});
	emit_rows(fcinfo, rows, nrows);
	return (Datum) 0;
}

/* errtrack._decode_otlp_json(payload text) -> SETOF record */
Datum
errtrack_decode_otlp_json(PG_FUNCTION_ARGS)
{
	std::string_view payload = bytes_arg(fcinfo, 0);
	FlatSpan *rows = NULL;
	size_t nrows = 0;
	const volatile int *flag = errtrack_cancel_flag();

	InitMaterializedSRF(fcinfo, 0);
	ERRTRACK_RUN_CORE("could not decode OTLP/JSON payload", {
		errtrack::Cancel cancel{flag};
		std::vector<errtrack::ingest::Span> spans = errtrack::ingest::decode_otlp_json(payload, cancel);
		rows = flatten(spans, cancel);
		nrows = spans.size();
	});
	emit_rows(fcinfo, rows, nrows);
	return (Datum) 0;
}

/* errtrack._decode_datadog_jsonb(payload jsonb) -> SETOF record */
Datum
errtrack_decode_datadog_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb *jb = PG_GETARG_JSONB_P(0);
	errtrack::ingest::JsonTokens toks;
	FlatSpan *rows = NULL;
	size_t nrows = 0;
	const volatile int *flag;

	InitMaterializedSRF(fcinfo, 0);
	flatten_jsonb(jb, &toks);
	flag = errtrack_cancel_flag();
	ERRTRACK_RUN_CORE("could not decode Datadog JSON payload", {
		errtrack::Cancel cancel{flag};
		std::vector<errtrack::ingest::Span> spans = errtrack::ingest::decode_datadog_tokens(toks, cancel);
		rows = flatten(spans, cancel);
		nrows = spans.size();
	});
	emit_rows(fcinfo, rows, nrows);
	return (Datum) 0;
}

/* errtrack._decode_otlp_jsonb(payload jsonb) -> SETOF record */
Datum
errtrack_decode_otlp_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb *jb = PG_GETARG_JSONB_P(0);
	errtrack::ingest::JsonTokens toks;
	FlatSpan *rows = NULL;
	size_t nrows = 0;
	const volatile int *flag;

	InitMaterializedSRF(fcinfo, 0);
	flatten_jsonb(jb, &toks);
	flag = errtrack_cancel_flag();
	ERRTRACK_RUN_CORE("could not decode OTLP/JSON payload", {
		errtrack::Cancel cancel{flag};
		std::vector<errtrack::ingest::Span> spans = errtrack::ingest::decode_otlp_tokens(toks, cancel);
		rows = flatten(spans, cancel);
		nrows = spans.size();
	});
	emit_rows(fcinfo, rows, nrows);
	return (Datum) 0;
}

}  /* extern "C" */
