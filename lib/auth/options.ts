import type { NextAuthOptions } from "next-auth";
import { z } from "zod";
import { env } from "@/lib/config/env";
import { authSecret } from "./secret";

// What Dex puts in its ID token (with the `groups` scope); zod so a misconfigured IdP fails
// sign-in loudly instead of producing a user with no groups.
const dexProfile = z.object({
  iss: z.string(),
  sub: z.string().min(1),
  email: z.string().email(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  groups: z.array(z.string()).default([]),
});

const SESSION_MAX_AGE_S = 8 * 60 * 60;

export function authOptions(): NextAuthOptions {
  const config = env();
  // next-auth v4 builds its callback URLs from NEXTAUTH_URL.
  process.env.NEXTAUTH_URL ??= config.PORTAL_URL;
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      {
        id: "dex",
        name: "Dex",
        type: "oauth",
        wellKnown: `${config.DEX_ISSUER}/.well-known/openid-configuration`,
        clientId: config.DEX_CLIENT_ID,
        clientSecret: config.DEX_CLIENT_SECRET,
        authorization: { params: { scope: "openid email profile groups" } },
        idToken: true,
        checks: ["pkce", "state"],
        profile(raw) {
          const profile = dexProfile.parse(raw);
          return { id: profile.sub, email: profile.email, name: profile.name ?? profile.preferred_username ?? profile.email };
        },
      },
    ],
    callbacks: {
      async jwt({ token, profile }) {
        if (profile) {
          const p = dexProfile.parse(profile);
          token.iss = p.iss;
          token.sub = p.sub;
          token.email = p.email;
          token.name = p.name ?? p.preferred_username ?? p.email;
          token.groups = p.groups;
        }
        return token;
      },
      async session({ session, token }) {
        session.identity = {
          issuer: String(token.iss ?? ""),
          subject: String(token.sub ?? ""),
          email: String(token.email ?? ""),
          name: token.name ?? null,
          groups: Array.isArray(token.groups) ? token.groups.map(String) : [],
        };
        return session;
      },
    },
  };
}
