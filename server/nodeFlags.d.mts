/** See nodeFlags.mjs. */
export declare const serverNodeFlags: string[];
