//! Walking the frames of a zstd input: data frames, skippable frames and what follows them.

use std::mem::MaybeUninit;

use zstd_safe::zstd_sys;

use super::blocks::{Block, BLOCK_HEADER};
use super::error::check;
use super::error::decode_error;
use crate::error::bytes;
use crate::frames::{claims_over_limit, hex, is_skippable, prefix_matches, FrameFormat, Frames};
use crate::limits::DecompressOptions;
use crate::{Error, ErrorKind, Limit, Result};

const MAGIC: u32 = 0xFD2F_B528;
const CHECKSUM: usize = 4;
/// `ZSTD_CONTENTSIZE_UNKNOWN`, which the bindings declare as a signed constant.
const CONTENT_SIZE_UNKNOWN: u64 = u64::MAX;

/// The smallest and largest `max_window_size` libzstd accepts (windows of 2 GiB on 64-bit
/// platforms, 1 GiB on 32-bit ones). No libzstd decoder decodes a frame whose window is larger.
pub const WINDOW_SIZE_RANGE: (u64, u64) = (
    1 << 10,
    if cfg!(target_pointer_width = "64") {
        1 << 31
    } else {
        1 << 30
    },
);

/// The frame format: standard frames start with a 4-byte magic number; magicless frames omit
/// it (and cannot be told from other data, nor interleaved with skippable frames).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    #[default]
    Standard,
    Magicless,
}

impl Format {
    pub(crate) fn raw(self) -> zstd_sys::ZSTD_format_e {
        match self {
            Format::Standard => zstd_sys::ZSTD_format_e::ZSTD_f_zstd1,
            Format::Magicless => zstd_sys::ZSTD_format_e::ZSTD_f_zstd1_magicless,
        }
    }
}

/// What a frame header records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameParameters {
    /// The decompressed size, when the header records it (always 0 for a skippable frame).
    pub content_size: Option<u64>,
    /// The window the decoder needs, in bytes.
    pub window_size: u64,
    /// The dictionary the frame was compressed with, 0 for none or unrecorded.
    pub dict_id: u32,
    pub has_checksum: bool,
    /// The size of the frame header in bytes.
    pub header_size: usize,
    /// A skippable frame (user data that decoders pass over).
    pub skippable: bool,
}

/// Reads the header of the frame at the start of `src`.
pub fn frame_parameters(src: &[u8], format: Format) -> Result<FrameParameters> {
    if format == Format::Standard && !prefix_matches(src, MAGIC, u32::MAX) && !is_skippable(src) {
        return Err(not_a_frame(src));
    }
    let header = frame_header(src, 0, format)?;
    let skippable = header.frameType == zstd_sys::ZSTD_FrameType_e::ZSTD_skippableFrame;
    Ok(FrameParameters {
        content_size: match (skippable, header.frameContentSize) {
            (true, _) => Some(0),
            (false, CONTENT_SIZE_UNKNOWN) => None,
            (false, n) => Some(n),
        },
        window_size: if skippable { 0 } else { header.windowSize },
        dict_id: header.dictID,
        has_checksum: header.checksumFlag != 0,
        header_size: header.headerSize as usize,
        skippable,
    })
}

/// A complete zstd data frame found in the input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame<'a> {
    pub bytes: &'a [u8],
    pub content_size: Option<u64>,
    pub dict_id: u32,
    /// The most one block may decode to: 128 KiB, or the window if smaller.
    pub block_size: u64,
}

/// The decoder an input is checked against: its format, window limit and dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Setup {
    pub format: Format,
    pub max_window_size: u64,
    /// The id of the decoder's dictionary (0 for raw content), `None` without one.
    pub dict_id: Option<u32>,
}

impl Setup {
    /// Checks the header of the data frame at the start of `rest`, at `offset` in the whole
    /// input, as [`Setup::check_header`] (`Truncated` while it is not all there).
    pub fn check_frame(&self, rest: &[u8], offset: usize) -> Result<()> {
        self.check_header(&frame_header(rest, offset, self.format)?, offset)
    }

    /// Checks what a frame header asks of the decoder, in the order every decoding path does
    /// (streaming ones as soon as the header is complete): the window it needs, then its
    /// dictionary. The window limit bounds what the window needs: libzstd sizes it at the
    /// smaller of the window and the content size.
    fn check_header(&self, header: &zstd_sys::ZSTD_FrameHeader, offset: usize) -> Result<()> {
        // libzstd's streaming decoder refuses such a window whatever the content size.
        if header.windowSize > WINDOW_SIZE_RANGE.1 {
            return Err(Error::new(
                ErrorKind::WindowTooLarge,
                format!(
                    "zstd frame at offset {offset} has a window of {}, over the {} libzstd decodes",
                    bytes(header.windowSize),
                    bytes(WINDOW_SIZE_RANGE.1)
                ),
            ));
        }
        let needed = match header.frameContentSize {
            CONTENT_SIZE_UNKNOWN => header.windowSize,
            n => n.min(header.windowSize),
        };
        if needed > self.max_window_size {
            return Err(Error::over(
                ErrorKind::WindowTooLarge,
                Limit::Window,
                format!(
                    "zstd frame at offset {offset} needs a window of {}, over the window \
                     limit ({})",
                    bytes(needed),
                    bytes(self.max_window_size)
                ),
            ));
        }
        let wanted = header.dictID;
        let problem = match self.dict_id {
            _ if wanted == 0 => return Ok(()),
            Some(id) if id == wanted => return Ok(()),
            None => "no dictionary was supplied".to_string(),
            Some(0) => "the dictionary supplied is raw content, without an id".to_string(),
            Some(id) => format!("the dictionary supplied has id {id}"),
        };
        Err(Error::new(
            ErrorKind::Dictionary,
            format!("zstd frame at offset {offset} needs dictionary id {wanted}, but {problem}"),
        ))
    }
}

/// The zstd frame format, for the frame walker.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Zstd(pub Setup);

impl FrameFormat for Zstd {
    type Frame<'a> = Frame<'a>;
    const NAME: &'static str = "zstd";
    const MIN_FRAME: usize = 9;
    const MAGIC: u32 = MAGIC;

    fn magicless(&self) -> bool {
        self.0.format == Format::Magicless
    }

    fn header_parses(&self, rest: &[u8]) -> bool {
        frame_header(rest, 0, self.0.format).is_ok()
    }

    fn data_frame<'a>(&self, src: &'a [u8], offset: usize, max: u64) -> Result<(Frame<'a>, usize)> {
        let header = frame_header(src, offset, self.0.format)?;
        if header.frameContentSize != CONTENT_SIZE_UNKNOWN && header.frameContentSize > max {
            return Err(claims_over_limit(
                "zstd",
                offset,
                header.frameContentSize,
                max,
            ));
        }
        self.0.check_header(&header, offset)?;
        let (size, bound) = frame_size(src, &header, offset)?;
        if header.frameContentSize != CONTENT_SIZE_UNKNOWN && header.frameContentSize > bound {
            // Decoding would fail at the end of the frame: refused before the claim is allocated.
            return Err(Error::new(
                ErrorKind::Corrupt,
                format!(
                    "corrupt zstd data: the frame at offset {offset} claims {} of content, but \
                     its blocks can hold at most {}",
                    bytes(header.frameContentSize),
                    bytes(bound)
                ),
            ));
        }
        let frame = Frame {
            bytes: &src[..size],
            content_size: match header.frameContentSize {
                CONTENT_SIZE_UNKNOWN => None,
                n => Some(n),
            },
            dict_id: header.dictID,
            block_size: u64::from(header.blockSizeMax),
        };
        Ok((frame, size))
    }

    fn not_a_frame(&self, rest: &[u8]) -> Error {
        not_a_frame(rest)
    }
}

/// Iterates over the data frames of `src` as `setup` decodes them, skipping skippable frames.
pub(crate) fn frames<'a>(
    src: &'a [u8],
    setup: Setup,
    options: DecompressOptions,
) -> Frames<'a, Zstd> {
    Frames::new(src, Zstd(setup), options)
}

fn truncated(offset: usize) -> Error {
    crate::frames::truncated("zstd", offset)
}

fn not_a_frame(src: &[u8]) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        format!("input is not zstd data: it starts with {}", hex(src)),
    )
}

/// The length of the data frame at the start of `src`, found by walking its block headers, and
/// the most its blocks can decode to: a raw or RLE block's size is in its header, and a compressed
/// block decodes to at most the frame's block size (128 KiB, or the window if smaller).
/// Each block header is checked as it is met ([`Block::parse`]).
fn frame_size(
    src: &[u8],
    header: &zstd_sys::ZSTD_FrameHeader,
    offset: usize,
) -> Result<(usize, u64)> {
    let mut pos = header.headerSize as usize;
    let mut bound: u64 = 0;
    let max = u64::from(header.blockSizeMax);
    loop {
        let Some(&[a, b, c]) = src.get(pos..pos + BLOCK_HEADER) else {
            return Err(truncated(offset));
        };
        let block = Block::parse([a, b, c], max, offset + pos)?;
        pos += BLOCK_HEADER + block.stored;
        bound = bound.saturating_add(block.most);
        if pos > src.len() {
            return Err(truncated(offset));
        }
        if block.last {
            break;
        }
    }
    if header.checksumFlag != 0 {
        pos += CHECKSUM;
        if pos > src.len() {
            return Err(truncated(offset));
        }
    }
    Ok((pos, bound))
}

/// Parses the header of the frame at the start of `src`, which sits at `offset` in the whole
/// input.
fn frame_header(src: &[u8], offset: usize, format: Format) -> Result<zstd_sys::ZSTD_FrameHeader> {
    let mut header = MaybeUninit::<zstd_sys::ZSTD_FrameHeader>::zeroed();
    // SAFETY: `header` points to writable memory for one ZSTD_FrameHeader, and `src` is a valid
    // slice whose length is passed alongside its pointer. libzstd reads at most `src.len()`
    // bytes and only writes the header.
    let code = unsafe {
        zstd_sys::ZSTD_getFrameHeader_advanced(
            header.as_mut_ptr(),
            src.as_ptr().cast(),
            src.len(),
            format.raw(),
        )
    };
    let needed = check(code).map_err(|code| decode_error(code, 0))?;
    if needed > 0 {
        return Err(Error::new(
            ErrorKind::Truncated,
            format!(
                "zstd input ends in the middle of a frame header (the frame starts at offset \
                 {offset}; the header needs {needed} bytes, {} are present)",
                src.len()
            ),
        ));
    }
    // SAFETY: the header was zero-initialized, and libzstd filled it in on success. Every field
    // is a plain integer or a C enum whose zero value (ZSTD_frame) is valid.
    Ok(unsafe { header.assume_init() })
}
