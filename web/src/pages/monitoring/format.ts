// How the Monitoring page writes its figures.
export const int = (n: number) => Math.round(n).toLocaleString();
export const ms = (n: number | null) => (n === null ? "–" : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`);
export const percent = (r: number | null) => (r === null ? "–" : `${(r * 100).toFixed(r > 0 && r < 0.01 ? 2 : 1)}%`);
/** Input and output tokens, e.g. "1,200 / 340". */
export const inOut = (input: number, output: number) => `${int(input)} / ${int(output)}`;
export const cost = (usd: number) => `$${usd.toFixed(usd > 0 && usd < 0.01 ? 4 : 2)}`;
