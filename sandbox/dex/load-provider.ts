/**
 * oidc-provider prints "Unsupported runtime" on import under Node 20 (it
 * prefers Node 22). The sandbox runs fine on 20, and the line would be the only
 * noise in the dev output, so it is filtered during the one import.
 */
export async function loadOidcProvider(): Promise<typeof import("oidc-provider")> {
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("Unsupported runtime")) return;
    originalWarn(...args);
  };
  try {
    return await import("oidc-provider");
  } finally {
    console.warn = originalWarn;
  }
}
