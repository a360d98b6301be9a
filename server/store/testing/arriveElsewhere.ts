/**
 * Another process arriving at a sync point, for the store's concurrency test: opens the
 * database, prints "ready", waits for a line on stdin, fires all its arrivals at once and
 * prints their answers as a JSON array.
 *
 *   node --import tsx arriveElsewhere.ts <database url> <traversal> <node> <predecessor>...
 */
import { once } from "node:events";
import { openDatabase } from "../database";
import { PrismaStateStore } from "../prismaStateStore";
import { testCipher } from "./testCipher";

const [url, traversal, node, ...predecessors] = process.argv.slice(2);
const db = await openDatabase(url);
const store = new PrismaStateStore(db, testCipher);
process.stdout.write("ready\n");
await once(process.stdin, "data");
const answers = await Promise.all(predecessors.map((p) => store.arrive(traversal, node, p, { from: process.pid })));
process.stdout.write(`${JSON.stringify(answers)}\n`);
await db.close();
process.exit(0);
