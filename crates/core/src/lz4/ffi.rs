//! The parts of liblz4's API that squish calls, declared from lz4.h, lz4hc.h and lz4frame.h
//! (1.10.0) with plain integer fields: lz4-sys declares some of these structs with Rust enums,
//! which a frame header written by anyone else could fill with an undefined value. lz4-sys
//! builds and links the library itself.

#![allow(non_camel_case_types, non_snake_case)]

use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void};

pub const LZ4F_VERSION: c_uint = 100;
/// `LZ4_MAX_INPUT_SIZE`: the largest block input liblz4 accepts.
pub const LZ4_MAX_INPUT_SIZE: usize = 0x7E00_0000;
/// `LZ4F_HEADER_SIZE_MAX`.
pub const LZ4F_HEADER_SIZE_MAX: usize = 19;
/// `LZ4HC_CLEVEL_MIN`: frames at lower levels use the fast compressor.
pub const LZ4HC_CLEVEL_MIN: c_int = 2;

pub enum LZ4F_cctx {}
pub enum LZ4F_dctx {}
pub enum LZ4F_CDict {}
pub enum LZ4_stream_t {}
pub enum LZ4_streamHC_t {}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct LZ4F_frameInfo_t {
    pub blockSizeID: c_uint,
    pub blockMode: c_uint,
    pub contentChecksumFlag: c_uint,
    pub frameType: c_uint,
    pub contentSize: c_ulonglong,
    pub dictID: c_uint,
    pub blockChecksumFlag: c_uint,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct LZ4F_preferences_t {
    pub frameInfo: LZ4F_frameInfo_t,
    pub compressionLevel: c_int,
    pub autoFlush: c_uint,
    pub favorDecSpeed: c_uint,
    pub reserved: [c_uint; 3],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct LZ4F_compressOptions_t {
    pub stableSrc: c_uint,
    pub reserved: [c_uint; 3],
}

pub type LZ4F_AllocFunction = unsafe extern "C" fn(opaque: *mut c_void, size: usize) -> *mut c_void;
pub type LZ4F_FreeFunction = unsafe extern "C" fn(opaque: *mut c_void, address: *mut c_void);

#[repr(C)]
pub struct LZ4F_CustomMem {
    pub customAlloc: Option<LZ4F_AllocFunction>,
    pub customCalloc: Option<LZ4F_AllocFunction>,
    pub customFree: Option<LZ4F_FreeFunction>,
    pub opaqueState: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct LZ4F_decompressOptions_t {
    pub stableDst: c_uint,
    pub skipChecksums: c_uint,
    pub reserved1: c_uint,
    pub reserved0: c_uint,
}

extern "C" {
    pub fn LZ4F_isError(code: usize) -> c_uint;
    pub fn LZ4F_getErrorCode(code: usize) -> c_int;
    pub fn LZ4F_getErrorName(code: usize) -> *const c_char;

    pub fn LZ4F_createCompressionContext_advanced(
        customMem: LZ4F_CustomMem,
        version: c_uint,
    ) -> *mut LZ4F_cctx;
    pub fn LZ4F_freeCompressionContext(cctx: *mut LZ4F_cctx) -> usize;
    pub fn LZ4F_compressFrameBound(srcSize: usize, prefs: *const LZ4F_preferences_t) -> usize;
    pub fn LZ4F_compressFrame_usingCDict(
        cctx: *mut LZ4F_cctx,
        dst: *mut c_void,
        dstCapacity: usize,
        src: *const c_void,
        srcSize: usize,
        cdict: *const LZ4F_CDict,
        prefs: *const LZ4F_preferences_t,
    ) -> usize;
    pub fn LZ4F_compressBegin(
        cctx: *mut LZ4F_cctx,
        dst: *mut c_void,
        dstCapacity: usize,
        prefs: *const LZ4F_preferences_t,
    ) -> usize;
    pub fn LZ4F_compressBound(srcSize: usize, prefs: *const LZ4F_preferences_t) -> usize;
    pub fn LZ4F_compressUpdate(
        cctx: *mut LZ4F_cctx,
        dst: *mut c_void,
        dstCapacity: usize,
        src: *const c_void,
        srcSize: usize,
        options: *const LZ4F_compressOptions_t,
    ) -> usize;
    pub fn LZ4F_flush(
        cctx: *mut LZ4F_cctx,
        dst: *mut c_void,
        dstCapacity: usize,
        options: *const LZ4F_compressOptions_t,
    ) -> usize;
    pub fn LZ4F_compressEnd(
        cctx: *mut LZ4F_cctx,
        dst: *mut c_void,
        dstCapacity: usize,
        options: *const LZ4F_compressOptions_t,
    ) -> usize;

    pub fn LZ4F_createDecompressionContext(dctx: *mut *mut LZ4F_dctx, version: c_uint) -> usize;
    pub fn LZ4F_freeDecompressionContext(dctx: *mut LZ4F_dctx) -> usize;
    pub fn LZ4F_resetDecompressionContext(dctx: *mut LZ4F_dctx);
    pub fn LZ4F_decompress(
        dctx: *mut LZ4F_dctx,
        dst: *mut c_void,
        dstSize: *mut usize,
        src: *const c_void,
        srcSize: *mut usize,
        options: *const LZ4F_decompressOptions_t,
    ) -> usize;

    pub fn LZ4_compressBound(inputSize: c_int) -> c_int;
    pub fn LZ4_createStream() -> *mut LZ4_stream_t;
    pub fn LZ4_freeStream(stream: *mut LZ4_stream_t) -> c_int;
    pub fn LZ4_sizeofState() -> c_int;
    pub fn LZ4_initStream(buffer: *mut c_void, size: usize) -> *mut LZ4_stream_t;
    pub fn LZ4_loadDict(stream: *mut LZ4_stream_t, dict: *const c_char, dictSize: c_int) -> c_int;
    pub fn LZ4_compress_fast_continue(
        stream: *mut LZ4_stream_t,
        src: *const c_char,
        dst: *mut c_char,
        srcSize: c_int,
        dstCapacity: c_int,
        acceleration: c_int,
    ) -> c_int;
    pub fn LZ4_createStreamHC() -> *mut LZ4_streamHC_t;
    pub fn LZ4_freeStreamHC(stream: *mut LZ4_streamHC_t) -> c_int;
    pub fn LZ4_compress_HC_extStateHC_fastReset(
        state: *mut c_void,
        src: *const c_char,
        dst: *mut c_char,
        srcSize: c_int,
        dstCapacity: c_int,
        level: c_int,
    ) -> c_int;
    pub fn LZ4_resetStreamHC_fast(stream: *mut LZ4_streamHC_t, level: c_int);
    pub fn LZ4_loadDictHC(
        stream: *mut LZ4_streamHC_t,
        dict: *const c_char,
        dictSize: c_int,
    ) -> c_int;
    pub fn LZ4_compress_HC_continue(
        stream: *mut LZ4_streamHC_t,
        src: *const c_char,
        dst: *mut c_char,
        srcSize: c_int,
        dstCapacity: c_int,
    ) -> c_int;
    pub fn LZ4_decompress_safe(
        src: *const c_char,
        dst: *mut c_char,
        compressedSize: c_int,
        dstCapacity: c_int,
    ) -> c_int;
    pub fn LZ4_decompress_safe_usingDict(
        src: *const c_char,
        dst: *mut c_char,
        compressedSize: c_int,
        dstCapacity: c_int,
        dict: *const c_char,
        dictSize: c_int,
    ) -> c_int;

    pub fn XXH32(input: *const c_void, length: usize, seed: c_uint) -> c_uint;
}
