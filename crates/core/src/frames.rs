//! Walking the frames of an input, for both codecs: data frames, the skippable frames both
//! formats share, and whatever follows them.

use crate::error::bytes;
use crate::limits::DecompressOptions;
use crate::{Error, ErrorKind, Limit, Result};

const SKIPPABLE_MAGIC: u32 = 0x184D_2A50;
const SKIPPABLE_MASK: u32 = 0xFFFF_FFF0;
const SKIPPABLE_HEADER: usize = 8;

/// What a codec tells the walker about its frames.
pub(crate) trait FrameFormat {
    type Frame<'a>;
    /// The codec's name in messages.
    const NAME: &'static str;
    /// The smallest frame, for the message about empty input.
    const MIN_FRAME: usize;
    /// The magic number data frames start with.
    const MAGIC: u32;

    /// Whether `rest` (perhaps under 4 bytes) starts like a data frame.
    fn is_data_frame(&self, rest: &[u8]) -> bool {
        prefix_matches(rest, Self::MAGIC, u32::MAX)
    }
    /// Frames without a magic number: all input is data frames, and only a header that does not
    /// parse marks trailing data.
    fn magicless(&self) -> bool {
        false
    }
    /// Whether a frame header parses at the start of `rest` (for magicless frames).
    fn header_parses(&self, _rest: &[u8]) -> bool {
        true
    }
    /// The complete data frame at the start of `src` (the rest of the input, from `offset`), and
    /// its length. Frames whose header claims more than `max` bytes of content are refused
    /// ([`claims_over_limit`]).
    fn data_frame<'a>(
        &self,
        src: &'a [u8],
        offset: usize,
        max: u64,
    ) -> Result<(Self::Frame<'a>, usize)>;
    /// The error for input that does not start with a frame.
    fn not_a_frame(&self, rest: &[u8]) -> Error;
}

/// Whether the first bytes of `rest` (up to four) match the little-endian `magic` under `mask`.
pub(crate) fn prefix_matches(rest: &[u8], magic: u32, mask: u32) -> bool {
    let n = rest.len().min(4);
    let (want, mask) = (magic.to_le_bytes(), mask.to_le_bytes());
    (0..n).all(|i| rest[i] & mask[i] == want[i] & mask[i])
}

pub(crate) fn is_skippable(rest: &[u8]) -> bool {
    prefix_matches(rest, SKIPPABLE_MAGIC, SKIPPABLE_MASK)
}

/// The first bytes of `src` in hex, for messages.
pub(crate) fn hex(src: &[u8]) -> String {
    let shown: Vec<String> = src.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("0x{}", shown.join(""))
}

/// The error for a frame whose header claims `claimed` bytes of content, over the output limit `max`.
pub(crate) fn claims_over_limit(name: &str, offset: usize, claimed: u64, max: u64) -> Error {
    Error::over(
        ErrorKind::OutputLimit,
        Limit::Output,
        format!(
            "{name} frame at offset {offset} claims {} of content, over the output limit ({})",
            bytes(claimed),
            bytes(max)
        ),
    )
}

pub(crate) fn truncated(name: &str, offset: usize) -> Error {
    Error::new(
        ErrorKind::Truncated,
        format!("{name} input ends in the middle of a frame (the frame starts at offset {offset})"),
    )
}

/// Iterates over the data frames of `src`, skipping skippable frames.
///
/// Every frame it yields is complete: truncation, a bad magic number and unexpected trailing
/// bytes are reported as errors before any frame after them is decoded.
pub(crate) struct Frames<'a, F: FrameFormat> {
    src: &'a [u8],
    pos: usize,
    format: F,
    options: DecompressOptions,
    data_frames: usize,
}

impl<'a, F: FrameFormat> Frames<'a, F> {
    pub fn new(src: &'a [u8], format: F, options: DecompressOptions) -> Self {
        Frames {
            src,
            pos: 0,
            format,
            options,
            data_frames: 0,
        }
    }

    /// Where the frames walked so far end: any extra data starts there.
    pub fn end(&self) -> usize {
        self.pos
    }

    /// The rest of the input is not (or may not be) frames: accept or refuse it.
    fn extra_data(&self) -> Option<Result<F::Frame<'a>>> {
        let rest = self.src.len() - self.pos;
        if self.options.allow_extra_data {
            return None;
        }
        let name = F::NAME;
        let message = if self.options.read_across_frames {
            format!(
                "{rest} bytes after the last {name} frame (at offset {}) are not a {name} frame; \
                 pass allowExtraData: true to ignore trailing data",
                self.pos
            )
        } else {
            format!(
                "{rest} bytes follow the first {name} frame (at offset {}); pass \
                 readAcrossFrames: true to decode them or allowExtraData: true to ignore them",
                self.pos
            )
        };
        Some(Err(Error::new(ErrorKind::Corrupt, message)))
    }

    fn advance(&mut self, frame: Result<(F::Frame<'a>, usize)>) -> Result<F::Frame<'a>> {
        match frame {
            Ok((frame, len)) => {
                self.pos += len;
                self.data_frames += 1;
                Ok(frame)
            }
            Err(error) => {
                self.pos = self.src.len();
                Err(error)
            }
        }
    }
}

impl<'a, F: FrameFormat> Iterator for Frames<'a, F> {
    type Item = Result<F::Frame<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let max = self.options.max_output_size as u64;
        loop {
            let rest = &self.src[self.pos..];
            if rest.is_empty() {
                if self.pos == 0 {
                    return Some(Err(Error::new(
                        ErrorKind::Truncated,
                        format!(
                            "input is empty: a {} frame is at least {} bytes",
                            F::NAME,
                            F::MIN_FRAME
                        ),
                    )));
                }
                return None;
            }
            if self.data_frames > 0 && !self.options.read_across_frames {
                return self.extra_data();
            }
            if self.format.magicless() {
                // Trailing data is what does not even parse as a header; a later frame's other
                // errors (truncation, an oversized claim) are still errors.
                if self.pos > 0 && self.options.allow_extra_data && !self.format.header_parses(rest)
                {
                    return None;
                }
                let frame = self.format.data_frame(rest, self.pos, max);
                return Some(self.advance(frame));
            }
            let is_data = self.format.is_data_frame(rest);
            let skippable = is_skippable(rest);
            // Before the first data frame, when it is the only one to decode, nothing is extra.
            let first_awaited = self.data_frames == 0 && !self.options.read_across_frames;
            if rest.len() < 4 && (is_data || skippable) {
                if self.pos > 0 && self.options.allow_extra_data && !first_awaited {
                    return None;
                }
                return Some(Err(truncated(F::NAME, self.pos)));
            }
            if skippable {
                let len = match rest.get(4..SKIPPABLE_HEADER) {
                    Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize,
                    None => return Some(Err(truncated(F::NAME, self.pos))),
                };
                if rest.len() - SKIPPABLE_HEADER < len {
                    return Some(Err(truncated(F::NAME, self.pos)));
                }
                self.pos += SKIPPABLE_HEADER + len;
                continue;
            }
            if !is_data {
                if self.pos == 0 || first_awaited {
                    self.pos = self.src.len();
                    return Some(Err(self.format.not_a_frame(rest)));
                }
                return self.extra_data();
            }
            let frame = self.format.data_frame(rest, self.pos, max);
            return Some(self.advance(frame));
        }
    }
}
