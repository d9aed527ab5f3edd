// A required whole or decimal number between two limits, whose hint states the limits, so a
// form names each limit once (the input bounds it, the reader sees it, the API checks it again).
import type { ComponentProps } from "react";
import { TextField } from "./controls";

type TextFieldProps = ComponentProps<typeof TextField>;

interface RangeFieldProps extends Omit<TextFieldProps, "type" | "min" | "max" | "step" | "hint" | "required"> {
  range: { min: number; max: number; step?: number };
  /** What the number counts, said before its limits, e.g. "Agent turns". */
  about?: string;
}

/** Large limits are grouped ("2,000,000"); four digits read fine as they are ("8192"). */
const figure = (n: number) => (Math.abs(n) >= 10_000 ? n.toLocaleString() : String(n));

function rangeHint({ min, max }: RangeFieldProps["range"], about?: string): string {
  const limits = `${figure(min)} to ${figure(max)}`;
  return about ? `${about}, ${limits}` : limits;
}

export function RangeField({ range, about, ...field }: RangeFieldProps) {
  const { min, max, step } = range;
  return <TextField {...field} hint={rangeHint(range, about)} type="number" min={min} max={max} step={step} required />;
}
