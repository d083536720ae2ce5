//! The LZ4 frame format: headers, and walking the frames of an input.

use super::ffi;
use crate::error::bytes;
use crate::limits::DecompressOptions;
use crate::{Error, ErrorKind, Result};

const MAGIC: u32 = 0x184D_2204;
const LEGACY_MAGIC: u32 = 0x184C_2102;
const SKIPPABLE_MAGIC: u32 = 0x184D_2A50;
const SKIPPABLE_MASK: u32 = 0xFFFF_FFF0;
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
    let shown: Vec<String> = src.iter().take(4).map(|b| format!("{b:02x}")).collect();
    Error::new(
        ErrorKind::Corrupt,
        format!(
            "input is not lz4 frame data: it starts with 0x{}",
            shown.join("")
        ),
    )
}

/// Whether the first bytes of `rest` (up to four) match the little-endian `magic` under `mask`.
fn prefix_matches(rest: &[u8], magic: u32, mask: u32) -> bool {
    let n = rest.len().min(4);
    let (want, mask) = (magic.to_le_bytes(), mask.to_le_bytes());
    (0..n).all(|i| rest[i] & mask[i] == want[i] & mask[i])
}

/// Reads the header of the frame at the start of `src`, which sits at `offset` in the input.
fn header(src: &[u8], offset: usize) -> Result<FrameInfo> {
    if prefix_matches(src, SKIPPABLE_MAGIC, SKIPPABLE_MASK) {
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

/// Iterates over the data frames of `src`, skipping skippable frames.
///
/// Every frame it yields is complete, and truncation, a bad header or unexpected trailing bytes
/// are reported before any frame after them is decoded.
pub(crate) struct Frames<'a> {
    src: &'a [u8],
    pos: usize,
    options: DecompressOptions,
    data_frames: usize,
}

impl<'a> Frames<'a> {
    pub fn new(src: &'a [u8], options: DecompressOptions) -> Self {
        Frames {
            src,
            pos: 0,
            options,
            data_frames: 0,
        }
    }

    /// Where the frames end: after the last frame walked, before any extra data.
    pub fn end(&self) -> usize {
        self.pos
    }

    /// The rest of the input is not frames: accept or refuse it.
    fn extra_data(&mut self) -> Option<Result<Frame<'a>>> {
        let rest = self.src.len() - self.pos;
        if self.options.allow_extra_data {
            return None;
        }
        let message = if self.options.read_across_frames {
            format!(
                "{rest} bytes after the last lz4 frame (at offset {}) are not an lz4 frame; \
                 pass allowExtraData: true to ignore trailing data",
                self.pos
            )
        } else {
            format!(
                "{rest} bytes follow the first lz4 frame (at offset {}); pass \
                 readAcrossFrames: true to decode them or allowExtraData: true to ignore them",
                self.pos
            )
        };
        self.pos = self.src.len();
        Some(Err(Error::new(ErrorKind::Corrupt, message)))
    }

    fn data_frame(&self, rest: &'a [u8], info: FrameInfo) -> Result<Frame<'a>> {
        let offset = self.pos;
        if let Some(id) = info.dict_id {
            return Err(Error::new(
                ErrorKind::Dictionary,
                format!(
                    "lz4 frame at offset {offset} needs dictionary id {id}; lz4 frames that \
                     need a dictionary are not supported"
                ),
            ));
        }
        let max = self.options.max_output_size as u64;
        if let Some(n) = info.content_size.filter(|&n| n > max) {
            return Err(Error::new(
                ErrorKind::OutputLimit,
                format!(
                    "lz4 frame at offset {offset} claims {} of content, over maxOutputSize ({})",
                    bytes(n),
                    bytes(max)
                ),
            ));
        }
        let truncated = || {
            Error::new(
                ErrorKind::Truncated,
                format!(
                    "lz4 input ends in the middle of a frame (the frame starts at offset {offset})"
                ),
            )
        };
        let block_extra = if info.block_checksum { CHECKSUM } else { 0 };
        let mut pos = info.header_size;
        let mut bound: u64 = 0;
        loop {
            let word = le32(rest, pos).ok_or_else(truncated)?;
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
                info.block_size
            } as u64;
            pos += size + block_extra;
            if pos > rest.len() {
                return Err(truncated());
            }
        }
        if info.content_checksum {
            pos += CHECKSUM;
            if pos > rest.len() {
                return Err(truncated());
            }
        }
        Ok(Frame {
            bytes: &rest[..pos],
            offset,
            info,
            bound,
        })
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<Frame<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = &self.src[self.pos..];
            if rest.is_empty() {
                if self.pos == 0 {
                    return Some(Err(Error::new(
                        ErrorKind::Truncated,
                        "input is empty: an lz4 frame is at least 11 bytes",
                    )));
                }
                return None;
            }
            if self.data_frames > 0 && !self.options.read_across_frames {
                return self.extra_data();
            }
            let is_frame = prefix_matches(rest, MAGIC, u32::MAX)
                || prefix_matches(rest, SKIPPABLE_MAGIC, SKIPPABLE_MASK);
            if !is_frame || (rest.len() < 4 && self.pos > 0 && self.options.allow_extra_data) {
                if self.pos == 0 {
                    self.pos = self.src.len();
                    return Some(Err(not_a_frame(rest)));
                }
                return self.extra_data();
            }
            let frame = header(rest, self.pos).and_then(|info| {
                if info.skippable {
                    let len = SKIPPABLE_HEADER + info.content_size.unwrap_or(0) as usize;
                    if rest.len() < len {
                        return Err(Error::new(
                            ErrorKind::Truncated,
                            format!(
                                "lz4 input ends in the middle of a skippable frame (the frame \
                                 starts at offset {})",
                                self.pos
                            ),
                        ));
                    }
                    return Ok((None, len));
                }
                self.data_frame(rest, info)
                    .map(|frame| (Some(frame), frame.bytes.len()))
            });
            match frame {
                Ok((None, len)) => self.pos += len,
                Ok((Some(frame), len)) => {
                    self.pos += len;
                    self.data_frames += 1;
                    return Some(Ok(frame));
                }
                Err(error) => {
                    self.pos = self.src.len();
                    return Some(Err(error));
                }
            }
        }
    }
}
