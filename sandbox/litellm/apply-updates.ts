/**
 * Applies an update body to a row: absent fields stay, explicit `null` clears
 * the field to its empty value (LiteLLM treats a null limit as "no limit").
 * `cleared` lists the updatable fields, so nothing else can be overwritten.
 */
export function applyUpdates<R extends object, K extends keyof R & string>(
  row: R,
  input: NoInfer<{ readonly [F in K]?: unknown }>,
  cleared: Pick<R, K>,
): void {
  for (const field of Object.keys(cleared) as K[]) {
    const value = input[field];
    if (value === undefined) continue;
    // The body was validated by a zod schema whose field types match the row's.
    row[field] = (value ?? cleared[field]) as R[K];
  }
}
