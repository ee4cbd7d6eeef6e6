import { z } from "zod";

/**
 * The scripted model's script (docs/scripted-model.md): rules over the request, first match wins,
 * each answering with a reply or a sequence of replies; a fallback for everything else.
 */

const regex = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: `not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`,
    });
  }
});

const usage = z.strictObject({
  promptTokens: z.int().min(0),
  completionTokens: z.int().min(0),
});

export const replySchema = z
  .strictObject({
    content: z.string().optional().describe("The assistant message (every sample gets it)."),
    contentFile: z.string().min(1).optional().describe("File holding the content, relative to the script."),
    choices: z.array(z.string()).min(1).optional().describe("One content per sample; the last repeats."),
    status: z.int().min(200).max(599).optional().describe("HTTP status; ≥ 400 answers an error body."),
    error: z.string().optional().describe("The error message of an error reply."),
    retryAfterMs: z.int().min(0).optional().describe("Sent as retry-after-ms (and retry-after, seconds)."),
    delayMs: z.int().min(0).max(600_000).optional().describe("Wait before answering."),
    hang: z.literal(true).optional().describe("Never answer: the client must time out."),
    finishReason: z.string().min(1).optional().describe("Default stop (length when truncated)."),
    truncateAfterChars: z.int().min(0).optional().describe("Cut each content after N characters."),
    usage: usage.optional().describe("Reported usage (default: counted with gpt-tokenizer)."),
    omitUsage: z.literal(true).optional().describe("Report no usage, like some servers."),
    ignoreN: z.literal(true).optional().describe("Return one choice whatever n asks."),
  })
  .superRefine((reply, ctx) => {
    const bodies = [reply.content, reply.contentFile, reply.choices].filter((v) => v !== undefined).length;
    const isError = reply.status !== undefined && reply.status >= 400;
    if (bodies > 1) {
      ctx.addIssue({ code: "custom", message: "give only one of content, contentFile, choices" });
    }
    if (isError && bodies > 0) {
      ctx.addIssue({ code: "custom", message: `an error reply (status ${reply.status}) has no content` });
    }
    if (!isError && bodies === 0 && reply.hang !== true) {
      ctx.addIssue({
        code: "custom",
        message: "a reply needs content, contentFile or choices (or status ≥ 400, or hang: true)",
      });
    }
    if (reply.error !== undefined && !isError) {
      ctx.addIssue({ code: "custom", path: ["error"], message: "error needs a status ≥ 400" });
    }
  });

const when = z
  .strictObject({
    stage: z.string().min(1).optional().describe("The x-autofix-stage header; `*` matches any characters."),
    model: z.string().min(1).optional().describe("The requested model; `*` matches any characters."),
    prompt: regex.optional().describe("Regular expression searched in all message contents."),
    system: regex.optional().describe("Regular expression searched in the system messages."),
  })
  .default({});

export const ruleSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe("Shown in the request log (default rules[i])."),
    when,
    times: z.int().min(1).optional().describe("Use this rule at most N times, then skip it."),
    reply: replySchema.optional(),
    replies: z.array(replySchema).min(1).optional().describe("The k-th matching call gets the k-th reply."),
  })
  .superRefine((rule, ctx) => {
    if ((rule.reply === undefined) === (rule.replies === undefined)) {
      ctx.addIssue({ code: "custom", message: "give exactly one of reply or replies" });
    }
  });

export const scriptSchema = z.strictObject({
  rules: z.array(ruleSchema).default([]),
  fallback: replySchema.optional().describe("For unmatched requests (default: a 404 naming the stage)."),
});

export type Reply = z.output<typeof replySchema>;
export type Rule = z.output<typeof ruleSchema>;
export type Script = z.output<typeof scriptSchema>;
export type ScriptInput = z.input<typeof scriptSchema> | z.input<typeof ruleSchema>[];
