import pino, { type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout, one line per record. */
export const createLogger = (level: string): Logger => pino({ level, base: { service: "kiln" } });
