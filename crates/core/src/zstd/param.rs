//! The compression parameters of libzstd that squish sets: every stable `ZSTD_c_*` parameter
//! plus the frame format and `forceMaxWindow`, with their bounds.

use zstd_safe::zstd_sys as sys;
use zstd_safe::zstd_sys::ZSTD_cParameter as C;

/// One compression parameter. Booleans are 0 or 1; `Strategy` is 1 (fast) to 9 (btultra2);
/// `Format` is 0 (standard) or 1 (magicless).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    Level,
    WindowLog,
    HashLog,
    ChainLog,
    SearchLog,
    MinMatch,
    TargetLength,
    Strategy,
    TargetCBlockSize,
    EnableLdm,
    LdmHashLog,
    LdmMinMatch,
    LdmBucketSizeLog,
    LdmHashRateLog,
    ContentSize,
    Checksum,
    DictId,
    Threads,
    JobSize,
    OverlapLog,
    Format,
    ForceMaxWindow,
}

pub(crate) const COUNT: usize = 22;

impl Param {
    /// Every parameter, in the order they are applied: the level first, so that parameters set
    /// explicitly override the ones it implies.
    pub const ALL: [Param; COUNT] = [
        Param::Level,
        Param::WindowLog,
        Param::HashLog,
        Param::ChainLog,
        Param::SearchLog,
        Param::MinMatch,
        Param::TargetLength,
        Param::Strategy,
        Param::TargetCBlockSize,
        Param::EnableLdm,
        Param::LdmHashLog,
        Param::LdmMinMatch,
        Param::LdmBucketSizeLog,
        Param::LdmHashRateLog,
        Param::ContentSize,
        Param::Checksum,
        Param::DictId,
        Param::Threads,
        Param::JobSize,
        Param::OverlapLog,
        Param::Format,
        Param::ForceMaxWindow,
    ];

    pub(crate) fn raw(self) -> C {
        match self {
            Param::Level => C::ZSTD_c_compressionLevel,
            Param::WindowLog => C::ZSTD_c_windowLog,
            Param::HashLog => C::ZSTD_c_hashLog,
            Param::ChainLog => C::ZSTD_c_chainLog,
            Param::SearchLog => C::ZSTD_c_searchLog,
            Param::MinMatch => C::ZSTD_c_minMatch,
            Param::TargetLength => C::ZSTD_c_targetLength,
            Param::Strategy => C::ZSTD_c_strategy,
            Param::TargetCBlockSize => C::ZSTD_c_targetCBlockSize,
            Param::EnableLdm => C::ZSTD_c_enableLongDistanceMatching,
            Param::LdmHashLog => C::ZSTD_c_ldmHashLog,
            Param::LdmMinMatch => C::ZSTD_c_ldmMinMatch,
            Param::LdmBucketSizeLog => C::ZSTD_c_ldmBucketSizeLog,
            Param::LdmHashRateLog => C::ZSTD_c_ldmHashRateLog,
            Param::ContentSize => C::ZSTD_c_contentSizeFlag,
            Param::Checksum => C::ZSTD_c_checksumFlag,
            Param::DictId => C::ZSTD_c_dictIDFlag,
            Param::Threads => C::ZSTD_c_nbWorkers,
            Param::JobSize => C::ZSTD_c_jobSize,
            Param::OverlapLog => C::ZSTD_c_overlapLog,
            // ZSTD_c_format and ZSTD_c_forceMaxWindow in zstd.h's experimental section.
            Param::Format => C::ZSTD_c_experimentalParam2,
            Param::ForceMaxWindow => C::ZSTD_c_experimentalParam3,
        }
    }

    /// The inclusive range libzstd accepts. For `EnableLdm`, libzstd's tri-state switch is
    /// narrowed to a boolean.
    pub fn bounds(self) -> (i32, i32) {
        match self {
            Param::EnableLdm
            | Param::ContentSize
            | Param::Checksum
            | Param::DictId
            | Param::Format
            | Param::ForceMaxWindow => (0, 1),
            _ => {
                // SAFETY: a pure query on a valid enum value.
                let b = unsafe { sys::ZSTD_cParam_getBounds(self.raw()) };
                (b.lowerBound, b.upperBound)
            }
        }
    }

    /// Whether 0 is accepted besides the bounds: no block size target, as in libzstd.
    pub fn zero_means_none(self) -> bool {
        self == Param::TargetCBlockSize
    }

    /// `EnableLdm` is a libzstd switch: 1 enables, 2 disables.
    pub(crate) fn raw_value(self, value: i32) -> i32 {
        match (self, value) {
            (Param::EnableLdm, 0) => 2,
            _ => value,
        }
    }
}
