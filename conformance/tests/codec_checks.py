"""Shared assertions for the zwire_codec tests: exact reports under every chunking,
and the encode(decode(x)) == x round trip.

Chunkings (FORMAT.md "Running a vector", step 2): the whole input, every chunk size
1..n, and every two-way split (including the empty first or last chunk).
"""

from zwire_codec import encode, run_decoder


def octets(hex_or_bytes):
    """Test inputs are written as hex with optional spaces."""
    if isinstance(hex_or_bytes, (bytes, bytearray)):
        return bytes(hex_or_bytes)
    return bytes.fromhex(hex_or_bytes.replace(" ", ""))


def chunkings(data):
    """Every chunking the runner uses, as lists of bytes."""
    yield [data]
    for size in range(1, len(data) + 1):
        yield [data[i:i + size] for i in range(0, len(data), size)]
    for cut in range(len(data) + 1):
        yield [data[:cut], data[cut:]]


def decode_all_ways(type_, params, data):
    """The one report every chunking gives; fails if two chunkings disagree."""
    data = octets(data)
    first = run_decoder(type_, params, [data])
    for chunks in chunkings(data):
        report = run_decoder(type_, params, chunks)
        assert report == first, f"chunking {[c.hex() for c in chunks]} differs"
    return first


def check(type_, params, data, expected):
    """The exact report under every chunking."""
    report = decode_all_ways(type_, params, data)
    assert report == expected
    return report


def check_error(type_, params, data, cls, offset, clause):
    """An error report with exactly this class, offset and clause (other keys ignored)."""
    report = decode_all_ways(type_, params, data)
    assert report["state"] == "error", report
    assert report["error"] == {"class": cls, "offset": offset, "clause": clause}
    return report


def check_round_trip(type_, params, data):
    """A canonical valid input: complete, and it encodes back to itself."""
    data = octets(data)
    report = decode_all_ways(type_, params, data)
    assert report["state"] == "complete" and report["error"] is None, report
    assert encode(type_, params, report) == data
    return report
