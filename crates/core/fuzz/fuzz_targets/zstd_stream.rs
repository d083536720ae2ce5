//! zstd incremental decompression: a `Decoder` fed the input in chunks whose sizes come from the
//! fuzz input, in bounded steps or whole updates, gives the one-shot answer, and so does a
//! `Decoder` fed the whole input at once; no step goes over the output bound.
//!
//! Input: 8 options bytes, then the data. Byte 0: bit 0 readAcrossFrames, bits 1-2 the output
//! bound, bit 3 magicless frames, bits 4-5 the step limit (none: `update`), bit 6 drains every
//! pending step before the next chunk (otherwise only at the end). Bytes 1-7: the chunk sizes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::incremental::Decode;
use squish_core::zstd::{Decoder, DecompressOptions, Format};
use squish_core::Result;
use squish_core_fuzz::{
    assert_bounded, assert_same, chunks, decompressor, max_output, Answer, Input,
};

struct Run<'a> {
    format: Format,
    read_across_frames: bool,
    max: usize,
    limit: Option<usize>,
    drain_each: bool,
    chunks: Vec<&'a [u8]>,
}

impl Run<'_> {
    /// Decodes the chunks; with readAcrossFrames off, the bytes after the frame are returned too.
    fn decode(&self) -> (Answer, Vec<u8>) {
        let mut out = Vec::new();
        let mut unused = Vec::new();
        let result = self.feed(&mut out, &mut unused);
        (result.map(|()| out).map_err(|e| e.kind), unused)
    }

    fn feed(&self, out: &mut Vec<u8>, unused: &mut Vec<u8>) -> Result<()> {
        let d = decompressor(self.format);
        let mut decoder = d.create_decoder(self.read_across_frames, self.max as u64)?;
        let mut ended = false;
        for (i, chunk) in self.chunks.iter().enumerate() {
            if ended {
                unused.extend_from_slice(chunk);
                continue;
            }
            match self.limit {
                None => decoder.update(chunk, out)?,
                Some(limit) => {
                    decoder.step(chunk, limit, out)?;
                    if self.drain_each || i + 1 == self.chunks.len() {
                        self.drain(&mut decoder, limit, out)?;
                    }
                }
            }
            assert!(out.len() <= self.max, "a step went over maxOutputSize");
            if decoder.eof() {
                ended = true;
                unused.extend_from_slice(decoder.unused_data());
            }
        }
        if let Some(limit) = self.limit {
            if !ended {
                self.drain(&mut decoder, limit, out)?;
            }
        }
        if !ended {
            decoder.finish()?;
        }
        Ok(())
    }

    /// Steps with empty chunks while output is pending; each such step must make progress.
    fn drain(&self, decoder: &mut Decoder, limit: usize, out: &mut Vec<u8>) -> Result<()> {
        while decoder.pending() && !decoder.eof() {
            let before = out.len();
            decoder.step(&[], limit, out)?;
            assert!(out.len() <= self.max, "a step went over maxOutputSize");
            assert!(
                out.len() > before || !decoder.pending() || decoder.eof(),
                "a pending step produced nothing and is still pending"
            );
        }
        Ok(())
    }
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 8);
    let src = input.data;
    let flags = input.byte(0);
    let format = if flags & 8 != 0 {
        Format::Magicless
    } else {
        Format::Standard
    };
    let read_across_frames = flags & 1 != 0;
    let max = max_output(flags >> 1);
    let limit = [None, Some(1 << 10), Some(64 << 10), Some(200 << 10)][usize::from(flags >> 4 & 3)];
    let pattern = [1, 2, 3, 4, 5, 6, 7].map(|i| input.byte(i));
    let chunked = Run {
        format,
        read_across_frames,
        max,
        limit,
        drain_each: flags & 64 != 0,
        chunks: chunks(src, &pattern),
    };
    let whole = Run {
        limit: None,
        chunks: vec![src],
        ..chunked
    };
    let (chunked_answer, chunked_unused) = chunked.decode();
    let (whole_answer, whole_unused) = whole.decode();

    // The one-shot equivalent: with readAcrossFrames off the decoder leaves what follows the
    // frame as unused data rather than failing on it.
    let options = DecompressOptions {
        read_across_frames,
        allow_extra_data: !read_across_frames,
        max_output_size: max,
    };
    let d = decompressor(format);
    let one_shot = d.decompress(src, &options).map_err(|e| e.kind);

    for (name, a) in [
        ("one-shot", &one_shot),
        ("chunked", &chunked_answer),
        ("whole", &whole_answer),
    ] {
        assert_bounded(name, a, max);
    }
    if chunked_answer.is_ok() && whole_answer.is_ok() {
        assert_eq!(
            chunked_unused, whole_unused,
            "the chunked and whole decoders leave other unused data"
        );
        assert!(
            src.ends_with(&whole_unused),
            "the unused data is not the end of the input"
        );
    }
    let incremental = [
        ("Decoder, chunked", &chunked_answer),
        ("Decoder, whole", &whole_answer),
    ];
    assert_same(raw, &incremental);
    assert_same(
        raw,
        &[[("one-shot", &one_shot)].as_slice(), &incremental].concat(),
    );
});
