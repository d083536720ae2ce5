//! Sizes handed to JavaScript: numbers, or BigInts beyond `Number.MAX_SAFE_INTEGER`, so no size
//! loses precision and the common case costs no BigInt.

use napi::bindgen_prelude::{BigInt, Either};

const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

pub(crate) fn size(n: u64) -> Either<f64, BigInt> {
    if n <= MAX_SAFE_INTEGER {
        Either::A(n as f64)
    } else {
        Either::B(BigInt::from(n))
    }
}
