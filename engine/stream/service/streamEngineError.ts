// Turns the streaming layer's own errors (StreamError, ProducerError) into EngineErrors with their codes and details.
import { EngineError } from '../../api/errors'
import { ProducerError } from '../producer/producerError'
import { StreamError } from '../streamError'

/**
 * An EngineError with the code and detail of a StreamError or ProducerError (CHECKPOINT_LOCKED keeps `pid` and
 * `file`; INVALID_ARGUMENT keeps `path`, the knob); anything else is returned unchanged for toEngineError.
 */
export function streamEngineError(error: unknown): unknown {
  if (error instanceof StreamError) return new EngineError(error.code, error.message, { source: 'stream', ...error.detail })
  if (error instanceof ProducerError) {
    const message = error.message.startsWith(`${error.code}: `) ? error.message.slice(error.code.length + 2) : error.message
    return new EngineError(error.code, message, { source: 'producer', ...error.detail })
  }
  return error
}
