//! Walking the frames of a zstd input: data frames, skippable frames and what follows them.

use std::mem::MaybeUninit;

use zstd_safe::zstd_sys;

use super::ctx::check;
use super::error::decode_error;
use crate::error::bytes;
use crate::{Error, ErrorKind, Result};

const MAGIC: u32 = 0xFD2F_B528;
const SKIPPABLE_MAGIC: u32 = 0x184D_2A50;
const SKIPPABLE_MASK: u32 = 0xFFFF_FFF0;
const SKIPPABLE_HEADER: usize = 8;
const BLOCK_HEADER: usize = 3;
const CHECKSUM: usize = 4;
/// `ZSTD_CONTENTSIZE_UNKNOWN`, which the bindings declare as a signed constant.
const CONTENT_SIZE_UNKNOWN: u64 = u64::MAX;

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
    if format == Format::Standard
        && !prefix_matches(src, MAGIC, u32::MAX)
        && !prefix_matches(src, SKIPPABLE_MAGIC, SKIPPABLE_MASK)
    {
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
    /// Where the frame starts in the whole input.
    pub offset: usize,
    pub content_size: Option<u64>,
    pub window_size: u64,
    pub dict_id: u32,
}

/// How far a walk goes and what it tolerates after the frames.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WalkOptions {
    pub format: Format,
    pub read_across_frames: bool,
    pub allow_extra_data: bool,
    /// Frames whose header claims more content than this are refused on sight.
    pub max_content_size: u64,
}

/// Iterates over the data frames of `src`, skipping skippable frames.
///
/// Every frame it yields is complete: truncation, a bad magic number and unexpected trailing
/// bytes are reported as errors before any frame after them is decoded.
pub(crate) struct Frames<'a> {
    src: &'a [u8],
    pos: usize,
    opts: WalkOptions,
    data_frames: usize,
}

impl<'a> Frames<'a> {
    pub fn new(src: &'a [u8], opts: WalkOptions) -> Self {
        Frames {
            src,
            pos: 0,
            opts,
            data_frames: 0,
        }
    }

    /// The rest of the input is not (or may not be) frames: accept or refuse it.
    fn extra_data(&self) -> Option<Result<Frame<'a>>> {
        let rest = self.src.len() - self.pos;
        if self.opts.allow_extra_data {
            return None;
        }
        let message = if self.opts.read_across_frames {
            format!(
                "{rest} bytes after the last zstd frame (at offset {}) are not a zstd frame; \
                 pass allowExtraData: true to ignore trailing data",
                self.pos
            )
        } else {
            format!(
                "{rest} bytes follow the first zstd frame (at offset {}); pass \
                 readAcrossFrames: true to decode them or allowExtraData: true to ignore them",
                self.pos
            )
        };
        Some(Err(Error::new(ErrorKind::Corrupt, message)))
    }

    fn data_frame(&self, rest: &'a [u8], header: zstd_sys::ZSTD_FrameHeader) -> Result<Frame<'a>> {
        if header.frameContentSize != CONTENT_SIZE_UNKNOWN
            && header.frameContentSize > self.opts.max_content_size
        {
            return Err(Error::new(
                ErrorKind::OutputLimit,
                format!(
                    "zstd frame at offset {} claims {} of content, over maxOutputSize ({})",
                    self.pos,
                    bytes(header.frameContentSize),
                    bytes(self.opts.max_content_size)
                ),
            ));
        }
        let size = frame_size(rest, &header, self.pos)?;
        Ok(Frame {
            bytes: &rest[..size],
            offset: self.pos,
            content_size: match header.frameContentSize {
                CONTENT_SIZE_UNKNOWN => None,
                n => Some(n),
            },
            window_size: header.windowSize,
            dict_id: header.dictID,
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
                        "input is empty: a zstd frame is at least 9 bytes",
                    )));
                }
                return None;
            }
            if self.data_frames > 0 && !self.opts.read_across_frames {
                return self.extra_data();
            }
            if self.opts.format == Format::Magicless {
                // Without a magic number, only a header that does not parse marks trailing data.
                let frame = match frame_header(rest, self.pos, Format::Magicless) {
                    Err(_) if self.pos > 0 && self.opts.allow_extra_data => return None,
                    header => header.and_then(|h| self.data_frame(rest, h)),
                };
                return Some(self.advance(frame));
            }
            let is_data = prefix_matches(rest, MAGIC, u32::MAX);
            let is_skippable = prefix_matches(rest, SKIPPABLE_MAGIC, SKIPPABLE_MASK);
            if rest.len() < 4 && (is_data || is_skippable) {
                if self.pos > 0 && self.opts.allow_extra_data {
                    return None;
                }
                return Some(Err(truncated(self.pos)));
            }
            if is_skippable {
                if rest.len() < SKIPPABLE_HEADER {
                    return Some(Err(truncated(self.pos)));
                }
                let len = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
                if rest.len() - SKIPPABLE_HEADER < len {
                    return Some(Err(truncated(self.pos)));
                }
                self.pos += SKIPPABLE_HEADER + len;
                continue;
            }
            if !is_data {
                if self.pos == 0 {
                    return Some(Err(not_a_frame(rest)));
                }
                return self.extra_data();
            }
            let frame = frame_header(rest, self.pos, Format::Standard)
                .and_then(|h| self.data_frame(rest, h));
            return Some(self.advance(frame));
        }
    }
}

impl<'a> Frames<'a> {
    fn advance(&mut self, frame: Result<Frame<'a>>) -> Result<Frame<'a>> {
        match &frame {
            Ok(frame) => {
                self.pos += frame.bytes.len();
                self.data_frames += 1;
            }
            Err(_) => self.pos = self.src.len(),
        }
        frame
    }
}

fn truncated(offset: usize) -> Error {
    Error::new(
        ErrorKind::Truncated,
        format!("zstd input ends in the middle of a frame (the frame starts at offset {offset})"),
    )
}

fn not_a_frame(src: &[u8]) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        format!("input is not zstd data: it starts with {}", hex(src)),
    )
}

/// Whether the first bytes of `rest` (up to four) match the little-endian `magic` under `mask`.
fn prefix_matches(rest: &[u8], magic: u32, mask: u32) -> bool {
    let n = rest.len().min(4);
    let (want, mask) = (magic.to_le_bytes(), mask.to_le_bytes());
    (0..n).all(|i| rest[i] & mask[i] == want[i] & mask[i])
}

fn hex(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("0x{}", shown.join(""))
}

/// The length of the data frame at the start of `src`, found by walking its block headers.
fn frame_size(src: &[u8], header: &zstd_sys::ZSTD_FrameHeader, offset: usize) -> Result<usize> {
    let mut pos = header.headerSize as usize;
    loop {
        let Some(block) = src.get(pos..pos + BLOCK_HEADER) else {
            return Err(truncated(offset));
        };
        let bits = u32::from_le_bytes([block[0], block[1], block[2], 0]);
        let size = (bits >> 3) as usize;
        let stored = match (bits >> 1) & 3 {
            0 | 2 => size,
            1 => 1,
            _ => {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    format!(
                        "corrupt zstd data: reserved block type at offset {}",
                        offset + pos
                    ),
                ))
            }
        };
        pos += BLOCK_HEADER + stored;
        if pos > src.len() {
            return Err(truncated(offset));
        }
        if bits & 1 == 1 {
            break;
        }
    }
    if header.checksumFlag != 0 {
        pos += CHECKSUM;
        if pos > src.len() {
            return Err(truncated(offset));
        }
    }
    Ok(pos)
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
