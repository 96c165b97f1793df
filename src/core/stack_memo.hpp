// stack_memo.hpp — a bounded memo of the stack part of fingerprints.
//
// Most events of one issue carry the same stack text (managed runtimes print
// no addresses; a deploy changes it, an event does not), while their messages
// differ.  StackMemo keeps the StackPart (fingerprint.hpp: parse, selection,
// frame keys) of recently seen stacks, keyed by XXH3-128 of the stack bytes,
// their length and the algorithm, and finishes each event's fingerprint with
// its own type and message.  The result is always the same value as
// compute_fingerprint(): the memo only skips re-parsing a stack it has seen.
//
// Memory: at most budget() bytes (entries and bucket arrays, accounted as the
// malloc blocks they occupy),
// in two generations — the newer one is filled to half the budget, then the
// older one is dropped and the newer one becomes it; a hit in the older one
// moves the entry forward.  So a stack seen again within about half a budget
// of distinct stacks is a hit, and no access pattern grows the memo past the
// budget.  A StackPart larger than a 16th of the budget is not kept.
// Budget 0: nothing is kept (every call parses).  Not thread-safe: one per
// backend (PostgreSQL backends and parallel workers are single-threaded).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "fingerprint.hpp"

namespace errtrack {

class StackMemo {
public:
	explicit StackMemo(size_t budget_bytes) : budget_(budget_bytes) {}

	// Same value as compute_fingerprint(type, message, stack, cancel, false, algorithm).digest.
	Digest128 fingerprint(std::string_view type, std::string_view message, std::string_view stack,
	                      const Cancel &cancel, Algorithm algorithm);

	// What a stack is kept under: XXH3-128 of its bytes, their length and the
	// algorithm (plain data: the glue's shared cache keys its entries alike).
	struct Key {
		Digest128 digest;
		uint64_t size;
		Algorithm algorithm;
		bool operator==(const Key &o) const
		{
			return digest == o.digest && size == o.size && algorithm == o.algorithm;
		}
	};

	// fingerprint() in two steps, for a second-level cache the caller keeps
	// (the glue's shared cache): lookup() checks the arguments as
	// compute_fingerprint() does, then answers Hit (`digest` set) from the
	// memo, or Miss (`key` set; counted as a miss), or Uncacheable (budget 0,
	// or a stack over the input limit: call compute_fingerprint()).  After a
	// Miss the caller gets the stack's StackPart — from its own cache, or
	// summarize_stack(stack, cancel, key.algorithm) — and keep_and_finish()
	// files it and finishes the event's digest.
	enum class Look { Hit, Miss, Uncacheable };
	Look lookup(std::string_view type, std::string_view message, std::string_view stack, Algorithm algorithm,
	            Key &key, Digest128 &digest);
	Digest128 keep_and_finish(const Key &key, StackPart &&part, std::string_view type, std::string_view message);

	// A smaller budget drops every entry; 0 keeps none.
	void set_budget(size_t bytes) noexcept;
	size_t budget() const noexcept { return budget_; }
	void clear() noexcept;

	struct Stats {
		uint64_t hits = 0, misses = 0;  // since construction (clear() keeps them)
		size_t entries = 0, bytes = 0;  // now
	};
	Stats stats() const noexcept;

	// The accounted size of one entry (exposed for tests).
	static size_t entry_bytes(const StackPart &part);

private:
	struct KeyHash {
		size_t operator()(const Key &k) const;
	};
	using Map = std::unordered_map<Key, StackPart, KeyHash>;
	bool make_room(size_t bytes);
	void keep(Map::node_type &&node, size_t bytes) noexcept;
	size_t young_total() const;  // entries + bucket array of the newer generation

	Map young_, old_;
	size_t young_bytes_ = 0, old_bytes_ = 0;
	size_t budget_;
	uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace errtrack
