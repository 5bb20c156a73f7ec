import type { NextConfig } from "next";

const config: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // Compression belongs to the ingress in front of the replicas; doing it here cost ~2% of the
  // server's CPU in the keys-page benchmark.
  compress: false,
  // `npm test` type-checks the whole project (tests and scripts included) with tsc first;
  // doing it again inside the build would only cost minutes on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
  // Native/WASM database drivers must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg", "prom-client"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default config;
