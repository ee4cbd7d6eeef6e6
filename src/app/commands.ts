/** The commands people give the App in issue comments. */
export const COMMAND_VERBS = ["retry", "stop", "status"] as const;
export type CommandVerb = (typeof COMMAND_VERBS)[number];

/**
 * The command in a comment: a line that starts with `/autofix <verb>` or `@<app-slug> <verb>`
 * (or `@<app-slug>[bot]`, the App's login; case-insensitive), e.g. `/autofix retry` or `@autofix retry please`. Lines inside fenced code blocks
 * and quoted lines (`> …`, as GitHub's "Quote reply" writes) are not commands: quoting someone's
 * command must not run it again. The first command wins; a comment without one → undefined.
 */
export function parseCommand(body: string, appSlug: string | undefined): CommandVerb | undefined {
  const slug = appSlug?.toLowerCase();
  const prefixes = ["/autofix", ...(slug === undefined ? [] : [`@${slug}`, `@${slug}[bot]`])];
  let fence: string | undefined;
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const words = line.toLowerCase().split(/\s+/);
    if (!prefixes.includes(words[0] ?? "")) continue;
    const verb = COMMAND_VERBS.find((v) => v === words[1]);
    if (verb !== undefined) return verb;
  }
  return undefined;
}

/** `my-app[bot]` → `my-app`: the name people mention. */
export function slugOf(botLogin: string): string {
  return botLogin.replace(/\[bot\]$/, "");
}

/** Cheap test before anything is asked of GitHub: could this comment hold a command at all? */
export function mightBeCommand(body: string): boolean {
  return body.includes("/autofix") || body.includes("@");
}
