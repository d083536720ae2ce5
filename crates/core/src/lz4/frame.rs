//! The LZ4 frame format: headers, and walking the frames of an input.

use super::ffi;
use crate::error::bytes;
use crate::frames::{
    claims_over_limit, hex, is_skippable, prefix_matches, truncated, FrameFormat, Frames,
};
use crate::limits::DecompressOptions;
use crate::{Error, ErrorKind, Result};

const MAGIC: u32 = 0x184D_2204;
const LEGACY_MAGIC: u32 = 0x184C_2102;
const SKIPPABLE_HEADER: usize = 8;
/// Magic, FLG, BD and the header checksum.
const MIN_HEADER: usize = 7;
const BLOCK_HEADER: usize = 4;
const CHECKSUM: usize = 4;
const UNCOMPRESSED_BIT: u32 = 1 << 31;

/// The largest block a frame may hold, by its header's block size id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BlockSize {
    /// 64 KiB, liblz4's default.
    #[default]
    Default,
    Max64Kb,
    Max256Kb,
    Max1Mb,
    Max4Mb,
}

impl BlockSize {
    /// The value of python-lz4's and liblz4's `BLOCKSIZE_*` constants (0, 4, 5, 6, 7).
    pub fn id(self) -> u32 {
        match self {
            BlockSize::Default => 0,
            BlockSize::Max64Kb => 4,
            BlockSize::Max256Kb => 5,
            BlockSize::Max1Mb => 6,
            BlockSize::Max4Mb => 7,
        }
    }

    pub fn from_id(id: u32) -> Option<Self> {
        Some(match id {
            0 => BlockSize::Default,
            4 => BlockSize::Max64Kb,
            5 => BlockSize::Max256Kb,
            6 => BlockSize::Max1Mb,
            7 => BlockSize::Max4Mb,
            _ => return None,
        })
    }

    pub fn bytes(self) -> usize {
        match self {
            BlockSize::Default | BlockSize::Max64Kb => 64 << 10,
            BlockSize::Max256Kb => 256 << 10,
            BlockSize::Max1Mb => 1 << 20,
            BlockSize::Max4Mb => 4 << 20,
        }
    }
}

/// What a frame header records (python-lz4's `get_frame_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// The header's block size id (4 to 7; 0 for a skippable frame).
    pub block_size_id: u32,
    /// The largest block, in bytes (0 for a skippable frame).
    pub block_size: usize,
    pub block_linked: bool,
    pub content_checksum: bool,
    pub block_checksum: bool,
    /// The decompressed size when recorded; for a skippable frame, the size of its user data.
    pub content_size: Option<u64>,
    /// The dictionary the frame needs, when it names one.
    pub dict_id: Option<u32>,
    pub skippable: bool,
    /// Bytes before the first block (for a skippable frame, before its user data).
    pub header_size: usize,
}

fn le32(src: &[u8], pos: usize) -> Option<u32> {
    let b = src.get(pos..pos + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

pub(crate) fn xxh32(bytes: &[u8]) -> u32 {
    // SAFETY: `bytes` is valid for its length; XXH32 only reads it.
    unsafe { ffi::XXH32(bytes.as_ptr().cast(), bytes.len(), 0) }
}

fn truncated_header(offset: usize, needed: usize, present: usize) -> Error {
    Error::new(
        ErrorKind::Truncated,
        format!(
            "lz4 input ends in the middle of a frame header (the frame starts at offset \
             {offset}; the header needs {needed} bytes, {present} are present)"
        ),
    )
}

fn corrupt_header(offset: usize, what: &str) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        format!("corrupt lz4 frame header at offset {offset}: {what}"),
    )
}

fn not_a_frame(src: &[u8]) -> Error {
    if le32(src, 0) == Some(LEGACY_MAGIC) {
        return Error::new(
            ErrorKind::Corrupt,
            "input is an lz4 legacy frame (lz4 -l), which squish does not read",
        );
    }
    Error::new(
        ErrorKind::Corrupt,
        format!("input is not lz4 frame data: it starts with {}", hex(src)),
    )
}

/// Reads the header of the frame at the start of `src`, which sits at `offset` in the input.
pub(crate) fn header(src: &[u8], offset: usize) -> Result<FrameInfo> {
    if is_skippable(src) {
        let len =
            le32(src, 4).ok_or_else(|| truncated_header(offset, SKIPPABLE_HEADER, src.len()))?;
        return Ok(FrameInfo {
            block_size_id: 0,
            block_size: 0,
            block_linked: false,
            content_checksum: false,
            block_checksum: false,
            content_size: Some(len as u64),
            dict_id: None,
            skippable: true,
            header_size: SKIPPABLE_HEADER,
        });
    }
    if !prefix_matches(src, MAGIC, u32::MAX) {
        return Err(not_a_frame(src));
    }
    if src.len() < MIN_HEADER {
        return Err(truncated_header(offset, MIN_HEADER, src.len()));
    }
    let (flg, bd) = (src[4], src[5]);
    if flg >> 6 != 1 {
        return Err(corrupt_header(offset, "unsupported version"));
    }
    if flg & 0b10 != 0 || bd & 0x8F != 0 {
        return Err(corrupt_header(offset, "reserved bits are set"));
    }
    let has_size = flg & 0b1000 != 0;
    let has_dict = flg & 0b1 != 0;
    let size = MIN_HEADER + if has_size { 8 } else { 0 } + if has_dict { 4 } else { 0 };
    if src.len() < size {
        return Err(truncated_header(offset, size, src.len()));
    }
    let descriptor = &src[4..size - 1];
    if (xxh32(descriptor) >> 8) as u8 != src[size - 1] {
        return Err(corrupt_header(offset, "header checksum mismatch"));
    }
    let block_size_id = u32::from(bd >> 4);
    let block_size = BlockSize::from_id(block_size_id)
        .filter(|&b| b != BlockSize::Default)
        .ok_or_else(|| corrupt_header(offset, "invalid block size"))?;
    let mut pos = 6;
    let content_size = has_size.then(|| {
        pos += 8;
        u64::from_le_bytes(src[6..14].try_into().expect("8 bytes"))
    });
    let dict_id = has_dict.then(|| le32(src, pos).expect("checked length"));
    Ok(FrameInfo {
        block_size_id,
        block_size: block_size.bytes(),
        block_linked: flg & 0b10_0000 == 0,
        content_checksum: flg & 0b100 != 0,
        block_checksum: flg & 0b1_0000 != 0,
        content_size,
        dict_id,
        skippable: false,
        header_size: size,
    })
}

/// Reads the header of the frame (data or skippable) at the start of `src`.
pub fn frame_info(src: &[u8]) -> Result<FrameInfo> {
    if src.is_empty() {
        return Err(truncated_header(0, MIN_HEADER, 0));
    }
    header(src, 0)
}

/// A complete data frame found in the input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame<'a> {
    pub bytes: &'a [u8],
    /// Where the frame starts in the whole input.
    pub offset: usize,
    pub info: FrameInfo,
    /// The most the frame can decode to, from its block headers.
    pub bound: u64,
}

/// The most an LZ4 block of `compressed` bytes can decode to. Each byte of a block yields at
/// most 255 bytes of output (a match-length byte of 255), and every other part of a sequence
/// yields less per byte it takes; the margin covers the last sequence.
pub(crate) fn decoded_bound(compressed: usize) -> usize {
    compressed.saturating_mul(255).saturating_add(64)
}

/// The error for a frame that names dictionary `id`: no path decodes it, as none has LZ4
/// dictionaries.
pub(crate) fn needs_dictionary(offset: usize, id: u32) -> Error {
    Error::new(
        ErrorKind::Dictionary,
        format!(
            "lz4 frame at offset {offset} needs dictionary id {id}; lz4 frames that need a \
             dictionary are not supported"
        ),
    )
}

/// The LZ4 frame format, for the frame walker.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lz4;

/// Iterates over the data frames of `src`, skipping skippable frames.
pub(crate) fn frames(src: &[u8], options: DecompressOptions) -> Frames<'_, Lz4> {
    Frames::new(src, Lz4, options)
}

impl FrameFormat for Lz4 {
    type Frame<'a> = Frame<'a>;
    const NAME: &'static str = "lz4";
    const MIN_FRAME: usize = 11;
    const MAGIC: u32 = MAGIC;

    fn not_a_frame(&self, rest: &[u8]) -> Error {
        not_a_frame(rest)
    }

    fn data_frame<'a>(&self, src: &'a [u8], offset: usize, max: u64) -> Result<(Frame<'a>, usize)> {
        let mut info = header(src, offset)?;
        // A recorded size of 0 means unknown, as liblz4 and the lz4 CLI read it.
        info.content_size = info.content_size.filter(|&n| n != 0);
        if let Some(id) = info.dict_id {
            return Err(needs_dictionary(offset, id));
        }
        if let Some(n) = info.content_size.filter(|&n| n > max) {
            return Err(claims_over_limit("lz4", offset, n, max));
        }
        let truncated = || truncated("lz4", offset);
        let block_extra = if info.block_checksum { CHECKSUM } else { 0 };
        let mut pos = info.header_size;
        let mut bound: u64 = 0;
        loop {
            let word = le32(src, pos).ok_or_else(truncated)?;
            pos += BLOCK_HEADER;
            if word == 0 {
                break;
            }
            let size = (word & !UNCOMPRESSED_BIT) as usize;
            if size > info.block_size {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    format!(
                        "corrupt lz4 data: a block of {size} bytes at offset {} exceeds the \
                         frame's block size ({})",
                        offset + pos - BLOCK_HEADER,
                        info.block_size
                    ),
                ));
            }
            bound += if word & UNCOMPRESSED_BIT != 0 {
                size
            } else {
                info.block_size.min(decoded_bound(size))
            } as u64;
            pos += size + block_extra;
            if pos > src.len() {
                return Err(truncated());
            }
        }
        if info.content_checksum {
            pos += CHECKSUM;
            if pos > src.len() {
                return Err(truncated());
            }
        }
        if let Some(n) = info.content_size.filter(|&n| n > bound) {
            // Decoding would fail at the end of the frame: refused before the claim is allocated.
            return Err(Error::new(
                ErrorKind::Corrupt,
                format!(
                    "corrupt lz4 data: the frame at offset {offset} claims {} of content, but its \
                     blocks can hold at most {}",
                    bytes(n),
                    bytes(bound)
                ),
            ));
        }
        let frame = Frame {
            bytes: &src[..pos],
            offset,
            info,
            bound,
        };
        Ok((frame, pos))
    }
}
