//! A reusable decompressor: a dictionary, a window limit and a frame format, and a pool of
//! contexts set up with them.

use std::sync::Arc;

use zstd_safe::zstd_sys::ZSTD_dParameter;

use super::dctx::Dctx;
use super::decoder::Decoder;
use super::decompress::{
    decode_into, decode_to_vec, decode_with, plan_for, reserve, Contexts, DecompressOptions, Plan,
    Setup, Walked, DEFAULT_MAX_WINDOW_SIZE,
};
use super::dict::Dictionary;
use super::error::decode_error;
use super::frame::{frame_parameters, Format, WINDOW_SIZE_RANGE};
use super::idle::Idle;
use super::params::estimate_decoder_size;
use crate::error::bytes;
use crate::oneshot::Decompress;
use crate::{incremental, pool, Error, ErrorKind, Limit, Result};

/// Checks `src` as the module-level functions decode it (no dictionary, the default window
/// limit), without decoding it: every frame is complete, the declared sizes fit within
/// `max_output_size`, and frames need no more than the window limit.
pub fn plan(src: &[u8], options: &DecompressOptions) -> Result<Plan> {
    plan_for(&Setup::DEFAULT, src, options).map_err(|walked| {
        // As a default decompressor answers (see `first_error`).
        match Decompressor::new(None, DEFAULT_MAX_WINDOW_SIZE, Format::Standard) {
            Ok(decompressor) => decompressor.first_error(src, options, walked),
            Err(_) => walked,
        }
    })
}

pub struct Decompressor {
    dictionary: Option<Arc<Dictionary>>,
    setup: Setup,
    contexts: Idle<Dctx>,
}

impl Contexts for Decompressor {
    fn setup(&self) -> &Setup {
        &self.setup
    }

    fn with_dctx<R>(&self, _streams: bool, f: impl FnOnce(&mut Dctx) -> Result<R>) -> Result<R> {
        self.contexts
            .with(|| self.create_context(true), Dctx::size, f)
    }
}

impl Decompress for Decompressor {
    type Walked = Walked;

    fn walk(&self, src: &[u8], options: &DecompressOptions) -> Result<Plan> {
        plan_for(&self.setup, src, options)
    }

    fn plan(&self, src: &[u8], options: &DecompressOptions) -> Result<Plan> {
        self.walk(src, options)
            .map_err(|walked| self.first_error(src, options, walked))
    }

    fn decompress_into(&self, src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<usize> {
        decode_into(self, src, plan, dst)
    }

    fn decompress_to_vec(&self, src: &[u8], plan: &Plan, out: &mut Vec<u8>) -> Result<()> {
        decode_to_vec(self, src, plan, out)
    }

    fn decompress_with<R>(&self, src: &[u8], plan: &Plan, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        decode_with(self, src, plan, f)
    }
}

impl Decompressor {
    pub fn new(
        dictionary: Option<Arc<Dictionary>>,
        max_window_size: u64,
        format: Format,
    ) -> Result<Self> {
        let (min, max) = WINDOW_SIZE_RANGE;
        if !(min..=max).contains(&max_window_size) {
            return Err(Error::over(
                ErrorKind::InvalidArg,
                Limit::Window,
                format!(
                    "the window limit must be from {min} to {max} bytes; received \
                     {max_window_size}"
                ),
            ));
        }
        Ok(Decompressor {
            setup: Setup {
                format,
                max_window_size,
                dict_id: dictionary.as_ref().map(|d| d.id()),
            },
            dictionary,
            contexts: Idle::new(),
        })
    }

    pub(crate) fn create_context(&self, with_dictionary: bool) -> Result<Dctx> {
        let mut dctx = Dctx::create()?;
        let fail = |code| decode_error(code, 0);
        dctx.set_max_window_size(self.setup.max_window_size as usize)
            .map_err(fail)?;
        // ZSTD_d_format, in zstd.h's experimental section.
        dctx.set(
            ZSTD_dParameter::ZSTD_d_experimentalParam1,
            self.setup.format.raw() as i32,
        )
        .map_err(fail)?;
        if let (true, Some(dictionary)) = (with_dictionary, &self.dictionary) {
            dctx.ref_ddict(dictionary.ddict()).map_err(fail)?;
        }
        Ok(dctx)
    }

    /// About the memory an incremental decoder with these settings holds: the window of a frame
    /// from the strongest standard levels (8 MiB), or the window limit if smaller.
    pub fn decoder_memory(&self) -> usize {
        estimate_decoder_size(self.setup.max_window_size.min(8 << 20))
    }

    /// An incremental decoder with these settings, producing at most `max_output_size` bytes
    /// in all; with `read_across_frames` off, it stops at the end of the first frame.
    pub fn create_decoder(
        &self,
        read_across_frames: bool,
        max_output_size: u64,
    ) -> Result<Decoder> {
        let mut dctx = self.create_context(true)?;
        // The decoder checks the window limit against what each frame needs; libzstd's own
        // check looks at the window size alone.
        dctx.set_max_window_size(WINDOW_SIZE_RANGE.1 as usize)
            .map_err(|code| decode_error(code, 0))?;
        Ok(Decoder::new(
            dctx,
            &self.setup,
            read_across_frames,
            max_output_size,
        ))
    }

    /// The error for an input whose frame walk failed with `walked`: the first error decoding in
    /// order meets (see [`incremental::first_error`]).
    fn first_error(&self, src: &[u8], options: &DecompressOptions, walked: Error) -> Error {
        let max = options.max_output_size as u64;
        let decoder = self.create_decoder(options.read_across_frames, max);
        incremental::first_error(decoder, src, walked)
    }

    /// Plans and decodes `src` into a new vector.
    pub fn decompress(&self, src: &[u8], options: &DecompressOptions) -> Result<Vec<u8>> {
        let plan = self.plan(src, options)?;
        let mut out = Vec::new();
        self.decompress_to_vec(src, &plan, &mut out)?;
        Ok(out)
    }

    /// Decodes each input on up to `threads` threads (0: one per pool worker). Results are in
    /// input order; the first failure names its index.
    pub fn decompress_many(
        &self,
        inputs: &[&[u8]],
        options: &DecompressOptions,
        threads: usize,
    ) -> Result<Vec<Vec<u8>>> {
        pool::scatter(inputs.len(), threads, |i| {
            self.decompress(inputs[i], options).map_err(|e| e.at(i))
        })
        .into_iter()
        .collect()
    }

    /// Decodes a content-dictionary chain: the first frame on its own, each later one with the
    /// previous frame's content as its raw dictionary. Returns the last frame's content. Every
    /// frame must record its content size; each one is bounded by `max_output_size`.
    pub fn decompress_content_dict_chain(
        &self,
        frames: &[&[u8]],
        options: &DecompressOptions,
    ) -> Result<Vec<u8>> {
        if frames.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidArg,
                "a content-dictionary chain needs at least one frame",
            ));
        }
        let mut dctx = self.create_context(false)?;
        let mut previous = Vec::new();
        for (i, frame) in frames.iter().enumerate() {
            let content = chain_link(
                &mut dctx,
                frame,
                &previous,
                options,
                self.setup.format,
                i == 0,
            )
            .map_err(|e| e.at(i))?;
            previous = content;
        }
        Ok(previous)
    }

    /// Bytes held by idle contexts and the dictionary.
    pub fn memory_size(&self) -> usize {
        let contexts = self.contexts.fold(0, |sum, dctx| sum + dctx.size());
        contexts + self.dictionary.as_ref().map_or(0, |d| d.memory_size())
    }
}

fn chain_link(
    dctx: &mut Dctx,
    frame: &[u8],
    previous: &[u8],
    options: &DecompressOptions,
    format: Format,
    first: bool,
) -> Result<Vec<u8>> {
    let params = frame_parameters(frame, format)?;
    if params.skippable {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            "a content-dictionary chain holds zstd data frames, not skippable frames",
        ));
    }
    let size = params.content_size.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArg,
            "frames in a content-dictionary chain must record their content size",
        )
    })?;
    if size > options.max_output_size as u64 {
        return Err(options.output_limit(size));
    }
    let mut out = Vec::new();
    reserve(&mut out, size as usize)?;
    out.resize(size as usize, 0);
    let written = if first {
        dctx.decompress(&mut out, frame)
    } else {
        dctx.decompress_with_prefix(&mut out, frame, previous)
    }
    .map_err(|code| decode_error(code, params.dict_id))?;
    if written != out.len() {
        return Err(Error::new(
            ErrorKind::Corrupt,
            format!(
                "corrupt zstd data: the frame decodes to {written} bytes, but its header \
                 records {}",
                bytes(size)
            ),
        ));
    }
    Ok(out)
}
