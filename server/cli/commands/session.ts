/** `kiln login` and `kiln logout`: a token per server URL, kept in the user's config directory. */
import type { CommandSpec } from "../args";
import { serverUrl } from "../client";
import { EXIT, UsageError } from "../exit";
import { forgetToken, saveToken } from "../savedTokens";
import { signIn, signOut } from "../session";
import { flags, type CliContext } from "./context";

export const login: CommandSpec<CliContext> = {
  words: ["login"],
  summary: "Sign in to a Kiln server and keep the token for later commands",
  positionals: [],
  options: {
    url: flags.url,
    username: { type: "string", value: "NAME", help: "User name (default: $KILN_USERNAME, else asked)" },
    password: { type: "string", value: "PASSWORD", help: "Password, for scripts (default: $KILN_PASSWORD, else asked without echo)" },
    domain: { type: "string", value: "DOMAIN", help: "Keystone user domain, when Kiln uses Keystone (default: $KILN_USER_DOMAIN_NAME, else the server's default, Default)" },
  },
  async run(ctx, { values }) {
    const url = serverUrl(typeof values.url === "string" ? values.url : undefined, ctx.io.env);
    const given = (flag: unknown, env: string | undefined) => (typeof flag === "string" ? flag : env || undefined);
    const ask = async (what: string, secret: boolean) => {
      if (!ctx.io.interactive) throw new UsageError(`kiln login needs --${what} (or ${what === "username" ? "KILN_USERNAME" : "KILN_PASSWORD"}) when it cannot ask`);
      return ctx.io.ask(`${what === "username" ? "User name" : "Password"}: `, { secret });
    };
    const username = given(values.username, ctx.io.env.KILN_USERNAME) ?? (await ask("username", false));
    const password = given(values.password, ctx.io.env.KILN_PASSWORD) ?? (await ask("password", true));
    const session = await signIn(url, username, password, given(values.domain, ctx.io.env.KILN_USER_DOMAIN_NAME));
    const file = saveToken(ctx.io.env, url, { username, ...session });
    ctx.io.err(`Signed in to ${url} as ${username} until ${session.expiresAt}; the token is kept in ${file}`);
    return EXIT.ok;
  },
};

export const logout: CommandSpec<CliContext> = {
  words: ["logout"],
  summary: "End the session kiln login started with a server, and forget its token",
  positionals: [],
  options: { url: flags.url },
  async run(ctx, { values }) {
    const url = serverUrl(typeof values.url === "string" ? values.url : undefined, ctx.io.env);
    const forgotten = forgetToken(ctx.io.env, url);
    if (!forgotten) {
      ctx.io.err(`Not signed in to ${url}`);
      return EXIT.ok;
    }
    await signOut(url, forgotten.token);
    ctx.io.err(`Signed out of ${url}`);
    return EXIT.ok;
  },
};
