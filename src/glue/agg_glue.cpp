/*-------------------------------------------------------------------------
 *
 * agg_glue.cpp
 *	  Parallel-safe aggregates over error events:
 *	    errtrack.top_values(text)                      -> jsonb
 *	    errtrack.tag_distribution(host, container_id, version, env, resource) -> jsonb
 *	    errtrack.latest_sample(trace_id, span_id, at, type, message, stack) -> jsonb
 *	    errtrack.histogram(at, lo, hi, buckets [, weight]) -> bigint[]
 *	  and errtrack.sparkline(bigint[]) -> text.
 *
 * Every state is plain palloc'd data in the aggregate context (no C++
 * object outlives a call; PostgreSQL frees the context without destructors).
 * Each support function checks AggCheckCallContext; combine functions adopt
 * the other side by copying it into the aggregate context; serial/deserial are
 * STRICT and the deserializers validate every length.  The logic (Space-Saving,
 * stack scoring, bucketing, sparklines, JSON text) is in src/core/agg_core.cpp
 * and runs inside ERRTRACK_RUN_CORE.
 *
 *-------------------------------------------------------------------------
 */
#include <string>

#include "agg_core.hpp"

#include "glue.h"

extern "C" {
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/timestamp.h"
}

namespace agg = errtrack::agg;

namespace {

MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext ctx;
	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return ctx;
}

/* Clip a text argument to at most `max` bytes at a character boundary. */
int
clip_len(const char *s, int len, int max)
{
	if (len <= max)
		return len;
	return pg_mbcliplen(s, len, max);
}

Datum
jsonb_from(const char *json)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

/* ------------------------------------------------------------------ */
/* Sample state: POD header + three palloc'd byte buffers.             */

constexpr int kMaxTypeBytes = 1024;
constexpr int kMaxMessageBytes = 4096;
constexpr int kMaxStackBytes = 65536;
constexpr uint32 kSampleMagic = 0x45545332; /* "ETS2" */

struct SampleHead {
	uint32 magic;
	int32 score;
	int64 time;
	int64 span_id;
	uint8 trace[UUID_LEN];
	bool has;          /* a sample was taken */
	bool trace_null;
	bool span_null;
	bool stack_cut;    /* stored stack was clipped */
	bool type_null;
	bool message_null;
	bool stack_null;
	int32 type_len;
	int32 message_len;
	int32 stack_len;
};

struct SampleState {
	SampleHead h;
	char *type;
	char *message;
	char *stack;
};

void
set_buf(MemoryContext ctx, char **dst, const char *src, int len)
{
	if (*dst)
		pfree(*dst);
	*dst = (char *) MemoryContextAlloc(ctx, len > 0 ? len : 1);
	if (len > 0)
		memcpy(*dst, src, len);
}

/* Copies the other side's sample into `dst` (allocated in ctx). */
void
sample_copy(MemoryContext ctx, SampleState *dst, const SampleState *src)
{
	dst->h = src->h;
	set_buf(ctx, &dst->type, src->type, src->h.type_len);
	set_buf(ctx, &dst->message, src->message, src->h.message_len);
	set_buf(ctx, &dst->stack, src->stack, src->h.stack_len);
}

SampleState *
sample_new(MemoryContext ctx)
{
	SampleState *s = (SampleState *) MemoryContextAllocZero(ctx, sizeof(SampleState));
	s->h.magic = kSampleMagic;
	return s;
}

/* ------------------------------------------------------------------ */
/* Histogram state: header + counts, one palloc'd chunk.               */

constexpr uint32 kHistMagic = 0x45544831; /* "ETH1" */

struct HistState {
	uint32 magic;
	int32 n;
	int64 lo;
	int64 hi;
	int64 counts[FLEXIBLE_ARRAY_MEMBER];
};

size_t
hist_size(int n)
{
	return offsetof(HistState, counts) + sizeof(int64) * (size_t) n;
}

}  // namespace

extern "C" {

ERRTRACK_SQL_FUNCTION(errtrack_topv_trans);
ERRTRACK_SQL_FUNCTION(errtrack_topv_combine);
ERRTRACK_SQL_FUNCTION(errtrack_topv_serial);
ERRTRACK_SQL_FUNCTION(errtrack_topv_deserial);
ERRTRACK_SQL_FUNCTION(errtrack_topv_final);
ERRTRACK_SQL_FUNCTION(errtrack_sample_trans);
ERRTRACK_SQL_FUNCTION(errtrack_sample_combine);
ERRTRACK_SQL_FUNCTION(errtrack_sample_serial);
ERRTRACK_SQL_FUNCTION(errtrack_sample_deserial);
ERRTRACK_SQL_FUNCTION(errtrack_sample_final);
ERRTRACK_SQL_FUNCTION(errtrack_hist_trans);
ERRTRACK_SQL_FUNCTION(errtrack_hist_combine);
ERRTRACK_SQL_FUNCTION(errtrack_hist_serial);
ERRTRACK_SQL_FUNCTION(errtrack_hist_deserial);
ERRTRACK_SQL_FUNCTION(errtrack_hist_final);
ERRTRACK_SQL_FUNCTION(errtrack_sparkline);

/* ---------------------------- top values ---------------------------- */

/* topv_trans(state internal, v1 text [, v2 .. v5 text]) */
Datum
errtrack_topv_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "errtrack_topv_trans");
	agg::TopState *s = PG_ARGISNULL(0) ? NULL : (agg::TopState *) PG_GETARG_POINTER(0);
	int ndims = PG_NARGS() - 1;
	const char *vals[agg::kTopMaxDims];
	int lens[agg::kTopMaxDims];

	if (ndims < 1 || ndims > agg::kTopMaxDims)
		elog(ERROR, "errtrack_topv_trans: bad number of arguments");
	if (s == NULL) {
		s = (agg::TopState *) MemoryContextAlloc(ctx, sizeof(agg::TopState));
		agg::top_init(*s, ndims);
	}
	for (int d = 0; d < ndims; d++) {
		vals[d] = NULL;
		lens[d] = 0;
		if (!PG_ARGISNULL(d + 1)) {
			text *t = PG_GETARG_TEXT_PP(d + 1);
			vals[d] = VARDATA_ANY(t);
			lens[d] = clip_len(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), agg::kTopValueBytes);
		}
	}
	ERRTRACK_RUN_CORE("could not add to top values", {
		s->rows++;
		for (int d = 0; d < ndims; d++)
			if (vals[d])
				agg::top_add(s->dims[d], std::string_view(vals[d], (size_t) lens[d]));
	});
	PG_RETURN_POINTER(s);
}

Datum
errtrack_topv_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "errtrack_topv_combine");
	agg::TopState *a = PG_ARGISNULL(0) ? NULL : (agg::TopState *) PG_GETARG_POINTER(0);
	agg::TopState *b = PG_ARGISNULL(1) ? NULL : (agg::TopState *) PG_GETARG_POINTER(1);

	if (b == NULL) {
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL) {
		a = (agg::TopState *) MemoryContextAlloc(ctx, sizeof(agg::TopState));
		memcpy(a, b, sizeof(agg::TopState));
		PG_RETURN_POINTER(a);
	}
	ERRTRACK_RUN_CORE("could not combine top values", { agg::top_merge(*a, *b); });
	PG_RETURN_POINTER(a);
}

Datum
errtrack_topv_serial(PG_FUNCTION_ARGS)
{
	agg::TopState *s;
	bytea *out;

	(void) agg_context(fcinfo, "errtrack_topv_serial");
	s = (agg::TopState *) PG_GETARG_POINTER(0);
	out = (bytea *) palloc(VARHDRSZ + sizeof(agg::TopState));
	SET_VARSIZE(out, VARHDRSZ + sizeof(agg::TopState));
	memcpy(VARDATA(out), s, sizeof(agg::TopState));
	PG_RETURN_BYTEA_P(out);
}

Datum
errtrack_topv_deserial(PG_FUNCTION_ARGS)
{
	bytea *in;
	agg::TopState *s;
	bool ok = false;

	(void) agg_context(fcinfo, "errtrack_topv_deserial");
	in = PG_GETARG_BYTEA_PP(0);
	if (VARSIZE_ANY_EXHDR(in) != sizeof(agg::TopState))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid top-values state: bad length")));
	s = (agg::TopState *) palloc(sizeof(agg::TopState));
	memcpy(s, VARDATA_ANY(in), sizeof(agg::TopState));
	ERRTRACK_RUN_CORE("could not read top values", { ok = agg::top_valid(*s); });
	if (!ok)
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid top-values state")));
	PG_RETURN_POINTER(s);
}

/* topv_final(state internal [, dummies]) -> jsonb: an array for one dimension, else an object */
Datum
errtrack_topv_final(PG_FUNCTION_ARGS)
{
	static const char *const names[agg::kTopMaxDims] = {"host", "container_id", "version", "env", "resource"};
	agg::TopState *s;
	char *json = NULL;

	(void) agg_context(fcinfo, "errtrack_topv_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (agg::TopState *) PG_GETARG_POINTER(0);
	ERRTRACK_RUN_CORE("could not build top values", {
		std::string j = agg::top_json(*s, s->ndims == 1 ? nullptr : names, 10);
		json = errtrack_glue::copy_out(errtrack_palloc_noerror, j);
	});
	PG_RETURN_DATUM(jsonb_from(json));
}

/* ------------------------------ sample ------------------------------ */

/* sample_trans(state, trace_id uuid, span_id bigint, at timestamptz, type text, message text, stack text) */
Datum
errtrack_sample_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "errtrack_sample_trans");
	SampleState *s = PG_ARGISNULL(0) ? NULL : (SampleState *) PG_GETARG_POINTER(0);
	int64 at, span;
	const char *stack = NULL;
	int stack_len = 0, full_stack_len = 0;
	int score = 0;
	const volatile int *flag = errtrack_cancel_flag();

	if (s == NULL)
		s = sample_new(ctx);
	if (PG_ARGISNULL(3))
		PG_RETURN_POINTER(s); /* an event without a time cannot be "latest" */
	at = PG_GETARG_TIMESTAMPTZ(3);
	span = PG_ARGISNULL(2) ? PG_INT64_MIN : PG_GETARG_INT64(2);
	if (!PG_ARGISNULL(6)) {
		text *t = PG_GETARG_TEXT_PP(6);
		stack = VARDATA_ANY(t);
		full_stack_len = VARSIZE_ANY_EXHDR(t);
		stack_len = clip_len(stack, full_stack_len, kMaxStackBytes);
	}

	/* Can this row win?  Its score is 0 without a stack, at most 2 with one. */
	{
		bool has_stack = stack_len > 0;
		int best_possible = has_stack ? 2 : 0;
		if (s->h.has && !agg::sample_better(best_possible, at, span, s->h.score, s->h.time, s->h.span_id))
			PG_RETURN_POINTER(s);
		if (has_stack) {
			ERRTRACK_RUN_CORE("could not score stack", {
				errtrack::Cancel cancel{flag};
				score = agg::sample_score(std::string_view(stack, (size_t) stack_len), cancel);
			});
			if (stack_len < full_stack_len && score > 1)
				score = 1; /* cut: not a complete stack */
		}
		if (s->h.has && !agg::sample_better(score, at, span, s->h.score, s->h.time, s->h.span_id))
			PG_RETURN_POINTER(s);
	}

	s->h.has = true;
	s->h.score = score;
	s->h.time = at;
	s->h.span_id = span;
	s->h.span_null = PG_ARGISNULL(2);
	s->h.trace_null = PG_ARGISNULL(1);
	if (!s->h.trace_null)
		memcpy(s->h.trace, PG_GETARG_UUID_P(1)->data, UUID_LEN);
	else
		memset(s->h.trace, 0, UUID_LEN);
	{
		const char *p = NULL;
		int len = 0;
		s->h.type_null = PG_ARGISNULL(4);
		if (!s->h.type_null) {
			text *t = PG_GETARG_TEXT_PP(4);
			p = VARDATA_ANY(t);
			len = clip_len(p, VARSIZE_ANY_EXHDR(t), kMaxTypeBytes);
		}
		set_buf(ctx, &s->type, p, len);
		s->h.type_len = len;

		p = NULL;
		len = 0;
		s->h.message_null = PG_ARGISNULL(5);
		if (!s->h.message_null) {
			text *t = PG_GETARG_TEXT_PP(5);
			p = VARDATA_ANY(t);
			len = clip_len(p, VARSIZE_ANY_EXHDR(t), kMaxMessageBytes);
		}
		set_buf(ctx, &s->message, p, len);
		s->h.message_len = len;
	}
	s->h.stack_null = PG_ARGISNULL(6);
	set_buf(ctx, &s->stack, stack, stack_len);
	s->h.stack_len = stack_len;
	s->h.stack_cut = stack_len < full_stack_len;
	PG_RETURN_POINTER(s);
}

Datum
errtrack_sample_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "errtrack_sample_combine");
	SampleState *a = PG_ARGISNULL(0) ? NULL : (SampleState *) PG_GETARG_POINTER(0);
	SampleState *b = PG_ARGISNULL(1) ? NULL : (SampleState *) PG_GETARG_POINTER(1);

	if (b == NULL || !b->h.has) {
		if (a == NULL)
			a = sample_new(ctx);
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = sample_new(ctx);
	if (!a->h.has || agg::sample_better(b->h.score, b->h.time, b->h.span_id, a->h.score, a->h.time, a->h.span_id))
		sample_copy(ctx, a, b);
	PG_RETURN_POINTER(a);
}

Datum
errtrack_sample_serial(PG_FUNCTION_ARGS)
{
	SampleState *s;
	bytea *out;
	size_t n;
	char *p;

	(void) agg_context(fcinfo, "errtrack_sample_serial");
	s = (SampleState *) PG_GETARG_POINTER(0);
	n = sizeof(SampleHead) + s->h.type_len + s->h.message_len + s->h.stack_len;
	out = (bytea *) palloc(VARHDRSZ + n);
	SET_VARSIZE(out, VARHDRSZ + n);
	p = VARDATA(out);
	memcpy(p, &s->h, sizeof(SampleHead));
	p += sizeof(SampleHead);
	if (s->h.type_len)
		memcpy(p, s->type, s->h.type_len);
	p += s->h.type_len;
	if (s->h.message_len)
		memcpy(p, s->message, s->h.message_len);
	p += s->h.message_len;
	if (s->h.stack_len)
		memcpy(p, s->stack, s->h.stack_len);
	PG_RETURN_BYTEA_P(out);
}

Datum
errtrack_sample_deserial(PG_FUNCTION_ARGS)
{
	bytea *in;
	SampleState *s;
	const char *p;
	size_t n;

	(void) agg_context(fcinfo, "errtrack_sample_deserial");
	in = PG_GETARG_BYTEA_PP(0);
	n = VARSIZE_ANY_EXHDR(in);
	p = VARDATA_ANY(in);
	s = (SampleState *) palloc0(sizeof(SampleState));
	if (n < sizeof(SampleHead))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid sample state: too short")));
	memcpy(&s->h, p, sizeof(SampleHead));
	if (s->h.magic != kSampleMagic || s->h.type_len < 0 || s->h.type_len > kMaxTypeBytes ||
	    s->h.message_len < 0 || s->h.message_len > kMaxMessageBytes || s->h.stack_len < 0 ||
	    s->h.stack_len > kMaxStackBytes || s->h.score < 0 || s->h.score > 2 ||
	    n != sizeof(SampleHead) + (size_t) s->h.type_len + s->h.message_len + s->h.stack_len)
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid sample state")));
	p += sizeof(SampleHead);
	s->type = (char *) palloc(s->h.type_len + 1);
	memcpy(s->type, p, s->h.type_len);
	p += s->h.type_len;
	s->message = (char *) palloc(s->h.message_len + 1);
	memcpy(s->message, p, s->h.message_len);
	p += s->h.message_len;
	s->stack = (char *) palloc(s->h.stack_len + 1);
	memcpy(s->stack, p, s->h.stack_len);
	PG_RETURN_POINTER(s);
}

Datum
errtrack_sample_final(PG_FUNCTION_ARGS)
{
	SampleState *s;
	char *json = NULL;
	char *trace = NULL;

	(void) agg_context(fcinfo, "errtrack_sample_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (SampleState *) PG_GETARG_POINTER(0);
	if (!s->h.has)
		PG_RETURN_NULL();
	if (!s->h.trace_null) {
		pg_uuid_t u;
		memcpy(u.data, s->h.trace, UUID_LEN);
		trace = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&u)));
	}
	/* The stored text is valid in the database encoding (clipped at character boundaries). */
	ERRTRACK_RUN_CORE("could not build sample", {
		std::string j = "{\"trace_id\": ";
		if (trace)
			agg::json_string(j, trace);
		else
			j += "null";
		j += ", \"span_id\": ";
		j += s->h.span_null ? std::string("null") : std::to_string(s->h.span_id);
		j += ", \"time\": ";
		agg::json_string(j, agg::format_utc(s->h.time));
		j += ", \"score\": " + std::to_string(s->h.score);
		j += ", \"error_type\": ";
		if (s->h.type_null)
			j += "null";
		else
			agg::json_string(j, std::string_view(s->type, (size_t) s->h.type_len));
		j += ", \"message\": ";
		if (s->h.message_null)
			j += "null";
		else
			agg::json_string(j, std::string_view(s->message, (size_t) s->h.message_len));
		j += ", \"stack\": ";
		if (s->h.stack_null)
			j += "null";
		else
			agg::json_string(j, std::string_view(s->stack, (size_t) s->h.stack_len));
		j += s->h.stack_cut ? ", \"stack_truncated\": true}" : "}";
		json = errtrack_glue::copy_out(errtrack_palloc_noerror, j);
	});
	PG_RETURN_DATUM(jsonb_from(json));
}

/* ---------------------------- histogram ----------------------------- */

/* hist_trans(state, at timestamptz, lo timestamptz, hi timestamptz, buckets int [, weight bigint]) */
Datum
errtrack_hist_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "errtrack_hist_trans");
	HistState *s = PG_ARGISNULL(0) ? NULL : (HistState *) PG_GETARG_POINTER(0);
	int64 lo, hi, at, weight = 1;
	int n, idx = -1;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("errtrack.histogram: lo, hi and buckets must not be NULL")));
	lo = PG_GETARG_TIMESTAMPTZ(2);
	hi = PG_GETARG_TIMESTAMPTZ(3);
	n = PG_GETARG_INT32(4);
	if (s == NULL) {
		if (n < 1 || n > agg::kHistMaxBuckets)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			                errmsg("errtrack.histogram: buckets must be between 1 and %d", agg::kHistMaxBuckets)));
		if (hi <= lo || TIMESTAMP_NOT_FINITE(lo) || TIMESTAMP_NOT_FINITE(hi))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			                errmsg("errtrack.histogram: hi must be a finite time after lo")));
		s = (HistState *) MemoryContextAllocZero(ctx, hist_size(n));
		s->magic = kHistMagic;
		s->n = n;
		s->lo = lo;
		s->hi = hi;
	} else if (s->lo != lo || s->hi != hi || s->n != n)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("errtrack.histogram: lo, hi and buckets must be the same for every row of a group")));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);
	if (PG_NARGS() > 5) {
		if (PG_ARGISNULL(5))
			PG_RETURN_POINTER(s);
		weight = PG_GETARG_INT64(5);
	}
	at = PG_GETARG_TIMESTAMPTZ(1);
	idx = agg::bucket_index(at, s->lo, s->hi, s->n);
	if (idx >= 0)
		s->counts[idx] += weight;
	PG_RETURN_POINTER(s);
}

Datum
errtrack_hist_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "errtrack_hist_combine");
	HistState *a = PG_ARGISNULL(0) ? NULL : (HistState *) PG_GETARG_POINTER(0);
	HistState *b = PG_ARGISNULL(1) ? NULL : (HistState *) PG_GETARG_POINTER(1);

	if (b == NULL) {
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL) {
		a = (HistState *) MemoryContextAlloc(ctx, hist_size(b->n));
		memcpy(a, b, hist_size(b->n));
		PG_RETURN_POINTER(a);
	}
	if (a->n != b->n || a->lo != b->lo || a->hi != b->hi)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("errtrack.histogram: cannot combine histograms with different bounds")));
	for (int i = 0; i < a->n; i++)
		a->counts[i] += b->counts[i];
	PG_RETURN_POINTER(a);
}

Datum
errtrack_hist_serial(PG_FUNCTION_ARGS)
{
	HistState *s;
	bytea *out;
	size_t n;

	(void) agg_context(fcinfo, "errtrack_hist_serial");
	s = (HistState *) PG_GETARG_POINTER(0);
	n = hist_size(s->n);
	out = (bytea *) palloc(VARHDRSZ + n);
	SET_VARSIZE(out, VARHDRSZ + n);
	memcpy(VARDATA(out), s, n);
	PG_RETURN_BYTEA_P(out);
}

Datum
errtrack_hist_deserial(PG_FUNCTION_ARGS)
{
	bytea *in;
	HistState head;
	HistState *s;
	size_t n;

	(void) agg_context(fcinfo, "errtrack_hist_deserial");
	in = PG_GETARG_BYTEA_PP(0);
	n = VARSIZE_ANY_EXHDR(in);
	if (n < offsetof(HistState, counts))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid histogram state: too short")));
	memcpy(&head, VARDATA_ANY(in), offsetof(HistState, counts));
	if (head.magic != kHistMagic || head.n < 1 || head.n > agg::kHistMaxBuckets || head.hi <= head.lo ||
	    n != hist_size(head.n))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid histogram state")));
	s = (HistState *) palloc(n);
	memcpy(s, VARDATA_ANY(in), n);
	PG_RETURN_POINTER(s);
}

Datum
errtrack_hist_final(PG_FUNCTION_ARGS)
{
	HistState *s;
	Datum *elems;
	ArrayType *arr;

	(void) agg_context(fcinfo, "errtrack_hist_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (HistState *) PG_GETARG_POINTER(0);
	elems = (Datum *) palloc(sizeof(Datum) * s->n);
	for (int i = 0; i < s->n; i++)
		elems[i] = Int64GetDatum(s->counts[i]);
	arr = construct_array(elems, s->n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* errtrack.sparkline(counts bigint[]) -> text; NULL elements count as 0 */
Datum
errtrack_sparkline(PG_FUNCTION_ARGS)
{
	ArrayType *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum *elems;
	bool *nulls;
	int n;
	int64 *vals;
	char *out = NULL;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("errtrack.sparkline: expected a one-dimensional array")));
	deconstruct_array(arr, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	if (n > agg::kHistMaxBuckets)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("errtrack.sparkline: at most %d values", agg::kHistMaxBuckets)));
	vals = (int64 *) palloc(sizeof(int64) * (n ? n : 1));
	for (int i = 0; i < n; i++)
		vals[i] = nulls[i] ? 0 : DatumGetInt64(elems[i]);
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("errtrack.sparkline needs a UTF8 database")));
	ERRTRACK_RUN_CORE("could not draw sparkline", {
		out = errtrack_glue::copy_out(errtrack_palloc_noerror, agg::sparkline(vals, (size_t) n));
	});
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

}  /* extern "C" */
