//! liblz4, through lz4-sys.

/// The version of the linked liblz4, e.g. `"1.10.0"`.
pub fn version() -> String {
    // SAFETY: LZ4_versionNumber takes no arguments, reads no memory and returns a constant.
    let n = unsafe { lz4_sys::LZ4_versionNumber() };
    format!("{}.{}.{}", n / 10000, n / 100 % 100, n % 100)
}
