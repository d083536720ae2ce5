//! libzstd's return codes, and its errors as squish errors.

use zstd_safe::zstd_sys as sys;
use zstd_safe::zstd_sys::ZSTD_ErrorCode as Z;
use zstd_safe::{get_error_name, is_error_kind, ErrorCode};

use crate::error::raw;
use crate::{Error, ErrorKind, Limit};

pub(crate) use crate::error::Raw;

/// Converts a libzstd return value into a result.
pub(crate) fn check(code: usize) -> Raw<usize> {
    // SAFETY: ZSTD_isError is a pure function of its argument.
    raw(code, unsafe { sys::ZSTD_isError(code) } != 0)
}

pub(crate) fn out_of_memory() -> Error {
    Error::new(ErrorKind::Memory, "out of memory creating a zstd context")
}

/// Classifies an error from a decoding call. `dict_id` is the dictionary the frame names, if any.
///
/// libzstd's `srcSize_wrong` is corrupt data here, not truncation: decoders only hand libzstd
/// whole frames at once (after walking their block headers) or stream them, and a truncated
/// stream is found at its end; the one-shot calls return `srcSize_wrong` for a block larger than
/// its frame allows, which the streaming ones call corruption.
pub(crate) fn decode_error(code: ErrorCode, dict_id: u32) -> Error {
    let name = get_error_name(code);
    if is_error_kind(code, Z::ZSTD_error_checksum_wrong) {
        Error::new(
            ErrorKind::Checksum,
            "zstd frame checksum mismatch: the data is corrupt",
        )
    } else if is_error_kind(code, Z::ZSTD_error_dictionary_wrong) {
        let message = if dict_id == 0 {
            "zstd frame was compressed with a dictionary that was not supplied".to_string()
        } else {
            format!("zstd frame needs dictionary id {dict_id}, which was not supplied")
        };
        Error::new(ErrorKind::Dictionary, message)
    } else if is_error_kind(code, Z::ZSTD_error_frameParameter_windowTooLarge) {
        Error::over(
            ErrorKind::WindowTooLarge,
            Limit::Window,
            "zstd frame needs a larger window than the window limit allows",
        )
    } else if is_error_kind(code, Z::ZSTD_error_memory_allocation) {
        Error::new(ErrorKind::Memory, "out of memory while decompressing")
    } else {
        Error::new(ErrorKind::Corrupt, format!("corrupt zstd data: {name}"))
    }
}

/// Classifies an error from a compression call.
pub(crate) fn encode_error(code: ErrorCode) -> Error {
    let name = get_error_name(code);
    if is_error_kind(code, Z::ZSTD_error_memory_allocation) {
        Error::new(ErrorKind::Memory, "out of memory while compressing")
    } else if is_error_kind(code, Z::ZSTD_error_srcSize_wrong) {
        Error::new(
            ErrorKind::InvalidArg,
            "the data written does not add up to the pledged size",
        )
    } else if is_error_kind(code, Z::ZSTD_error_parameter_outOfBound)
        || is_error_kind(code, Z::ZSTD_error_parameter_unsupported)
        || is_error_kind(code, Z::ZSTD_error_parameter_combination_unsupported)
    {
        Error::new(
            ErrorKind::InvalidArg,
            format!("invalid zstd parameter: {name}"),
        )
    } else {
        Error::new(
            ErrorKind::Internal,
            format!("zstd compression failed: {name}"),
        )
    }
}
