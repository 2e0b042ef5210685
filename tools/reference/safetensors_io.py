"""Minimal reader/writer for the safetensors format (no dependency beyond torch + numpy).

Debian (bookworm) ships no python3-safetensors package, so the fixtures generator and the
checkpoint loader use this small implementation of the format instead:

    bytes 0..7     N, the header length, unsigned 64-bit little-endian
    bytes 8..8+N   UTF-8 JSON header:
                     {"__metadata__": {"key": "string value", ...},          (optional)
                      "tensor.name": {"dtype": "F32", "shape": [d0, d1, ...],
                                      "data_offsets": [begin, end]}, ...}
                   padded at the end with spaces (0x20) so that 8 + N is a multiple of 8
    bytes 8+N..    the raw tensor bytes, little-endian, row-major (C order); data_offsets
                   are relative to the first byte after the header, and the tensors tile the
                   data area exactly (no gaps, no overlap).
"""

import json
import struct

import numpy as np
import torch

# safetensors dtype code <-> (numpy little-endian dtype, torch dtype)
_DTYPES = {
    "F64": ("<f8", torch.float64),
    "F32": ("<f4", torch.float32),
    "F16": ("<f2", torch.float16),
    "I64": ("<i8", torch.int64),
    "I32": ("<i4", torch.int32),
    "I16": ("<i2", torch.int16),
    "I8": ("i1", torch.int8),
    "U8": ("u1", torch.uint8),
    "BOOL": ("?", torch.bool),
}
_TORCH_TO_CODE = {tdt: code for code, (_, tdt) in _DTYPES.items()}


def write_safetensors(path, tensors, metadata=None):
    """Write an ordered mapping name -> torch.Tensor to `path` in safetensors format.

    Tensors are laid out in the mapping's order. `metadata` values must be strings (as the
    format requires)."""
    header = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(v, str):
                raise TypeError(f"metadata value for {k!r} must be a string")
        header["__metadata__"] = dict(metadata)
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        if t.dtype not in _TORCH_TO_CODE:
            raise TypeError(f"unsupported dtype {t.dtype} for {name}")
        code = _TORCH_TO_CODE[t.dtype]
        raw = t.numpy().astype(_DTYPES[code][0], copy=False).tobytes(order="C")
        header[name] = {"dtype": code, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((-len(hbytes)) % 8)          # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """Read a safetensors file. Returns (dict name -> torch.Tensor in file order, metadata dict)."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", buf[:8])
    if 8 + n > len(buf):
        raise ValueError(f"{path}: header length {n} exceeds file size {len(buf)}")
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = buf[8 + n:]
    metadata = header.pop("__metadata__", None) or {}
    # Check that the tensors tile the data area exactly, as the reference implementation does.
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    pos = 0
    for begin, end, name in spans:
        if begin != pos or end < begin:
            raise ValueError(f"{path}: tensor {name} has data_offsets [{begin}, {end}], expected to start at {pos}")
        pos = end
    if pos != len(data):
        raise ValueError(f"{path}: tensors cover {pos} bytes of a {len(data)}-byte data area")
    tensors = {}
    for name, info in header.items():
        code = info["dtype"]
        if code not in _DTYPES:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {code}")
        npdt, _ = _DTYPES[code]
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        arr = np.frombuffer(data[begin:end], dtype=npdt)
        if arr.size != int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: tensor {name} has {arr.size} elements, shape {list(shape)}")
        tensors[name] = torch.from_numpy(arr.reshape(shape).astype(arr.dtype.newbyteorder("="), copy=True))
    return tensors, metadata
