"""Runs requests from python.interop.test.ts through python-lz4 and python-zstandard.

Reads a JSON list of requests on stdin and writes a JSON list of results to stdout, in order.
A request is {"op": NAME, ...arguments}; bytes travel as {"b64": "..."} both ways. A request
that raises gives {"error": "ExceptionType: message"} instead of a result.
"""

import base64
import io
import json
import sys

import lz4.block
import lz4.frame
import zstandard


def decode(value):
    if isinstance(value, dict):
        if set(value) == {"b64"}:
            return base64.b64decode(value["b64"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def encode(value):
    if isinstance(value, (bytes, bytearray)):
        return {"b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def zstd_dict(spec):
    """A ZstdCompressionDict from {"data": bytes, "type": "auto" | "raw" | "full"}."""
    if spec is None:
        return None
    kind = {
        "auto": zstandard.DICT_TYPE_AUTO,
        "raw": zstandard.DICT_TYPE_RAWCONTENT,
        "full": zstandard.DICT_TYPE_FULLDICT,
    }[spec.get("type", "auto")]
    return zstandard.ZstdCompressionDict(spec["data"], dict_type=kind)


def zstd_format(magicless):
    return zstandard.FORMAT_ZSTD1_MAGICLESS if magicless else zstandard.FORMAT_ZSTD1


def zstd_compress(r):
    frame = {
        "write_checksum": r.get("checksum", False),
        "write_content_size": r.get("content_size", True),
        "write_dict_id": r.get("dict_id", True),
    }
    level = r.get("level", 3)
    dict_data = zstd_dict(r.get("dict"))
    if r.get("magicless"):
        params = zstandard.ZstdCompressionParameters(
            compression_level=level, format=zstandard.FORMAT_ZSTD1_MAGICLESS, **frame
        )
        cctx = zstandard.ZstdCompressor(compression_params=params, dict_data=dict_data)
    else:
        cctx = zstandard.ZstdCompressor(level=level, dict_data=dict_data, **frame)
    return cctx.compress(r["data"])


def zstd_decompressor(r):
    return zstandard.ZstdDecompressor(
        dict_data=zstd_dict(r.get("dict")), format=zstd_format(r.get("magicless"))
    )


def zstd_decompress(r):
    """One frame; `max_output_size` bounds one that does not record its size."""
    return zstd_decompressor(r).decompress(r["data"], max_output_size=r.get("max_output_size", 0))


def zstd_decompress_frames(r):
    """Concatenated frames, through a stream reader."""
    reader = zstd_decompressor(r).stream_reader(io.BytesIO(r["data"]), read_across_frames=True)
    return reader.readall()


def zstd_frame_parameters(r):
    p = zstandard.get_frame_parameters(r["data"], format=zstd_format(r.get("magicless")))
    unknown = p.content_size == zstandard.CONTENTSIZE_UNKNOWN
    return {
        "content_size": None if unknown else p.content_size,
        "window_size": p.window_size,
        "dict_id": p.dict_id,
        "has_checksum": p.has_checksum,
    }


def zstd_train(r):
    d = zstandard.train_dictionary(r["size"], r["samples"], level=r.get("level", 3))
    return {"data": d.as_bytes(), "id": d.dict_id()}


def zstd_write_file(r):
    with zstandard.open(r["path"], "wb", cctx=zstandard.ZstdCompressor(level=r.get("level", 3))) as f:
        for piece in r["pieces"]:
            f.write(piece)
    return None


def zstd_read_file(r):
    with zstandard.open(r["path"], "rb") as f:
        return f.read()


def lz4_frame_kwargs(r):
    return {k: r[k] for k in (
        "compression_level", "block_size", "content_checksum", "block_checksum", "block_linked",
    ) if k in r}


def lz4_compress(r):
    return lz4.frame.compress(r["data"], store_size=r.get("store_size", True), **lz4_frame_kwargs(r))


def lz4_compress_incremental(r):
    """compress_begin, compress_chunk per piece, compress_flush, on a new context."""
    ctx = lz4.frame.create_compression_context()
    out = [lz4.frame.compress_begin(
        ctx, source_size=r.get("source_size", 0), auto_flush=r.get("auto_flush", False),
        **lz4_frame_kwargs(r),
    )]
    for piece in r["pieces"]:
        out.append(lz4.frame.compress_chunk(ctx, piece))
    out.append(lz4.frame.compress_flush(ctx))
    return b"".join(out)


def lz4_decompress(r):
    return lz4.frame.decompress(r["data"])


def lz4_frame_info(r):
    info = lz4.frame.get_frame_info(r["data"])
    return {k: info[k] for k in (
        "block_size", "block_size_id", "block_linked", "content_checksum", "block_checksum",
        "content_size", "skippable",
    )}


def lz4_block_compress(r):
    kwargs = {k: r[k] for k in ("mode", "acceleration", "compression", "store_size", "dict") if k in r}
    return lz4.block.compress(r["data"], **kwargs)


def lz4_block_decompress(r):
    kwargs = {k: r[k] for k in ("uncompressed_size", "dict") if k in r}
    return lz4.block.decompress(r["data"], **kwargs)


def lz4_write_file(r):
    with lz4.frame.open(r["path"], "wb", **lz4_frame_kwargs(r)) as f:
        for piece in r["pieces"]:
            f.write(piece)
    return None


def lz4_read_file(r):
    with lz4.frame.open(r["path"], "rb") as f:
        return f.read()


def versions(_):
    return {"lz4": lz4.__version__, "zstandard": zstandard.__version__}


OPS = {f.__name__: f for f in (
    zstd_compress, zstd_decompress, zstd_decompress_frames, zstd_frame_parameters, zstd_train, zstd_write_file,
    zstd_read_file, lz4_compress, lz4_compress_incremental, lz4_decompress, lz4_frame_info,
    lz4_block_compress, lz4_block_decompress, lz4_write_file, lz4_read_file, versions,
)}


def run(request):
    try:
        return {"result": encode(OPS[request["op"]](request))}
    except Exception as error:  # reported to the test, which decides what was expected
        return {"error": f"{type(error).__name__}: {error}"}


json.dump([run(decode(r)) for r in json.load(sys.stdin)], sys.stdout)
