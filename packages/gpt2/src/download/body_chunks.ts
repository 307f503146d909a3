import type { Readable } from 'node:stream';
import { finished } from 'node:stream';

/**
 * The chunks of an HTTP response body, in order, then its error (if it ended badly).
 *
 * Unlike `for await (const c of body)`, every byte the socket delivered is yielded even when the
 * connection dropped while the consumer was busy (opening or writing the file): Node's stream
 * iterator stops reading a destroyed stream and silently drops what it still buffers, so a resume
 * would start earlier than the bytes actually received (at 0 when the drop came before the first
 * read). Back-pressure is kept: the body is read only as fast as the consumer asks.
 *
 * @throws the body's error (`aborted` / premature close, or the error it was destroyed with) once
 *   every buffered chunk has been yielded
 */
export async function* bodyChunks(body: Readable): AsyncGenerator<Buffer> {
  let wake: () => void = () => {};
  let outcome: { error: unknown } | undefined;
  const onReadable = (): void => wake();
  body.on('readable', onReadable);
  const stopWatching = finished(body, { writable: false }, (err) => {
    outcome = { error: err ?? undefined };
    wake();
  });
  try {
    for (;;) {
      // read() still hands out what is buffered after the stream was destroyed
      const chunk = body.read() as Buffer | null;
      if (chunk !== null) yield chunk;
      else if (outcome !== undefined) {
        if (outcome.error !== undefined) throw outcome.error;
        return;
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    body.off('readable', onReadable);
    stopWatching();
    // the consumer stopped early: release the connection
    if (outcome === undefined) body.destroy();
  }
}
