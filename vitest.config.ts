import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "app/**/*.test.ts"],
    testTimeout: 20_000,
    environment: "node",
    pool: "forks",
  },
});
