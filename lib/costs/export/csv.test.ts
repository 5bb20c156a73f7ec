import { describe, expect, it } from "vitest";
import { centsToDecimal, csvCell, csvLine, milliToDecimal, percentToDecimal } from "./csv";
import { DAILY_COLUMNS, TENANT_COLUMNS } from "./columns";

describe("csvCell: RFC 4180 quoting", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("writes null as an empty field and integers as they are", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(12345678901234567890n)).toBe("12345678901234567890");
  });

  it("refuses a float, so money cannot be formatted by accident", () => {
    expect(() => csvCell(0.1 + 0.2)).toThrow(RangeError);
  });
});

describe("csvCell: formula injection", () => {
  it.each([
    ["=HYPERLINK(\"http://evil\")", '"\'=HYPERLINK(""http://evil"")"'],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["=1,2", `"'=1,2"`],
  ])("%j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("a carriage return at the start is prefixed and then quoted", () => {
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
  });

  it("leaves a plain negative number alone (the exporter's own amounts)", () => {
    expect(csvCell("-12.30")).toBe("-12.30");
    expect(csvCell("-5")).toBe("-5");
  });

  it("does not touch a formula character that is not first", () => {
    expect(csvCell("team=a")).toBe("team=a");
  });
});

describe("csvLine", () => {
  it("joins with commas and ends in CRLF", () => {
    expect(csvLine(["a", null, 3, "x,y"])).toBe('a,,3,"x,y"\r\n');
  });
});

describe("money strings from integer cents", () => {
  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [-5, "-0.05"],
    [100, "1.00"],
    [12345, "123.45"],
    [-12345, "-123.45"],
    [Number.MAX_SAFE_INTEGER, "90071992547409.91"],
    [10n ** 20n + 1n, "1000000000000000000.01"],
  ])("%s cents → %s", (cents, expected) => {
    expect(centsToDecimal(cents)).toBe(expected);
  });

  it("refuses floats and unsafe integers", () => {
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
    expect(() => centsToDecimal(2 ** 60)).toThrow(RangeError);
  });

  it("0.1 + 0.2 dollars never appears: sums are integers first", () => {
    expect(centsToDecimal(10 + 20)).toBe("0.30");
  });

  it("GPU milli-hours and percentages", () => {
    expect(milliToDecimal(1500)).toBe("1.500");
    expect(milliToDecimal(7)).toBe("0.007");
    expect(milliToDecimal(-1)).toBe("-0.001");
    expect(percentToDecimal(80.12)).toBe("80.12");
    expect(percentToDecimal(0.07)).toBe("0.07");
    expect(percentToDecimal(100)).toBe("100.00");
    expect(percentToDecimal(null)).toBeNull();
  });
});

describe("columns", () => {
  it("the tenants export has the documented order", () => {
    expect(TENANT_COLUMNS.join(",")).toBe(
      "tenant,cost_center,period_start,period_end,gpu_hours,gpu_cost,cpu_cost,ram_cost,pv_cost,idle_share_cost,token_spend,input_tokens,output_tokens,budget,budget_used_pct,currency",
    );
  });

  it("the daily export puts date after cost_center, the rest unchanged", () => {
    expect(DAILY_COLUMNS.slice(0, 3)).toEqual(["tenant", "cost_center", "date"]);
    expect(DAILY_COLUMNS.filter((c) => c !== "date")).toEqual([...TENANT_COLUMNS]);
  });
});
