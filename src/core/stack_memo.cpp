// stack_memo.cpp — see stack_memo.hpp.
#include "stack_memo.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core_only.hpp"

namespace errtrack {

namespace {

// What one heap block of n bytes occupies in glibc's malloc: the request
// plus an 8-byte header, rounded up to 16, at least 32.
size_t
block(size_t n)
{
	size_t b = (n + 8 + 15) & ~size_t(15);
	return b < 32 ? 32 : b;
}

size_t
string_heap(const std::string &s)
{
	// Short strings live inside the object (libstdc++'s SSO: 15 bytes).
	return s.capacity() > 15 ? block(s.capacity() + 1) : 0;
}

size_t
strings_heap(const std::vector<std::string> &v)
{
	size_t n = v.capacity() ? block(v.capacity() * sizeof(std::string)) : 0;
	for (const std::string &s : v)
		n += string_heap(s);
	return n;
}

// A map's bucket array (an empty map's single bucket lives inside it).
template <class M>
size_t
buckets_heap(const M &m)
{
	return m.bucket_count() > 1 ? block(m.bucket_count() * sizeof(void *)) : 0;
}

}  // namespace

size_t
StackMemo::entry_bytes(const StackPart &p)
{
	// The hash node (next pointer, key, value, cached hash) and what the
	// StackPart owns on the heap, as malloc blocks; bucket arrays are counted
	// by young_total() and stats().
	size_t n = block(sizeof(void *) + sizeof(Key) + sizeof(StackPart) + sizeof(size_t));
	n += string_heap(p.primary_type) + string_heap(p.primary_message) + string_heap(p.outer_type);
	n += string_heap(p.outer_frame) + string_heap(p.api) + string_heap(p.cause_message);
	n += strings_heap(p.frames) + strings_heap(p.frames_logging_cut);
	return n;
}

size_t
StackMemo::KeyHash::operator()(const Key &k) const
{
	size_t h;
	std::memcpy(&h, k.digest.data(), sizeof h);
	return h;
}

void
StackMemo::clear() noexcept
{
	Map().swap(young_);
	Map().swap(old_);
	young_bytes_ = old_bytes_ = 0;
}

void
StackMemo::set_budget(size_t bytes) noexcept
{
	if (bytes < budget_)
		clear();
	budget_ = bytes;
}

size_t
StackMemo::young_total() const
{
	return young_bytes_ + buckets_heap(young_);
}

// Room in the newer generation for one more entry of `bytes`, counting the
// bucket array as the insert will leave it: when the insert must grow the
// array (libstdc++ grows it to a prime over twice its size), the check
// allows for three times the present array before growing it (reserve), so
// neither generation ever holds more than half the budget.  When the newer
// generation is full it becomes the older one, whose entries are dropped.
bool
StackMemo::make_room(size_t bytes)
{
	for (int round = 0; round < 2; round++) {
		const bool grows = double(young_.size() + 1) > double(young_.bucket_count()) * young_.max_load_factor();
		const size_t growth = grows ? block(3 * std::max<size_t>(young_.bucket_count(), 13) * sizeof(void *)) : 0;
		if (young_total() + growth + bytes <= budget_ / 2) {
			young_.reserve(young_.size() + 1);
			return young_total() + bytes <= budget_ / 2;
		}
		if (round == 0) {
			Map().swap(old_);
			old_.swap(young_);
			old_bytes_ = young_bytes_;
			young_bytes_ = 0;
		}
	}
	return false;
}

StackMemo::Stats
StackMemo::stats() const noexcept
{
	Stats s;
	s.hits = hits_;
	s.misses = misses_;
	s.entries = young_.size() + old_.size();
	s.bytes = young_total() + old_bytes_ + buckets_heap(old_);
	return s;
}

Digest128
StackMemo::fingerprint(std::string_view type, std::string_view message, std::string_view stack,
                       const Cancel &cancel, Algorithm algorithm)
{
	Key key{};
	Digest128 digest{};
	switch (lookup(type, message, stack, algorithm, key, digest)) {
	case Look::Hit:
		return digest;
	case Look::Uncacheable:
		return compute_fingerprint(type, message, stack, cancel, false, algorithm).digest;
	case Look::Miss:
		break;
	}
	return keep_and_finish(key, summarize_stack(stack, cancel, algorithm), type, message);
}

StackMemo::Look
StackMemo::lookup(std::string_view type, std::string_view message, std::string_view stack, Algorithm algorithm,
                  Key &key, Digest128 &digest)
{
	if (budget_ == 0)
		return Look::Uncacheable;
	check_fingerprint_args(type, message, algorithm);  // (as compute_fingerprint, before any parse)
	if (stack.size() > Limits::max_input_bytes)  // (parse_stack's own check: never a key)
		return Look::Uncacheable;

	key = Key{xxh3_128(stack.data(), stack.size()), stack.size(), algorithm};
	auto it = young_.find(key);
	if (it != young_.end()) {
		hits_++;
		digest = finish_digest(it->second, type, message);
		return Look::Hit;
	}
	auto ot = old_.find(key);
	if (ot != old_.end()) {
		hits_++;
		// Move the entry to the newer generation (the node moves, no copy).
		size_t bytes = entry_bytes(ot->second);
		auto node = old_.extract(ot);
		old_bytes_ -= bytes;
		digest = finish_digest(node.mapped(), type, message);
		keep(std::move(node), bytes);
		return Look::Hit;
	}
	return Look::Miss;  // (counted by keep_and_finish: an interrupted parse is retried)
}

Digest128
StackMemo::keep_and_finish(const Key &key, StackPart &&part, std::string_view type, std::string_view message)
{
	misses_++;
	Digest128 digest = finish_digest(part, type, message);
	size_t bytes = entry_bytes(part);
	if (bytes <= budget_ / 16) {
		try {
			// (`key` is the one lookup() just missed: absent from both generations)
			if (make_room(bytes) && young_.emplace(key, std::move(part)).second)
				young_bytes_ += bytes;
		} catch (...) {
			// No memory for the entry: not kept, not an error (the digest is done).
		}
	}
	return digest;
}

// Files an extracted node in the newer generation when it fits the budget;
// one it cannot keep (no room, or no memory for a bigger bucket array) is
// dropped, never an error: the caller has its digest already.
void
StackMemo::keep(Map::node_type &&node, size_t bytes) noexcept
{
	try {
		if (!make_room(bytes))
			return;
		young_.insert(std::move(node));  // (buckets reserved: no allocation)
		young_bytes_ += bytes;
	} catch (...) {
		// (reserve() failed: nothing changed but possibly the generations' order)
	}
}

}  // namespace errtrack
