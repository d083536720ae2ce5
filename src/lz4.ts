export * from './lz4/frame'
export * from './lz4/incremental'
export * from './lz4/block'
export * from './lz4/streams'
