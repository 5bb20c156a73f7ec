import { applyUpdates } from "../apply-updates";
import { isValidDuration } from "../durations";
import { badRequest, notFound } from "../errors";
import { parseBody, newTeamSchema, updateTeamSchema } from "../request-schemas";
import { newTeamRow, resetAtFor } from "../rows";
import type { TeamRow } from "../state-schema";
import type { LiteLLMStore } from "../store";
import { pyIso } from "../time";
import type { Route } from "../route-types";

function checkBudgetDuration(value: string | null | undefined): void {
  if (value && !isValidDuration(value)) {
    throw badRequest(`Invalid budget_duration: ${value}. Use e.g. "30d" or "1mo".`, "budget_duration");
  }
}

export function getTeamOrThrow(store: LiteLLMStore, teamId: string): TeamRow {
  const team = store.getTeam(teamId);
  if (!team) throw notFound(`Team not found, passed team_id=${teamId}`);
  return team;
}

const CLEARED_TEAM_FIELDS = {
  team_alias: null,
  models: [],
  max_budget: null,
  soft_budget: null,
  tpm_limit: null,
  rpm_limit: null,
  max_parallel_requests: null,
  metadata: {},
  model_max_budget: {},
  blocked: false,
  budget_duration: null,
} satisfies Partial<TeamRow>;

export const teamRoutes: Route[] = [
  {
    method: "POST",
    path: "/team/new",
    auth: "master",
    async handler({ json, store }) {
      const input = parseBody(newTeamSchema, await json());
      checkBudgetDuration(input.budget_duration);
      if (input.team_id && store.getTeam(input.team_id)) {
        throw badRequest(`Team id = ${input.team_id} already exists. Please use a different team id.`, "team_id");
      }
      const team = newTeamRow(input, store.now());
      store.insertTeam(team);
      return { body: team };
    },
  },
  {
    method: "POST",
    path: "/team/update",
    auth: "master",
    async handler({ json, store }) {
      const input = parseBody(updateTeamSchema, await json());
      checkBudgetDuration(input.budget_duration);
      const team = getTeamOrThrow(store, input.team_id);
      const now = store.now();
      applyUpdates(team, input, CLEARED_TEAM_FIELDS);
      if (input.budget_duration !== undefined) team.budget_reset_at = resetAtFor(input.budget_duration, now);
      team.updated_at = pyIso(now);
      store.changed();
      return { body: { team_id: team.team_id, data: team } };
    },
  },
  {
    method: "GET",
    path: "/team/info",
    auth: "master",
    handler({ url, store }) {
      const teamId = url.searchParams.get("team_id");
      if (!teamId) throw badRequest("Malformed request. No team id passed in.", "team_id");
      const team = getTeamOrThrow(store, teamId);
      return {
        body: {
          team_id: team.team_id,
          team_info: { ...team, team_member_budget_table: null },
          keys: store.keysOfTeam(team.team_id),
          team_memberships: [],
        },
      };
    },
  },
  {
    method: "GET",
    path: "/team/list",
    auth: "master",
    handler({ store }) {
      return {
        body: store.listTeams().map((team) => ({ ...team, team_memberships: [], keys: store.keysOfTeam(team.team_id) })),
      };
    },
  },
];
