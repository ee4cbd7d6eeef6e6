import { shellQuote } from "../types.ts";

/** Shell that picks the repo's own `node_modules/.bin/<name>`, else the one on PATH (the image's). */
export function jsBin(name: string): string {
  const local = `node_modules/.bin/${name}`;
  return `"$( [ -x ${local} ] && echo ${local} || echo ${shellQuote(name)} )"`;
}
