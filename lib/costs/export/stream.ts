/**
 * Turns an async sequence of CSV chunks into a byte stream that pulls the next chunk only when
 * the consumer asks for it: a slow download holds at most one batch in memory instead of the
 * database racing ahead into the stream's queue.
 */
export function chunksToStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      // The client went away: stop paging through the database.
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
