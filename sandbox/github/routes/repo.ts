import type { Route } from "../route-types";

export const repoRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/:owner/:repo",
    auth: "token",
    operation: "GET /repos/{owner}/{repo}",
    docs: "repos/repos#get-a-repository",
    handler: ({ backend, links }) => ({ body: backend.repositoryJson(links) }),
  },
];
