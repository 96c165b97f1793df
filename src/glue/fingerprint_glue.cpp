/*-------------------------------------------------------------------------
 *
 * fingerprint_glue.cpp
 *	  SQL entry points for fingerprints and normalisation:
 *	  errtrack.fingerprint, fingerprint_explain, fingerprint_custom,
 *	  normalize_message, normalize_stack, parse_stack, fingerprint_version,
 *	  join_signature, signatures_join.
 *
 * Fingerprint symbols are per algorithm and never change behaviour: a
 * released install script keeps naming the symbol it named (errtrack 0.1.0:
 * errtrack_fingerprint = fp1), so the newest library serves it unchanged
 * until ALTER EXTENSION UPDATE points the SQL function at the next one.
 * normalize_message likewise: its template rules are the algorithm's
 * (errtrack_normalize_message = fp1, errtrack_normalize_message_fp2).
 *
 * Pattern of every function: fetch and detoast arguments (PG), run the core
 * under ERRTRACK_RUN_CORE (C++; results copied into palloc'd memory through
 * a no-longjmp allocator), then build the Datum (PG).  No C++ object with a
 * destructor is alive while a PostgreSQL function that can longjmp runs.
 *
 *-------------------------------------------------------------------------
 */
#include <algorithm>
#include <string>

#include "fingerprint.hpp"
#include "message.hpp"
#include "parser.hpp"
#include "stack_memo.hpp"
#include "stack_part_codec.hpp"

#include "glue.h"
#include "shared_cache.h"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/guc.h"
#include "utils/tuplestore.h"
}

/*
 * errtrack.stack_cache_size (kB): the budget of this backend's StackMemo
 * (stack_memo.hpp), which lets errtrack.fingerprint() skip re-parsing a stack
 * text it has fingerprinted before.  0 turns it off.  The memo is created on
 * first use, lives as long as the backend, never holds more than the budget,
 * and gives the same values as no memo (it is not part of the contract).
 */
static int errtrack_stack_cache_kb = 16384;
static errtrack::StackMemo *errtrack_stack_memo = NULL;

/* A new size takes effect at once: a smaller one frees the entries now. */
static void
assign_stack_cache_size(int newval, void *extra)
{
	if (errtrack_stack_memo != NULL)
		errtrack_stack_memo->set_budget((size_t) newval * 1024);  /* noexcept */
}

namespace {

struct TextArg {
	const char *data;
	size_t len;
};

/* NULL and empty are the same to the fingerprint. */
TextArg
text_arg(FunctionCallInfo fcinfo, int n)
{
	TextArg a = {"", 0};
	if (!PG_ARGISNULL(n)) {
		text *t = PG_GETARG_TEXT_PP(n);
		a.data = VARDATA_ANY(t);
		a.len = VARSIZE_ANY_EXHDR(t);
	}
	return a;
}

std::string_view
sv(TextArg a)
{
	return std::string_view(a.data, a.len);
}

Datum
uuid_datum(const errtrack::Digest128 &d)
{
	pg_uuid_t *u = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
	memcpy(u->data, d.data(), UUID_LEN);
	return UUIDPGetDatum(u);
}

/*
 * The algorithm named by argument n (text): 'fp1', 'fp2'.  NULL or an unknown
 * name is an error (22004 / 22023), raised before any C++ object exists.
 */
errtrack::Algorithm
algorithm_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
		                errmsg("fingerprint algorithm must not be NULL"),
		                errhint("Known algorithms: fp1, fp2.")));
	text *t = PG_GETARG_TEXT_PP(n);
	errtrack::Algorithm a = errtrack::Algorithm::Fp1;
	if (!errtrack::algorithm_from_name(std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)), a))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("unknown fingerprint algorithm \"%s\"", text_to_cstring(t)),
		                errhint("Known algorithms: fp1, fp2.")));
	return a;
}

/* a set's area: what errtrack_shared_cache_get() copies out and _put() reads */
char shared_blob[ERRTRACK_SHARED_SET_BYTES];

Datum
fingerprint_with(FunctionCallInfo fcinfo, errtrack::Algorithm algorithm)
{
	TextArg type = text_arg(fcinfo, 0), msg = text_arg(fcinfo, 1), stack = text_arg(fcinfo, 2);
	errtrack::Digest128 digest{};
	const volatile int *flag = errtrack_cancel_flag();

	const size_t budget = (size_t) errtrack_stack_cache_kb * 1024;
	const bool shared = errtrack_shared_cache_enabled();
	errtrack::StackMemo::Key key{};
	bool missed = false;

	ERRTRACK_RUN_CORE("could not fingerprint error", {
		errtrack::Cancel cancel{flag};
		/* created on first use; later sizes reach it through the GUC's assign hook */
		if (errtrack_stack_memo == NULL && budget > 0)
			errtrack_stack_memo = new errtrack::StackMemo(budget);
		if (errtrack_stack_memo == NULL)
			digest = errtrack::compute_fingerprint(sv(type), sv(msg), sv(stack), cancel, false, algorithm).digest;
		else if (!shared)
			digest = errtrack_stack_memo->fingerprint(sv(type), sv(msg), sv(stack), cancel, algorithm);
		else {
			errtrack::Digest128 d{};
			switch (errtrack_stack_memo->lookup(sv(type), sv(msg), sv(stack), algorithm, key, d)) {
			case errtrack::StackMemo::Look::Hit: digest = d; break;
			case errtrack::StackMemo::Look::Miss: missed = true; break;
			case errtrack::StackMemo::Look::Uncacheable:
				digest = errtrack::compute_fingerprint(sv(type), sv(msg), sv(stack), cancel, false, algorithm).digest;
				break;
			}
		}
	});
	if (!missed)
		PG_RETURN_DATUM(uuid_datum(digest));

	/*
	 * This backend's memo has not seen the stack: take its parsed form from
	 * the shared cache (PostgreSQL locks: no C++ object alive), else parse it
	 * and publish the result afterwards.
	 */
	size_t got = errtrack_shared_cache_get(key, shared_blob);
	size_t publish = 0;
	ERRTRACK_RUN_CORE("could not fingerprint error", {
		errtrack::Cancel cancel{flag};
		errtrack::StackPart part;
		publish = 0;
		if (got == 0 || !errtrack::decode_stack_part(std::string_view(shared_blob, got), part)) {
			part = errtrack::summarize_stack(sv(stack), cancel, key.algorithm);
			publish = errtrack::encoded_stack_part_size(part);
			if (publish <= sizeof shared_blob) {
				std::string blob;
				errtrack::encode_stack_part(part, blob);
				memcpy(shared_blob, blob.data(), blob.size());
			}
		}
		digest = errtrack_stack_memo->keep_and_finish(key, std::move(part), sv(type), sv(msg));
	});
	if (publish > 0)
		errtrack_shared_cache_put(key, shared_blob, publish);  /* (over a set's area: counted, not kept) */
	PG_RETURN_DATUM(uuid_datum(digest));
}

Datum
explain_with(FunctionCallInfo fcinfo, errtrack::Algorithm algorithm)
{
	TextArg type = text_arg(fcinfo, 0), msg = text_arg(fcinfo, 1), stack = text_arg(fcinfo, 2);
	char *out = NULL;
	const volatile int *flag = errtrack_cancel_flag();

	ERRTRACK_RUN_CORE("could not explain fingerprint", {
		errtrack::Cancel cancel{flag};
		auto r = errtrack::compute_fingerprint(sv(type), sv(msg), sv(stack), cancel, true, algorithm);
		out = errtrack_glue::copy_out(errtrack_palloc_noerror, r.explain);
	});
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

/*
 * The message template by the rules of `algorithm` (what the fingerprint
 * hashes for a generic type or a frame-less error).
 */
Datum
normalize_message_with(FunctionCallInfo fcinfo, errtrack::Algorithm algorithm)
{
	TextArg msg = text_arg(fcinfo, 0);
	char *out = NULL;

	ERRTRACK_RUN_CORE("could not normalize message", {
		if (msg.len > errtrack::Limits::max_input_bytes)
			throw errtrack::Error(errtrack::ErrorClass::TooLarge, "message exceeds the 64 MB limit");
		out = errtrack_glue::copy_out(errtrack_palloc_noerror, errtrack::normalize_message(sv(msg), {}, algorithm));
	});
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

}  // namespace

extern "C" {

PGDLLEXPORT void _PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("errtrack.stack_cache_size",
	                        "Memory for the stack texts errtrack.fingerprint() has parsed, per backend.",
	                        "Events that repeat a stack text seen before skip parsing it; the values are "
	                        "the same with any size. 0 turns the cache off.",
	                        &errtrack_stack_cache_kb, 16384, 0, 1024 * 1024, PGC_USERSET, GUC_UNIT_KB,
	                        NULL, assign_stack_cache_size, NULL);
	errtrack_shared_cache_init();
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("errtrack");
#else
	EmitWarningsOnPlaceholders("errtrack");
#endif
}

ERRTRACK_SQL_FUNCTION(errtrack_stack_cache_stats);

/* errtrack.stack_cache_stats() -> (hits, misses, entries, bytes, budget) of this backend */
Datum
errtrack_stack_cache_stats(PG_FUNCTION_ARGS)
{
	TupleDesc tupdesc;
	Datum values[5];
	bool nulls[5] = {false, false, false, false, false};
	errtrack::StackMemo::Stats st;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("function returning record called in context that cannot accept type record")));
	if (errtrack_stack_memo != NULL)
		st = errtrack_stack_memo->stats();  /* (plain counters: nothing to throw) */
	values[0] = Int64GetDatum((int64) st.hits);
	values[1] = Int64GetDatum((int64) st.misses);
	values[2] = Int64GetDatum((int64) st.entries);
	values[3] = Int64GetDatum((int64) st.bytes);
	values[4] = Int64GetDatum(errtrack_stack_memo != NULL ? (int64) errtrack_stack_memo->budget()
	                                                      : (int64) errtrack_stack_cache_kb * 1024);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

ERRTRACK_SQL_FUNCTION(errtrack_join_signature);
ERRTRACK_SQL_FUNCTION(errtrack_signatures_join);

namespace {

/* a bigint[] of n values (palloc'd) */
Datum
int8_array(const int64 *v, int n)
{
	Datum *d = (Datum *) palloc(sizeof(Datum) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		d[i] = Int64GetDatum(v[i]);
	return PointerGetDatum(construct_array(d, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* argument n as a one-dimensional bigint[] without NULLs: its values and count */
const int64 *
int8_array_arg(FunctionCallInfo fcinfo, int n, const char *name, int *count)
{
	ArrayType *a = PG_GETARG_ARRAYTYPE_P(n);
	if (ARR_ELEMTYPE(a) != INT8OID || ARR_NDIM(a) > 1 || ARR_HASNULL(a))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("%s must be a one-dimensional bigint array without NULLs", name)));
	*count = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	return (const int64 *) ARR_DATA_PTR(a);
}

}  // namespace

/*
 * errtrack.join_signature(type, message, stack) -> (anchor uuid, key_frames
 * bigint[], path_frames bigint[], path_units bigint[]): what a refactor join
 * compares (fingerprint.hpp, join_signature); all NULL when the error cannot
 * join (fp1-only keys, fewer than two key frames, a library's or raw
 * addresses' frames).
 */
Datum
errtrack_join_signature(PG_FUNCTION_ARGS)
{
	TextArg type = text_arg(fcinfo, 0), msg = text_arg(fcinfo, 1), stack = text_arg(fcinfo, 2);
	TupleDesc tupdesc;
	Datum values[4];
	bool nulls[4] = {true, true, true, true};
	errtrack::Digest128 anchor{};
	int64 *key = NULL, *path = NULL, *units = NULL;
	int nkey = 0, npath = 0;
	bool joinable = false;
	const volatile int *flag = errtrack_cancel_flag();

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("function returning record called in context that cannot accept type record")));
	ERRTRACK_RUN_CORE("could not compute join signature", {
		errtrack::Cancel cancel{flag};
		errtrack::JoinSignature sig = errtrack::join_signature(sv(type), sv(msg), sv(stack), cancel);
		joinable = sig.joinable;
		if (joinable) {
			anchor = sig.anchor;
			nkey = (int) sig.key.size();
			npath = (int) sig.path.size();
			key = (int64 *) errtrack_palloc_noerror(sizeof(int64) * (nkey + 2 * npath));
			if (key == NULL)
				throw std::bad_alloc();
			path = key + nkey;
			units = path + npath;
			std::copy(sig.key.begin(), sig.key.end(), key);
			std::copy(sig.path.begin(), sig.path.end(), path);
			std::copy(sig.units.begin(), sig.units.end(), units);
		}
	});
	if (joinable) {
		values[0] = uuid_datum(anchor);
		values[1] = int8_array(key, nkey);
		values[2] = int8_array(path, npath);
		values[3] = int8_array(units, npath);
		nulls[0] = nulls[1] = nulls[2] = nulls[3] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * errtrack.signatures_join(key_a, path_a, units_a, key_b, path_b, units_b)
 * -> boolean (STRICT): whether two signatures with equal anchors join.
 */
Datum
errtrack_signatures_join(PG_FUNCTION_ARGS)
{
	errtrack::JoinView a, b;
	int nka, npa, nua, nkb, npb, nub;
	bool joins = false;

	a.key = int8_array_arg(fcinfo, 0, "key_a", &nka);
	a.path = int8_array_arg(fcinfo, 1, "path_a", &npa);
	a.units = int8_array_arg(fcinfo, 2, "units_a", &nua);
	b.key = int8_array_arg(fcinfo, 3, "key_b", &nkb);
	b.path = int8_array_arg(fcinfo, 4, "path_b", &npb);
	b.units = int8_array_arg(fcinfo, 5, "units_b", &nub);
	if (nua != npa || nub != npb)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("a signature's path and units must have the same length")));
	a.nkey = (size_t) nka;
	a.npath = (size_t) npa;
	b.nkey = (size_t) nkb;
	b.npath = (size_t) npb;
	ERRTRACK_RUN_CORE("could not compare join signatures", {
		joins = errtrack::signatures_join(a, b);
	});
	PG_RETURN_BOOL(joins);
}

ERRTRACK_SQL_FUNCTION(errtrack_fingerprint);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_fp2);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_algorithm);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_explain);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_explain_fp2);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_explain_algorithm);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_custom);
ERRTRACK_SQL_FUNCTION(errtrack_fingerprint_version);
ERRTRACK_SQL_FUNCTION(errtrack_normalize_message);
ERRTRACK_SQL_FUNCTION(errtrack_normalize_message_fp2);
ERRTRACK_SQL_FUNCTION(errtrack_normalize_stack);
ERRTRACK_SQL_FUNCTION(errtrack_parse_stack);
ERRTRACK_SQL_FUNCTION(errtrack_raise_core_error);

/* errtrack 0.1.0's errtrack.fingerprint(type, message, stack): fp1, for ever */
Datum
errtrack_fingerprint(PG_FUNCTION_ARGS)
{
	return fingerprint_with(fcinfo, errtrack::Algorithm::Fp1);
}

/* errtrack.fingerprint(type, message, stack) since 0.2.0: fp2 -> uuid, never NULL */
Datum
errtrack_fingerprint_fp2(PG_FUNCTION_ARGS)
{
	return fingerprint_with(fcinfo, errtrack::Algorithm::Fp2);
}

/* errtrack.fingerprint(type, message, stack, algorithm text) -> uuid */
Datum
errtrack_fingerprint_algorithm(PG_FUNCTION_ARGS)
{
	return fingerprint_with(fcinfo, algorithm_arg(fcinfo, 3));
}

/* errtrack 0.1.0's errtrack.fingerprint_explain(type, message, stack): fp1 */
Datum
errtrack_fingerprint_explain(PG_FUNCTION_ARGS)
{
	return explain_with(fcinfo, errtrack::Algorithm::Fp1);
}

/* errtrack.fingerprint_explain(type, message, stack) since 0.2.0: fp2 -> text */
Datum
errtrack_fingerprint_explain_fp2(PG_FUNCTION_ARGS)
{
	return explain_with(fcinfo, errtrack::Algorithm::Fp2);
}

/* errtrack.fingerprint_explain(type, message, stack, algorithm text) -> text */
Datum
errtrack_fingerprint_explain_algorithm(PG_FUNCTION_ARGS)
{
	return explain_with(fcinfo, algorithm_arg(fcinfo, 3));
}

/* errtrack.fingerprint_custom(value text) -> uuid (STRICT) */
Datum
errtrack_fingerprint_custom(PG_FUNCTION_ARGS)
{
	TextArg v = text_arg(fcinfo, 0);
	errtrack::Digest128 digest{};

	ERRTRACK_RUN_CORE("could not hash custom fingerprint", {
		digest = errtrack::custom_fingerprint(sv(v));
	});
	PG_RETURN_DATUM(uuid_datum(digest));
}

Datum
errtrack_fingerprint_version(PG_FUNCTION_ARGS)
{
	/* errtrack 0.1.0's fingerprint_version(); since 0.2.0 it is a SQL function */
	PG_RETURN_TEXT_P(cstring_to_text(errtrack::algorithm_name(errtrack::Algorithm::Fp1)));
}

/* errtrack 0.1.0's errtrack.normalize_message(message text): fp1's template rules, for ever */
Datum
errtrack_normalize_message(PG_FUNCTION_ARGS)
{
	return normalize_message_with(fcinfo, errtrack::Algorithm::Fp1);
}

/* errtrack.normalize_message(message text) since 0.2.0: fp2's template -> text (STRICT) */
Datum
errtrack_normalize_message_fp2(PG_FUNCTION_ARGS)
{
	return normalize_message_with(fcinfo, errtrack::Algorithm::Fp2);
}

/* errtrack.normalize_stack(stack text) -> text (STRICT) */
Datum
errtrack_normalize_stack(PG_FUNCTION_ARGS)
{
	TextArg stack = text_arg(fcinfo, 0);
	char *out = NULL;
	const volatile int *flag = errtrack_cancel_flag();

	ERRTRACK_RUN_CORE("could not normalize stack", {
		errtrack::Cancel cancel{flag};
		out = errtrack_glue::copy_out(errtrack_palloc_noerror, errtrack::normalize_stack_text(sv(stack), cancel));
	});
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

/*
 * errtrack.parse_stack(stack text) -> SETOF record
 *
 * The core flattens the parsed stack into a palloc'd array of plain rows;
 * tuples are formed afterwards, outside the boundary.
 */
struct FlatRow {
	int exception_index;
	int depth;
	int frame_index; /* -1: exception without frames */
	const char *role;
	char *type;
	char *message;
	char *function;
	char *module;
	char *file;
	int64_t line;
	int64_t col;
	bool in_app;
	const char *category;
	const char *language;
	char *frame_key;
};

Datum
errtrack_parse_stack(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TextArg stack = text_arg(fcinfo, 0);
	FlatRow *rows = NULL;
	size_t nrows = 0;
	const volatile int *flag = errtrack_cancel_flag();

	InitMaterializedSRF(fcinfo, 0);

	ERRTRACK_RUN_CORE("could not parse stack", {
		errtrack::Cancel cancel{flag};
		errtrack::ParsedStack ps = errtrack::parse_stack(sv(stack), errtrack::Lang::Unknown, cancel);
		size_t n = 0;
		for (const auto &e : ps.chain)
			n += e.frames.empty() ? 1 : e.frames.size();
		rows = static_cast<FlatRow *>(errtrack_palloc_noerror(sizeof(FlatRow) * (n ? n : 1)));
		if (!rows)
			throw std::bad_alloc();
		auto A = errtrack_palloc_noerror;
		size_t k = 0;
		for (size_t ei = 0; ei < ps.chain.size(); ei++) {
			const auto &e = ps.chain[ei];
			char *type = errtrack_glue::copy_out(A, e.type);
			char *message = errtrack_glue::copy_out(A, e.message);
			size_t nf = e.frames.empty() ? 1 : e.frames.size();
			for (size_t fi = 0; fi < nf; fi++) {
				FlatRow &r = rows[k++];
				memset(&r, 0, sizeof r);
				r.exception_index = (int) ei;
				r.depth = e.depth;
				r.role = errtrack::role_name(e.role);
				r.type = type;
				r.message = message;
				r.language = errtrack::lang_name(ps.lang);
				if (e.frames.empty()) {
					r.frame_index = -1;
					continue;
				}
				const auto &f = e.frames[fi];
				r.frame_index = (int) fi;
				r.function = errtrack_glue::copy_out(A, f.function);
				r.module = errtrack_glue::copy_out(A, f.module);
				r.file = errtrack_glue::copy_out(A, f.file);
				r.line = f.line;
				r.col = f.col;
				r.in_app = f.in_app();
				r.category = errtrack::category_name(f.category);
				r.frame_key = errtrack_glue::copy_out(A, f.key());
			}
		}
		nrows = k;
	});

	for (size_t i = 0; i < nrows; i++) {
		Datum values[15];
		bool nulls[15];
		FlatRow *r = &rows[i];
		bool has_frame = r->frame_index >= 0;

		if ((i & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		memset(nulls, 0, sizeof nulls);
		values[0] = Int32GetDatum(r->exception_index);
		values[1] = Int32GetDatum(r->depth);
		values[2] = CStringGetTextDatum(r->role);
		values[3] = CStringGetTextDatum(r->type);
		values[4] = CStringGetTextDatum(r->message);
		nulls[3] = r->type[0] == '\0';
		nulls[4] = r->message[0] == '\0';
		values[5] = Int32GetDatum(r->frame_index);
		nulls[5] = !has_frame;
		if (has_frame) {
			values[6] = CStringGetTextDatum(r->function);
			values[7] = CStringGetTextDatum(r->module);
			values[8] = CStringGetTextDatum(r->file);
			nulls[8] = r->file[0] == '\0';
			values[9] = Int64GetDatum(r->line);
			nulls[9] = r->line < 0;
			values[10] = Int64GetDatum(r->col);
			nulls[10] = r->col < 0;
			values[11] = BoolGetDatum(r->in_app);
			values[12] = CStringGetTextDatum(r->category);
			values[14] = CStringGetTextDatum(r->frame_key);
		} else {
			for (int c = 6; c <= 12; c++)
				nulls[c] = true;
			nulls[14] = true;
		}
		values[13] = CStringGetTextDatum(r->language);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * errtrack._raise_core_error(kind text): throws inside the core on purpose,
 * so the regression tests can prove every C++ failure class becomes a clean
 * SQL error with its SQLSTATE and the session keeps working.
 */
Datum
errtrack_raise_core_error(PG_FUNCTION_ARGS)
{
	TextArg kind = text_arg(fcinfo, 0);

	ERRTRACK_RUN_CORE("core failure test", {
		std::string k(sv(kind));
		if (k == "invalid_input")
			throw errtrack::Error(errtrack::ErrorClass::InvalidInput, "invalid input (test)");
		if (k == "invalid_data")
			throw errtrack::Error(errtrack::ErrorClass::InvalidData, "invalid data (test)");
		if (k == "too_large")
			throw errtrack::Error(errtrack::ErrorClass::TooLarge, "input too large (test)");
		if (k == "bad_alloc")
			throw std::bad_alloc();
		if (k == "std_exception")
			throw std::runtime_error("std::runtime_error (test)");
		if (k == "unknown")
			throw 42;
	});
	PG_RETURN_BOOL(true);
}

}  /* extern "C" */
