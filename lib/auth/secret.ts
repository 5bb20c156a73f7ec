import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/config/env";
import { logger } from "@/lib/observability/log";

let cached: string | undefined;

/**
 * The session-signing secret. AUTH_SECRET wins; without it a random secret is generated once
 * and kept under DATA_DIR so a single-node install keeps its sessions across restarts.
 * Several replicas must share AUTH_SECRET (README says so).
 */
export function authSecret(): string {
  if (cached) return cached;
  const config = env();
  if (config.AUTH_SECRET) return (cached = config.AUTH_SECRET);
  const file = path.resolve(config.DATA_DIR, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    logger.warn("AUTH_SECRET is not set; generated one under DATA_DIR. Set AUTH_SECRET when running several replicas.");
  }
  chmodSync(file, 0o600);
  return (cached = readFileSync(file, "utf8").trim());
}
