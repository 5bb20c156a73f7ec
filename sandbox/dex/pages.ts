import { escapeHtml } from "../http/html";

/** Plain page frame; inline CSS only, so the pages work offline. */
function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f3f4f6; color: #111827; }
  main { max-width: 360px; margin: 10vh auto; background: #fff; border-radius: 8px; padding: 32px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin: 0 0 8px; }
  p.sub { margin: 0 0 24px; color: #6b7280; font-size: .9rem; }
  label { display: block; font-weight: 600; font-size: .9rem; margin: 16px 0 6px; }
  input { box-sizing: border-box; width: 100%; padding: 10px; border: 1px solid #d1d5db; border-radius: 6px; font-size: 1rem; }
  button { margin-top: 24px; width: 100%; padding: 10px; border: 0; border-radius: 6px; background: #2563eb; color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }
  button.secondary { background: #e5e7eb; color: #111827; margin-top: 8px; }
  .error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 6px; padding: 10px; margin-bottom: 8px; }
  pre { white-space: pre-wrap; word-break: break-word; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface LoginPageOptions {
  action: string;
  login?: string;
  error?: string;
}

export function loginPage({ action, login = "", error }: LoginPageOptions): string {
  return layout(
    "Log in to Dex",
    `<h1>Log in to Dex</h1>
<p class="sub">Inference Portal sandbox identity provider</p>
${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ""}
<form method="post" action="${escapeHtml(action)}">
  <label for="login">Email address</label>
  <input id="login" name="login" type="email" autocomplete="username" required autofocus value="${escapeHtml(login)}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Log in</button>
</form>`,
  );
}

export function errorPage(out: Record<string, unknown>): string {
  const rows = Object.entries(out)
    .map(([k, v]) => `<pre><strong>${escapeHtml(k)}</strong>: ${escapeHtml(String(v))}</pre>`)
    .join("\n");
  return layout("Dex error", `<h1>Something went wrong</h1>\n<div class="error" role="alert">${rows}</div>`);
}

/** `form` is oidc-provider's hidden logout form (xsrf token), trusted markup. */
export function logoutConfirmPage(form: string): string {
  return layout(
    "Log out of Dex",
    `<h1>Log out of Dex?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, log me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay logged in</button>`,
  );
}

export function loggedOutPage(): string {
  return layout("Logged out", "<h1>Logged out</h1>\n<p class=\"sub\">You have been logged out of Dex.</p>");
}
