import type { Account, KoaContextWithOIDC } from "oidc-provider";
import { findDemoUserBySub } from "../demo-users";

/**
 * Claims as Dex issues them for a static-password user. oidc-provider filters
 * them by granted scope (email, profile, groups) before they reach a token.
 */
export async function findAccount(_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> {
  const user = findDemoUserBySub(sub);
  if (!user) return undefined;
  return {
    accountId: user.sub,
    claims: () => ({
      sub: user.sub,
      email: user.email,
      email_verified: true,
      name: user.name,
      preferred_username: user.username,
      groups: [...user.groups],
    }),
  };
}
