import { describe, expect, it } from "vitest";
import { safeNext } from "./loginPage";

/** Where a browser goes for a Location or location.assign() of `next`, resolved as on a page of Kiln. */
const landsOn = (next: string) => new URL(safeNext(next), "http://kiln.test/login").origin;

describe("where signing in sends you (?next=)", () => {
  it.each(["/", "/stacks/abc?tab=events", "/designer#x"])("%j is a page of Kiln, kept as given", (next) => {
    expect(safeNext(next)).toBe(next);
  });

  // Browsers drop tabs and newlines from a URL and read "\" as "/": "/\t/evil" is "//evil".
  it.each(["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\\evil.example", "/\t\\evil.example", "https://evil.example", "javascript:alert(1)"])(
    "%j never leaves Kiln",
    (next) => {
      expect(landsOn(next)).toBe("http://kiln.test");
    },
  );
});
