//! One LZ4 frame decoded from chunks (python-lz4's `LZ4FrameDecompressor`): input a call does not
//! decode is kept for the next, and once the frame ends, the bytes after it.

use super::decoder::FrameDecoder;
use crate::{Error, ErrorKind, Result};

pub struct FrameDecompressor {
    decoder: FrameDecoder,
    /// Input given but not decoded yet: a call stopped at its output limit.
    unconsumed: Vec<u8>,
    eof: bool,
    needs_input: bool,
    /// The bytes after the frame, once it has ended.
    unused: Option<Vec<u8>>,
}

impl FrameDecompressor {
    pub fn new() -> Result<Self> {
        Ok(FrameDecompressor {
            decoder: FrameDecoder::new()?,
            unconsumed: Vec::new(),
            eof: false,
            needs_input: true,
            unused: None,
        })
    }

    /// The frame has ended.
    pub fn eof(&self) -> bool {
        self.eof
    }

    /// False while input given earlier is still to be decoded: a call with an empty chunk goes
    /// on with it.
    pub fn needs_input(&self) -> bool {
        self.needs_input
    }

    /// The bytes after the frame, once it has ended and if there were any.
    pub fn unused_data(&self) -> Option<&[u8]> {
        self.unused.as_deref()
    }

    /// Decodes `src`, after the input earlier calls left, appending at most `max_length` bytes
    /// to `out`.
    pub fn decompress(&mut self, src: &[u8], max_length: usize, out: &mut Vec<u8>) -> Result<()> {
        if self.eof {
            return Err(Error::new(
                ErrorKind::InvalidState,
                "the frame has ended; reset the decompressor to decode another",
            ));
        }
        let mut input = std::mem::take(&mut self.unconsumed);
        let src = if input.is_empty() {
            src
        } else {
            input.extend_from_slice(src);
            &input
        };
        let before = out.len();
        let chunk = self.decoder.decompress(src, max_length, out)?;
        let rest = &src[chunk.bytes_read..];
        self.eof = chunk.end_of_frame;
        if self.eof {
            self.unused = (!rest.is_empty()).then(|| rest.to_vec());
            self.needs_input = true;
        } else {
            // Input left over, or output cut at the limit (liblz4 may hold more of a block).
            let produced = out.len() - before;
            self.needs_input = rest.is_empty() && !(max_length > 0 && produced == max_length);
            self.unconsumed = rest.to_vec();
        }
        Ok(())
    }

    /// Forgets the frame, ready to decode another.
    pub fn reset(&mut self) {
        self.decoder.reset();
        self.unconsumed.clear();
        self.eof = false;
        self.needs_input = true;
        self.unused = None;
    }
}
