"""A small reader of TensorBoard event files, without TensorFlow or protobuf.

An event file is a TFRecord stream: ``uint64 length, uint32 masked crc32c(length), data,
uint32 masked crc32c(data)``. Each record is an ``Event`` protobuf; scalars are in
``Event.summary.value[]`` as ``simple_value`` (PyTorch's SummaryWriter, TF1) or as a rank-0
``tensor`` (TF2 / Keras: ``float_val``, ``double_val`` or raw ``tensor_content``). Only the fields
needed for scalars are decoded; everything else is skipped by wire type.

Every point is kept (TensorBoard's own loader samples 10,000 scalars per tag by default).
The length CRC of every record is checked (that is what tells a TFRecord from a binary file that
merely has the name; a run writes records of a few lengths, so each distinct header is computed
once); the data CRC is not, for speed, as a torn write shows as a short record.
"""

from __future__ import annotations

import struct
from typing import Iterator

_MASK_DELTA = 0xA282EAD8


def _crc32c_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


class EventFileError(Exception):
    """The file is not (or no longer) a TFRecord stream; ``records_read`` were fine before it."""

    def __init__(self, message: str, records_read: int) -> None:
        super().__init__(message)
        self.records_read = records_read


def _varint(buf: memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def _fields(buf: memoryview) -> Iterator[tuple[int, int, object]]:
    """(field number, wire type, value) for each field; length-delimited values as memoryview."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value = buf[pos:pos + 8]
            pos += 8
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value = buf[pos:pos + length]
            pos += length
        elif wire == 5:
            value = buf[pos:pos + 4]
            pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, wire, value


_F32 = struct.Struct("<f").unpack
_F64 = struct.Struct("<d").unpack
_DT_FLOAT, _DT_DOUBLE, _DT_INT32, _DT_INT64, _DT_HALF, _DT_BFLOAT16 = 1, 2, 3, 9, 19, 14


def _tensor_scalar(buf: memoryview) -> float | None:
    """The value of a rank-0 numeric TensorProto, else None."""
    dtype = 0
    rank0 = True
    content = None
    value = None
    for number, wire, field in _fields(buf):
        if number == 1:
            dtype = field
        elif number == 2:
            # TensorShapeProto: any dim (field 2) with size != 1 makes it not a scalar
            for dnum, _, dim in _fields(field):
                if dnum == 2:
                    size = next((v for n, _, v in _fields(dim) if n == 1), 0)
                    if size != 1:
                        rank0 = False
        elif number == 4:
            content = bytes(field)
        elif number == 5:  # float_val, packed (wire 2) or not (wire 5)
            value = _F32(bytes(field[:4]))[0] if len(field) >= 4 else None
        elif number == 6:
            value = _F64(bytes(field[:8]))[0] if len(field) >= 8 else None
        elif number in (7, 10) and wire == 0:
            value = float(field)
        elif number in (7, 10) and wire == 2:
            value = float(_varint(field, 0)[0]) if len(field) else None
    if not rank0:
        return None
    if value is None and content is not None:
        if dtype == _DT_FLOAT and len(content) == 4:
            value = _F32(content)[0]
        elif dtype == _DT_DOUBLE and len(content) == 8:
            value = _F64(content)[0]
        elif dtype == _DT_INT32 and len(content) == 4:
            value = float(struct.unpack("<i", content)[0])
        elif dtype == _DT_INT64 and len(content) == 8:
            value = float(struct.unpack("<q", content)[0])
    if dtype not in (0, _DT_FLOAT, _DT_DOUBLE, _DT_INT32, _DT_INT64, _DT_HALF, _DT_BFLOAT16):
        return None
    return value


_F64_AT = struct.Struct("<d").unpack_from
_F32_AT = struct.Struct("<f").unpack_from
_U32_AT = struct.Struct("<I").unpack_from
_U64_AT = struct.Struct("<Q").unpack_from
# Field keys (number << 3 | wire type) of the messages on the way to a scalar.
_VALUE, _TAG, _SIMPLE_VALUE, _TENSOR = 0x0A, 0x0A, 0x15, 0x42


def scalars(data: bytes) -> tuple[list[tuple[str, int, float, float]], EventFileError | None]:
    """All scalar points ``(tag, step, wall_time, value)`` and the error that stopped reading.

    One pass over the bytes, fields read in place by offset (no per-field objects): a file of
    100,000 scalars is read several times faster than with a generic field iterator.
    """
    out: list[tuple[str, int, float, float]] = []
    tags: dict[bytes, str] = {}
    headers: dict[bytes, bool] = {}  # a run writes records of a few lengths: each header's CRC once
    pos, size, count = 0, len(data), 0
    try:
        while pos < size:
            if size - pos < 12:
                raise EventFileError(f"truncated record header at byte {pos}", count)
            header = data[pos:pos + 12]
            valid = headers.get(header)
            if valid is None:
                valid = headers[header] = masked_crc(header[:8]) == _U32_AT(header, 8)[0]
            if not valid:
                raise EventFileError(f"bad record header at byte {pos} (not a TFRecord event file?)", count)
            start = pos + 12
            end = start + _U64_AT(header, 0)[0]
            if end + 4 > size:
                raise EventFileError(f"truncated last record at byte {pos} ({size - start} of {end + 4 - start} bytes)",
                                     count)
            _event_scalars(data, start, end, out, tags)
            count += 1
            pos = end + 4
    except EventFileError as exc:
        return out, exc
    except (ValueError, IndexError, struct.error) as exc:
        return out, EventFileError(f"undecodable event record ({exc})", count)
    return out, None


def _key(data: bytes, pos: int) -> tuple[int, int]:
    key = data[pos]
    return (key, pos + 1) if key < 0x80 else _varint(data, pos)


def _skip(data: bytes, pos: int, key: int) -> int:
    """The position after the value of a field whose key was just read."""
    wire = key & 7
    if wire == 0:
        return _varint(data, pos)[1]
    if wire == 1:
        return pos + 8
    if wire == 2:
        length, pos = _key(data, pos)
        return pos + length
    if wire == 5:
        return pos + 4
    raise ValueError(f"unsupported wire type {wire}")


def _event_scalars(data: bytes, pos: int, end: int, out: list, tags: dict) -> None:
    """Append the scalars of the ``Event`` at ``data[pos:end]``: ``wall_time`` (1), ``step`` (2),
    ``summary`` (5) whose ``value`` (1) holds ``tag`` (1) and ``simple_value`` (2) or a rank-0
    ``tensor`` (8). Keys and lengths under 128 (nearly all of them) are read inline."""
    wall, step = 0.0, 0
    summaries = []
    while pos < end:
        key = data[pos]
        pos += 1
        if key >= 0x80:
            key, pos = _varint(data, pos - 1)
        if key == 0x09:
            wall = _F64_AT(data, pos)[0]
            pos += 8
        elif key == 0x10:
            step, pos = _key(data, pos)
        elif key == 0x2A:
            length, pos = _key(data, pos)
            summaries.append((pos, pos + length))
            pos += length
        else:
            pos = _skip(data, pos, key)
    if pos != end:
        raise ValueError("a field runs past the end of its record")
    if step >= 1 << 63:
        step -= 1 << 64
    for pos, summary_end in summaries:
        while pos < summary_end:
            key = data[pos]
            pos += 1
            if key != _VALUE:
                if key >= 0x80:
                    key, pos = _varint(data, pos - 1)
                pos = _skip(data, pos, key)
                continue
            length = data[pos]
            pos += 1
            if length >= 0x80:
                length, pos = _varint(data, pos - 1)
            value_end = pos + length
            tag, value = None, None
            while pos < value_end:
                key = data[pos]
                pos += 1
                if key == _TAG:
                    length = data[pos]
                    pos += 1
                    if length >= 0x80:
                        length, pos = _varint(data, pos - 1)
                    raw = data[pos:pos + length]
                    tag = tags.get(raw)
                    if tag is None:
                        tag = tags[raw] = raw.decode("utf-8", "replace")
                    pos += length
                elif key == _SIMPLE_VALUE:
                    value = _F32_AT(data, pos)[0]
                    pos += 4
                elif key == _TENSOR:
                    length, pos = _key(data, pos)
                    value = _tensor_scalar(memoryview(data)[pos:pos + length])
                    pos += length
                else:
                    if key >= 0x80:
                        key, pos = _varint(data, pos - 1)
                    pos = _skip(data, pos, key)
            if pos != value_end:
                raise ValueError("a summary value runs past its end")
            if tag is not None and value is not None:
                out.append((tag, step, wall, value))
        if pos != summary_end:
            raise ValueError("a summary runs past its end")
