/**
 * The tokens `kiln login` keeps, one per server URL, in the user's config directory
 * ($XDG_CONFIG_HOME/kiln/tokens.json, else ~/.config/kiln/tokens.json), readable by the user only.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface SavedToken {
  username: string;
  token: string;
  expiresAt: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function tokensFile(env: Env): string {
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(config, "kiln", "tokens.json");
}

function readAll(file: string): Record<string, SavedToken> {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, SavedToken>;
  } catch {
    return {};
  }
}

function writeAll(file: string, tokens: Record<string, SavedToken>) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a new file (0600 from its creation), then renamed over the old one.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** The token saved for a server, unless it has expired. */
export function savedToken(env: Env, url: string): SavedToken | undefined {
  const saved = readAll(tokensFile(env))[url];
  return saved && Date.parse(saved.expiresAt) > Date.now() ? saved : undefined;
}

export function saveToken(env: Env, url: string, token: SavedToken): string {
  const file = tokensFile(env);
  writeAll(file, { ...readAll(file), [url]: token });
  return file;
}

export function forgetToken(env: Env, url: string): SavedToken | undefined {
  const file = tokensFile(env);
  const { [url]: forgotten, ...rest } = readAll(file);
  if (forgotten) writeAll(file, rest);
  return forgotten;
}
