//! zstd block headers, checked as the format says on every decoding path.
//!
//! libzstd checks block headers differently by path: its streaming decoder refuses a block that
//! holds more than the frame's block size at its header (an RLE block's one stored byte included)
//! and reads a compressed block of size 0 as an empty block; its one-shot decoder, which the
//! streaming one also uses for a whole frame of known size at hand, decodes the first and refuses
//! the second. squish checks each header itself, in decoding order: one-shot calls when they walk
//! the frames, the incremental decoder as its input arrives.

use crate::error::bytes;
use crate::{Error, ErrorKind, Result};

pub(crate) const BLOCK_HEADER: usize = 3;
/// libzstd's `ZSTD_BLOCKSIZE_MAX`.
const BLOCK_SIZE_MAX: u64 = 128 << 10;

/// A block, from its header.
pub(crate) struct Block {
    /// Bytes after the header: a raw or compressed block's size, an RLE block's one byte.
    pub stored: usize,
    /// The most it decodes to.
    pub most: u64,
    pub last: bool,
}

impl Block {
    /// The block whose header is `header`, at `offset` in the input, in a frame whose blocks hold
    /// at most `max` bytes.
    pub fn parse(header: [u8; BLOCK_HEADER], max: u64, offset: usize) -> Result<Block> {
        let bits = u32::from_le_bytes([header[0], header[1], header[2], 0]);
        let size = (bits >> 3) as usize;
        let corrupt = |what: String| {
            Error::new(
                ErrorKind::Corrupt,
                format!("corrupt zstd data: the block at offset {offset} {what}"),
            )
        };
        let (stored, most) = match (bits >> 1) & 3 {
            0 => (size, size as u64),
            1 => (1, size as u64),
            2 if size == 0 => return Err(corrupt("is a compressed block of no bytes".into())),
            2 => (size, max),
            _ => return Err(corrupt("has the reserved block type".into())),
        };
        if stored as u64 > max || most > max {
            return Err(corrupt(format!(
                "exceeds the frame's block size ({})",
                bytes(max)
            )));
        }
        Ok(Block {
            stored,
            most,
            last: bits & 1 == 1,
        })
    }
}

/// The block headers of the frame an incremental decoder is in, checked as its input arrives.
#[derive(Default)]
pub(crate) struct BlockWalk {
    /// The frame's block size, while its blocks are being walked.
    max: Option<u64>,
    /// Input offset of the next block header, or of the stop.
    next: u64,
    /// The bytes of the next header seen so far.
    header: Vec<u8>,
    /// Where decoding must stop for a check, at `next`.
    stop: Option<Stop>,
}

/// A point in a frame that decoding stops at, so that it is checked before libzstd reads on.
pub(crate) enum Stop {
    /// A bad block header: decoding fails there.
    Bad(Error),
    /// The end of an empty last block: the frame's size is checked there, before its checksum,
    /// as libzstd's one-shot decoder does; its streaming one checks it at the end of a last block
    /// only when that block holds data.
    BlocksEnd,
}

impl BlockWalk {
    /// Starts walking a data frame of window `window_size` whose first block header is at input
    /// offset `start`.
    pub fn begin(&mut self, start: u64, window_size: u64) {
        *self = BlockWalk {
            // As libzstd's `blockSizeMax`.
            max: Some(window_size.min(BLOCK_SIZE_MAX)),
            next: start,
            ..BlockWalk::default()
        };
    }

    /// Reads the block headers in `src`, which starts at input offset `at`; returns how much of
    /// `src` may be decoded: all of it, or the bytes before the next stop.
    pub fn scan(&mut self, src: &[u8], at: u64) -> usize {
        let end = at + src.len() as u64;
        while let Some(max) = self.max.filter(|_| self.stop.is_none()) {
            let from = self.next + self.header.len() as u64;
            if from >= end {
                break;
            }
            let start = (from - at) as usize;
            let take = (BLOCK_HEADER - self.header.len()).min(src.len() - start);
            self.header.extend_from_slice(&src[start..start + take]);
            if self.header.len() < BLOCK_HEADER {
                break;
            }
            let header = [self.header[0], self.header[1], self.header[2]];
            let offset = usize::try_from(self.next).unwrap_or(usize::MAX);
            match Block::parse(header, max, offset) {
                Ok(block) => {
                    self.next += (BLOCK_HEADER + block.stored) as u64;
                    self.header.clear();
                    if block.last {
                        self.max = None;
                        if block.stored == 0 {
                            self.stop = Some(Stop::BlocksEnd);
                        }
                    }
                }
                Err(e) => {
                    // libzstd may hold the header's first bytes already: it reads the header
                    // once it has all three, so decoding stops before the ones it lacks.
                    self.next = from;
                    self.stop = Some(Stop::Bad(e));
                }
            }
        }
        match self.stop {
            Some(_) if self.next < end => self.next.saturating_sub(at) as usize,
            _ => src.len(),
        }
    }

    /// The stop at input offset `at`, if decoding has reached one; it is passed.
    pub fn reached(&mut self, at: u64) -> Option<Stop> {
        if self.stop.is_some() && self.next == at {
            return self.stop.take();
        }
        None
    }
}
