import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "bin/**/*.test.ts"],
    environment: "node",
    pool: "forks",
  },
});
