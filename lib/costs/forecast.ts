import { closedDays, dayCount, DAY_MS, type Period, runRateStart, startOfUtcDay } from "./period";

export type Forecast = {
  /** Expected total at the end of the period, in cents; null when there is nothing to base it on. */
  forecastCents: number | null;
  /** Average spend per closed day, in cents (rounded for display; the forecast uses the exact ratio). */
  runRatePerDayCents: number | null;
  /** Closed days the run rate is averaged over. */
  basisDays: number;
  /** The assumption, in words, shown next to the figure. */
  assumption: string;
};

/**
 * Linear forecast from the daily run rate: closed-day spend + average closed-day spend × the days
 * left (today included, since today's live figure is partial). The rate averages only the closed
 * days since the period started or the tenant was created, whichever is later. One rounding, on
 * the result.
 */
export function forecastEndOfPeriod(input: {
  period: Pick<Period, "start" | "end">;
  now: Date;
  tenantCreatedAt: Date;
  closedSpendCents: number;
}): Forecast {
  const { period, now } = input;
  const today = startOfUtcDay(now);
  if (period.end <= today) {
    return { forecastCents: input.closedSpendCents, runRatePerDayCents: null, basisDays: dayCount(period), assumption: "The period is closed: the forecast is the actual total." };
  }
  const from = runRateStart(period, input.tenantCreatedAt);
  const basisDays = closedDays({ start: from, end: period.end }, now).length;
  if (basisDays === 0) {
    return { forecastCents: null, runRatePerDayCents: null, basisDays: 0, assumption: "No closed day yet in this period: no run rate to forecast from." };
  }
  const remainingDays = Math.round((period.end.getTime() - Math.max(today.getTime(), from.getTime())) / DAY_MS);
  const forecastCents = input.closedSpendCents + Math.round((input.closedSpendCents * remainingDays) / basisDays);
  return {
    forecastCents,
    runRatePerDayCents: Math.round(input.closedSpendCents / basisDays),
    basisDays,
    assumption: `Linear: the average of ${basisDays} closed day(s) since ${from.toISOString().slice(0, 10)} continues for the ${remainingDays} remaining day(s), today included (UTC).`,
  };
}
