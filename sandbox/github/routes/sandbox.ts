import { z } from "zod";
import { escapeHtml } from "../../http/html";
import { sendHtml, sendText } from "../../http/respond";
import { GitHubError, notFound } from "../errors";
import { faultSettingsSchema } from "../faults";
import type { Route } from "../route-types";
import type { Delivery } from "../webhooks";
import { requirePull } from "./common";

// Control endpoints for tests and e2e runs that drive the sandbox from another
// process; not part of GitHub's API. Loopback callers only.

const faultsBodySchema = faultSettingsSchema.partial({ mode: true }).extend({
  /** Refuse every merge with this message (405), or lift the block with null. */
  blockMerges: z.string().min(1).nullable().optional(),
  /** The same for one pull request. */
  blockMerge: z.object({ pull_number: z.number().int().positive(), reason: z.string().min(1).nullable() }).optional(),
});

const webhookBodySchema = z.object({ url: z.url(), secret: z.string(), events: z.array(z.string()).optional() });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new GitHubError(400, `Invalid sandbox control request: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const deliverySummary = ({ body: _body, payload: _payload, ...summary }: Delivery) => summary;

export const sandboxRoutes: Route[] = [
  {
    method: "GET",
    path: "/_sandbox/faults",
    auth: "none",
    handler: ({ backend }) => ({ body: backend.faults.snapshot() }),
  },
  {
    method: "POST",
    path: "/_sandbox/faults",
    auth: "none",
    async handler({ backend, json }) {
      const input = parse(faultsBodySchema, await json());
      const { faults } = backend;
      if (input.mode) faults.set({ mode: input.mode, delayMs: input.delayMs, count: input.count });
      if (input.blockMerges !== undefined) faults.blockMerge("all", input.blockMerges);
      if (input.blockMerge) faults.blockMerge(input.blockMerge.pull_number, input.blockMerge.reason);
      return { body: faults.snapshot() };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/webhooks",
    auth: "none",
    async handler({ backend, json }) {
      const input = parse(webhookBodySchema, await json());
      return { status: 201, body: { id: backend.webhooks.add(input) } };
    },
  },
  {
    method: "DELETE",
    path: "/_sandbox/webhooks/:id",
    auth: "none",
    handler({ backend, params }) {
      if (!backend.webhooks.remove(Number(params.id))) throw notFound();
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: "/_sandbox/deliveries",
    auth: "none",
    handler: ({ backend }) => ({ body: backend.webhooks.deliveries.map(deliverySummary) }),
  },
  {
    method: "POST",
    path: "/_sandbox/deliveries/:id/redeliver",
    auth: "none",
    async handler({ backend, params }) {
      if (!backend.webhooks.deliveries.some((d) => d.id === params.id)) throw notFound();
      return { body: deliverySummary(await backend.webhooks.redeliver(params.id!)) };
    },
  },
  {
    method: "GET",
    path: "/_sandbox/avatars/:login",
    auth: "public",
    handler({ res, params }) {
      // Avatars in payloads point here so a dev UI shows something without internet.
      const letter = escapeHtml((params.login ?? "?").charAt(0).toUpperCase());
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" rx="20" fill="#6e7781"/><text x="20" y="26" font-family="sans-serif" font-size="18" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
      sendText(res, 200, svg, "image/svg+xml");
      return undefined;
    },
  },
  {
    method: "GET",
    path: "/:owner/:repo/pull/:pull_number",
    auth: "public",
    async handler(ctx) {
      // The page html_url points to, so links in a dev portal lead somewhere useful.
      const pr = requirePull(ctx);
      const { backend } = ctx;
      const files = await backend.pullFiles(pr);
      const reviews = backend.store.reviews(pr.number);
      const state = pr.merged ? `merged as ${pr.mergeCommitSha?.slice(0, 7)}` : pr.state;
      const html = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(pr.title)} · #${pr.number}</title>
<body style="font-family:sans-serif;max-width:960px;margin:2rem auto">
<p>${escapeHtml(backend.id.owner)}/${escapeHtml(backend.id.repo)} (GitHub sandbox)</p>
<h1>${escapeHtml(pr.title)} <small>#${pr.number}</small></h1>
<p><strong>${escapeHtml(state)}</strong> · ${escapeHtml(pr.headRef)} → ${escapeHtml(pr.baseRef)} · by ${escapeHtml(pr.user)}</p>
<pre style="white-space:pre-wrap">${escapeHtml(pr.body ?? "")}</pre>
<h2>Reviews</h2><ul>${reviews.map((r) => `<li>${escapeHtml(r.state)} by ${escapeHtml(r.user)}: ${escapeHtml(r.body)}</li>`).join("") || "<li>none</li>"}</ul>
<h2>Files changed (${files.length})</h2>
${files.map((f) => `<h3>${escapeHtml(f.filename)} <small>${f.status} +${f.additions} −${f.deletions}</small></h3><pre style="background:#f6f8fa;padding:8px;overflow:auto">${escapeHtml(f.patch ?? "(binary)")}</pre>`).join("\n")}
</body>`;
      sendHtml(ctx.res, 200, html);
      return undefined;
    },
  },
];
