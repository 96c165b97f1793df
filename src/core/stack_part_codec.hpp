// stack_part_codec.hpp — a StackPart (fingerprint.hpp) as a flat byte string.
//
// For caches outside one process's heap: the glue's shared stack cache
// (src/glue/shared_cache.cpp) stores the StackParts one backend computed in
// shared memory so that other backends — parallel workers of the same query,
// the next refresh job's new backend — finish fingerprints from them instead
// of parsing the stack again.  decode(encode(p)) == p, field for field; a
// blob is only ever read by the binary that wrote it (a shared segment lives
// as long as the postmaster that loaded this library), but decode checks
// every length anyway and refuses what it did not write (false, `out`
// unspecified): a cache miss, never a wrong value or a read past the end.
//
// Layout (little-endian host order; no cross-machine use): magic 'E' 'S',
// format 1, algorithm, lang, flags (primary_is_outer, dump_chain,
// library_key), primary_depth (int32), exceptions (uint32), then six
// strings (primary_type, primary_message, outer_type, outer_frame, api,
// cause_message) and
// two string lists (frames, frames_logging_cut), each string a uint32 length
// and its bytes, each list a uint32 count and its strings.
#pragma once
#include <string>
#include <string_view>

#include "fingerprint.hpp"

namespace errtrack {

// Appends nothing on failure; throws std::bad_alloc only.
void encode_stack_part(const StackPart &part, std::string &out);
// The encoded size, without encoding (to skip parts that will not fit).
size_t encoded_stack_part_size(const StackPart &part) noexcept;
bool decode_stack_part(std::string_view blob, StackPart &out);
bool operator==(const StackPart &a, const StackPart &b);

}  // namespace errtrack
