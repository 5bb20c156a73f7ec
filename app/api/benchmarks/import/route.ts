import { json, route } from "@/lib/http/route";
import { importUpload, readImportFields } from "@/lib/benchmarks/pages/import-upload";

export const dynamic = "force-dynamic";

// Multipart (the page's form) or JSON; a malformed file is a 422 with fields and stores nothing.
export const POST = route("benchmarks.import", async ({ db, principal, req }) => {
  const run = await importUpload(db, principal, await readImportFields(req));
  return json(run, 201);
});
