import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getPrincipal } from "@/lib/auth/session";
import { SignInClient } from "./signin-client";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Only same-site paths may be returned to after sign-in (no open redirect through callbackUrl).
function safeCallback(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getPrincipal()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? params.error : undefined;
  return <SignInClient callbackUrl={callbackUrl} auto={!error && params.signedOut === undefined} error={error} />;
}
