/** Where the e2e stack listens: its own ports, so it never collides with `npm run dev`. */
export const E2E = {
  portalUrl: "http://localhost:3100",
  portalPort: 3100,
  dexPort: 5656,
  litellmPort: 4100,
  vllmPort: 8100,
  litellmUrl: "http://localhost:4100",
  dexIssuer: "http://localhost:5656/dex",
  masterKey: "sk-e2e-master",
} as const;
