#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz harnesses (tests/fuzz/corpus/<harness>/): small good files and the
bad inputs of issue 12 as regression inputs. The model_file seeds come from the engine's writer (see
README.md beside this script). Run from anywhere; rewrites the files it owns."""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(harness, name, data):
    folder = os.path.join(HERE, "corpus", harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("latin-1"))


def gz(data):
    return gzip.compress(data, 9, mtime=0)


def images(count, rows, cols, pixels=None):
    head = struct.pack(">IIII", 0x803, count, rows, cols)
    return head + (bytes((i * 37) % 256 for i in range(count * rows * cols)) if pixels is None else pixels)


def labels(values):
    return struct.pack(">II", 0x801, len(values)) + bytes(values)


def bomb(header, zeros):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = z.compress(header)
    block = bytes(1 << 20)
    for _ in range(zeros >> 20):
        out += z.compress(block)
    return out + z.flush()


def fnv(text):
    h = 1469598103934665603
    for c in text:
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "fnv1a64:%016x" % h


def label_file(rows, version=2, fingerprint="fnv1a64:00000000deadbeef"):
    body = "index,label,source\n" + "".join("%d,%d,%s\n" % r for r in rows)
    head = "# latentlab labels %d\n# dataset %s\n" % (version, fingerprint)
    summed = body if version == 1 else head + body
    return head + body + "# end %d %s\n" % (len(rows), fnv(summed.encode()))


# IDX, as the file's bytes (fuzz_idx): good raw and gzip files, then issue 12's bad inputs.
put("idx", "images-2x3x4", images(2, 3, 4))
put("idx", "labels-6", labels([0, 1, 2, 3, 4, 5]))
put("idx", "images-3x28x28.gz", gz(images(3, 28, 28)))
put("idx", "labels-6.gz", gz(labels([9, 8, 7, 6, 5, 4])))
put("idx", "two-members.gz", gz(labels([1, 2, 3, 4])[:9]) + gz(labels([1, 2, 3, 4])[9:]))
put("idx", "regression-46341x46341", images(1, 46341, 46341, bytes(64)))  # UBSan: int overflow in Mnist.cpp
put("idx", "regression-46341x46341.gz", bomb(images(1, 46341, 46341, b""), 1 << 20))
put("idx", "regression-overflow-dims", images(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, bytes(16)))
put("idx", "regression-bomb.gz", bomb(images(10, 28, 28, b""), 8 << 20))  # 10 images announced, 8 MiB inside
put("idx", "regression-trailing-garbage.gz", gz(labels([1, 2, 3])) + b"trailing garbage")
put("idx", "regression-truncated.gz", gz(images(4, 28, 28))[:-9])
put("idx", "regression-truncated-raw", images(4, 28, 28)[:500])

# IDX contents that fuzz_idx_gzip compresses itself (first byte: 0 one member, 1 two members, 2 trailing).
for mode in (0, 1, 2):
    put("idx_gzip", "images-%d" % mode, bytes([mode]) + images(2, 4, 4))
    put("idx_gzip", "labels-%d" % mode, bytes([mode, 7]) + labels([3, 1, 4, 1, 5]))
put("idx_gzip", "regression-46341x46341", b"\x00" + images(1, 46341, 46341, bytes(32)))
put("idx_gzip", "regression-long", b"\x00" + labels([1, 2]) + bytes(300))

# Label files (fuzz_label_file; first byte odd: the harness reseals the checksum).
good = label_file([(0, 3, "user"), (7, 1, "initial"), (12, 9, "accepted-prediction"), (30, 0, "dataset")])
put("label_file", "good-v2", "\x00" + good)
put("label_file", "good-v2-resealed", "\x01" + good)
put("label_file", "good-v1", "\x00" + label_file([(5, 2, "user"), (6, 4, "user")], version=1))
put("label_file", "empty-v2", "\x00" + label_file([]))
put("label_file", "regression-end-on-line-2", "\x01# latentlab labels 1\n# dataset x# end 0 fnv1a64:0\n")  # out_of_range
put("label_file", "regression-end-on-line-2b", "\x01# latentlab labels 2\n# end 0 fnv1a64:0\nindex,label,source\n# end 0 x\n")
put("label_file", "regression-cut", "\x00" + good[: len(good) // 2])
put("label_file", "regression-duplicate", "\x01" + label_file([(1, 1, "user"), (1, 2, "user")]))
put("label_file", "regression-bad-number", "\x01" + label_file([(1, 1, "user")]).replace("1,1,user", "99999999999,1,user"))

# CSV imports (fuzz_label_csv: ten Fashion-MNIST class names, 1000 samples).
put("label_csv", "exported", "index,label,source\n5,Trouser,user\n9,2,accepted-prediction\n")
put("label_csv", "plain", "index,label\n3,Pullover\n4, 0\n")
put("label_csv", "bom-crlf", "\xef\xbb\xbfindex,label\r\n1,Ankle boot\r\n2,0\r\n")
put("label_csv", "comments-before-header", "\n# by hand\n\nIndex,Label\n3,Bag\n# note\n4,Coat,initial\n")
put("label_csv", "duplicates", "index,label\n5,1\n6,2\n5,3\n5,4\n")
put("label_csv", "regression-utf16", "\xff\xfei\x00n\x00d\x00e\x00x\x00")
put("label_csv", "regression-header-only", "index,label,source\n")
put("label_csv", "regression-huge-index", "index,label\n99999999999999999999,1\n")
