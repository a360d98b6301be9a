import { randomInt } from "node:crypto";
import { randomString } from "../randomString";
import { done, type ResourcePlugin } from "../plugin";

const CLASSES: Record<string, string> = {
  lettersdigits: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  letters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  lowercase: "abcdefghijklmnopqrstuvwxyz",
  uppercase: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digits: "0123456789",
  hexdigits: "0123456789abcdefABCDEF",
  octdigits: "01234567",
};

/** Draws `min` characters from each class and sequence, fills up to `length` from their union, shuffles. */
export function generate(props: Record<string, unknown>): string {
  const length = Number(props.length ?? 32);
  const pools: { chars: string; min: number }[] = [];
  for (const c of (props.character_classes as { class: string; min: number }[] | undefined) ?? []) {
    pools.push({ chars: CLASSES[c.class] ?? CLASSES.lettersdigits!, min: c.min ?? 1 });
  }
  for (const s of (props.character_sequences as { sequence: string; min: number }[] | undefined) ?? []) {
    pools.push({ chars: s.sequence, min: s.min ?? 1 });
  }
  if (pools.length === 0) pools.push({ chars: CLASSES.lettersdigits!, min: 1 });
  const pick = (chars: string) => chars[randomInt(chars.length)]!;
  const out: string[] = [];
  for (const p of pools) for (let i = 0; i < p.min; i++) out.push(pick(p.chars));
  const all = [...new Set(pools.map((p) => p.chars).join(""))].join("");
  while (out.length < length) out.push(pick(all));
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.join("");
}

/** The string is generated once and kept: a redelivered create reuses it, only replacement changes it. */
export const randomStringPlugin: ResourcePlugin = {
  ...randomString,
  create(ctx) {
    const value = (ctx.data.value as string | undefined) ?? generate(ctx.properties);
    return done({ physicalId: ctx.physicalId ?? ctx.physicalName(), reference: value, attributes: { value }, data: { value } });
  },
  delete: () => done(),
  actsInStoreOnly: true,
};
