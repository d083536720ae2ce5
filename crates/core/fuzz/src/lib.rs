//! What the fuzz targets share: reading options from the fuzz input, and comparing the answers
//! several decoding paths give for the same input.

use std::fmt::Write;
use std::sync::OnceLock;

use squish_core::zstd::{Decompressor, Format, DEFAULT_MAX_WINDOW_SIZE};
use squish_core::{ErrorKind, Result};

/// What a decoding path made of an input: its output, or the kind of error it failed with.
pub type Answer = std::result::Result<Vec<u8>, ErrorKind>;

pub fn answer(result: Result<Vec<u8>>) -> Answer {
    result.map_err(|e| e.kind)
}

/// An input's options bytes (a fixed number, zero when the input is shorter) and its data.
pub struct Input<'a> {
    options: &'a [u8],
    pub data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn split(raw: &'a [u8], options: usize) -> Self {
        let n = options.min(raw.len());
        Input {
            options: &raw[..n],
            data: &raw[n..],
        }
    }

    /// Options byte `i`.
    pub fn byte(&self, i: usize) -> u8 {
        self.options.get(i).copied().unwrap_or(0)
    }

    /// Bit `bit` of options byte `i`.
    pub fn bit(&self, i: usize, bit: u32) -> bool {
        self.byte(i) >> bit & 1 == 1
    }

    /// Options bytes `i` and `i + 1`, little-endian.
    pub fn u16(&self, i: usize) -> u16 {
        u16::from_le_bytes([self.byte(i), self.byte(i + 1)])
    }
}

/// The output bounds the targets choose from, by 2 bits of their options: the brief's 16 MiB,
/// and smaller ones that make the limit itself reachable.
pub fn max_output(choice: u8) -> usize {
    [16 << 20, 1 << 20, 64 << 10, 1000][usize::from(choice & 3)]
}

/// The size of chunk `i` under the 7-byte `pattern`: 0 (an empty chunk), 1 to 127 bytes, or
/// multiples of 512 bytes up to 64 KiB.
pub fn chunk_size(pattern: &[u8], i: usize) -> usize {
    match pattern[i % pattern.len()] {
        b @ 0..=127 => usize::from(b),
        b => usize::from(b - 127) * 512,
    }
}

/// Cuts `data` into the chunks `pattern` gives (see [`chunk_size`]), empty chunks included; a
/// pattern of empty chunks alone gives the whole input as one chunk.
pub fn chunks<'a>(data: &'a [u8], pattern: &[u8]) -> Vec<&'a [u8]> {
    if pattern.iter().all(|&b| b == 0) {
        return vec![data];
    }
    let mut out = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    while pos < data.len() {
        let n = chunk_size(pattern, i).min(data.len() - pos);
        out.push(&data[pos..pos + n]);
        pos += n;
        i += 1;
    }
    out
}

/// A short description of an answer for assertion messages.
pub fn describe(answer: &Answer) -> String {
    match answer {
        Ok(out) => {
            let mut s = format!("Ok({} bytes", out.len());
            if !out.is_empty() {
                s.push_str(": ");
                for b in out.iter().take(16) {
                    let _ = write!(s, "{b:02x}");
                }
                if out.len() > 16 {
                    s.push_str("...");
                }
            }
            s.push(')');
            s
        }
        Err(kind) => format!("Err({kind:?})"),
    }
}

pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Asserts that every path gave the same answer: the same bytes, or the same kind of error.
pub fn assert_same(data: &[u8], answers: &[(&str, &Answer)]) {
    let (first_name, first) = answers[0];
    for &(name, other) in &answers[1..] {
        if other != first {
            let all: Vec<String> = answers
                .iter()
                .map(|(n, a)| format!("  {n}: {}", describe(a)))
                .collect();
            panic!(
                "paths disagree ({first_name} vs {name}) on {} bytes {}:\n{}",
                data.len(),
                hex(&data[..data.len().min(256)]),
                all.join("\n")
            );
        }
    }
}

/// Asserts that an answer is within the output bound.
pub fn assert_bounded(name: &str, answer: &Answer, max: usize) {
    if let Ok(out) = answer {
        assert!(
            out.len() <= max,
            "{name} produced {} bytes, over maxOutputSize {max}",
            out.len()
        );
    }
}

/// A zstd decompressor with the module-level defaults (no dictionary, the default window limit)
/// in `format`, made once per process.
pub fn decompressor(format: Format) -> &'static Decompressor {
    static STANDARD: OnceLock<Decompressor> = OnceLock::new();
    static MAGICLESS: OnceLock<Decompressor> = OnceLock::new();
    let cell = match format {
        Format::Standard => &STANDARD,
        Format::Magicless => &MAGICLESS,
    };
    cell.get_or_init(|| {
        Decompressor::new(None, DEFAULT_MAX_WINDOW_SIZE, format).expect("a default decompressor")
    })
}
