/** `npm run db:migrate`: applies pending SQL migrations to DATABASE_URL (or the embedded PGlite). */
import { closeDb, getDb } from "@/lib/db/client";

await getDb(); // opening the database applies pending migrations under an advisory lock
await closeDb();
console.log("migrations applied");
