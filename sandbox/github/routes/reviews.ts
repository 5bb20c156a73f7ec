import { GitHubError, unprocessable } from "../errors";
import { isFullSha } from "../repository";
import { createCommentSchema, createReviewSchema, parseBody } from "../request-schemas";
import type { Route } from "../route-types";
import type { ReviewRecord } from "../state";
import { commentJson, reviewJson } from "../views";
import { paginate, requirePull } from "./common";

const REVIEW_STATE = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" } as const;

export const reviewRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/pulls/:pull_number/reviews",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    docs: "pulls/reviews#list-reviews-for-a-pull-request",
    handler(ctx) {
      const pr = requirePull(ctx);
      return paginate(ctx, ctx.backend.store.reviews(pr.number), (r) => reviewJson(ctx.links, r));
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/pulls/:pull_number/reviews",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    docs: "pulls/reviews#create-a-review-for-a-pull-request",
    async handler(ctx) {
      const input = parseBody(createReviewSchema, await ctx.json());
      const { backend } = ctx;
      const pr = requirePull(ctx);
      if ((input.event === "REQUEST_CHANGES" || input.event === "COMMENT") && !input.body) {
        throw new GitHubError(422, "Unprocessable Entity", [`Body is required when using ${input.event} events`]);
      }
      // Real GitHub refuses an identity's verdict on its own PR; opt-in here because the
      // sandbox has one identity and most flows want the approval recorded.
      if (backend.settings.rejectSelfApproval && pr.user === backend.id.botLogin && (input.event === "APPROVE" || input.event === "REQUEST_CHANGES")) {
        const what = input.event === "APPROVE" ? "approve" : "request changes on";
        throw new GitHubError(422, "Unprocessable Entity", [`Review Can not ${what} your own pull request`]);
      }
      const { headSha } = await backend.pullShas(pr);
      const commitId = input.commit_id ?? headSha;
      if (!isFullSha(commitId) || (await backend.repo.objectType(commitId)) !== "commit") throw unprocessable("commit_id is not a valid commit");
      // Without an event the review stays PENDING until submitted (not supported here beyond creation).
      const state: ReviewRecord["state"] = input.event ? REVIEW_STATE[input.event] : "PENDING";
      const review = backend.store.insertReview({
        pullNumber: pr.number,
        state,
        body: input.body ?? "",
        commitId,
        submittedAt: state === "PENDING" ? null : backend.now(),
        user: backend.id.botLogin,
      });
      const body = reviewJson(ctx.links, review);
      if (state !== "PENDING") {
        const pull_request = await backend.pullJson(ctx.links, pr);
        backend.emitEvent(ctx.links, "pull_request_review", { action: "submitted", review: body, pull_request });
      }
      return { body };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/issues/:issue_number/comments",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
    docs: "issues/comments#list-issue-comments",
    handler(ctx) {
      const pr = requirePull(ctx, "issue_number");
      return paginate(ctx, ctx.backend.store.comments(pr.number), (c) => commentJson(ctx.links, c));
    },
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/issues/:issue_number/comments",
    auth: "token",
    operation: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    docs: "issues/comments#create-an-issue-comment",
    async handler(ctx) {
      const input = parseBody(createCommentSchema, await ctx.json());
      const { backend } = ctx;
      const pr = requirePull(ctx, "issue_number");
      const now = backend.now();
      const comment = backend.store.insertComment({ issueNumber: pr.number, body: input.body, createdAt: now, updatedAt: now, user: backend.id.botLogin });
      const body = commentJson(ctx.links, comment);
      return { status: 201, body, headers: { location: body.url } };
    },
  },
];
