/**
 * Signs a demo user in through the real OIDC code flow (portal → Dex → portal) with plain
 * fetch and a cookie jar, so load tests hit the portal with genuine session cookies.
 * Portal and Dex share the host "localhost", and cookies are per host, not per port.
 */
type Jar = Map<string, string>;

function store(jar: Jar, res: Response) {
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function go(jar: Jar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(jar) } });
  store(jar, res);
  return res;
}

async function follow(jar: Jar, start: Response, base: string): Promise<Response> {
  let res = start;
  let url = base;
  for (let hops = 0; hops < 15 && res.status >= 300 && res.status < 400; hops++) {
    url = new URL(res.headers.get("location")!, url).toString();
    res = await go(jar, url);
  }
  return Object.assign(res, { finalUrl: url });
}

export async function signInSession(portalUrl: string, email: string, password: string): Promise<string> {
  const jar: Jar = new Map();
  const csrf = (await (await go(jar, `${portalUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  const start = await go(jar, `${portalUrl}/api/auth/signin/dex`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: `${portalUrl}/`, json: "true" }),
  });
  const { url: authorizeUrl } = (await start.json()) as { url: string };
  const loginPage = (await follow(jar, await go(jar, authorizeUrl), authorizeUrl)) as Response & { finalUrl: string };
  const html = await loginPage.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!action) throw new Error(`no login form at ${loginPage.finalUrl}`);
  const actionUrl = new URL(action, loginPage.finalUrl).toString();
  const posted = await go(jar, actionUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: email, password }),
  });
  await follow(jar, posted, actionUrl);
  const session = [...jar].find(([k]) => k.includes("next-auth.session-token"));
  if (!session) throw new Error(`sign-in of ${email} did not produce a session`);
  return cookieHeader(jar);
}
