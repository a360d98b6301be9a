/** A Kiln runtime on a temporary SQLite database whose stacks act in the test cloud, as a project member unless told. */
import pino from "pino";
import { createRuntime } from "../../services/runtime";
import { openDatabase } from "../../store/database";
import { tempSqliteUrl } from "../../store/testing/testDatabases";
import { CloudDirectory } from "../openstackCloud";
import type { CloudCredentials } from "../credentials";
import { memberCredentials } from "./testCloud";

export async function cloudRuntime(credentials: CloudCredentials = memberCredentials()) {
  const target = tempSqliteUrl();
  const db = await openDatabase(target.url);
  let clouds: CloudDirectory | undefined;
  const rt = createRuntime(db, pino({ level: "silent" }), {
    publicUrl: () => "http://kiln.test",
    clouds: (wake) => (clouds = new CloudDirectory(wake, { credentials })),
  });
  return {
    rt,
    clouds: clouds!,
    async close() {
      await rt.queue.stop();
      clouds?.close();
      await db.close();
      await target.dispose();
    },
  };
}
