use std::fmt;

use crate::zstd::param::Param;

/// What went wrong, as a stable category. Each maps to one `ERR_SQUISH_*` code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is not valid compressed data.
    Corrupt,
    /// The input ends in the middle of a frame.
    Truncated,
    /// A frame decoded, but its checksum does not match.
    Checksum,
    /// The output would exceed the caller's `maxOutputSize`.
    OutputLimit,
    /// A frame needs a larger window than the decoder allows.
    WindowTooLarge,
    /// A frame needs a dictionary that was not supplied, or a different one.
    Dictionary,
    /// An option or argument is out of range.
    InvalidArg,
    /// A stateful object was used out of order (a chunk before its frame began, a second
    /// begin, use after a failure without reset).
    InvalidState,
    /// A stateful object was used while an asynchronous call on it was still pending.
    Busy,
    /// A stream, encoder or file was used after it was finished or closed.
    Closed,
    /// The allocator refused memory.
    Memory,
    /// The caller cancelled the operation.
    Aborted,
    /// A failure inside squish or the C library that no input should cause.
    Internal,
}

impl ErrorKind {
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::Corrupt => "ERR_SQUISH_CORRUPT",
            ErrorKind::Truncated => "ERR_SQUISH_TRUNCATED",
            ErrorKind::Checksum => "ERR_SQUISH_CHECKSUM",
            ErrorKind::OutputLimit => "ERR_SQUISH_OUTPUT_LIMIT",
            ErrorKind::WindowTooLarge => "ERR_SQUISH_WINDOW_TOO_LARGE",
            ErrorKind::Dictionary => "ERR_SQUISH_DICTIONARY",
            ErrorKind::InvalidArg => "ERR_SQUISH_INVALID_ARG",
            ErrorKind::InvalidState => "ERR_SQUISH_INVALID_STATE",
            ErrorKind::Busy => "ERR_SQUISH_BUSY",
            ErrorKind::Closed => "ERR_SQUISH_CLOSED",
            ErrorKind::Memory => "ERR_SQUISH_MEMORY",
            ErrorKind::Aborted => "ERR_SQUISH_ABORTED",
            ErrorKind::Internal => "ERR_SQUISH_INTERNAL",
        }
    }
}

/// A bound the caller set that an error is about, for a binding to name as its own option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The most bytes a decompression may produce.
    Output,
    /// The largest window a zstd decompressor allocates.
    Window,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// For a batch operation, the position of the item that failed.
    pub index: Option<usize>,
    /// The caller's bound the error is about, if any: the message names it only in general
    /// terms ("the output limit").
    pub limit: Option<Limit>,
    /// The zstd parameter given out of its bounds, and the value given.
    pub param: Option<(Param, i32)>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            index: None,
            limit: None,
            param: None,
        }
    }

    /// `value`, given for `param`, is out of its bounds.
    pub fn out_of_range(param: Param, value: i32) -> Self {
        let (min, max) = param.bounds();
        let zero = if param.zero_means_none() {
            ", or 0"
        } else {
            ""
        };
        Error {
            param: Some((param, value)),
            ..Error::new(
                ErrorKind::InvalidArg,
                format!("{param:?} must be from {min} to {max}{zero}; received {value}"),
            )
        }
    }

    /// An error about the caller's bound `limit`.
    pub fn over(kind: ErrorKind, limit: Limit, message: impl Into<String>) -> Self {
        Error {
            limit: Some(limit),
            ..Error::new(kind, message)
        }
    }

    /// The same error, attributed to item `index` of a batch.
    pub fn at(self, index: usize) -> Self {
        Error {
            message: format!("item {index} of the batch: {}", self.message),
            index: Some(index),
            ..self
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// `Ok` when `ok` holds, and otherwise an error of `kind` saying `message`.
pub(crate) fn ensure(ok: bool, kind: ErrorKind, message: &'static str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::new(kind, message))
    }
}

/// Formats a byte count for messages: exact bytes, with a binary unit when that reads better.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64;
    let mut unit = "";
    for u in UNITS {
        value /= 1024.0;
        unit = u;
        if value < 1024.0 {
            break;
        }
    }
    format!("{n} bytes ({value:.1} {unit})")
}

/// A C library's result: the value, or the library's error code (libzstd and liblz4 return both
/// in one `usize`).
pub(crate) type Raw<T> = std::result::Result<T, usize>;

/// `code` as a result, by the library's own test of whether it is an error code.
pub(crate) fn raw(code: usize, is_error: bool) -> Raw<usize> {
    if is_error {
        Err(code)
    } else {
        Ok(code)
    }
}
