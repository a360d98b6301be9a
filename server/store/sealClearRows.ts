/**
 * After an upgrade from a Kiln that stored secret columns in clear: encrypts those rows once,
 * at startup, so the database holds no clear secret even for stacks never written again.
 * Each row is set only if it still holds the clear text read (compare-and-set), so a process
 * writing meanwhile, or another one sealing too, is never overwritten.
 */
import { EMPTY_VALUES, type ColumnCipher } from "./columnCipher";
import type { Database } from "./database";
import { execute, join, query, raw, sql } from "./sql";

const SEALED_COLUMNS: { table: string; columns: string[] }[] = [
  { table: "Stack", columns: ["parameters"] },
  { table: "RawTemplate", columns: ["environment", "files"] },
  { table: "Resource", columns: ["properties", "attributes", "data"] },
];

const BATCH = 500;

/** Answers how many values it sealed. */
export async function sealClearRows(db: Database, cipher: ColumnCipher): Promise<number> {
  let sealed = 0;
  for (const { table, columns } of SEALED_COLUMNS) {
    for (const column of columns) {
      const t = raw(`"${table}"`);
      const c = raw(`"${column}"`);
      let after = "";
      for (;;) {
        const rows = await query<{ id: string; v: string }>(
          db,
          sql`SELECT "id", ${c} AS "v" FROM ${t} WHERE "id" > ${after} AND ${c} NOT LIKE ${"kiln-sealed:%"}
            AND ${c} NOT IN (${join(EMPTY_VALUES.map((v) => sql`${v}`), ", ")}) ORDER BY "id" LIMIT ${BATCH}`,
        );
        for (const row of rows) sealed += await execute(db, sql`UPDATE ${t} SET ${c} = ${cipher.seal(row.v)} WHERE "id" = ${row.id} AND ${c} = ${row.v}`);
        if (rows.length < BATCH) break;
        after = rows.at(-1)!.id;
      }
    }
  }
  return sealed;
}
