//! liblz4 frame error codes as squish errors.

use std::ffi::CStr;

use super::ffi;
use crate::error::raw;
use crate::{Error, ErrorKind};

pub(crate) use crate::error::Raw;

/// Converts an LZ4F return value into a result.
pub(crate) fn check(code: usize) -> Raw<usize> {
    // SAFETY: LZ4F_isError is a pure function of its argument.
    raw(code, unsafe { ffi::LZ4F_isError(code) } != 0)
}

// Positions in liblz4's LZ4F_errorCodes enum (lz4frame.h), stable since 1.7.
const ALLOCATION_FAILED: i32 = 9;
const BLOCK_CHECKSUM_INVALID: i32 = 7;
const CONTENT_CHECKSUM_INVALID: i32 = 18;
const FRAME_HEADER_INCOMPLETE: i32 = 12;
const FRAME_SIZE_WRONG: i32 = 14;
const COMPRESSION_STATE_UNINITIALIZED: i32 = 20;

fn name(code: usize) -> String {
    // SAFETY: LZ4F_getErrorName returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::LZ4F_getErrorName(code)) }
        .to_string_lossy()
        .trim_start_matches("ERROR_")
        .to_string()
}

fn error_code(code: usize) -> i32 {
    // SAFETY: a pure function of its argument.
    unsafe { ffi::LZ4F_getErrorCode(code) }
}

/// Classifies an error from a decoding call.
pub(crate) fn decode_error(code: usize) -> Error {
    match error_code(code) {
        BLOCK_CHECKSUM_INVALID => Error::new(
            ErrorKind::Checksum,
            "lz4 block checksum mismatch: the data is corrupt",
        ),
        CONTENT_CHECKSUM_INVALID => Error::new(
            ErrorKind::Checksum,
            "lz4 frame content checksum mismatch: the data is corrupt",
        ),
        FRAME_HEADER_INCOMPLETE => Error::new(
            ErrorKind::Truncated,
            "lz4 input ends in the middle of a frame header",
        ),
        FRAME_SIZE_WRONG => Error::new(
            ErrorKind::Corrupt,
            "corrupt lz4 data: the frame decodes to a different size than its header records",
        ),
        ALLOCATION_FAILED => Error::new(ErrorKind::Memory, "out of memory while decompressing"),
        _ => Error::new(
            ErrorKind::Corrupt,
            format!("corrupt lz4 data: {}", name(code)),
        ),
    }
}

/// Compressing a chunk with no frame begun.
pub(crate) fn not_started() -> Error {
    Error::new(
        ErrorKind::InvalidState,
        "no lz4 frame is in progress: begin one first",
    )
}

/// Classifies an error from a compression call.
pub(crate) fn encode_error(code: usize) -> Error {
    match error_code(code) {
        ALLOCATION_FAILED => Error::new(ErrorKind::Memory, "out of memory while compressing"),
        FRAME_SIZE_WRONG => Error::new(
            ErrorKind::InvalidArg,
            "the data written does not add up to the frame's declared size",
        ),
        COMPRESSION_STATE_UNINITIALIZED => not_started(),
        _ => Error::new(
            ErrorKind::Internal,
            format!("lz4 compression failed: {}", name(code)),
        ),
    }
}
