// Server text (agent, knowledge-base and document names, answers, error messages) is printed to
// a person's terminal, where a control character is an instruction: ESC sequences recolour,
// move the cursor or set the window title, BEL rings, CR overwrites. Every human line passes
// through here; control characters are shown the way `cat -v` shows them (ESC as ^[), so they
// are visible and inert. `hive`'s own colours are written with STYLE_ESC, a stand-in for ESC
// drawn at random per process (server text cannot forge what it cannot know), and become ESC last.
// (The API also refuses control characters in names; this covers whatever else reaches us.)

const randomPrivateUse = () => String.fromCharCode(0xe000 + Math.floor(Math.random() * 0x1800));
/** Stands in for ESC in the colour codes `hive` itself writes. */
export const STYLE_ESC = Array.from({ length: 6 }, randomPrivateUse).join("");

// C0 controls but tab and newline, DEL, and C1 controls.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const OWN_STYLE = new RegExp(`${STYLE_ESC}(\\[[0-9;]*m)`, "g");
const ANY_STYLE = new RegExp(`(?:\u001b|${STYLE_ESC})\\[[0-9;]*m`, "g");

const caret = (ch: string): string => {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return "^?";
  return `\\u${code.toString(16).padStart(4, "0")}`;
};

/** Controls in server text made visible (tab and newline kept). */
export const inert = (text: string): string => text.replace(CONTROL, caret);

/** A line made safe for a terminal: controls made visible, `hive`'s own colours kept. */
export const terminalSafe = (text: string): string => inert(text).replace(OWN_STYLE, "\u001b$1");

/** The width a terminal shows, colour codes aside. */
export const visibleLength = (text: string): number => text.replace(ANY_STYLE, "").length;
