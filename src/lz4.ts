import { native } from './binding'

/** The version of the bundled liblz4. */
export const VERSION: string = native.versions().lz4
