/** `count` small JSON messages (100 B - 2 KB) cut from @mdn/browser-compat-data, the same on every call. */
export function smallMessages(count?: number, seed?: number): Buffer[]
