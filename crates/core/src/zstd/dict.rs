//! Dictionaries: the bytes, their id, and the digested forms libzstd compresses and
//! decompresses with. A digested compression dictionary depends on the parameters: one is built
//! per parameter set on first use and shared by the compressors that use it, and freed with the
//! last of them unless `precompute` pinned it.

use std::ptr::NonNull;
use std::sync::{Arc, Mutex, Weak};

use zstd_safe::zstd_sys as sys;
use zstd_safe::zstd_sys::ZSTD_dictContentType_e as Dct;

use super::params::{CctxParams, Params};
use crate::{Error, ErrorKind, Result};

/// `ZSTD_defaultCMem`, which zstd.h defines as a constant rather than exporting it.
const DEFAULT_ALLOCATOR: sys::ZSTD_customMem = sys::ZSTD_customMem {
    customAlloc: None,
    customFree: None,
    opaque: std::ptr::null_mut(),
};

const DICT_MAGIC: [u8; 4] = 0xEC30_A437u32.to_le_bytes();

/// How the bytes of a dictionary are interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictType {
    /// A zstd dictionary when it starts with the dictionary magic number, raw content otherwise.
    Auto,
    /// Raw content: any bytes, used as if they preceded the data.
    Raw,
    /// A zstd dictionary (as made by `zstd --train`); anything else is an error.
    Full,
}

impl DictType {
    fn raw(self) -> Dct {
        match self {
            DictType::Auto => Dct::ZSTD_dct_auto,
            DictType::Raw => Dct::ZSTD_dct_rawContent,
            DictType::Full => Dct::ZSTD_dct_fullDict,
        }
    }
}

/// A dictionary digested for compression with one parameter set.
pub(crate) struct Cdict {
    ptr: NonNull<sys::ZSTD_CDict>,
    _bytes: Arc<[u8]>,
}

// SAFETY: a digested dictionary is immutable after creation; libzstd reads it from any
// number of contexts at once.
unsafe impl Send for Cdict {}
// SAFETY: as above.
unsafe impl Sync for Cdict {}

impl Cdict {
    pub fn as_ptr(&self) -> *const sys::ZSTD_CDict {
        self.ptr.as_ptr()
    }

    fn size(&self) -> usize {
        // SAFETY: `ptr` is live.
        unsafe { sys::ZSTD_sizeof_CDict(self.ptr.as_ptr()) }
    }
}

impl Drop for Cdict {
    fn drop(&mut self) {
        // SAFETY: created by ZSTD_createCDict_advanced2 and freed once, before `_bytes`, which
        // it references.
        unsafe { sys::ZSTD_freeCDict(self.ptr.as_ptr()) };
    }
}

/// A dictionary digested for decompression.
pub(crate) struct Ddict {
    ptr: NonNull<sys::ZSTD_DDict>,
    _bytes: Arc<[u8]>,
}

// SAFETY: as for `Cdict`.
unsafe impl Send for Ddict {}
// SAFETY: as for `Cdict`.
unsafe impl Sync for Ddict {}

impl Ddict {
    pub fn as_ptr(&self) -> *const sys::ZSTD_DDict {
        self.ptr.as_ptr()
    }

    fn size(&self) -> usize {
        // SAFETY: `ptr` is live.
        unsafe { sys::ZSTD_sizeof_DDict(self.ptr.as_ptr()) }
    }
}

impl Drop for Ddict {
    fn drop(&mut self) {
        // SAFETY: created by ZSTD_createDDict_advanced and freed once, before `_bytes`.
        unsafe { sys::ZSTD_freeDDict(self.ptr.as_ptr()) };
    }
}

/// A compression dictionary, shared by compressors and decompressors.
pub struct Dictionary {
    bytes: Arc<[u8]>,
    kind: DictType,
    id: u32,
    ddict: Arc<Ddict>,
    cdicts: Mutex<Vec<(Params, Weak<Cdict>)>>,
    /// Digests kept for the dictionary's lifetime by `precompute`.
    pinned: Mutex<Vec<Arc<Cdict>>>,
}

impl Dictionary {
    /// Checks and digests `bytes` for decompression. A `Full` dictionary must be a valid zstd
    /// dictionary; with `Auto`, bytes that start with the dictionary magic number must be one.
    pub fn new(bytes: Vec<u8>, kind: DictType) -> Result<Self> {
        if bytes.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidArg,
                "a dictionary cannot be empty",
            ));
        }
        let has_magic = bytes.starts_with(&DICT_MAGIC);
        if kind == DictType::Full && !has_magic {
            return Err(Error::new(
                ErrorKind::Dictionary,
                "not a zstd dictionary: it does not start with the dictionary magic number \
                 (pass type: 'raw' to use arbitrary bytes)",
            ));
        }
        let id = match kind {
            DictType::Raw => 0,
            _ => zstd_safe::get_dict_id(&bytes).map_or(0, |id| id.get()),
        };
        let bytes: Arc<[u8]> = bytes.into();
        // SAFETY: `bytes` is readable for its length and, referenced rather than copied, is
        // kept alive by the `Ddict` that owns a clone of the `Arc`.
        let ptr = unsafe {
            sys::ZSTD_createDDict_advanced(
                bytes.as_ptr().cast(),
                bytes.len(),
                sys::ZSTD_dictLoadMethod_e::ZSTD_dlm_byRef,
                kind.raw(),
                DEFAULT_ALLOCATOR,
            )
        };
        let ptr = NonNull::new(ptr).ok_or_else(|| {
            Error::new(
                ErrorKind::Dictionary,
                "invalid zstd dictionary: its header or entropy tables are corrupt",
            )
        })?;
        Ok(Dictionary {
            ddict: Arc::new(Ddict {
                ptr,
                _bytes: bytes.clone(),
            }),
            bytes,
            kind,
            id,
            cdicts: Mutex::new(Vec::new()),
            pinned: Mutex::new(Vec::new()),
        })
    }

    /// The dictionary id (0 for raw content).
    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Digests the dictionary for compression with `params` now rather than on first use, and
    /// keeps the digest for as long as the dictionary lives.
    pub fn precompute(&self, params: &Params) -> Result<()> {
        let cdict = self.cdict(params)?;
        let mut pinned = self.pinned.lock().unwrap_or_else(|e| e.into_inner());
        if !pinned.iter().any(|p| Arc::ptr_eq(p, &cdict)) {
            pinned.push(cdict);
        }
        Ok(())
    }

    /// The dictionary digested for `params`, built on first use.
    pub(crate) fn cdict(&self, params: &Params) -> Result<Arc<Cdict>> {
        let key = params.dictionary_key();
        let mut cdicts = self.cdicts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cdict) = cdicts
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, cdict)| cdict.upgrade())
        {
            return Ok(cdict);
        }
        let cctx_params = CctxParams::new(&key)?;
        // SAFETY: as for the DDict in `new`: the bytes are referenced and kept alive by the
        // `Cdict`; `cctx_params` is live for the call, which copies what it needs.
        let ptr = unsafe {
            sys::ZSTD_createCDict_advanced2(
                self.bytes.as_ptr().cast(),
                self.bytes.len(),
                sys::ZSTD_dictLoadMethod_e::ZSTD_dlm_byRef,
                self.kind.raw(),
                cctx_params.as_ptr(),
                DEFAULT_ALLOCATOR,
            )
        };
        let ptr = NonNull::new(ptr).ok_or_else(|| {
            Error::new(
                ErrorKind::Memory,
                "out of memory digesting a zstd dictionary",
            )
        })?;
        let cdict = Arc::new(Cdict {
            ptr,
            _bytes: self.bytes.clone(),
        });
        cdicts.retain(|(_, c)| c.strong_count() > 0);
        cdicts.push((key, Arc::downgrade(&cdict)));
        Ok(cdict)
    }

    pub(crate) fn ddict(&self) -> Arc<Ddict> {
        self.ddict.clone()
    }

    /// Bytes held: the dictionary and its digested forms.
    pub fn memory_size(&self) -> usize {
        let cdicts = self.cdicts.lock().unwrap_or_else(|e| e.into_inner());
        let digests: usize = cdicts
            .iter()
            .filter_map(|(_, c)| c.upgrade())
            .map(|c| c.size())
            .sum();
        self.bytes.len() + self.ddict.size() + digests
    }
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("len", &self.bytes.len())
            .finish()
    }
}
