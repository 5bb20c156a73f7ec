import type { TemplateValues } from "./template-engine";

/** One file a request writes: which template, where, with which values. */
export type FilePlan = {
  template: string;
  path: string;
  values: TemplateValues;
};

export type RenderedFile = { path: string; content: string };

/** Repository content by path (what the platform repo's main branch holds). */
export type RepoFiles = Readonly<Record<string, string>>;
