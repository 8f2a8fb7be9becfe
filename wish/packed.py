"""Many byte strings kept as one buffer plus offsets: no per-string Python object."""

from __future__ import annotations

from array import array

import numpy as np


class Packed:
    """packed[i] is the i-th string, as bytes; the buffer may be a memoryview or a numpy array."""

    def __init__(self, buffer, offsets: np.ndarray):
        self.buffer, self.offsets = buffer, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self.buffer[self.offsets[i] : self.offsets[i + 1]].tobytes()


class PackedBuilder:
    """Appends strings to one growing buffer; build() gives the exact-size Packed."""

    def __init__(self):
        self._buffer = bytearray()
        self._ends = array("q")

    def add(self, data: bytes) -> None:
        self._buffer += data
        self._ends.append(len(self._buffer))

    def build(self) -> Packed:
        offsets = np.zeros(len(self._ends) + 1, np.int64)
        offsets[1:] = np.frombuffer(self._ends, np.int64)
        buffer = memoryview(bytes(self._buffer))  # exact size: a bytearray keeps ~1/8 spare room
        self._buffer, self._ends = bytearray(), array("q")
        return Packed(buffer, offsets)
