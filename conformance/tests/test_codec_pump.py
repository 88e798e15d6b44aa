"""zwire_codec.pump: exact and Some requests, zero-length requests, stop on result/error."""

from zwire_codec.errors import DecodeError
from zwire_codec.pump import Pump, Some


def pairs():
    first = yield 2
    empty = yield 0
    second = yield 2
    return first + empty + second


def test_exact_requests_are_buffered_across_chunks():
    pump = Pump(pairs())
    assert pump.push(b"a") == 1 and not pump.done
    assert pump.push(b"bcd") == 3
    assert pump.done and pump.result == b"abcd"


def test_pump_stops_consuming_when_done():
    pump = Pump(pairs())
    assert pump.push(b"abcdef") == 4
    assert pump.push(b"x") == 0


def test_zero_request_at_start_is_answered_at_once():
    def empty():
        data = yield 0
        return data
    pump = Pump(empty())
    assert pump.done and pump.result == b""


def test_some_delivers_what_is_there():
    seen = []

    def body():
        left = 5
        while left:
            piece = yield Some(left)
            seen.append(piece)
            left -= len(piece)
        return True
    pump = Pump(body())
    pump.push(b"ab")
    pump.push(b"cdefg")
    assert seen == [b"ab", b"cde"] and pump.done


def test_error_is_sticky():
    def bad():
        yield 1
        raise DecodeError("invalid-flags", 0, "zmtp31.frame.flags-reserved")
    pump = Pump(bad())
    assert pump.push(b"\xff\x00") == 1
    assert pump.error == DecodeError("invalid-flags", 0, "zmtp31.frame.flags-reserved")
    assert pump.push(b"\x00") == 0
