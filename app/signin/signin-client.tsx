"use client";

import { useEffect } from "react";
import { signIn } from "next-auth/react";
import { Cpu, LogIn } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

type Props = { callbackUrl: string; auto: boolean; error?: string };

export function SignInClient({ callbackUrl, auto, error }: Props) {
  // Single sign-on: go straight to the identity provider unless the user just signed out or
  // the previous attempt failed (then a loop would hide the problem).
  useEffect(() => {
    if (auto) void signIn("dex", { callbackUrl });
  }, [auto, callbackUrl]);

  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <div className="flex items-center gap-2">
            <Cpu className="size-5 text-primary" aria-hidden />
            <CardTitle asHeading="h2">Inference Portal</CardTitle>
          </div>
          <CardDescription>Sign in with your organization account.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {error ? (
            <Alert variant="destructive">
              <AlertTitle>Sign-in failed</AlertTitle>
              <AlertDescription>The identity provider did not complete the sign-in ({error}). Try again.</AlertDescription>
            </Alert>
          ) : null}
          <Button onClick={() => signIn("dex", { callbackUrl })}>
            <LogIn className="size-4" aria-hidden />
            {auto ? "Redirecting to single sign-on…" : "Sign in with Dex"}
          </Button>
        </CardContent>
      </Card>
    </main>
  );
}
