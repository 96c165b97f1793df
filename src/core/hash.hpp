// hash.hpp — length-prefixed XXH3-128 hashing of tagged components.
//
// Every component is written as  tag(1 byte) | length(u32 little-endian) |
// bytes,  so "ab"+"c" and "a"+"bc" can never collide.  The 128-bit result is
// rendered in XXH128's canonical (big-endian) byte order, which is what the
// uuid carries: identical on every platform.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace errtrack {

using Digest128 = std::array<uint8_t, 16>;

class Hasher {
public:
	Hasher();
	~Hasher();
	Hasher(const Hasher &) = delete;
	Hasher &operator=(const Hasher &) = delete;

	void add(char tag, std::string_view bytes);
	// Final digest; the all-zero value is reserved (remapped) so it can mean "none".
	Digest128 digest() const;

private:
	// An XXH3_state_t, in place (no allocation per fingerprint); opaque here
	// so xxhash.h stays private to hash.cpp, which checks size and alignment.
	static constexpr size_t kStateBytes = 640;
	alignas(64) unsigned char state_[kStateBytes];
	friend struct HasherAccess;
};

// One-shot XXH3-128 of raw bytes (benchmark floor, tests).
Digest128 xxh3_128(const void *data, size_t len);

std::string digest_to_uuid_text(const Digest128 &d);

}  // namespace errtrack
