import type { Identity } from "@/lib/auth/principal";

declare module "next-auth" {
  interface Session {
    identity?: Identity;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    iss?: string;
    groups?: string[];
  }
}
