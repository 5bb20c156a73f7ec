/** Polls URLs until each answers 2xx, or fails after `timeoutMs` naming the ones that did not. */
export async function waitFor(urls: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size) {
    for (const url of [...pending]) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) pending.delete(url);
      } catch {
        // not up yet
      }
    }
    if (!pending.size) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${[...pending].join(", ")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
