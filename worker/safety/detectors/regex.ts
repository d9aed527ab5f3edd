// Long detector patterns written as short readable pieces: `oneOf` joins alternatives, `seq`
// concatenates parts, each given as a RegExp literal so escapes read as in any other pattern.

/** Any of the patterns (joined with |). */
export const oneOf = (parts: RegExp[], flags = ""): RegExp => new RegExp(parts.map((p) => p.source).join("|"), flags);

/** The patterns one after another. */
export const seq = (parts: RegExp[], flags = ""): RegExp => new RegExp(parts.map((p) => p.source).join(""), flags);
