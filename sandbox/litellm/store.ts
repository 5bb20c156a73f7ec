import { resetAtFor } from "./rows";
import type { KeyRow, PersistedState, SpendLogRow, TeamRow } from "./state-schema";

type Clock = () => Date;

/**
 * In-memory tables of the LiteLLM stand-in. Rows are kept by reference;
 * callers mutate a row and then call `changed()` so persistence can follow.
 * Keys are indexed by token hash only: the secret is never stored.
 */
export class LiteLLMStore {
  private readonly teams = new Map<string, TeamRow>();
  private readonly keys = new Map<string, KeyRow>();
  private readonly spendLogs: SpendLogRow[] = [];

  constructor(
    private readonly onChange: () => void = () => {},
    readonly now: Clock = () => new Date(),
  ) {}

  load(state: PersistedState): void {
    for (const team of state.teams) this.teams.set(team.team_id, team);
    for (const key of state.keys) this.keys.set(key.token, key);
    this.spendLogs.push(...state.spendLogs);
  }

  snapshot(): PersistedState {
    return { version: 1, teams: [...this.teams.values()], keys: [...this.keys.values()], spendLogs: [...this.spendLogs] };
  }

  changed(): void {
    this.onChange();
  }

  getTeam(teamId: string): TeamRow | undefined {
    const team = this.teams.get(teamId);
    return team && this.resetBudgetIfDue(team);
  }

  listTeams(): TeamRow[] {
    return [...this.teams.values()].map((t) => this.resetBudgetIfDue(t));
  }

  insertTeam(team: TeamRow): void {
    this.teams.set(team.team_id, team);
    this.changed();
  }

  getKey(token: string): KeyRow | undefined {
    const key = this.keys.get(token);
    return key && this.resetBudgetIfDue(key);
  }

  findKeyByAlias(alias: string): KeyRow | undefined {
    for (const key of this.keys.values()) if (key.key_alias === alias) return this.resetBudgetIfDue(key);
    return undefined;
  }

  listKeys(): KeyRow[] {
    return [...this.keys.values()].map((k) => this.resetBudgetIfDue(k));
  }

  keysOfTeam(teamId: string): KeyRow[] {
    return this.listKeys().filter((k) => k.team_id === teamId);
  }

  insertKey(key: KeyRow): void {
    this.keys.set(key.token, key);
    this.changed();
  }

  /** Re-indexes a key under a new token; the old token stops resolving at once. */
  rekey(oldToken: string, key: KeyRow): void {
    this.keys.delete(oldToken);
    this.keys.set(key.token, key);
    this.changed();
  }

  deleteKey(token: string): boolean {
    const deleted = this.keys.delete(token);
    if (deleted) this.changed();
    return deleted;
  }

  /** Books one call: spend on key and team (total and per model) plus a log row. */
  recordSpend(log: SpendLogRow, modelGroup: string): void {
    const key = this.keys.get(log.api_key);
    const team = log.team_id ? this.teams.get(log.team_id) : undefined;
    for (const row of [key, team]) {
      if (!row) continue;
      row.spend += log.spend;
      row.model_spend[modelGroup] = (row.model_spend[modelGroup] ?? 0) + log.spend;
    }
    if (key) key.last_active = log.endTime;
    this.spendLogs.push(log);
    this.changed();
  }

  spendLogRows(): readonly SpendLogRow[] {
    return this.spendLogs;
  }

  /**
   * LiteLLM zeroes `spend` when `budget_reset_at` passes (a background job
   * there); doing it on read gives the same observable result.
   */
  private resetBudgetIfDue<T extends TeamRow | KeyRow>(row: T): T {
    if (!row.budget_duration || !row.budget_reset_at) return row;
    const now = this.now();
    if (new Date(row.budget_reset_at) > now) return row;
    row.spend = 0;
    row.budget_reset_at = resetAtFor(row.budget_duration, now);
    this.changed();
    return row;
  }
}
