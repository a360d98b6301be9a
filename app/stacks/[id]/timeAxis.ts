/** The timeline's time axis: round steps (1 s, 5 s, 1 min…), at most `most` of them across `total` ms. */
const STEPS = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** Offsets from the start, in ms, of the axis's ticks, 0 first. */
export function axisTicks(total: number, most = 8): number[] {
  const step = STEPS.find((s) => total / s <= most) ?? Math.ceil(total / most);
  const ticks: number[] = [];
  for (let t = 0; t <= total; t += step) ticks.push(t);
  return ticks;
}
