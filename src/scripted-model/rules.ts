import type { ResolvedReply, ResolvedRule, ResolvedScript } from "./load-script.ts";

export interface IncomingChat {
  stage: string;
  model: string;
  n: number;
  messages: { role: string; content: string }[];
}

export interface RulePick {
  reply: ResolvedReply;
  /** The rule's name, or undefined for the fallback. */
  rule: string | undefined;
}

/**
 * The script's rules with their use counts: the first rule that matches and still has uses left
 * answers; its k-th use gets its k-th reply (the last one repeats).
 */
export class RuleBook {
  readonly #script: ResolvedScript;
  readonly #compiled: { rule: ResolvedRule; test: (request: IncomingChat) => boolean }[];
  readonly #uses: number[];

  constructor(script: ResolvedScript) {
    this.#script = script;
    this.#compiled = script.rules.map((rule) => ({ rule, test: compileWhen(rule.when) }));
    this.#uses = script.rules.map(() => 0);
  }

  pick(request: IncomingChat): RulePick | undefined {
    for (const [index, { rule, test }] of this.#compiled.entries()) {
      const used = this.#uses[index] ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      if (!test(request)) continue;
      this.#uses[index] = used + 1;
      const reply = rule.replies[Math.min(used, rule.replies.length - 1)];
      if (reply) return { reply, rule: rule.label };
    }
    return this.#script.fallback ? { reply: this.#script.fallback, rule: undefined } : undefined;
  }
}

function compileWhen(when: ResolvedRule["when"]): (request: IncomingChat) => boolean {
  const stage = when.stage === undefined ? undefined : glob(when.stage);
  const model = when.model === undefined ? undefined : glob(when.model);
  // `m`: ^ and $ match at line boundaries inside a message.
  const prompt = when.prompt === undefined ? undefined : new RegExp(when.prompt, "m");
  const system = when.system === undefined ? undefined : new RegExp(when.system, "m");
  return (request) => {
    if (stage && !stage.test(request.stage)) return false;
    if (model && !model.test(request.model)) return false;
    if (prompt && !prompt.test(request.messages.map((m) => m.content).join("\n\n"))) return false;
    if (system) {
      const text = request.messages.filter((m) => m.role === "system").map((m) => m.content);
      if (!system.test(text.join("\n\n"))) return false;
    }
    return true;
  };
}

/** `localize.*` → /^localize\..*$/: `*` matches any characters, everything else literally. */
function glob(pattern: string): RegExp {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`);
}
