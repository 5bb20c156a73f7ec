/**
 * Static demo identities of the Dex stand-in. Shared with e2e tests and the dev
 * script, which prints them, so the credentials live in exactly one place.
 * These are throwaway sandbox passwords, never valid anywhere else.
 */
export interface DemoUser {
  email: string;
  password: string;
  name: string;
  /** Dex's `preferred_username` (the static password's `username`). */
  username: string;
  /** OIDC subject, encoded exactly as Dex encodes it for a static-password user. */
  sub: string;
  groups: string[];
  description: string;
}

/** Dex's connector id for `staticPasswords`. */
const LOCAL_CONNECTOR_ID = "local";

/**
 * Dex's `sub` is the base64url (no padding) of a protobuf message
 * `{1: user_id, 2: connector_id}`. Reproducing it keeps subjects realistic, so
 * the portal never relies on `sub` looking like an email or a UUID.
 */
export function dexSubject(userId: string, connectorId = LOCAL_CONNECTOR_ID): string {
  const field = (tag: number, value: string) => {
    const bytes = Buffer.from(value, "utf8");
    if (bytes.length > 127) throw new Error("dexSubject supports values up to 127 bytes");
    return Buffer.concat([Buffer.from([tag, bytes.length]), bytes]);
  };
  return Buffer.concat([field(0x0a, userId), field(0x12, connectorId)]).toString("base64url");
}

function user(
  userId: string,
  fields: Omit<DemoUser, "sub">,
): DemoUser {
  return { ...fields, sub: dexSubject(userId) };
}

export const DEMO_USERS: readonly DemoUser[] = [
  user("4f1c2a9e-1d1e-4a53-9a77-0d6c1b3e0a01", {
    email: "dev@acme.example",
    password: "acme-dev-pass",
    name: "Ada Developer",
    username: "ada",
    groups: ["acme-developers"],
    description: "Developer in tenant Acme",
  }),
  user("4f1c2a9e-1d1e-4a53-9a77-0d6c1b3e0a02", {
    email: "admin@acme.example",
    password: "acme-admin-pass",
    name: "Alan Admin",
    username: "alan",
    groups: ["acme-admins"],
    description: "Tenant admin of Acme",
  }),
  user("4f1c2a9e-1d1e-4a53-9a77-0d6c1b3e0a03", {
    email: "dev@globex.example",
    password: "globex-dev-pass",
    name: "Grace Globex",
    username: "grace",
    groups: ["globex-developers"],
    description: "Developer in tenant Globex (second tenant, for cross-tenant checks)",
  }),
  user("4f1c2a9e-1d1e-4a53-9a77-0d6c1b3e0a04", {
    email: "platform@example.com",
    password: "platform-pass",
    name: "Pat Platform",
    username: "pat",
    groups: ["platform-admins"],
    description: "Platform admin (all tenants, approvals)",
  }),
  user("4f1c2a9e-1d1e-4a53-9a77-0d6c1b3e0a05", {
    email: "finance@example.com",
    password: "finance-pass",
    name: "Fin Ance",
    username: "fin",
    groups: ["finance"],
    description: "Finance (read-only costs across tenants)",
  }),
];

export function findDemoUserByEmail(email: string): DemoUser | undefined {
  const wanted = email.trim().toLowerCase();
  return DEMO_USERS.find((u) => u.email === wanted);
}

export function findDemoUserBySub(sub: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.sub === sub);
}
