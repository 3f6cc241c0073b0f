"""A small reader of TensorBoard event files, without TensorFlow or protobuf.

An event file is a TFRecord stream: ``uint64 length, uint32 masked crc32c(length), data,
uint32 masked crc32c(data)``. Each record is an ``Event`` protobuf; scalars are in
``Event.summary.value[]`` as ``simple_value`` (PyTorch's SummaryWriter, TF1) or as a rank-0
``tensor`` (TF2 / Keras: ``float_val``, ``double_val`` or raw ``tensor_content``). Only the fields
needed for scalars are decoded; everything else is skipped by wire type.

Every point is kept (TensorBoard's own loader samples 10,000 scalars per tag by default).
The length CRC of every record is checked (that is what tells a TFRecord from a binary file that
merely has the name); the data CRC is not, for speed, as a torn write shows as a short record.
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


def iter_records(data: bytes) -> Iterator[memoryview]:
    view = memoryview(data)
    pos, size, count = 0, len(data), 0
    unpack_q, unpack_i = struct.Struct("<Q").unpack_from, struct.Struct("<I").unpack_from
    while pos < size:
        if size - pos < 12:
            raise EventFileError(f"truncated record header at byte {pos}", count)
        header = data[pos:pos + 8]
        (length,) = unpack_q(data, pos)
        (length_crc,) = unpack_i(data, pos + 8)
        if masked_crc(header) != length_crc:
            raise EventFileError(f"bad record header at byte {pos} (not a TFRecord event file?)", count)
        start = pos + 12
        end = start + length
        if end + 4 > size:
            raise EventFileError(f"truncated last record at byte {pos} ({size - start} of {length + 4} bytes)",
                                 count)
        yield view[start:end]
        count += 1
        pos = end + 4


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


def scalars(data: bytes) -> tuple[list[tuple[str, int, float, float]], EventFileError | None]:
    """All scalar points ``(tag, step, wall_time, value)`` and the error that stopped reading."""
    out = []
    append = out.append
    error = None
    try:
        for record in iter_records(data):
            step = 0
            wall = 0.0
            summary = None
            for number, wire, field in _fields(record):
                if number == 1 and wire == 1:
                    wall = _F64(field)[0]
                elif number == 2 and wire == 0:
                    step = field
                elif number == 5 and wire == 2:
                    summary = field
            if summary is None:
                continue
            for number, wire, value_msg in _fields(summary):
                if number != 1:
                    continue
                tag = None
                value = None
                for vnum, vwire, field in _fields(value_msg):
                    if vnum == 1:
                        tag = bytes(field).decode("utf-8", "replace")
                    elif vnum == 2 and vwire == 5:
                        value = _F32(field)[0]
                    elif vnum == 8:
                        value = _tensor_scalar(field)
                if tag is not None and value is not None:
                    if step >= 1 << 63:
                        step -= 1 << 64
                    append((tag, step, wall, value))
    except EventFileError as exc:
        error = exc
    except (ValueError, IndexError, struct.error) as exc:
        error = EventFileError(f"undecodable event record ({exc})", len(out))
    return out, error
