import { NextResponse, type NextRequest } from "next/server";

const REQUEST_ID = /^[\w-]{8,64}$/;

/**
 * Gives every request an id (kept from a trusted proxy's X-Request-Id when well-formed) that
 * pages, route handlers, logs and audit events share, and returns it to the client.
 * Authorization does not live here: every page and route handler checks it itself.
 */
export function proxy(req: NextRequest) {
  const incoming = req.headers.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  // Lets the portal layout send a signed-out visitor to sign-in and back to this very page.
  headers.set("x-portal-path", req.nextUrl.pathname + req.nextUrl.search);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
