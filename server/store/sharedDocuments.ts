/**
 * The large parts of template versions (a files map, an environment document) stored once per
 * project, however many versions hold them, each version's column holding a reference instead.
 * Every nested stack of a tree carries its parent's files and the environment it inherits: for a
 * TripleO deployment, megabytes of templates and hundreds of kilobytes of parameter_defaults in
 * each of a thousand nested stacks, written (and sealed) a thousand times over.
 *
 * A document's id is a keyed digest of its project and text (an HMAC with the column key): the
 * same text in the same project is the same row, but a reader of the database without the key
 * can neither guess a text from its id nor see that two projects hold the same text. Contents
 * are sealed, as the environment column is. Documents are never changed (a different text is a
 * different id) and, like template versions, never deleted, so an id once seen here stays good.
 */
import type { ColumnCipher } from "./columnCipher";
import type { Database } from "./database";
import { execute, join, query, sql } from "./sql";

/** Smaller parts stay in their version's row: a reference would save little and cost a read. */
export const SHARED_FROM_CHARACTERS = 16 * 1024;

/** Texts kept in memory, by id, up to this many characters in all (least recently used go first). */
const MAX_KEPT_CHARACTERS = 64 * 2 ** 20;

/** How a version's column names a shared document: an object where the column holds strings (environment documents). */
export interface SharedReference {
  shared: string;
}

export const isSharedReference = (v: unknown): v is SharedReference =>
  typeof v === "object" && v !== null && typeof (v as SharedReference).shared === "string" && Object.keys(v).length === 1;

export class SharedDocuments {
  /** Opened texts by id. */
  private readonly kept = new Map<string, string>();
  private keptCharacters = 0;
  /**
   * The texts last stored, with their ids: a text handed to save again (every member of a group
   * hands the same one) is known by comparing it, far cheaper than digesting it again.
   */
  private recent: { projectId: string; text: string; id: string }[] = [];
  /** Files maps read from or written to a shared document, by identity: a nested stack's files are its parent's object. */
  private readonly filesIds = new WeakMap<object, { projectId: string; id: string }>();
  private readonly parsedFiles = new Map<string, Record<string, string>>();

  constructor(
    private readonly db: Database,
    private readonly cipher: ColumnCipher,
  ) {}

  /** Stores the text (once per project) and answers its id. */
  async save(projectId: string, text: string): Promise<string> {
    const known = this.recent.find((r) => r.projectId === projectId && r.text === text);
    const id = known?.id ?? this.cipher.fingerprint(`${projectId}\0${text}`);
    await this.store(id, projectId, () => text);
    this.keep(id, text);
    this.recent = [{ projectId, text, id }, ...this.recent.filter((r) => r.id !== id)].slice(0, 8);
    return id;
  }

  private async store(id: string, projectId: string, text: () => string) {
    // Asked of the database, not of what this process remembers writing: a database restored
    // from a backup under a running server must not be left without a document it refers to.
    const [stored] = await query<{ id: string }>(this.db, sql`SELECT "id" FROM "SharedDocument" WHERE "id" = ${id}`);
    if (!stored) {
      await execute(
        this.db,
        sql`INSERT INTO "SharedDocument" ("id", "projectId", "content", "createdAt")
            VALUES (${id}, ${projectId}, ${this.cipher.seal(text())}, ${new Date()}) ON CONFLICT ("id") DO NOTHING`,
      );
    }
  }

  /** A files map as a reference, when it is large: `undefined` keeps it in the row. */
  async saveFiles(projectId: string, files: Record<string, string>): Promise<string | undefined> {
    const known = this.filesIds.get(files);
    if (known?.projectId === projectId) {
      await this.store(known.id, projectId, () => this.kept.get(known.id) ?? JSON.stringify(files));
      return known.id;
    }
    const text = JSON.stringify(files);
    if (text.length < SHARED_FROM_CHARACTERS) return undefined;
    const id = await this.save(projectId, text);
    this.filesIds.set(files, { projectId, id });
    return id;
  }

  /** The texts of these ids; a missing one is an error (it was written before its reference). */
  async load(ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing = [...new Set(ids)].filter((id) => {
      const text = this.kept.get(id);
      if (text !== undefined) found.set(id, text);
      return text === undefined;
    });
    if (missing.length) {
      const rows = await query<{ id: string; content: string }>(
        this.db,
        sql`SELECT "id", "content" FROM "SharedDocument" WHERE "id" IN (${join(missing.map((id) => sql`${id}`), ", ")})`,
      );
      for (const row of rows) {
        const text = this.cipher.open(row.content);
        this.keep(row.id, text);
        found.set(row.id, text);
      }
    }
    for (const id of ids) if (!found.has(id)) throw new Error(`a template version refers to shared document ${id}, which is not stored`);
    for (const id of ids) this.keep(id, found.get(id)!);
    return found;
  }

  /** A files map stored by reference, parsed once and handed to every version holding it: treat as read-only. */
  async loadFiles(projectId: string, id: string): Promise<Record<string, string>> {
    const parsed = this.parsedFiles.get(id);
    if (parsed && this.kept.has(id)) return parsed;
    const files = Object.freeze(JSON.parse((await this.load([id])).get(id)!) as Record<string, string>);
    this.parsedFiles.set(id, files);
    this.filesIds.set(files, { projectId, id });
    return files;
  }

  private keep(id: string, text: string) {
    if (this.kept.has(id)) {
      this.kept.delete(id);
      this.kept.set(id, text);
      return;
    }
    this.kept.set(id, text);
    this.keptCharacters += text.length;
    for (const [oldest, value] of this.kept) {
      if (this.keptCharacters <= MAX_KEPT_CHARACTERS || this.kept.size === 1) break;
      this.kept.delete(oldest);
      this.parsedFiles.delete(oldest);
      this.keptCharacters -= value.length;
    }
  }
}
