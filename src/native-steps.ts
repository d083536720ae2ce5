/** The steps of a native encoder or decoder of either codec, on the worker pool, for streams and files. */

import { native } from './binding'
import type { DecoderHandle, EncoderHandle } from './native'
import { type Steps, STEP_OUTPUT } from './stream'

export function encoderSteps(encoder: EncoderHandle): Steps {
  return {
    update: (chunk) => native.encoderUpdateAsync(encoder, chunk),
    flush: () => native.encoderFlushAsync(encoder, false, false),
    final: () => native.encoderFlushAsync(encoder, true, true),
    close: () => native.encoderClose(encoder),
  }
}

export function decoderSteps(decoder: DecoderHandle): Steps {
  return {
    update: (chunk) => native.decoderStepAsync(decoder, chunk, STEP_OUTPUT),
    pending: () => native.decoderPending(decoder),
    final: async () => {
      native.decoderFinish(decoder)
      return Buffer.alloc(0)
    },
    close: () => native.decoderClose(decoder),
  }
}
