// ESLint with Next's rules (core web vitals and TypeScript), run by `npm run lint` and `npm test`.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const REACT_COMPILER_RULES = [
  "static-components", "use-memo", "preserve-manual-memoization", "incompatible-library", "immutability", "globals", "refs",
  "set-state-in-effect", "error-boundaries", "purity", "set-state-in-render", "unsupported-syntax", "config", "gating",
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // The React Compiler's rules (eslint-plugin-react-hooks 7) run the compiler over every
      // file: most of the lint's time (react-hooks/static-components alone was 57% of 41 s CPU),
      // for a compiler Kiln does not build with. Those that fire flag patterns the canvas uses
      // on purpose: refs read while rendering (React Flow's callbacks see the latest state
      // without re-subscribing), state reset in an effect when its input changes, handlers that
      // call each other before their declaration. rules-of-hooks and exhaustive-deps still apply.
      ...Object.fromEntries(REACT_COMPILER_RULES.map((rule) => [`react-hooks/${rule}`, "off"])),
      // A leading underscore marks a value taken out on purpose (`const { a: _, ...rest }`).
      "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", "server/store/generated/**", "test-results/**", "playwright-report/**", "data/**"]),
]);
