/*-------------------------------------------------------------------------
 *
 * shared_cache.cpp
 *	  The shared stack cache: parsed stacks (StackParts, encoded by
 *	  stack_part_codec.hpp) kept in shared memory for every backend.
 *
 * Each backend has its own StackMemo (errtrack.stack_cache_size).  When
 * errtrack is in shared_preload_libraries, a second level lives in shared
 * memory (errtrack.shared_stack_cache_size): a backend whose memo misses
 * looks the stack up there before parsing it, and publishes what it parsed.
 * So parallel workers of one query parse each distinct stack once between
 * them rather than once each, and a refresh job's new backend (pg_cron starts
 * one per run) starts warm.  Values never change: an entry is the StackPart
 * that summarize_stack() returned for the same stack bytes and algorithm in
 * this same library.
 *
 * Layout: a set-associative table — `nsets` sets, each of kWays entries and
 * a data area of ERRTRACK_SHARED_SET_BYTES where the set's encoded parts lie
 * packed (~200 bytes on average; a part larger than the whole area, which no
 * real trace of the repository's has, is not shared).  A set is found by the
 * stack's XXH3-128 digest; the entry holds the whole key (digest, length,
 * algorithm) and its part's place in the area.  Sets are guarded by
 * kLockPartitions LWLocks (a set's lock is its index modulo the partitions):
 * lookups take it shared and copy the part out; inserts take it exclusive,
 * drop the set's least recently used entries until the part and an entry
 * are free, pack the area when the free bytes are not at its end, and copy
 * the part in (a hit stamps its entry with the cache's insertion clock).
 * So the memory is fixed at server start, and an insert touches one set.
 *
 * Every function here runs PostgreSQL code (locks) and is called by the
 * glue only while no C++ object is alive (fingerprint_glue.cpp).
 *
 *-------------------------------------------------------------------------
 */
#include <cstring>

#include "stack_memo.hpp"

#include "glue.h"
#include "shared_cache.h"

extern "C" {
#include "access/htup_details.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/guc.h"
}

namespace {

constexpr int kWays = 8;
constexpr int kLockPartitions = 64;
constexpr const char *kTranche = "errtrack_stack_cache";

struct Entry {
	uint8 digest[16];
	uint64 size;             /* stack length */
	uint16 len;              /* encoded part's bytes; 0 = empty */
	uint16 offset;           /* where they lie in the set's area */
	uint8 algorithm;
	pg_atomic_uint64 stamp;  /* insertion clock when last inserted or hit */
};

static_assert(ERRTRACK_SHARED_SET_BYTES <= 65535, "offsets and lengths are 16-bit");

struct Header {
	uint64 nsets;
	pg_atomic_uint64 clock;  /* inserts so far */
	pg_atomic_uint64 hits, misses, inserts, not_kept;
	LWLockPadded *locks;
	/* then nsets * kWays Entry, then nsets areas of ERRTRACK_SHARED_SET_BYTES */
};

int shared_cache_kb = 32768;
bool use_shared_cache = true;
Header *hdr = NULL;
Entry *entries = NULL;
char *areas = NULL;

#if PG_VERSION_NUM >= 150000
shmem_request_hook_type prev_shmem_request_hook = NULL;
#endif
shmem_startup_hook_type prev_shmem_startup_hook = NULL;

uint64
sets_for(Size bytes)
{
	return bytes / (kWays * sizeof(Entry) + ERRTRACK_SHARED_SET_BYTES);
}

Size
segment_size(void)
{
	uint64 nsets = sets_for((Size) shared_cache_kb * 1024);
	return add_size(MAXALIGN(sizeof(Header)), mul_size(nsets, kWays * sizeof(Entry) + ERRTRACK_SHARED_SET_BYTES));
}

void
request_shmem(void)
{
#if PG_VERSION_NUM >= 150000
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
#endif
	RequestAddinShmemSpace(segment_size());
	RequestNamedLWLockTranche(kTranche, kLockPartitions);
}

void
startup_shmem(void)
{
	bool found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	hdr = (Header *) ShmemInitStruct("errtrack stack cache", segment_size(), &found);
	entries = (Entry *) ((char *) hdr + MAXALIGN(sizeof(Header)));
	if (!found) {
		hdr->nsets = sets_for((Size) shared_cache_kb * 1024);
		pg_atomic_init_u64(&hdr->clock, 0);
		pg_atomic_init_u64(&hdr->hits, 0);
		pg_atomic_init_u64(&hdr->misses, 0);
		pg_atomic_init_u64(&hdr->inserts, 0);
		pg_atomic_init_u64(&hdr->not_kept, 0);
		hdr->locks = GetNamedLWLockTranche(kTranche);
		for (uint64 i = 0; i < hdr->nsets * kWays; i++) {
			memset(&entries[i], 0, offsetof(Entry, stamp));
			pg_atomic_init_u64(&entries[i].stamp, 0);
		}
	}
	areas = (char *) (entries + hdr->nsets * kWays);
	LWLockRelease(AddinShmemInitLock);
}

uint64
set_of(const errtrack::StackMemo::Key &key)
{
	uint64 h;
	memcpy(&h, key.digest.data(), sizeof h);
	return h % hdr->nsets;
}

bool
same_key(const Entry *e, const errtrack::StackMemo::Key &key)
{
	return e->len != 0 && e->size == key.size && e->algorithm == (uint8) key.algorithm &&
	       memcmp(e->digest, key.digest.data(), 16) == 0;
}

LWLock *
lock_of(uint64 set)
{
	return &hdr->locks[set % kLockPartitions].lock;
}

}  // namespace

void
errtrack_shared_cache_init(void)
{
	DefineCustomBoolVariable("errtrack.use_shared_stack_cache",
	                         "Whether errtrack.fingerprint() uses the shared stack cache in this session.",
	                         "Off: this session neither reads nor adds to it (e.g. a one-off scan of stacks "
	                         "that will not repeat). No effect when the shared cache is off.",
	                         &use_shared_cache, true, PGC_USERSET, 0, NULL, NULL, NULL);
	/* A PGC_POSTMASTER setting can only be defined while preloading (later it
	 * is FATAL: "cannot create PGC_POSTMASTER variables after startup"). */
	if (!process_shared_preload_libraries_in_progress)
		return;
	DefineCustomIntVariable("errtrack.shared_stack_cache_size",
	                        "Shared memory for the stack texts errtrack.fingerprint() has parsed, for all backends.",
	                        "Needs errtrack in shared_preload_libraries. A backend whose own stack cache misses "
	                        "takes the parsed stack from here before parsing it, and adds what it parsed. "
	                        "The values are the same with any size. 0 turns it off.",
	                        &shared_cache_kb, 32768, 0, 4 * 1024 * 1024, PGC_POSTMASTER, GUC_UNIT_KB,
	                        NULL, NULL, NULL);
	if (sets_for((Size) shared_cache_kb * 1024) == 0)
		return;  /* off (or too small for one set) */
#if PG_VERSION_NUM >= 150000
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = request_shmem;
#else
	request_shmem();
#endif
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = startup_shmem;
}

namespace {

bool
shared_cache_exists(void)
{
	return hdr != NULL && hdr->nsets > 0;
}

}  // namespace

bool
errtrack_shared_cache_enabled(void)
{
	return use_shared_cache && shared_cache_exists();
}

size_t
errtrack_shared_cache_get(const errtrack::StackMemo::Key &key, char *buf)
{
	uint64 set = set_of(key);
	size_t len = 0;
	Entry *e = &entries[set * kWays];

	LWLockAcquire(lock_of(set), LW_SHARED);
	for (int w = 0; w < kWays; w++) {
		if (same_key(&e[w], key)) {
			len = e[w].len;
			memcpy(buf, areas + set * ERRTRACK_SHARED_SET_BYTES + e[w].offset, len);
			pg_atomic_write_u64(&e[w].stamp, pg_atomic_read_u64(&hdr->clock));
			break;
		}
	}
	LWLockRelease(lock_of(set));
	pg_atomic_fetch_add_u64(len ? &hdr->hits : &hdr->misses, 1);
	return len;
}

namespace {

/*
 * Packs the set's parts at the start of its area, in the order they lie
 * (each moves towards the front, so memmove never overwrites one not yet
 * moved); returns where the free bytes begin.
 */
uint32
pack_area(Entry *e, char *area)
{
	int order[kWays], n = 0;
	for (int w = 0; w < kWays; w++)
		if (e[w].len != 0)
			order[n++] = w;
	for (int i = 1; i < n; i++)  /* (insertion sort of at most kWays) */
		for (int j = i; j > 0 && e[order[j - 1]].offset > e[order[j]].offset; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	uint32 end = 0;
	for (int i = 0; i < n; i++) {
		Entry *x = &e[order[i]];
		if (x->offset != end)
			memmove(area + end, area + x->offset, x->len);
		x->offset = (uint16) end;
		end += x->len;
	}
	return end;
}

}  // namespace

void
errtrack_shared_cache_put(const errtrack::StackMemo::Key &key, const char *blob, size_t len)
{
	uint64 set = set_of(key);
	Entry *e = &entries[set * kWays];
	char *area = areas + set * ERRTRACK_SHARED_SET_BYTES;
	bool inserted = false;

	if (len == 0 || len > ERRTRACK_SHARED_SET_BYTES) {
		pg_atomic_fetch_add_u64(&hdr->not_kept, 1);
		return;
	}
	LWLockAcquire(lock_of(set), LW_EXCLUSIVE);
	int free_way = -1;
	uint32 used = 0, end = 0;
	bool present = false;
	for (int w = 0; w < kWays; w++) {
		if (same_key(&e[w], key))
			present = true;  /* another backend published it meanwhile */
		if (e[w].len == 0)
			free_way = w;
		used += e[w].len;
		if (e[w].len != 0 && (uint32) e[w].offset + e[w].len > end)
			end = e[w].offset + e[w].len;
	}
	if (!present) {
		/* drop the least recently used entries until an entry and len bytes are free */
		while (free_way < 0 || ERRTRACK_SHARED_SET_BYTES - used < len) {
			int lru = -1;
			for (int w = 0; w < kWays; w++)
				if (e[w].len != 0 &&
				    (lru < 0 || pg_atomic_read_u64(&e[w].stamp) < pg_atomic_read_u64(&e[lru].stamp)))
					lru = w;
			used -= e[lru].len;
			e[lru].len = 0;
			free_way = lru;
			end = UINT32_MAX;  /* (recomputed by packing) */
		}
		if (end == UINT32_MAX || ERRTRACK_SHARED_SET_BYTES - end < len)
			end = pack_area(e, area);
		Entry *v = &e[free_way];
		memcpy(v->digest, key.digest.data(), 16);
		v->size = key.size;
		v->algorithm = (uint8) key.algorithm;
		v->len = (uint16) len;
		v->offset = (uint16) end;
		memcpy(area + end, blob, len);
		pg_atomic_write_u64(&v->stamp, pg_atomic_fetch_add_u64(&hdr->clock, 1) + 1);
		inserted = true;
	}
	LWLockRelease(lock_of(set));
	if (inserted)
		pg_atomic_fetch_add_u64(&hdr->inserts, 1);
}

extern "C" {

ERRTRACK_SQL_FUNCTION(errtrack_shared_stack_cache_stats);
ERRTRACK_SQL_FUNCTION(errtrack_shared_stack_cache_reset);

/*
 * errtrack.shared_stack_cache_stats() -> (hits, misses, inserts, oversized,
 * entries, bytes, size): all zero when the shared cache is off.  `entries` and
 * `bytes` are read without locks (a moment's view).
 */
Datum
errtrack_shared_stack_cache_stats(PG_FUNCTION_ARGS)
{
	TupleDesc tupdesc;
	Datum values[7];
	bool nulls[7] = {false, false, false, false, false, false, false};
	int64 n = 0, bytes = 0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("function returning record called in context that cannot accept type record")));
	bool on = shared_cache_exists();
	if (on) {
		for (uint64 i = 0; i < hdr->nsets * kWays; i++) {
			uint32 len = entries[i].len;
			if (len != 0) {
				n++;
				bytes += len;
			}
		}
	}
	values[0] = Int64GetDatum(on ? (int64) pg_atomic_read_u64(&hdr->hits) : 0);
	values[1] = Int64GetDatum(on ? (int64) pg_atomic_read_u64(&hdr->misses) : 0);
	values[2] = Int64GetDatum(on ? (int64) pg_atomic_read_u64(&hdr->inserts) : 0);
	values[3] = Int64GetDatum(on ? (int64) pg_atomic_read_u64(&hdr->not_kept) : 0);
	values[4] = Int64GetDatum(n);
	values[5] = Int64GetDatum(bytes);
	values[6] = Int64GetDatum(on ? (int64) segment_size() : 0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/* errtrack.shared_stack_cache_reset(): empties the shared cache, zeroes its counters */
Datum
errtrack_shared_stack_cache_reset(PG_FUNCTION_ARGS)
{
	if (!shared_cache_exists())
		PG_RETURN_VOID();
	for (int p = 0; p < kLockPartitions; p++)
		LWLockAcquire(&hdr->locks[p].lock, LW_EXCLUSIVE);
	for (uint64 i = 0; i < hdr->nsets * kWays; i++) {
		entries[i].len = 0;
		pg_atomic_write_u64(&entries[i].stamp, 0);
	}
	pg_atomic_write_u64(&hdr->hits, 0);
	pg_atomic_write_u64(&hdr->misses, 0);
	pg_atomic_write_u64(&hdr->inserts, 0);
	pg_atomic_write_u64(&hdr->not_kept, 0);
	for (int p = kLockPartitions - 1; p >= 0; p--)
		LWLockRelease(&hdr->locks[p].lock);
	PG_RETURN_VOID();
}

}  /* extern "C" */
