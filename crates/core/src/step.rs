//! Bounded decoding steps, shared by both codecs' incremental decoders: a step stops once its
//! output reaches a limit and holds back the input it did not use, which the next step (an empty
//! chunk will do) decodes first.

use crate::{Error, ErrorKind, Result};

/// What carries over from one bounded step to the next.
#[derive(Default)]
pub(crate) struct Steps {
    /// Input the last step left undecoded.
    held: Vec<u8>,
    /// The last step stopped at its limit: more output may follow without new input.
    more: bool,
    /// Some input has been given.
    started: bool,
}

impl Steps {
    pub fn pending(&self) -> bool {
        self.more
    }

    pub fn clear(&mut self) {
        *self = Steps::default();
    }

    /// Notes input given to the decoder outside bounded steps.
    pub fn saw(&mut self, src: &[u8]) {
        self.started |= !src.is_empty();
    }

    /// Runs `decode` over the held input followed by `src`. `decode` returns the bytes it used
    /// and whether it stopped at its output limit; the bytes it left are held for the next step.
    pub fn run(
        &mut self,
        src: &[u8],
        decode: impl FnOnce(&[u8]) -> Result<(usize, bool)>,
    ) -> Result<()> {
        self.saw(src);
        let (used, more) = if self.held.is_empty() {
            let (used, more) = decode(src)?;
            self.held.extend_from_slice(&src[used..]);
            (0, more)
        } else {
            self.held.extend_from_slice(src);
            decode(&self.held)?
        };
        self.held.drain(..used);
        self.more = more;
        Ok(())
    }

    /// Checks the end of a `codec` decoder's input: some input, no output still pending, and no
    /// frame cut off (`in_frame`, or input held undecoded).
    pub fn finish(&self, in_frame: bool, codec: &str) -> Result<()> {
        if self.more {
            return Err(Error::new(
                ErrorKind::InvalidState,
                "the decoder holds output still to be read: step it with an empty chunk first",
            ));
        }
        if !self.started {
            return Err(Error::new(
                ErrorKind::Truncated,
                format!("{codec} input is empty: compressed data is at least one frame"),
            ));
        }
        if in_frame || !self.held.is_empty() {
            return Err(Error::new(
                ErrorKind::Truncated,
                format!("{codec} input ends in the middle of a frame"),
            ));
        }
        Ok(())
    }
}

/// [`Steps::run`] over the steps `owner` keeps (`steps` finds them), with `decode` given the
/// owner.
pub fn run<T>(
    owner: &mut T,
    steps: fn(&mut T) -> &mut Steps,
    src: &[u8],
    decode: impl FnOnce(&mut T, &[u8]) -> Result<(usize, bool)>,
) -> Result<()> {
    let mut taken = std::mem::take(steps(owner));
    let result = taken.run(src, |input| decode(owner, input));
    *steps(owner) = taken;
    result
}
