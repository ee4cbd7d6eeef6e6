import type { Edit } from "../../src/repair/types.ts";
import { proseOnlyAnswer, reformatEdits, renderAnswer, STYLES, truncateAnswer } from "./answers.ts";
import {
  firstHunkOnly,
  guardInOtherFunction,
  hallucinatedContext,
  invertCondition,
  neighbourRemoved,
  offByOne,
  weakenedCall,
} from "./mutate.ts";

/** What a scripted answer is, so the bench can say whether the chosen group was right. */
export type AnswerKind =
  | "gold"
  | "gold-reformatted"
  | "wrong-partial"
  | "wrong-inverted"
  | "wrong-off-by-one"
  | "wrong-function"
  | "wrong-call"
  | "wrong-line"
  | "wrong-reformatted"
  | "malformed-truncated"
  | "malformed-no-edits"
  | "malformed-not-applying";

export type ScriptedAnswer = { id: string; kind: AnswerKind; text: string };

export type BugPools = {
  /** Gold, two reformatted twins, wrong variants (the first with more votes than gold), malformed. */
  withGold: ScriptedAnswer[];
  /** The same without any form of the gold fix: the right result is to abstain. */
  withoutGold: ScriptedAnswer[];
  wrongKinds: AnswerKind[];
};

const style = (i: number) => STYLES[i % STYLES.length] ?? { intro: "", outro: "", lang: "" };

export function buildBugPools(gold: readonly Edit[], files: ReadonlyMap<string, string>): BugPools {
  const wrong: [AnswerKind, Edit[] | null][] = [
    ["wrong-inverted", invertCondition(gold)],
    ["wrong-off-by-one", offByOne(gold)],
    ["wrong-partial", firstHunkOnly(gold)],
    ["wrong-function", guardInOtherFunction(gold, files)],
    ["wrong-call", weakenedCall(gold)],
    ["wrong-line", neighbourRemoved(gold)],
  ];
  const wrongAnswers: ScriptedAnswer[] = [];
  const present = wrong.flatMap(([kind, edits]) => (edits ? [{ kind, edits }] : []));
  for (const [n, { kind, edits }] of present.entries()) {
    wrongAnswers.push({ id: `${kind}`, kind, text: renderAnswer(edits, style(n)) });
    // The most popular wrong fix out-votes gold (4 against 3): only evidence may decide.
    const twins = n === 0 ? 3 : 1;
    for (let t = 0; t < twins; t++) {
      wrongAnswers.push({
        id: `${kind}~${t + 1}`,
        kind: "wrong-reformatted",
        text: renderAnswer(reformatEdits(edits, t), style(n + t + 1)),
      });
    }
  }
  const firstPath = gold[0]?.path ?? "lib/index.js";
  const firstWrong = present[0]?.edits ?? gold;
  const malformed = (edits: readonly Edit[]): ScriptedAnswer[] => [
    { id: "truncated", kind: "malformed-truncated", text: truncateAnswer(renderAnswer(edits, style(1))) },
    { id: "no-edits", kind: "malformed-no-edits", text: proseOnlyAnswer(firstPath) },
    {
      id: "not-applying",
      kind: "malformed-not-applying",
      text: renderAnswer(hallucinatedContext(edits) ?? edits, style(2)),
    },
  ];
  const goldAnswers: ScriptedAnswer[] = [
    { id: "gold", kind: "gold", text: renderAnswer(gold, style(0)) },
    { id: "gold~1", kind: "gold-reformatted", text: renderAnswer(reformatEdits(gold, 0), style(1)) },
    { id: "gold~2", kind: "gold-reformatted", text: renderAnswer(reformatEdits(gold, 1), style(2)) },
  ];
  return {
    withGold: [...wrongAnswers.slice(0, 2), ...goldAnswers, ...wrongAnswers.slice(2), ...malformed(gold)],
    withoutGold: [...wrongAnswers, ...malformed(firstWrong)],
    wrongKinds: present.map(({ kind }) => kind),
  };
}
