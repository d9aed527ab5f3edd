// A password box for signing in (the one the browser keeps) or for setting a new one, where the
// API's minimum length is enforced as it is typed and the password manager offers a strong one.
import type { ComponentProps } from "react";
import { TextField } from "./controls";

/** The API refuses shorter new passwords. */
const MIN_LENGTH = 12;

interface PasswordFieldProps extends Omit<ComponentProps<typeof TextField>, "type" | "autoComplete" | "minLength"> {
  /** "current": the password the person has; "new": one they are setting now (its hint follows the
   * minimum length, e.g. "a long passphrase is best."). */
  purpose: "current" | "new";
}

export function PasswordField({ purpose, hint, ...field }: PasswordFieldProps) {
  const rules =
    purpose === "new"
      ? { minLength: MIN_LENGTH, hint: [`At least ${MIN_LENGTH} characters`, hint].filter(Boolean).join("; ") }
      : { hint };
  return <TextField {...field} {...rules} type="password" autoComplete={`${purpose}-password`} required />;
}
