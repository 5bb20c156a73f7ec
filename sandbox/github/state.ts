import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

// Git holds the files and history; this holds what GitHub keeps beside git
// (pull requests, reviews, comments), so a restarted sandbox with the same
// data directory still knows PR #3 was merged by commit abc.

const pullSchema = z.object({
  number: z.number().int().positive(),
  id: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(["open", "closed"]),
  draft: z.boolean(),
  headRef: z.string(),
  /** Head commit; follows the branch while open, frozen when closed. */
  headSha: z.string(),
  baseRef: z.string(),
  /** Base commit frozen at close/merge; while open the branch tip is reported. */
  baseSha: z.string(),
  merged: z.boolean(),
  mergedAt: z.string().nullable(),
  mergeCommitSha: z.string().nullable(),
  mergedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  user: z.string(),
  maintainerCanModify: z.boolean(),
});

const reviewSchema = z.object({
  id: z.number().int().positive(),
  pullNumber: z.number().int().positive(),
  state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "PENDING", "DISMISSED"]),
  body: z.string(),
  commitId: z.string(),
  submittedAt: z.string().nullable(),
  user: z.string(),
});

const commentSchema = z.object({
  id: z.number().int().positive(),
  issueNumber: z.number().int().positive(),
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  user: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  nextNumber: z.number().int().positive(),
  nextId: z.number().int().positive(),
  pulls: z.array(pullSchema),
  reviews: z.array(reviewSchema),
  comments: z.array(commentSchema),
});

export type PullRecord = z.infer<typeof pullSchema>;
export type ReviewRecord = z.infer<typeof reviewSchema>;
export type CommentRecord = z.infer<typeof commentSchema>;
type State = z.infer<typeof stateSchema>;

const FILE_NAME = "github-state.json";

/** PR metadata, written through to a JSON file beside the bare repository. */
export class GitHubStore {
  readonly path: string;
  private state: State;

  constructor(dir: string) {
    this.path = join(dir, FILE_NAME);
    this.state = this.load() ?? { version: 1, nextNumber: 1, nextId: 1, pulls: [], reviews: [], comments: [] };
  }

  private load(): State | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`Invalid GitHub sandbox state in ${this.path}: ${parsed.error.message}. Delete the data directory to start fresh.`);
    }
    return parsed.data;
  }

  // Synchronous tmp+rename: mutations are rare and serialized, and a reader
  // (or a crash) never sees half a file.
  private save(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 1));
    renameSync(tmp, this.path);
  }

  /** Ids come from one sequence, like GitHub's database ids: never reused. */
  private nextId(): number {
    return this.state.nextId++;
  }

  pulls(): readonly PullRecord[] {
    return this.state.pulls;
  }

  pull(number: number): PullRecord | undefined {
    return this.state.pulls.find((p) => p.number === number);
  }

  insertPull(fields: Omit<PullRecord, "number" | "id">): PullRecord {
    const pull = { ...fields, number: this.state.nextNumber++, id: this.nextId() };
    this.state.pulls.push(pull);
    this.save();
    return pull;
  }

  updatePull(number: number, changes: Partial<PullRecord>): PullRecord {
    const pull = this.pull(number);
    if (!pull) throw new Error(`No pull request #${number}`);
    Object.assign(pull, changes);
    this.save();
    return pull;
  }

  reviews(pullNumber: number): readonly ReviewRecord[] {
    return this.state.reviews.filter((r) => r.pullNumber === pullNumber);
  }

  insertReview(fields: Omit<ReviewRecord, "id">): ReviewRecord {
    const review = { ...fields, id: this.nextId() };
    this.state.reviews.push(review);
    this.save();
    return review;
  }

  comments(issueNumber: number): readonly CommentRecord[] {
    return this.state.comments.filter((c) => c.issueNumber === issueNumber);
  }

  insertComment(fields: Omit<CommentRecord, "id">): CommentRecord {
    const comment = { ...fields, id: this.nextId() };
    this.state.comments.push(comment);
    this.save();
    return comment;
  }
}
